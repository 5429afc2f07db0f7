"""The sitreps spaCy components: paragraph sentence starts, the actor ruler, the trigger matcher and the event extractor."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IS_ALPHA, LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sitreps.kb.triggers import Condition, TriggerEntry, TriggerLexicon, load_triggers
from sitreps.model import Modality
from sitreps.nlp import extensions
from sitreps.nlp.attribution import attribution_for, find_sources, in_source_phrase
from sitreps.nlp.casualties import count_of
from sitreps.nlp.modality import NOT_A_HAPPENING, modality_of
from sitreps.nlp.roles import PLACE_NOUNS, Arg, Args, collect, place_from_clause, quantity_anchor

KILL_FRAMES = frozenset({"kill", "die"})
BACKGROUND_PREPS = frozenset(
    {"after", "during", "in", "of", "since", "before", "for", "from", "under", "despite", "amid", "throughout", "by"}
)
BACKGROUND_NOUNS = frozenset({"fighting", "fight", "battle", "assault", "advance", "siege", "clash", "war", "campaign"})
"""Nouns that, as a bare prepositional object ("fled the fighting", "after weeks of battles"), only frame another
happening of the sentence or name the war as a whole; they state an event only when they name a doer."""
CASUALTY_LEMMAS = frozenset({"kill", "die", "wound", "injure", "death", "casualty"})
ESCAPE_VERBS = frozenset({"flee", "escape", "end", "survive", "outlast", "fear", "avoid", "follow"})
DEVICE_USE = frozenset({"plant", "lay", "detonate", "explode", "set", "rig"})
"""'mines planted by the militants', 'a bomb detonated by remote': a device told as used states an event."""
_VERB_POS = frozenset({"VERB", "AUX"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})


@dataclass(slots=True)
class MentionData:
    """One event mention as the parse states it, before KB, gazetteer and date resolution (token offsets)."""

    trigger: tuple[int, int]
    head: int
    entry: str
    event_type: str
    sub_event_type: str
    action: str | None
    voice: str
    sentence: tuple[int, int]
    actor1: Arg | None = None
    actor2: Arg | None = None
    place: Arg | None = None
    victims: Arg | None = None
    fatalities: int | None = None
    modality: Modality = "asserted"
    modality_cue: str | None = None
    attribution: str | None = None
    specificity: float = 0.5
    merged: list[int] = field(default_factory=list)
    """Heads of triggers folded into this one ('an air strike killed 12': the killing is part of the strike)."""


# --- paragraphs -------------------------------------------------------------------------------------------------


@Language.component("sitreps_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines and crawler lines never merge with the next paragraph."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


# --- actor ruler ------------------------------------------------------------------------------------------------


class ActorRuler:
    """An entity ruler for the actor KB's patterns (label ACTOR, ent_id = actor id) on a token-tuple table.

    Why not spaCy's EntityRuler or PhraseMatcher: the KB gives ~19k token patterns; building either costs
    seconds (a Doc per pattern), while a dict from lowercase token tuples to actor ids builds in milliseconds
    and matches in one pass (a lookup per token and candidate length). ORTH tokens (acronyms such as "IS")
    are checked after the lowercase match, so "is" never becomes an actor.
    """

    def __init__(self, nlp: Language, name: str, patterns: Sequence[dict[str, Any]] = ()) -> None:
        self.name = name
        self.table: dict[tuple[str, ...], list[tuple[str, tuple[tuple[int, tuple[str, ...]], ...]]]] = {}
        self.lengths: dict[str, list[int]] = {}
        self._add(patterns)

    def _add(self, patterns: Sequence[dict[str, Any]]) -> None:
        lengths: dict[str, set[int]] = {}
        for pat in patterns:
            tokens = pat.get("pattern")
            if not isinstance(tokens, list) or not tokens:
                continue
            alternatives: list[list[str]] = [[]]
            checks: list[tuple[int, tuple[str, ...]]] = []
            for i, spec in enumerate(tokens):
                if "ORTH" in spec:
                    orth = spec["ORTH"]
                    forms = tuple(str(o) for o in orth["IN"]) if isinstance(orth, dict) else (str(orth),)
                    checks.append((i, forms))
                    options = list(dict.fromkeys(f.lower() for f in forms))
                else:
                    low = spec.get("LOWER")
                    options = [str(o) for o in low["IN"]] if isinstance(low, dict) else [str(low)]
                alternatives = [[*a, o] for a in alternatives for o in options]
            entry = (str(pat.get("id", "")), tuple(checks))
            for words in alternatives:
                key = tuple(words)
                hits = self.table.setdefault(key, [])
                if entry not in hits:
                    hits.append(entry)
                lengths.setdefault(key[0], set()).add(len(key))
        for first, ls in lengths.items():
            self.lengths[first] = sorted(ls, reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        low = [t.lower_ for t in doc]
        n = len(low)
        table, lengths = self.table, self.lengths
        for i in range(n):
            for length in lengths.get(low[i], ()):
                if i + length > n:
                    continue
                for actor_id, checks in table.get(tuple(low[i : i + length]), ()):
                    if all(doc[i + k].text in forms for k, forms in checks):
                        spans.append(Span(doc, i, i + length, label="ACTOR", span_id=actor_id))
        if spans:
            keep = filter_spans(spans)
            taken = {i for s in keep for i in range(s.start, s.end)}
            others = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
            doc.ents = filter_spans([*keep, *others])
        return doc


@Language.factory("sitreps_actor_ruler", default_config={"use_kb": True})
def make_actor_ruler(nlp: Language, name: str, use_kb: bool) -> ActorRuler:
    """Factory: an ActorRuler fed from `sitreps.kb.actors.default_actor_kb().patterns()` when use_kb."""
    from sitreps.nlp.resolve import actor_patterns

    return ActorRuler(nlp, name, actor_patterns() if use_kb else [])


# --- places the statistical NER missed --------------------------------------------------------------------------

RELABEL = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
"""NER labels a small model gives to unfamiliar toponyms ("Palmyra" PERSON, "Aleppo" NORP)."""


ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez)-[A-Z]")
"""Arabic article prefixes written lowercase in English ('al-Bab', 'ar-Raqqa'): the name is still a proper noun."""


ARABIC_TOPONYM_COUNTRIES = frozenset(
    "SY IQ LB JO PS IL EG LY TN DZ MA EH MR SD SS TD YE SA OM AE QA BH KW SO DJ KM ER IR AF".split()
)
"""Countries whose place names carry the Arabic article in English spelling."""


def _capitalised(text: str) -> bool:
    return text[:1].isupper() or ARTICLE_PREFIX.match(text) is not None


def _name_tokens(span: Span) -> Span | None:
    """The toponym inside a gazetteer hit: 'around Deir Hafer' → 'Deir Hafer', 'Aleppo province' → 'Aleppo'."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and not _capitalised(doc[start].text):
        start += 1
    while end > start and (not _capitalised(doc[end - 1].text) or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


class PlaceRelabeler:
    """Makes the gazetteer's place names entities (GPE), whole, where the statistical NER missed or split them.

    Why: a small English model tags many Middle Eastern and African toponyms as persons or groups ("Deir
    Hafer" PERSON), splits multiword names ("Dayr" and "Zawr"), or skips them, and the role rules then take
    a town for a doer or see only a fragment of its name. The gazetteer's own pass over the text
    (`sitreps.geo.find_places`, longest names first) gives the whole names; a name counts only when its best
    reading lies in one of the countries the text is about, so a surname that is also a town abroad
    ("Kerry") stays a person. Entities the gazetteer pass does not reach are re-read as before: a
    person/group entity the gazetteer knows exactly in those countries becomes a place.
    """

    def __init__(self, name: str = "sitreps_places") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from sitreps.nlp import resolve

        text = extensions.doc_text(doc)
        if not text.strip():
            return doc
        ctx = resolve.geo_context(text)
        found = resolve.find_places(text, ctx)
        counts: Counter[str] = Counter(ctx.countries)
        for p in found:
            if p.country and (p.kind or "") != "country":
                counts[p.country] += 1
        top = {cc for cc, _ in counts.most_common(3)}
        ents = list(doc.ents)
        owner = {i: k for k, e in enumerate(ents) for i in range(e.start, e.end)}
        replaced: set[int] = set()
        added: list[Span] = []
        taken: set[int] = set()
        features = [(p, "FAC") for p in resolve.find_features(text, ctx)]
        for p, label in [*features, *((p, "GPE") for p in found)]:
            if p.country not in top or (p.kind or "") == "country" or p.start is None or p.end is None:
                continue
            hit = doc.char_span(p.start, p.end, alignment_mode="expand")
            name = hit if label == "FAC" else _name_tokens(hit) if hit is not None else None
            if name is None or any(i in taken for i in range(name.start, name.end)):
                continue
            over = {owner[i] for i in range(name.start, name.end) if i in owner}
            if any(ents[k].label_ == "ACTOR" or ents[k].start < name.start or ents[k].end > name.end for k in over):
                continue  # an actor's name ('Free Syrian Army') or a longer entity around it: leave it
            if over and all(
                ents[k].label_ in PLACE_LABELS and (ents[k].start, ents[k].end) == (name.start, name.end) for k in over
            ):
                continue
            replaced |= over
            # a facility keeps the gazetteer's name, as the text may vary the noun ('Tiyas military airport')
            added.append(Span(doc, name.start, name.end, label=label, kb_id=p.name if label == "FAC" else ""))
            taken.update(range(name.start, name.end))
        new: list[Span] = []
        changed = bool(added)
        for k, ent in enumerate(ents):
            if k in replaced:
                continue
            if ent.label_ in RELABEL and _capitalised(ent.text.strip()) and resolve.known_place(ent.text.strip()):
                place = resolve.resolve_name(ent.text.strip(), ctx)
                # an Arabic-article name ('al-Joura') names a place only where Arabic toponyms are
                allowed = top if ent.text[:1].isupper() else top & ARABIC_TOPONYM_COUNTRIES
                if place is not None and place.country in allowed and (place.kind or "") != "country":
                    new.append(Span(doc, ent.start, ent.end, label="GPE"))
                    changed = True
                    continue
            new.append(ent)
        if changed:
            doc.ents = sorted([*new, *added], key=lambda e: e.start)
        return doc


@Language.factory("sitreps_places")
def make_places(nlp: Language, name: str) -> PlaceRelabeler:
    """Factory: the place relabeler (after the NER and the actor ruler)."""
    return PlaceRelabeler(name)


# --- triggers ---------------------------------------------------------------------------------------------------


def _pos_ok(entry: TriggerEntry, tok: Token) -> bool:
    if entry.pos == "verb":
        return tok.pos_ in _VERB_POS and tok.dep_ != "amod"
    if entry.pos == "noun":
        return tok.pos_ in _NOUN_POS
    return (tok.pos_ in _VERB_POS and tok.dep_ != "amod") or tok.pos_ in _NOUN_POS


def _forms(tok: Token) -> tuple[str, str]:
    return tok.lemma_.lower(), tok.lower_


class TriggerMatcher:
    """Finds trigger words in one linear pass: multiword nouns, phrasal verbs, then single lemmas."""

    def __init__(self, lexicon: TriggerLexicon, name: str = "sitreps_triggers") -> None:
        self.name = name
        self.lexicon = lexicon
        self._lemmas: dict[int, str] = {}
        """Lowercased lemma by lemma id: the pass reads token attributes as one array, not token by token."""

    def _lemma(self, doc: Doc, lemma_id: int) -> str:
        lemma = self._lemmas.get(lemma_id)
        if lemma is None:
            if len(self._lemmas) > 200_000:
                self._lemmas.clear()
            lemma = self._lemmas[lemma_id] = doc.vocab.strings[lemma_id].lower()
        return lemma

    def _multi(self, doc: Doc, i: int, lemma: str, low: str) -> tuple[int, TriggerEntry] | None:
        for key in {lemma, low}:
            for parts, entry in self.lexicon.multi.get(key, ()):
                j, k = i + 1, 1
                while k < len(parts) and j < len(doc):
                    if doc[j].text == "-":
                        j += 1
                        continue
                    if parts[k] not in _forms(doc[j]):
                        break
                    j, k = j + 1, k + 1
                if k == len(parts):
                    span = doc[i:j]
                    if _pos_ok(entry, span.root) or (entry.pos == "any" and span.root.pos_ in _NOUN_POS | _VERB_POS):
                        return j, entry
                elif doc[i].pos_ in _VERB_POS and entry.pos != "noun":
                    # a phrasal verb split by its object ('cut the main roads'): particle and noun hang from it
                    near = {f for c in doc[i].children for t in (c, *c.children) for f in _forms(t)}
                    if all(p in near for p in parts[1:]):
                        return i + 1, entry
        return None

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str]] = []
        i = 0
        n = len(doc)
        lex = self.lexicon
        strings = doc.vocab.strings
        attrs: list[list[int]] = doc.to_array([IS_ALPHA, LEMMA, LOWER]).tolist() if n else []
        while i < n:
            alpha, lemma_id, low_id = attrs[i]
            if not alpha:
                i += 1
                continue
            lemma, low = self._lemma(doc, lemma_id), strings[low_id]
            if lemma in lex.multi or low in lex.multi:
                hit = self._multi(doc, i, lemma, low)
                if hit is not None:
                    found.append((i, hit[0], hit[1].key))
                    i = hit[0]
                    continue
            singles = lex.single.get(lemma, ()) or lex.single.get(low, ())
            if singles:
                tok = doc[i]
                for entry in singles:
                    if _pos_ok(entry, tok):
                        found.append((i, i + 1, entry.key))
                        break
            i += 1
        doc._.set(extensions.TRIGGERS, found)
        return doc


