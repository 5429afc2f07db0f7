"""`--kb FILE`: user actor files join the knowledge base; a typo in one is named with file, line and key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitreps.cli import run


@pytest.fixture(autouse=True)
def _bundled_kb_after() -> Iterator[None]:
    yield
    from sitreps.nlp.resolve import use_actor_files

    use_actor_files(())  # later tests in this process see the bundled KB again


def test_kb_option_user_actor_is_resolved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = tmp_path / "mine.yaml"
    kb.write_text(
        "actors:\n  - {id: test-brigade, name: Test Brigade, kind: rebel-group, country: SY, aliases: [Zorblax Brigade]}\n"
    )
    article = tmp_path / "a.txt"
    article.write_text("The Zorblax Brigade attacked government positions in Raqqa on Friday.\n")
    assert run(["--kb", str(kb), "extract", str(article), "--published", "2017-01-23", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert any((r["actor1"] or {}).get("id") == "test-brigade" for r in rows), rows


def test_kb_option_typo_names_file_line_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kb = tmp_path / "bad.yaml"
    kb.write_text("actors:\n  - id: x\n    name: X\n    kindd: rebel-group\n")
    article = tmp_path / "a.txt"
    article.write_text("Fighting was reported in Raqqa on Friday.\n")
    assert run(["--kb", str(kb), "extract", str(article)]) == 1
    err = capsys.readouterr().err
    assert f"{kb}:4" in err and "kindd" in err and "hint:" in err
