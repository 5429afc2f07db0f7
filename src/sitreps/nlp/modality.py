"""Modality of a mention: asserted, hedged, negated, planned or threatened, from the words around its trigger."""

from __future__ import annotations

from spacy.tokens import Token

from sitreps.model import Modality

NEGATORS = frozenset({"deny", "reject", "refute", "dismiss", "rebut"})
THREATS = frozenset({"vow", "threaten", "warn", "pledge", "promise", "swear"})
PLANS = frozenset(
    {
        "plan",
        "prepare",
        "seek",
        "aim",
        "intend",
        "want",
        "try",
        "attempt",
        "plot",
        "expect",
        "hope",
        "mull",
        "consider",
        "mobilise",
        "mobilize",
        "gear",
        "poise",
        "set",
        "urge",
        "call",
        "ask",
        "demand",
        "order",
        "stop",
        "prevent",
        "need",
    }
)
HEDGE_VERBS = frozenset(
    {
        "claim",
        "believe",
        "suspect",
        "appear",
        "seem",
        "suggest",
        "allege",
        "rumour",
        "rumor",
        "speculate",
        "think",
        "fear",
        "able",
        "ability",
        "capable",
        "capability",
        "capacity",
        "unable",
    }
)
HEDGE_ADVS = frozenset(
    {
        "reportedly",
        "allegedly",
        "possibly",
        "likely",
        "apparently",
        "perhaps",
        "probably",
        "purportedly",
        "presumably",
        "supposedly",
        "maybe",
        "deliberately",
        "unlikely",
    }
)
HEDGE_AUX = frozenset({"may", "might", "could", "would"})
HEDGE_ADJ = frozenset(
    {"alleged", "suspected", "apparent", "possible", "unconfirmed", "purported", "likely", "reported", "claimed"}
)
PLAN_ADJ = frozenset({"planned", "imminent", "expected", "upcoming", "impending", "looming", "anticipated"})
HYPOTHETICAL = frozenset({"if", "unless", "whether"})
ABILITY = frozenset({"able", "ability", "capable", "capability", "capacity", "unable"})
AVOIDED = frozenset({"avoid", "evade", "escape"})
"""'pulled back to avoid being encircled': the clause names what did not happen."""
TEMPORAL_CONDITIONS = frozenset({"once", "until", "till"})
"""'would launch a counterattack once reinforcements arrived': under a future main clause, a condition."""
VOWS = frozenset({"vow", "pledge", "promise", "swear"})
"""A vow that sets its own starting condition ('vowed to break the siege once reinforcements are in place') is the
side's plan; 'threatened to … once …' stays a threat."""
SPEECH = frozenset({"say", "add", "tell", "announce", "state", "declare", "confirm", "insist", "explain", "report"})
"""Verbs of reported speech: 'said the army would attack' is the future seen from the past, a plan, not a hedge."""
FUTURE_CONDITIONS = TEMPORAL_CONDITIONS | {"when", "after", "as", "before"}
"""'would launch a counterattack once/when/after reinforcements arrived': a plan with its starting condition."""
ATTEMPTS = frozenset({"try", "attempt"})
"""Attempt verbs: a plan when told as a goal, a happening when told as going on ('have been trying to storm')."""
SPAN_NOUNS = frozenset("night day week month year hour time".split())
REPEATED = frozenset({"repeatedly", "again", "now", "still", "constantly", "continually", "already", "currently"})
REPEATED_ADJ = frozenset({"several", "repeated", "numerous", "multiple", "many", "further", "failed", "renewed"})
PLAN_PREPS = {"focus": ("on",), "concentrate": ("on",), "talk": ("about", "of"), "think": ("about", "of")}
"""'talking about pushing east', 'focused on taking Raqqa': a gerund after these names an aim, not a happening."""
CONFIRMS = frozenset({"confirm", "acknowledge", "verify", "admit"})
"""'did not confirm that the school was hit': denying confirmation negates the clause it governs."""
HEARSAY = frozenset({"say", "report", "rumour", "rumor", "understand", "think", "believe", "know"})
"""'are said to be pushing', 'is reported to have captured': a passive verb of saying over an infinitive is hearsay."""
HEDGE_NOUNS = frozenset({"report", "claim", "rumour", "rumor", "allegation"})
"""'reports that a commander was killed': a content clause of these nouns is unconfirmed."""
NOT_A_HAPPENING = HYPOTHETICAL | ABILITY | AVOIDED | {"once-future"}
"""Cues that make a clause a condition or a capability, not a report that something happened: no mention at all."""
_UP = frozenset(
    {
        "xcomp",
        "ccomp",
        "advcl",
        "conj",
        "pcomp",
        "prep",
        "relcl",
        "acl",
        "dobj",
        "pobj",
        "nsubj",
        "nsubjpass",
        "attr",
        "appos",
    }
)


