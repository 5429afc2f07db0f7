"""sitreps: news reports about armed conflict in; a sourced, geolocated, dated event log out."""

from __future__ import annotations

from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitreps.model import Mention

try:
    __version__ = version("sitreps")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"


def extract(
    text: str, *, published: date | None = None, outlet: str | None = None, model: str = "en_core_web_sm"
) -> list[Mention]:
    """Event mentions in one text, resolved against `published` (see `sitreps.pipeline.extract`).

    Imported lazily so `import sitreps` stays instant for users of the model types only.
    """
    from sitreps.pipeline import extract as _extract

    return _extract(text, published=published, outlet=outlet, model=model)


__all__ = ["__version__", "extract"]
