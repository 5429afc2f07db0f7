"""Doc extensions the sitreps components set, registered once at import."""

from __future__ import annotations

from spacy.tokens import Doc

TRIGGERS = "sitreps_triggers"
"""Doc._.sitreps_triggers: list of (start token, end token, lexicon entry key), set by the `sitreps_triggers` component."""
MENTIONS = "sitreps_mentions"
"""Doc._.sitreps_mentions: list of `sitreps.nlp.roles.MentionData`, set by the `sitreps_events` component."""
LANGUAGE = "sitreps_language"
"""Doc._.sitreps_language: ISO 639-1 code guessed by `detect_language`, set by `sitreps_events`."""
TEXT = "sitreps_text"
"""Doc._.sitreps_text: the doc's text, kept by `doc_text` (spaCy joins every token's text on each `doc.text`)."""


def register() -> None:
    """Register the extensions if they are not yet registered (idempotent, so re-imports are harmless)."""
    for name, default in ((TRIGGERS, None), (MENTIONS, None), (LANGUAGE, None), (TEXT, None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc: spaCy rebuilds the string from every token on each access, and the
    relabeler, the context builder and extraction each ask for it several times. Tokens never change after
    the tokenizer, so the kept string stays right."""
    text: str | None = doc._.get(TEXT)
    if text is None:
        text = doc.text
        doc._.set(TEXT, text)
    return text
