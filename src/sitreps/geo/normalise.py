"""Name keys that make the many transliterations of one toponym meet (Deir ez-Zor = Dayr az Zawr = Deir Ezzor)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby

__all__ = ["ARTICLES", "fold", "is_latin", "norm", "skeleton", "strip_article"]

APOSTROPHES = "ʿʾ'’`‘ʼʻ´′"
"""ʿayn, hamza and the apostrophes writers use for them: all dropped."""

ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ud",
        "ar",
        "er",
        "ur",
        "as",
        "es",
        "us",
        "az",
        "ez",
        "uz",
        "at",
        "et",
        "ut",
        "an",
        "en",
        "un",
        "ash",
        "esh",
        "ush",
        "ath",
        "eth",
        "adh",
        "edh",
    ]
)
"""Forms of the Arabic article as transliterated (al-, el-, ad-, ez-, ash- …): dropped from keys."""

_SUN = "tdrzsn"
_APOS_RE = re.compile(f"[{APOSTROPHES}]")
_PUNCT_RE = re.compile(r"[^\w]+")

# Whole-token spellings that letter rules cannot bring together; keys are already letter-normalised.
_TOKEN_CANON = {
    "dair": "dar",
    "dir": "dar",
    "zawr": "zur",
    "zaur": "zur",
    "zuar": "zur",
}

# Letter rules, applied in this order to an ASCII, lower-case, article-free token (see `_letters`):
# dj→j; tsch/tch/ch→sh; ph→f, th→t, dh→d; ck, q, c→k; ee, ie (before a consonant or at the end)→i;
# oo, ou, ow (likewise)→u; a final h after a vowel dropped; ei/ey/ay/ai→ai; e→a, o→u; y before a
# consonant or at the end→i; doubled letters single. Plain replacements and translate tables where a rule
# needs no context: several times faster than a regex, and _letters runs once per distinct token.
_CQ = str.maketrans({"c": "k", "q": "k"})
_EO = str.maketrans({"e": "a", "o": "u"})
_EE_RE = re.compile(r"ee|ie(?=[^aeiou]|$)")
_OO_RE = re.compile(r"oo|ou|ow(?=[^aeiou]|$)")
_AI_RE = re.compile(r"ei|ey|ay|ai")
_Y_RE = re.compile(r"y(?=[^aeiou]|$)")


_ASCII_FOLD = {
    **{ord(c): " " for c in map(chr, range(128)) if not (c.isalnum() or c in APOSTROPHES)},
    **{ord(c): None for c in APOSTROPHES if c.isascii()},
}
"""ASCII punctuation → space, ASCII apostrophes dropped: `fold` for plain-ASCII names without regexes."""


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Light key: case, diacritics, apostrophes, hyphens and spaces folded; spelling kept.

    Two names with the same fold are the same written name ("Al Bāb" = "al-Bab").
    """
    if name.isascii():  # the common case: no marks to strip, and translate beats two regex passes
        return " ".join(name.lower().translate(_ASCII_FOLD).split())
    s = _strip_marks(name).casefold()
    s = _APOS_RE.sub("", s)
    s = _PUNCT_RE.sub(" ", s).replace("_", " ")
    return " ".join(s.split())


def is_latin(name: str) -> bool:
    """True when a name's folded form is plain ASCII, so it can appear in English text."""
    f = fold(name)
    return bool(f) and f.isascii()


def strip_article(token: str) -> str:
    """Drop an Arabic article from one folded token ("ezzor" → "zor", "al" → "")."""
    if token in ARTICLES:
        return ""
    # An article glued to a doubled sun letter: Ezzor, Azzor, Arraqqa, Assukhnah.
    if len(token) > 4 and token[0] in "ae" and token[1] in _SUN and token[2] == token[1]:
        return token[2:]
    return token


@lru_cache(maxsize=100_000)
def _letters(token: str) -> str:
    t = token
    if "j" in t:
        t = t.replace("dj", "j")
    if "c" in t:
        t = t.replace("tsch", "sh").replace("tch", "sh").replace("ch", "sh")
    if "h" in t:
        t = t.replace("ph", "f").replace("th", "t").replace("dh", "d")
    if "c" in t or "q" in t:
        t = t.replace("ck", "k").translate(_CQ)  # no "ch" is left by now, so every c is hard
    if "e" in t:
        t = _EE_RE.sub("i", t)
    if "o" in t:
        t = _OO_RE.sub("u", t)
    if len(t) > 1 and t[-1] == "h" and t[-2] in "aeiou":
        t = t[:-1]
    if "i" in t or "y" in t:
        t = _AI_RE.sub("ai", t)
    t = t.translate(_EO)
    if "y" in t:
        t = _Y_RE.sub("i", t)
    t = "".join([k for k, _ in groupby(t)])  # doubled letters single (tokens hold word characters only)
    if len(t) > 2 and t.endswith("a") and t[-2] not in "aiu":
        t = t[:-1]
    return _TOKEN_CANON.get(t, t)


@lru_cache(maxsize=200_000)
def norm(name: str) -> str:
    """Aggressive key that makes transliterations meet: articles dropped, vowels, q/k, th/t, dj/j, sh/ch merged.

    It over-merges on purpose (Raqqa = Rakka = Raqqah = Raqa); resolution ranks candidates by context
    and population, and exact spellings are tried first, so the merge costs little.
    """
    tokens = fold(name).split()
    if len(tokens) > 1:
        kept = [strip_article(t) for t in tokens]
        tokens = [t for t in kept if t] or tokens
    elif tokens:
        tokens = [strip_article(tokens[0]) or tokens[0]]
    return "".join([_letters(t) for t in tokens])


_VOWELS = str.maketrans("", "", "aeiou")


def skeleton(key: str) -> str:
    """Consonants of a normalised key ("darzur" → "drzr"): vowels vary across transliterations, consonants less."""
    return key.translate(_VOWELS)
