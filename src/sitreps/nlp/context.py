"""What a whole document says about places and actors, gathered once before its sentences are resolved."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from spacy.tokens import Doc, Token

from sitreps.model import ActorRef, Document, Place
from sitreps.nlp import extensions, resolve

DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .'/\-]{2,40}[A-Z])(?:,\s*([A-Z][A-Za-z .'\-]{2,30}?))?\s*,?\s*(?:\(|[A-Z][a-z]{2,8}\.? \d{1,2}\b|[-–—])"
)
"""A wire dateline: 'DEIR EZ-ZOR, Syria, Jan 15 (Agency) -' → city and country."""


@dataclass(slots=True)
class DocContext:
    """What the whole document tells about places and actors, for resolving one sentence's phrases."""

    geo: Any
    published: date | None
    dateline: Place | None
    main_place: Place | None
    country: str | None
    place_mentions: list[tuple[int, Place]] = field(default_factory=list)
    actor_mentions: list[tuple[int, ActorRef, bool]] = field(default_factory=list)
    own_places: list[tuple[int, Place]] = field(default_factory=list)
    """Places named as where something is or happens (not a capital that speaks: 'Ankara said')."""
    roles: dict[int, str] = field(default_factory=dict)
    """The role (see `place_role`) of each place in place_mentions, by its start token."""
    doc: Doc | None = None
    dateline_end: int = 0
    """Character offset (in doc.text) where the wire dateline ends: its date is the filing date, not the event's."""


def _dateline(text: str, geo: Any) -> tuple[Place | None, int]:
    """The wire dateline's place and where the dateline ends (0 when there is none).

    The city is resolved alone first: "PALMYRA, Syria" names the city, the country only disambiguates it.
    """
    m = DATELINE.match(text[:200])
    if m is None:
        return None, 0
    city = m.group(1).title().split("/")[0]
    place = resolve.resolve_place(city, geo)
    if place is None and m.group(2):
        place = resolve.resolve_place(f"{city}, {m.group(2)}", geo)
    if place is None:
        return None, m.end()
    return replace(place, reason="dateline", text=m.group(1)), m.end()


SPEECH_LEMMAS = frozenset(
    "say tell announce claim deny accuse confirm state report warn urge demand insist add "
    "condemn call reject threaten vow support back want".split()
)
"""Verbs whose subject is a speaker: "Ankara said" names a government, not where anything happened."""
LOCAL_KINDS = frozenset({"city", "town", "village", "capital", "base", "airport", "site", "locality", "district"})
AREA_KINDS = frozenset({"country", "admin1", "region"})
OFFICE_NOUNS = frozenset(
    "governor mayor minister ministry council official authority administration president spokesman spokeswoman "
    "envoy ambassador embassy government leader representative delegation university".split()
)
"""Heads that make a place an attribute of a person or body ('the governor of Homs'), not a scene."""
DISLODGE_LEMMAS = frozenset(
    "withdraw retreat pull push drive expel oust evict dislodge repel repulse flush clear chase force evacuate".split()
)
"""Verbs whose 'from X' is where the happening is ('pushed the militants back from Palmyra')."""
DESTINATION_PREPS = frozenset({"to", "toward", "towards", "for"})
AREA_NOUNS = frozenset({"city", "town", "village", "province", "governorate", "region", "area", "capital", "port"})
REGION_NOUNS = frozenset({"countryside", "province", "governorate", "region", "hinterland", "desert", "outskirts"})
COMPASS = re.compile(r"^(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?$", re.IGNORECASE)
ADMIN_WORDS = frozenset({"province", "governorate", "region", "oblast", "state"})
ROLE_WEIGHT: dict[str, float] = {
    "where": 1.0,
    "reference": 0.5,
    "goal": 0.5,
    "destination": 0.3,
    "source": 0.25,
    "attribute": 0.0,
    "agent": 0.0,
    "speaker": 0.0,
}
"""How much one naming of a place says the document is about it, by the place's role in its clause."""
TITLE_BONUS = 2.5
LEAD_BONUS = 0.5
DATELINE_BONUS = 1.0


def _is_speaker(ent: Any) -> bool:
    root = ent.root
    return root.dep_ in ("nsubj", "poss") and root.head.lemma_.lower() in SPEECH_LEMMAS


