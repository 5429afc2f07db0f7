"""Turn the parse's MentionData into resolved Mention values: actors, places, dates, confidence, offsets."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from sitreps.kb.triggers import TriggerLexicon, load_triggers
from sitreps.model import ActorRef, DateInterval, Document, Mention, Modality, Place, Span, stable_id
from sitreps.nlp import extensions, resolve
from sitreps.nlp.components import MentionData
from sitreps.nlp.language import detect_language
from sitreps.nlp.roles import ACTOR_NOUNS, DEFINITE_GROUP_NOUNS, FACILITY_NOUNS, PLACE_NOUNS, Arg, phrase

PARTY_NOUNS = ACTOR_NOUNS - frozenset(
    "jet warplane aircraft plane helicopter drone member man woman child people crowd ally".split()
)
"""Nouns that denote a party on their own ("militants", "gunmen"); equipment ("helicopters") names none."""

log = logging.getLogger(__name__)

MODALITY_WEIGHT: dict[str, float] = {
    "asserted": 1.0,
    "hedged": 0.75,
    "planned": 0.65,
    "threatened": 0.6,
    "negated": 0.5,
}
"""How much each modality keeps of a mention's confidence: a denial or a plan is weaker evidence of a happening."""
DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .'/\-]{2,40}[A-Z])(?:,\s*([A-Z][A-Za-z .'\-]{2,30}?))?\s*,?\s*(?:\(|[A-Z][a-z]{2,8}\.? \d{1,2}\b|[-–—])"
)
"""A wire dateline: 'DEIR EZ-ZOR, Syria, Jan 15 (Agency) -' → city and country."""
ANCHORED = re.compile(
    r"\b(?:just |only |some |about |nearly |almost )?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several) "
    r"(days?|weeks?|months?|years?) (after|before)\b",
    re.IGNORECASE,
)
"""'eight months after he had retaken X': the clause's event lies N units before the sentence's other date."""
NON_ENGLISH_SKIP = frozenset({"fr", "de", "es", "it", "pt", "nl", "tr", "ar", "ru", "zh", "he", "fa"})


@dataclass(slots=True)
class _DocContext:
    """What the whole document tells about places and actors, for resolving one sentence's phrases."""

    geo: Any
    published: date | None
    dateline: Place | None
    main_place: Place | None
    country: str | None
    place_mentions: list[tuple[int, Place]] = field(default_factory=list)
    actor_mentions: list[tuple[int, ActorRef, bool]] = field(default_factory=list)
    own_places: list[tuple[int, Place]] = field(default_factory=list)
    doc: Doc | None = None
    """Places named as where something is or happens (not a capital that speaks: 'Ankara said')."""
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


def _is_speaker(ent: Any) -> bool:
    root = ent.root
    return root.dep_ in ("nsubj", "poss") and root.head.lemma_.lower() in SPEECH_LEMMAS


