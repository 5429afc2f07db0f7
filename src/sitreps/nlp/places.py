"""Where a mention happened: the place phrase tied to its trigger, resolved against the document's places."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span

from sitreps.kb.triggers import TriggerLexicon
from sitreps.model import Place
from sitreps.nlp import extensions, resolve
from sitreps.nlp.components import MentionData
from sitreps.nlp.context import LOCAL_KINDS, DocContext
from sitreps.nlp.roles import FACILITY_NOUNS, PLACE_NOUNS, Arg

PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
LOCALITY_KINDS = frozenset({"city", "town", "village", "capital", "locality"})
FEATURE_KINDS = resolve.FEATURE_KINDS
SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "capital", "hamlet", "settlement", "port"})
AREA_NOUNS = frozenset({"province", "governorate"})
SITE_NOUNS = frozenset(
    "temple airport airbase base dam citadel castle theatre theater mosque shrine church monastery "
    "tomb arch bridge crossing camp museum prison".split()
)
"""Nouns that make a name part of a feature's name ('the temple of Bel', 'the Tabqa dam')."""
SALIENT_ROLES = frozenset({"where", "reference", "goal"})
COMPASS_WORD = re.compile(r"^(?:north|south|east|west)(?:-?(?:east|west))?(?:ern|wards?)?$")


def _ent_at(doc: Doc, i: int) -> Span | None:
    """The entity covering token i, if any."""
    return extensions.ent_at(doc, i)


def _usable(place: Place | None) -> bool:
    """A resolution that names the phrase's own place, not the geo room's guess from the document."""
    return place is not None and not (place.reason or "").startswith("document focus")


def _phrase_text(arg: Arg, doc: Doc) -> str:
    """The arg's text widened to whole place entities and a following 'province'/'airport', without a
    leading country possessive ('Syria's Deir ez-Zor province' → 'Deir ez-Zor province')."""
    start, end = arg.start, arg.end
    for i in range(arg.start, arg.end):
        ent = _ent_at(doc, i)
        if ent is not None and ent.label_ in PLACE_ENTS:
            start, end = min(start, ent.start), max(end, ent.end)
    if end < len(doc) and doc[end].lower_ in AREA_NOUNS | SITE_NOUNS and doc[end].i != arg.head:
        end += 1
    ent = _ent_at(doc, start)
    if (
        ent is not None
        and ent.end < end
        and doc[ent.end].tag_ == "POS"
        and ent.end + 1 < end
        and (resolve.resolve_place(ent.text, None) or Place(None, "", "")).kind == "country"
    ):
        start = ent.end + 1
    elif start < end and doc[start].lower_ == "the" and doc[start].i != arg.head:
        start += 1
    return doc[start:end].text


def _site_name(head: Any, ctx: DocContext) -> Place | None:
    """'the temples of Bel': a name governed by a site noun is first read as the site's name ('Temple of Bel')."""
    gov = head.head
    if head.dep_ == "pobj" and gov.lower_ == "of" and gov.head.lemma_.lower() in SITE_NOUNS:
        noun = gov.head.lemma_.lower()
        ent = _ent_at(head.doc, head.i)
        name = ent.text if ent is not None else head.text
        got = resolve.resolve_place(f"{noun} of {name}", ctx.geo)
        if _usable(got) and got is not None and (got.kind or "") in FEATURE_KINDS and "fuzzy" not in got.reason:
            return got
    return None


def _named(arg: Arg, doc: Doc, ctx: DocContext) -> Place | None:
    """The place a phrase names: the site it is part of's name first, then the whole phrase; a name read abroad
    is read again in the conflict country when the gazetteer has it there."""
    head = doc[arg.head]
    site = _site_name(head, ctx)
    if site is not None:
        return replace(site, text=arg.text)
    phrase = _phrase_text(arg, doc)
    ent = _ent_at(doc, arg.head)
    if ent is not None and ent.kb_id_ and ent.label_ == "FAC":
        phrase = ent.kb_id_  # a facility the relabeler found: the gazetteer's own name
    place = resolve.resolve_place(phrase, ctx.geo)
    if not _usable(place) or place is None:
        return None
    if ctx.country and place.country not in (None, ctx.country) and (place.kind or "") not in ("country", "capital"):
        again = resolve.resolve_name(phrase, ctx.geo, country=ctx.country)
        if again is not None:
            place = again
    return replace(place, text=arg.text, start=None, end=None)


