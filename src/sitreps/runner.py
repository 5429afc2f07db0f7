"""An ingest run: read inputs, extract, store each document in its own transaction, then fuse into events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.orm import Session, sessionmaker

from sitreps.errors import InputError, SitrepsError
from sitreps.ingest.neardup import NearDuplicateIndex
from sitreps.model import Document
from sitreps.pipeline import Processed, process_documents
from sitreps.store.query import signatures
from sitreps.store.write import document_exists, save_document

if TYPE_CHECKING:
    from sitreps.fuse import DocInfo
    from sitreps.store.query import DocInfoRow

OutcomeStatus = Literal["stored", "duplicate", "near-duplicate", "skipped", "failed"]


@dataclass(slots=True)
class IngestOutcome:
    """What happened to one input: stored / already stored / near-duplicate / skipped or failed with a reason."""

    source: str
    status: OutcomeStatus
    document_id: str | None = None
    title: str | None = None
    published: str | None = None
    n_mentions: int = 0
    duplicate_of: str | None = None
    similarity: float | None = None
    reason: str | None = None
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class IngestReport:
    """All outcomes of a run and the fusion that followed."""

    outcomes: list[IngestOutcome] = field(default_factory=list)
    events_written: int = 0
    events_total: int = 0

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(o.status for o in self.outcomes)
        return {k: c.get(k, 0) for k in ("stored", "duplicate", "near-duplicate", "skipped", "failed")}

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "mentions": sum(o.n_mentions for o in self.outcomes),
            "events_written": self.events_written,
            "events_total": self.events_total,
            "outcomes": [o.to_json() for o in self.outcomes],
        }


def _label(d: Document) -> str:
    return d.path or d.url or d.id


class Ingestor:
    """Runs documents through extraction into one store, with near-duplicate linking and fusion."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        nlp: Any,
        batch_size: int = 32,
        near_duplicate_threshold: float = 0.8,
        fuse_window_days: int = 2,
        fuse_max_km: float = 25.0,
        processor: Callable[[Iterable[Document]], Iterator[Processed]] | None = None,
    ) -> None:
        """Set up a run; `processor` replaces in-process annotation (parallel or distributed engines plug in here)."""
        self.sessions = sessions
        self.processor = processor
        self.nlp = nlp
        self.batch_size = batch_size
        self.fuse_window_days = fuse_window_days
        self.fuse_max_km = fuse_max_km
        self.neardup = NearDuplicateIndex(threshold=near_duplicate_threshold)
        with sessions() as s:
            for doc_id, sig in signatures(s):
                self.neardup.add_signature(doc_id, sig)

    def run(
        self,
        items: Iterable[Document | InputError],
        *,
        on_outcome: Callable[[IngestOutcome], None] | None = None,
        fuse: bool = True,
    ) -> IngestReport:
        """Ingest every item; bad inputs become failed outcomes and the run goes on."""
        report = IngestReport()

        def emit(o: IngestOutcome) -> None:
            report.outcomes.append(o)
            if on_outcome:
                on_outcome(o)

        new = self._new_documents(items, emit)
        if self.processor is not None:
            stream = self.processor(new)
        else:
            stream = process_documents(new, nlp=self.nlp, batch_size=self.batch_size)
        for processed in stream:
            emit(self._store(processed))
        if fuse and (report.counts["stored"] or report.counts["near-duplicate"] or self._unfused()):
            report.events_written, report.events_total = self.fuse()
        return report

    def _unfused(self) -> bool:
        """Mentions no event covers: a run killed during fusion left them; the next run repairs that."""
        from sitreps.store.query import count_unfused

        with self.sessions() as s:
            return count_unfused(s) > 0

    def _new_documents(
        self, items: Iterable[Document | InputError], emit: Callable[[IngestOutcome], None]
    ) -> Iterator[Document]:
        """Documents not yet stored; errors and already-stored ones are reported without NLP work."""
        seen: set[str] = set()
        for item in items:
            if isinstance(item, SitrepsError):
                emit(IngestOutcome(item.source or "?", "failed", reason=item.reason, hint=item.hint))
                continue
            if item.id not in seen:
                with self.sessions() as s:  # short sessions: never hold a read snapshot across the run
                    stored = document_exists(s, item.id)
            if item.id in seen or stored:
                emit(IngestOutcome(_label(item), "duplicate", item.id, item.title, reason="already stored"))
                continue
            seen.add(item.id)
            yield item

    def _store(self, p: Processed) -> IngestOutcome:
        d = p.document
        sig = self.neardup.signature(d.text)
        matches = self.neardup.query_signature(sig)
        dup_of, sim = (matches[0][0], round(matches[0][1], 3)) if matches else (None, None)
        try:
            with self.sessions() as s:
                res = save_document(s, d, p.mentions, duplicate_of=dup_of, similarity=sim, signature=sig)
        except SitrepsError as e:
            return IngestOutcome(_label(d), "failed", d.id, d.title, reason=e.reason, hint=e.hint)
        if res.status == "stored":
            self.neardup.add_signature(d.id, sig)
        published = d.published.isoformat() if d.published else None
        status: OutcomeStatus = res.status
        return IngestOutcome(
            _label(d), status, d.id, d.title, published, res.n_mentions, res.duplicate_of, res.similarity, reason=p.note
        )

    def fuse(self) -> tuple[int, int]:
        """Attach mentions no event covers yet to the stored events; returns (events written, events total)."""
        return fuse_incremental(self.sessions, window_days=self.fuse_window_days, max_km=self.fuse_max_km)


