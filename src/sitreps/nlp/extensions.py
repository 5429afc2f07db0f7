"""Doc extensions the sitreps components set, registered once at import."""

from __future__ import annotations

from spacy.tokens import Doc

TRIGGERS = "sitreps_triggers"
"""Doc._.sitreps_triggers: list of (start token, end token, lexicon entry key), set by the `sitreps_triggers` component."""
MENTIONS = "sitreps_mentions"
"""Doc._.sitreps_mentions: list of `sitreps.nlp.roles.MentionData`, set by the `sitreps_events` component."""
LANGUAGE = "sitreps_language"
"""Doc._.sitreps_language: ISO 639-1 code guessed by `detect_language`, set by `sitreps_events`."""


def register() -> None:
    """Register the extensions if they are not yet registered (idempotent, so re-imports are harmless)."""
    for name, default in ((TRIGGERS, None), (MENTIONS, None), (LANGUAGE, None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
