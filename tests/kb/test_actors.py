"""Tests for the actor KB: bundled data coverage, alias resolution, user files, validation errors, patterns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitreps.errors import ConfigError
from sitreps.kb.actors import KINDS, ActorKB, default_actor_kb, load_actors, normalise

UN_MEMBERS = 193


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return default_actor_kb()


@pytest.fixture(scope="module")
def patterns(kb: ActorKB) -> list[dict[str, Any]]:
    return kb.patterns()


FIXED = [
    ("ISIS", "islamic-state"),
    ("IS", "islamic-state"),
    ("ISIL", "islamic-state"),
    ("Daesh", "islamic-state"),
    ("Da'esh", "islamic-state"),
    ("Da’esh", "islamic-state"),
    ("the Islamic State group", "islamic-state"),
    ("Islamic State", "islamic-state"),
    ("IS militants", "islamic-state"),
    ("Daesh fighters", "islamic-state"),
    ("ISIS forces", "islamic-state"),
    ("the Syrian army", "syria-military"),
    ("Syrian Arab Army", "syria-military"),
    ("SAA", "syria-military"),
    ("regime forces", "syria-military"),
    ("Syrian troops", "syria-military"),
    ("Syrian government forces", "syria-military"),
    ("Syrian regime forces", "syria-military"),
    ("Assad forces", "syria-military"),
    ("Syria's army", "syria-military"),
    ("the Syrian military", "syria-military"),
    ("the Syrian regime", "syria-government"),
    ("Syrian government", "syria-government"),
    ("Russian warplanes", "russia-military"),
    ("Russian jets", "russia-military"),
    ("the Russian air force", "russia-military"),
    ("Russian forces", "russia-military"),
    ("Russian bombers", "russia-military"),
    ("US special forces", "united-states-military"),
    ("U.S. special forces", "united-states-military"),
    ("US warplanes", "united-states-military"),
    ("American troops", "united-states-military"),
    ("the Pentagon", "united-states-military"),
    ("US-led coalition", "us-led-coalition"),
    ("U.S.-led coalition", "us-led-coalition"),
    ("the coalition", "us-led-coalition"),
    ("anti-IS coalition", "us-led-coalition"),
    ("Combined Joint Task Force", "us-led-coalition"),
    ("the US-led alliance", "us-led-coalition"),
    ("SDF", "syrian-democratic-forces"),
    ("Kurdish-led forces", "syrian-democratic-forces"),
    ("US-backed forces", "syrian-democratic-forces"),
    ("Syrian Democratic Forces", "syrian-democratic-forces"),
    ("People's Protection Units", "ypg"),
    ("YPG", "ypg"),
    ("Kurdish YPG", "ypg"),
    ("HTS", "hayat-tahrir-al-sham"),
    ("Hay'at Tahrir al-Sham", "hayat-tahrir-al-sham"),
    ("Jabhat Fateh al-Sham", "hayat-tahrir-al-sham"),
    ("Nusra Front", "hayat-tahrir-al-sham"),
    ("al-Nusra", "hayat-tahrir-al-sham"),
    ("JFS", "hayat-tahrir-al-sham"),
    ("FSA", "free-syrian-army"),
    ("Turkish-backed rebels", "free-syrian-army"),
    ("Turkish-backed Syrian rebel groups", "free-syrian-army"),
    ("Euphrates Shield rebels", "free-syrian-army"),
    ("Syrian National Army", "free-syrian-army"),
    ("Turkish troops", "turkey-military"),
    ("Turkish army", "turkey-military"),
    ("Turkish warplanes", "turkey-military"),
    ("TSK", "turkey-military"),
    ("Hezbollah", "hezbollah"),
    ("Hizbollah", "hezbollah"),
    ("Hizbullah", "hezbollah"),
    ("IRGC", "iran-military"),
    ("Revolutionary Guards", "iran-military"),
    ("Iranian forces", "iran-military"),
    ("NDF", "national-defence-forces"),
    ("Iraqi army", "iraq-military"),
    ("Iraqi forces", "iraq-military"),
    ("ISF", "iraq-military"),
    ("PMF", "popular-mobilization-forces"),
    ("Hashd al-Shaabi", "popular-mobilization-forces"),
    ("PMU", "popular-mobilization-forces"),
    ("civilians", "civilians"),
    ("residents", "civilians"),
    ("villagers", "civilians"),
    ("people", "civilians"),
    ("al-Shabaab", "al-shabaab"),
    ("al-Shabab", "al-shabaab"),
    ("Shabaab fighters", "al-shabaab"),
    ("Houthis", "houthis"),
    ("Ansar Allah", "houthis"),
    ("RSF", "rapid-support-forces"),
    ("Tatmadaw", "myanmar-military"),
    ("South Sudanese troops", "south-sudan-military"),
    ("Sudanese army", "sudan-military"),
]


@pytest.mark.parametrize(("text", "actor_id"), FIXED)
def test_match_resolves_fixed_aliases(kb: ActorKB, text: str, actor_id: str) -> None:
    ref = kb.match(text)
    assert ref is not None, text
    assert ref.id == actor_id
    assert ref.text == text
    assert ref.name == kb.actors[actor_id].name
    assert ref.kind == kb.actors[actor_id].kind


def test_match_fills_kind_side_and_country(kb: ActorKB) -> None:
    ref = kb.match("the Syrian army")
    assert ref is not None
    assert (ref.name, ref.kind, ref.country) == ("Military Forces of Syria", "state-forces", "SY")
    assert kb.actors["civilians"].kind == "civilians"


@pytest.mark.parametrize(
    "text", ["militants", "jihadists", "gunmen", "rebels", "the army", "government forces", "Is", "Hama", ""]
)
def test_match_leaves_generic_phrases_unresolved(kb: ActorKB, text: str) -> None:
    assert kb.match(text) is None


@pytest.mark.parametrize("text", ["pro-Russian forces", "Iranian-backed forces", "Islamic State-linked militants"])
def test_match_does_not_read_backing_as_identity(kb: ActorKB, text: str) -> None:
    assert kb.match(text) is None


@pytest.mark.parametrize(
    ("text", "country", "actor_id"),
    [
        ("government forces", "SY", "syria-military"),
        ("pro-government forces", "SY", "syria-military"),
        ("the army", "SD", "sudan-military"),
        ("police", "KE", "kenya-police"),
        ("the authorities", "IQ", "iraq-government"),
        ("the coalition", "YE", "saudi-led-coalition"),
        ("coalition warplanes", "YE", "saudi-led-coalition"),
        ("al-Shabaab", "MZ", "islamic-state-mozambique"),
        ("al-Shabaab", "SO", "al-shabaab"),
        ("Kurdish forces", "IQ", "peshmerga"),
        ("Kurdish forces", "SY", "syrian-democratic-forces"),
        ("SNA", "SO", "somalia-military"),
        ("SNA", "SY", "free-syrian-army"),
        ("ADF", "CM", "ambazonia-separatists"),
        ("ADF", "CD", "allied-democratic-forces"),
    ],
)
def test_match_uses_country_context(kb: ActorKB, text: str, country: str, actor_id: str) -> None:
    ref = kb.match(text, country=country)
    assert ref is not None
    assert ref.id == actor_id


def test_kb_has_military_government_and_police_for_every_un_member(kb: ActorKB) -> None:
    members = [s for s in kb.states.values() if s.un_member]
    assert len(members) == UN_MEMBERS
    for state in members:
        for role in ("military", "government", "police"):
            assert f"{state.slug}-{role}" in kb, state.slug
    assert {"united-kingdom", "saudi-arabia", "south-sudan", "norway"} <= set(kb.states)
    assert kb.states["norway"].iso2 == "NO"


def test_kb_has_at_least_150_groups_and_valid_kinds(kb: ActorKB) -> None:
    state_ids = {f"{s}-{r}" for s in kb.states for r in ("military", "government", "police")}
    groups = [a for a in kb if a.id not in state_ids and a.kind not in ("civilians", "protesters")]
    assert len(groups) >= 150
    assert all(a.kind in KINDS for a in kb)
    assert all(a.parent is None or a.parent in kb for a in kb)


@pytest.mark.parametrize(
    ("text", "country", "actor_id"),
    [
        ("Damascus government", "SY", "syria-government"),
        ("Kyiv forces", "UA", "ukraine-military"),
        ("Sudan forces", "SD", "sudan-military"),
        ("Bakhmut government", "UA", None),
        ("Blinken regime", "SY", None),
        ("Tessit forces", "ML", None),
    ],
)
def test_match_exact_resolves_whole_aliases_and_demonyms_only(
    kb: ActorKB, text: str, country: str, actor_id: str | None
) -> None:
    ref = kb.match_exact(text, country)
    assert (ref.id if ref is not None else None) == actor_id


def test_match_exact_refuses_what_match_finds_inside_a_guess(kb: ActorKB) -> None:
    assert kb.match("Bakhmut government", "UA") is not None  # 'government' alone is the country's government
    assert kb.match_exact("Bakhmut government", "UA") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [("SDF", "US special forces"), ("Turkish-backed rebels", "Turkish troops")],
)
def test_backers_and_the_groups_they_back_are_not_opposed(a: str, b: str) -> None:
    from sitreps.nlp import resolve

    ra, rb = resolve.match_actor(a), resolve.match_actor(b)
    assert ra is not None and rb is not None
    assert not resolve.opposed(ra, rb)
    assert not resolve.opposed(rb, ra)


def test_normalise_folds_spelling_variants() -> None:
    assert normalise("U.S.-led Coalition's") == normalise("US-led coalition")
    assert normalise("Da’esh") == normalise("Daesh")
    assert normalise("the IS group") == "IS group"
    assert normalise("is") == "is"


def test_load_actors_user_file_adds_actor_and_alias(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "actors:\n"
        "  - id: river-brigade\n"
        "    name: River Brigade\n"
        "    kind: political-militia\n"
        "    country: SY\n"
        "    aliases: [Liwa al-Nahr, river fighters]\n"
        "  - id: islamic-state\n"
        "    aliases: [Tanzim]\n",
        encoding="utf-8",
    )
    kb = load_actors([user])
    ref = kb.match("Liwa al-Nahr")
    assert ref is not None
    assert (ref.id, ref.kind, ref.country) == ("river-brigade", "political-militia", "SY")
    tanzim = kb.match("Tanzim fighters")
    assert tanzim is not None
    assert tanzim.id == "islamic-state"


def _error(tmp_path: Path, text: str) -> ConfigError:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_actors([bad])
    return info.value


def test_load_actors_rejects_unknown_key_with_line(tmp_path: Path) -> None:
    err = _error(tmp_path, "actors:\n  - id: x-group\n    name: X\n    kind: rebel-group\n    alias: [X]\n")
    assert err.source == f"{tmp_path / 'bad.yaml'}:5"
    assert "alias" in err.reason
    assert "aliases" in err.reason


def test_load_actors_rejects_bad_kind_listing_choices(tmp_path: Path) -> None:
    err = _error(tmp_path, "actors:\n  - id: x-group\n    name: X\n    kind: terrorists\n")
    assert err.source is not None
    assert err.source.endswith("bad.yaml:4")
    assert "terrorists" in err.reason
    assert "rebel-group" in err.reason


def test_load_actors_rejects_duplicate_id(tmp_path: Path) -> None:
    err = _error(
        tmp_path,
        "actors:\n  - {id: x-group, name: X, kind: rebel-group}\n  - {id: x-group, name: Y, kind: rebel-group}\n",
    )
    assert err.source is not None
    assert err.source.endswith("bad.yaml:3")
    assert "duplicate" in err.reason


def test_load_actors_rejects_alias_of_another_actor(tmp_path: Path) -> None:
    err = _error(tmp_path, "actors:\n  - {id: x-group, name: X, kind: rebel-group, aliases: [Daesh]}\n")
    assert err.source is not None
    assert err.source.endswith("bad.yaml:2")
    assert "islamic-state" in err.reason


def test_load_actors_rejects_missing_name_and_unknown_parent(tmp_path: Path) -> None:
    err = _error(tmp_path, "actors:\n  - {id: x-group, kind: rebel-group}\n")
    assert "name" in err.reason
    err = _error(tmp_path, "actors:\n  - {id: x-group, name: X, kind: rebel-group, parent: nobody}\n")
    assert "nobody" in err.reason


def test_load_actors_reports_yaml_syntax_error_line(tmp_path: Path) -> None:
    err = _error(tmp_path, "actors:\n  - id: x-group\n    name: [unclosed\n    kind: rebel-group\n")
    assert err.source is not None
    assert err.source.rsplit(":", 1)[0] == str(tmp_path / "bad.yaml")
    assert int(err.source.rsplit(":", 1)[1]) >= 3
    assert "YAML" in err.reason


def test_load_actors_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_actors([tmp_path / "nope.yaml"])


SAMPLES = [
    "the US-led coalition attacked",
    "U.S.-led coalition jets struck",
    "Hay'at Tahrir al-Sham fighters",
    "People's Protection Units (YPG)",
    "al-Shabaab militants",
    "SPLM-IO forces",
    "Jama'at Nusrat al-Islam wal-Muslimin claimed",
    "the Kurdish-led SDF said",
    "IS fighters and Houthis",
]


def test_patterns_agree_with_spacy_tokenizer(patterns: list[dict[str, Any]]) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None})
    assert all(p["label"] == "ACTOR" for p in patterns)
    ruler.add_patterns(patterns)
    found = {text: [(e.text, e.ent_id_) for e in nlp(text).ents] for text in SAMPLES}
    assert ("US-led coalition", "us-led-coalition") in found[SAMPLES[0]]
    assert ("U.S.-led coalition", "us-led-coalition") in found[SAMPLES[1]]
    assert ("Hay'at Tahrir al-Sham", "hayat-tahrir-al-sham") in found[SAMPLES[2]]
    assert ("People's Protection Units", "ypg") in found[SAMPLES[3]]
    assert ("al-Shabaab militants", "al-shabaab") in found[SAMPLES[4]]
    assert ("SPLM-IO", "splm-io") in found[SAMPLES[5]]
    assert ("Jama'at Nusrat al-Islam wal-Muslimin", "jnim") in found[SAMPLES[6]]
    assert ("Kurdish-led SDF", "syrian-democratic-forces") in found[SAMPLES[7]]
    assert ("IS fighters", "islamic-state") in found[SAMPLES[8]]
    assert ("Houthis", "houthis") in found[SAMPLES[8]]
    assert [e.text for e in nlp("The city is quiet and it is calm.").ents] == []


def _pattern_tokens(pattern: list[dict[str, object]]) -> list[str]:
    out = []
    for d in pattern:
        value = d.get("LOWER", d.get("ORTH"))
        if isinstance(value, dict):
            value = value["IN"][0]
        out.append(str(value).lower())
    return out


@pytest.mark.parametrize(
    ("alias", "actor_id"),
    [
        ("US-led coalition", "us-led-coalition"),
        ("U.S.-led coalition", "us-led-coalition"),
        ("al-Qa'ida", "al-qaeda"),
        ("Da'esh", "islamic-state"),
        ("M23", "m23"),
        ("Turkish-backed rebels", "free-syrian-army"),
        ("Syrian Arab Army", "syria-military"),
    ],
)
def test_patterns_tokens_match_spacy_tokens(patterns: list[dict[str, Any]], alias: str, actor_id: str) -> None:
    spacy = pytest.importorskip("spacy")
    toks = [t.text.lower() for t in spacy.blank("en").tokenizer(alias)]
    ours = [_pattern_tokens(p["pattern"]) for p in patterns if p["id"] == actor_id]
    assert toks in ours


def test_patterns_acronyms_match_only_in_capitals() -> None:
    from sitreps.kb.actors import default_actor_kb

    pats = [p for p in default_actor_kb().patterns() if p["id"] == "lashkar-e-taiba" and len(p["pattern"]) == 1]
    specs = [p["pattern"][0] for p in pats]
    assert {"ORTH": {"IN": ["LeT"]}} in specs
    assert not any(s.get("LOWER") == "let" for s in specs)