def place_role(tok: Token, kind: str = "") -> str:
    """What a place named at `tok` (an entity's root) is to its clause.

    'where' (the scene: 'fighting in X', 'captured X'), 'reference' (a point to measure from or an area's
    anchor: 'west of X', 'the X countryside', 'the road between X and Y'), 'goal' (the aim of a stated plan:
    'the campaign to isolate X'), 'destination' ('fled toward X', 'saving men for the X fight'),
    'source' ('reinforcements from X'), 'attribute' ('the governor of X'), 'agent' (a capital or country
    that acts: 'Damascus has sent') or 'speaker' ('Ankara said'). A place inside 'the city of X', a
    compound ('the Raqqa fight') or a coordination ('from Raqqa and Deir ez-Zor') takes the role of the
    phrase it belongs to.
    """
    root = tok
    for _ in range(6):
        gov = root.head
        glemma = gov.lemma_.lower()
        if root.dep_ == "conj" and gov.i != root.i:
            root = gov
        elif root.dep_ == "pobj" and gov.lower_ == "of" and gov.head.lemma_.lower() in AREA_NOUNS:
            root = gov.head
        elif (root.dep_ == "appos" and glemma in AREA_NOUNS) or (
            root.dep_ in ("compound", "amod", "nmod")
            and gov.pos_ in ("NOUN", "PROPN")
            and glemma not in REGION_NOUNS | OFFICE_NOUNS
        ):
            root = gov
        else:
            break
    dep, gov = root.dep_, root.head
    glemma = gov.lemma_.lower()
    if dep in ("nsubj", "poss") and glemma in SPEECH_LEMMAS:
        return "speaker"
    if dep == "nsubj" and kind in ("capital", "country"):
        return "agent"
    if dep in ("poss", "compound") and glemma in OFFICE_NOUNS:
        return "attribute"
    if dep in ("compound", "amod", "poss") and glemma in REGION_NOUNS - {"province", "governorate"}:
        return "reference"
    if dep == "pobj":
        while gov.dep_ == "conj" and gov.head.pos_ == "ADP" and gov.head.i != gov.i:
            gov = gov.head  # 'for Deir Ezzor and for the Raqqa fight': the second 'for' is the first's
        prep = gov.lower_
        owner = gov.head
        if prep == "of":
            if owner.lemma_.lower() in OFFICE_NOUNS:
                return "attribute"
            if COMPASS.match(owner.lower_) or owner.lemma_.lower() in REGION_NOUNS:
                return "reference"
            return "where"
        if prep == "from":
            return "where" if owner.lemma_.lower() in DISLODGE_LEMMAS else "source"
        if prep == "between":
            return "reference"  # 'the road between X and Y': the road is the scene
        if prep in DESTINATION_PREPS:
            # 'fled toward X' names where someone goes; 'the approaches to X' names a part of X's ground
            return "destination" if owner.pos_ in ("VERB", "AUX") else "reference"
    return "goal" if _intended(root) else "where"


def _intended(tok: Token) -> bool:
    """Whether the clause that names a place states an aim, not a happening: 'the campaign to isolate X',
    'will attack X'."""
    verb = tok.head
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("to", "will", "would", "'ll") for c in verb.children)


def _province_phrase(doc: Doc, ent: Any, geo: Any) -> Place | None:
    """'Deir ez-Zor province', 'the province of Raqqa': the first-level area, with its own coordinates."""
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if nxt is not None and nxt.lower_ in ADMIN_WORDS:
        got = resolve.resolve_place(f"{ent.text} {nxt.text}", geo)
        if got is not None and (got.kind or "") in AREA_KINDS:
            return replace(got, text=f"{ent.text} {nxt.text}")
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in ADMIN_WORDS:
        word = root.head.head.text
        got = resolve.resolve_place(f"{ent.text} {word}", geo)
        if got is not None and (got.kind or "") in AREA_KINDS:
            return replace(got, text=f"the {word} of {ent.text}")
    return None


def _title_weight(title: str, place: Place) -> float:
    """The headline's vote for a place it names: half when it names the place as a point to measure from
    ('IS pushes west of Palmyra')."""
    before = title[: place.start or 0].lower().rstrip()
    compass = r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)? of"
    if re.search(compass + "$", before) or re.match(compass + " ", (place.text or "").lower()):
        return TITLE_BONUS / 2
    return TITLE_BONUS


def _lead_end(doc: Doc, after_char: int) -> int:
    """Token index where the first two sentences of the body (after the dateline) end."""
    n = 0
    for sent in doc.sents:
        if sent.end_char <= after_char or not sent.text.strip():
            continue
        n += 1
        if n == 2:
            return sent.end
    return len(doc)


def _key(p: Place) -> str:
    return p.id or p.name


