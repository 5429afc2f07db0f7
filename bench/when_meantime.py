"""Score sitreps.when on MEANTIME: TIMEX3 value accuracy against the creation time, and span P/R/F1."""

from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitreps.model import DateInterval
from sitreps.when import find_time_expressions, normalise, timex_value
from sitreps.when.find import is_anchored

_HERE = Path(__file__).resolve()
DEFAULT = next(
    (
        p / "shared" / "bench-data" / "meantime"
        for p in _HERE.parents
        if (p / "shared" / "bench-data" / "meantime").is_dir()
    ),
    _HERE.parents[1].parent / "shared" / "bench-data" / "meantime",
)  # the checkout's sibling `shared/`, found from a worktree too
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "'s", "n't", "%", "'", "''"}
_NO_SPACE_AFTER = {"(", "$", "``"}


@dataclass
class Doc:
    """One MEANTIME article: detokenised text, token offsets, creation date and gold TIMEX3s."""

    name: str
    text: str
    offsets: dict[str, tuple[int, int]]
    sentences: dict[str, int]
    sentence_text: dict[int, str]
    created: date | None
    annotated: int
    gold: list[tuple[str, str, list[str]]]  # (type, value, token ids)
    creation_tokens: list[str]


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    m = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", value)  # a few files write DD-MM-YYYY
    return date(int(m[3]), int(m[2]), int(m[1])) if m else None


def load(path: Path) -> Doc:
    """Read one article, rebuilding text with sensible spacing so regular expressions see news-like prose."""
    root = ET.parse(path).getroot()
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    sentences: dict[str, int] = {}
    pos, prev, prev_sent = 0, "", None
    for tok in root.iter("token"):
        word, sent = tok.text or "", int(tok.get("sentence", "0"))
        if parts:
            sep = "\n" if sent != prev_sent else ("" if word in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER else " ")
            parts.append(sep)
            pos += len(sep)
        offsets[tok.get("t_id", "")] = (pos, pos + len(word))
        sentences[tok.get("t_id", "")] = sent
        parts.append(word)
        pos += len(word)
        prev, prev_sent = word, sent
    text = "".join(parts)
    sentence_text: dict[int, str] = {}
    for tid, (s, e) in offsets.items():
        k = sentences[tid]
        sentence_text[k] = sentence_text.get(k, "") + " " + text[s:e]
    markables = root.find("Markables")
    anchored_sents = [
        sentences[a.get("t_id", "")]
        for x in (markables if markables is not None else [])
        for a in x.findall("token_anchor")
    ]
    created, gold, creation_tokens = None, [], []
    for x in root.iter("TIMEX3"):
        ids = [a.get("t_id", "") for a in x.findall("token_anchor")]
        if x.get("functionInDocument") == "CREATION_TIME":
            created, creation_tokens = _parse_date(x.get("value")), ids
            if created is None and ids:  # no value: read the dateline itself (absolute dates need no anchor)
                first, last_ = offsets[ids[0]][0], offsets[ids[-1]][1]
                iv = normalise(text[first:last_], published=None)
                created = iv.start if iv is not None and iv.precision == 1 else None
        else:
            gold.append((x.get("type", ""), x.get("value", ""), ids))
    gold.sort(key=lambda g: int(g[2][0]) if g[2] else 0)
    annotated = max(anchored_sents, default=-1)
    return Doc(path.stem, text, offsets, sentences, sentence_text, created, annotated, gold, creation_tokens)


def _tokens(doc: Doc, start: int, end: int) -> frozenset[str]:
    return frozenset(t for t, (s, e) in doc.offsets.items() if s < end and e > start)


def _snippet(sentence: str, phrase: str, width: int = 70) -> str:
    """The sentence around a phrase, cut to `width` characters either side, for reading misses."""
    i = sentence.find(phrase)
    if i < 0:
        return sentence[: 2 * width]
    lo, hi = max(0, i - width), min(len(sentence), i + len(phrase) + width)
    return (
        ("..." if lo else "")
        + sentence[lo:i]
        + "["
        + phrase
        + "]"
        + sentence[i + len(phrase) : hi]
        + ("..." if hi < len(sentence) else "")
    )


