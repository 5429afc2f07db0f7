"""Timeouts where sitreps waits on another party: a database server that accepts and then says nothing."""

from __future__ import annotations

import socket
import threading

from sitreps.store import make_engine


def test_make_engine_gives_up_on_a_silent_postgresql_server() -> None:
    """A host that accepts TCP and never answers (a dead proxy, a firewall) must fail the command, not hang it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)  # connections complete in the backlog; nothing ever reads or writes
    port = server.getsockname()[1]
    outcome: dict[str, BaseException | None] = {}

    def connect() -> None:
        try:
            make_engine(f"postgresql+psycopg://sitreps@127.0.0.1:{port}/sitreps").dispose()
            outcome["error"] = None
        except Exception as e:  # the expected StoreError, or whatever the driver raises once the server goes
            outcome["error"] = e

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    try:
        worker.join(timeout=40)
        assert not worker.is_alive(), "still waiting on a server that never answers"
        assert outcome["error"] is not None
    finally:
        server.close()  # resets the queued connection, so a waiting driver ends too
        worker.join(timeout=10)
