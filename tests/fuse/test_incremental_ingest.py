"""Issue #5: ingest fuses incrementally, and the result equals ingesting everything at once and a full rebuild.

The demo corpus is annotated once (module fixture); each store is then filled through the real `Ingestor` with
a `processor` that replays those annotations, so the splits and stores are cheap but storage, near-duplicate
linking and fusion run exactly as in production.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from sitreps.ingest import ReadOptions, iter_documents
from sitreps.model import Document
from sitreps.pipeline import Processed, load_nlp, process_documents
from sitreps.runner import Ingestor, IngestReport, refuse
from sitreps.store import make_engine, session_factory
from sitreps.store.query import count_unfused
from sitreps.store.review import review_event
from sitreps.store.schema import EventMentionRow, EventRow
from tests.conftest import DEMO

Snapshot = dict[str, tuple[Any, ...]]


@pytest.fixture(scope="module")
def annotated() -> list[Processed]:
    """Every demo document, annotated once, in file order."""
    docs = [d for d in iter_documents([str(DEMO)], ReadOptions()) if isinstance(d, Document)]
    return list(process_documents(docs, nlp=load_nlp()))


def _replay(cache: dict[str, Processed]) -> Any:
    def processor(docs: Iterable[Document]) -> Iterator[Processed]:
        for d in docs:
            yield cache[d.id] if d.id in cache else next(process_documents([d], nlp=load_nlp()))

    return processor


def _ingest(sessions: sessionmaker[Session], batch: list[Processed], *, fuse: bool = True) -> IngestReport:
    cache = {p.document.id: p for p in batch}
    ingestor = Ingestor(sessions, nlp=None, processor=_replay(cache))
    report = ingestor.run([p.document for p in batch], fuse=fuse)
    assert report.failed == 0
    return report


def _snapshot(engine: Engine) -> Snapshot:
    """Every stored event: its fused JSON, analyst state, filter columns and mention links (not updated_at)."""
    with session_factory(engine)() as s:
        links: dict[str, list[str]] = {}
        for eid, mid in s.execute(select(EventMentionRow.event_id, EventMentionRow.mention_id)):
            links.setdefault(eid, []).append(mid)
        return {
            r.id: (r.data, r.reviewed, r.rejected, r.event_type, r.fatalities_best, r.sort_key, sorted(links[r.id]))
            for r in s.scalars(select(EventRow))
        }


def _split(annotated: list[Processed], seed: int) -> tuple[list[Processed], list[Processed]]:
    rng = random.Random(seed)
    first = [p for p in annotated if rng.random() < 0.5]
    return first, [p for p in annotated if p not in first]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ingest_a_then_b_equals_a_plus_b_and_rebuild(annotated: list[Processed], tmp_path: Any, seed: int) -> None:
    a, b = _split(annotated, seed)
    assert a and b
    once, twice = make_engine(f"sqlite:///{tmp_path / 'once.db'}"), make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    try:
        _ingest(session_factory(once), a + b)
        _ingest(session_factory(twice), a)
        first = _snapshot(twice)
        report = _ingest(session_factory(twice), b)
        incremental = _snapshot(twice)
        assert incremental == _snapshot(once)
        # only what B changed was written: unchanged events keep their rows
        assert 0 < report.events_written < len(incremental)
        assert report.events_total == len(incremental)
        assert any(eid in incremental and incremental[eid] == row for eid, row in first.items())
        refuse(session_factory(twice))
        assert _snapshot(twice) == incremental
    finally:
        once.dispose()
        twice.dispose()


def test_incremental_writes_and_removals_match_rebuild(annotated: list[Processed], engine: Engine) -> None:
    """On the parametrised backend (SQLite and PostgreSQL): documents one at a time, then a full rebuild."""
    sessions = session_factory(engine)
    order = list(annotated)
    random.Random(7).shuffle(order)
    for p in order:
        _ingest(sessions, [p])
    incremental = _snapshot(engine)
    with sessions() as s:
        assert count_unfused(s) == 0
    refuse(sessions)
    assert _snapshot(engine) == incremental


def test_reviewed_fields_survive_incremental_ingest(annotated: list[Processed], tmp_path: Any) -> None:
    a, b = _split(annotated, 1)
    eng = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        sessions = session_factory(eng)
        _ingest(sessions, a)
        # review the events B will touch (same id before and after), so the rewrite must re-apply the review
        probe = make_engine(f"sqlite:///{tmp_path / 'probe.db'}")
        _ingest(session_factory(probe), a)
        before = _snapshot(probe)
        _ingest(session_factory(probe), b)
        after = _snapshot(probe)
        probe.dispose()
        rewritten = sorted(eid for eid in before if eid in after and after[eid][0] != before[eid][0])
        assert rewritten, "split 1 must change at least one existing event"
        with sessions() as s:
            for eid in rewritten:
                review_event(s, eid, {"fatalities": 999}, who="tester", why="checked the morgue list")
        _ingest(sessions, b)
        stored = _snapshot(eng)
        for eid in rewritten:
            data, reviewed, _rejected, _type, fatalities_best, _key, links = stored[eid]
            assert "fatalities" in reviewed
            assert fatalities_best == 999
            assert data["fatalities"]["best"] == 999
            assert links == sorted(after[eid][6])  # new mentions were attached all the same
        refuse(sessions)
        assert _snapshot(eng) == stored
    finally:
        eng.dispose()


def test_near_duplicate_added_later_is_linked_and_fused_as_in_one_run(
    annotated: list[Processed], tmp_path: Any
) -> None:
    base = annotated[0]
    text = base.document.text.replace(".", ". Reporters could not confirm this independently.", 1)
    copy = replace(base.document, id="neardup-" + base.document.id[:20], text=text, outlet="Copy Desk")
    dup = next(process_documents([copy], nlp=load_nlp()))
    once = make_engine(f"sqlite:///{tmp_path / 'once.db'}")
    later = make_engine(f"sqlite:///{tmp_path / 'later.db'}")
    try:
        report = _ingest(session_factory(once), [*annotated, dup])
        assert report.outcomes[-1].status == "near-duplicate"
        _ingest(session_factory(later), annotated)
        report = _ingest(session_factory(later), [dup])
        assert [o.status for o in report.outcomes] == ["near-duplicate"]
        assert report.outcomes[0].duplicate_of == base.document.id
        assert _snapshot(later) == _snapshot(once)
    finally:
        once.dispose()
        later.dispose()


def test_run_after_fusion_was_skipped_repairs_unfused_mentions(annotated: list[Processed], tmp_path: Any) -> None:
    """A run killed during fusion leaves stored but unfused mentions; the next run (even with nothing new) fuses
    them incrementally, to the same events as a clean run."""
    a, b = _split(annotated, 2)
    clean = make_engine(f"sqlite:///{tmp_path / 'clean.db'}")
    broken = make_engine(f"sqlite:///{tmp_path / 'broken.db'}")
    try:
        _ingest(session_factory(clean), a + b)
        _ingest(session_factory(broken), a)
        _ingest(session_factory(broken), b, fuse=False)
        with session_factory(broken)() as s:
            assert count_unfused(s) > 0
        report = _ingest(session_factory(broken), [])
        assert report.events_written > 0
        with session_factory(broken)() as s:
            assert count_unfused(s) == 0
        assert _snapshot(broken) == _snapshot(clean)
    finally:
        clean.dispose()
        broken.dispose()


def _review_all(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        ids = list(s.scalars(select(EventRow.id)))
    with sessions() as s:
        for eid in ids:
            review_event(s, eid, {"fatalities": 999}, who="tester", why="every event checked")


def test_reviewed_event_dissolved_by_a_later_ingest_is_kept_as_a_rebuild_keeps_it(
    annotated: list[Processed], tmp_path: Any
) -> None:
    """A reviewed event whose id moves (an earlier report joins it) survives as the rebuild keeps it; the stored
    links then list some mentions twice, and the next ingest must still end where a rebuild does."""
    a, b = _split(annotated, 1)
    rest, last = b[:-1], b[-1:]
    plain = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    incr = make_engine(f"sqlite:///{tmp_path / 'incr.db'}")
    full = make_engine(f"sqlite:///{tmp_path / 'full.db'}")
    try:
        _ingest(session_factory(plain), a + rest)
        live = set(_snapshot(plain))  # what fusion produces for these documents, without reviews
        for eng in (incr, full):
            _ingest(session_factory(eng), a)
            _review_all(session_factory(eng))
        _ingest(session_factory(incr), rest)
        _ingest(session_factory(full), rest, fuse=False)
        refuse(session_factory(full))
        assert _snapshot(incr) == _snapshot(full)
        kept = set(_snapshot(incr)) - live
        assert kept, "split 1 must dissolve at least one reviewed event"
        assert all(_snapshot(incr)[eid][1] for eid in kept)
        _ingest(session_factory(incr), last)
        _ingest(session_factory(full), last, fuse=False)
        refuse(session_factory(full))
        assert _snapshot(incr) == _snapshot(full)
    finally:
        for eng in (plain, incr, full):
            eng.dispose()