ANCHOR_GLUE = frozenset({"ADP", "DET", "ADJ", "ADV"})


def _anchor_token(head: Any) -> Any | None:
    """The first place entity or place noun in the description's own modifiers, or in the words right after it
    ('the highway east of Raqa' however the parse attaches 'east'), before any verb or other noun."""
    doc = head.doc
    for child in head.children:
        if child.i < head.i or child.dep_ not in ("prep", "advmod", "npadvmod", "amod"):
            continue
        for t in child.subtree:
            if t.i > head.i and (
                t.ent_type_ in PLACE_ENTS or t.lemma_.lower() in PLACE_NOUNS or (t.pos_ == "PROPN" and not t.ent_type_)
            ):
                return t
    for t in doc[head.i + 1 : min(len(doc), head.i + 6)]:
        if t.ent_type_ in PLACE_ENTS or (t.lemma_.lower() in PLACE_NOUNS and t.i > head.i + 1):
            return t
        compass = COMPASS_WORD.match(t.lower_) is not None
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        joins_compass = t.pos_ == "CCONJ" and nxt is not None and COMPASS_WORD.match(nxt.lower_) is not None
        if t.is_sent_start or not (t.pos_ in ANCHOR_GLUE or compass or joins_compass):
            return None
    return None


def _unresolved_anchor(head: Any) -> bool:
    """Whether the description's own modifiers name a place entity (which then did not resolve)."""
    t = _anchor_token(head)
    return t is not None and (t.ent_type_ in PLACE_ENTS or (t.pos_ == "PROPN" and not t.ent_type_))


def _anchor(head: Any, doc: Doc, ctx: DocContext, depth: int = 0) -> Place | None:
    """The place a description's own modifiers name: 'the road from Tiyas', 'the districts of the city',
    'the highway east of Raqa', 'the areas north of the city'; precision 2, the description names a part."""
    if depth > 2:
        return None
    t = _anchor_token(head)
    if t is None:
        return None
    if t.ent_type_ in PLACE_ENTS:
        ent = _ent_at(doc, t.i)
        if ent is None:
            return None
        place = _named(Arg(ent.start, ent.end, ent.root.i, ent.text, "place"), doc, ctx)
        return place if place is not None and (place.kind or "") != "country" else None
    if t.lemma_.lower() in PLACE_NOUNS and any(c.dep_ in ("det", "poss") for c in t.children):
        return _described(t, doc, ctx, depth + 1)
    if t.pos_ == "PROPN":
        place = _named(Arg(t.i, t.i + 1, t.i, t.text, "place"), doc, ctx)
        return place if place is not None and place.country == ctx.country else None
    return None


def _salient(ctx: DocContext, before: int, kinds: frozenset[str] | None) -> Place | None:
    """The place a description or pronoun refers to: a scene of the kind asked named in this sentence or the one
    before, else the document's main place, else the last such place named (a source, a destination, a speaker
    or 'the governor of X' never)."""
    doc = ctx.doc
    if doc is None:
        return ctx.main_place
    here = doc[before].sent.start if before < len(doc) else len(doc)
    prev_start = doc[here - 1].sent.start if here > 0 else here

    def fits(p: Place) -> bool:
        if ctx.country is not None and p.country not in (None, ctx.country):
            return False
        kind = p.kind or ""
        return kind != "country" and (kinds is None or kind in kinds)

    recent: list[tuple[int, Place, str]] = []
    older: list[tuple[int, Place, str]] = []
    for start, p in ctx.place_mentions:
        role = ctx.roles.get(start, "where")
        if start >= before or role not in SALIENT_ROLES or not fits(p):
            continue
        (recent if start >= prev_start else older).append((start, p, role))
    scenes = [x for x in recent if x[2] in ("where", "goal")]
    if scenes:
        return scenes[-1][1]
    main = ctx.main_place
    if main is not None and fits(main):
        return main
    rest = recent or older
    if rest:
        return rest[-1][1]
    return main


INNER_PARTS = frozenset(
    "district neighbourhood neighborhood quarter centre center street enclave downtown market square".split()
)
"""Parts inside a town that coders place at the town itself ('the residential districts of the city')."""
WIDE_PARTS = frozenset({"countryside", "hinterland", "region", "province", "governorate"})


