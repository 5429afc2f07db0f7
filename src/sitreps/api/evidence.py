"""Evidence for the drawer: mentions with their documents and highlight offsets inside each evidence sentence."""

from __future__ import annotations

import re
from typing import Any

from sitreps.model import Document, Mention


def _find(haystack: str, needle: str | None, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """First case-insensitive, word-bounded occurrence of `needle` that overlaps no span already taken."""
    if not needle or not needle.strip():
        return None
    pattern = re.compile(r"(?<!\w)" + re.escape(needle.strip()) + r"(?!\w)", re.IGNORECASE)
    for m in pattern.finditer(haystack):
        if all(m.end() <= a or m.start() >= b for a, b in taken):
            return m.start(), m.end()
    return None


def highlights(m: Mention) -> list[dict[str, Any]]:
    """Spans of the trigger, actors, place, date phrase and casualty count, relative to the evidence text.

    The trigger has document offsets; the other roles carry only their text, so they are located inside
    the sentence. Spans never overlap, which lets the page build the sentence from plain text nodes.
    """
    ev = m.evidence
    out: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    t0, t1 = m.trigger.start - ev.start, m.trigger.end - ev.start
    if 0 <= t0 < t1 <= len(ev.text):
        out.append({"kind": "trigger", "start": t0, "end": t1})
        taken.append((t0, t1))
    roles: list[tuple[str, str | None]] = [
        ("actor1", m.actor1.text if m.actor1 else None),
        ("actor2", m.actor2.text if m.actor2 else None),
        ("place", (m.place.text if m.place else None) or m.place_text),
        ("date", (m.date.text if m.date else None) or m.time_text),
        ("fatalities", str(m.fatalities) if m.fatalities is not None else None),
    ]
    for kind, text in roles:
        span = _find(ev.text, text, taken)
        if span:
            out.append({"kind": kind, "start": span[0], "end": span[1]})
            taken.append(span)
    out.sort(key=lambda h: int(h["start"]))
    return out


def mention_out(m: Mention, d: Document) -> dict[str, Any]:
    """One mention as the drawer shows it: contract JSON, highlights and the document header."""
    data = m.to_json()
    data.update(
        {
            "highlights": highlights(m),
            "document_id": d.id,
            "title": d.title,
            "outlet": d.outlet,
            "published": d.published.isoformat() if d.published else None,
            "url": d.url,
        }
    )
    return data
