"""The only conftest: shared fixtures (spaCy pipeline, stores on SQLite and a real PostgreSQL, CLI runner)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
DEMO = ROOT / "src" / "sitreps" / "data" / "demo"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_report_header(config: pytest.Config) -> list[str]:
    import sqlite3

    import spacy

    return [f"spaCy {spacy.__version__}, SQLite {sqlite3.sqlite_version}, CI={IN_CI}"]


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI: real parts are the point of these tests."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must work in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real sitreps spaCy pipeline, loaded once per test process."""
    from sitreps.nlp import build_pipeline

    return build_pipeline("en_core_web_sm")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sitreps.db'}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (Debian's server), stopped at the end of the session."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        _unavailable("PostgreSQL server not installed: run `bash scripts/system-deps.sh` (apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="sitreps-pg-")
    os.chmod(folder, 0o777)
    script = ROOT / "scripts" / "pg-cluster.sh"
    try:
        out = subprocess.run(
            ["bash", str(script), "start", folder, str(_free_port())], capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        out = None
    if out is None or out.returncode != 0:
        log = Path(folder, "server.log")
        detail = (out.stderr if out else "timeout") + (log.read_text() if log.exists() else "")
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"could not start PostgreSQL: {detail[-800:]}")
    url = out.stdout.strip().splitlines()[-1]
    yield url
    subprocess.run(["bash", str(script), "stop", folder], capture_output=True, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's PostgreSQL server for one test."""
    import psycopg

    base = pg_server.replace("postgresql+psycopg://", "postgresql://")
    name = f"t{os.getpid()}_{_free_port()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same store test on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sitreps.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus ingested once (real pipeline, real fusion) into a SQLite file; copy before writing.

    Built once per test run and shared by xdist workers through a file lock in the run's common temp folder.
    """
    import fcntl

    from sitreps.ingest import ReadOptions, iter_documents
    from sitreps.pipeline import load_nlp
    from sitreps.runner import Ingestor
    from sitreps.store import make_engine, session_factory

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one run's folder, never an older run's
    path = shared / "demo-store.db"
    with (shared / "demo-store.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = shared / "demo-store.building.db"
            building.unlink(missing_ok=True)
            eng = make_engine(f"sqlite:///{building}")
            report = Ingestor(session_factory(eng), nlp=load_nlp()).run(iter_documents([str(DEMO)], ReadOptions()))
            assert report.failed == 0, [o for o in report.outcomes if o.status == "failed"]
            with eng.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            eng.dispose()
            building.replace(path)
    return path


@pytest.fixture
def demo_db(demo_store: Path, tmp_path: Path) -> str:
    """A private copy of the ingested demo corpus for one test, as a SQLite URL."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_store, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    from sitreps.store import make_engine

    eng = make_engine(db_url)
    yield eng
    eng.dispose()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} missing: apt-get install chromium (see scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    pg = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.errors = errors
    pg.dialogs = dialogs
    yield pg
    context.close()