def _part_precision(noun: str, whole: Place) -> int:
    """Precision of a part named by `noun` of a place: the place's own for the town itself and its inner
    parts, 3 for its countryside, else 2 (roads, hills, positions, fields, the area)."""
    if noun in SETTLEMENT_NOUNS or noun in INNER_PARTS:
        return whole.geo_precision
    if noun in WIDE_PARTS:
        return 3
    return max(2, whole.geo_precision)


def _described(head: Any, doc: Doc, ctx: DocContext, depth: int = 0) -> Place | None:
    """What a definite description or pronoun refers to ('the town', 'the airport', 'the road', 'it').

    Its own modifiers first ('the road from Tiyas'); else the salient place of a compatible kind: a settlement
    for 'the city'/'the town', a province for 'the province', any place for parts (roads, districts, hills,
    positions), which put the happening near or in a part of it (precision 2). A facility ('the airport') is
    the referent town's own facility when the gazetteer lists it ('Deir ez-Zor airport').
    """
    lemma = head.lemma_.lower()
    anchor = _anchor(head, doc, ctx, depth)
    if anchor is None and _unresolved_anchor(head):
        # 'the neighbourhoods of al-Joura': a named spot the gazetteer lacks, in or near the salient town
        target = _salient(ctx, head.i, LOCALITY_KINDS | FEATURE_KINDS | {"admin1"})
        if target is None:
            return None
        return replace(target, geo_precision=max(2, target.geo_precision), reason=f"context: near {target.name}")
    if anchor is not None and any(c.lower_ in ("nearby", "surrounding", "neighbouring") for c in head.children):
        return replace(anchor, geo_precision=max(2, anchor.geo_precision), reason=f"context: near {anchor.name}")
    if anchor is not None:
        if lemma in FACILITY_NOUNS | SITE_NOUNS and (anchor.kind or "") in LOCALITY_KINDS:
            fac = _facility_of(lemma, [anchor], ctx)  # 'the government-held airport of Deir al-Zour'
            if fac is not None:
                return fac
        return replace(anchor, geo_precision=_part_precision(lemma, anchor), reason=f"context: {anchor.reason}")
    if lemma in ("country", "nation"):
        return None
    if lemma in AREA_NOUNS:
        prov = _salient(ctx, head.i, frozenset({"admin1"}))
        if prov is None or (prov.kind or "") != "admin1":
            town = _salient(ctx, head.i, LOCALITY_KINDS)
            got = resolve.resolve_place(f"{town.name} province", ctx.geo) if town is not None else None
            prov = got if got is not None and (got.kind or "") == "admin1" else None
        if prov is not None:
            return replace(prov, reason="context: the province named")
        return None
    if lemma in SETTLEMENT_NOUNS:
        town = _salient(ctx, head.i, LOCALITY_KINDS)
        if town is None:
            return None
        return replace(town, reason="context: the town named")
    pronoun = head.pos_ == "PRON" or head.lower_ in ("it", "there", "its")
    target = _salient(ctx, head.i, None if pronoun else LOCALITY_KINDS | FEATURE_KINDS | {"admin1"})
    if target is None:
        return None
    if pronoun:
        return replace(target, reason="context: place referred to")
    if lemma in FACILITY_NOUNS | SITE_NOUNS and (target.kind or "") not in FEATURE_KINDS:
        fac = _facility_of(lemma, [target, *_sentence_towns(ctx, head), ctx.main_place], ctx)
        if fac is not None:
            return fac
    return replace(target, geo_precision=_part_precision(lemma, target), reason=f"context: part of {target.name}")


def _sentence_towns(ctx: DocContext, head: Any) -> list[Place]:
    """The settlements named in the head's sentence, nearest first."""
    sent = head.sent
    found = [(abs(s - head.i), p) for s, p in ctx.own_places if sent.start <= s < sent.end]
    return [p for _, p in sorted(found, key=lambda x: x[0]) if (p.kind or "") in LOCALITY_KINDS]


