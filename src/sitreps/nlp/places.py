"""Where a mention happened: the place phrase tied to its trigger, resolved against the document's places."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from spacy.tokens import Doc

from sitreps.kb.triggers import TriggerLexicon
from sitreps.model import Place
from sitreps.nlp import resolve
from sitreps.nlp.components import MentionData
from sitreps.nlp.context import LOCAL_KINDS, DocContext
from sitreps.nlp.roles import FACILITY_NOUNS, PLACE_NOUNS, Arg


def _last_place(ctx: DocContext, before: int) -> Place | None:
    best = None
    for start, place in ctx.place_mentions:
        if start < before and (place.kind or "") != "country":
            best = place
    return best


def _place(arg: Arg | None, doc: Doc, ctx: DocContext) -> tuple[Place | None, str | None]:
    if arg is None:
        return None, None
    head = doc[arg.head]
    if arg.kind == "place" and head.pos_ != "PRON" and head.lower_ not in ("it", "there"):
        place = resolve.resolve_place(arg.text, ctx.geo)
        if place is not None:
            return replace(place, text=arg.text, start=None, end=None), arg.text
    if (
        arg.kind in ("definite-place", "pronoun", "place")
        or head.lower_ == "there"
        or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children)
    ):
        prev = _last_place(ctx, arg.start)
        if prev is not None:
            if head.lemma_.lower() in FACILITY_NOUNS:
                fac = resolve.resolve_place(f"{prev.name} {head.lemma_.lower()}", ctx.geo)
                if fac is not None:
                    return replace(fac, text=arg.text, reason="context: " + (fac.reason or "facility")), arg.text
                return replace(
                    prev, text=arg.text, geo_precision=max(prev.geo_precision, 2), reason="context: part of last place"
                ), arg.text
            return replace(prev, text=arg.text, reason="context: last place named"), arg.text
    return None, arg.text


NEAR_WORDS = frozenset(
    "around near outside outskirts edge edges between approaches surrounding toward towards "
    "overlooking vicinity periphery".split()
)
SUBSITE_NOUNS = frozenset(
    "airport airbase base road roads highway position positions neighbourhood neighbourhoods neighborhood "
    "neighborhoods district districts hill hills citadel theatre theater square dam checkpoint checkpoints "
    "village villages field fields ruins temple monument site street streets "
    "quarter quarters suburb suburbs silo silos mountain mountains cemetery cemeteries".split()
)
"""Words that put a sentence's happening near or in a part of its town, not at the town itself."""


def _near_or_part(sent: Any, place: Place, lex: TriggerLexicon) -> bool:
    """Whether the sentence places its happening near the town or in a part of it (precision 2): 'around the
    city', 'west of Raqqa', 'the road between X and Y', 'army positions', 'the neighbourhoods of X'."""
    words = [t.lower_ for t in sent]
    if any(t.lower_ in NEAR_WORDS and (t.pos_ == "ADP" or t.tag_ == "NNS") for t in sent):
        return True
    if any(w in lex.compass and nxt == "of" for w, nxt in pairwise(words)):
        return True
    name_words = set(place.name.lower().split()) | set((place.text or "").lower().split())
    return any(w in SUBSITE_NOUNS and w not in name_words for w in words)


REGION_NOUNS = frozenset({"countryside", "province", "governorate", "region", "hinterland", "desert"})
"""'the Aleppo countryside', 'the western countryside of Raqqa': an area around the town (precision 3)."""


def _region_of(sent: Any, place: Place) -> bool:
    """Whether the sentence names the place only as the anchor of a region around it ('countryside of Raqqa')."""
    names = {w for w in f"{place.name} {place.text or ''}".lower().replace("-", " ").split() if len(w) > 3}
    for t in sent:
        if t.lemma_ not in ("countryside", "hinterland"):
            continue
        anchors = [c for c in t.children if c.dep_ == "compound"]
        anchors += [g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        if any(set(a.text.lower().replace("-", " ").split()) & names for a in anchors):
            return True
    return False


def _sentence_place(ctx: DocContext, sentence: tuple[int, int], head: int) -> Place | None:
    """A place the trigger's sentence names, when the parse tied none to the trigger: the sentence is about where
    it says, before the document's main place. A town nearest the trigger wins over a province, a province over
    the country; places abroad (another country than the conflict's) are passed over."""
    s0, s1 = sentence
    doc = ctx.doc
    best: tuple[int, int, Place] | None = None
    for start, place in ctx.own_places:
        if not s0 <= start < s1 or doc is None:
            continue
        if ctx.country is not None and place.country not in (None, ctx.country):
            continue
        root = doc[start]
        while root.head.i != root.i and root.head.ent_iob_ == "I" and root.head.ent_type_ == root.ent_type_:
            root = root.head
        gov = root.head
        if root.dep_ in ("nsubj", "nsubjpass", "poss") or (
            root.dep_ == "pobj"
            and (gov.lower_ == "from" or (gov.lower_ == "of" and gov.head.lemma_ not in PLACE_NOUNS))
        ):
            # 'Damascus has sent', 'reinforcements from Raqqa', 'the governor of Homs': not where it happened
            continue
        kind = place.kind or ""
        region = root.dep_ in ("compound", "amod") and gov.lemma_ in REGION_NOUNS
        rank = (
            2 if kind == "country" else 1 if region or kind in ("admin1", "region") or place.geo_precision >= 3 else 0
        )
        key = (rank, abs(start - head))
        if best is None or key < best[:2]:
            best = (*key, place)
    if best is None or best[0] == 2:
        return None
    return replace(best[2], reason=f"sentence: {best[2].reason}")


def _fallback_place(ctx: DocContext) -> Place | None:
    """Where a sentence that names no place happened: a dateline town inside the conflict country, else the
    document's main place (news places what it reports in the locality it is about, as ACLED coders do)."""
    return ctx.dateline or ctx.main_place


def event_place(md: MentionData, doc: Doc, ctx: DocContext, lex: TriggerLexicon) -> tuple[Place | None, str | None]:
    """Where one mention happened and the place phrase the parse tied to it: the attached phrase, else a place its
    sentence names, else the dateline or the document's main place; precision widened for 'near X' and 'the
    countryside of X'."""
    place, place_text = _place(md.place, doc, ctx)
    if place is None:
        place = _sentence_place(ctx, md.sentence, md.head)
    if place is None:
        fb = _fallback_place(ctx)
        place = replace(fb, text=fb.text) if fb is not None else None
    sent = doc[md.sentence[0] : md.sentence[1]]
    if (
        place is not None
        and place.geo_precision == 1
        and (place.kind or "") in LOCAL_KINDS | {"city", "town", "village"}
        and _near_or_part(sent, place, lex)
    ):
        place = replace(place, geo_precision=2)
    if place is not None and place.geo_precision < 3 and _region_of(sent, place):
        place = replace(place, geo_precision=3)
    return place, place_text
