"""Extraction quality against the team's gold (bench/gold/mentions.jsonl): P/R/F1 and per-field accuracy.

Matching rule (documented in docs/annotation.md too): a predicted mention matches a gold mention when both come
from the same document and their evidence spans overlap (the same sentence). Within a document, pairs are matched
one-to-one, greedily by score: triggers overlapping (+2), same event type (+1), nearer triggers first. Mention
detection P/R/F1 count these matches; field accuracies are computed over matched pairs only:

- type / sub_type / action / modality: equal strings (action: null = null counts as right);
- actor1 / actor2: equal KB ids (both null counts as right);
- place_25km: great-circle distance <= 25 km (gold places with coordinates only); geo_precision: equal;
- date: predicted interval equals the gold one at the gold precision (same day / within the gold span / month / year),
  scored where the gold has a date (plans and undated relative phrases have none);
- fatalities: equal (both null counts);
- attribution: both null, or both present.

Fusion: B-cubed P/R/F1 of the predicted events against the gold `cluster` ids, over matched mentions. Missed gold
mentions and spurious predicted ones are outside it (mention P/R count them): it scores how the mentions both
sides agree on are grouped. A spurious mention still counts through its effect on them (it can pull two matched
mentions into one event, which costs precision); only its own membership is not scored, so it cannot be rewarded.

Oracle fusion (`--oracle`): fuse the *gold* mentions themselves, with their gold fields (type, sub-type, action,
actors resolved in the KB for their sides, place with coordinates and precision, date with precision, fatalities,
modality, attribution, document and outlet), and print B-cubed against the gold clusters. It measures the fusion
model alone, without extraction errors.

Usage: python bench/quality.py [--json] [--oracle] [--gold bench/gold/mentions.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "sitreps" / "data" / "demo"
GOLD = ROOT / "bench" / "gold" / "mentions.jsonl"


def doc_key(path: str) -> str:
    """Gold document key of an ingested document path: file name, `wires.jsonl:3`, `feed.xml:2`."""
    name = Path(path.replace("#", ":")).name
    return name


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    from sitreps.model import distance_km

    return distance_km(a[0], a[1], b[0], b[1])


def same_at_precision(pred: dict[str, Any] | None, gold: dict[str, Any] | None) -> bool:
    """Is the predicted date interval the gold one, at the gold's precision?"""
    if gold is None:
        return pred is None
    if pred is None or not pred.get("start"):
        return False
    ps, pe = date.fromisoformat(pred["start"]), date.fromisoformat(pred["end"] or pred["start"])
    gs, ge = date.fromisoformat(gold["start"]), date.fromisoformat(gold["end"])
    p = int(gold["precision"])
    if p == 1:
        return ps == gs and pe == ge
    if p == 2:
        return gs <= ps and pe <= ge and (pe - ps).days <= 7
    if p == 3:
        return (ps.year, ps.month) == (gs.year, gs.month) and (pe.year, pe.month) == (ge.year, ge.month)
    return ps.year == gs.year and pe.year == ge.year


@dataclass
class Gold:
    doc: str
    start: int
    end: int
    t_start: int
    t_end: int
    data: dict[str, Any]


def load_gold(path: Path, texts: dict[str, str]) -> tuple[list[Gold], list[str]]:
    """Gold mentions with evidence offsets located in the ingested texts; problems listed, not fatal."""
    from sitreps.ingest.normalise import normalise_text

    golds: list[Gold] = []
    problems: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        g = json.loads(line)
        text = texts.get(g["doc"])
        if text is None:
            problems.append(f"{path.name}:{n}: document {g['doc']} not ingested")
            continue
        ev = normalise_text(g["evidence"])
        start = text.find(ev)
        if start < 0:
            problems.append(f"{path.name}:{n}: evidence not found in {g['doc']}")
            continue
        trig = normalise_text(g.get("trigger") or "")
        t = text.find(trig, start, start + len(ev)) if trig else -1
        t_start, t_end = (t, t + len(trig)) if t >= 0 else (start, start + len(ev))
        golds.append(Gold(g["doc"], start, start + len(ev), t_start, t_end, g))
    return golds, problems


