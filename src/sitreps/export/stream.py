"""Page through events with the `after` cursor, and write files atomically, so big exports never sit in memory."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from sitreps.errors import UsageError
from sitreps.model import Event
from sitreps.store.query import EventFilter, list_events

PAGE_SIZE = 1000


def iter_events(session: Session, flt: EventFilter | None = None, *, page_size: int = PAGE_SIZE) -> Iterator[Event]:
    """Every event matching the filter, newest first, fetched one page at a time through the keyset cursor."""
    after: str | None = None
    while True:
        events, after = list_events(session, flt, limit=page_size, after=after)
        yield from events
        session.expunge_all()  # rows of finished pages need not stay in the identity map
        if after is None:
            return


def check_writable(path: str | Path) -> Path:
    """The output path, or a UsageError naming it and why it cannot be written (before any work is done)."""
    p = Path(path).expanduser()
    parent = p.resolve().parent
    if p.is_dir():
        raise UsageError(str(p), "is a folder, not a file", "give a file name, e.g. -o events.csv")
    if not parent.is_dir():
        raise UsageError(
            str(p), f"cannot write: folder {parent} does not exist", "create the folder or choose another path"
        )
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UsageError(str(p), "cannot write: permission denied", "choose a path you can write to")
    return p


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[IO[str] | IO[bytes]]:
    """Write to a temporary file beside `path` and move it into place only when writing succeeded.

    A failed or interrupted export therefore never leaves a truncated file where a good one was.
    """
    p = check_writable(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.resolve().parent)
    except OSError as e:
        raise UsageError(str(p), f"cannot write: {e.strerror or e}", "choose a path you can write to") from e
    try:
        if "b" in mode:
            with os.fdopen(fd, "wb") as fb:
                yield fb
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as ft:
                yield ft
        Path(tmp).replace(p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
