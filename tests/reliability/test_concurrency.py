"""Ingest in another process while this one reads, on SQLite WAL and PostgreSQL: no errors and no torn reads."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from sqlalchemy import text

from sitreps.store import make_engine, session_factory
from sitreps.store.query import get_document, list_documents, list_events, stats

ROOT = Path(__file__).resolve().parents[2]
N_DOCS = 30

# Document i carries 1 + i % 4 mentions and a title saying so: a reader can tell a torn write from a whole one.
WRITER = textwrap.dedent(
    """
    import sys
    from sitreps.model import Span
    from sitreps.runner import refuse
    from sitreps.store import make_engine, save_document, session_factory
    from tests.factories import make_document, make_mention

    sessions = session_factory(make_engine(sys.argv[1]))
    for i in range(int(sys.argv[2])):
        doc = make_document(f"Report {i}: Islamic State attacked the Syrian army in Deir ez-Zor.", title=f"k={1 + i % 4}")
        mentions = [make_mention(doc, trigger=Span(doc.text[j : j + 3], j, j + 3)) for j in range(1 + i % 4)]
        with sessions() as s:
            save_document(s, doc, mentions)
        if i % 10 == 9:
            refuse(sessions)
    """
)
WHOLE = text(
    "SELECT d.title, count(m.id) FROM documents d LEFT JOIN mentions m ON m.document_id = d.id GROUP BY d.id, d.title"
)


def test_store_reads_while_another_process_ingests_see_whole_documents(db_url: str) -> None:
    engine = make_engine(db_url)  # migrated before the writer starts
    sessions = session_factory(engine)
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, str(N_DOCS)], env=env, stderr=subprocess.PIPE, text=True
    )
    errors: list[BaseException] = []
    torn: list[str] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        try:
            for _ in range(100_000):  # bounded; stops when the writer is done
                done = writer.poll() is not None
                with engine.connect() as conn:
                    for title, n in conn.execute(WHOLE):
                        if title != f"k={n}":
                            torn.append(f"{title} seen with {n} mentions")
                with sessions() as s:
                    st = stats(s)
                    list_events(s, limit=20)
                    docs = list_documents(s, limit=5)
                    if docs:
                        _doc, mentions, _ = get_document(s, docs[0].id)
                        assert mentions
                    assert st["documents"] >= 0
                reads += 1
                if done:
                    return
        except BaseException as e:  # reported below with the writer's outcome
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    _out, err = writer.communicate(timeout=240)
    for t in threads:
        t.join(timeout=60)
    assert writer.returncode == 0, err[-2000:]
    assert not errors, repr(errors[0])
    assert not torn, torn[:5]
    assert reads >= 2
    with sessions() as s:
        assert stats(s)["documents"] == N_DOCS
    engine.dispose()
