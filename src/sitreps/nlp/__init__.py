"""sitreps.nlp room: the spaCy pipeline and the rules that turn sentences into typed, attributed event mentions."""

from __future__ import annotations

from sitreps.nlp import extensions as _extensions  # noqa: F401 - registers Doc extensions once
from sitreps.nlp.build import build_pipeline, load_model
from sitreps.nlp.components import MentionData
from sitreps.nlp.extract import default_pipeline, extract_mentions, extract_text
from sitreps.nlp.language import detect_language

__all__ = [
    "MentionData",
    "build_pipeline",
    "default_pipeline",
    "detect_language",
    "extract_mentions",
    "extract_text",
    "load_model",
]
