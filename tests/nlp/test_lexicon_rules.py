"""Lexicon behaviours on invented sentences: phrasal triggers split by their object, place subjects, aircraft doers."""

from __future__ import annotations

from sitreps.nlp import extract_text


def test_extract_text_cut_road_split_by_object_is_territory() -> None:
    ms = extract_text("Kurdish fighters cut the main roads between the two towns in Syria on Monday.")
    cut = [m for m in ms if m.trigger.text.startswith("cut")]
    assert cut and cut[0].event_type == "Battles" and cut[0].action == "siege"


def test_extract_text_fall_with_place_subject_without_to() -> None:
    ms = extract_text("The town of Qaryatain in Syria fell on Sunday after a week of fighting.")
    assert any(m.trigger.text == "fell" for m in ms)
    assert not any(m.trigger.text == "fell" for m in extract_text("Oil prices fell on Sunday."))


def test_extract_text_warplanes_struck_is_air_strike() -> None:
    ms = extract_text("Russian warplanes struck positions near the town of Raqqa in Syria on Sunday.")
    hit = [m for m in ms if m.trigger.text == "struck"]
    assert hit and hit[0].sub_event_type == "Air/drone strike"


def test_extract_text_took_control_of_a_centre_is_capture() -> None:
    ms = extract_text("Rebel fighters took control of the town centre of Jisr al-Shughur in Syria on Sunday.")
    assert any(m.action == "capture" for m in ms)


def test_extract_text_string_of_villages_is_a_place_object() -> None:
    ms = extract_text("The rebels have taken a string of villages in Syria since Monday.")
    assert any(m.action == "capture" for m in ms)


def test_extract_text_siege_since_a_year_is_a_state_not_a_happening() -> None:
    ms = extract_text("The town of Madaya in Syria has been besieged by the army since 2015.")
    assert not any(m.action == "siege" for m in ms)


def test_extract_text_avoided_encirclement_is_not_a_happening() -> None:
    ms = extract_text("The troops pulled back from Palmyra in Syria on Sunday to avoid being encircled.")
    assert not any(m.trigger.text == "encircled" for m in ms)


def test_extract_text_strikes_and_killed_is_one_mention() -> None:
    text = "Russian warplanes carried out dozens of strikes on Palmyra in Syria and killed about 300 militants."
    ms = extract_text(text)
    assert len(ms) == 1 and ms[0].fatalities == 300


def test_extract_text_doerless_mention_takes_the_earlier_doer_of_its_kind() -> None:
    text = (
        "Islamic State fighters captured the town of Palmyra in Syria on Sunday. "
        "Residents said the town's capture came after a week of fighting."
    )
    caps = [m for m in extract_text(text) if m.trigger.text == "capture"]
    assert caps and caps[0].actor1 is not None and caps[0].actor1.id == "islamic-state"


def test_extract_text_around_the_town_is_precision_two() -> None:
    text = "Islamic State fighters captured Palmyra in Syria on Sunday. Russian jets struck positions around the city."
    hit = [m for m in extract_text(text) if m.trigger.text == "struck"]
    assert hit and hit[0].place is not None and hit[0].place.geo_precision == 2


def test_extract_text_strike_needs_an_armed_subject() -> None:
    assert not any(m.trigger.text == "strike" for m in extract_text("Passers-by had to strike a deal with the vendor."))


def test_extract_text_death_folded_into_a_folded_device_is_kept() -> None:
    from sitreps.nlp.extract import default_pipeline

    doc = default_pipeline()("The general died after a roadside bomb exploded under his convoy near Deir ez-Zor.")
    merged = [h for m in doc._.sitreps_mentions for h in m.merged]
    assert any(doc[h].text == "died" for h in merged) or any(doc[m.head].text == "died" for m in doc._.sitreps_mentions)


def test_extract_text_fighting_noun_repeating_the_verb_is_one_mention() -> None:
    text = "The assault began on Monday, when Islamic State fighters overran army checkpoints near Palmyra in Syria."
    ms = extract_text(text)
    assert [m.trigger.text for m in ms] == ["overran"]


def test_extract_text_fleeing_alone_is_no_mention() -> None:
    assert extract_text("Thousands of residents fled toward Homs in Syria on Sunday.") == []


def test_extract_text_time_of_a_participle_clause_is_not_the_triggers() -> None:
    from datetime import date

    text = "Rebels said on Thursday they had captured Al Bab, a goal of Operation Euphrates Shield, launched in August."
    caps = [m for m in extract_text(text, published=date(2017, 2, 23)) if m.trigger.text == "captured"]
    assert caps and caps[0].date is not None and caps[0].date.start != date(2016, 8, 1)


def test_extract_text_coordinated_verbs_share_a_year() -> None:
    from datetime import date

    text = "In 2015, the group blew up the temple in Palmyra, Syria, and killed the site's archaeologist."
    ms = [m for m in extract_text(text, published=date(2017, 1, 20)) if m.trigger.text == "killed"]
    assert ms and ms[0].date is not None and ms[0].date.start is not None and ms[0].date.start.year == 2015


def test_extract_text_the_attack_names_the_last_strike_again() -> None:
    text = (
        "US warplanes carried out an air strike on army positions near Deir ez-Zor in Syria on Saturday. "
        "Officials said the attack was a mistake."
    )
    again = [m for m in extract_text(text) if m.trigger.text == "attack"]
    assert again and again[0].sub_event_type == "Air/drone strike"