def _context(doc: Doc, document: Document, offset: int) -> _DocContext:
    """Resolve the document's places once, find the conflict country and the document's main place.

    The conflict country is the one the text's places and demonyms name most; places abroad (a foreign
    capital speaking, the dateline city where the reporter sits) never become the main place.
    """
    geo = resolve.geo_context(document.text)
    text = document.text[offset:] if offset else doc.text
    dateline, dl_end = _dateline(text, geo)
    resolved: list[tuple[int, Place, bool]] = []
    provinces: list[Place] = []
    province_starts: set[int] = set()
    countries: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC") or ent.end_char <= dl_end:
            continue
        place = resolve.resolve_place(ent.text, geo)
        if place is not None:
            nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
            if nxt in ("province", "governorate") and place.geo_precision < 3:
                # 'Deir ez-Zor province': the province named after its capital, not the town
                provinces.append(replace(place, geo_precision=3, kind="admin1", text=f"{ent.text} {doc[ent.end].text}"))
                province_starts.add(ent.start)
            speaker = _is_speaker(ent)
            resolved.append((ent.start, place, speaker))
            resolve.add_to_context(geo, place)
            if place.country and not speaker:
                countries[place.country] += 1 if (place.kind or "") == "capital" else 3
    text_countries = getattr(geo, "countries", None)
    if isinstance(text_countries, Counter):
        for cc, n in text_countries.items():
            countries[cc] += n
    country = countries.most_common(1)[0][0] if countries else None
    if country is not None and isinstance(text_countries, Counter):
        text_countries[country] += 5
        redo: list[tuple[int, Place, bool]] = []
        for start, place, speaker in resolved:
            if place.country != country and not speaker and (place.kind or "") not in ("country", "capital"):
                again = resolve.resolve_place(place.text, geo)
                if again is not None and again.country == country:
                    place = again
            redo.append((start, place, speaker))
        resolved = redo
    votes: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for start, p, speaker in resolved:
        if speaker or (country is not None and p.country != country) or start in province_starts:
            continue
        if (p.kind or "") in ("country", "admin1", "region") or p.geo_precision > 2:
            continue
        key = p.id or p.name
        votes[key] += 1
        first.setdefault(key, p)
    main = None
    if votes:
        best = max(votes, key=lambda k: votes[k])
        main = replace(first[best], reason="document main place")
    else:
        # a report about a province as a whole ('a raid in Deir ez-Zor province'): the province, precision 3
        provinces = [p for p in provinces if country is None or p.country == country]
        if provinces:
            main = replace(provinces[0], reason="document main place")
    if dateline is not None:
        abroad = country is not None and dateline.country != country
        if abroad or (dateline.kind or "") == "capital" or (dateline.kind or "") not in LOCAL_KINDS:
            dateline = None
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
    ctx = _DocContext(geo, document.published, dateline, main, country, [(s, p) for s, p, _ in resolved], actors)
    ctx.own_places = [(s, p) for s, p, speaker in resolved if not speaker]
    ctx.doc = doc
    ctx.dateline_end = dl_end
    return ctx


def _salient_actor(ctx: _DocContext, before: int, text: str) -> ActorRef | None:
    """'the group', 'they', 'the jihadists' → the last armed group named as a subject before this point, else the last named."""
    for subjects_only in (True, False):
        for start, ref, is_subject in reversed(ctx.actor_mentions):
            if start < before and resolve.is_group(ref) and (is_subject or not subjects_only):
                return ActorRef(ref.id, ref.name, text, ref.kind, ref.side, ref.country)
    return None


RELATIVE = frozenset({"who", "which", "that", "whom"})
PARTY_LABELS = frozenset({"PERSON", "ORG", "NORP"})


def _antecedent(tok: Token) -> Token | None:
    """'the army, which advanced …' → army: a relative pronoun stands for the noun its clause hangs from."""
    verb = tok.head
    for _ in range(3):
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ not in ("xcomp", "conj", "ccomp", "aux") or verb.head is verb:
            return None
        verb = verb.head
    return None


def _possessor_actor(head: Token, ctx: _DocContext) -> ActorRef | None:
    """ "Turkey's intervention", "Assad's forces": the possessor names the party when the head does not."""
    poss = next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    if poss is None:
        return None
    s, e = phrase(poss)
    text = poss.doc[s:e].text
    for cand in (f"{text} {head.text}", text, f"{text} forces"):
        ref = resolve.match_actor(cand, ctx.country)
        if ref is not None:
            return ActorRef(ref.id, ref.name, text, ref.kind, ref.side, ref.country)
    return None


def _person_actor(text: str, ctx: _DocContext) -> ActorRef | None:
    """A leader acting in a conflict event acts through his forces: "Assad retook the city" → the army whose
    KB aliases name him ("Assad forces"), else his government ("Assad regime")."""
    ref = resolve.match_actor(text, ctx.country)
    if ref is not None:
        return ref
    surname = text.split()[-1]
    for cand in (f"{surname} forces", f"{surname} regime", f"{surname} government"):
        ref = resolve.match_actor(cand, ctx.country)
        if ref is not None:
            return ActorRef(ref.id, ref.name, text, ref.kind, ref.side, ref.country)
    return None


