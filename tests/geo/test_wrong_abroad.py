"""Issue #4: places an analyst would spot as wrong at once: common lower-case words read as a capitalised
gazetteer name (the south bank → South Bank, England), and a town the text places in one country resolved to
a namesake in another (the Somali town of Mahas → Jordan). Sentences are our own."""

from __future__ import annotations

import pytest

from sitreps.geo import GeoContext, find_places, resolve, resolve_phrase

SYRIA_STORY = (
    "Rebel units dug in along the south bank of the river near Raqqa, while government troops held the front "
    "north of Tabqa in Syria. Shelling near the border crossing went on all night."
)
LONDON_STORY = (
    "Police closed several streets near the South Bank in London on Friday after a suspicious package was "
    "found close to the river."
)


def _ctx(text: str) -> GeoContext:
    ctx = GeoContext.from_text(text)
    find_places(text, context=ctx)
    return ctx


# --- lower-case common words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase", ["south bank", "the south bank", "the south bank of the river", "the front", "the bank", "the border"]
)
def test_lower_case_common_words_in_a_syria_story_never_give_a_place_abroad(phrase: str) -> None:
    got = resolve_phrase(phrase, context=_ctx(SYRIA_STORY))
    assert got is not None and got.country == "SY", (phrase, got)
    assert got.reason is not None and got.reason.startswith("document focus")


@pytest.mark.parametrize("phrase", ["south bank", "the front", "the bank"])
def test_lower_case_common_words_without_the_fallback_are_no_place(phrase: str) -> None:
    assert resolve_phrase(phrase, context=_ctx(SYRIA_STORY), fallback=False) is None
    assert resolve(phrase, context=_ctx(SYRIA_STORY)) is None


def test_lower_case_words_in_a_syria_story_are_not_found_as_places() -> None:
    names = {p.name for p in find_places(SYRIA_STORY) if p.id}
    assert "South Bank" not in names and all(p.country == "SY" for p in find_places(SYRIA_STORY) if p.id)


def test_capitalised_south_bank_in_a_london_story_still_resolves() -> None:
    found = [p for p in find_places(LONDON_STORY) if p.text.endswith("South Bank")]
    assert len(found) == 1 and found[0].name == "South Bank" and found[0].country == "GB"
    got = resolve_phrase("the South Bank", context=_ctx(LONDON_STORY))
    assert got is not None and got.name == "South Bank" and got.country == "GB" and got.geo_precision == 1


def test_lower_case_type_nouns_and_directions_keep_their_place() -> None:
    ctx = _ctx(SYRIA_STORY)
    province = resolve_phrase("Raqqa province", context=ctx)
    assert province is not None and province.kind == "admin1" and province.country == "SY"
    region = resolve_phrase("northeastern Syria", context=ctx)
    assert region is not None and region.country == "SY" and region.geo_precision == 3


def test_lower_case_query_without_a_document_still_resolves() -> None:
    """The rule reads prose; a name typed in lower case at the command line has no capitals to compare."""
    got = resolve_phrase("aleppo")
    assert got is not None and got.country == "SY"


# --- a town the text places in a named country ----------------------------------------------------------------

SOMALIA_STORY = (
    "Militants overran an army post in the Somali town of Mahas on Sunday, a district official told reporters "
    "by telephone. Troops later regained the post."
)


@pytest.mark.parametrize(
    "text",
    [
        SOMALIA_STORY,
        "Two soldiers were hurt when gunmen attacked a checkpoint in Mahas, Somalia, late on Tuesday.",
        "Clan fighters clashed around Mahas in central Somalia overnight, elders said.",
    ],
)
def test_town_placed_in_somalia_is_not_its_namesake_in_jordan(text: str) -> None:
    got = [p for p in find_places(text) if p.text.endswith("Mahas")]
    assert len(got) == 1 and got[0].country == "SO", got
    assert got[0].geo_precision == 3 and got[0].reason is not None and "not in gazetteer" in got[0].reason


@pytest.mark.parametrize("phrase", ["the Somali town of Mahas", "Mahas, Somalia"])
def test_phrase_naming_the_country_stays_at_that_country(phrase: str) -> None:
    got = resolve_phrase(phrase, context=_ctx(SOMALIA_STORY))
    assert got is not None and got.country == "SO" and got.geo_precision == 3
    assert got.reason is not None and "Mahas not in gazetteer" in got.reason


def test_town_placed_in_jordan_still_resolves_in_jordan() -> None:
    text = "Gunmen stormed a police post in the Jordanian town of Mahis on Monday, officials in Amman said."
    got = [p for p in find_places(text) if p.text == "Mahis"]
    assert len(got) == 1 and got[0].country == "JO" and got[0].geo_precision == 1
    phrase = resolve_phrase("the Jordanian town of Mahis", context=_ctx(text))
    assert phrase is not None and phrase.country == "JO" and phrase.geo_precision == 1


def test_town_that_is_in_the_named_country_keeps_its_point() -> None:
    got = resolve_phrase("the Syrian town of Tabqa", context=_ctx(SYRIA_STORY))
    assert got is not None and got.country == "SY" and got.geo_precision == 1


