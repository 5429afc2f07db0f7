"""Who did it: role phrases resolved to actors on short reports written for these tests (Ukraine, Sudan, Yemen,
Sahel, Syria)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitreps.model import Mention
from sitreps.nlp import extract_text

PUBLISHED = date(2024, 3, 1)


def _mentions(nlp: Any, text: str) -> list[Mention]:
    return extract_text(text, published=PUBLISHED, nlp=nlp)


def _by_trigger(nlp: Any, text: str, trigger: str) -> Mention:
    found = [m for m in _mentions(nlp, text) if m.trigger.text == trigger]
    assert found, f"no mention with trigger {trigger!r}"
    return found[0]


def _actor1_id(m: Mention) -> str | None:
    return m.actor1.id if m.actor1 is not None else None


def test_bare_plural_commanders_are_the_state_force_named_in_the_sentence(nlp: Any) -> None:
    text = (
        "Ukrainian troops held their positions in Bakhmut on Tuesday after days of Russian assaults, "
        "as commanders rushed fresh units into the town."
    )
    assert _actor1_id(_by_trigger(nlp, text, "rushed")) == "ukraine-military"


def test_bare_plural_officers_prefer_the_local_army_over_a_foreign_ally(nlp: Any) -> None:
    text = (
        "Russian warplanes bombed rebel positions near Idlib on Monday. The Syrian army shelled the area. "
        "Officers are already talking about pushing toward Saraqib."
    )
    push = _by_trigger(nlp, text, "pushing toward")
    assert _actor1_id(push) == "syria-military"


def test_government_commanders_speaking_of_a_push_are_its_military(nlp: Any) -> None:
    text = (
        "Sudanese army units shelled Omdurman on Sunday. Regime commanders have said they intend to push toward Bahri."
    )
    assert _actor1_id(_by_trigger(nlp, text, "push toward")) == "sudan-military"


def test_relief_agency_suspending_aid_is_no_actor1(nlp: Any) -> None:
    text = "The World Food Programme suspended food deliveries to El Fasher on Monday because of the shelling."
    m = _by_trigger(nlp, text, "suspended")
    assert m.action == "aid-suspension"
    assert m.actor1 is None


def test_government_delivering_aid_keeps_its_actor1(nlp: Any) -> None:
    text = "The Sudanese government delivered food to El Fasher by helicopter on Monday."
    m = _by_trigger(nlp, text, "delivered")
    assert _actor1_id(m) == "sudan-government"


def test_appointment_without_agent_is_the_government_of_the_local_army(nlp: Any) -> None:
    text = (
        "Ukrainian forces repelled attacks near Kharkiv. General Oleksandr Petrenko has been appointed to lead "
        "the defence of the city, the sources said."
    )
    assert _actor1_id(_by_trigger(nlp, text, "appointed")) == "ukraine-government"


def test_equipment_believed_to_be_of_a_nationality_is_that_country_s_force(nlp: Any) -> None:
    text = "Warplanes believed to be Russian carried out strikes on Idlib on Sunday."
    assert _actor1_id(_by_trigger(nlp, text, "strikes")) == "russia-military"


def test_unmarked_warplanes_stay_without_actor(nlp: Any) -> None:
    text = "Unidentified warplanes carried out strikes on Idlib on Sunday."
    m = _by_trigger(nlp, text, "strikes")
    assert m.actor1 is None or m.actor1.id is None


def test_hedged_agent_of_a_nominal_strike_is_its_doer(nlp: Any) -> None:
    text = "Air strikes believed to have been carried out by the Saudi-led coalition hit a market in Saada on Monday."
    assert _actor1_id(_by_trigger(nlp, text, "Air strikes")) == "saudi-led-coalition"


def test_whose_equipment_belongs_to_the_relative_clause_antecedent(nlp: Any) -> None:
    text = "Residents blamed the Russians, whose drones struck Kupiansk overnight."
    assert _actor1_id(_by_trigger(nlp, text, "struck")) == "russia-military"


def test_passive_carried_out_with_equipment_is_done_by_its_owner(nlp: Any) -> None:
    text = "The raid on the depot was carried out with Ukrainian drones, officials said."
    assert _actor1_id(_by_trigger(nlp, text, "raid")) == "ukraine-military"


def test_joint_air_strike_of_regime_and_russian_jets_is_coded_russian(nlp: Any) -> None:
    text = "The Syrian army said regime and Russian jets bombed Idlib on Friday."
    assert _actor1_id(_by_trigger(nlp, text, "bombed")) == "russia-military"


def test_party_noun_with_a_participle_and_object_is_the_subject_of_a_killing(nlp: Any) -> None:
    text = "Wagner fighters executed at least nine villagers near Moura on Sunday, a rights group said."
    m = _by_trigger(nlp, text, "executed")
    assert _actor1_id(m) == "wagner-group"
    assert m.attribution == "a rights group"


def test_surname_of_a_foreign_minister_is_not_the_local_regime(nlp: Any) -> None:
    text = "The Syrian army shelled Idlib on Monday. Days later Kerry and Lavrov agreed a truce."
    for m in _mentions(nlp, text):
        if m.trigger.text == "agreed":
            assert _actor1_id(m) != "syria-government"


def test_unnamed_target_of_a_ground_attack_is_the_local_army_not_the_foreign_air_force(nlp: Any) -> None:
    text = (
        "French warplanes struck jihadist positions near Menaka on Monday, and French jets hit a convoy of JNIM "
        "fighters. French troops later searched the area. The Malian army said its troops held Menaka. "
        "JNIM fighters attacked near Menaka on Tuesday."
    )
    m = _by_trigger(nlp, text, "attacked")
    assert _actor1_id(m) == "jnim"
    assert m.actor2 is not None and m.actor2.id == "mali-military"


def test_pronoun_victims_of_an_execution_are_civilians_not_the_armed_group(nlp: Any) -> None:
    text = (
        "JNIM fighters stormed a village near Djibo on Monday and executed at least ten men. "
        "Four of them were beheaded, residents said."
    )
    m = _by_trigger(nlp, text, "beheaded")
    assert m.actor2 is not None and m.actor2.id == "civilians"
    assert _actor1_id(m) == "jnim"


def test_weapon_used_with_an_active_verb_is_the_subject_s(nlp: Any) -> None:
    text = "Al-Shabaab responded with car bombs and roadside mines, the commander said."
    assert _actor1_id(_by_trigger(nlp, text, "car bombs")) == "al-shabaab"


def test_side_that_received_reinforcements_is_the_reinforced_side(nlp: Any) -> None:
    text = "RSF fighters had received reinforcements from Nyala before they attacked the base, the source said."
    assert _actor1_id(_by_trigger(nlp, text, "reinforcements")) == "rapid-support-forces"


def test_the_militants_prefer_the_jihadist_group_over_the_rebels_reporting(nlp: Any) -> None:
    text = (
        "IS militants had held al-Bab for two years. Rebels of the Free Syrian Army entered the town on Sunday. "
        "A rebel commander said the militants had fled or been killed."
    )
    m = _by_trigger(nlp, text, "killed")
    assert m.actor2 is not None and m.actor2.id == "islamic-state"
    assert _actor1_id(m) == "free-syrian-army"


def test_destruction_without_doer_or_action_borrows_the_last_destruction_s_doer(nlp: Any) -> None:
    text = (
        "Islamic State fighters blew up the ancient Temple of Nabu in Nimrud. "
        "A nearby school had also been blown up, officials said."
    )
    assert _actor1_id(_by_trigger(nlp, text, "blown up")) == "islamic-state"


def test_by_gerund_telling_how_an_execution_was_done_is_not_a_second_mention(nlp: Any) -> None:
    text = (
        "Wagner fighters executed at least nine villagers near Moura, three of them by beheading, a rights group said."
    )
    found = [m for m in _mentions(nlp, text) if m.event_type == "Violence against civilians"]
    assert len(found) == 1
    assert _actor1_id(found[0]) == "wagner-group"


def test_by_gerund_under_a_non_event_verb_stays_its_own_mention(nlp: Any) -> None:
    text = (
        "The Taliban drew condemnation by blowing up the Buddhas of Bamiyan, and satellite images showed "
        "that a shrine had been destroyed."
    )
    triggers = [m.trigger.text for m in _mentions(nlp, text)]
    assert "blowing up" in triggers


def test_a_loss_dated_apart_does_not_borrow_the_doer_of_the_story_s_recapture(nlp: Any) -> None:
    text = (
        "Sudanese army troops recaptured the town of Um Rawaba on Thursday after two days of fighting, a military "
        "spokesman said. The Rapid Support Forces had seized the town in October. Army units withdrew from the "
        "market district as the RSF retreated. The army had first tried to retake the town soon after it fell on "
        "Oct. 12."
    )
    fell = _by_trigger(nlp, text, "fell")
    assert _actor1_id(fell) == "rapid-support-forces"


def test_ground_an_armed_group_takes_is_lost_by_the_local_army_not_a_named_foreign_air_force(nlp: Any) -> None:
    text = (
        "Al-Shabaab fighters walked back into the Somali town of Baidoa on Sunday. "
        "American drones had flown over the area for weeks."
    )
    took = _by_trigger(nlp, text, "walked back into")
    assert took.actor2 is not None and took.actor2.id == "somalia-military"


def test_the_offensive_names_back_the_ground_push_not_the_air_strike_told_between(nlp: Any) -> None:
    """'The offensive' after a strike paragraph is the insurgents' push: its parties, still a campaign."""
    text = (
        "Islamic State fighters attacked army posts in Deir ez-Zor in Syria on Saturday. "
        "Russian warplanes struck the attackers on Sunday. "
        "The offensive, launched on Saturday, is the gravest threat to the city in a year."
    )
    m = _by_trigger(nlp, text, "offensive")
    assert (m.event_type, m.sub_event_type, m.action) == ("Battles", "Armed clash", "offensive")
    assert _actor1_id(m) == "islamic-state"


