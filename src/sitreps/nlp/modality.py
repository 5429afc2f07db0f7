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
    for tok in ancestors:
        lemma = tok.lemma_.lower()
        if lemma in NEGATORS:
            return "negated", tok.text
    for tok in chain[:3]:
        if (
            tok is not head
            and any(c.dep_ == "neg" for c in tok.children)
            and tok.lemma_.lower() not in ("say", "tell", "report", "be")
        ) and (tok.lemma_.lower() in PLANS | THREATS or tok.pos_ == "AUX"):
            return "negated", "not"
    for tok in ancestors:
        lemma = tok.lemma_.lower()
        if lemma in THREATS:
            return "threatened", tok.text
        if lemma in PLANS:
            return "planned", tok.text
    for tok in chain[:2]:
        for c in tok.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall"):
                return "planned", c.text
    for c in own:
        if c.dep_ == "amod" and c.lower_ in PLAN_ADJ:
            return "planned", c.text
    for tok in chain:
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
