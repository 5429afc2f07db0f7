"""Independence of an event's reports: distinct outlets, distinct original sources, and the event's status.

Rules:
- A near-duplicate or syndicated copy counts as its original (follow `DocInfo.duplicate_of` to the root).
- Repeated reports from one outlet count once. A document with no outlet is its own outlet.
- `n_outlets` counts the independent outlets whose mention is not a denial (asserted, hedged, planned or
  threatened: each affirms at least the claim as it states it).
- `n_sources` counts the distinct sources behind those claims: the attribution, normalised so "the Syrian
  Observatory for Human Rights", "SOHR" and "the Observatory" are one; an unattributed mention's source is
  its outlet.
- Status: `disputed` when any mention denies it (negated), else `corroborated` with two or more independent
  outlets, else `single-source`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitreps.fuse.types import DocInfo
from sitreps.model import EventStatus, Mention

_MINOR = frozenset({"the", "of", "for", "and", "in", "on", "a", "an", "to", "at"})
_LEAD = re.compile(
    r"^(?:a |an |the )?(?:spokes(?:man|woman|person)|official|officials|source|sources) (?:for|of|at|from) "
)
_TOKEN = re.compile(r"[a-z0-9]+")


def origin(doc_id: str, docs: Mapping[str, DocInfo]) -> str:
    """The original document a copy stems from (itself when it is no copy); cycles stop where they loop."""
    seen = {doc_id}
    cur = doc_id
    while True:
        info = docs.get(cur)
        nxt = info.duplicate_of if info else None
        if not nxt or nxt in seen:
            return cur
        seen.add(nxt)
        cur = nxt


def outlet_key(doc_id: str, docs: Mapping[str, DocInfo]) -> str:
    """The independent outlet behind a document: its original's outlet, or the original itself when unnamed."""
    root = origin(doc_id, docs)
    for d in (root, doc_id):
        info = docs.get(d)
        if info and info.outlet:
            return info.outlet.strip().lower()
    return f"doc:{root}"


def _words(attribution: str) -> list[str]:
    text = _LEAD.sub("", attribution.strip().lower())
    return [w for w in _TOKEN.findall(text) if w not in {"the", "a", "an"}]


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w not in _MINOR)


def normalise_sources(attributions: Sequence[str]) -> dict[str, str]:
    """Map each attribution string to a canonical source key, merging acronyms and short forms.

    A short form joins the longest attribution it is part of: "SOHR" is the acronym of "Syrian Observatory for
    Human Rights", and "the Observatory" uses only words of it. Unrelated names stay apart.
    """
    forms = {a: _words(a) for a in attributions}
    fulls = sorted({" ".join(w) for w in forms.values() if w}, key=lambda s: (-len(s.split()), s))
    out: dict[str, str] = {}
    for a, words in forms.items():
        joined = " ".join(words)
        target = joined
        for full in fulls:
            fw = full.split()
            if len(fw) <= len(words):
                continue
            if (len(words) == 1 and words[0] == _acronym(fw)) or (set(words) <= set(fw) and len(fw) > 1):
                target = full
                break
        out[a] = target or a.strip().lower()
    return out


@dataclass(slots=True)
class Corroboration:
    """What independence says about an event."""

    outlets: list[str]
    n_outlets: int
    n_sources: int
    status: EventStatus
    source_of: dict[str, str]
    """Mention id -> canonical source key (normalised attribution, else `outlet:<outlet key>`)."""
    outlet_of: dict[str, str]
    """Mention id -> independent outlet key."""


def corroborate(mentions: Sequence[Mention], docs: Mapping[str, DocInfo]) -> Corroboration:
    """Count independent outlets and sources of an event's mentions and decide its status (module rules)."""
    canon = normalise_sources([m.attribution for m in mentions if m.attribution])
    outlet_of = {m.id: outlet_key(m.document_id, docs) for m in mentions}
    source_of = {m.id: canon[m.attribution] if m.attribution else f"outlet:{outlet_of[m.id]}" for m in mentions}
    names: set[str] = set()
    for m in mentions:
        info = docs.get(m.document_id)
        names.add(info.outlet if info and info.outlet else f"unknown outlet (document {m.document_id[:8]})")
    support = [m for m in mentions if m.modality != "negated"]
    n_outlets = len({outlet_of[m.id] for m in support})
    n_sources = len({source_of[m.id] for m in support})
    status: EventStatus
    if any(m.modality == "negated" for m in mentions):
        status = "disputed"
    elif n_outlets >= 2:
        status = "corroborated"
    else:
        status = "single-source"
    return Corroboration(sorted(names), n_outlets, n_sources, status, source_of, outlet_of)