def test_the_strike_still_names_back_the_last_strike_across_a_ground_attack(nlp: Any) -> None:
    """The campaign rule leaves other anaphors alone: 'the strike' takes the strike's kind and doer."""
    text = (
        "Russian warplanes struck a market in Idlib in Syria on Sunday. "
        "Islamic State fighters attacked a checkpoint near Hama on Sunday. "
        "The strike destroyed the market."
    )
    m = _by_trigger(nlp, text, "strike")
    assert m.sub_event_type == "Air/drone strike" and _actor1_id(m) == "russia-military"


def test_it_acting_after_a_country_named_in_its_sentence_is_that_state(nlp: Any) -> None:
    """'the worst toll for Turkey since it sent troops': the country, not the group the story is about."""
    text = (
        "Ten Turkish soldiers were killed on Wednesday in fighting with Islamic State near al-Bab in Syria, "
        "the worst toll for Turkey since it sent troops into Syria in August."
    )
    assert _actor1_id(_by_trigger(nlp, text, "sent")) == "turkey-military"


def test_its_and_it_after_a_nearer_party_keep_the_usual_resolution(nlp: Any) -> None:
    """The guards: a possessive, or a party named between the country and the pronoun, leave it to salience."""
    text = "DEIR EZ-ZOR, Syria, Jan 15 - Islamic State launched one of its fiercest attacks on the army in Deir ez-Zor."
    assert _actor1_id(_by_trigger(nlp, text, "attacks")) == "islamic-state"