def _reported_speaker(pron: Token, doc: Doc, ctx: _DocContext) -> ActorRef | None:
    """'Regime commanders have said they intend to push': a pronoun in reported speech stands for the speaker
    when the speaker is a party ('commanders', 'the army'), not a monitor or a ministry spokesman."""
    verb = pron.head
    for _ in range(4):
        if verb.lemma_.lower() in SPEECH_LEMMAS:
            break
        if verb.head is verb:
            return None
        verb = verb.head
    else:
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < pron.i), None)
    if subj is None or subj.pos_ == "PRON":
        return None
    s, e = phrase(subj)
    text = doc[s:e].text
    ref = resolve.match_actor(text, ctx.country)
    if ref is None and subj.lemma_.lower() in ("commander", "officer", "general", "soldier", "troop", "unit"):
        owner = _salient_state(ctx, s, doc[s:e])
        return owner
    return ref


def _salient_state(ctx: _DocContext, before: int, span: Any) -> ActorRef | None:
    """'regime commanders', 'army officers': the state force a modifier names, else none."""
    for tok in span:
        if tok.lemma_.lower() in ("regime", "army", "government", "military"):
            for start, ref, _ in reversed(ctx.actor_mentions):
                if start < before + len(span) and resolve.is_state(ref) and ref.kind != "state":
                    return ref
    return None


def _equipment_owner(head: Token, doc: Doc, ctx: _DocContext) -> ActorRef | None:
    """'its warplanes', 'their aircraft': the force of the country the text last named (Russia's Defence
    Ministry said its warplanes …), when the possessor is a pronoun."""
    if head.lemma_.lower() not in EQUIPMENT or not any(
        c.dep_ == "poss" and c.lower_ in ("its", "their") for c in head.children
    ):
        return None
    start = max(0, head.sent.start - 60)
    for ent in reversed([e for e in doc.ents if start <= e.start < head.i]):
        if ent.label_ in ("GPE", "NORP"):
            ref = resolve.match_actor(f"{ent.text} forces", ctx.country)
            if ref is not None:
                return ActorRef(ref.id, ref.name, head.text, ref.kind, ref.side, ref.country)
    return None


EQUIPMENT = frozenset("warplane jet aircraft plane bomber helicopter drone gunship artillery tank".split())


def _foreign_partner(arg: Arg, ref: ActorRef, ctx: _DocContext, head: Token) -> ActorRef:
    """'Syrian and Russian warplanes': joint air power is coded with the foreign air force (docs/annotation.md)."""
    if not arg.also or head.lemma_.lower() not in EQUIPMENT | {"force"}:
        return ref
    for other in arg.also:
        cand = resolve.match_actor(f"{other} forces", ctx.country)
        if cand is not None and cand.id != ref.id and resolve.is_state(cand) and cand.country != ctx.country:
            return ActorRef(cand.id, cand.name, arg.text, cand.kind, cand.side, cand.country)
    return ref


