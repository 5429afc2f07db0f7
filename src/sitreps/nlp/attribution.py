"""Who a sentence says a claim comes from: "according to X", "X said", "X told Y", "the Observatory reported"."""

from __future__ import annotations

from spacy.tokens import Span, Token

from sitreps.nlp.extensions import ent_at
from sitreps.nlp.roles import phrase

REPORTING = frozenset(
    {
        "say",
        "tell",
        "report",
        "claim",
        "state",
        "announce",
        "add",
        "confirm",
        "deny",
        "allege",
        "accuse",
        "insist",
        "stress",
        "note",
        "write",
        "estimate",
        "reveal",
        "acknowledge",
        "quote",
        "document",
        "assert",
        "explain",
        "warn",
        "record",
    }
)
"""Verbs whose subject is the source of what their clause reports."""
_GENERIC = frozenset(
    {"report", "reports", "news", "it", "this", "there", "video", "footage", "imagery", "image", "picture"}
)


def source_text(head: Token) -> str | None:
    """The source's name from its head: the noun phrase, or the organisation named in an apposition ('director of X')."""
    if head.lower_ in _GENERIC or head.lemma_.lower() in _GENERIC or head.pos_ == "PRON":
        return None
    if head.ent_type_ in ("ORG", "PERSON", "NORP", "ACTOR"):
        ent = ent_at(head.doc, head.i)
        if ent is not None and ent.root.i == head.i:
            return ent.text.removeprefix("the ").removeprefix("The ")
    start, end = phrase(head)
    text = head.doc[start:end].text
    for child in head.children:
        if child.dep_ == "appos":
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "for"):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj" and pobj.ent_type_ == "ORG":
                            ent = ent_at(head.doc, pobj.i)
                            if ent is not None:
                                return ent.text.removeprefix("the ").removeprefix("The ")
    return text


def _speaker(verb: Token) -> Token | None:
    """The reporting verb's subject; of two (the parser hangs a misread clause's subject on 'said' too), the one
    nearest before the verb: 'IS militants executed 12 people, the Observatory said' → the Observatory."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    before = [c for c in subjects if c.i < verb.i]
    return before[-1] if before else (subjects[0] if subjects else None)


def _misread_clause(subj: Token, head: Token) -> bool:
    """'IS militants executed 12 people, the Observatory said': the trigger is the misread finite verb of the
    subject (a participle with its own object), so it is the claim, not the source's description."""
    return head.head.i == subj.i and head.dep_ == "acl" and any(c.dep_ == "dobj" for c in head.children)


def find_sources(sent: Span) -> list[tuple[Token, str, set[int]]]:
    """Sources in a sentence: (cue token, source text, token indices the source covers the claim of)."""
    out: list[tuple[Token, str, set[int]]] = []
    for tok in sent:
        low = tok.lower_
        if low == "according":
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        text = source_text(pobj)
                        if text:
                            out.append((tok, text, set(range(sent.start, sent.end))))
        elif tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in REPORTING:
            subj = _speaker(tok)
            if subj is None:
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if subj is None:
                continue
            text = source_text(subj)
            if not text:
                continue
            covered = {
                t.i
                for c in tok.children
                if c.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "parataxis")
                for t in c.subtree
            }
            if tok.dep_ == "ROOT":
                if not covered:
                    covered = set(range(sent.start, sent.end))
                speaker = {x.i for x in subj.subtree}
                covered |= {i for i in range(sent.start, sent.end) if i not in speaker}
            out.append((tok, text, covered))
    return out


def attribution_for(head: Token, sources: list[tuple[Token, str, set[int]]]) -> str | None:
    """The source whose claim covers the trigger (the nearest reporting verb above it wins)."""
    best: tuple[int, str] | None = None
    for cue, text, covered in sources:
        if head.i in covered:
            dist = abs(cue.i - head.i)
            if best is None or dist < best[0]:
                best = (dist, text)
    return best[1] if best else None


def in_source_phrase(head: Token, sources: list[tuple[Token, str, set[int]]]) -> bool:
    """Whether the trigger sits inside a source's own description ('a commander of forces fighting in …')."""
    for cue, _text, _covered in sources:
        for subj in (c for c in cue.children if c.dep_ == "nsubj"):
            if subj.i != head.i and head.i in {t.i for t in subj.subtree} and not _misread_clause(subj, head):
                return True
    return False