def run_pipeline() -> tuple[dict[str, str], list[tuple[str, dict[str, Any]]], dict[str, str], float]:
    """Ingest and extract the demo corpus; fuse; return texts, predictions, mention→event and seconds."""
    import time

    from sitreps.fuse import DocInfo, fuse
    from sitreps.ingest import ReadOptions, iter_documents
    from sitreps.model import Document
    from sitreps.pipeline import load_nlp, process_documents

    t0 = time.perf_counter()
    docs = [d for d in iter_documents([str(DEMO)], ReadOptions()) if isinstance(d, Document)]
    nlp = load_nlp()
    texts: dict[str, str] = {}
    preds: list[tuple[str, dict[str, Any]]] = []
    mentions = []
    infos = {}
    for p in process_documents(docs, nlp=nlp):
        key = doc_key(p.document.path or p.document.id)
        texts[key] = p.document.text
        infos[p.document.id] = DocInfo(
            id=p.document.id, outlet=p.document.outlet, published=p.document.published, duplicate_of=None
        )
        for m in p.mentions:
            preds.append((key, m.to_json()))
            mentions.append(m)
    events = fuse(mentions, infos)
    assign = {mid: e.id for e in events for mid in e.mentions}
    return texts, preds, assign, time.perf_counter() - t0


def ingest_demo() -> tuple[dict[str, str], dict[str, Any]]:
    """Read the demo corpus without NLP: gold key -> text, and gold key -> DocInfo."""
    from sitreps.fuse import DocInfo
    from sitreps.ingest import ReadOptions, iter_documents
    from sitreps.model import Document

    texts: dict[str, str] = {}
    infos: dict[str, Any] = {}
    for d in iter_documents([str(DEMO)], ReadOptions()):
        if isinstance(d, Document):
            key = doc_key(d.path or d.id)
            texts[key] = d.text
            infos[key] = DocInfo(id=d.id, outlet=d.outlet, published=d.published)
    return texts, infos


def gold_mentions(golds: list[Gold], infos: dict[str, Any]) -> list[Any]:
    """Gold rows as Mentions with their gold fields (actors resolved in the KB so their sides are known)."""
    from sitreps.kb.actors import default_actor_kb
    from sitreps.model import ActorRef, DateInterval, Mention, Place, Span

    kb = default_actor_kb()

    def actor(aid: str | None) -> ActorRef | None:
        if not aid:
            return None
        a = kb.get(aid)
        return a.ref(aid) if a else ActorRef(id=aid, name=aid, text=aid)

    out = []
    for g in golds:
        gd = g.data
        gp = gd.get("place")
        place = None
        if gp:
            place = Place(
                id=None, name=gp["name"], text=gp["name"], lat=gp.get("lat"), lon=gp.get("lon"),
                geo_precision=int(gp.get("geo_precision") or 1),
            )  # fmt: skip
        gdt = gd.get("date")
        when = None
        if gdt:
            when = DateInterval(
                date.fromisoformat(gdt["start"]), date.fromisoformat(gdt["end"]), int(gdt["precision"]), rule="gold"
            )
        m = Mention(
            document_id=infos[g.doc].id,
            event_type=gd["event_type"],
            sub_event_type=gd["sub_event_type"],
            action=gd.get("action"),
            trigger=Span(gd.get("trigger") or "", g.t_start, g.t_end),
            evidence=Span(gd["evidence"], g.start, g.end),
            actor1=actor(gd.get("actor1")),
            actor2=actor(gd.get("actor2")),
            place=place,
            date=when,
            fatalities=gd.get("fatalities"),
            modality=gd["modality"],
            attribution=gd.get("attribution"),
            confidence=0.8,
            id=f"gold{len(out)}",
        )
        out.append(m)
    return out


def evaluate_oracle(gold_path: Path = GOLD, errors: str | None = None) -> dict[str, Any]:
    """Fuse the gold mentions with their gold fields and score the clustering against the gold clusters."""
    from sitreps.fuse import fuse

    texts, infos = ingest_demo()
    golds, problems = load_gold(gold_path, texts)
    mentions = gold_mentions(golds, infos)
    events = fuse(mentions, {i.id: i for i in infos.values()})
    assign = {mid: e.id for e in events for mid in e.mentions}
    pred_cl = {m.id: assign[m.id] for m in mentions}
    gold_cl = {m.id: g.data["cluster"] for m, g in zip(mentions, golds, strict=True)}
    if errors == "fusion":
        _print_oracle_errors(mentions, golds, assign)
    bp, br, bf = b_cubed(pred_cl, gold_cl)
    return {
        "gold_mentions": len(golds),
        "events": len(events),
        "gold_clusters": len(set(gold_cl.values())),
        "oracle_bcubed_precision": bp,
        "oracle_bcubed_recall": br,
        "oracle_bcubed_f1": bf,
        "problems": problems,
    }