def _actor(arg: Arg | None, doc: Doc, ctx: _DocContext) -> ActorRef | None:
    """Resolve a role phrase to an actor; phrases that name no party (places, objects, quantities) give None.

    Only KB actors, named people and organisations, and nouns that denote armed groups, forces or civilians
    fill a role: "the Tetrapylon", "a truce" or "dozens" are not parties.
    """
    if arg is None:
        return None
    head = doc[arg.head]
    if head.lower_ in RELATIVE:
        ante = _antecedent(head)
        if ante is None:
            return None
        s, e = phrase(ante)
        return _actor(Arg(s, e, ante.i, doc[s:e].text, "actor" if ante.ent_type_ == "ACTOR" else "other"), doc, ctx)
    if arg.kind == "pronoun" and head.lower_ in ("he", "she", "him", "her", "his"):
        person = next((e for e in reversed(doc.ents) if e.label_ == "PERSON" and e.end <= arg.start), None)
        if person is not None:
            return _person_actor(person.text, ctx) or resolve.unknown_actor(person.text)
        return None
    if arg.kind == "pronoun" and head.lower_ in ("they", "them", "their", "it", "its"):
        speaker = _reported_speaker(head, doc, ctx)
        if speaker is not None:
            return speaker
    if arg.kind in ("pronoun", "definite"):
        found = _salient_actor(ctx, arg.start, arg.text)
        return found or (resolve.unknown_actor(arg.text) if arg.kind == "definite" else None)
    ref = resolve.match_actor(arg.text, ctx.country)
    if ref is None and head.lemma_.lower() in DEFINITE_GROUP_NOUNS and head.tag_ == "NNS":
        # bare "militants", "the remaining militants": the armed group the story is about
        ref = _salient_actor(ctx, arg.start, arg.text)
    if ref is None and arg.kind == "actor":
        ref = resolve.match_actor(head.text, ctx.country)
    if ref is None and head.ent_type_ in ("GPE", "NORP") and arg.end - arg.start <= 3:
        forces = resolve.match_actor(f"{arg.text} forces", ctx.country)
        if forces is None and head.ent_type_ == "GPE":
            # a capital acting ('Damascus has sent a general', 'Ankara deployed'): its government
            forces = resolve.match_actor(f"{arg.text} government", ctx.country)
        if forces is not None:
            ref = ActorRef(forces.id, forces.name, arg.text, forces.kind, forces.side, forces.country)
    if ref is None and head.ent_type_ == "PERSON":
        ref = _person_actor(doc[arg.start : arg.end].text, ctx)
    if ref is None:
        ref = _possessor_actor(head, ctx)
    if ref is None:
        ref = _equipment_owner(head, doc, ctx)
    if ref is not None:
        return _foreign_partner(arg, ref, ctx, head)
    if head.ent_type_ in ("GPE", "LOC", "FAC") or arg.kind in ("place", "definite-place"):
        return None
    lex = arg.text.lower().split()
    if any(w in lex for w in ("civilian", "civilians", "residents", "villagers", "children", "women", "people")):
        return ActorRef(None, "Civilians", arg.text, "civilians")
    if head.ent_type_ in PARTY_LABELS or head.lemma_.lower() in PARTY_NOUNS:
        return resolve.unknown_actor(arg.text)
    return None


def _opponent(a1: ActorRef, ctx: _DocContext, sentence: tuple[int, int]) -> ActorRef | None:
    """The other side of a fight the sentence does not name: an opposed actor named in the sentence, else the
    opposed armed actor the document names most (news reports a conflict dyad; coders fill both sides)."""
    s0, s1 = sentence
    for start, ref, _ in ctx.actor_mentions:
        if s0 <= start < s1 and resolve.opposed(a1, ref):
            return ref
    counts: Counter[str] = Counter()
    refs: dict[str, ActorRef] = {}
    for _, ref, _ in ctx.actor_mentions:
        if ref.id and resolve.opposed(a1, ref):
            counts[ref.id] += 1
            refs.setdefault(ref.id, ref)
    if not counts:
        return None
    return refs[counts.most_common(1)[0][0]]


DYAD_TYPES = frozenset({"Battles", "Explosions/Remote violence"})


def _last_place(ctx: _DocContext, before: int) -> Place | None:
    best = None
    for start, place in ctx.place_mentions:
        if start < before and (place.kind or "") != "country":
            best = place
    return best


def _place(arg: Arg | None, doc: Doc, ctx: _DocContext) -> tuple[Place | None, str | None]:
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


def _sentence_place(ctx: _DocContext, sentence: tuple[int, int], head: int) -> Place | None:
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


def _fallback_place(ctx: _DocContext) -> Place | None:
    """Where a sentence that names no place happened: a dateline town inside the conflict country, else the
    document's main place (news places what it reports in the locality it is about, as ACLED coders do)."""
    return ctx.dateline or ctx.main_place


