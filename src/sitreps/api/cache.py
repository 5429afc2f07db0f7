"""Read results cached in-process per store version: meta counts, timelines, clusters and the span bound."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

MAX_ENTRIES = 512
"""Cached results kept per process (least recently used go first); a timeline is a few hundred kB at most."""


class StoreVersion:
    """A cheap token that changes whenever any writer commits to the store; None where none can be read.

    SQLite: `PRAGMA data_version` on a private read-only connection changes on every commit made by any other
    connection (this process or another). PostgreSQL: the WAL insert position moves on every committed write
    (and on some other activity too, which only costs a recomputation). Either is read before the cached query
    runs, so a cached result is never older than the version it is filed under.
    """

    def __init__(self, engine: Engine) -> None:
        self._dialect = engine.dialect.name
        self._probe: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        database = engine.url.database
        if self._dialect == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
            try:
                self._probe = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error:
                self._probe = None

    def read(self, session: Session) -> Hashable | None:
        """The version as `session` first saw it, or None (then nothing is cached).

        Read once per session: a request asks for it three or four times (ETag, span bound, index, cached
        result), each a round trip on PostgreSQL. A commit or flush in the session forgets it
        (`forget_on_write`), so a session that writes never files a result under the version before its write.
        """
        key = ("sitreps.store_version", id(self))
        if key in session.info:
            return session.info[key]  # type: ignore[no-any-return]
        version = self._read(session)
        session.info[key] = version
        return version

    def _read(self, session: Session) -> Hashable | None:
        if self._probe is not None:
            try:
                with self._lock:
                    row = self._probe.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return None
            return None if row is None else int(row[0])
        if self._dialect == "postgresql":
            try:
                return str(session.execute(text("SELECT pg_current_wal_insert_lsn()")).scalar())
            except SQLAlchemyError:  # a standby in recovery has no insert position
                session.rollback()
                return None
        return None

    @staticmethod
    def forget_on_write(sessions: sessionmaker[Session]) -> None:
        """Make sessions from `sessions` drop the version they read when they flush or commit."""

        def forget(session: Session, *_args: object) -> None:
            for key in [k for k in session.info if isinstance(k, tuple) and k[:1] == ("sitreps.store_version",)]:
                del session.info[key]

        event.listen(sessions, "after_flush", forget)
        event.listen(sessions, "after_commit", forget)

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None


class ResultCache:
    """Results of read queries keyed by (kind, arguments), dropped as a whole when the store version changes."""

    def __init__(self, engine: Engine, *, max_entries: int = MAX_ENTRIES) -> None:
        self.version = StoreVersion(engine)
        self._max = max_entries
        self._lock = threading.Lock()
        self._at: Hashable | None = None
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached result for `key` at the store's current version, computing (and keeping) it on a miss.

        Callers must treat the result as read-only: the same object answers later requests.
        """
        at = self.version.read(session)
        if at is None:
            return compute()
        with self._lock:
            if at != self._at:
                self._entries.clear()
                self._at = at
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()
        with self._lock:
            if self._at == at:
                self._entries[key] = value
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
        return value