def _print_oracle_errors(mentions: list[Any], golds: list[Gold], assign: dict[str, str]) -> None:
    """Gold clusters split over several events, and events that mix gold clusters (to stderr)."""
    out = sys.stderr
    by_g: dict[str, list[int]] = defaultdict(list)
    by_e: dict[str, set[str]] = defaultdict(set)
    for i, g in enumerate(golds):
        by_g[g.data["cluster"]].append(i)
        by_e[assign[mentions[i].id]].add(g.data["cluster"])

    def line(i: int) -> str:
        gd = golds[i].data
        pl = (gd.get("place") or {}).get("name")
        dt = gd.get("date") or {}
        return (
            f"   [{assign[mentions[i].id][-6:]}] {golds[i].doc} {gd['event_type']}/{gd['sub_event_type']}/"
            f"{gd.get('action')} place={pl} date={dt.get('start')}..{dt.get('end')}/{dt.get('precision')} "
            f"a1={gd.get('actor1')} a2={gd.get('actor2')} {gd['modality']} | {gd.get('trigger')!r}"
        )

    for cl, idx in sorted(by_g.items()):
        if len({assign[mentions[i].id] for i in idx}) > 1:
            print(f"SPLIT {cl}:", file=out)
            for i in idx:
                print(line(i), file=out)
    for ev, cls in sorted(by_e.items()):
        if len(cls) > 1:
            print(f"MIXED event {ev[-6:]}: {', '.join(sorted(cls))}", file=out)