def _facility_of(noun: str, towns: list[Place | None], ctx: DocContext) -> Place | None:
    """'the airport', 'the dam': the first of these towns whose own facility the gazetteer lists ('Deir ez-Zor
    airport', 'Tabqa dam')."""
    for town in towns:
        if town is None:
            continue
        for name in dict.fromkeys((town.text, town.name)):
            fac = resolve.resolve_place(f"{name} {noun}", ctx.geo)
            if _usable(fac) and fac is not None and (fac.kind or "") in FEATURE_KINDS and "fuzzy" not in fac.reason:
                return replace(fac, reason=f"context: {noun} of {town.name}")
    return None


def _place(arg: Arg | None, doc: Doc, ctx: DocContext) -> tuple[Place | None, str | None]:
    if arg is None:
        return None, None
    head = doc[arg.head]
    if arg.kind == "place" and head.pos_ != "PRON" and head.lower_ not in ("it", "there"):
        place = _named(arg, doc, ctx)
        if place is not None:
            return place, arg.text
    if (
        arg.kind in ("definite-place", "pronoun", "place")
        or head.lower_ == "there"
        or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children)
    ):
        ref = _described(head, doc, ctx)
        if ref is not None:
            owned = head.dep_ == "poss" and head.head.lemma_.lower() not in PLACE_NOUNS
            if owned or (arg.kind not in ("definite-place", "pronoun", "place") and head.lower_ != "there"):
                # 'destroyed their vehicles': placed only by whose they are, somewhere around their place
                ref = replace(ref, geo_precision=max(2, ref.geo_precision))
            return replace(ref, text=arg.text, start=None, end=None), arg.text
    return None, arg.text


NEAR_WORDS = frozenset(
    "around near outside outskirts edge edges between approaches surrounding toward towards "
    "overlooking vicinity periphery".split()
)
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


def _sentence_place(ctx: DocContext, sentence: tuple[int, int], head: int) -> tuple[Place | None, int | None]:
    """A place the trigger's sentence names, when the parse tied none to the trigger: the sentence is about where
    it says, before the document's main place. A town nearest the trigger wins over a province, a province over
    the country; places abroad (another country than the conflict's) are passed over."""
    s0, s1 = sentence
    doc = ctx.doc
    best: tuple[int, int, Place, int] | None = None
    for start, place in ctx.own_places:
        if not s0 <= start < s1 or doc is None:
            continue
        if ctx.country is not None and place.country not in (None, ctx.country):
            continue
        root = doc[start]
        while root.head.i != root.i and root.head.ent_iob_ == "I" and root.head.ent_type_ == root.ent_type_:
            root = root.head
        gov = root.head
        role = ctx.roles.get(start, "where")
        if role in ("speaker", "source", "attribute") or (role == "destination" and gov.head.i != head):
            # 'reinforcements from Raqqa', 'the governor of Homs', 'saving their men for Deir Ezzor'
            continue
        if root.dep_ in ("nsubj", "nsubjpass", "poss") or (
            root.dep_ == "pobj" and gov.lower_ == "of" and gov.head.lemma_ not in PLACE_NOUNS | {"out"}
        ):
            # 'Damascus has sent', 'the families of Tadmur': not where it happened
            continue
        kind = place.kind or ""
        region = root.dep_ in ("compound", "amod") and gov.lemma_ in REGION_NOUNS
        rank = (
            2 if kind == "country" else 1 if region or kind in ("admin1", "region") or place.geo_precision >= 3 else 0
        )
        key = (rank, abs(start - head))
        if best is None or key < best[:2]:
            best = (*key, place, root.i)
    if best is None or best[0] == 2:
        return None, None
    return replace(best[2], reason=f"sentence: {best[2].reason}"), best[3]


SCENE_PREPS = frozenset({"in", "at", "near", "around", "outside", "inside", "across", "into"})


def _sentence_description(ctx: DocContext, sentence: tuple[int, int], head: int) -> tuple[Place | None, int | None]:
    """A definite place description the sentence puts its happening in ('operations in the province',
    'fighting around the town') when the parse tied no place to the trigger; the nearest to the trigger."""
    doc = ctx.doc
    if doc is None:
        return None, None
    s0, s1 = sentence
    found = [
        t
        for t in doc[s0:s1]
        if t.dep_ == "pobj"
        and t.head.lower_ in SCENE_PREPS
        and t.lemma_.lower() in PLACE_NOUNS
        and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
    ]
    for t in sorted(found, key=lambda t: abs(t.i - head)):
        got = _described(t, doc, ctx)
        if got is not None:
            return replace(got, text=doc[t.left_edge.i : t.i + 1].text, reason=f"sentence: {got.reason}"), t.i
    return None, None


