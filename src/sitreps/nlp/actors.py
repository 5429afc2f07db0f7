"""Who did it to whom: role phrases resolved to KB actors, pronouns and descriptions to the actor they stand for."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Doc, Token

from sitreps.model import ActorRef, DateInterval, Mention
from sitreps.nlp import resolve
from sitreps.nlp.context import SPEECH_LEMMAS, DocContext
from sitreps.nlp.roles import ACTOR_NOUNS, DEFINITE_GROUP_NOUNS, Arg, phrase
from sitreps.nlp.timing import ANTECEDENT_RULE

PARTY_NOUNS = ACTOR_NOUNS - frozenset(
    "jet warplane aircraft plane helicopter drone member man woman child people crowd ally".split()
)
"""Nouns that denote a party on their own ("militants", "gunmen"); equipment ("helicopters") names none."""


JIHADIST_WORDS = frozenset("militant jihadist terrorist extremist".split())
"""Words news uses for jihadist groups, not for other rebels ('the militants' in a report on rebels fighting IS)."""


def _salient_actor(ctx: DocContext, before: int, text: str) -> ActorRef | None:
    """'the group', 'they', 'the jihadists' → the last armed group named as a subject before this point, else the
    last named; 'the militants', 'the terrorists' → a jihadist group when the text names one."""
    words = {w.lower().rstrip("s") for w in text.split()}
    sides: tuple[bool, ...] = (True, False) if words & JIHADIST_WORDS else (False,)
    for jihadist_only in sides:
        for subjects_only in (True, False):
            for start, ref, is_subject in reversed(ctx.actor_mentions):
                if jihadist_only and ref.side != "jihadist":
                    continue
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


def _whose_antecedent(whose: Token) -> Token | None:
    """'the Russians, whose bombers were striking': the noun the relative clause holding 'whose' hangs from."""
    tok = whose.head
    for _ in range(4):
        if tok.dep_ == "relcl":
            return tok.head
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _possessor_actor(head: Token, ctx: DocContext) -> ActorRef | None:
    """ "Turkey's intervention", "Assad's forces": the possessor names the party when the head does not."""
    poss = next((c for c in head.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    if poss is None:
        whose = next((c for c in head.children if c.dep_ == "poss" and c.lower_ == "whose"), None)
        poss = _whose_antecedent(whose) if whose is not None else None
        if poss is None:
            return None
    s, e = phrase(poss)
    text = poss.doc[s:e].text
    for cand in (f"{text} {head.text}", text, f"{text} forces"):
        ref = resolve.match_actor(cand, ctx.country)
        if ref is not None:
            return ActorRef(ref.id, ref.name, text, ref.kind, ref.side, ref.country)
    return None


def _exact(text: str, country: str | None) -> ActorRef | None:
    """A guessed phrase ("<surname> regime", "<town> government") resolved only when it is a KB alias as a whole."""
    kb = resolve.actor_kb()
    match = getattr(kb, "match_exact", None)
    if match is None:
        return None
    ref = match(text, country)
    return ref if isinstance(ref, ActorRef) else None


def _person_actor(text: str, ctx: DocContext) -> ActorRef | None:
    """A leader acting in a conflict event acts through his forces: "Assad retook the city" → the army whose
    KB aliases name him ("Assad forces"), else his government ("Assad regime")."""
    ref = resolve.match_actor(text, ctx.country)
    if ref is not None:
        return ref
    surname = text.split()[-1]
    for cand in (f"{surname} forces", f"{surname} regime", f"{surname} government"):
        ref = _exact(cand, ctx.country)
        if ref is not None:
            return ActorRef(ref.id, ref.name, text, ref.kind, ref.side, ref.country)
    return None


def _reported_speaker(pron: Token, doc: Doc, ctx: DocContext) -> ActorRef | None:
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
    return _military_of(ref, subj) if ref is not None else None


def _salient_state(ctx: DocContext, before: int, span: Any) -> ActorRef | None:
    """'regime commanders', 'army officers': the state force a modifier names, else none."""
    for tok in span:
        if tok.lemma_.lower() in ("regime", "army", "government", "military"):
            for start, ref, _ in reversed(ctx.actor_mentions):
                if start < before + len(span) and resolve.is_state(ref) and ref.kind != "state":
                    return ref
    return None


def _equipment_owner(head: Token, doc: Doc, ctx: DocContext) -> ActorRef | None:
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


RANK_NOUNS = frozenset("commander officer troop soldier general".split())
"""Members of a chain of command: bare ('commanders rushed men in') they are the regular force the text is about."""
MILITARY_NOUNS = RANK_NOUNS | frozenset("force unit fighter army military".split())
BELIEF_LEMMAS = frozenset("believe think suspect say report understand".split())


def _military_of(ref: ActorRef, head: Token) -> ActorRef:
    """'regime commanders', 'government troops': a government's soldiers are its military, not the government."""
    if ref.kind != "government" or not ref.id or not ref.id.endswith("-government"):
        return ref
    if head.lemma_.lower() not in MILITARY_NOUNS:
        return ref
    kb = resolve.actor_kb()
    actor = kb.get(ref.id.removesuffix("-government") + "-military") if kb is not None else None
    if actor is None:
        return ref
    military = actor.ref(ref.text)
    return military if isinstance(military, ActorRef) else ref


