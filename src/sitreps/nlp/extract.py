"""Turn the parse's MentionData into resolved Mention values: actors, places, dates, confidence, offsets."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from sitreps.kb.triggers import TriggerLexicon, load_triggers
from sitreps.model import ActorRef, Document, Mention, Modality, Place, Span, stable_id
from sitreps.nlp import extensions, resolve
from sitreps.nlp.actors import (
    DYAD_TYPES,
    TERRITORY_SUBS,
    actor_for,
    aid_doer,
    anaphoric,
    appointer,
    inherit_actors,
    opponent,
)
from sitreps.nlp.components import MentionData
from sitreps.nlp.context import build_context
from sitreps.nlp.language import detect_language
from sitreps.nlp.places import event_place
from sitreps.nlp.timing import event_date, inherit_dates

log = logging.getLogger(__name__)

MODALITY_WEIGHT: dict[str, float] = {
    "asserted": 1.0,
    "hedged": 0.75,
    "planned": 0.65,
    "threatened": 0.6,
    "negated": 0.5,
}
"""How much each modality keeps of a mention's confidence: a denial or a plan is weaker evidence of a happening."""
NON_ENGLISH_SKIP = frozenset({"fr", "de", "es", "it", "pt", "nl", "tr", "ar", "ru", "zh", "he", "fa"})


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


def _drop_means(data: list[MentionData], doc: Doc) -> list[MentionData]:
    """'executed 12 people, four of them by beheading': a gerund after 'by' that tells how a same-type happening
    of its sentence was done is part of that happening, not a second one."""
    out = []
    for md in data:
        tok = doc[md.head]
        means = tok.tag_ == "VBG" and tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ == "by"
        owner = tok.head.head
        if means and any(
            o is not md
            and o.sentence == md.sentence
            and o.event_type == md.event_type
            and (o.head == owner.i or owner.like_num)  # 'executed them by beheading', 'four of them by beheading'
            for o in data
        ):
            continue
        out.append(md)
    return out


MATERIEL = frozenset(
    "vehicle equipment weapon tank ammunition artillery launcher howitzer mortar gun position fortification "
    "depot armour armor emplacement bunker".split()
)
"""War materiel: destroying the enemy's is fighting, not the looting/property destruction ACLED means."""
AIRCRAFT = frozenset("warplane jet aircraft plane drone bomber helicopter gunship".split())


def _materiel(md: MentionData, doc: Doc, event_type: str, sub: str) -> tuple[str, str]:
    """'destroyed their equipment and weapons': a destruction of war materiel that no other trigger of the sentence
    took as its outcome is the fight itself (an air strike when aircraft or the air force did it)."""
    if sub != "Looting/property destruction" or md.action is not None:
        return event_type, sub
    head = doc[md.head]
    objects = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [c for o in objects for c in o.conjuncts]
    if not any(o.lemma_.lower() in MATERIEL for o in objects):
        return event_type, sub
    subj = doc[md.actor1.head] if md.actor1 is not None else None
    if subj is not None and (
        subj.lemma_.lower() in AIRCRAFT
        or (subj.lemma_.lower() == "force" and any(c.lower_ == "air" for c in subj.children))
    ):
        return "Explosions/Remote violence", "Air/drone strike"
    return "Battles", "Armed clash"


GROUND_SUBS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
GROUND_TAKING = frozenset({"siege", "capture"})


def _fold_into_ground(data: list[MentionData], doc: Doc, lex: TriggerLexicon) -> list[MentionData]:
    """'advanced through the orchards, severing the road', 'the attack separated the base from the town': the push
    is how the ground was taken, one happening told by its outcome. A generic clash or advance that governs a
    ground-taking trigger of its sentence (advcl or conj), or is that trigger's subject, folds into it. A defence
    ('held off the attacks, but the airport is cut off') takes no ground: its defender is not the cutter."""
    drop: set[int] = set()
    for md in data:
        if md.event_type != "Battles" or md.sub_event_type != "Armed clash" or md.action not in (None, "advance"):
            continue
        entry = lex.entries.get(md.entry)
        if entry is not None and entry.frame.name == "defend":
            continue
        tok = doc[md.head]
        for g in data:
            if g is md or g.head in drop or g.sentence != md.sentence or g.modality != md.modality:
                continue
            if g.sub_event_type not in GROUND_SUBS or g.action not in GROUND_TAKING:
                continue
            if g.actor1 is not None and md.actor1 is not None and g.actor1.head != md.actor1.head:
                continue  # 'the rebels advanced and the army cut the road': two doers, two happenings
            gt = doc[g.head]
            governs = gt.head.i == tok.i and gt.dep_ in ("advcl", "conj", "xcomp")
            subject = tok.head.i == gt.i and tok.dep_ == "nsubj"
            if governs or subject:
                g.actor1 = g.actor1 or md.actor1
                g.place = g.place or md.place
                g.merged.extend([md.head, *md.merged])
                drop.add(md.head)
                break
    return [md for md in data if md.head not in drop]


