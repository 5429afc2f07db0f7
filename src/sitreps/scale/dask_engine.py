"""Annotation and extraction on a Dask distributed cluster, streamed back in input order to the store's process."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from sitreps.errors import ConfigError, SitrepsError
from sitreps.model import Document
from sitreps.pipeline import Processed, load_nlp, process_documents
from sitreps.scale.parallel import ChunkResult, peak_rss_bytes

# distributed's Client, LocalCluster and Future are only partly typed: they are held as Any here.


def process_batch(
    documents: list[Document], model: str, extra_kb_files: tuple[str, ...], batch_size: int
) -> ChunkResult:
    """Annotate and extract one batch on a Dask worker; the pipeline is loaded once per worker process.

    Load errors come back as data: `SitrepsError` does not survive pickling, and the caller must be able to
    say which model is missing rather than show a worker traceback.
    """
    try:
        nlp = load_nlp(model, extra_kb_files)
    except SitrepsError as e:
        return ChunkResult([], os.getpid(), peak_rss_bytes(), (e.source, e.reason, e.hint))
    out = list(process_documents(documents, nlp=nlp, batch_size=batch_size))
    return ChunkResult(out, os.getpid(), peak_rss_bytes())


class PipelineLoader(WorkerPlugin):
    """Worker plugin that loads the pipeline when a worker joins, so the first batch is not slowed by it."""

    name = "sitreps-pipeline"

    def __init__(self, model: str, extra_kb_files: tuple[str, ...] = ()) -> None:
        self.model = model
        self.extra_kb_files = extra_kb_files

    def setup(self, worker: Any) -> None:
        """Warm the per-process `load_nlp` cache; errors surface later from `process_batch` with a hint."""
        with contextlib.suppress(SitrepsError):
            load_nlp(self.model, self.extra_kb_files)


class DaskProcessor:
    """An `Ingestor` processor that runs annotation and extraction on a Dask cluster.

    Used as a context manager it keeps its client (and cluster) for several runs; called directly, as the
    CLI does, it connects on the first document and closes when the run ends. With no scheduler address it starts a loopback-only `LocalCluster`
    (processes, one thread each, HTTP endpoint on a random loopback port, scratch space in a temporary folder it removes). Batches go
    out with `client.submit`, at most `window` at a time, and results come back in input order, so the
    caller (storage, near-duplicate linking, fusion) sees the same stream as with one process.

    Args:
        scheduler: address of a running scheduler (`tcp://host:8786`); None for a local cluster.
        model: spaCy model name the workers load.
        extra_kb_files: extra actor KB files (paths must exist on every worker).
        batch_size: documents per task; spaCy batches inside a task use the same size.
        n_workers: worker processes of the local cluster (ignored with a scheduler address).
        window: batches in flight; None is two per worker thread.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        model: str = "en_core_web_sm",
        extra_kb_files: tuple[str, ...] = (),
        batch_size: int = 16,
        n_workers: int = 2,
        window: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ConfigError("batch_size", f"must be at least 1, got {batch_size}")
        self.scheduler = scheduler
        self.model = model
        self.extra_kb_files = extra_kb_files
        self.batch_size = batch_size
        self.n_workers = n_workers
        self.window = window
        self.worker_peak_rss: dict[int, int] = {}
        self._client: Any = None
        self._cluster: Any = None
        self._scratch: str | None = None
        self._entered = False

    def __enter__(self) -> DaskProcessor:
        self.start()
        self._entered = True
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._entered = False
        self.close()

    def start(self) -> Any:
        """Connect to the scheduler (or start the local cluster) and have every worker load the pipeline."""
        if self._client is not None:
            return self._client
        import dask
        import distributed

        client_cls: Any = distributed.Client
        cluster_cls: Any = distributed.LocalCluster
        try:
            if self.scheduler:
                self._client = client_cls(self.scheduler, timeout="30s")
            else:
                self._scratch = tempfile.mkdtemp(prefix="sitreps-dask-")
                with dask.config.set({"temporary-directory": self._scratch}):
                    self._cluster = cluster_cls(
                        n_workers=self.n_workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        # The scheduler's HTTP server binds even without a dashboard, on 8787 unless told
                        # otherwise: a random loopback port keeps two runs (or tests) on one machine apart.
                        dashboard_address=":0",
                        local_directory=self._scratch,
                    )
                self._client = client_cls(self._cluster)
        except (OSError, TimeoutError) as e:
            self.close()
            raise ConfigError(
                self.scheduler or "LocalCluster",
                f"cannot reach the Dask scheduler: {e}",
                "start it with `dask scheduler` and workers with `dask worker tcp://HOST:8786`",
            ) from e
        self._client.register_plugin(PipelineLoader(self.model, self.extra_kb_files))
        return self._client

    def close(self) -> None:
        """Shut the client and any local cluster down and remove the scratch folder."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __call__(self, documents: Iterable[Document]) -> Iterator[Processed]:
        """Process `documents` lazily on the cluster; yields one `Processed` per document, in input order."""
        it = iter(documents)
        first = list(islice(it, self.batch_size))
        if not first:
            return  # nothing new: do not even connect
        client = self.start()
        window = self.window or max(1, 2 * sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        batch: list[Document] = first
        try:
            while True:
                while batch and len(pending) < window:
                    pending.append(
                        client.submit(
                            process_batch, batch, self.model, self.extra_kb_files, self.batch_size, pure=False
                        )
                    )
                    batch = list(islice(it, self.batch_size))
                if not pending:
                    break
                result: ChunkResult = pending.popleft().result()
                if result.error is not None:
                    raise ConfigError(*result.error)
                self.worker_peak_rss[result.pid] = max(result.peak_rss_bytes, self.worker_peak_rss.get(result.pid, 0))
                yield from result.processed
        finally:
            for f in pending:  # the consumer stopped early or a batch failed: drop queued work
                f.cancel()
            if not self._entered:
                self.close()
