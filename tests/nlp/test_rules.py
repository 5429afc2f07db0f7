"""Rules on hand-built parses: casualty counts, modality and language detection."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from sitreps.nlp.casualties import count_of
from sitreps.nlp.language import detect_language
from sitreps.nlp.modality import modality_of

VOCAB = spacy.blank("en").vocab


@pytest.mark.parametrize(
    ("words", "heads", "deps", "victim", "count"),
    [
        (["killing", "12", "civilians"], [0, 2, 0], ["ROOT", "nummod", "dobj"], 2, 12),
        (["killing", "twelve", "civilians"], [0, 2, 0], ["ROOT", "nummod", "dobj"], 2, 12),
        (["dozens", "of", "people", "died"], [3, 0, 1, 3], ["nsubj", "prep", "pobj", "ROOT"], 2, 12),
        (["several", "soldiers", "died"], [1, 2, 2], ["amod", "nsubj", "ROOT"], 1, 3),
        (["hundreds", "of", "people", "died"], [3, 0, 1, 3], ["nsubj", "prep", "pobj", "ROOT"], 2, 100),
        (["civilians", "died"], [1, 1], ["nsubj", "ROOT"], 0, None),
    ],
)
def test_count_of_numbers_and_vague_words(
    words: list[str], heads: list[int], deps: list[str], victim: int, count: int | None
) -> None:
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps)
    assert count_of(doc[victim]) == count


@pytest.mark.parametrize(
    ("words", "heads", "deps", "lemmas", "trigger", "modality"),
    [
        (["rebels", "attacked"], [1, 1], ["nsubj", "ROOT"], ["rebel", "attack"], 1, "asserted"),
        (
            ["rebels", "did", "not", "attack"],
            [3, 3, 3, 3],
            ["nsubj", "aux", "neg", "ROOT"],
            ["rebel", "do", "not", "attack"],
            3,
            "negated",
        ),
        (
            ["rebels", "reportedly", "attacked"],
            [2, 2, 2],
            ["nsubj", "advmod", "ROOT"],
            ["rebel", "reportedly", "attack"],
            2,
            "hedged",
        ),
        (
            ["rebels", "plan", "to", "attack"],
            [1, 1, 3, 1],
            ["nsubj", "ROOT", "aux", "xcomp"],
            ["rebel", "plan", "to", "attack"],
            3,
            "planned",
        ),
        (
            ["rebels", "vowed", "to", "attack"],
            [1, 1, 3, 1],
            ["nsubj", "ROOT", "aux", "xcomp"],
            ["rebel", "vow", "to", "attack"],
            3,
            "threatened",
        ),
        (
            ["army", "denied", "it", "shelled"],
            [1, 1, 3, 1],
            ["nsubj", "ROOT", "nsubj", "ccomp"],
            ["army", "deny", "it", "shell"],
            3,
            "negated",
        ),
        (
            ["rebels", "may", "have", "attacked"],
            [3, 3, 3, 3],
            ["nsubj", "aux", "aux", "ROOT"],
            ["rebel", "may", "have", "attack"],
            3,
            "hedged",
        ),
    ],
)
def test_modality_of_cues(
    words: list[str], heads: list[int], deps: list[str], lemmas: list[str], trigger: int, modality: str
) -> None:
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, lemmas=lemmas)
    assert modality_of(doc[trigger], [])[0] == modality


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Rebels attacked the town and the army said it had repelled the attack on the airport.", "en"),
        ("Les rebelles ont attaqué la ville et les forces du gouvernement ont repoussé l'attaque.", "fr"),
        ("Die Rebellen haben die Stadt angegriffen und die Armee hat den Angriff auf den Flughafen abgewehrt.", "de"),
        ("هاجم المسلحون المدينة الليلة الماضية", "ar"),
        ("", "und"),
    ],
)
def test_detect_language_codes(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_extract_text_relative_pronoun_resolves_to_antecedent() -> None:
    from sitreps.nlp import extract_text

    ms = extract_text("Residents fled from the Syrian army, which shelled the village in Syria on Sunday.")
    adv = [m for m in ms if m.trigger.text == "shelled"]
    assert adv and adv[0].actor1 is not None and adv[0].actor1.id == "syria-military"


def test_extract_text_place_is_never_actor2() -> None:
    from sitreps.nlp import extract_text

    ms = extract_text("Kurdish fighters in Syria besieged Raqqa on Monday.", published=None)
    assert all(m.actor2 is None or m.actor2.text != "Raqqa" for m in ms)


def test_extract_text_withdrawal_is_the_other_sides_gain() -> None:
    from sitreps.nlp import extract_text

    text = "Islamic State attacked the town in Syria. The Syrian army withdrew from the town on Sunday."
    ms = [m for m in extract_text(text) if m.trigger.text == "withdrew"]
    assert ms and ms[0].actor1 is not None and ms[0].actor1.id == "islamic-state"
    assert ms[0].actor2 is not None and ms[0].actor2.id == "syria-military"
    assert ms[0].sub_event_type == "Non-state actor overtakes territory"


def test_actor_patterns_cached_on_disk(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitreps.nlp import resolve

    monkeypatch.setenv("SITREPS_CACHE_DIR", str(tmp_path))
    first = resolve.actor_patterns()
    assert list(tmp_path.parent.rglob("actor-patterns-*.pickle")) or list(tmp_path.rglob("actor-patterns-*.pickle"))
    assert resolve.actor_patterns() == first


def test_actor_ruler_matches_lowercase_and_checks_acronym_case() -> None:
    from sitreps.nlp.components import ActorRuler

    nlp = spacy.blank("en")
    ruler = ActorRuler(
        nlp,
        "r",
        [
            {"label": "ACTOR", "pattern": [{"ORTH": "IS"}], "id": "islamic-state"},
            {"label": "ACTOR", "pattern": [{"LOWER": "syrian"}, {"LOWER": "army"}], "id": "syria-military"},
        ],
    )
    doc = ruler(nlp("It is said the Syrian Army and IS fought."))
    assert [(e.text, e.ent_id_) for e in doc.ents] == [("Syrian Army", "syria-military"), ("IS", "islamic-state")]


def test_extract_text_leader_acts_through_his_forces() -> None:
    from sitreps.nlp import extract_text

    ms = [
        m
        for m in extract_text("Assad recaptured the Syrian town of Palmyra in March.")
        if m.trigger.text == "recaptured"
    ]
    assert ms and ms[0].actor1 is not None and ms[0].actor1.id == "syria-military"