def _time(
    md: MentionData, doc: Doc, ctx: _DocContext, lex: TriggerLexicon, trig_heads: dict[int, list[int]]
) -> DateInterval:
    s0, s1 = md.sentence
    sent = doc[s0:s1]
    base = sent.start_char
    text = sent.text
    spans = [sp for sp in resolve.find_times(text) if base + sp.start >= ctx.dateline_end]
    head = doc[md.head]
    resolved: list[tuple[Span, DateInterval | None]] = [
        (sp, resolve.normalise_time(sp.text, published=ctx.published, context=text, anchor=None)) for sp in spans
    ]
    for m in ANCHORED.finditer(text):
        if m.end() + base < head.idx:
            other = next(
                (iv for sp, iv in resolved if iv is not None and iv.start is not None and sp.end <= m.start()), None
            )
            if other is not None and other.start is not None:
                direction = "earlier" if m.group(3).lower() == "after" else "later"
                phrase = f"{m.group(1)} {m.group(2)} {direction}"
                iv = resolve.normalise_time(phrase, published=ctx.published, context=text, anchor=other.start)
                if iv is not None:
                    return replace(iv, text=m.group(0))
    best: tuple[int, DateInterval] | None = None
    shared: tuple[int, DateInterval] | None = None
    heads_here = trig_heads.get(s0, [md.head])
    for sp, iv in resolved:
        if iv is None:
            continue
        tok_span = doc.char_span(base + sp.start, base + sp.end, alignment_mode="expand")
        if tok_span is None:
            continue
        owner = _attached_trigger(tok_span.root.i, doc, set(heads_here))
        if owner is None:
            owner = _clause_owner(tok_span.root.i, doc, heads_here)
        if owner is None:
            continue
        dist = abs(tok_span.root.i - md.head)
        if owner != md.head:
            if _coordinated(doc[owner], doc[md.head]) and (shared is None or dist < shared[0]):
                shared = (dist, iv)
            continue
        if best is None or dist < best[0]:
            best = (dist, iv)
    if best is not None:
        return best[1]
    lasting = _duration(text, ctx.published)
    if lasting is not None:
        return lasting
    if shared is not None:
        # 'in 2015, the group blew up the temples ... and killed the archaeologist': one time for both verbs
        return shared[1]
    return resolve.default_date(ctx.published)


DURATION = re.compile(
    r"(?<!after )(?<!following )\b(?:for (?:several |many |some )?(weeks|months)|(weeks|months) of)\b", re.IGNORECASE
)
"""'have been trying to storm the town for weeks', 'after weeks of bombing': a happening spread over the span
before publication, not the last stated day."""


def _duration(text: str, published: date | None) -> DateInterval | None:
    m = DURATION.search(text)
    if m is None or published is None:
        return None
    unit = (m.group(1) or m.group(2)).lower()
    days = 30 if unit == "weeks" else 90
    return DateInterval(published - timedelta(days=days), published, 3, m.group(0), f"lasting {unit} up to publication")


def _coordinated(a: Token, b: Token) -> bool:
    """Two verbs joined by 'and'/'or' (either way round, or both conjuncts of a third)."""
    return (
        (b.dep_ == "conj" and b.head.i == a.i)
        or (a.dep_ == "conj" and a.head.i == b.i)
        or (a.dep_ == b.dep_ == "conj" and a.head.i == b.head.i)
    )


DOER_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
TERRITORY_SUBS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})


def _anaphoric(out: list[Mention], anaphors: set[str]) -> list[Mention]:
    """'this attack', 'that strike', 'the same raid': a demonstrative names again the last happening of its family
    the text told, so it takes that mention's kind and parties (news reuses a generic noun for a specific strike)."""
    fixed: list[Mention] = []
    for m in out:
        if m.id in anaphors:
            family = {m.event_type} | (DOER_TYPES if m.event_type in DOER_TYPES else set())
            prev = next((p for p in reversed(fixed) if p.event_type in family and p.actor1 is not None), None)
            if prev is not None:
                m = replace(
                    m,
                    event_type=prev.event_type,
                    sub_event_type=prev.sub_event_type,
                    action=m.action or prev.action,
                    actor1=prev.actor1,
                    actor2=m.actor2 if m.actor2 is not None and m.actor2.id else prev.actor2,
                )
        fixed.append(m)
    return fixed