def _ancestors(head: Token, limit: int = 6) -> list[Token]:
    out: list[Token] = []
    tok = head
    for _ in range(limit):
        if tok.head is tok or tok.dep_ not in _UP:
            break
        tok = tok.head
        out.append(tok)
    return out


def _path(head: Token, limit: int = 6) -> list[tuple[Token, Token]]:
    """The ancestors of `_ancestors`, each with the token just below it on the way up (which says how it is reached)."""
    below = [head, *_ancestors(head, limit)]
    return list(zip(below[1:], below[:-1], strict=True))


def _has_span(tok: Token) -> bool:
    """'for several nights', 'for weeks', 'since Monday', 'repeatedly': the verb is told as lasting or repeated."""
    for c in tok.children:
        if c.dep_ == "advmod" and c.lower_ in REPEATED:
            return True
        if c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("for", "since", "over", "throughout"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ in ("DATE", "TIME") or obj.lemma_.lower() in SPAN_NOUNS):
                return True
    return False


def _attempt_under_way(attempt: Token, below: Token) -> bool:
    """'have been trying to storm the base for nights', 'made several attempts to storm it': attempts told as
    going on or already made are the attack itself (asserted); a bare 'tried to' with no aspect or span stays a plan."""
    if attempt.lemma_.lower() not in ATTEMPTS:
        return False
    if attempt.pos_ == "NOUN":
        return attempt.tag_ == "NNS" or any(
            c.dep_ in ("amod", "nummod") and c.lower_ in REPEATED_ADJ for c in attempt.children
        )
    auxes = {c.lemma_.lower() for c in attempt.children if c.dep_ == "aux"}
    progressive = attempt.tag_ == "VBG" and "be" in auxes
    perfect = attempt.tag_ == "VBN" and "have" in auxes
    return progressive or perfect or _has_span(attempt) or _has_span(below)


def _plan_word(tok: Token, below: Token) -> bool:
    """Is `tok` a plan verb for the clause below it? 'called on the army to attack' is; 'called the destruction a
    war crime' (naming) is not, nor is a plan verb the clause is only coordinated with ('were trying to encircle
    the town, and warplanes had struck it')."""
    lemma = tok.lemma_.lower()
    if below.dep_ == "conj" or lemma not in PLANS:
        return False
    if _attempt_under_way(tok, below):
        return False
    if lemma == "call":
        return any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ in ("for", "on", "upon")) for c in tok.children)
    return True


def _aim_phrase(tok: Token, below: Token, path: list[tuple[Token, Token]]) -> bool:
    """'talking about pushing east': a gerund reached through the preposition a verb of aim takes."""
    preps = PLAN_PREPS.get(tok.lemma_.lower())
    if preps is None or below.dep_ != "prep" or below.lower_ not in preps:
        return False
    gerund = next((b for a, b in path if a is below), None)
    return gerund is not None and gerund.tag_ == "VBG" and gerund.dep_ == "pcomp"


def _reported_future(head: Token) -> Token | None:
    """'the source said the army would launch a counterattack (once reinforcements arrived)': 'would' on the
    trigger's verb under a verb of saying, or with a starting condition, is a plan; its 'would' is returned.
    Not for counterfactuals ('would have'), negations, or a trigger that is the subject ('the fall … would leave')."""
    verbs = [head]
    if head.dep_ in ("dobj", "xcomp") and head.head.pos_ in ("VERB", "AUX"):
        verbs.append(head.head)
    for verb in verbs:
        would = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "would"), None)
        if would is None:
            continue
        if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lemma_.lower() == "have") for c in verb.children):
            return None
        reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in SPEECH
        return would if reported or _conditioned(verb) else None
    return None


