"""End-to-end extraction on sentences the team wrote, through the real spaCy model."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitreps.model import Mention
from sitreps.nlp import extract_text

PUBLISHED = date(2017, 1, 20)


def _one(nlp: Any, text: str, trigger: str) -> Mention:
    mentions = extract_text(text, published=PUBLISHED, nlp=nlp)
    found = [m for m in mentions if m.trigger.text == trigger]
    assert found, f"no mention for {trigger!r} in {[m.trigger.text for m in mentions]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "trigger", "event_type", "sub", "actor1_text", "place_text"),
    [
        (
            "Militants captured the town of Maskanah on Tuesday.",
            "captured",
            "Battles",
            "Non-state actor overtakes territory",
            "Militants",
            None,
        ),
        (
            "The Syrian army recaptured the village of Tal Hamam after heavy fighting.",
            "recaptured",
            "Battles",
            "Government regains territory",
            "The Syrian army",
            None,
        ),
        (
            "The village was seized by the rebels on Monday.",
            "seized",
            "Battles",
            "Non-state actor overtakes territory",
            "the rebels",
            None,
        ),
        (
            "Russian warplanes carried out an air strike on rebel positions near Idlib.",
            "air strike",
            "Explosions/Remote violence",
            "Air/drone strike",
            "Russian warplanes",
            "Idlib",
        ),
        (
            "The Syrian army advanced west of Palmyra on Sunday.",
            "advanced",
            "Battles",
            "Armed clash",
            "The Syrian army",
            "west of Palmyra",
        ),
        (
            "Helicopters carrying soldiers landed at the airbase overnight.",
            "landed",
            "Strategic developments",
            "Change to group/activity",
            None,
            "the airbase",
        ),
    ],
)
def test_extract_text_types_actors_and_places(
    nlp: Any, text: str, trigger: str, event_type: str, sub: str, actor1_text: str | None, place_text: str | None
) -> None:
    m = _one(nlp, text, trigger)
    assert (m.event_type, m.sub_event_type) == (event_type, sub)
    if actor1_text is None:  # equipment ("Helicopters") names no party
        assert m.actor1 is None
    else:
        assert m.actor1 is not None and m.actor1.text == actor1_text
    if place_text is not None:
        assert m.place_text == place_text
    assert text[m.trigger.start : m.trigger.end] == trigger
    assert m.evidence.text == text


def test_extract_text_passive_agent_and_state_actor(nlp: Any) -> None:
    m = _one(nlp, "The hill was retaken by Syrian government forces last week.", "retaken")
    assert m.actor1 is not None and m.actor1.text == "Syrian government forces"
    assert m.sub_event_type == "Government regains territory"
    assert m.date is not None and m.date.text == "last week" and m.date.precision == 2


def test_extract_text_nominal_capture_with_possessor(nlp: Any) -> None:
    m = _one(nlp, "The militia's capture of Tabqa in March surprised analysts.", "capture")
    assert m.actor1 is not None and m.actor1.text == "The militia"
    assert m.place_text == "Tabqa"
    assert m.date is not None and m.date.start == date(2016, 3, 1)


def test_extract_text_pronoun_subject_resolves_to_last_group(nlp: Any) -> None:
    text = "ISIS fighters entered the district at dawn. The group later seized the town's power station."
    m = _one(nlp, text, "seized")
    assert m.actor1 is not None and m.actor1.text == "The group"
    assert m.actor1.id is None or m.actor1.id == "islamic-state"


def test_extract_text_coordinated_actors_keep_the_whole_phrase(nlp: Any) -> None:
    m = _one(nlp, "Russian and Syrian jets bombed the town of Saraqib.", "bombed")
    assert m.actor1 is not None and m.actor1.text.startswith("Russian and Syrian")


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        ("Rebels attacked the checkpoint at dawn.", "attacked", "asserted"),
        ("Rebels reportedly attacked the checkpoint at dawn.", "attacked", "hedged"),
        ("The army did not shell the village, a spokesman said.", "shell", "negated"),
        ("The militants are preparing to attack the airport.", "attack", "planned"),
        ("The group vowed to attack the capital.", "attack", "threatened"),
    ],
)
def test_extract_text_modality(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _one(nlp, text, trigger).modality == modality


@pytest.mark.parametrize(
    ("text", "trigger", "source"),
    [
        (
            "Rebels shelled the town, according to the Syrian Observatory for Human Rights.",
            "shelled",
            "Syrian Observatory for Human Rights",
        ),
        ("A military source told reporters that the army repelled the attack.", "repelled", "A military source"),
        ("The army shelled rebel positions overnight, the ministry said in a statement.", "shelled", "the ministry"),
    ],
)
def test_extract_text_attribution(nlp: Any, text: str, trigger: str, source: str) -> None:
    assert _one(nlp, text, trigger).attribution == source


@pytest.mark.parametrize(
    ("text", "trigger", "fatalities", "event_type"),
    [
        ("Gunmen killed 12 civilians in the market.", "killed", 12, "Violence against civilians"),
        ("Two soldiers were killed in the clashes.", "clashes", 2, "Battles"),
        ("An air strike hit the market, killing at least 80 people.", "air strike", 80, "Explosions/Remote violence"),
        ("Dozens of fighters were killed by the militants.", "killed", 12, "Battles"),
    ],
)
def test_extract_text_fatalities(nlp: Any, text: str, trigger: str, fatalities: int, event_type: str) -> None:
    m = _one(nlp, text, trigger)
    assert m.fatalities == fatalities
    assert m.event_type == event_type


def test_extract_text_skips_conditions_and_opinion(nlp: Any) -> None:
    mentions = extract_text(
        "If the rebels captured the town, the army would lose its supply line.", published=PUBLISHED, nlp=nlp
    )
    assert [m for m in mentions if m.trigger.text == "captured"] == []


def test_extract_text_skips_non_english(nlp: Any) -> None:
    text = "Les rebelles ont attaqué la ville et les forces du gouvernement ont repoussé l'attaque dans la nuit."
    assert extract_text(text, published=PUBLISHED, nlp=nlp) == []


def test_extract_text_without_date_stays_unresolved(nlp: Any) -> None:
    m = _one(nlp, "Rebels attacked the checkpoint last week.", "attacked")
    text = "Rebels attacked the checkpoint last week."
    unresolved = next(x for x in extract_text(text, nlp=nlp) if x.trigger.text == "attacked")
    assert m.date is not None and m.date.resolved
    assert unresolved.date is not None and not unresolved.date.resolved


def test_extract_advance_that_cuts_a_road_is_one_ground_mention() -> None:
    """The push and the cut it made are one happening, told by its outcome: one siege mention, not two."""
    ms = extract_text(
        "The rebels advanced on Tuesday through the orchards between the base and the town, severing the only road "
        "that joined the two.",
        published=PUBLISHED,
    )
    assert [(m.trigger.text, m.action) for m in ms] == [("severing", "siege")]


def test_extract_attack_and_capture_of_one_doer_in_one_sentence_is_one_capture() -> None:
    ms = extract_text(
        "Rebel fighters attacked army posts near Hama in Syria and seized two checkpoints.", published=PUBLISHED
    )
    assert [m.action for m in ms] == ["capture"]


def test_extract_advance_and_cut_by_two_doers_stay_two_mentions() -> None:
    """The guard: a conjoined cut with its own, different doer is another happening."""
    ms = extract_text(
        "The rebels advanced toward the town on Friday and the army later cut off the road.", published=PUBLISHED
    )
    assert sorted(m.action or "" for m in ms) == ["advance", "siege"]


def test_extract_separating_a_place_from_its_side_is_a_siege_and_other_separations_are_not() -> None:
    ms = extract_text(
        "The rebels advanced through an orchard north of the town, separating the base from the districts still "
        "held by the army.",
        published=PUBLISHED,
    )
    assert [(m.trigger.text, m.action) for m in ms] == [("separating", "siege")]
    assert extract_text("The nurses separated the twins from their mother.", published=PUBLISHED) == []


def test_extract_destroying_enemy_materiel_is_fighting_and_by_the_air_force_an_air_strike() -> None:
    """War materiel destroyed in a fight is the fight (ACLED's property destruction is about property)."""
    ground = extract_text(
        "The army said its units had eliminated dozens of rebels near Hama in Syria and destroyed their tanks and "
        "weapons.",
        published=PUBLISHED,
    )
    assert [(m.trigger.text, m.event_type, m.sub_event_type) for m in ground] == [
        ("destroyed", "Battles", "Armed clash")
    ]
    air = extract_text(
        "State media said the air force had destroyed rebel vehicles near Hama in Syria.", published=PUBLISHED
    )
    assert [(m.trigger.text, m.sub_event_type) for m in air] == [("destroyed", "Air/drone strike")]
    bridge = extract_text("Militants destroyed the old bridge in Hama in Syria on Monday.", published=PUBLISHED)
    assert [m.sub_event_type for m in bridge] == ["Looting/property destruction"]
