"""sitreps.scale room: annotation and extraction on several processes or a Dask cluster, feeding one store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from sitreps.errors import UsageError
from sitreps.model import Document
from sitreps.pipeline import Processed

Processor = Callable[[Iterable[Document]], Iterator[Processed]]
"""What `Ingestor(processor=...)` takes: documents in, one `Processed` each out, in input order."""

ENGINES = ("local", "dask")


def build_processor(
    engine: str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    model: str = "en_core_web_sm",
    extra_kb_files: tuple[str, ...] = (),
    batch_size: int = 32,
) -> Processor | None:
    """The processor for `sitreps ingest --engine/--workers/--scheduler`; None means the Ingestor's own loop.

    Kept here rather than in the CLI so that scripts and the CLI choose engines the same way, and Dask is
    imported only when asked for.

    Args:
        engine: "local" (this machine, `workers` processes) or "dask" (a Dask cluster).
        workers: local processes; None is every core, 1 runs in the calling process.
        scheduler: Dask scheduler address; None starts a loopback `LocalCluster` for the run.
        model: spaCy model the workers load.
        extra_kb_files: extra actor KB files (on every worker).
        batch_size: spaCy batch size.

    Raises:
        UsageError: unknown engine, or options that do not belong to it.
    """
    if engine not in ENGINES:
        raise UsageError("--engine", f"unknown engine {engine!r}", "use --engine local or --engine dask")
    if engine == "dask":
        if workers is not None:
            raise UsageError(
                "--workers", "not used with --engine dask", "size the cluster with `dask worker --nworkers N`"
            )
        from sitreps.scale.dask_engine import DaskProcessor

        return DaskProcessor(scheduler, model=model, extra_kb_files=extra_kb_files)
    if scheduler:
        raise UsageError("--scheduler", "only used with --engine dask", "add --engine dask")
    from sitreps.scale.parallel import make_processor

    return make_processor(workers, model=model, extra_kb_files=extra_kb_files, batch_size=batch_size)
