"""Doc extensions the sitreps components set, registered once at import."""

from __future__ import annotations

from spacy.tokens import Doc, Span

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


def ent_at(doc: Doc, i: int) -> Span | None:
    """The entity covering token i, the same Span `doc.ents` holds for it, or None.

    Why not scan `doc.ents`: spaCy builds a new Span for every entity of the document on each access, and place
    and source resolution ask per phrase; the entity's own tokens (B at its start, I inside) give it directly.
    """
    tok = doc[i]
    if not tok.ent_type:
        return None
    start = i
    while start > 0 and doc[start].ent_iob == 1:  # 1: inside, 3: begins
        start -= 1
    end, n = i + 1, len(doc)
    while end < n and doc[end].ent_iob == 1:
        end += 1
    first = doc[start]
    if not first.ent_type:
        return None
    return Span(doc, start, end, label=first.ent_type, kb_id=first.ent_kb_id, span_id=first.ent_id)