def test_it_acting_after_a_capital_named_in_its_sentence_is_that_government(nlp: Any) -> None:
    text = (
        "Islamic State fighters attacked the city of Deir ez-Zor in Syria last week. "
        "Damascus did the one thing it could do: it flew men in."
    )
    assert _actor1_id(_by_trigger(nlp, text, "flew")) == "syria-government"


HASAKAH_STRIKE = (
    "Islamic State fighters attacked army posts around Hasakah this week. The government's grip on the city has "
    "been weak since a Turkish air strike hit army bunkers on a hill above it in March. The Syrian army's lines "
    "have been thin ever since, as the Turkish air strike broke its defences."
)


def test_a_definite_retelling_by_the_same_doer_takes_the_earlier_strikes_target_and_date(nlp: Any) -> None:
    """'the Turkish air strike' names again the March strike on the army: not a new strike on the story's group,
    nor one of this week."""
    strikes = [m for m in _mentions(nlp, HASAKAH_STRIKE) if m.trigger.text == "air strike"]
    assert len(strikes) == 2
    told, retold = strikes
    assert retold.actor2 is not None and retold.actor2.id == told.actor2.id == "syria-military"
    assert retold.date is not None and told.date is not None
    assert (
        (retold.date.start, retold.date.end)
        == (told.date.start, told.date.end)
        == (date(2024, 3, 1), date(2024, 3, 31))
    )