def _salient_force(ctx: DocContext, before: int, sentence_start: int) -> ActorRef | None:
    """The state force named last before this point, in the same sentence if it names one, else earlier; of
    the country the report is about when it names one (a foreign ally's 'officers' are named as such)."""
    forces = [(start, ref) for start, ref, _ in ctx.actor_mentions if start < before and ref.kind == "state-forces"]
    local = [(start, ref) for start, ref in forces if ref.country == ctx.country]
    forces = local or forces
    if not forces:
        return None
    in_sentence = [ref for start, ref in forces if start >= sentence_start]
    return in_sentence[-1] if in_sentence else forces[-1][1]


def _stated_nationality(head: Token, ctx: DocContext) -> ActorRef | None:
    """'warplanes believed to be Russian', 'jets thought to be Syrian': the force whose nationality a hedged
    complement gives to unmarked equipment (the complement hangs from the noun, or the parser makes the noun
    the subject of 'believed')."""
    if head.lemma_.lower() not in EQUIPMENT:
        return None
    verbs = [c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in BELIEF_LEMMAS]
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in BELIEF_LEMMAS:
        verbs.append(head.head)
    for verb in verbs:
        for be in (c for c in verb.children if c.dep_ == "xcomp" and c.lemma_ == "be"):
            for comp in be.children:
                if comp.dep_ in ("acomp", "attr") and comp.ent_type_ in ("NORP", "GPE"):
                    ref = _exact(f"{comp.text} forces", ctx.country)
                    if ref is not None:
                        return ActorRef(ref.id, ref.name, head.text, ref.kind, ref.side, ref.country)
    return None


def _foreign_partner(arg: Arg, ref: ActorRef, ctx: DocContext, head: Token) -> ActorRef:
    """'Syrian and Russian warplanes': joint air power is coded with the foreign air force (docs/annotation.md)."""
    kinds = EQUIPMENT | {"force"}
    if head.lemma_.lower() not in kinds and not any(
        c.dep_ == "conj" and c.lemma_.lower() in kinds for c in head.children
    ):
        return ref
    doc = head.doc
    named = [t.text for t in doc[arg.start : arg.end] if t.ent_type_ in ("NORP", "GPE") and t.i != head.i]
    for other in [*arg.also, *named]:
        cand = resolve.match_actor(f"{other} forces", ctx.country)
        if cand is not None and cand.id != ref.id and resolve.is_state(cand) and cand.country != ctx.country:
            return ActorRef(cand.id, cand.name, arg.text, cand.kind, cand.side, cand.country)
    return ref


def _sentence_state(pron: Token, doc: Doc, ctx: DocContext) -> ActorRef | None:
    """'the heaviest toll for Turkey since it sent troops into Syria': 'it' acting, right after a country named in
    its own sentence (no party named in between), stands for that state's forces, not for the armed group the
    story is most about."""
    sent = pron.sent
    for ent in reversed(doc.ents):
        if ent.end > pron.i or ent.start < sent.start or ent.label_ not in ("GPE", "ACTOR", "ORG", "NORP"):
            continue
        if ent.label_ != "GPE":
            return None  # a party is named nearer: the usual resolution decides
        # a country acts through its forces; a capital ('Damascus did the one thing it could') through its government
        forces = _exact(f"{ent.text} forces", ctx.country) or _exact(f"{ent.text} government", ctx.country)
        if forces is not None and resolve.is_state(forces):
            return ActorRef(forces.id, forces.name, pron.text, forces.kind, forces.side, forces.country)
        return None  # the nearest place named is a town or region: no state to stand for
    return None


