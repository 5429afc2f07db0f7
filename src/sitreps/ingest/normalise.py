"""Text normalisation and the document id, so one report read from any source gets one id."""

from __future__ import annotations

import re
import unicodedata

from sitreps.model import stable_id

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00ad": "",
    }
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_LINE_EDGES = re.compile(r" *\n *")


def normalise_text(text: str) -> str:
    """Put text into one canonical form: NFC, plain quotes and dashes, single spaces, paragraphs kept.

    Why: the same wire story arrives with curly or straight quotes, em dashes or hyphens,
    CRLF or LF line ends and stray zero-width characters; the id and the near-duplicate
    shingles must not change with any of that. Paragraph breaks (a blank line) survive
    so downstream sentence splitting still sees them.
    """
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def document_id(text: str) -> str:
    """The document id: 16 hex characters of sha256 over the normalised text.

    Why: re-ingesting the same report (from a file, a feed or a URL) must be a no-op,
    so the id depends on the words only, never on where they came from.
    """
    return stable_id(normalise_text(text))
