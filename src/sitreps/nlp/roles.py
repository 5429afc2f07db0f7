"""Dependency rules that find a trigger's doer, target, victims and place phrase, in active, passive and nominal use."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sitreps.kb.triggers import TriggerEntry, TriggerLexicon

PLACE_NOUNS = frozenset(
    "city town village province governorate district area region countryside outskirts airport airbase base "
    "neighbourhood neighborhood suburb camp border desert hill mountain road highway site checkpoint crossing "
    "enclave pocket frontline territory countryside valley river bridge dam field oilfield market square "
    "hospital school mosque church theatre theater ruins citadel prison garrison position positions centre center "
    "quarter outpost station port harbour harbor junction stronghold capital plant facility barracks headquarters "
    "silo oilfield gasfield front neighborhood".split()
)
"""Common nouns that name places; a definite one ("the town") refers back to the last place named."""
FACILITY_NOUNS = frozenset(
    "airport airbase base hospital school mosque church theatre theater citadel prison checkpoint bridge dam market".split()
)
ACTOR_NOUNS = frozenset(
    "army force troop soldier military militant fighter rebel group jihadist insurgent militia militiaman gunman "
    "police policeman coalition jet warplane aircraft plane helicopter drone regime government commander unit "
    "battalion brigade division guard member terrorist extremist civilian people resident villager child woman man "
    "protester demonstrator crowd officer personnel marine sniper bomber attacker assailant ally alliance".split()
)
"""Nouns that name parties to an event (for words the KB does not resolve)."""
PRONOUNS = frozenset("they them it he she its their his her we us".split())
DEFINITE_GROUP_NOUNS = frozenset(
    "group militant jihadist insurgent extremist terrorist fighter rebel organisation organization".split()
)
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
TIME_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
CONTROL_HEADS = frozenset({"campaign", "offensive", "operation", "alliance", "coalition", "force", "assault", "push"})
PARTY_ENTS = frozenset({"ACTOR", "NORP", "ORG", "PERSON"})
_NP_DEPS = frozenset(
    {"compound", "amod", "det", "poss", "nummod", "nmod", "quantmod", "npadvmod", "case", "advmod", "predet"}
)
_CLIMB = frozenset({"xcomp", "conj", "advcl", "pcomp", "prep", "acl", "acomp"})


@dataclass(slots=True)
class Arg:
    """One argument phrase: its token range, head and what kind of thing it names."""

    start: int
    end: int
    head: int
    text: str
    kind: str
    """actor | place | pronoun | definite (a definite description such as 'the group') | other."""
    actor_id: str | None = None
    """The KB id the entity ruler gave it ('' for a context alias), None when no ACTOR entity covers it."""
    also: list[str] = field(default_factory=list)
    """Coordinated phrases ("Russian and Syrian jets" → actor1 'Russian …', also ['Syrian']): the model has one actor1."""


@dataclass(slots=True)
class Args:
    """Arguments found for one trigger, by role, before KB and gazetteer resolution."""

    actor1: Arg | None = None
    actor2: Arg | None = None
    target: Arg | None = None
    victim: Arg | None = None
    place: Arg | None = None
    subject: Token | None = None
    obj: Token | None = None
    preps: dict[str, Token] = field(default_factory=dict)


def _actor_ent(tok: Token) -> tuple[int, int, str] | None:
    if tok.ent_type_ == "ACTOR":
        i = tok.i
        doc = tok.doc
        start = i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return start, end, tok.ent_id_
    return None


def _np_tokens(head: Token, into: list[Token]) -> None:
    into.append(head)
    for child in head.children:
        if (
            child.dep_ in _NP_DEPS
            or (child.dep_ in ("punct",) and child.text == "-")
            or (child.dep_ == "cc" and child.i < head.i)
            or (child.dep_ == "conj" and child.i < head.i)
        ):
            _np_tokens(child, into)


def _place_ent(tok: Token) -> tuple[int, int] | None:
    """The place entity (GPE/LOC/FAC) that covers a token: the parser may split 'Dayr az Zawr' across heads."""
    if tok.ent_type_ not in PLACE_ENTS:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def phrase(head: Token) -> tuple[int, int]:
    """The noun phrase around a head: determiners and modifiers to its left, never relative clauses or PPs."""
    toks: list[Token] = []
    _np_tokens(head, toks)
    ent = _actor_ent(head)
    start = min(t.i for t in toks)
    end = max(t.i for t in toks) + 1
    if ent is not None:
        start, end = min(start, ent[0]), max(end, ent[1])
    while start < head.i and head.doc[start].is_punct:
        start += 1
    while end - 1 > head.i and (head.doc[end - 1].is_punct or head.doc[end - 1].dep_ == "case"):
        end -= 1
    if end - 1 == head.i and end - 1 > start and head.doc[end - 1].dep_ == "case":
        end -= 1
    return start, end


def _refine(tok: Token) -> Token:
    """Look through empty heads: 'control of X' → X, 'one of its commanders' → commanders, 'more of X' → X."""
    if (
        tok.lemma_.lower()
        in (
            "control",
            "one",
            "more",
            "part",
            "most",
            "some",
            "rest",
            "hold",
            "much",
            "string",
            "series",
            "number",
            "handful",
            "couple",
            "dozen",
            "dozens",
            "cluster",
            "host",
            "hundred",
            "hundreds",
            "thousand",
            "thousands",
            "score",
            "scores",
            "group",
            "swathe",
            "swath",
            "chunk",
            "parts",
        )
        or tok.like_num
    ):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return tok


def _kind(tok: Token, lex: TriggerLexicon) -> str:
    lemma = tok.lemma_.lower()
    if tok.ent_type_ == "ACTOR":
        return "actor"
    if tok.pos_ == "PRON" or (tok.lower_ in PRONOUNS and not tok.is_upper):
        return "pronoun"
    if tok.ent_type_ in PLACE_ENTS or lemma in lex.compass:
        return "place"
    has_det_the = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    if lemma in PLACE_NOUNS:
        if any(c.pos_ == "PROPN" or c.ent_type_ in PLACE_ENTS for c in tok.children if c.dep_ in ("compound", "poss")):
            return "place"
        definite = has_det_the or any(c.dep_ == "poss" for c in tok.children)
        return "definite-place" if definite else "other"
    if tok.ent_type_ in TIME_ENTS or tok.like_num:
        return "other"
    if (
        has_det_the
        and lemma in DEFINITE_GROUP_NOUNS
        and not any(c.dep_ in ("amod", "compound") and c.pos_ in ("PROPN", "ADJ") and c.ent_type_ for c in tok.children)
    ):
        return "definite"
    if tok.ent_type_ in PARTY_ENTS or lemma in ACTOR_NOUNS:
        return "actor"
    if tok.pos_ == "PROPN":
        return "place"
    return "other"


SETTLEMENT_NOUNS = frozenset("city town village capital hamlet settlement".split())
"""Nouns that a proper name in 'the city of X' names outright (unlike 'the outskirts of X', a part of it)."""


def _named_settlement(tok: Token) -> Token | None:
    """'the (desert) city of Palmyra', 'the town of al-Bab': the toponym, not the generic noun before it."""
    if tok.lemma_.lower() not in SETTLEMENT_NOUNS or tok.tag_ != "NN":  # "the towns of X and Y" names several
        return None
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            pobj = _pobj(prep)
            if pobj is not None and pobj.dep_ == "pobj" and pobj.pos_ == "PROPN" and pobj.ent_type_ != "ACTOR":
                return pobj
    return None


def _with_place_ent(tok: Token, span: tuple[int, int]) -> tuple[int, int]:
    """A place phrase widened to the whole place entity its head belongs to ('Dayr' → 'Dayr az Zawr')."""
    ent = _place_ent(tok)
    if ent is None:
        return span
    return min(span[0], ent[0]), max(span[1], ent[1])


def make_arg(tok: Token, lex: TriggerLexicon) -> Arg:
    """Build an Arg from a head token, splitting '<actor> west of <place>' and coordinated heads."""
    tok = _refine(tok)
    name = _named_settlement(tok)
    if name is not None:
        start, end = _with_place_ent(name, phrase(name))
        return Arg(start, end, name.i, tok.doc[start:end].text, "place")
    start, end = phrase(tok)
    doc = tok.doc
    kind = _kind(tok, lex)
    if kind == "place":
        start, end = _with_place_ent(tok, (start, end))
    if kind == "place" and tok.lemma_.lower() in lex.compass:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                ends = [t.i for t in child.subtree]
                start = min([tok.i, *[c.i for c in tok.children if c.dep_ in ("det", "amod")]])
                end = max(ends) + 1
    ent = _actor_ent(tok)
    if ent is None:
        for t in doc[start:end]:
            ent = _actor_ent(t)
            if ent is not None:
                kind = "actor" if kind in ("other", "place") and tok.ent_type_ not in PLACE_ENTS else kind
                break
    also = [doc[phrase(c)[0] : phrase(c)[1]].text for c in tok.children if c.dep_ == "conj"]
    for c in tok.children:
        if c.dep_ == "amod":
            also += [cc.text for cc in c.children if cc.dep_ == "conj"]
    return Arg(start, end, tok.i, doc[start:end].text, kind, ent[2] if ent else None, also)


def _split_compass_actor(pobj: Token, lex: TriggerLexicon) -> tuple[Token | None, Token | None]:
    """'by the Syrian army west of Palmyra' parses as army→compound of 'west': return (actor head, place head)."""
    if pobj.lemma_.lower() in lex.compass and any(c.dep_ == "prep" and c.lower_ == "of" for c in pobj.children):
        actor = next(
            (c for c in pobj.children if c.dep_ == "compound" and (c.ent_type_ or c.lemma_.lower() in ACTOR_NOUNS)),
            None,
        )
        return actor, pobj
    return None, None


def _pobj(prep: Token) -> Token | None:
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            return child
    return None


def _absolute_with(head: Token) -> Token | None:
    """'with the airport cut off from …': the pobj of a 'with' before a bare participle is its passive subject."""
    if head.tag_ not in ("VBN", "VBD") or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in head.children):
        return None
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "with" and child.i < head.i:
            return _pobj(child)
    return None


def voice_of(head: Token) -> str:
    """'noun' for nominal triggers, 'passive' for passive verbs and reduced passives ('Palmyra, seized by IS'), else 'active'."""
    if head.pos_ in ("NOUN", "PROPN") or (head.pos_ == "ADJ" and head.dep_ != "ROOT"):
        return "noun"
    if (
        any(c.dep_ in ("nsubjpass", "auxpass") and c.ent_type_ != "ACTOR" for c in head.children)
        or _absolute_with(head) is not None
    ):
        # an ACTOR as 'auxpass' is the acronym IS misread as a verb ('IS also shelled …'): active voice
        return "passive"
    if (
        head.tag_ == "VBN"
        and head.dep_ in ("acl", "amod", "relcl")
        and not any(c.dep_ in ("nsubj", "aux") for c in head.children)
        and not _misread_finite(head)
    ):
        return "passive"
    return "active"


def _misread_finite(head: Token) -> bool:
    """'IS militants executed 12 people': a participle hung on a party noun that takes its own direct object is
    the sentence's finite verb (a reduced passive takes no object); the noun is its subject."""
    return (
        head.dep_ == "acl"
        and head.head.dep_ in ("ROOT", "nsubj")
        and head.head.pos_ in ("NOUN", "PROPN")
        and any(c.dep_ == "dobj" for c in head.children)
        and (head.head.ent_type_ in ("ACTOR", "NORP", "ORG") or head.head.lemma_.lower() in ACTOR_NOUNS)
    )


