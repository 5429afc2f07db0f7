"""Trigger and argument P/R/F1 of sitreps extraction on WikiEvents dev (Conflict.*, Life.Die.*, Life.Injure.*)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from sitreps.kb.triggers import load_triggers
from sitreps.nlp import build_pipeline
from sitreps.nlp.components import MentionData

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "wikievents" / "dev.jsonl"
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
HARM_FRAMES = frozenset({"kill", "die"})
ROLE_MAP = {
    "Attacker": "actor1",
    "Killer": "actor1",
    "Injurer": "actor1",
    "Demonstrator": "actor1",
    "Target": "actor2",
    "Victim": "actor2",
    "Place": "place",
}
"""KAIROS roles → sitreps roles; instruments and devices have no sitreps role and are not scored."""


def family_of_gold(event_type: str) -> str | None:
    """KAIROS type → the family a sitreps mention must belong to (None: outside the scored subset)."""
    if event_type.startswith("Conflict.Attack"):
        return "attack"
    if event_type.startswith("Conflict.Demonstrate"):
        return "protest"
    if event_type.startswith(("Life.Die", "Life.Injure")):
        return "harm"
    return None


@dataclass
class Score:
    """True positives and counts, printed as P/R/F1."""

    tp_pred: int = 0
    tp_gold: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp_pred / self.n_pred if self.n_pred else 0.0
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Pred:
    """A predicted trigger with its families and its arguments as token ranges per sitreps role."""

    start: int
    end: int
    families: set[str]
    args: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def predictions(doc: Doc, mentions: Iterable[MentionData]) -> list[Pred]:
    """Mentions (and the killings folded into them) as scored predictions."""
    lex = load_triggers()
    out: list[Pred] = []
    for m in mentions:
        entry = lex.entries[m.entry]
        fams: set[str] = set()
        if m.event_type in VIOLENT:
            fams.add("attack")
        if entry.frame.name in HARM_FRAMES or m.fatalities is not None:
            fams.add("harm")
        if m.event_type in ("Protests", "Riots"):
            fams.add("protest")
        if not fams:
            continue
        args: dict[str, list[tuple[int, int]]] = {}
        for role, arg in (("actor1", m.actor1), ("actor2", m.actor2), ("place", m.place)):
            if arg is not None:
                args.setdefault(role, []).append((arg.head, arg.head + 1))
        out.append(Pred(m.trigger[0], m.trigger[1], fams, args))
        for h in m.merged:
            victims = {"actor2": [(m.victims.head, m.victims.head + 1)]} if m.victims is not None else {}
            out.append(Pred(h, h + 1, {"harm", "attack"}, victims))
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT, help="WikiEvents dev.jsonl (default: ../shared/bench-data)")
    ap.add_argument("--model", default="en_core_web_sm")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: {args.data} not found (WikiEvents dev lives in ../shared/bench-data/wikievents/)")
        return 0
    nlp = build_pipeline(args.model)
    trig = Score()
    roles = {r: Score() for r in ("actor1", "actor2", "place")}
    t0 = time.perf_counter()
    n_words = 0
    for line in args.data.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        tokens: list[str] = row["tokens"]
        n_words += len(tokens)
        doc = Doc(nlp.vocab, words=tokens)
        offset = 0
        for sent in row["sentences"]:
            if offset < len(doc):
                doc[offset].is_sent_start = True
            offset += len(sent[0])
        doc = nlp(doc)
        preds = predictions(doc, doc._.sitreps_mentions or [])
        ents = {e["id"]: (e["start"], e["end"]) for e in row["entity_mentions"]}
        golds = []
        for ev in row["event_mentions"]:
            fam = family_of_gold(ev["event_type"])
            if fam is None:
                continue
            gargs: dict[str, list[tuple[int, int]]] = {}
            for a in ev["arguments"]:
                role = ROLE_MAP.get(a["role"])
                if role is not None and a["entity_id"] in ents:
                    gargs.setdefault(role, []).append(ents[a["entity_id"]])
            golds.append(((ev["trigger"]["start"], ev["trigger"]["end"]), fam, gargs))
        trig.n_pred += len(preds)
        trig.n_gold += len(golds)
        matched_pairs: list[tuple[Pred, dict[str, list[tuple[int, int]]]]] = []
        for p in preds:
            hit = next((g for g in golds if overlap((p.start, p.end), g[0]) and g[1] in p.families), None)
            if hit is not None:
                trig.tp_pred += 1
                matched_pairs.append((p, hit[2]))
        for g in golds:
            if any(overlap((p.start, p.end), g[0]) and g[1] in p.families for p in preds):
                trig.tp_gold += 1
        for role, sc in roles.items():
            sc.n_pred += sum(len(p.args.get(role, [])) for p in preds)
            sc.n_gold += sum(len(g[2].get(role, [])) for g in golds)
            for p, gargs in matched_pairs:
                sc.tp_pred += sum(1 for a in p.args.get(role, []) if any(overlap(a, b) for b in gargs.get(role, [])))
            for g in golds:
                gp = [p for p in preds if overlap((p.start, p.end), g[0]) and g[1] in p.families]
                sc.tp_gold += sum(
                    1 for b in g[2].get(role, []) if any(overlap(a, b) for p in gp for a in p.args.get(role, []))
                )
    secs = time.perf_counter() - t0
    print(f"WikiEvents dev ({args.data}), Conflict.* / Life.Die.* / Life.Injure.*; {n_words} words in {secs:.1f} s")
    print(f"{'field':<10} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6}")
    for name, sc in (("trigger", trig), *roles.items()):
        p, r, f = sc.prf()
        print(f"{name:<10} {p:6.3f} {r:6.3f} {f:6.3f} {sc.n_pred:6d} {sc.n_gold:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