def match(golds: list[Gold], preds: list[tuple[str, dict[str, Any]]]) -> list[tuple[Gold, dict[str, Any]]]:
    """One-to-one matching by document and overlapping evidence (see the module docstring)."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, p in preds:
        by_doc[key].append(p)
    pairs: list[tuple[float, int, int, Gold, dict[str, Any]]] = []
    for gi, g in enumerate(golds):
        for p in by_doc.get(g.doc, []):
            ev, tr = p["evidence"], p["trigger"]
            if ev["start"] < g.end and g.start < ev["end"]:
                score = 0.0
                if tr["start"] < g.t_end and g.t_start < tr["end"]:
                    score += 2
                if p["event_type"] == g.data["event_type"]:
                    score += 1
                score -= min(abs(tr["start"] - g.t_start), 1000) / 10000
                pairs.append((score, gi, id(p), g, p))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[Gold, dict[str, Any]]] = []
    for _s, gi, pid, g, p in pairs:
        if gi in used_g or pid in used_p:
            continue
        used_g.add(gi)
        used_p.add(pid)
        out.append((g, p))
    return out


def field_scores(pairs: list[tuple[Gold, dict[str, Any]]]) -> dict[str, float]:
    """Accuracy of each field over matched pairs."""
    acc: dict[str, list[bool]] = defaultdict(list)
    for g, p in pairs:
        gd = g.data
        acc["type"].append(p["event_type"] == gd["event_type"])
        acc["sub_type"].append(p["sub_event_type"] == gd["sub_event_type"])
        acc["action"].append(p.get("action") == gd.get("action"))
        for role in ("actor1", "actor2"):
            pa = (p.get(role) or {}).get("id")
            acc[role].append(pa == gd.get(role))
        gp, pp = gd.get("place"), p.get("place")
        if gp and gp.get("lat") is not None:
            ok = bool(pp and pp.get("lat") is not None and km((gp["lat"], gp["lon"]), (pp["lat"], pp["lon"])) <= 25)
            acc["place_25km"].append(ok)
            acc["geo_precision"].append(bool(pp and int(pp.get("geo_precision") or 0) == int(gp["geo_precision"])))
        if gd.get("date"):
            acc["date"].append(same_at_precision(p.get("date"), gd["date"]))
        acc["fatalities"].append(p.get("fatalities") == gd.get("fatalities"))
        acc["modality"].append(p["modality"] == gd["modality"])
        acc["attribution"].append((p.get("attribution") is None) == (gd.get("attribution") is None))
    return {k: sum(v) / len(v) for k, v in acc.items() if v}


def _field_wrong(field: str, g: Gold, p: dict[str, Any]) -> tuple[bool, Any, Any]:
    """Is `field` wrong in this matched pair; the gold and predicted values shown for it."""
    gd = g.data
    if field in ("actor1", "actor2"):
        return (p.get(field) or {}).get("id") != gd.get(field), gd.get(field), p.get(field)
    if field in ("place_25km", "geo_precision"):
        gp, pp = gd.get("place"), p.get("place")
        if not gp or gp.get("lat") is None:
            return False, gp, pp
        if field == "geo_precision":
            return not (pp and int(pp.get("geo_precision") or 0) == int(gp["geo_precision"])), gp, pp
        ok = bool(pp and pp.get("lat") is not None and km((gp["lat"], gp["lon"]), (pp["lat"], pp["lon"])) <= 25)
        return not ok, gp, pp
    if field == "date":
        return bool(gd.get("date")) and not same_at_precision(p.get("date"), gd["date"]), gd.get("date"), p.get("date")
    if field == "attribution":
        return (p.get("attribution") is None) != (gd.get("attribution") is None), gd.get(field), p.get(field)
    key = {"type": "event_type", "sub_type": "sub_event_type"}.get(field, field)
    return p.get(key) != gd.get(key), gd.get(key), p.get(key)


def print_errors(
    field: str,
    golds: list[Gold],
    preds: list[tuple[str, dict[str, Any]]],
    pairs: list[tuple[Gold, dict[str, Any]]],
    assign: dict[str, str],
) -> None:
    """Print the errors of one field, for whoever is improving it (to stderr, so --json stays clean)."""
    out = sys.stderr
    if field == "missed":
        hit = {id(g) for g, _p in pairs}
        for g in golds:
            if id(g) not in hit:
                print(
                    f"MISSED {g.doc}: {g.data.get('trigger')!r} {g.data['event_type']} | {g.data['evidence']}", file=out
                )
        return
    if field == "spurious":
        hit_p = {id(p) for _g, p in pairs}
        for key, p in preds:
            if id(p) not in hit_p:
                print(f"SPURIOUS {key}: {p['trigger']['text']!r} {p['event_type']} | {p['evidence']['text']}", file=out)
        return
    if field == "fusion":
        _print_fusion_errors(pairs, assign)
        return
    for g, p in pairs:
        wrong, gv, pv = _field_wrong(field, g, p)
        if wrong:
            print(f"{field} {g.doc}: gold={json.dumps(gv)} pred={json.dumps(pv)}\n    | {g.data['evidence']}", file=out)


def _print_fusion_errors(pairs: list[tuple[Gold, dict[str, Any]]], assign: dict[str, str]) -> None:
    """Gold clusters split over several events, then events mixing gold clusters (to stderr).

    Each member shows the predicted fields, then `gold:` with the gold values of the fields that differ, so a
    split can be traced to the extraction field (or the fusion rule) that caused it.
    """
    out = sys.stderr

    def show(g: Gold, p: dict[str, Any]) -> str:
        pl = p.get("place") or {}
        dt = p.get("date") or {}
        ev = assign.get(p["id"], p["id"])[-6:]
        line = (
            f"   [{ev}] {g.doc} {p['event_type']}/{p['sub_event_type']}/{p.get('action')} "
            f"place={pl.get('name')}/{pl.get('geo_precision')} "
            f"date={dt.get('start')}..{dt.get('end')}/{dt.get('precision')} "
            f"a1={(p.get('actor1') or {}).get('id')} a2={(p.get('actor2') or {}).get('id')} "
            f"{p['modality']} | {p['trigger']['text']!r}"
        )
        diff = [
            f"{f}={json.dumps(gv)}"
            for f in ("type", "sub_type", "action", "actor1", "actor2", "place_25km", "date", "modality")
            for wrong, gv, _pv in [_field_wrong(f, g, p)]
            if wrong
        ]
        return line + ("\n         gold: " + " ".join(diff) if diff else "")

    by_cluster: dict[str, list[tuple[Gold, dict[str, Any]]]] = defaultdict(list)
    by_event: dict[str, list[tuple[Gold, dict[str, Any]]]] = defaultdict(list)
    for g, p in pairs:
        by_cluster[g.data["cluster"]].append((g, p))
        by_event[assign.get(p["id"], p["id"])].append((g, p))
    for cl, members in sorted(by_cluster.items()):
        events = {assign.get(p["id"], p["id"]) for _g, p in members}
        if len(events) > 1:
            print(f"SPLIT {cl} into {len(events)} events:", file=out)
            for g, p in members:
                print(show(g, p), file=out)
    for ev, members in sorted(by_event.items()):
        clusters = sorted({g.data["cluster"] for g, _p in members})
        if len(clusters) > 1:
            print(f"MIXED event {ev[-6:]}: {', '.join(clusters)}", file=out)
            for g, p in sorted(members, key=lambda gp: gp[0].data["cluster"]):
                print(f"  {g.data['cluster']}", show(g, p), file=out)


def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of a clustering against gold clusters over the same items."""
    items = [i for i in gold if i in pred]
    if not items:
        return 0.0, 0.0, 0.0
    by_p: dict[str, set[str]] = defaultdict(set)
    by_g: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_p[pred[i]].add(i)
        by_g[gold[i]].add(i)
    prec = sum(len(by_p[pred[i]] & by_g[gold[i]]) / len(by_p[pred[i]]) for i in items) / len(items)
    rec = sum(len(by_p[pred[i]] & by_g[gold[i]]) / len(by_g[gold[i]]) for i in items) / len(items)
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f


