"""Crash safety of the API's ingest endpoint: SIGKILL `sitreps serve` during POSTs (scripts/crash_test.py --api)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.reliability.test_crash import _script

DOCS = int(os.environ.get("SITREPS_CRASH_API_DOCS", "8"))


@pytest.mark.slow
def test_api_server_killed_during_posts_then_reposted_matches_clean_run(tmp_path: Path) -> None:
    """Clients re-post what was not acknowledged; the store ends identical to an uninterrupted served run.

    Three kills here keep the suite quick (each restart loads the server and spaCy); the script runs 6+ kills.
    """
    ct = _script()
    bodies = ct.api_documents(DOCS, seed=3)
    clean_db, crash_db = tmp_path / "clean.db", tmp_path / "crashed.db"
    ct.api_run_to_completion(clean_db, bodies)
    resume, kills = 0, []
    # the last kill comes three documents before the end with no extra delay: with incremental fusion a POST can
    # finish within the poll interval, and a kill after the last acknowledgement would test nothing
    for target, delay in ((1, 0.0), (DOCS // 2, 0.2), (DOCS - 3, 0.0)):
        record, resume = ct.api_kill_after_documents(crash_db, bodies, resume, target, delay)
        kills.append(record)
    assert resume < DOCS, "the last kill came after every document was acknowledged"
    assert sum(k.documents_after > k.documents_before for k in kills) >= 2, "kills did not land mid-run"
    ct.api_run_to_completion(crash_db, bodies, resume)
    clean, crashed = ct.snapshot(clean_db), ct.snapshot(crash_db)
    assert len(clean.mentions) == DOCS and clean.events
    assert ct.compare(clean, crashed) == []