def main(argv: list[str] | None = None) -> int:
    """Print value accuracy by type, span P/R/F1 and misses (with -v)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every wrong value and span error")
    ap.add_argument(
        "--errors",
        action="store_true",
        help="list each miss with its sentence: wrong values (phrase, gold, ours, creation date) and missed spans",
    )
    args = ap.parse_args(argv)
    files = sorted((args.folder / "intra-doc_annotation").glob("*/*.xml")) if args.folder.is_dir() else []
    if not files:
        print(f"MEANTIME not found under {args.folder} (expected intra-doc_annotation/*/*.xml); skipping.")
        return 0
    docs = [load(f) for f in files]
    by_type: Counter[str] = Counter()
    ok_type: Counter[str] = Counter()
    skipped = Counter[str]()
    wrong: list[str] = []
    t0 = time.perf_counter()
    for doc in docs:
        named: list[DateInterval] = []  # like find_and_normalise: anchored phrases count from dates named before
        for typ, value, ids in doc.gold:
            if not ids:
                skipped["no text (implicit)"] += 1
                continue
            if doc.created is None:
                skipped["no creation date"] += 1
                continue
            s, e = doc.offsets[ids[0]][0], doc.offsets[ids[-1]][1]
            phrase = doc.text[s:e]
            context = doc.sentence_text.get(doc.sentences[ids[0]], "").strip()
            anchored = is_anchored(phrase)
            anchor = tuple(named) if anchored else None
            got = timex_value(phrase, published=doc.created, context=context, anchor=anchor)
            iv = normalise(phrase, published=doc.created, context=context)
            if not anchored and iv is not None and iv.resolved and iv.start is not None:
                named.append(iv)
            by_type[typ] += 1
            if got == value:
                ok_type[typ] += 1
            else:
                wrong.append(f"  {doc.created} {typ:8} {phrase!r:40} gold={value:14} got={got}")
                if args.errors:
                    wrong.append(f"      | {_snippet(context, phrase)}")
    n, ok = sum(by_type.values()), sum(ok_type.values())
    print(f"MEANTIME: {len(docs)} documents, {n} gold TIMEX3 with text (skipped: {dict(skipped)})")
    print(f"{'type':10}{'n':>6}{'exact':>8}{'share':>9}")
    for typ in sorted(by_type):
        print(f"{typ:10}{by_type[typ]:6d}{ok_type[typ]:8d}{ok_type[typ] / by_type[typ]:9.1%}")
    print(f"{'all':10}{n:6d}{ok:8d}{ok / n:9.1%}")
    dates = by_type["DATE"] + by_type["TIME"]
    print(
        f"{'DATE+TIME':10}{dates:6d}{ok_type['DATE'] + ok_type['TIME']:8d}{(ok_type['DATE'] + ok_type['TIME']) / dates:9.1%}"
    )

    for durations in (False, True):
        tp = fp = fn = 0
        errors: list[str] = []
        for doc in docs:
            gold_sets = {frozenset(ids) for typ, _v, ids in doc.gold if ids and (durations or typ in ("DATE", "TIME"))}
            if doc.creation_tokens:
                gold_sets.add(frozenset(doc.creation_tokens))
            found = {
                _tokens(doc, sp.start, sp.end)
                for sp in find_time_expressions(doc.text, durations=durations)
                if doc.sentences[min(_tokens(doc, sp.start, sp.end), key=int)] <= doc.annotated
            }
            tp += len(gold_sets & found)
            fp += len(found - gold_sets)
            fn += len(gold_sets - found)
            for miss in gold_sets - found:
                words = " ".join(doc.text[slice(*doc.offsets[t])] for t in sorted(miss, key=int))
                errors.append("  FN " + repr(words))
                if args.errors:
                    first = min(miss, key=int)
                    sentence = doc.sentence_text.get(doc.sentences[first], "").strip()
                    errors[-1] += f"  ({doc.created})\n      | {_snippet(sentence, words)}"
            for extra in found - gold_sets:
                words = " ".join(doc.text[slice(*doc.offsets[t])] for t in sorted(extra, key=int))
                errors.append("  FP " + repr(words))
                if args.errors:
                    sentence = doc.sentence_text.get(doc.sentences[min(extra, key=int)], "").strip()
                    errors[-1] += f"  ({doc.created})\n      | {_snippet(sentence, words)}"
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        f1 = 2 * p * r / max(p + r, 1e-9)
        label = "DATE+TIME+DURATION+SET, durations=True" if durations else "DATE+TIME gold, default rules"
        print(
            f"spans ({label}): P {p:.1%}  R {r:.1%}  F1 {f1:.1%}  (exact token match, annotated sentences only, creation time included)"
        )
        if args.verbose or args.errors:
            print("\n".join(sorted(errors)))
    elapsed = time.perf_counter() - t0
    if args.verbose or args.errors:
        print("wrong values:")
        print("\n".join(wrong))
    print(f"time: {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