def _inherit_actors(out: list[Mention], ctx: _DocContext, attackers: list[ActorRef]) -> list[Mention]:
    """A happening told without its doer ('the city's capture', 'four of them were beheaded', 'the airport had
    fallen') is, in a report, the one the text already told with its doer: take the doer of the last earlier
    mention of the same kind (same sub-event type, else same event type for ground fighting). Air strikes only
    borrow from an earlier air strike: unknown aircraft stay unknown. Fighting with no earlier mention of its kind
    is the document's attacker's: the side most often told attacking (a defence counts for the side repelled)."""
    fixed: list[Mention] = []
    for m in out:
        if (m.actor1 is None or m.actor1.id is None) and m.event_type in DOER_TYPES | {"Strategic developments"}:
            src = None
            for prev in reversed(fixed):
                if (
                    prev.actor1 is None
                    or not prev.actor1.id
                    or (m.actor2 is not None and prev.actor1.id == m.actor2.id)
                ):
                    continue
                same_sub = prev.sub_event_type == m.sub_event_type or (
                    prev.sub_event_type in TERRITORY_SUBS and m.sub_event_type in TERRITORY_SUBS
                )
                if same_sub and (prev.action == m.action or m.event_type != "Strategic developments"):
                    src = prev.actor1
                    break
            if src is None and m.event_type == "Battles" and attackers:
                src = next((a for a in attackers if not (m.actor2 and m.actor2.id == a.id)), None)
            if src is not None and not (m.actor2 is not None and m.actor2.id == src.id):
                a1 = ActorRef(src.id, src.name, "", src.kind, src.side, src.country)
                sub = m.sub_event_type
                if sub in TERRITORY_SUBS:
                    sub = (
                        "Government regains territory"
                        if resolve.is_state(a1)
                        else "Non-state actor overtakes territory"
                    )
                a2 = m.actor2
                if (a2 is None or a2.id is None) and m.event_type in DYAD_TYPES:
                    a2 = _opponent(a1, ctx, (0, 0)) or a2
                m = replace(m, actor1=a1, actor2=a2, sub_event_type=sub)
        fixed.append(m)
    return fixed


INHERIT_DAYS = 10
"""How recent (days before publication) a stated date must be for undated sentences to inherit it."""


def _inherit_dates(out: list[Mention], published: date | None) -> list[Mention]:
    """Sentences without a time phrase report the happening the story is about: they take the last date the
    text stated before them (else the first one after), when that date is recent news rather than background."""
    if published is None:
        return out
    stated: list[tuple[int, DateInterval]] = [
        (m.evidence.start, m.date)
        for m in out
        if m.date is not None
        and m.date.text is not None
        and m.date.start is not None
        and m.date.end is not None
        and m.date.precision <= 2
        and 0 <= (published - m.date.end).days <= INHERIT_DAYS
    ]
    if not stated:
        return out
    fixed: list[Mention] = []
    for m in out:
        if m.date is None or m.date.text is None:
            before = [iv for pos, iv in stated if pos <= m.evidence.start]
            src = before[-1] if before else stated[0][1]
            m = replace(m, date=replace(src, text=None, rule=f"inherited from '{src.text}'"))
        fixed.append(m)
    return fixed


def _clause_owner(i: int, doc: Doc, heads: list[int]) -> int | None:
    """The trigger a time phrase belongs to when it hangs from a verb that is no trigger: a trigger that is that
    verb's subject or object ('the assault began on Monday'), else the nearest trigger, unless the verb is in
    a clause of its own ('Operation Euphrates Shield, launched in August': the launch, not the capture)."""
    tok = doc[i]
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return min(heads, key=lambda h: abs(h - i))
    for h in heads:
        if doc[h].head.i == tok.i and doc[h].dep_ in ("nsubj", "nsubjpass", "dobj"):
            return h
    if tok.dep_ in ("acl", "relcl", "conj") and tok.head.i not in heads and tok.lemma_.lower() not in SPEECH_LEMMAS:
        # a clause of its own ('... cut the road and now sit between'): its time is not the trigger's
        return None
    return min(heads, key=lambda h: abs(h - i))


def _attached_trigger(i: int, doc: Doc, heads: set[int]) -> int | None:
    """The trigger a time phrase hangs from, climbing no further than the first other verb (a clause boundary)."""
    tok = doc[i]
    for _ in range(8):
        if tok.i in heads:
            return tok.i
        if tok.head is tok or (tok.i != i and tok.pos_ in ("VERB", "AUX")):
            return None
        tok = tok.head
    return None


