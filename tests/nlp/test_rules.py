"""Rules on hand-built parses: casualty counts, modality and language detection."""

from __future__ import annotations

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
