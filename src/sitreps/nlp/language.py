"""Cheap language identification from stopword ratios and scripts, so non-English text is skipped, not misread."""

from __future__ import annotations

import re
from functools import lru_cache

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in a is that for on was with by as at from it his are were said has have be this an which".split()
    ),
    "fr": frozenset(
        "le la les de des et est un une du en que qui dans pour par sur au aux pas ont avec ce il elle".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es sie wurde".split()
    ),
    "es": frozenset("el la los las de y en que un una por con para del se al es lo su como más fue han".split()),
    "it": frozenset("il la le di e che un una per con del della dei non sono è nel alla gli da al".split()),
    "pt": frozenset("o a os as de e que um uma do da dos das em para com por não se no na foi".split()),
    "nl": frozenset("de het een en van in is op dat die te met voor niet zijn aan er ook werd".split()),
    "tr": frozenset("ve bir bu da de ile için olarak çok daha olan ama gibi en ne".split()),
}
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
    ("fa", re.compile(r"[\u06A9\u06AF\u067E\u0686]")),
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, *, sample_chars: int = 4000) -> str:
    """Guess the language of text: an ISO 639-1 code, or "und" when too short to tell.

    Why: the English model parses other languages into confident nonsense; a stopword-ratio test over
    the first few thousand characters costs microseconds and needs no extra package. Cached by sample, as the
    pipeline asks about each document twice (before the parse, and again when extracting).
    """
    return _detect(text[:sample_chars])


@lru_cache(maxsize=128)
def _detect(sample: str) -> str:
    letters = sum(1 for c in sample if c.isalpha())
    if letters == 0:
        return "und"
    for code, rx in _SCRIPTS:
        if len(rx.findall(sample)) > letters * 0.3:
            return "fa" if code == "ar" and len(_SCRIPTS[-1][1].findall(sample)) > letters * 0.01 else code
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 4:
        return "und"
    scores = {code: sum(1 for w in words if w in stops) / len(words) for code, stops in _STOPWORDS.items()}
    best = max(scores, key=lambda c: scores[c])
    if scores[best] < 0.08:
        return "en" if len(words) < 12 else "und"
    return best