def test_a_definite_strike_by_another_doer_is_not_a_retelling(nlp: Any) -> None:
    """The guard: a Russian air strike after a Turkish one is its own happening, with its own target."""
    text = HASAKAH_STRIKE.replace("as the Turkish air strike", "as the Russian air strike")
    retold = [m for m in _mentions(nlp, text) if m.trigger.text == "air strike"][-1]
    assert retold.date is not None and not (retold.date.rule or "").startswith("refers back")


def test_a_speakers_description_names_no_party_of_the_plan(nlp: Any) -> None:
    """'said the officer, a volunteer who may not speak for the coalition that includes Hezbollah': who the
    speaker is says nothing about whom the group means to fight."""
    text = (
        "Islamic State fighters attacked Syrian army posts in Deir ez-Zor last week. "
        '"They intend to seize the town soon," said the officer, a Lebanese volunteer who spoke on condition of '
        "anonymity because he is not allowed to speak for the coalition that includes Hezbollah and "
        "Iranian-backed militias."
    )
    m = _by_trigger(nlp, text, "seize")
    assert _actor1_id(m) == "islamic-state"
    assert m.actor2 is not None and m.actor2.id == "syria-military"


def test_a_defence_does_not_make_the_defender_the_one_who_cut_the_airport_off(nlp: Any) -> None:
    """'the army has beaten back the assaults, but with the airport still cut off': the cut is the attackers',
    and the defence stays a happening of its own."""
    text = (
        "Islamic State fighters attacked army posts in Deir ez-Zor on Monday. Officials say that the army has "
        "beaten back new assaults by the jihadists, but that with the town's main airport still cut off from the "
        "rest of the garrison the mood is grim."
    )
    cut = _by_trigger(nlp, text, "cut off")
    assert cut.sub_event_type == "Non-state actor overtakes territory"
    assert _actor1_id(cut) == "islamic-state"
    assert cut.actor2 is not None and cut.actor2.id == "syria-military"
    assert _actor1_id(_by_trigger(nlp, text, "beaten back")) == "syria-military"


def test_a_definite_strike_by_the_same_doer_elsewhere_is_not_a_retelling(nlp: Any) -> None:
    """The guard: 'the Turkish air strike on Qamishli' after the March strike on Hasakah is another strike."""
    text = HASAKAH_STRIKE.replace("as the Turkish air strike broke", "as the Turkish air strike on Qamishli broke")
    told, retold = [m for m in _mentions(nlp, text) if m.trigger.text == "air strike"]
    assert retold.place is not None and told.place is not None and retold.place.id != told.place.id
    assert retold.date is not None and not (retold.date.rule or "").startswith("refers back")