def actor_for(arg: Arg | None, doc: Doc, ctx: DocContext) -> ActorRef | None:
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
        return actor_for(Arg(s, e, ante.i, doc[s:e].text, "actor" if ante.ent_type_ == "ACTOR" else "other"), doc, ctx)
    if arg.kind == "pronoun" and head.lower_ in ("he", "she", "him", "her", "his"):
        person = next((e for e in reversed(doc.ents) if e.label_ == "PERSON" and e.end <= arg.start), None)
        if person is not None:
            return _person_actor(person.text, ctx) or resolve.unknown_actor(person.text)
        return None
    if arg.kind == "pronoun" and head.lower_ in ("they", "them", "their", "it", "its", "we", "us", "our"):
        speaker = _reported_speaker(head, doc, ctx)
        if speaker is not None:
            return speaker
    if arg.kind == "pronoun" and head.lower_ == "it" and head.dep_ == "nsubj":
        state = _sentence_state(head, doc, ctx)
        if state is not None:
            return state
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
        forces = _exact(f"{arg.text} forces", ctx.country)
        if forces is None and head.ent_type_ == "GPE":
            # a capital acting ('Damascus has sent a general', 'Ankara deployed'): its government; a town is none
            forces = _exact(f"{arg.text} government", ctx.country)
        if forces is not None:
            ref = ActorRef(forces.id, forces.name, arg.text, forces.kind, forces.side, forces.country)
    if ref is None and head.ent_type_ == "PERSON":
        ref = _person_actor(doc[arg.start : arg.end].text, ctx)
    if ref is None:
        ref = _possessor_actor(head, ctx)
    if ref is None:
        ref = _equipment_owner(head, doc, ctx) or _stated_nationality(head, ctx)
    if (
        ref is None
        and head.lemma_.lower() in RANK_NOUNS
        and head.tag_ == "NNS"
        and not any(c.dep_ in ("det", "poss", "compound", "amod", "nummod") for c in head.children)
    ):
        ref = _salient_force(ctx, arg.start, head.sent.start)
        if ref is not None:
            ref = ActorRef(ref.id, ref.name, arg.text, ref.kind, ref.side, ref.country)
    if ref is not None:
        return _foreign_partner(arg, _military_of(ref, head), ctx, head)
    if head.ent_type_ in ("GPE", "LOC", "FAC") or arg.kind in ("place", "definite-place"):
        return None
    lex = arg.text.lower().split()
    if any(w in lex for w in ("civilian", "civilians", "residents", "villagers", "children", "women", "people")):
        return ActorRef(None, "Civilians", arg.text, "civilians")
    if head.ent_type_ in PARTY_LABELS or head.lemma_.lower() in PARTY_NOUNS:
        return resolve.unknown_actor(arg.text)
    return None


def opponent(
    a1: ActorRef, ctx: DocContext, sentence: tuple[int, int], *, target: bool = False, territory: bool = False
) -> ActorRef | None:
    """The other side of a fight the sentence does not name: an opposed actor named in the sentence, else the
    opposed armed actor the document names most (news reports a conflict dyad; coders fill both sides). As the
    `target` of a named doer, a party of the conflict's own country comes first; ground an armed group takes
    (`territory`) is lost by that country's military when the text names no local party, not by a foreign air
    force that happened to be named."""
    s0, s1 = sentence
    for start, ref, _ in ctx.actor_mentions:
        if s0 <= start < s1 and resolve.opposed(a1, ref) and not _describes_speaker(start, ctx.doc):
            return ref
    counts: Counter[str] = Counter()
    refs: dict[str, ActorRef] = {}
    for start, ref, _ in ctx.actor_mentions:
        if ref.id and resolve.opposed(a1, ref) and not _describes_speaker(start, ctx.doc):
            counts[ref.id] += 1
            refs.setdefault(ref.id, ref)
    local = [i for i in counts if refs[i].country in (None, ctx.country)]
    if target and territory and not local and ctx.country is not None and resolve.is_group(a1):
        army = _local_military(ctx.country)
        if army is not None and resolve.opposed(a1, army):
            return army
    if not counts:
        return None
    if target and local and ctx.country is not None:
        # a foreign state's forces (air support, advisers) are the other side only where the text says so
        return refs[max(local, key=lambda i: counts[i])]
    return refs[counts.most_common(1)[0][0]]


