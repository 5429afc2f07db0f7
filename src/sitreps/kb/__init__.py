"""sitreps.kb room: the event ontology, the trigger lexicon and the actor KB (see design.md)."""

from __future__ import annotations

from sitreps.kb.ontology import ActionTag, Ontology, load_ontology
from sitreps.kb.triggers import Condition, Frame, TriggerEntry, TriggerLexicon, load_triggers

__all__ = [
    "ActionTag",
    "Condition",
    "Frame",
    "Ontology",
    "TriggerEntry",
    "TriggerLexicon",
    "load_ontology",
    "load_triggers",
]