def test_a_list_of_places_is_not_read_as_town_then_country() -> None:
    """ "Saipan, Guam, Alaska" names three places; Guam is not Saipan's country."""
    text = "The envoy flew on to Saipan, Guam, Alaska and Hawaii over the week."
    got = [p for p in find_places(text) if p.text == "Saipan"]
    assert len(got) == 1 and got[0].country == "MP" and got[0].geo_precision == 1


def test_namesake_abroad_far_from_every_other_place_gives_way_to_the_story() -> None:
    text = "The convoy drove from Kismayo to Mahas, Baidoa and Garowe last week."
    mahas = [p for p in find_places(text) if p.text == "Mahas"]
    assert len(mahas) == 1 and mahas[0].country == "SO", mahas
    assert mahas[0].reason is not None and mahas[0].reason.startswith("document focus")
    assert mahas[0].geo_precision >= 2


def test_namesake_in_a_country_the_story_names_keeps_its_point() -> None:
    text = "Officials in Amman said the convoy reached Mahis before dawn, far from Kismayo."
    mahis = [p for p in find_places(text) if p.text == "Mahis"]
    assert len(mahis) == 1 and mahis[0].country == "JO" and mahis[0].geo_precision == 1


def test_sizeable_town_abroad_in_a_country_the_story_never_names_gives_way_to_the_story() -> None:
    """Not only villages: a town of some thousands in a country the story never names, far from every place
    it does name, is a worse guess than the story's own locality."""
    text = "Officials in Beledweyne and Mogadishu said the attack on the base had been repelled."
    got = resolve_phrase("Mahas", context=_ctx(text))
    assert got is not None and got.country == "SO" and got.geo_precision >= 2
    assert got.reason is not None and got.reason.startswith("document focus") and "(JO)" in got.reason


def test_sizeable_town_in_a_country_the_story_names_keeps_its_point() -> None:
    text = "Officials in Beledweyne and Mogadishu said Jordanian envoys had left for home."
    got = resolve_phrase("Mahis", context=_ctx(text))
    assert got is not None and got.country == "JO" and got.geo_precision == 1


def test_a_surname_after_the_full_name_is_the_person_not_a_town() -> None:
    text = "Team principal Mark Dunbar watched from the pit wall in England. Dunbar said the car was fast."
    assert [p.name for p in find_places(text)] == ["England"]


def test_a_town_sharing_a_surname_still_counts_after_a_place_cue() -> None:
    text = (
        "Team principal Mark Dunbar watched from the pit wall in England. Dunbar said the car was fast. "
        "Later the team drove to Dunbar, in Scotland."
    )
    found = [(p.name, p.country) for p in find_places(text)]
    assert ("Dunbar", "GB") in found and found.count(("Dunbar", "GB")) == 1


def test_a_town_named_twice_is_no_surname() -> None:
    found = find_places("The band played in Dunbar, East Lothian. Dunbar welcomed them.")
    assert [p.name for p in found].count("Dunbar") == 2


@pytest.mark.parametrize(
    ("name", "text", "admin1"),
    [
        (
            "Lima",
            "Lima is a city in and the county seat of Allen County, Ohio. It lies along Interstate 75, about "
            "72 miles north of Dayton and 78 miles south-southwest of Toledo.",
            "Ohio",
        ),
        ("Moscow", "Moscow is a small city in Latah County, Idaho, a few miles east of Pullman.", "Idaho"),
        ("Paris", "Paris is the county seat of Lamar County, Texas, some 100 miles northeast of Dallas.", "Texas"),
    ],
)
def test_a_namesake_of_a_world_city_set_beside_towns_the_story_names_is_that_namesake(
    name: str, text: str, admin1: str
) -> None:
    ctx = GeoContext.from_text(text)
    find_places(text, context=ctx)
    p = resolve_phrase(name, context=ctx)
    assert p is not None and p.country == "US" and p.admin1 == admin1


def test_a_world_city_named_in_a_story_on_far_off_towns_of_another_country_stays_the_world_city() -> None:
    text = "Fans in Los Angeles and Houston watched the final, which was played in London."
    ctx = GeoContext.from_text(text)
    places = find_places(text, context=ctx)
    assert [p.country for p in places if p.text == "London"] == ["GB"]


def test_a_demonym_after_a_place_cue_is_no_unlisted_place() -> None:
    assert [p.text for p in find_places("The town fell into Syrian hands after the siege.")] == []


@pytest.mark.parametrize(
    ("text", "kind", "country"),
    [
        ("Storms hit Atlanta and Savannah, Georgia officials said.", "admin1", "US"),
        ("Russian troops crossed into Georgia near Tbilisi in 2008.", "country", "GE"),
        ("Georgia held elections on Saturday.", "country", "GE"),
    ],
)
def test_georgia_is_the_state_or_the_country_by_the_story_s_other_places(text: str, kind: str, country: str) -> None:
    georgia = next(p for p in find_places(text) if p.text == "Georgia")
    assert (georgia.kind, georgia.country) == (kind, country)
