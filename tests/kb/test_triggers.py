"""The trigger lexicon and the ontology load, index and refuse bad files with file:line and the choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitreps.errors import ConfigError
from sitreps.kb import load_ontology, load_triggers


def test_load_ontology_has_acled_types_and_actions() -> None:
    onto = load_ontology()
    assert "Air/drone strike" in onto.sub_event_types["Explosions/Remote violence"]
    assert onto.actions["heritage-destruction"].sub_event_type == "Looting/property destruction"
    assert onto.actions["capture"].event_type is None


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("capture", "single"),
        ("airstrike", "single"),
        ("air", "multi"),
        ("blow", "multi"),
        ("suicide", "multi"),
        ("reinforcement", "single"),
    ],
)
def test_load_triggers_indexes_words(word: str, kind: str) -> None:
    lex = load_triggers()
    assert word in (lex.single if kind == "single" else lex.multi)


def test_load_triggers_frames_map_passive_agent_to_actor1() -> None:
    entry = load_triggers().single["seize"][0]
    assert entry.frame.roles("passive")["agent"] == "actor1"
    assert entry.state_sub == "Government regains territory"


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("triggers:\n  - {words: [zap], type: Battles, sub: Air raid}\n", "unknown sub_event_type 'Air raid'", 2),
        ("triggers:\n  - {words: [zap], type: Wars, sub: Armed clash}\n", "unknown event_type 'Wars'", 2),
        (
            "triggers:\n  - {words: [zap], type: Battles, sub: Armed clash, action: zapping}\n",
            "unknown action 'zapping'",
            2,
        ),
        (
            "triggers:\n  - {words: [zap], type: Battles, sub: Armed clash, frame: zapframe}\n",
            "unknown frame 'zapframe'",
            2,
        ),
        ("triggers:\n\n  - {words: [zap], type: Battles, sub: Armed clash, colour: red}\n", "unknown key 'colour'", 3),
    ],
)
def test_load_triggers_rejects_bad_entries(tmp_path: Path, body: str, message: str, line: int) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_triggers([path])
    assert message in err.value.reason
    assert err.value.source == f"{path}:{line}"
    assert err.value.hint and "valid choices" in err.value.hint


def test_load_triggers_user_file_adds_words(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(
        "triggers:\n  - {words: [zap], pos: verb, type: Battles, sub: Armed clash, frame: attack}\n", encoding="utf-8"
    )
    assert "zap" in load_triggers([path]).single
    assert "zap" not in load_triggers().single


def test_load_ontology_user_actions_validated(tmp_path: Path) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text(
        "actions:\n  looting-spree: {definition: x, event_type: Riots, sub_event_type: Nope}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_ontology([path])
    assert "unknown sub_event_type 'Nope'" in err.value.reason
