"""Parallel (process pool) and Dask engines: the store they fill equals the one-process run on the demo corpus."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, LargeBinary, select

from sitreps.config import load_settings
from sitreps.errors import ConfigError
from sitreps.ingest import ReadOptions, iter_documents
from sitreps.model import Document
from sitreps.pipeline import Processed, make_document
from sitreps.runner import Ingestor, IngestReport
from sitreps.scale import parallel
from sitreps.scale.parallel import ParallelProcessor, make_processor
from sitreps.store import make_engine, session_factory
from sitreps.store.schema import Base
from tests.conftest import DEMO

pytestmark = [
    # distributed warns when a nanny's worker is killed at cluster shutdown, after the work is done
    pytest.mark.filterwarnings("ignore:.*Worker process still alive after.*:UserWarning"),
]

# Not a report: too short to hold an event, and one in French; both must pass through with their note.
SHORT = "Clashes reported."
FRENCH = (
    "Des combats violents ont éclaté hier soir près de la ville, selon des habitants qui ont fui vers le nord. "
    "Les forces gouvernementales ont bombardé plusieurs quartiers pendant la nuit."
)


def _corpus() -> list[Document]:
    """The demo corpus plus two documents that get notes instead of mentions, in a fixed order."""
    cfg = load_settings(None, [])
    docs = [
        d
        for d in iter_documents([str(DEMO)], ReadOptions.from_config(cfg.ingest, cfg.fetch))
        if isinstance(d, Document)
    ]
    docs.insert(3, make_document(SHORT))
    docs.insert(10, make_document(FRENCH))
    return docs


def _ingest(tmp: Path, name: str, **kw: Any) -> tuple[IngestReport, dict[str, list[tuple[Any, ...]]]]:
    eng = make_engine(f"sqlite:///{tmp / name}.db")
    try:
        sessions = session_factory(eng)
        report = Ingestor(sessions, batch_size=8, **kw).run(_corpus())
        return report, _snapshot(eng)
    finally:
        eng.dispose()


def _snapshot(eng: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, without the write timestamps and binary signatures, in a stable order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with eng.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if not isinstance(c.type, DateTime | LargeBinary)]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
    return out


def _outcomes(report: IngestReport) -> list[tuple[Any, ...]]:
    return [(o.source, o.status, o.document_id, o.n_mentions, o.duplicate_of, o.reason) for o in report.outcomes]


@pytest.fixture(scope="module")
def reference(
    nlp: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[IngestReport, dict[str, list[tuple[Any, ...]]]]:
    """The one-process run every engine must reproduce."""
    return _ingest(tmp_path_factory.mktemp("one"), "one", nlp=nlp)


@pytest.mark.slow
def test_reference_run_has_events_and_notes(reference: tuple[IngestReport, dict[str, list[tuple[Any, ...]]]]) -> None:
    report, snap = reference
    assert len(snap["documents"]) >= 30 and len(snap["mentions"]) > 100 and len(snap["events"]) > 50
    reasons = {o.reason or "" for o in report.outcomes}
    assert any("too short" in r for r in reasons) and any("not English" in r for r in reasons)


@pytest.mark.slow
def test_parallel_processor_two_workers_equals_one(
    reference: tuple[IngestReport, dict[str, list[tuple[Any, ...]]]], tmp_path: Path
) -> None:
    proc = ParallelProcessor(workers=2, chunk_size=4, batch_size=8)
    seen: list[Processed] = []

    def recording(docs: Iterable[Document]) -> Iterator[Processed]:
        for p in proc(docs):
            seen.append(p)
            yield p

    report, snap = _ingest(tmp_path, "two", nlp=None, processor=recording)
    assert len(proc.worker_peak_rss) == 2, "both worker processes took chunks"
    assert proc.worker_docs == len(seen) and proc.worker_cpu_s > 0, "workers account for their CPU time"
    langs = {p.document.id: p.document.language for p in seen}
    assert langs[make_document(FRENCH).id] == "fr" and "en" in langs.values(), "the language found comes back"
    assert [p.document.id for p in seen] == list(dict.fromkeys(d.id for d in _corpus()))  # input order, first copies
    notes = [p.note for p in seen if p.note]
    assert any("too short" in n for n in notes) and any("not English" in n for n in notes)
    ref_report, ref_snap = reference
    # input order is kept (outcomes come out in store order) and the notes pass through unchanged
    assert _outcomes(report) == _outcomes(ref_report)
    assert snap == ref_snap


@pytest.mark.slow
def test_dask_local_cluster_equals_local(
    reference: tuple[IngestReport, dict[str, list[tuple[Any, ...]]]], tmp_path: Path
) -> None:
    from sitreps.scale.dask_engine import DaskProcessor

    with DaskProcessor(n_workers=2, batch_size=4) as proc:
        report, snap = _ingest(tmp_path, "dask", nlp=None, processor=proc)
    ref_report, ref_snap = reference
    assert _outcomes(report) == _outcomes(ref_report)
    assert snap["events"] == ref_snap["events"] and snap == ref_snap


@pytest.fixture
def no_model_load(monkeypatch: pytest.MonkeyPatch, nlp: Any) -> Iterator[list[str]]:
    """Count in-process pipeline loads, handing back the session's pipeline instead of building another."""
    calls: list[str] = []

    def fake(model: str, extra: tuple[str, ...] = ()) -> Any:
        calls.append(model)
        return nlp

    monkeypatch.setattr(parallel, "load_nlp", fake)
    yield calls