@Language.factory("sitreps_triggers", default_config={"extra_kb_files": []})
def make_triggers(nlp: Language, name: str, extra_kb_files: list[str]) -> TriggerMatcher:
    """Factory: the trigger matcher over the packaged lexicon plus KbConfig.extra_files."""
    return TriggerMatcher(load_triggers(extra_kb_files), name)


# --- events -----------------------------------------------------------------------------------------------------


def _head_lemma(tok: Token | None) -> str | None:
    return tok.lemma_.lower() if tok is not None else None


def _arg_token(args: Args, which: str) -> Token | None:
    if which == "object":
        return args.obj
    if which == "subject":
        return args.subject
    if which.startswith("prep:"):
        return args.preps.get(which[5:])
    return None


def _condition_met(cond: Condition, head: Token, args: Args, sent: Span) -> bool:
    if cond.arg == "context":
        return any(t.lemma_.lower() in cond.lemmas or t.lower_ in cond.lemmas for t in sent)
    if cond.arg == "subtree":
        return any(t.lemma_.lower() in cond.lemmas or t.lower_ in cond.lemmas for t in head.subtree)
    if cond.arg == "not_object":
        return args.obj is None or args.obj.lemma_.lower() not in cond.lemmas
    if cond.arg in ("object_place", "subject_place"):
        obj = args.obj if cond.arg == "object_place" else args.subject
        if obj is None:
            return False
        return (
            (obj.pos_ == "PROPN" and (cond.arg == "object_place" or not obj.ent_type_))
            or obj.ent_type_ in ("GPE", "LOC", "FAC")
            or obj.lemma_.lower() in PLACE_NOUNS
            or obj.lower_ in ("it", "them")
        )
    tok = _arg_token(args, cond.arg)
    if tok is None:
        return False
    if not cond.lemmas:
        return True
    words = {tok.lemma_.lower(), tok.lower_} | {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    return bool(words & cond.lemmas)


def _clause_verb(head: Token) -> Token:
    tok = head
    for _ in range(4):
        if tok.pos_ in _VERB_POS or tok.head is tok:
            return tok
        tok = tok.head
    return tok


def _standing_state(head: Token) -> bool:
    """A siege told as a lasting condition, not a new happening: 'besieged since 2015', 'under siege since
    2015', 'the group besieges the enclave' (present simple), 'since the siege began' (the siege as a time mark)."""
    verb = _clause_verb(head)
    for tok in {head, verb}:
        for c in tok.children:
            if c.lower_ == "since" and c.dep_ == "prep":
                return True
    if head.pos_ in _VERB_POS and head.tag_ == "VBZ" and not any(c.dep_ == "aux" for c in head.children):
        return True
    if head.dep_ in ("nsubj", "nsubjpass") and any(
        c.lower_ == "since" and c.dep_ == "mark" for c in head.head.children
    ):
        return True
    return bool(head.pos_ in _NOUN_POS and head.head.lower_ == "under" and head.dep_ == "pobj")


class EventExtractor:
    """Turns triggers into MentionData: roles by frame, requirements, variants, modality, source and casualties."""

    def __init__(self, lexicon: TriggerLexicon, name: str = "sitreps_events") -> None:
        self.name = name
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        triggers: list[tuple[int, int, str]] = doc._.get(extensions.TRIGGERS) or []
        mentions: list[MentionData] = []
        heads = {doc[s:e].root.i: (s, e, key) for s, e, key in triggers}
        sources_by_sent: dict[int, list[tuple[Token, str, set[int]]]] = {}
        for s, e, key in triggers:
            entry = self.lexicon.entries.get(key)
            if entry is None:
                continue
            head = doc[s:e].root
            sent = head.sent
            if sent.start not in sources_by_sent:
                sources_by_sent[sent.start] = find_sources(sent)
            sources = sources_by_sent[sent.start]
            m = self._mention(doc, s, e, head, entry, set(heads), sources)
            if m is not None:
                mentions.append(m)
        doc._.set(extensions.MENTIONS, _merge(doc, mentions))
        return doc

    def _mention(
        self,
        doc: Doc,
        s: int,
        e: int,
        head: Token,
        entry: TriggerEntry,
        heads: set[int],
        sources: list[tuple[Token, str, set[int]]],
    ) -> MentionData | None:
        sent = head.sent
        if head.pos_ in _NOUN_POS and head.dep_ == "compound" and e - s == 1:
            return None
        if entry.device and not (
            head.dep_ in ("nsubj", "nsubjpass")
            or (head.dep_ == "pobj" and head.head.lower_ in ("by", "in", "with", "from"))
            or any(c.dep_ == "acl" and c.lemma_.lower() in DEVICE_USE for c in head.children)
        ):
            return None
        voice, args = collect(head, entry, self.lexicon, heads - {head.i})
        if (
            voice == "noun"
            and args.actor1 is None
            and args.actor2 is None
            and args.place is None
            and args.target is None
        ) and any(c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those", "such") for c in head.children):
            return None
        if (
            voice == "noun"
            and args.actor1 is None
            and head.lemma_.lower() in BACKGROUND_NOUNS
            and (
                (
                    head.dep_ == "pobj"
                    and head.head.lower_ in BACKGROUND_PREPS
                    and head.head.head.lemma_.lower() not in CASUALTY_LEMMAS  # "killed in the clashes": the event
                )
                or (head.dep_ == "dobj" and head.head.lemma_.lower() in ESCAPE_VERBS)
            )
            and any(h != head.i for h in heads if doc[h].sent.start == sent.start)
        ):
            return None
        if entry.requires is not None and not _condition_met(entry.requires, head, args, sent):
            return None
        if entry.action == "siege" and _standing_state(head):
            return None
        if in_source_phrase(head, sources):
            return None
        event_type, sub, action = entry.event_type, entry.sub_event_type, entry.action
        for variant in entry.variants:
            if _condition_met(variant, head, args, sent):
                event_type = variant.event_type or event_type
                sub = variant.sub_event_type or sub
                action = variant.action or action
                break
        actor2 = args.actor2 or (args.target if args.target and args.target.kind != "place" else None)
        place = args.place or (args.target if args.target and args.target.kind == "place" else None)
        if place is None and voice == "noun":
            place = place_from_clause(head, self.lexicon)
        if entry.specificity < 0.5 and args.actor1 is None and actor2 is None and place is None:
            return None
        victims = actor2 if entry.frame.name in KILL_FRAMES else None
        fatalities = None
        if (
            entry.frame.name in KILL_FRAMES
            and victims is not None
            and entry.words[0] not in ("wound", "injure", "kidnap", "arrest", "rape")
        ) and head.lemma_.lower() not in ("wound", "injure", "abduct", "kidnap", "arrest", "detain", "rape", "shoot"):
            fatalities = count_of(doc[victims.head])
        participants = [doc[a.head] for a in (args.actor1, actor2) if a is not None]
        modality, cue = modality_of(head, participants)
        if cue is not None and cue.lower() in NOT_A_HAPPENING:
            return None
        return MentionData(
            trigger=(s, e),
            head=head.i,
            entry=entry.key,
            event_type=event_type,
            sub_event_type=sub,
            action=action,
            voice=voice,
            sentence=(sent.start, sent.end),
            actor1=args.actor1,
            actor2=actor2,
            place=place,
            victims=victims,
            fatalities=fatalities,
            modality=modality,
            modality_cue=cue,
            attribution=attribution_for(head, sources),
            specificity=entry.specificity,
        )


FOLD_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
"""Event types whose triggers a same-sentence killing or destruction is the outcome of."""


def _linked(doc: Doc, kill: MentionData, other: MentionData) -> bool:
    """Whether a killing trigger states the outcome of another trigger ('an air strike killed 12', 'attacked X,
    killing 12', 'carried out strikes and killed 300', 'fled or were killed')."""
    k, o = doc[kill.head], doc[other.head]
    if kill.actor1 is not None and kill.actor1.head == o.i:
        return True
    if o.head.i == k.i and o.dep_ in ("nsubj", "pobj", "agent", "npadvmod"):
        return True
    if o.dep_ == "pobj" and o.head.head.i == k.i and o.head.lower_ in ("in", "by", "during"):
        return True
    if k.head.i == o.i and k.dep_ in ("advcl", "xcomp", "acl", "relcl") and k.tag_ == "VBG":
        return True
    # coordinated with the other trigger, or with the light verb that carries it ('carried out strikes and killed')
    anchor = quantity_anchor(o)
    shared_subject = not any(c.dep_ in ("nsubj", "nsubjpass") for c in k.children)
    if (
        k.dep_ == "conj"
        and shared_subject
        and (other.event_type in FOLD_TYPES or kill.voice == "passive")
        and (k.head.i == o.i or (anchor.head.i == k.head.i and anchor.dep_ in ("dobj", "nsubjpass")))
    ):
        return True
    if k.dep_ == "advcl" and k.tag_ == "VBG" and anchor.head.i == k.head.i and anchor.dep_ == "dobj":
        return True
    if other.event_type not in FOLD_TYPES or kill.sentence != other.sentence:
        return False
    # the same sentence's attack, told without a doer of its own ('... Turkish soldiers were killed in fighting')
    if kill.actor1 is None:
        return True
    return other.actor1 is not None and other.actor1.head == kill.actor1.head


def _merge(doc: Doc, mentions: list[MentionData]) -> list[MentionData]:
    """One mention per happening: fold killings into the trigger they result from, and defended-against attacks
    into the defence ('held off attacks by ISIS')."""
    drop: set[int] = set()
    by_head = {m.head: m for m in mentions}
    killings = {id(m) for m in mentions if m.victims is not None or m.entry.startswith(("kill", "die", "death"))}
    for m in mentions:
        frame_kill = id(m) in killings
        outcome = m.sub_event_type == "Looting/property destruction" and m.action != "heritage-destruction"
        if not (frame_kill or outcome):
            continue
        for other in sorted(mentions, key=lambda o: abs(o.head - m.head)):
            if other is m or other.head in drop:
                continue
            if other.entry.startswith(("kill", "die", "death")) and not (
                doc[m.head].dep_ == "conj" and doc[m.head].head.i == other.head
            ):
                continue
            if outcome and other.sub_event_type == "Looting/property destruction":
                continue
            if _linked(doc, m, other):
                other.fatalities = other.fatalities if other.fatalities is not None else m.fatalities
                if other.actor2 is None and m.victims is not None:
                    other.actor2 = m.victims
                other.victims = other.victims or m.victims
                other.place = other.place or m.place
                other.merged.extend([m.head, *m.merged])
                drop.add(m.head)
                break
    for m in mentions:
        tok = doc[m.head]
        outer = by_head.get(tok.head.i)
        if (
            outer is not None
            and outer is not m
            and outer.head not in drop
            and m.voice == "noun"
            and tok.dep_ in ("dobj", "nsubjpass", "pobj")
            and (outer.event_type, outer.sub_event_type) == (m.event_type, m.sub_event_type)
        ):
            if outer.actor2 is not None and outer.actor2.head == m.head and m.actor1 is not None:
                outer.actor2 = m.actor1
            outer.place = outer.place or m.place
            outer.merged.extend([m.head, *m.merged])
            drop.add(m.head)
    for m in mentions:
        if m.head in drop:
            continue
        for arg in (m.actor2, m.actor1):
            if arg is None or arg.head not in by_head or arg.head == m.head or arg.head in drop:
                continue
            inner = by_head[arg.head]
            if inner.voice != "noun" or inner.event_type not in ("Battles", "Explosions/Remote violence"):
                continue
            if arg is m.actor1 and m.event_type in ("Battles", "Explosions/Remote violence"):
                # 'an air strike hit the market': the verb only reports the noun's event
                inner.actor2 = inner.actor2 or m.actor2
                inner.place = inner.place or m.place
                inner.fatalities = inner.fatalities if inner.fatalities is not None else m.fatalities
                inner.victims = inner.victims or m.victims
                inner.merged.extend([m.head, *m.merged])
                drop.add(m.head)
                break
            if arg is m.actor2 and m.event_type == "Battles":
                # 'held off attacks by ISIS': the attackers are the defence's target
                if inner.actor1 is not None:
                    m.actor2 = inner.actor1
                m.place = m.place or inner.place
                m.merged.extend([inner.head, *inner.merged])
                drop.add(inner.head)
    _fold_nominal_repeats(doc, mentions, drop)
    _fold_adjuncts(doc, mentions, drop)
    return [m for m in mentions if m.head not in drop]


def _fold_adjuncts(doc: Doc, mentions: list[MentionData], drop: set[int]) -> None:
    """A fighting verb that only states the aim or the means of another ('fought for weeks to drive IS out of
    al-Bab', 'took control of al-Bab after driving out ISIS') is part of that happening, not a second one."""
    by_head = {m.head: m for m in mentions if m.head not in drop}
    for m in mentions:
        if m.head in drop or m.voice == "noun" or m.event_type != "Battles":
            continue
        tok = doc[m.head]
        purpose = tok.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        means = tok.dep_ == "pcomp" and tok.head.lower_ in ("after", "by") and tok.tag_ == "VBG"
        outer = by_head.get(tok.head.head.i if means else tok.head.i)
        if not (purpose or means) or outer is None or outer is m or outer.event_type != "Battles":
            continue
        outer.place = outer.place or m.place
        outer.actor2 = outer.actor2 or m.actor2
        outer.merged.extend([m.head, *m.merged])
        drop.add(m.head)


REPEAT_NOUNS = frozenset(
    "attack assault advance battle fighting fight offensive onslaught clash raid campaign operation push".split()
)
"""Nouns that often name again the happening the sentence's verb tells ('the assault began when the militants
overran X', 'recaptured Palmyra, an advance that ...')."""


def _fold_nominal_repeats(doc: Doc, mentions: list[MentionData], drop: set[int]) -> None:
    """A fighting noun in the sentence of a verbal fighting trigger is the same happening, unless it names a doer
    of its own that differs from the verb's."""
    for m in mentions:
        if m.head in drop or m.voice != "noun" or doc[m.head].lemma_.lower() not in REPEAT_NOUNS:
            continue
        if m.event_type not in FOLD_TYPES:
            continue
        verbs = [
            o
            for o in mentions
            if o is not m
            and o.head not in drop
            and o.voice != "noun"
            and o.sentence == m.sentence
            and o.event_type in FOLD_TYPES
        ]
        if not verbs:
            continue
        verb = min(verbs, key=lambda o: abs(o.head - m.head))
        own = m.actor1.text.lower() if m.actor1 is not None else None
        if own is not None and (verb.actor1 is None or verb.actor1.text.lower() != own):
            continue
        verb.place = verb.place or m.place
        verb.merged.extend([m.head, *m.merged])
        drop.add(m.head)


@Language.factory("sitreps_events", default_config={"extra_kb_files": []})
def make_events(nlp: Language, name: str, extra_kb_files: list[str]) -> EventExtractor:
    """Factory: the event extractor; needs `sitreps_triggers` earlier in the pipeline."""
    return EventExtractor(load_triggers(extra_kb_files), name)


def component_names() -> Iterable[str]:
    """The sitreps component names, in pipeline order."""
    return ("sitreps_paragraphs", "sitreps_actor_ruler", "sitreps_places", "sitreps_triggers", "sitreps_events")
