"""Annotation and extraction across worker processes on one machine, results back in input order."""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Literal

from sitreps.errors import ConfigError, SitrepsError
from sitreps.model import Document, Mention
from sitreps.pipeline import Processed, load_nlp, process_documents

StartMethod = Literal["spawn", "forkserver"]

_model: tuple[str, tuple[str, ...]] | None = None
_load_error: tuple[str | None, str, str | None] | None = None


Outcome = tuple[list[Mention], str | None, str | None]
"""What processing one document yields: (mentions, note, language); the document itself is the caller's."""


@dataclass(slots=True)
class ChunkResult:
    """What a worker sends back for one chunk: the results plus who made them, its peak memory and CPU time."""

    processed: list[Processed]
    pid: int
    peak_rss_bytes: int
    error: tuple[str | None, str, str | None] | None = None
    """(source, reason, hint) when the worker could not load the pipeline (e.g. the model is missing)."""
    outcomes: list[Outcome] = field(default_factory=list)
    """Per-document results in chunk order, sent instead of `processed` by `process_chunk`: the caller still
    holds the documents, so pickling their text back would only cost both processes time."""
    cpu_s: float = 0.0
    """CPU seconds the worker spent on the chunk: unlike wall time, meaningful on a busy machine."""


def peak_rss_bytes() -> int:
    """This process's peak resident set size in bytes.

    Linux's VmHWM first: ru_maxrss survives exec, so a spawned worker would report its parent's peak.
    ru_maxrss is KiB on Linux and bytes on macOS.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


def _init_worker(model: str, extra_kb_files: tuple[str, ...]) -> None:
    """Load the pipeline once per worker, so every chunk after the first pays only for its own text."""
    global _model, _load_error
    _model = (model, extra_kb_files)
    try:
        load_nlp(model, extra_kb_files)
    except SitrepsError as e:  # kept and reported per chunk: an initializer error would only break the pool
        _load_error = (e.source, e.reason, e.hint)


def process_chunk(documents: list[Document], batch_size: int) -> ChunkResult:
    """Annotate and extract one chunk inside a worker (module-level so 'spawn' workers can unpickle it)."""
    if _model is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("worker used before its initializer loaded the pipeline")
    if _load_error is not None:
        return ChunkResult([], os.getpid(), peak_rss_bytes(), _load_error)
    cpu = time.process_time()
    nlp = load_nlp(*_model)
    outcomes = [
        (p.mentions, p.note, p.document.language) for p in process_documents(documents, nlp=nlp, batch_size=batch_size)
    ]
    return ChunkResult([], os.getpid(), peak_rss_bytes(), outcomes=outcomes, cpu_s=time.process_time() - cpu)


def default_workers() -> int:
    """All cores this process may use: the affinity mask where the OS has one, else the core count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass
class ParallelProcessor:
    """An `Ingestor` processor that runs annotation and extraction on `workers` processes.

    Storage, near-duplicate linking and fusion stay in the calling process, which receives results in
    input order, so the store ends up exactly as with one process. Runs smaller than one chunk per worker
    are done in-process: starting workers (each loads the spaCy model) would cost more than it saves.

    Attributes:
        model: spaCy model name for `load_nlp`.
        extra_kb_files: extra actor KB files for `load_nlp`.
        workers: number of worker processes (1 means in-process).
        chunk_size: documents sent to a worker at a time; large enough to amortise pickling, small
            enough to keep every worker busy until the end.
        batch_size: spaCy batch size inside a worker.
        min_documents: fewest documents for which workers are started (None: one chunk per worker).
        start_method: 'spawn' (portable, fresh interpreters) or 'forkserver' (Unix, faster to start).
        worker_peak_rss: peak resident memory in bytes seen from each worker process, by pid.
        worker_cpu_s: CPU seconds the workers spent on the chunks returned so far (model loading excluded).
        worker_docs: documents in those chunks.
    """

    model: str = "en_core_web_sm"
    extra_kb_files: tuple[str, ...] = ()
    workers: int = field(default_factory=default_workers)
    chunk_size: int = 16
    batch_size: int = 32
    min_documents: int | None = None
    start_method: StartMethod = "spawn"
    worker_peak_rss: dict[int, int] = field(default_factory=dict)
    worker_cpu_s: float = 0.0
    worker_docs: int = 0

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigError("workers", f"must be at least 1, got {self.workers}", "use --workers 1 for one process")
        if self.chunk_size < 1:
            raise ConfigError("chunk_size", f"must be at least 1, got {self.chunk_size}")

    def __call__(self, documents: Iterable[Document]) -> Iterator[Processed]:
        """Process `documents` lazily; yields one `Processed` per document, in input order."""
        it = iter(documents)
        threshold = self.workers * self.chunk_size if self.min_documents is None else max(1, self.min_documents)
        head = list(islice(it, threshold))
        if not head:
            return  # nothing new to process: load nothing, start nothing
        if self.workers == 1 or len(head) < threshold:
            yield from self._in_process(head, it)
        else:
            yield from self._pooled(head, it)

    def _in_process(self, head: list[Document], rest: Iterator[Document]) -> Iterator[Processed]:
        nlp = load_nlp(self.model, self.extra_kb_files)
        yield from process_documents(_chain(head, rest), nlp=nlp, batch_size=self.batch_size)

    def _pooled(self, head: list[Document], rest: Iterator[Document]) -> Iterator[Processed]:
        ctx = multiprocessing.get_context(self.start_method)
        window = 2 * self.workers  # chunks in flight: enough to hide the hand-over, bounded memory
        source = _chain(head, rest)
        pending: deque[tuple[list[Document], Future[ChunkResult]]] = deque()
        with ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(self.model, self.extra_kb_files),
        ) as pool:
            try:
                while True:
                    while len(pending) < window:
                        chunk = list(islice(source, self.chunk_size))
                        if not chunk:
                            break
                        pending.append((chunk, pool.submit(process_chunk, chunk, self.batch_size)))
                    if not pending:
                        break
                    sent, future = pending.popleft()
                    result = future.result()
                    if result.error is not None:
                        raise ConfigError(*result.error)
                    self.worker_peak_rss[result.pid] = max(
                        result.peak_rss_bytes, self.worker_peak_rss.get(result.pid, 0)
                    )
                    self.worker_cpu_s += result.cpu_s
                    self.worker_docs += len(sent)
                    yield from _attach(sent, result.outcomes)
            finally:
                for _, f in pending:  # the consumer stopped early or a worker failed: drop queued work
                    f.cancel()


def _attach(documents: list[Document], outcomes: list[Outcome]) -> Iterator[Processed]:
    """The caller's own documents with the worker's results, as one process would have left them."""
    for document, (mentions, note, language) in zip(documents, outcomes, strict=True):
        document.language = language
        yield Processed(document, mentions, note)


def _chain(head: list[Document], rest: Iterator[Document]) -> Iterator[Document]:
    yield from head
    yield from rest


def make_processor(
    workers: int | None, *, model: str, extra_kb_files: tuple[str, ...] = (), batch_size: int = 32
) -> ParallelProcessor | None:
    """The processor for `--workers N` (None: all cores); None for 1 worker, which the Ingestor runs itself."""
    n = default_workers() if workers is None else workers
    if n < 1:
        raise ConfigError("--workers", f"must be at least 1, got {n}", "use --workers 1 for one process")
    if n == 1:
        return None
    return ParallelProcessor(model=model, extra_kb_files=extra_kb_files, workers=n, batch_size=batch_size)