def test_parallel_processor_small_run_stays_in_process(no_model_load: list[str]) -> None:
    docs = [make_document(SHORT), make_document("Rebels shelled the town of Idlib on Monday, killing three civilians.")]
    out: list[Processed] = list(ParallelProcessor(workers=2, chunk_size=16)(iter(docs)))
    assert [p.document.id for p in out] == [d.id for d in docs]
    assert out[0].note and "too short" in out[0].note and not out[0].mentions
    assert no_model_load == ["en_core_web_sm"], "below one chunk per worker no pool is started"


def test_worker_results_go_back_onto_the_callers_documents() -> None:
    docs = [make_document("Rebels shelled the town of Idlib on Monday."), make_document(FRENCH)]
    out = list(parallel._attach(docs, [([], None, "en"), ([], "not English", "fr")]))
    assert [p.document for p in out] == docs and all(p.document is d for p, d in zip(out, docs, strict=True))
    assert [d.language for d in docs] == ["en", "fr"] and out[1].note == "not English"
    with pytest.raises(ValueError):
        list(parallel._attach(docs, [([], None, "en")]))


def test_parallel_processor_empty_run_loads_nothing(no_model_load: list[str]) -> None:
    assert list(ParallelProcessor(workers=2)(iter([]))) == []
    assert no_model_load == []


def test_make_processor_one_worker_is_in_process_and_zero_is_refused() -> None:
    assert make_processor(1, model="en_core_web_sm") is None
    proc = make_processor(3, model="en_core_web_sm")
    assert isinstance(proc, ParallelProcessor) and proc.workers == 3
    with pytest.raises(ConfigError, match="at least 1"):
        make_processor(0, model="en_core_web_sm")


def test_build_processor_checks_engine_options_and_starts_nothing() -> None:
    from sitreps.errors import UsageError
    from sitreps.scale import build_processor
    from sitreps.scale.dask_engine import DaskProcessor

    with pytest.raises(UsageError, match="unknown engine"):
        build_processor("ray")
    with pytest.raises(UsageError, match="only used with --engine dask"):
        build_processor("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(UsageError, match="not used with --engine dask"):
        build_processor("dask", workers=2)
    proc = build_processor("dask", scheduler="tcp://127.0.0.1:8786")
    assert isinstance(proc, DaskProcessor) and proc._client is None, "connecting waits for the first document"
    assert list(proc([])) == [] and proc._client is None
    assert build_processor("local", workers=1) is None