def _definite_retelling(md: MentionData, doc: Doc, time_text: str | None) -> bool:
    """'the US air attack weakened its lines': a definite noun trigger with no target and no time of its own
    may name again a happening told before (actors.anaphoric checks there is one, by the same doer)."""
    if md.voice != "noun" or md.actor2 is not None or time_text is not None:
        return False
    return any(c.dep_ == "det" and c.lower_ == "the" for c in doc[md.head].children)


def _offset(doc: Doc, document: Document) -> int:
    text = extensions.doc_text(doc)
    if document.text == text:
        return 0
    found = document.text.find(text)
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
    lang = detect_language(extensions.doc_text(doc))
    doc._.set(extensions.LANGUAGE, lang)
    if lang in NON_ENGLISH_SKIP:
        log.info("%s: language looks like %r, not English; no mentions extracted", document.path or document.id, lang)
        return []
    lex = lexicon or load_triggers()
    data = _fold_into_ground(_drop_means(data, doc), doc, lex)
    if not data:
        return []
    offset = _offset(doc, document)
    ctx = build_context(doc, document, offset)
    trig_heads: dict[int, list[int]] = {}
    for md in data:
        trig_heads.setdefault(md.sentence[0], []).append(md.head)
    out: list[Mention] = []
    anaphors: set[str] = set()
    definite: set[str] = set()
    own_target: set[str] = set()
    attackers: Counter[str] = Counter()
    attacker_refs: dict[str, ActorRef] = {}
    for md in data:
        attribution = _source_name(md.attribution, doc, md.sentence[0])
        a1 = aid_doer(actor_for(md.actor1, doc, ctx), md.action)
        if md.action == "appointment" and (a1 is None or a1.id is None):
            a1 = appointer(ctx) or a1
        a2 = actor_for(md.actor2, doc, ctx)
        if (
            md.event_type == "Violence against civilians"
            and md.actor2 is not None
            and md.actor2.kind == "pronoun"
            and a2 is not None
            and not resolve.is_civilian(a2)
        ):
            # 'four of them were beheaded': the victims named before, not the armed group the pronoun last met
            a2 = ActorRef("civilians", "Civilians", md.actor2.text, "civilians")
        place, place_text = event_place(md, doc, ctx, lex)
        when = event_date(md, doc, ctx, lex, trig_heads)
        event_type, sub = _materiel(md, doc, *_finalise_type(md, a1, a2, lex, doc))
        if md.action == "withdrawal" and a1 is not None and a1.id:
            gainer = opponent(a1, ctx, md.sentence)
            if gainer is not None:
                # a side's withdrawal hands the ground to the other: coded as the other side's gain
                a1, a2 = gainer, a1
                event_type = "Battles"
                sub = "Government regains territory" if resolve.is_state(a1) else "Non-state actor overtakes territory"
        if (a1 is None or a1.id is None) and a2 is not None and a2.id and event_type == "Battles":
            a1 = opponent(a2, ctx, md.sentence) or a1
        if (
            (a2 is None or (a2.id is None and not resolve.is_civilian(a2)))
            and a1 is not None
            and a1.id
            and event_type in DYAD_TYPES
        ):
            a2 = opponent(a1, ctx, md.sentence, target=True, territory=sub in TERRITORY_SUBS) or a2
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
        elif _definite_retelling(md, doc, when.text):
            definite.add(out[-1].id)
        if md.actor2 is not None:
            own_target.add(out[-1].id)
    ranked = [attacker_refs[i] for i, _ in attackers.most_common()]
    return inherit_dates(inherit_actors(anaphoric(out, anaphors, definite, own_target), ctx, ranked), ctx.published)


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
