"""Casualty counts from digits, number words and vague quantities ("at least 80", "dozens", "two soldiers")."""

from __future__ import annotations

import re

from spacy.tokens import Token

NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS.update(
    {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "a": 1,
        "an": 1,
        "dozen": 12,
    }
)
VAGUE: dict[str, int] = {
    "several": 3,
    "few": 3,
    "some": 3,
    "number": 3,
    "handful": 3,
    "many": 10,
    "numerous": 10,
    "dozens": 12,
    "dozen": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
}
"""Vague quantities, coded as ACLED does: 'several'/'a few' → 3, 'dozens' → 12, 'scores' → 20, 'hundreds' → 100."""
_MULT = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


def number_value(tok: Token) -> int | None:
    """The integer a number token states ('12', 'twelve', '1,200', 'dozens'), or None."""
    low = tok.lower_
    if _DIGITS.match(low):
        value = int(low.replace(",", ""))
    elif low in NUMBER_WORDS and low not in ("a", "an"):
        value = NUMBER_WORDS[low]
    elif low in VAGUE:
        return VAGUE[low]
    elif "-" in low and all(p in NUMBER_WORDS for p in low.split("-")):
        value = sum(NUMBER_WORDS[p] for p in low.split("-"))
    else:
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in _MULT:
        value *= _MULT[nxt.lower_]
    return value


def count_of(victim: Token) -> int | None:
    """The count a victim phrase states: its nummod ('12 civilians'), itself ('killing 12'), or 'dozens of people'."""
    value = number_value(victim)
    if value is not None and (victim.like_num or victim.lower_ in VAGUE):
        return value
    for child in victim.children:
        if child.dep_ in ("nummod", "amod", "quantmod") and (child.like_num or child.lower_ in VAGUE):
            v = number_value(child)
            if v is not None:
                return v
        if (
            child.dep_ == "det"
            and child.lower_ in ("a", "an")
            and victim.lemma_.lower() in ("civilian", "soldier", "fighter", "man", "woman", "child", "person")
        ):
            return 1
    head = victim.head
    if victim.dep_ == "pobj" and head.lower_ == "of" and (head.head.lower_ in VAGUE or head.head.like_num):
        return number_value(head.head)
    return None