def _describes_speaker(i: int, doc: Doc | None) -> bool:
    """Whether token i lies in what the text says about a speaker ('said the commander, a volunteer who may not
    speak for the alliance that includes Hezbollah'): who the speaker is tells no party of the happening."""
    if doc is None or not 0 <= i < len(doc):
        return False
    for tok in [doc[i], *doc[i].ancestors]:
        speaker = tok.head
        if speaker.dep_ not in ("nsubj", "nsubjpass") or speaker.head.lemma_.lower() not in SPEECH_LEMMAS:
            continue
        if tok.dep_ in ("appos", "relcl", "acl"):
            return True
        # the parser hangs a description's trailing list item ('..., Hezbollah, and the Russian air force') on
        # the speaker as a conjunct: one after a description is still part of it
        if tok.dep_ == "conj" and any(c.dep_ in ("appos", "relcl", "acl") and c.i < tok.i for c in speaker.children):
            return True
    return False


def _local_military(country: str) -> ActorRef | None:
    """The KB's military of a country (ISO2), as an actor reference."""
    kb = resolve.actor_kb()
    state = kb.state(country) if kb is not None else None
    actor = kb.get(f"{state.slug}-military") if kb is not None and state is not None else None
    if actor is None:
        return None
    return ActorRef(actor.id, actor.name, "", actor.kind, actor.side, actor.country)


DYAD_TYPES = frozenset({"Battles", "Explosions/Remote violence"})
AID_ACTIONS = frozenset({"aid-suspension", "aid-delivery", "airdrop"})
AID_KINDS = frozenset({"international-organisation"})


def aid_doer(a1: ActorRef | None, action: str | None) -> ActorRef | None:
    """A relief agency that suspends or delivers aid is no party to the conflict: the coding leaves actor1 empty
    and names the agency as the source (docs/annotation.md, Aid)."""
    if a1 is not None and action in AID_ACTIONS and a1.kind in AID_KINDS:
        return None
    return a1


def appointer(ctx: DocContext) -> ActorRef | None:
    """'General X has been appointed to lead …' says no one appointed him: commanders are appointed by the
    government of the state whose forces the report is about."""
    forces = [ref for _, ref, _ in ctx.actor_mentions if ref.kind == "state-forces" and ref.id]
    local = [ref.id for ref in forces if ref.country == ctx.country]
    kb = resolve.actor_kb()
    if not forces or kb is None:
        return None
    top = Counter(local or [ref.id for ref in forces]).most_common(1)[0][0] or ""
    actor = kb.get(top.removesuffix("-military") + "-government")
    ref = actor.ref("") if actor is not None else None
    return ref if isinstance(ref, ActorRef) else None


DOER_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
TERRITORY_SUBS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})


CAMPAIGN_ACTIONS = frozenset({"offensive"})
"""Actions of campaign nouns ('the offensive', 'the campaign'): a whole push, whose antecedent is of its own type."""


def _antecedent_date(m: Mention, prev: Mention) -> DateInterval | None:
    """The date an anaphor takes from its antecedent: the antecedent's own stated (or itself referred-back) date
    when the anaphor states none ('this attack' in January is the September strike); else its own."""
    d = prev.date
    own = m.date is not None and m.date.text is not None
    if own or d is None or d.start is None:
        return m.date
    if d.text is None and not (d.rule or "").startswith(ANTECEDENT_RULE):
        return m.date  # the antecedent's date is the reporting days: the story's date comes later, to both
    return replace(d, text=None, rule=f"{ANTECEDENT_RULE} '{prev.trigger.text}'")


def _same_place(a: Mention, b: Mention) -> bool:
    """Whether two mentions may be one happening by place: the same place, or one of them placed nowhere."""
    return a.place is None or b.place is None or a.place.id == b.place.id