def _fallback_place(ctx: DocContext) -> Place | None:
    """Where a sentence that names no place happened: a dateline town inside the conflict country, else the
    document's main place (news places what it reports in the locality it is about, as ACLED coders do)."""
    return ctx.dateline or ctx.main_place


def _near_path(tok: Any, trigger: int, lex: TriggerLexicon) -> bool:
    """Whether the words between a place phrase and its trigger put the happening near the place or at an outer
    part of it (precision 2): 'near X', 'around the city', 'west of Raqqa', 'positions on the road to X',
    'the outskirts of X'; inner parts ('the districts of X', 'the city centre') keep the place's own."""
    t = tok
    for _ in range(8):
        if t.i == trigger or t.head.i == t.i:
            return False
        t = t.head
        if t.i == trigger:
            return False
        low, lemma = t.lower_, t.lemma_.lower()
        if low in NEAR_WORDS and t.pos_ in ("ADP", "ADV", "NOUN", "VERB"):
            return True
        if (low in lex.compass or COMPASS_WORD.match(low)) and any(c.lower_ == "of" for c in t.children):
            return True
        if t.pos_ == "NOUN" and (lemma in OUTER_PARTS or lemma in SITE_PARTS):
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
    return False


def _near_in(sent: Any, lex: TriggerLexicon) -> bool:
    """For a mention placed by the document's fallback: whether its sentence speaks of ground near the place or
    of a part of it ('around the base', 'east of the city', 'the southern outskirts', 'the surrounding hills',
    'in front of the theatre'), so the happening is not at the place itself (precision 2)."""
    for t in sent:
        low, lemma = t.lower_, t.lemma_.lower()
        if low in NEAR_WORDS and t.pos_ == "ADP":
            return True
        if (low in lex.compass or COMPASS_WORD.match(low)) and any(c.lower_ == "of" for c in t.children):
            return True
        if t.pos_ == "NOUN" and (lemma in OUTER_PARTS or lemma in SITE_PARTS):
            return True
    return False


SITE_PARTS = frozenset("theatre theater citadel temple ruin ruins monument silo".split())
"""Sites and parts of a town whose naming puts a happening at a spot inside or beside it (precision 2)."""
OUTER_PARTS = frozenset(
    "road highway position hill mountain field checkpoint village outskirt outskirts edge approach "
    "surroundings vicinity periphery post".split()
)
"""Nouns for ground around a place or on its edge: a happening there is near the place (precision 2)."""


def event_place(md: MentionData, doc: Doc, ctx: DocContext, lex: TriggerLexicon) -> tuple[Place | None, str | None]:
    """Where one mention happened and the place phrase the parse tied to it: the attached phrase, else a place its
    sentence names, else a place description it names ('in the province'), else the dateline or the document's
    main place. Precision is widened to 2 for 'near X', 'west of X', 'the road to X' between the place phrase
    and the trigger, for sites inside a town, and to 3 for 'the countryside of X'."""
    place, place_text = _place(md.place, doc, ctx)
    tok: int | None = md.place.head if place is not None and md.place is not None else None
    if place is None:
        place, tok = _sentence_place(ctx, md.sentence, md.head)
    if place is None:
        place, tok = _sentence_description(ctx, md.sentence, md.head)
    if place is None:
        fb = _fallback_place(ctx)
        place = replace(fb, text=fb.text) if fb is not None else None
    if place is None:
        return None, place_text
    sent = doc[md.sentence[0] : md.sentence[1]]
    if place.geo_precision == 1:
        kind = place.kind or ""
        if kind == "site":
            place = replace(place, geo_precision=2)  # a monument or quarter of its town
        elif kind in LOCAL_KINDS | FEATURE_KINDS:
            near = _near_path(doc[tok], md.head, lex) if tok is not None else _near_in(sent, lex)
            if near:
                place = replace(place, geo_precision=2)
    if place.geo_precision < 3 and _region_of(sent, place):
        place = replace(place, geo_precision=3)
    return place, place_text
