"""place_role on hand-built parses: what a named place is to its clause decides how much it counts."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from sitreps.nlp.context import place_role

VOCAB = spacy.blank("en").vocab


def _doc(rows: list[tuple[str, int, str, str, str]]) -> Doc:
    """Rows of (word, head index, dep, pos, lemma)."""
    words, heads, deps, pos, lemmas = (list(x) for x in zip(*rows, strict=True))
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


@pytest.mark.parametrize(
    ("rows", "place", "role"),
    [
        (  # 'reinforcements from Kherson'
            [("reinforcements", 0, "ROOT", "NOUN", "reinforcement"), ("from", 0, "prep", "ADP", "from"),
             ("Kherson", 1, "pobj", "PROPN", "Kherson")],
            2, "source",
        ),
        (  # 'pushed them back from Kherson'
            [("pushed", 0, "ROOT", "VERB", "push"), ("them", 0, "dobj", "PRON", "they"),
             ("back", 0, "advmod", "ADV", "back"), ("from", 0, "prep", "ADP", "from"),
             ("Kherson", 3, "pobj", "PROPN", "Kherson")],
            4, "where",
        ),
        (  # 'the governor of Kherson'
            [("the", 1, "det", "DET", "the"), ("governor", 1, "ROOT", "NOUN", "governor"),
             ("of", 1, "prep", "ADP", "of"), ("Kherson", 2, "pobj", "PROPN", "Kherson")],
            3, "attribute",
        ),
        (  # 'fled toward Aden'
            [("fled", 0, "ROOT", "VERB", "flee"), ("toward", 0, "prep", "ADP", "toward"),
             ("Aden", 1, "pobj", "PROPN", "Aden")],
            2, "destination",
        ),
        (  # 'the approaches to Aden'
            [("the", 1, "det", "DET", "the"), ("approaches", 1, "ROOT", "NOUN", "approach"),
             ("to", 1, "prep", "ADP", "to"), ("Aden", 2, "pobj", "PROPN", "Aden")],
            3, "reference",
        ),
        (  # 'west of the city of Aden': the place takes the role of 'the city'
            [("west", 0, "ROOT", "ADV", "west"), ("of", 0, "prep", "ADP", "of"), ("the", 3, "det", "DET", "the"),
             ("city", 1, "pobj", "NOUN", "city"), ("of", 3, "prep", "ADP", "of"),
             ("Aden", 4, "pobj", "PROPN", "Aden")],
            5, "reference",
        ),
        (  # 'the road between Kherson and Mykolaiv'
            [("the", 1, "det", "DET", "the"), ("road", 1, "ROOT", "NOUN", "road"),
             ("between", 1, "prep", "ADP", "between"), ("Kherson", 2, "pobj", "PROPN", "Kherson"),
             ("and", 3, "cc", "CCONJ", "and"), ("Mykolaiv", 3, "conj", "PROPN", "Mykolaiv")],
            5, "reference",
        ),
        (  # 'to isolate Kherson': the aim of a plan
            [("to", 1, "aux", "PART", "to"), ("isolate", 1, "ROOT", "VERB", "isolate"),
             ("Kherson", 1, "dobj", "PROPN", "Kherson")],
            2, "goal",
        ),
        (  # 'shelled Kherson'
            [("shelled", 0, "ROOT", "VERB", "shell"), ("Kherson", 0, "dobj", "PROPN", "Kherson")],
            1, "where",
        ),
    ],
)  # fmt: skip
def test_places_role_of_a_named_place(rows: list[tuple[str, int, str, str, str]], place: int, role: str) -> None:
    assert place_role(_doc(rows)[place]) == role


def test_places_role_of_a_capital_that_acts_is_agent_not_scene() -> None:
    doc = _doc(
        [("Kyiv", 1, "nsubj", "PROPN", "Kyiv"), ("sent", 1, "ROOT", "VERB", "send"),
         ("troops", 1, "dobj", "NOUN", "troop")]
    )  # fmt: skip
    assert place_role(doc[0], "capital") == "agent"
    assert place_role(doc[0], "town") == "where"