BELIEF_LEMMAS = frozenset("believe think suspect understand presume".split())
"""Verbs of a hedge whose subject is the real doer: 'jets believed to be Russian carried out strikes'."""


def _reduced_agent(head: Token) -> Token | None:
    """'an attack launched by IS', 'strikes believed to have been carried out by the coalition': the agent of a
    participle that hangs from a nominal trigger (or that the parser made the trigger's verb) names its doer."""
    verbs = [c for c in head.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in BELIEF_LEMMAS:
        verbs.append(head.head)
    for verb in verbs:
        chain = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
        for v in chain:
            agent = next((c for c in v.children if c.dep_ == "agent"), None)
            pobj = _pobj(agent) if agent is not None else None
            if pobj is not None:
                return pobj
    return None


def _own_subject(tok: Token, exclude: int = -1) -> Token | None:
    """A verb's subject: the nsubj nearest before it, or an ACTOR entity the parser hung as aux/dep ('IS has …')."""
    subj = None
    for child in tok.children:
        if child.i == exclude:
            continue
        if child.dep_ in ("nsubj", "nsubjpass"):
            subj = child if subj is None or (child.i < tok.i and child.i > subj.i) else subj
    if subj is None:
        for child in tok.children:
            if (
                child.i < tok.i
                and child.ent_type_ == "ACTOR"
                and child.dep_ in ("aux", "auxpass", "dep", "npadvmod", "nmod")
            ):
                return child
    return subj


def inherited_subject(head: Token) -> Token | None:
    """The subject a verb shares with the clause it hangs from (conjuncts, xcomp, participles, relative clauses)."""
    tok = head
    for _ in range(4):
        if tok.dep_ == "relcl":
            return tok.head
        if tok.dep_ == "acl" and tok.tag_ == "VBG":
            return tok.head
        if tok.dep_ not in _CLIMB or tok.head is tok:
            return None
        via = tok.dep_
        tok = tok.head
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("nsubj", "nsubjpass"):
            return tok
        if via == "xcomp":
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                return obj
        subj = _own_subject(tok, exclude=head.i)
        if subj is not None:
            if subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
                return tok.head
            return subj
    return None


def _controller(tok: Token) -> Token:
    """'the campaign led by Kurdish groups' → 'groups': the doer of a campaign is who leads it."""
    if tok.lemma_.lower() in CONTROL_HEADS:
        for child in tok.children:
            if child.dep_ == "acl" and child.lemma_.lower() in (
                "lead",
                "spearhead",
                "head",
                "conduct",
                "launch",
                "wage",
            ):
                for agent in child.children:
                    if agent.dep_ == "agent":
                        pobj = _pobj(agent)
                        if pobj is not None:
                            return pobj
    return tok


def _assign(args: Args, role: str, tok: Token, lex: TriggerLexicon, frame: str = "") -> None:
    if role == "none":
        return
    if role in ("actor1", "actor2"):
        tok = _controller(tok)
    arg = make_arg(tok, lex)
    head = tok.doc[arg.head]
    if role == "target":
        if frame in ("territory", "fall") and (
            (arg.kind == "pronoun" and head.lower_ in ("it", "there"))
            or (
                arg.kind == "actor"
                and arg.actor_id is None
                and head.ent_type_ in ("PERSON", "ORG", "")
                and head.pos_ == "PROPN"
            )
        ):
            arg.kind = "place"
        if arg.kind in ("actor", "pronoun", "definite"):
            role = "actor2"
        elif arg.kind in ("place", "definite-place"):
            role = "place"
        else:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is None:
                of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                owner = _pobj(of) if of is not None else None
            if owner is None:
                _place_preps(head, args, lex)
            if (
                owner is not None
                and (
                    _kind(owner, lex) in ("place", "definite-place", "pronoun")
                    or (owner.pos_ == "PROPN" and owner.ent_type_ != "ACTOR")
                )
                and args.place is None
            ):
                args.place = make_arg(owner, lex)
                args.place.kind = "place" if args.place.kind in ("actor", "other") else args.place.kind
            return
    if role == "place" and arg.kind not in ("place", "definite-place"):
        if arg.kind in ("actor", "definite", "other"):
            return
        if arg.kind == "pronoun" and head.lower_ not in ("it", "there"):
            return
    if role == "victim" and args.actor2 is None:
        args.actor2 = arg
    if getattr(args, role) is None:
        setattr(args, role, arg)


def _place_preps(tok: Token, args: Args, lex: TriggerLexicon) -> None:
    for child in tok.children:
        if (
            child.dep_ == "prep"
            and child.lower_ in lex.place_preps
            and child.lower_ not in ("on", "from", "over", "of")
        ):
            pobj = _pobj(child)
            if pobj is not None:
                _assign(args, "place", pobj, lex)


def collect(head: Token, entry: TriggerEntry, lex: TriggerLexicon, trigger_heads: set[int]) -> tuple[str, Args]:
    """Map the trigger's dependents to roles with its frame; returns (voice, args)."""
    voice = voice_of(head)
    roles = entry.frame.roles(voice)
    frame = entry.frame.name
    args = Args()
    is_noun = voice == "noun"
    subj = None if is_noun else _own_subject(head)
    if subj is None and voice == "passive":
        subj = _absolute_with(head)
    if subj is None and voice == "active" and _misread_finite(head):
        subj = head.head
    for child in head.children:
        dep = child.dep_
        if child.i in trigger_heads and dep not in ("compound", "dobj", "nsubj", "nsubjpass"):
            continue
        if dep in ("dobj", "dative", "attr") and not is_noun:
            args.obj = _refine(child)
            if "dobj" in roles:
                _assign(args, roles["dobj"], child, lex, frame)
        elif dep == "agent":
            pobj = _pobj(child)
            if pobj is not None and pobj.dep_ == "pcomp" and pobj.tag_ == "VBG":
                continue  # 'by beheading': the means, not the doer
            if pobj is not None:
                args.preps["by"] = pobj
                _assign(args, roles.get("agent", "actor1"), pobj, lex, frame)
        elif dep == "prep":
            p = child.lower_
            if p == "according":
                continue
            pobj = _pobj(child)
            if pobj is None:
                continue
            args.preps.setdefault(p, pobj)
            if is_noun and p == "of" and args.obj is None:
                args.obj = _refine(pobj)
            actor_tok, place_tok = _split_compass_actor(pobj, lex)
            if place_tok is not None:
                if actor_tok is not None:
                    _assign(args, roles.get(p, "actor1"), actor_tok, lex, frame)
                _assign(args, "place", place_tok, lex, frame)
                continue
            role = roles.get("agent" if (p == "by" and not is_noun and "agent" in roles) else p)
            if role is not None:
                _assign(args, role, pobj, lex, frame)
            elif p in lex.place_preps:
                _assign(args, "place", pobj, lex, frame)
        elif dep == "advmod" and child.lemma_.lower() in lex.compass:
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    _assign(args, "place", child, lex, frame)
        elif dep == "advmod" and child.lower_ == "there":
            _assign(args, "place", child, lex, frame)
        elif is_noun and dep in ("poss", "compound", "amod", "nmod") and child.i not in trigger_heads:
            if dep != "poss" and not (child.ent_type_ in ("ACTOR", "NORP", "GPE", "ORG") or child.pos_ == "PROPN"):
                continue
            if dep != "poss" and child.ent_type_ in TIME_ENTS:
                continue
            role = roles.get("poss")
            if role is not None:
                _assign(args, role, child, lex, frame)
    if not is_noun:
        if subj is None:
            subj = inherited_subject(head)
        if subj is None and head.tag_ == "VBG" and head.dep_ in ("pobj", "pcomp") and head.head.lower_ == "by":
            subj = _active_subject(head.head.head)  # 'killed them by beheading': the means shares the doer
        if subj is not None:
            args.subject = subj
            key = "nsubjpass" if voice == "passive" else "nsubj"
            if key in roles:
                _assign(args, roles[key], subj, lex, frame)
        if args.place is None and args.obj is not None and args.obj.i not in trigger_heads:
            _place_preps(args.obj, args, lex)
    if is_noun:
        _light_verb(head, args, lex)
        if args.actor1 is None:
            doer = _means_user(head) or (_receiver(head) if entry.action == "reinforcement" else None)
            if doer is not None:
                _assign(args, "actor1", doer, lex, frame)
        if args.actor1 is None:
            agent = _reduced_agent(head)
            if agent is not None:
                _assign(args, "actor1", agent, lex, frame)
    elif voice == "passive" and args.actor1 is None and "agent" in roles and roles["agent"] == "actor1":
        tool = _instrument(head)
        if tool is not None:
            _assign(args, "actor1", tool, lex, frame)
    if args.place is None:
        for arg in (args.actor2, args.target):
            if arg is not None:
                _place_preps(head.doc[arg.head], args, lex)
    return voice, args


EQUIPMENT_NOUNS = frozenset("warplane jet aircraft plane bomber helicopter drone gunship artillery tank".split())


def _instrument(head: Token) -> Token | None:
    """'the assault was carried out with US helicopters': a passive with no agent is done by whoever owns the
    equipment it was done with."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "with":
            pobj = _pobj(child)
            if pobj is not None and pobj.lemma_.lower() in EQUIPMENT_NOUNS:
                return pobj
    return None


def _active_subject(verb: Token) -> Token | None:
    if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    return _own_subject(verb) or inherited_subject(verb)


def _means_user(head: Token) -> Token | None:
    """'IS responded with car bombs', 'militants attacked using drones': whoever acts with the weapon used it
    (active verbs only: in 'were killed with car bombs' the subject is the victim)."""
    if head.dep_ != "pobj" or head.head.lower_ not in ("with", "using"):
        return None
    return _active_subject(head.head.head)


def _receiver(head: Token) -> Token | None:
    """'the groups had received reinforcements': who receives reinforcements is the side reinforced."""
    anchor = quantity_anchor(head)
    if anchor.dep_ != "dobj" or anchor.head.lemma_.lower() not in ("receive", "get", "obtain"):
        return None
    return _active_subject(anchor.head)


def quantity_anchor(head: Token) -> Token:
    """'dozens of strikes' → 'dozens': the noun that stands in the clause for a counted trigger."""
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ in ("NOUN", "NUM", "PRON"):
        return head.head.head
    return head


def _light_verb(head: Token, args: Args, lex: TriggerLexicon) -> None:
    """'IS launched an offensive on X': a nominal trigger borrows the subject and PPs of its light verb, also
    through a quantity ('carried out dozens of strikes')."""
    anchor = quantity_anchor(head)
    verb = anchor.head
    if anchor.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in lex.light_verbs:
        if args.actor1 is None or args.actor1.kind == "pronoun":
            # 'the Russian air force stepped up its strikes': the verb's subject names whom 'its' stands for
            subj = _own_subject(verb) or inherited_subject(verb)
            if subj is None and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in BELIEF_LEMMAS:
                # 'warplanes believed to be Russian carried out strikes', parsed as 'warplanes believed [that …]'
                subj = _own_subject(verb.head)
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if anchor.dep_ == "nsubjpass":
                # 'the raid was carried out by X' / '… with US helicopters': the agent, else the equipment's owner
                subj = _pobj(agent) if agent is not None else _instrument(verb)
            if subj is not None:
                args.subject = subj
                arg = make_arg(_controller(subj), lex)
                if arg.kind in ("actor", "pronoun", "definite", "other"):
                    args.actor1 = arg
        for child in verb.children:
            if (
                child.dep_ == "prep"
                and child.lower_ in ("on", "against")
                and args.actor2 is None
                and args.place is None
            ):
                pobj = _pobj(child)
                if pobj is not None:
                    _assign(args, "target", pobj, lex)


def place_from_clause(head: Token, lex: TriggerLexicon) -> Arg | None:
    """A place PP on the nearest verb above a nominal trigger ('raids … in Deir ez-Zor province')."""
    tok = head
    for _ in range(5):
        if tok.head is tok:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "prep":
            for child in tok.children:
                if (
                    child.dep_ == "prep"
                    and child.lower_ in lex.place_preps
                    and child.lower_ not in ("on", "from", "over")
                ):
                    pobj = _pobj(child)
                    if pobj is not None:
                        arg = make_arg(pobj, lex)
                        if arg.kind in ("place",):
                            return arg
            return None
    return None


def sentence_of(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the sentence holding token i."""
    sent = doc[i].sent
    return sent.start, sent.end
