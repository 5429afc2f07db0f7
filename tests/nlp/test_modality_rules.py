"""Modality rules (nlp/modality.py) on sentences the team wrote: reported plans, attempts under way, naming verbs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitreps.nlp import extract_text


def _modality(nlp: Any, text: str, trigger: str) -> str:
    found = [m for m in extract_text(text, published=date(2023, 5, 10), nlp=nlp) if m.trigger.text == trigger]
    assert found, f"no mention with trigger {trigger!r} in {text!r}"
    return found[0].modality


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # 'would' under a verb of saying, or with a starting condition: the future seen from the past, a plan
        (
            "A spokesman said the brigade would launch an offensive once the river fell.",
            "offensive",
            "planned",
        ),
        ("The commander said his men would recapture the bridge within days.", "recapture", "planned"),
        ("The rebels would shell the depot when the convoy arrived, a defector told reporters.", "shell", "planned"),
        # neighbours: a counterfactual stays hedged, a bare 'would' with no speech nor condition stays hedged
        ("Without the airlift, the garrison would have been overrun.", "overrun", "hedged"),
        ("Gunmen would probably attack the checkpoint.", "attack", "hedged"),
    ],
)
def test_reported_or_conditional_would_is_a_plan(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _modality(nlp, text, trigger) == modality


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # attempts told as going on, lasting or repeated are the attack itself
        ("Insurgents have been trying to storm the police station for three days.", "storm", "asserted"),
        ("Gunmen were attempting to storm the prison on Tuesday night.", "storm", "asserted"),
        ("The militia has tried repeatedly to overrun the outpost.", "overrun", "asserted"),
        ("Rebels made several attempts to storm the garrison.", "storm", "asserted"),
        # neighbours: a bare past attempt, a preparation and an aim stay plans
        ("The rebels tried to storm the garrison.", "storm", "planned"),
        ("The insurgents are preparing to storm the garrison.", "storm", "planned"),
        ("The insurgents want to storm the garrison.", "storm", "planned"),
    ],
)
def test_attempts_under_way_are_asserted(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _modality(nlp, text, trigger) == modality


@pytest.mark.parametrize(
    ("text", "planned", "done"),
    [
        ("The militia wants to encircle the port and has shelled the harbour.", "encircle", "shelled"),
        ("The army vowed to retake the hill and shelled the village overnight.", "retake", "shelled"),
    ],
)
def test_a_clause_coordinated_with_a_plan_or_vow_is_not_under_it(nlp: Any, text: str, planned: str, done: str) -> None:
    assert _modality(nlp, text, planned) in ("planned", "threatened")
    assert _modality(nlp, text, done) == "asserted"


def test_calling_something_a_name_is_no_plan_but_calling_for_it_is(nlp: Any) -> None:
    named = "The envoy called the shelling a crime, as she did when the militia shelled the market in 2019."
    assert _modality(nlp, named, "shelling") == "asserted"
    assert _modality(nlp, named, "shelled") == "asserted"
    asked = "The mayor called on the air force to bomb the convoys."
    assert _modality(nlp, asked, "bomb") == "planned"


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        ("Officers are openly talking about pushing north toward the lake.", "pushing", "planned"),
        ("The campaign has focused on encircling the port.", "encircling", "planned"),
        # neighbour: talking about a happening that is a noun reports it
        ("Residents were talking about the air strike on the market.", "air strike", "asserted"),
    ],
)
def test_a_gerund_after_a_verb_of_aim_is_a_plan(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _modality(nlp, text, trigger) == modality


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        ("The militia's fighters are said to be advancing on the airport.", "advancing", "hedged"),
        ("The spokesman did not confirm that the hospital was hit.", "hit", "negated"),
        ("The minister did not comment on reports that the depot was shelled.", "shelled", "hedged"),
        # a relative clause with its own subject is a fact whatever the mood of the main clause
        ("Officials said the next goal would be Kadugli, which the rebels captured in June.", "captured", "asserted"),
        ("Officials said the bridge, which the rebels reportedly captured in June, is closed.", "captured", "hedged"),
    ],
)
def test_hearsay_unconfirmed_and_relative_clauses(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _modality(nlp, text, trigger) == modality


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # a vow that sets its own starting condition is the side's plan
        ("The garrison has vowed to break the blockade once the relief column is in place.", "blockade", "planned"),
        ("The militia pledged to retake the bridge once the floods receded.", "retake", "planned"),
        # neighbours: a bare vow against a target and a conditioned threat stay threats
        ("The militia vowed to attack the capital.", "attack", "threatened"),
        ("The group threatened to attack the capital once the snow melted.", "attack", "threatened"),
    ],
)
def test_a_vow_with_its_starting_condition_is_a_plan(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _modality(nlp, text, trigger) == modality


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # 'without X, Y would …' presupposes X happened
        (
            "Without weeks of shelling along the highway, the brigade would still be stuck in the valley.",
            "shelling",
            "asserted",
        ),
        # neighbour: a hedge on the trigger's own clause still hedges it
        ("Rebels may have shelled the market without warning.", "shelled", "hedged"),
    ],
)
def test_a_counterfactual_without_presupposes_the_happening(nlp: Any, text: str, trigger: str, modality: str) -> None:
    assert _modality(nlp, text, trigger) == modality