def build_context(doc: Doc, document: Document, offset: int) -> DocContext:
    """Resolve the document's places once, find the conflict country and the document's main place.

    The conflict country is the one the text's towns name most (countries and demonyms count less);
    places abroad (a foreign capital speaking, the dateline city where the reporter sits) never become the
    main place. The main place is the one the document is most about: each naming counts by the place's role
    in its clause (a scene counts fully, a source or a destination little, a speaker or 'the governor of X'
    nothing), with more for the headline, the first sentences and the dateline; a province wins over its
    towns when the report names it as the scene at least as much ('a raid in Deir ez-Zor province').
    """
    geo = resolve.geo_context(document.text)
    text = document.text[offset:] if offset else extensions.doc_text(doc)
    dateline, dl_end = _dateline(text, geo)
    lead_end = _lead_end(doc, dl_end)
    resolved: list[tuple[int, Place, str]] = []
    countries: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC") or ent.end_char <= dl_end:
            continue
        place = _province_phrase(doc, ent, geo) or resolve.resolve_place(ent.kb_id_ or ent.text, geo)
        if place is not None and ent.kb_id_:
            place = replace(place, text=ent.text)
        if place is None or (place.reason or "").startswith("document focus"):
            continue  # the geo room's guess from the whole text, not this name's place
        role = "speaker" if _is_speaker(ent) else place_role(ent.root, place.kind or "")
        resolved.append((ent.start, place, role))
        resolve.add_to_context(geo, place)
        if place.country and role not in ("speaker", "agent"):
            kind = place.kind or ""
            countries[place.country] += 1 if kind in ("capital", "country") else 3
    title = document.title or ""
    title_places = [
        p for p in [*resolve.find_features(title), *resolve.find_places(title)] if (p.kind or "") != "country"
    ]
    title_roles = [_title_weight(title, p) for p in title_places]
    for p in title_places:
        if p.country:
            countries[p.country] += 3
    text_countries = getattr(geo, "countries", None)
    if isinstance(text_countries, Counter):
        for cc, n in text_countries.items():
            countries[cc] += n
    country = countries.most_common(1)[0][0] if countries else None
    if country is not None and isinstance(text_countries, Counter):
        text_countries[country] += 5
        redo: list[tuple[int, Place, str]] = []
        for start, place, role in resolved:
            if place.country != country and role != "speaker" and (place.kind or "") not in ("country", "capital"):
                again = resolve.resolve_place(place.text, geo)
                if again is not None and again.country == country:
                    place = again
            redo.append((start, place, role))
        resolved = redo
    if dateline is not None:
        abroad = country is not None and dateline.country != country
        if abroad or (dateline.kind or "") == "capital" or (dateline.kind or "") not in LOCAL_KINDS:
            dateline = None
    main = _main_place(resolved, list(zip(title_places, title_roles, strict=True)), dateline, country, lead_end)
    actors: list[tuple[int, ActorRef, bool]] = []
    for ent in doc.ents:
        if ent.label_ == "ACTOR":
            ref = resolve.match_actor(ent.text, country)
            if ref is not None:
                root = ent.root
                subject = root.dep_ in ("nsubj", "nsubjpass") or (
                    root.dep_ in ("aux", "auxpass", "dep") and root.i < root.head.i
                )
                actors.append((ent.start, ref, subject))
    ctx = DocContext(geo, document.published, dateline, main, country, [(s, p) for s, p, _ in resolved], actors)
    ctx.own_places = [(s, p) for s, p, role in resolved if role not in ("speaker", "agent")]
    ctx.roles = {s: role for s, _, role in resolved}
    ctx.doc = doc
    ctx.dateline_end = dl_end
    return ctx


def _main_place(
    resolved: list[tuple[int, Place, str]],
    title_places: list[tuple[Place, float]],
    dateline: Place | None,
    country: str | None,
    lead_end: int,
) -> Place | None:
    """The place the document is most about, by weighted votes (see build_context)."""
    local: dict[str, float] = defaultdict(float)
    areas: dict[str, float] = defaultdict(float)
    first: dict[str, Place] = {}

    def vote(p: Place, weight: float) -> None:
        if weight <= 0 or (country is not None and p.country != country):
            return
        kind = p.kind or ""
        if kind == "country":
            return
        key = _key(p)
        first.setdefault(key, p)
        if kind in AREA_KINDS or p.geo_precision > 2:
            areas[key] += weight
        else:
            local[key] += weight

    for start, p, role in resolved:
        vote(p, ROLE_WEIGHT[role] + (LEAD_BONUS if start < lead_end and role in ("where", "reference") else 0.0))
    for p, weight in title_places:
        vote(p, weight)
    if dateline is not None:
        vote(dateline, DATELINE_BONUS)
    best_local = max(local, key=lambda k: local[k], default=None)
    best_area = max(areas, key=lambda k: areas[k], default=None)
    if (
        best_area is not None
        and (best_local is None or areas[best_area] >= local[best_local])
        and ((first[best_area].kind or "") != "region" or best_local is None)
    ):
        return replace(first[best_area], reason="document main place")
    if best_local is None:
        return None
    return replace(first[best_local], reason="document main place")
