"""When a mention happened: the time phrase attached to its trigger, normalised against the publication date."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from spacy.tokens import Doc, Token

from sitreps.kb.triggers import TriggerLexicon
from sitreps.model import DateInterval, Mention, Span
from sitreps.nlp import resolve
from sitreps.nlp.components import MentionData
from sitreps.nlp.context import SPEECH_LEMMAS, DocContext

ANCHORED = re.compile(
    r"\b(?:just |only |some |about |nearly |almost )?(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several) "
    r"(days?|weeks?|months?|years?) (after|before)\b",
    re.IGNORECASE,
)
"""'eight months after he had retaken X': the clause's event lies N units before the sentence's other date."""


def event_date(
    md: MentionData, doc: Doc, ctx: DocContext, lex: TriggerLexicon, trig_heads: dict[int, list[int]]
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
        if iv is None or iv.start is None:
            continue  # "the past", "every Friday": no date to give the event
        tok_span = doc.char_span(base + sp.start, base + sp.end, alignment_mode="expand")
        if tok_span is None:
            continue
        owner = _attached_trigger(tok_span.root.i, doc, set(heads_here))
        nearest_only = False
        if owner is None:
            owner, nearest_only = _clause_owner(tok_span.root.i, doc, heads_here)
        if owner is None:
            continue
        dist = abs(tok_span.root.i - md.head)
        if owner != md.head:
            if _coordinated(doc[owner], doc[md.head]) and (shared is None or dist < shared[0]):
                shared = (dist, iv)
            continue
        # a phrase tied to the trigger by the parse beats one given to it only for being nearest
        rank = dist + (1000 if nearest_only else 0)
        if best is None or rank < best[0]:
            best = (rank, iv)
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


ANTECEDENT_RULE = "refers back to"
"""Rule prefix of a date an anaphor took from the happening it names again: inherit_dates leaves it alone."""
UNDATED_MODALITIES = frozenset({"planned", "threatened"})
"""A plan or threat has no date unless the text gives it one (docs/annotation.md, Dates)."""

INHERIT_DAYS = 10
"""How recent (days before publication) a stated date must be for undated sentences to inherit it."""


def inherit_dates(out: list[Mention], published: date | None) -> list[Mention]:
    """Sentences without a time phrase report the happening the story is about: they take the date the last
    dated sentence before them stated first (else the first one after), when that date is recent news rather
    than background. A plan or threat with no time of its own gets no date at all: it has not happened, and
    neither the story's date nor 'now' (when the intent is voiced) is its date."""
    out = [replace(m, date=None) if m.modality in UNDATED_MODALITIES and not _plan_dated(m.date) else m for m in out]
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
        and ANCHORED.fullmatch(m.date.text) is None  # 'a day after ...': a background happening, not the story's
        # 'now', 'currently', a plan's or threat's time: says when someone speaks or intends, not when it happened
        and not (m.date.rule or "").startswith("present reference")
        and m.modality not in ("planned", "threatened")
    ]
    if not stated:
        return out
    fixed: list[Mention] = []
    for m in out:
        undated = m.date is None and m.modality not in UNDATED_MODALITIES
        if undated or (m.date is not None and m.date.text is None and not _referred_back(m.date)):
            before = [(pos, iv) for pos, iv in stated if pos <= m.evidence.start]
            # of the dates the latest dated sentence states, the first: its lead clause, the story's happening
            src = next(iv for pos, iv in before if pos == before[-1][0]) if before else stated[0][1]
            m = replace(m, date=replace(src, text=None, rule=f"inherited from '{src.text}'"))
        fixed.append(m)
    return fixed


def _plan_dated(d: DateInterval | None) -> bool:
    """Whether a plan's date is one the text gives it ('next week', 'in March'), not a default or 'now'."""
    return d is not None and d.text is not None and not (d.rule or "").startswith("present reference")


def _referred_back(d: DateInterval) -> bool:
    return (d.rule or "").startswith(ANTECEDENT_RULE)


def _argument_of(h: int, verb: Token, doc: Doc) -> bool:
    """Whether trigger h is the verb's subject or object, directly or inside it ('launched one of its attacks')."""
    tok = doc[h]
    for _ in range(4):
        if tok.head.i == verb.i:
            return tok.dep_ in ("nsubj", "nsubjpass", "dobj")
        if tok.dep_ not in ("pobj", "prep", "compound", "amod", "nmod", "poss") or tok.head is tok:
            return False
        tok = tok.head
    return False


def _clause_owner(i: int, doc: Doc, heads: list[int]) -> tuple[int | None, bool]:
    """The trigger a time phrase belongs to when it hangs from a verb that is no trigger, and whether only
    nearness chose it: a trigger that is that verb's subject or object ('the assault began on Monday'), or
    the subject of the verb it is conjoined to, else the nearest trigger, unless the verb is in a clause of
    its own ('Operation Euphrates Shield, launched in August': the launch, not the capture)."""
    tok = doc[i]
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return min(heads, key=lambda h: abs(h - i)), True
    for h in heads:
        if _argument_of(h, tok, doc):
            return h, False
    # 'an air strike killed three soldiers and wounded 11 on Thursday': conjoined verbs share the subject
    first = tok
    for _ in range(4):
        if first.dep_ != "conj" or first.head.pos_ not in ("VERB", "AUX"):
            break
        first = first.head
    for h in heads:
        if first is not tok and doc[h].head.i == first.i and doc[h].dep_ in ("nsubj", "nsubjpass"):
            return h, False
    if tok.dep_ in ("acl", "relcl", "conj") and tok.head.i not in heads and tok.lemma_.lower() not in SPEECH_LEMMAS:
        # a clause of its own ('... cut the road and now sit between'): its time is not the trigger's
        return None, False
    return min(heads, key=lambda h: abs(h - i)), True


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
