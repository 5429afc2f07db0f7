"""Fuzz every reader, the extractor, the date normaliser and the place resolver with generated input; print a table.

Usage:
    .venv/bin/python bench/fuzz.py [--total 100000] [--seed 0] [--only reader-feed,when-normalise]
        [--chunk 500] [--jobs 2] [--state fuzz-state.json]   # --state: stop any time, re-run to resume

Why: sitreps ingests hostile content unattended. Whatever bytes arrive, a reader must yield Documents or
InputErrors with a reason, and the later stages must return results or raise SitrepsError — never crash
the batch. The strategies live here so tests/reliability/test_fuzz.py runs the same targets, fewer times.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from sitreps.errors import InputError, SitrepsError
from sitreps.ingest import ReadOptions, iter_bytes, sniff_format
from sitreps.model import Document

# Never fetch while fuzzing: feed entries without text would otherwise have their (generated) links fetched.
FUZZ_OPTIONS = ReadOptions(fetch_missing_bodies=False, max_bytes=200_000)

_ODD = (
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width and BOM
    "\u202e\u202d\u2066\u2069"  # bidi overrides and isolates
    "\u0301\u0308\u0336"  # combining marks
    "\u00a0\u2028\u2029\x85\x0b\x0c\r\t\x00\x1b"  # odd spaces, separators, controls, NUL
    "\U0001f4a5\U0001f1f8\U0001f1fe"  # emoji and a flag
    "دير الزورتدمر"  # Arabic script
    "ﬁ＂＜＞＆"  # compatibility forms and fullwidth markup
)
WORDS = [
    "Islamic", "State", "ISIS", "the", "Syrian", "army", "attacked", "shelled", "killed", "12", "soldiers", "in",
    "Deir", "ez-Zor", "Palmyra", "al-Bab", "Raqqa", "on", "Saturday", "last", "week", "according", "to", "monitor",
    "said", "airstrike", "civilians", "wounded", "besieged", "captured", "January", "2017", "14", "yesterday",
    "at", "least", "dozens", "forces", "near", "village", ",", ".", "\"", "'", "(", ")", "-", "—", "&", "<", ">",
]  # fmt: skip
TIME_WORDS = [
    "last", "next", "this", "week", "month", "year", "in", "September", "Jan.", "14", "2017", "1999", "ago", "two",
    "days", "earlier", "late", "mid-", "early", "Saturday", "night", "weekend", "since", "quarter", "Q3", "summer",
    "31", "February", "29", "0", "99/99/9999", "2017-13-45", "1/2/3", "yesterday", "today", "later", "first",
    "the", "of", "1990s", "decade", "-", "/", ".", "hours", "overnight", "99999999999999999999",
]  # fmt: skip
PLACES = ["Deir ez-Zor", "Deir Ezzor", "Palmyra", "Tadmur", "al-Bab", "Al Bab", "Raqqa", "Aleppo", "Halab", "Mosul"]

_odd_alphabet = st.characters(codec="utf-8") | st.sampled_from(_ODD)
odd_text = st.text(alphabet=_odd_alphabet, max_size=300)
short_odd = st.text(alphabet=_odd_alphabet, max_size=19)  # not odd_text.filter(...): filtering wastes draws
long_token = st.integers(1000, 20000).map(lambda n: "x" * n)
word_soup = st.lists(st.sampled_from(WORDS) | short_odd, max_size=60).map(" ".join)
sentences = st.one_of(word_soup, odd_text, long_token, st.tuples(word_soup, long_token, word_soup).map(" ".join))


def _encode(text: str, enc: str) -> bytes:
    return text.encode(enc, errors="replace")


encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
encoded_text = st.builds(_encode, sentences, encodings)
header_line = st.sampled_from(["Title", "Date", "Source", "URL", "Author", "Lang", "Published"]).flatmap(
    lambda k: st.tuples(st.just(k), st.one_of(word_soup, st.sampled_from(["2017-01-15", "0000-00-00", "9999-99-99"])))
)
text_docs = st.one_of(
    st.binary(max_size=2000),
    encoded_text,
    st.builds(
        lambda heads, body: ("\n".join(f"{k}: {v}" for k, v in heads) + "\n\n" + body).encode("utf-8", "replace"),
        st.lists(header_line, max_size=6),
        sentences,
    ),
)

_TAGS = ["p", "div", "article", "h1", "title", "script", "style", "a", "span", "br", "meta", "time", "iframe", "svg"]
html_node: st.SearchStrategy[str] = st.recursive(
    word_soup.map(lambda s: s.replace("<", "&lt;")),
    lambda inner: st.builds(
        lambda tag, kids, attr: f"<{tag}{attr}>{''.join(kids)}</{tag}>",
        st.sampled_from(_TAGS),
        st.lists(inner, max_size=4),
        st.sampled_from(["", ' class="x"', ' onload="alert(1)"', ' href="javascript:alert(1)"', " a=b c", ' "<']),
    ),
    max_leaves=20,
)
html_docs = st.one_of(
    st.builds(
        lambda body: f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>", html_node
    ).map(lambda s: s.encode("utf-8", "replace")),
    st.builds(lambda s: s.encode("utf-8", "replace"), html_node),
    st.binary(max_size=500).map(lambda b: b"<html>" + b),
    st.builds(lambda s: ("<html>" + s).encode("utf-8", "replace"), odd_text),
)

FIELDS = ["title", "headline", "text", "body", "content", "date", "published", "url", "link", "source", "outlet"]
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), sentences, st.sampled_from(["2017-01-15"])
)
json_value = st.recursive(
    json_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
json_record = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_value, max_size=8)


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


jsonl_docs = st.lists(
    st.one_of(json_record.map(_dumps), json_value.map(_dumps), st.text(max_size=50), st.just("")), max_size=10
).map(lambda lines: "\n".join(lines).encode("utf-8", "replace"))
json_docs = st.one_of(
    st.lists(json_record, max_size=8).map(_dumps),
    json_value.map(_dumps),
    st.dictionaries(st.sampled_from(["items", "articles", "data"]), st.lists(json_record, max_size=4)).map(_dumps),
    st.text(max_size=100).map(lambda s: "[" + s),
).map(lambda s: s.encode("utf-8", "replace"))
csv_cell = st.one_of(sentences, st.sampled_from(['"', '""', "a,b", "line\nbreak", "\x00", "=cmd|' /C calc'!A0"]))


def _csv(header: list[str], rows: list[list[str]], delim: str) -> bytes:
    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(ch in c for ch in (delim, '"', "\n")) else c

    lines = [delim.join(header)] + [delim.join(cell(c) for c in row) for row in rows]
    return "\n".join(lines).encode("utf-8", "replace")


csv_docs = st.one_of(
    st.builds(
        _csv,
        st.lists(st.sampled_from(FIELDS) | st.text(max_size=6), min_size=1, max_size=6),
        st.lists(st.lists(csv_cell, max_size=7), max_size=8),
        st.sampled_from([",", "\t"]),
    ),
    st.binary(max_size=300).map(lambda b: b"title,text\n" + b),
)

_RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'
_ATOM = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{items}</feed>'
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _rss_item(title: str, body: str, raw: bool, when: str) -> str:
    text = body if raw else body.translate(_XML_ESCAPES)
    return (
        f"<item><title>{title.translate(_XML_ESCAPES)}</title><link>http://127.0.0.1:9/x</link>"
        f"<pubDate>{when}</pubDate><description>{text}</description></item>"
    )


def _atom_entry(title: str, body: str, raw: bool, when: str) -> str:
    text = body if raw else body.translate(_XML_ESCAPES)
    return (
        f'<entry><title>{title.translate(_XML_ESCAPES)}</title><link href="http://127.0.0.1:9/x"/>'
        f'<updated>{when}</updated><content type="html">{text}</content></entry>'
    )


_DATES = st.sampled_from(["Sun, 15 Jan 2017 10:00:00 GMT", "2017-01-15T10:00:00Z", "yesterday", "", "99 Foo 99999"])
_ENTITY_ATTACKS = [
    # billion laughs
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    "<rss><channel><item><title>&lol4;</title><description>&lol4;</description></item></channel></rss>",
    # external entity (XXE)
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<rss><channel><item><title>x</title><description>&xxe;</description></item></channel></rss>",
    # parameter entity fetching an external DTD
    '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY % dtd SYSTEM "file:///etc/passwd"> %dtd;]>'
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><content>&a;</content></entry></feed>',
    # external DTD by SYSTEM id only
    '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd"><rss><channel><item><title>x</title>'
    "<description>an ordinary item</description></item></channel></rss>",
    # lower-case / spaced declaration
    '<?xml version="1.0"?><!doctype rss [<!entity   xxe system "file:///etc/passwd">]>'
    "<rss><channel><item><description>&xxe;</description></item></channel></rss>",
]
feed_docs = st.one_of(
    st.builds(
        lambda t, items: _RSS.format(title=t.translate(_XML_ESCAPES), items="".join(items)),
        word_soup,
        st.lists(st.builds(_rss_item, word_soup, sentences | html_node, st.booleans(), _DATES), max_size=6),
    ),
    st.builds(
        lambda t, items: _ATOM.format(title=t.translate(_XML_ESCAPES), items="".join(items)),
        word_soup,
        st.lists(st.builds(_atom_entry, word_soup, sentences | html_node, st.booleans(), _DATES), max_size=6),
    ),
    st.sampled_from(_ENTITY_ATTACKS),
    st.builds(lambda s: "<rss><channel><item><description>" + s, odd_text),
).map(lambda s: s.encode("utf-8", "replace"))

READER_INPUTS: dict[str, st.SearchStrategy[bytes]] = {
    "text": text_docs,
    "html": html_docs,
    "jsonl": jsonl_docs,
    "json": json_docs,
    "csv": csv_docs,
    "tsv": csv_docs,
    "feed": feed_docs,
    "sniffed": st.one_of(text_docs, html_docs, jsonl_docs, json_docs, csv_docs, feed_docs, st.binary(max_size=1000)),
}
published_dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
time_phrases = st.one_of(
    st.lists(st.sampled_from(TIME_WORDS), min_size=1, max_size=6).map(" ".join), odd_text, long_token
)

_TABULAR = ("jsonl", "json", "csv", "tsv")
Outcome = str  # "ok" or "rejected"; anything unexpected raises


def check_reader(data: bytes, fmt: str | None, options: ReadOptions = FUZZ_OPTIONS) -> Outcome:
    """Read bytes as one format: every item is a Document with text or an InputError with a reason."""
    items = list(iter_bytes(data, source="fuzz", options=options, fmt=fmt))  # type: ignore[arg-type]
    if not items:
        # Tabular inputs with no records (b"", b"[]", a header alone) yield nothing today; see docs/reliability.md.
        if fmt in _TABULAR or (fmt is None and sniff_format(data) in _TABULAR):
            return "rejected"
        raise AssertionError("reader yielded nothing: the input vanished without a reason")
    rejected = False
    for item in items:
        if isinstance(item, InputError):
            if not item.reason or not item.source:
                raise AssertionError(f"rejection without a source or reason: {item!r}")
            rejected = True
        elif isinstance(item, Document):
            if not item.text.strip() or not item.id:
                raise AssertionError(f"document without text or id from {data[:80]!r}")
            if b"root:x:0:0" not in data and "root:x:0:0" in item.text:
                raise AssertionError("a feed leaked /etc/passwd through an external entity")
        else:
            raise AssertionError(f"reader yielded {type(item).__name__}")
    return "rejected" if rejected else "ok"


def check_extract(text: str, published: date | None, nlp: Any = None) -> Outcome:
    """Extract mentions from any text: evidence offsets stay inside the text."""
    from sitreps.nlp import extract_text

    try:
        mentions = extract_text(text, published=published, nlp=nlp)
    except SitrepsError as e:
        if not e.reason:
            raise AssertionError(f"rejection without a reason: {e!r}") from e
        return "rejected"
    for m in mentions:
        if not 0 <= m.evidence.start <= m.evidence.end <= len(text):
            raise AssertionError(f"evidence {m.evidence.start}..{m.evidence.end} outside a text of {len(text)}")
        if m.modality not in ("asserted", "hedged", "negated", "planned", "threatened"):
            raise AssertionError(f"unknown modality {m.modality!r}")
    return "ok" if mentions else "rejected"


def check_normalise(phrase: str, published: date | None) -> Outcome:
    """normalise(): None or an interval whose start is not after its end."""
    from sitreps.when import normalise

    res = normalise(phrase, published=published, context=phrase)
    if res is None:
        return "rejected"
    if res.start is not None and res.end is not None and res.start > res.end:
        raise AssertionError(f"{phrase!r}: start {res.start} after end {res.end}")
    return "ok"


def check_find(text: str, published: date | None) -> Outcome:
    """find_and_normalise(): every span is a slice of the text it was found in."""
    from sitreps.when import find_and_normalise

    found = find_and_normalise(text, published=published)
    for span, interval in found:
        if text[span.start : span.end] != span.text:
            raise AssertionError(f"span {span} is not text[{span.start}:{span.end}]")
        if interval.start is not None and interval.end is not None and interval.start > interval.end:
            raise AssertionError(f"{span.text!r}: start after end")
    return "ok" if found else "rejected"


def check_geo(name: str, country: str | None) -> Outcome:
    """resolve(): None or a place with valid coordinates."""
    from sitreps.geo import resolve

    place = resolve(name, country=country)
    if place is None:
        return "rejected"
    if place.lat is None or place.lon is None or not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
        raise AssertionError(f"{name!r} resolved to impossible coordinates {place.lat},{place.lon}")
    return "ok"


geo_names = st.one_of(
    st.sampled_from(PLACES),
    st.builds(lambda p, junk: p + junk, st.sampled_from(PLACES), short_odd),
    odd_text,
    long_token,
)
geo_countries = st.one_of(st.none(), st.sampled_from(["SY", "IQ", "sy", "", "XX", "ZZZ"]))


@dataclass
class Tally:
    """Inputs, rejections and crashes of one target (the first few crashes kept with their input)."""

    inputs: int = 0
    rejected: int = 0
    n_crashes: int = 0
    crashes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def targets(nlp: Any = None) -> dict[str, tuple[st.SearchStrategy[Any], Callable[..., Outcome]]]:
    """Every fuzz target: name -> (strategy of argument tuples, checker)."""
    out: dict[str, tuple[st.SearchStrategy[Any], Callable[..., Outcome]]] = {}
    for fmt, strat in READER_INPUTS.items():
        out[f"reader-{fmt}"] = (st.tuples(strat, st.just(None if fmt == "sniffed" else fmt)), check_reader)
    out["when-normalise"] = (st.tuples(time_phrases, published_dates), check_normalise)
    out["when-find"] = (st.tuples(sentences, published_dates), check_find)
    out["geo-resolve"] = (st.tuples(geo_names, geo_countries), check_geo)
    out["nlp-extract"] = (
        st.tuples(sentences, published_dates),
        lambda text, pub: check_extract(text, pub, nlp),
    )
    return out


def run_target(name: str, strat: st.SearchStrategy[Any], check: Callable[..., Outcome], n: int, rng_seed: int) -> Tally:
    """Generate n inputs for one target and tally outcomes; crashes are recorded, not raised, so the table prints."""
    tally = Tally()

    @seed(rng_seed)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strat)
    def body(args: tuple[Any, ...]) -> None:
        tally.inputs += 1
        try:
            if check(*args) == "rejected":
                tally.rejected += 1
        except Exception:  # a crash is the finding; keep going to count them all
            tally.n_crashes += 1
            if len(tally.crashes) < 5:
                tally.crashes.append(f"{repr(args)[:300]}\n{traceback.format_exc(limit=6)}")

    t0 = time.perf_counter()
    body()
    tally.seconds = time.perf_counter() - t0
    return tally


# Share of the total per target: the extractor runs spaCy (slow), readers and dates are cheap.
WEIGHTS = {"nlp-extract": 0.03, "geo-resolve": 0.08, "when-normalise": 0.15, "when-find": 0.1}

_NLP: Any = None


def _run_chunk(name: str, n: int, chunk_seed: int) -> Tally:
    """Run one chunk of one target in this (possibly worker) process; spaCy is loaded once per process."""
    global _NLP
    if name == "nlp-extract" and _NLP is None:
        from sitreps.nlp import build_pipeline

        _NLP = build_pipeline("en_core_web_sm")
    strat, check = targets(_NLP)[name]
    return run_target(name, strat, check, n, chunk_seed)


def plan(names: list[str], total: int, chunk: int) -> list[tuple[str, int, int]]:
    """(target, chunk index, inputs) for every chunk, interleaved so a partial run covers every target.

    Why chunks: each chunk has its own seed, so a long run can be stopped and resumed (or spread over
    processes) without repeating a chunk, and progress is visible while it runs.
    """
    readers = [k for k in names if k.startswith("reader-")]
    fixed = sum(WEIGHTS.get(k, 0) for k in names)
    rest = (1 - fixed) / len(readers) if readers else 0
    per_target: dict[str, list[int]] = {}
    for name in names:
        n = max(1, round(total * WEIGHTS.get(name, rest)))
        per_target[name] = [min(chunk, n - i) for i in range(0, n, chunk)]
    out = []
    for k in range(max(len(v) for v in per_target.values())):
        out += [(name, k, sizes[k]) for name, sizes in per_target.items() if k < len(sizes)]
    return out


def _load_state(path: Path | None, key: dict[str, Any]) -> dict[str, Any]:
    """The finished chunks of an earlier run with the same total, seed and chunk size (else a fresh state)."""
    if path is None or not path.exists():
        return {"key": key, "done": {}, "crashes": []}
    state: dict[str, Any] = json.loads(path.read_text())
    if state.get("key") != key:
        raise SystemExit(f"{path} belongs to another run ({state.get('key')}); remove it or pass another --state")
    return state


def _save_state(path: Path | None, state: dict[str, Any]) -> None:
    if path is not None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        tmp.replace(path)  # atomic: a kill never leaves a half-written state file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz readers, extractor, dates and places; print a table.")
    ap.add_argument("--total", type=int, default=100_000, help="generated inputs across all targets")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated target names")
    ap.add_argument("--chunk", type=int, default=500, help="inputs per chunk (each chunk has its own seed)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--state", type=Path, default=None, help="JSON file of finished chunks; a re-run resumes from it")
    args = ap.parse_args(argv)
    names = list(targets())
    if args.only:
        names = [k for k in names if k in args.only.split(",")]
    key = {"total": args.total, "seed": args.seed, "chunk": args.chunk, "targets": names}
    state = _load_state(args.state, key)
    chunks = plan(names, args.total, args.chunk)
    todo = [c for c in chunks if f"{c[0]}/{c[1]}" not in state["done"]]
    planned = sum(c[2] for c in chunks)
    done_inputs = sum(t["inputs"] for t in state["done"].values())
    print(f"{len(chunks)} chunks, {planned} inputs over {len(names)} targets; {len(chunks) - len(todo)} chunks done",
          file=sys.stderr, flush=True)  # fmt: skip
    t0 = time.perf_counter()
    new_inputs = 0

    def record(name: str, k: int, tally: Tally) -> None:
        nonlocal done_inputs, new_inputs
        state["done"][f"{name}/{k}"] = {
            "inputs": tally.inputs, "rejected": tally.rejected, "crashes": tally.n_crashes, "seconds": tally.seconds,
        }  # fmt: skip
        state["crashes"] += [f"{name}/{k}: {c}" for c in tally.crashes][: max(0, 50 - len(state["crashes"]))]
        _save_state(args.state, state)
        done_inputs += tally.inputs
        new_inputs += tally.inputs
        rate = new_inputs / max(time.perf_counter() - t0, 1e-9)
        print(
            f"{time.strftime('%H:%M:%S')} {name} chunk {k}: {tally.inputs} inputs, {tally.n_crashes} crashes, "
            f"{tally.inputs / max(tally.seconds, 1e-9):.0f} inputs/s; overall {done_inputs}/{planned} "
            f"({rate:.1f} inputs/s)",
            file=sys.stderr,
            flush=True,
        )
        for c in tally.crashes:
            print(c, file=sys.stderr, flush=True)

    if args.jobs <= 1:
        for name, k, n in todo:
            record(name, k, _run_chunk(name, n, args.seed * 1_000_003 + k))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(args.jobs) as pool:
            futures = {pool.submit(_run_chunk, name, n, args.seed * 1_000_003 + k): (name, k) for name, k, n in todo}
            for fut in as_completed(futures):
                record(*futures[fut], fut.result())
    print("| target | inputs | rejected | crashes | seconds | inputs/s |\n|---|---|---|---|---|---|")
    crashes = total = 0
    for name in names:
        rows = [v for kk, v in state["done"].items() if kk.rsplit("/", 1)[0] == name]
        inputs, rejected = sum(r["inputs"] for r in rows), sum(r["rejected"] for r in rows)
        n_crash, secs = sum(r["crashes"] for r in rows), sum(r["seconds"] for r in rows)
        total += inputs
        crashes += n_crash
        print(f"| {name} | {inputs} | {rejected} | {n_crash} | {secs:.1f} | {inputs / max(secs, 1e-9):.0f} |")
    print(f"| **total** | {total} | | {crashes} | | |")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