def _finalise_type(
    md: MentionData, actor1: ActorRef | None, actor2: ActorRef | None, lex: TriggerLexicon, doc: Doc
) -> tuple[str, str]:
    entry = lex.entries.get(md.entry)
    event_type, sub = md.event_type, md.sub_event_type
    if entry is None:
        return event_type, sub
    if entry.state_sub and sub == entry.sub_event_type and resolve.is_state(actor1):
        sub = entry.state_sub
    victims_civilian = resolve.is_civilian(actor2)
    if not victims_civilian and md.actor2 is not None:
        victims_civilian = doc[md.actor2.head].lemma_.lower() in lex.civilian_lemmas
    if entry.civilian and victims_civilian and event_type == entry.event_type:
        event_type, sub = entry.civilian
    return event_type, sub


def _confidence(
    md: MentionData, a1: ActorRef | None, a2: ActorRef | None, place: Place | None, has_time: bool, modality: Modality
) -> float:
    score = 0.3 + 0.3 * md.specificity
    score += 0.12 if a1 is not None and a1.id else 0.06 if a1 is not None else 0.0
    score += 0.08 if (a2 is not None or place is not None) else 0.0
    score += 0.06 if place is not None and place.reason not in ("dateline", "document main place") else 0.0
    score += 0.05 if has_time else 0.0
    score += 0.04 if md.attribution else 0.0
    score *= MODALITY_WEIGHT.get(modality, 1.0)
    return round(min(0.99, max(0.05, score)), 3)


def _source_name(text: str | None, doc: Doc, before: int) -> str | None:
    """'the observatory' → the organisation named earlier ('Syrian Observatory for Human Rights')."""
    if text is None or not text.lower().startswith("the "):
        return text
    head = text.split()[-1].lower()
    for ent in reversed(doc.ents):
        if ent.start < before and ent.label_ in ("ORG", "ACTOR", "PERSON") and head in ent.text.lower().split():
            return ent.text.removeprefix("the ").removeprefix("The ")
    return text


def _offset(doc: Doc, document: Document) -> int:
    if document.text == doc.text:
        return 0
    found = document.text.find(doc.text)
    return found if found >= 0 else 0