def test_extract_text_lost_to_is_the_other_sides_capture() -> None:
    ms = extract_text("Islamic State lost Palmyra in Syria to the Syrian army in March.")
    lost = [m for m in ms if m.trigger.text == "lost"]
    assert lost and lost[0].actor1 is not None and lost[0].actor1.id == "syria-military"
    assert lost[0].sub_event_type == "Government regains territory"


def test_extract_text_purpose_of_a_fight_is_part_of_it() -> None:
    text = "Turkish troops have been fighting for weeks to drive Islamic State out of Al Bab in Syria."
    assert [m.trigger.text for m in extract_text(text)] == ["fighting"]


def test_extract_text_supplies_reaching_a_town_is_no_advance() -> None:
    assert not any(m.trigger.text == "reach" for m in extract_text("Supplies reach the town of Deir ez-Zor by air."))


def test_extract_text_joint_air_strikes_take_the_foreign_air_force() -> None:
    ms = extract_text(
        "Syrian and Russian warplanes struck Islamic State positions around Deir ez-Zor in Syria on Sunday."
    )
    hit = [m for m in ms if m.trigger.text == "struck"]
    assert hit and hit[0].actor1 is not None and hit[0].actor1.id == "russia-military"


def test_extract_text_acronym_is_read_as_a_verb_stays_the_doer() -> None:
    ms = extract_text("Islamic State attacked Deir ez-Zor in Syria. IS also shelled the neighbourhoods of the city.")
    shelled = [m for m in ms if m.trigger.text == "shelled"]
    assert shelled and shelled[0].actor1 is not None and shelled[0].actor1.id == "islamic-state"


def test_extract_text_lowercase_article_town_is_a_place() -> None:
    text = "Turkish troops clashed with Islamic State fighters around al-Bab in northern Syria on Wednesday."
    ms = [m for m in extract_text(text) if m.place is not None]
    assert ms and ms[0].place is not None and ms[0].place.name == "Al Bāb"


def test_extract_text_capital_as_doer_is_its_government() -> None:
    ms = extract_text("Damascus has sent a new general to take command of the defence of Deir ez-Zor in Syria.")
    sent = [m for m in ms if m.trigger.text == "sent"]
    assert sent and sent[0].actor1 is not None and sent[0].actor1.id == "syria-government"


def test_extract_text_fighting_for_weeks_spans_the_month_before() -> None:
    from datetime import date

    text = "Rebels attacked al-Bab in Syria on Wednesday. They have been trying to storm the town for weeks."
    ms = [m for m in extract_text(text, published=date(2016, 12, 21)) if m.trigger.text == "storm"]
    assert ms and ms[0].date is not None and ms[0].date.start == date(2016, 11, 21)


def test_extract_text_engaged_in_battles_is_the_fighter() -> None:
    ms = extract_text("The Syrian army was engaged in fierce battles with Islamic State around Deir ez-Zor in Syria.")
    eng = [m for m in ms if m.trigger.text == "engaged"]
    assert eng and eng[0].actor1 is not None and eng[0].actor1.id == "syria-military"


def test_extract_text_future_condition_is_no_happening() -> None:
    text = "The army said it would launch a counterattack on Palmyra in Syria once reinforcements arrived."
    assert not any(m.trigger.text == "reinforcements" for m in extract_text(text))


def test_extract_text_passive_hit_by_shells_is_shelling_and_by_drones_an_air_strike() -> None:
    """The passive names the weapon in its agent: the weapon decides the type, as it does for a subject."""
    shells = [
        m
        for m in extract_text("Three farmers were hit by rebel mortar shells near Idlib in Syria.")
        if m.trigger.text == "hit"
    ]
    assert shells and shells[0].sub_event_type == "Shelling/artillery/missile attack"
    drones = [
        m
        for m in extract_text("A fuel convoy was hit by drones near Idlib in Syria on Sunday.")
        if m.trigger.text == "hit"
    ]
    assert drones and drones[0].sub_event_type == "Air/drone strike"
    plain = [
        m
        for m in extract_text("A fuel convoy was hit by gunmen near Idlib in Syria on Sunday.")
        if m.trigger.text == "hit"
    ]
    assert plain and plain[0].event_type != "Explosions/Remote violence"


def test_extract_text_suicide_car_bomb_attacks_is_a_suicide_bombing() -> None:
    ms = extract_text(
        "The insurgents launched two suicide truck bomb attacks on an army checkpoint near Hama in Syria."
    )
    assert any(m.sub_event_type == "Suicide bomb" for m in ms)
    plain = extract_text("The insurgents launched two attacks on an army checkpoint near Hama in Syria.")
    assert plain and not any(m.sub_event_type == "Suicide bomb" for m in plain)


def test_extract_text_air_assault_and_troops_flown_behind_lines_are_airdrops() -> None:
    """Air-landed troops for an assault are coded as an airdrop (docs/annotation.md); a plain troop flight stays a
    reinforcement."""
    behind = extract_text("Helicopters flew hundreds of rebel fighters behind government lines near Hama in Syria.")
    assert [(m.trigger.text, m.action) for m in behind] == [("flew", "airdrop")]
    assault = extract_text(
        "An army spokesman said the air assault was carried out with helicopters near Hama in Syria."
    )
    assert [(m.trigger.text, m.sub_event_type, m.action) for m in assault] == [
        ("air assault", "Change to group/activity", "airdrop")
    ]
    plain = extract_text("The army flew fresh troops into Hama in Syria by helicopter this week.")
    assert [m.action for m in plain] == ["reinforcement"]
