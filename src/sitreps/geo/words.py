"""English words that tell a phrase is not a transliterated place name, so loose (normalised, fuzzy) matching stays off."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from sitreps.geo.normalise import fold

__all__ = [
    "DETERMINERS",
    "ENGLISH_WORDS",
    "FEATURE_NOUNS",
    "GENERIC_HEADS",
    "GENERIC_WORDS",
    "NEVER",
    "STOPLIST",
    "lone_generic_head",
    "loose_match_allowed",
    "read_stoplist",
]

DETERMINERS = frozenset(
    "the a this that these those its their his her our my your some any every each no another which whose".split()
)
"""Words that open a noun phrase ("The US", "This Week"): a place name after them is matched only as written.
"An" is handled apart, being also the Arabic article (An Nabk)."""

FEATURE_NOUNS = frozenset(
    """
    street st road rd avenue ave boulevard blvd lane drive highway square plaza bridge park garden gardens
    inn hotel motel restaurant cafe bar club church cathedral mosque temple synagogue chapel school college
    university academy institute hospital clinic centre center mall market store museum library gallery
    theatre theater stadium arena hall tower building house palace station terminal port harbour harbor
    airport company corporation inc ltd group bank agency ministry department office embassy consulate
    council committee court prison jail police army force forces navy command defense defence security
    news times post press media network party union league association foundation fund county township parish
    """.split()
)
"""Common English nouns of buildings, streets and organisations: a phrase holding one ("Christopher Inn",
"US Defense") names a thing, and fuzzing the noun away turns it into an unrelated village."""

ENGLISH_WORDS = frozenset(
    """
    i he she it we they you him them me his her its our their my your who what which why how this that
    or and but if then so by for from in into on onto to with without will would can could should shall must
    might was were is are be been has have had do does did not said says say told reported added according also
    however meanwhile earlier later there here where when while after before during since until
    president minister general colonel captain major sergeant lieutenant commander governor mayor senator
    mr mrs ms dr sir official officials people world republic republican democrat democratic national
    international united nations government state states coalition troops fighters rebels militants regime
    opposition brigade battalion division report reports source sources spokesman spokeswoman
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tomorrow week month year
    """.split()
)
"""Function words, titles and news words: in a multi-word phrase they mark English prose, not a place name."""

GEO_NOUNS = frozenset(
    """
    lake river mount mountain mountains peninsula delta point island islands bay gulf sea ocean valley hill hills
    desert coast beach canal field fields rue via calle township county parish ward barangay
    """.split()
)
"""Generic geographic nouns: with one, a phrase names a feature, not a transliterated settlement."""

GENERIC_WORDS = (
    FEATURE_NOUNS
    | GEO_NOUNS
    | frozenset(
        "north south east west central upper lower new old great saint st royal federal republic kingdom city town village"
        " capital".split()
    )
)
"""Words that are parts of many names and, alone, mean no one place: never the place inside a longer name."""

GENERIC_HEADS = frozenset(
    """
    dayr deir dair der tell tel tal tall ain ayn ein bir jabal jebel jbel jabel jebal wadi kafr kfar kefr ras
    khirbet khirbat khirba kherbet umm um abu bayt beit bait qasr kasr qalaat qalat qala nahr marj
    mazraat mazraa sheikh shaykh sidi
    """.split()
)
"""Arabic generic heads ("monastery", "hill", "spring", "well", "mountain", "valley", "village", "cape", "ruin",
"mother", "father" …) that open thousands of names: alone they are a fragment of a longer name ("Dayr" from
"Dayr az Zawr"), so they match only a place whose own name they are, never by transliteration key or fuzzily."""


def lone_generic_head(folded: str) -> bool:
    """A single generic head word ("Dayr", "Tell"). With an article it is a town's name (al-Bab, At Tall)."""
    return folded in GENERIC_HEADS


_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,5}$")


def read_stoplist() -> tuple[frozenset[str], frozenset[str]]:
    """The packaged stoplist (folded): every listed word, and the [never] section alone."""
    text = resources.files("sitreps.geo").joinpath("data", "stoplist.txt").read_text(encoding="utf-8")
    soft: set[str] = set()
    never: set[str] = set()
    target = soft
    for line in text.splitlines():
        line = line.strip()
        if line == "[never]":
            target = never
        elif line and not line.startswith("#"):
            target.add(fold(line))
    return frozenset(soft | never), frozenset(never)


STOPLIST, NEVER = read_stoplist()
"""STOPLIST: frequent words, titles and person names; NEVER: words never taken as places (In May, On Saturday)."""


def generic_phrase(folded: str) -> bool:
    """A determiner and generic words only ("the city", "the capital"): a reference back, no name."""
    words = folded.split()
    return (
        len(words) > 1 and words[0] in DETERMINERS and all(w in GENERIC_WORDS or w in ENGLISH_WORDS for w in words[1:])
    )


@lru_cache(maxsize=100_000)
def loose_match_allowed(name: str) -> bool:
    """Whether a name may match by transliteration key or fuzzily, not only as written.

    Loose keys drop Arabic articles and merge vowels, so English phrases collapse onto village names
    ("The US" → "ta", "US Defense" → "dafans"). A phrase that opens with a determiner, holds an acronym
    (US, UN), a generic geographic or building noun (Gulf, County, Inn) or a common English word, or is a
    lone stoplisted word, is English, not a transliteration: it matches only as written.
    """
    words = fold(name).split()
    if not words:
        return False
    if words[0] in DETERMINERS:
        return False
    if words[0] == "an" and len(words) > 1 and not words[1].startswith("n"):
        return False  # English "An Army …"; the Arabic article assimilates: An Nabk, An Najaf
    if len(words) > 1 and any(w.isupper() and _ACRONYM.match(w) for w in name.replace("-", " ").split()):
        return False
    if not FEATURE_NOUNS.isdisjoint(words) or not GEO_NOUNS.isdisjoint(words):
        return False
    if len(words) == 1 and words[0] in STOPLIST:
        return False  # a lone common word or first name (State, Will) is not a transliteration
    if len(words) == 1 and lone_generic_head(words[0]):
        return False  # "Dayr" alone is a fragment, not a spelling of Dar'a
    return len(words) == 1 or ENGLISH_WORDS.isdisjoint(words)