def _doc_infos(docs: Mapping[str, DocInfoRow]) -> dict[str, DocInfo]:
    from sitreps.fuse import DocInfo

    return {
        i: DocInfo(id=d.id, outlet=d.outlet, published=d.published, duplicate_of=d.duplicate_of)
        for i, d in docs.items()
    }


def refuse(sessions: sessionmaker[Session], *, window_days: int = 2, max_km: float = 25.0) -> tuple[int, int]:
    """Full, deterministic rebuild of events from every stored mention (reviewed fields are kept)."""
    from sitreps.fuse import fuse
    from sitreps.store.query import all_mentions
    from sitreps.store.write import replace_events

    with sessions() as s:
        mentions, docs = all_mentions(s)
        events = fuse(mentions, _doc_infos(docs), window_days=window_days, max_km=max_km)
        n = replace_events(s, events)
    return n, len(events)


def fuse_incremental(sessions: sessionmaker[Session], *, window_days: int = 2, max_km: float = 25.0) -> tuple[int, int]:
    """Fuse only what changed: resume the clustering from the stored event links, add the mentions no event
    covers (new documents, or ones a run killed during fusion left), and write only the events that changed.

    The result equals `refuse` (the Fuser replays every decision a new mention can affect). Falls back to
    `refuse` when the stored links are not one fusion's output (a mention in two events, which happens when a
    reviewed event outlives a rebuild that dissolved it): resuming from them would not be a valid state.
    """
    from sitreps.fuse import Fuser
    from sitreps.store.query import all_mentions, event_links
    from sitreps.store.write import replace_events

    with sessions() as s:
        mentions, docs = all_mentions(s)
        assignments: dict[str, str] = {}
        for event, mention in event_links(s):
            if assignments.setdefault(mention, event) != event:
                break
        else:
            infos = _doc_infos(docs)
            known = [m for m in mentions if m.id in assignments]
            fresh = [m for m in mentions if m.id not in assignments]
            fuser = Fuser.from_assignments(known, infos, assignments, window_days=window_days, max_km=max_km)
            delta = fuser.add(fresh, {})
            events = fuser.events_of(delta.touched)
            n = replace_events(s, events, remove_missing=False, remove=delta.removed)
            return n, len(set(fuser.assignments().values()))
    return refuse(sessions, window_days=window_days, max_km=max_km)


def summarise(outcomes: Sequence[IngestOutcome]) -> str:
    """One line for the end of a run."""
    c = Counter(o.status for o in outcomes)
    return (
        f"{c['stored']} stored, {c['duplicate']} already stored, {c['near-duplicate']} near-duplicate, "
        f"{c['skipped']} skipped, {c['failed']} failed; {sum(o.n_mentions for o in outcomes)} mentions"
    )