def anaphoric(
    out: list[Mention],
    anaphors: set[str],
    definite: frozenset[str] | set[str] = frozenset(),
    own_target: frozenset[str] | set[str] = frozenset(),
) -> list[Mention]:
    """'this attack', 'that strike', 'the same raid': a demonstrative names again the last happening of its family
    the text told, so it takes that mention's kind, parties and date (news reuses a generic noun for a specific
    strike). A `definite` nominal with its doer but no target or time of its own ('the US air strike' after the
    text told a US air strike) names again the last happening of its own kind by that doer, when there is one.
    A target the text gives the anaphor (`own_target`) stays; one only guessed for it gives way to the
    antecedent's."""
    fixed: list[Mention] = []
    for m in out:
        prev: Mention | None = None
        if m.id in anaphors:
            campaign = m.action in CAMPAIGN_ACTIONS
            family = {m.event_type} | (DOER_TYPES if m.event_type in DOER_TYPES and not campaign else set())
            prev = next((p for p in reversed(fixed) if p.event_type in family and p.actor1 is not None), None)
        elif m.id in definite and m.actor1 is not None and m.actor1.id:
            doer = m.actor1.id
            prev = next(
                (
                    p
                    for p in reversed(fixed)
                    if p.sub_event_type == m.sub_event_type
                    and p.actor1 is not None
                    and p.actor1.id == doer
                    and _same_place(p, m)
                ),
                None,
            )
            campaign = False
        if prev is not None:
            keep_target = m.actor2 is not None and m.actor2.id and (m.id in own_target or prev.actor2 is None)
            m = replace(
                m,
                # 'the offensive' names back the push of its own type's last doer (never one air strike), and
                # stays a campaign: it takes the parties, not the one capture that the push made
                event_type=m.event_type if campaign else prev.event_type,
                sub_event_type=m.sub_event_type if campaign else prev.sub_event_type,
                action=m.action or prev.action,
                actor1=prev.actor1,
                actor2=m.actor2 if keep_target else prev.actor2,
                date=m.date if campaign else _antecedent_date(m, prev),
            )
        fixed.append(m)
    return fixed


def _stated(m: Mention) -> tuple[date, date] | None:
    """The interval the mention's own time phrase states (not one it inherited or defaulted to)."""
    d = m.date
    if d is None or d.text is None or d.start is None or d.end is None:
        return None
    return d.start, d.end


def _dated_apart(m: Mention, prev: Mention) -> bool:
    """Whether m states a time of its own that does not overlap prev's date (stated, inherited or the reporting
    days), with a day's slack: then they are different happenings."""
    sm = _stated(m)
    d = prev.date
    if sm is None or d is None or d.start is None or d.end is None:
        return False
    return sm[1] + timedelta(days=1) < d.start or d.end + timedelta(days=1) < sm[0]


def _background(m: Mention, earlier: list[Mention]) -> bool:
    """A territory change dated apart from every earlier dated mention: background, not the story's fighting."""
    if m.sub_event_type not in TERRITORY_SUBS or _stated(m) is None:
        return False
    dated = [p for p in earlier if p.date is not None and p.date.start is not None]
    return bool(dated) and all(_dated_apart(m, p) for p in dated)


def inherit_actors(out: list[Mention], ctx: DocContext, attackers: list[ActorRef]) -> list[Mention]:
    """A happening told without its doer ('the city's capture', 'four of them were beheaded', 'the airport had
    fallen') is, in a report, the one the text already told with its doer: take the doer of the last earlier
    mention of the same kind (same sub-event type, else same event type for ground fighting). Air strikes only
    borrow from an earlier air strike: unknown aircraft stay unknown. Fighting with no earlier mention of its kind
    is the document's attacker's: the side most often told attacking (a defence counts for the side repelled).
    A happening the text dates apart from the earlier one ('after the city fell on Dec. 11' in a report of its
    recapture) is another happening: it borrows no doer from it, nor from the story's attacker."""
    fixed: list[Mention] = []
    for m in out:
        if (m.actor1 is None or m.actor1.id is None) and m.event_type in DOER_TYPES | {"Strategic developments"}:
            src = None
            for prev in reversed(fixed):
                if (
                    prev.actor1 is None
                    or not prev.actor1.id
                    or (m.actor2 is not None and prev.actor1.id == m.actor2.id)
                    or _dated_apart(m, prev)
                ):
                    continue
                same_sub = prev.sub_event_type == m.sub_event_type or (
                    prev.sub_event_type in TERRITORY_SUBS and m.sub_event_type in TERRITORY_SUBS
                )
                same_action = prev.action == m.action or (m.action is None and prev.sub_event_type == m.sub_event_type)
                if same_sub and (same_action or m.event_type != "Strategic developments"):
                    src = prev.actor1
                    break
            if src is None and m.event_type == "Battles" and attackers and not _background(m, fixed):
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
                    a2 = opponent(a1, ctx, (0, 0), target=True, territory=sub in TERRITORY_SUBS) or a2
                m = replace(m, actor1=a1, actor2=a2, sub_event_type=sub)
        fixed.append(m)
    return fixed
