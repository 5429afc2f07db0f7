"""Turn one cluster of mentions into the `Event` the output contract describes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sitreps.fuse import disagree
from sitreps.fuse.confidence import event_confidence
from sitreps.fuse.corroborate import corroborate
from sitreps.fuse.types import DocInfo
from sitreps.model import Event, Mention, Modality


def event_id(first_mention_id: str) -> str:
    """An event's id: its first mention's id (by date, document, offset), the same whatever the add order."""
    return f"ev_{first_mention_id}"


def _modality(mentions: Sequence[Mention]) -> Modality:
    mods = {m.modality for m in mentions}
    for mod in ("asserted", "hedged"):
        if mod in mods:
            return mod
    rest = [m for m in mentions if m.modality in ("planned", "threatened")]
    if rest:
        best, _ = disagree.vote(rest, lambda m: m.modality)
        return best
    return "negated"


def build_event(mentions: Sequence[Mention], docs: Mapping[str, DocInfo]) -> Event:
    """Fuse an ordered cluster (first mention first) into an Event: votes, disagreements, corroboration.

    Type, sub-type and action are weighted votes (confidence x modality); modality is asserted if any mention
    asserts it; evidence is the heaviest mention's; attribution the most common source as first written.
    """
    corr = corroborate(mentions, docs)
    (et, sub), _ = disagree.vote(mentions, lambda m: (m.event_type, m.sub_event_type))
    with_action = [m for m in mentions if m.action]
    action = disagree.vote(with_action, lambda m: m.action)[0] if with_action else None
    a1, n1 = disagree.actor(mentions, "actor1")
    a2, n2 = disagree.actor(mentions, "actor2")
    place, np_ = disagree.place(mentions)
    when, nd = disagree.when(mentions)
    fat = disagree.fatalities(mentions, corr.outlet_of)
    notes = [n for n in (n1, n2, np_, nd) if n]
    if fat.min is not None and fat.min != fat.max:
        notes.append(f"fatalities: {fat.min}-{fat.max} (best {fat.best}, {len(fat.by_mention)} figures)")
    if corr.status == "disputed":
        deniers = sorted({corr.outlet_of[m.id] for m in mentions if m.modality == "negated"})
        notes.append("denied by: " + ", ".join(deniers))
    best_m = max(enumerate(mentions), key=lambda im: (round(disagree.weight(im[1]), 9), -im[0]))[1]
    attributed = [m for m in mentions if m.attribution]
    attribution = None
    if attributed:
        src = Counter(corr.source_of[m.id] for m in attributed).most_common(1)[0][0]
        forms = [m.attribution for m in attributed if m.attribution and corr.source_of[m.id] == src]
        attribution = max(forms, key=lambda s: (len(s), s))
    published = [d.published for d in (docs.get(m.document_id) for m in mentions) if d and d.published]
    conf = event_confidence(mentions, corr.n_outlets, corr.n_sources, place, when, corr.status == "disputed")
    return Event(
        id=event_id(mentions[0].id),
        event_type=et,
        sub_event_type=sub,
        action=action,
        actor1=a1,
        actor2=a2,
        place=place,
        date=when,
        fatalities=fat,
        modality=_modality(mentions),
        mentions=[m.id for m in mentions],
        documents=sorted({m.document_id for m in mentions}),
        outlets=corr.outlets,
        n_mentions=len(mentions),
        n_outlets=corr.n_outlets,
        n_sources=corr.n_sources,
        status=corr.status,
        confidence=conf,
        first_reported=min(published) if published else None,
        attribution=attribution,
        evidence=best_m.evidence,
        disagreements=notes,
    )