def extract_mentions(doc: Doc, document: Document, *, lexicon: TriggerLexicon | None = None) -> list[Mention]:
    """Resolve one processed Doc's mentions against the actor KB, the gazetteer and the publication date.

    Args:
        doc: the Doc from `build_pipeline()` (it carries `doc._.sitreps_mentions`).
        document: the Document the doc was made from; offsets are character offsets into `document.text`
            (doc.text may be a suffix of it, e.g. after a crawler header was stripped).
        lexicon: the trigger lexicon the pipeline used (default: the packaged one).

    Returns:
        Mentions in text order; none for non-English text (logged), so a batch goes on.
    """
    data: list[MentionData] = doc._.get(extensions.MENTIONS) or []
    lang = detect_language(doc.text)
    doc._.set(extensions.LANGUAGE, lang)
    if lang in NON_ENGLISH_SKIP:
        log.info("%s: language looks like %r, not English; no mentions extracted", document.path or document.id, lang)
        return []
    if not data:
        return []
    lex = lexicon or load_triggers()
    offset = _offset(doc, document)
    ctx = _context(doc, document, offset)
    trig_heads: dict[int, list[int]] = {}
    for md in data:
        trig_heads.setdefault(md.sentence[0], []).append(md.head)
    out: list[Mention] = []
    anaphors: set[str] = set()
    attackers: Counter[str] = Counter()
    attacker_refs: dict[str, ActorRef] = {}
    for md in data:
        attribution = _source_name(md.attribution, doc, md.sentence[0])
        a1 = _actor(md.actor1, doc, ctx)
        a2 = _actor(md.actor2, doc, ctx)
        place, place_text = _place(md.place, doc, ctx)
        if place is None:
            place = _sentence_place(ctx, md.sentence, md.head)
        if place is None:
            fb = _fallback_place(ctx)
            place = replace(fb, text=fb.text) if fb is not None else None
        if (
            place is not None
            and place.geo_precision == 1
            and (place.kind or "") in LOCAL_KINDS | {"city", "town", "village"}
            and _near_or_part(doc[md.sentence[0] : md.sentence[1]], place, lex)
        ):
            place = replace(place, geo_precision=2)
        if place is not None and place.geo_precision < 3 and _region_of(doc[md.sentence[0] : md.sentence[1]], place):
            place = replace(place, geo_precision=3)
        when = _time(md, doc, ctx, lex, trig_heads)
        event_type, sub = _finalise_type(md, a1, a2, lex, doc)
        if md.action == "withdrawal" and a1 is not None and a1.id:
            gainer = _opponent(a1, ctx, md.sentence)
            if gainer is not None:
                # a side's withdrawal hands the ground to the other: coded as the other side's gain
                a1, a2 = gainer, a1
                event_type = "Battles"
                sub = "Government regains territory" if resolve.is_state(a1) else "Non-state actor overtakes territory"
        if (a1 is None or a1.id is None) and a2 is not None and a2.id and event_type == "Battles":
            a1 = _opponent(a2, ctx, md.sentence) or a1
        if (
            (a2 is None or (a2.id is None and not resolve.is_civilian(a2)))
            and a1 is not None
            and a1.id
            and event_type in DYAD_TYPES
        ):
            a2 = _opponent(a1, ctx, md.sentence) or a2
        if a2 is None and event_type == "Violence against civilians":
            a2 = ActorRef("civilians", "Civilians", "", "civilians")
        entry = lex.entries.get(md.entry)
        bare = md.actor1 is None and md.actor2 is None and md.place is None
        anaphor = md.voice == "noun" and any(
            c.dep_ == "det" and (c.lower_ in ("this", "that", "these", "those") or (bare and c.lower_ == "the"))
            for c in doc[md.head].children
        )
        if event_type == "Battles" and not anaphor:
            doer = a2 if entry is not None and entry.frame.name == "defend" else a1
            if doer is not None and doer.id:
                attackers[doer.id] += 1
                attacker_refs.setdefault(doer.id, ActorRef(doer.id, doer.name, "", doer.kind, doer.side, doer.country))
        s0, s1 = md.sentence
        sent = doc[s0:s1]
        while sent and sent[0].is_space:
            sent = doc[sent.start + 1 : sent.end]
        while sent and sent[-1].is_space:
            sent = doc[sent.start : sent.end - 1]
        trig = doc[md.trigger[0] : md.trigger[1]]
        out.append(
            Mention(
                document_id=document.id,
                event_type=event_type,
                sub_event_type=sub,
                action=md.action,
                trigger=Span(trig.text, trig.start_char + offset, trig.end_char + offset),
                evidence=Span(sent.text, sent.start_char + offset, sent.end_char + offset),
                actor1=a1,
                actor2=a2,
                place=place,
                date=when,
                fatalities=md.fatalities,
                modality=md.modality,
                attribution=attribution,
                confidence=_confidence(md, a1, a2, place, when.text is not None, md.modality),
                place_text=place_text,
                time_text=when.text,
                id=stable_id(document.id, trig.start_char + offset, trig.end_char + offset, event_type),
            )
        )
        if anaphor:
            anaphors.add(out[-1].id)
    ranked = [attacker_refs[i] for i, _ in attackers.most_common()]
    return _inherit_dates(_inherit_actors(_anaphoric(out, anaphors), ctx, ranked), ctx.published)


@lru_cache(maxsize=2)
def default_pipeline(model: str = "en_core_web_sm") -> Language:
    """The pipeline `extract_text` uses when none is given, built once per process."""
    from sitreps.nlp.build import build_pipeline

    return build_pipeline(model)


def extract_text(
    text: str, *, published: date | None = None, outlet: str | None = None, nlp: Language | None = None
) -> list[Mention]:
    """Extract event mentions from one text: the quickest way to try sitreps from Python.

    Args:
        text: the report's text.
        published: its publication date; relative dates ("last week") stay unresolved without it.
        outlet: who published it (kept on the Document only).
        nlp: a pipeline from `build_pipeline()`; default: the packaged one, built once.
    """
    pipeline = nlp or default_pipeline()
    document = Document(id=stable_id(text), text=text, published=published, outlet=outlet)
    return extract_mentions(pipeline(text), document)
