"""Time phrases found in text and normalised against the publication date (ACLED precision 1-4)."""

from sitreps.when.find import find_and_normalise
from sitreps.when.normalise import NEEDS_PUBLISHED, Resolution, default_date, normalise, resolve
from sitreps.when.phrases import find_time_expressions
from sitreps.when.timex import duration_value, timex_value

__all__ = [
    "NEEDS_PUBLISHED",
    "Resolution",
    "default_date",
    "duration_value",
    "find_and_normalise",
    "find_time_expressions",
    "normalise",
    "resolve",
    "timex_value",
]