def _conditioned(verb: Token) -> bool:
    """'… once the reinforcements are in place', '… when the weather improved': the clause names when it starts."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in FUTURE_CONDITIONS for m in c.children)
        for c in verb.children
    )


def _up_to_relative_clause(chain: list[Token]) -> list[Token]:
    """The chain cut after a finite relative clause ('the next target would be Manbij, which the SDF captured in
    August') or before 'without' ('without the shelling, they would …'): both tell the happening as a fact
    whatever mood the main clause is in."""
    out: list[Token] = []
    for tok in chain:
        if tok.lower_ == "without" and tok.dep_ == "prep" and out:
            break  # 'without weeks of bombing, the infantry would be stuck': the counterfactual presupposes it
        out.append(tok)
        if tok.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            # a relative clause with its own subject is finite (the parser may still tag its verb VBN)
            break
    return out


def _future(verb: Token) -> bool:
    """A clause told as future or intended: 'will/would/shall' on it, or a plan or vow above it."""
    if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll") for c in verb.children):
        return True
    return any(t.lemma_.lower() in PLANS | THREATS for t in [verb, *_ancestors(verb, 3)])


def modality_of(head: Token, participants: list[Token]) -> tuple[Modality, str | None]:
    """Decide modality from negation, future/intent and hedging words on the trigger and the clauses above it.

    Returns (modality, the cue word) so the reason can be shown with the evidence.
    Precedence: negated > threatened > planned > hedged > asserted.
    """
    own = list(head.children)
    for child in own:
        if child.dep_ == "neg" or child.lower_ in ("never", "no"):
            return "negated", child.text
    for p in participants:
        if any(c.dep_ == "det" and c.lower_ == "no" for c in p.children):
            return "negated", "no"
    ancestors = _ancestors(head)
    chain = [head, *ancestors]
    for tok in ancestors[:2]:
        if tok.lemma_.lower() in AVOIDED and head.dep_ in ("xcomp", "pcomp", "dobj"):
            return "negated", tok.lemma_.lower()
    for tok in chain[:2]:
        mark = next(
            (
                c
                for c in tok.children
                if c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_CONDITIONS and c.i == tok.left_edge.i
            ),
            None,
        )
        main = tok.head
        if mark is not None and tok.dep_ == "advcl" and _future(main):
            return "planned", "once-future"
    path = _path(head)
    for tok, below in path:
        if tok.lemma_.lower() in NEGATORS and below.dep_ != "conj":
            return "negated", tok.text
    for tok in chain[:3]:
        if (
            tok is not head
            and any(c.dep_ == "neg" for c in tok.children)
            and tok.lemma_.lower() not in ("say", "tell", "report", "be")
        ) and (tok.lemma_.lower() in PLANS | THREATS | CONFIRMS or tok.pos_ == "AUX"):
            return "negated", "not"
    for tok, below in path:
        if tok.lemma_.lower() in THREATS and below.dep_ != "conj":
            if tok.lemma_.lower() in VOWS and (_conditioned(below) or _conditioned(head)):
                return "planned", tok.text
            return "threatened", tok.text
        if _plan_word(tok, below) or _aim_phrase(tok, below, path):
            return "planned", tok.text
    for tok in chain[:2]:
        for c in tok.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall"):
                return "planned", c.text
    would = _reported_future(head)
    if would is not None:
        return "planned", would.text
    for c in own:
        if c.dep_ == "amod" and c.lower_ in PLAN_ADJ:
            return "planned", c.text
    for tok, below in path:
        if tok.lemma_.lower() in HEDGE_NOUNS and tok.pos_ == "NOUN" and below.dep_ in ("acl", "ccomp"):
            return "hedged", tok.text
        if tok.lemma_.lower() in HEARSAY and below.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in tok.children):
            return "hedged", tok.text
    for tok in _up_to_relative_clause(chain):
        lemma = tok.lemma_.lower()
        if tok is not head and lemma in HEDGE_VERBS:
            return "hedged", tok.text
        for c in tok.children:
            low = c.lower_
            if c.dep_ in ("advmod", "acomp", "amod") and low in HEDGE_ADVS:
                return "hedged", c.text
            if c.dep_ == "aux" and low in HEDGE_AUX:
                return "hedged", c.text
            if c.dep_ == "mark" and low in HYPOTHETICAL:
                return "hedged", c.text
            if tok is head and c.dep_ == "amod" and low in HEDGE_ADJ:
                return "hedged", c.text
    return "asserted", None