def evaluate(gold_path: Path = GOLD, errors: str | None = None) -> dict[str, Any]:
    """Run the pipeline over the demo corpus and score it against the gold."""
    texts, preds, assign, seconds = run_pipeline()
    golds, problems = load_gold(gold_path, texts)
    pairs = match(golds, preds)
    if errors:
        print_errors(errors, golds, preds, pairs, assign)
    tp = len(pairs)
    p = tp / len(preds) if preds else 0.0
    r = tp / len(golds) if golds else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    pred_cl = {f"g{i}": assign.get(pm["id"], pm["id"]) for i, (g, pm) in enumerate(pairs)}
    gold_cl = {f"g{i}": g.data["cluster"] for i, (g, _pm) in enumerate(pairs)}
    bp, br, bf = b_cubed(pred_cl, gold_cl)
    return {
        "gold_mentions": len(golds),
        "predicted_mentions": len(preds),
        "matched": tp,
        "mention_precision": p,
        "mention_recall": r,
        "mention_f1": f,
        "fields": field_scores(pairs),
        "fusion_bcubed_precision": bp,
        "fusion_bcubed_recall": br,
        "fusion_bcubed_f1": bf,
        "seconds": seconds,
        "problems": problems,
    }


def flat_scores(result: dict[str, Any]) -> dict[str, float]:
    """The figures the gate holds floors for."""
    out = {k: float(result[k]) for k in ("mention_precision", "mention_recall", "mention_f1", "fusion_bcubed_f1")}
    out.update({f"field_{k}": float(v) for k, v in result["fields"].items()})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument(
        "--errors",
        metavar="FIELD",
        help="also print each matched pair that FIELD gets wrong (type, actor1, place_25km, date, ...), "
        "or 'missed' / 'spurious' for detection errors, or 'fusion' for split gold clusters and events that mix them",
    )
    ap.add_argument(
        "--oracle", action="store_true", help="fuse the gold mentions with their gold fields (fusion model alone)"
    )
    args = ap.parse_args()
    if args.oracle:
        ores = evaluate_oracle(args.gold, errors=args.errors)
        if args.json:
            print(json.dumps(ores, indent=2))
            return 0
        print(
            f"oracle fusion: {ores['gold_mentions']} gold mentions, {ores['gold_clusters']} gold clusters, {ores['events']} events"
        )
        for k in ("oracle_bcubed_precision", "oracle_bcubed_recall", "oracle_bcubed_f1"):
            print(f"{k:<28}{ores[k]:>8.3f}")
        for prob in ores["problems"][:20]:
            print("problem:", prob, file=sys.stderr)
        return 0
    res = evaluate(args.gold, errors=args.errors)
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(
        f"gold mentions {res['gold_mentions']}, predicted {res['predicted_mentions']}, matched {res['matched']} ({res['seconds']:.1f} s)"
    )
    print(f"{'measure':<28}{'value':>8}")
    for k, v in flat_scores(res).items():
        print(f"{k:<28}{v:>8.3f}")
    for k in ("fusion_bcubed_precision", "fusion_bcubed_recall"):  # what the F1 is made of, to see merges vs splits
        print(f"{k:<28}{float(res[k]):>8.3f}")
    for prob in res["problems"][:20]:
        print("problem:", prob, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
