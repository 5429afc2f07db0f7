"""Reading raw bytes safely: size caps, unreadable paths, binary detection and decoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from sitreps.errors import InputError

_SNIFF = 8192
_TEXT_CONTROLS = {7, 8, 9, 10, 12, 13, 27}


def human_size(n: int) -> str:
    """Bytes as a short human figure (7.2 MB), for messages people read."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB".replace(".0 MB", " MB")
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB".replace(".0 kB", " kB")
    return f"{n} bytes"


def too_big(source: str, size: int, max_bytes: int, what: str = "file") -> InputError:
    """The one oversize message, shared by files, stdin and downloads."""
    return InputError(
        source,
        f"{what} is {human_size(size)}, over the {human_size(max_bytes)} limit",
        "raise ingest.max_bytes (e.g. --set ingest.max_bytes=20000000) or split the input",
    )


def read_path_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file whole, refusing what cannot be read or is too big, with the reason.

    Raises:
        InputError: missing, not a regular file, permission denied, other OS error, or over max_bytes.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(source, "not a regular file", "pass a file, a folder, a URL or - for stdin")
        if size > max_bytes:
            raise too_big(source, size, max_bytes)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError as e:
        raise InputError(
            source, "no such file or folder", "check the path (it is relative to the current folder)"
        ) from e
    except PermissionError as e:
        raise InputError(source, "permission denied", "make the file readable (chmod +r) or run as its owner") from e
    except IsADirectoryError as e:
        raise InputError(
            source, "is a folder where a file was expected", "pass the folder itself to read it recursively"
        ) from e
    except OSError as e:
        raise InputError(source, f"cannot be read ({e.strerror or e})", "check the disk and the path") from e
    if len(data) > max_bytes:
        raise too_big(source, len(data), max_bytes)
    return data


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: NUL bytes, or many control bytes, in the first 8 kB.

    Why: a PDF, image or archive dropped into a news folder must be reported as such, not
    decoded as cp1252 gibberish and sent through the NLP pipeline.
    """
    head = data[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    return controls / len(head) > 0.05


def decode_bytes(data: bytes, source: str, *, fallback: str = "cp1252", declared: str | None = None) -> str:
    """Decode text bytes: BOM or declared charset, then UTF-8, then the fallback encoding.

    Why: news exports are mostly UTF-8, older ones Windows-1252; trying UTF-8 first is safe
    because valid UTF-8 is almost never accidental, and cp1252 maps nearly every byte.

    Raises:
        InputError: binary content, or bytes no encoding tried can decode.
    """
    if looks_binary(data):
        raise InputError(
            source,
            "not a text file (binary content)",
            "pass text, HTML, JSON Lines, CSV or a feed; remove it or narrow --glob",
        )
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(source, f"broken UTF-16 text ({e.reason})", "re-save the file as UTF-8") from e
    tried: list[str] = []
    for enc in (declared, "utf-8", fallback):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(
        source,
        f"cannot decode the text (tried {', '.join(tried)})",
        "re-save the file as UTF-8 or check it is really text",
    )
