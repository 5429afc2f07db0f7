"""The per-document pipeline without a database: Documents in, (Document, mentions, note) out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from sitreps.ingest.normalise import document_id, normalise_text
from sitreps.model import Document, Mention

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(slots=True)
class Processed:
    """One document after annotation and extraction; `note` says why nothing was extracted, if so."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)
    note: str | None = None


@lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm", extra_kb_files: tuple[str, ...] = ()) -> Language:
    """The sitreps spaCy pipeline, built once per process and model name."""
    from sitreps.nlp import build_pipeline

    return build_pipeline(model, extra_kb_files=extra_kb_files)


def _skip_reason(document: Document) -> str | None:
    """Why a document gets no extraction: too short, or not English (with the language found)."""
    from sitreps.nlp.language import detect_language

    words = document.text.split()
    if len(words) < 3:
        return f"text has {len(words)} word(s): too short to hold an event"
    lang = detect_language(document.text)
    if lang != "en":
        document.language = lang
        return f"language looks like {lang!r}, not English: extraction skipped"
    document.language = "en"
    return None


def process_documents(documents: Iterable[Document], *, nlp: Language, batch_size: int = 64) -> Iterator[Processed]:
    """Annotate and extract, streaming with `nlp.pipe` for throughput; order is preserved.

    Args:
        documents: documents to process (any iterable; consumed lazily).
        nlp: a pipeline from `load_nlp` / `sitreps.nlp.build_pipeline`.
        batch_size: documents per spaCy batch.
    """
    from sitreps.nlp import extract_mentions

    pending: list[Processed] = []

    def run(batch: list[Processed]) -> Iterator[Processed]:
        todo = [p for p in batch if p.note is None]
        for doc, p in nlp.pipe(((p.document.text, p) for p in todo), as_tuples=True, batch_size=batch_size):
            p.mentions = extract_mentions(doc, p.document)
        yield from batch

    for d in documents:
        pending.append(Processed(d, note=_skip_reason(d)))
        if len(pending) >= batch_size:
            yield from run(pending)
            pending = []
    if pending:
        yield from run(pending)


def make_document(
    text: str, *, published: date | None = None, outlet: str | None = None, title: str | None = None
) -> Document:
    """A Document from raw text, with the id ingest would give it."""
    clean = normalise_text(text)
    return Document(id=document_id(clean), text=clean, title=title, published=published, outlet=outlet, path="<text>")


def extract(
    text: str, *, published: date | None = None, outlet: str | None = None, model: str = "en_core_web_sm"
) -> list[Mention]:
    """Event mentions in one text, resolved against `published` (the Python API's front door).

    Example:
        >>> from datetime import date
        >>> import sitreps
        >>> ms = sitreps.extract("IS fighters seized Palmyra on Sunday.", published=date(2016, 12, 12))
    """
    nlp = load_nlp(model)
    [p] = list(process_documents([make_document(text, published=published, outlet=outlet)], nlp=nlp, batch_size=1))
    return p.mentions
