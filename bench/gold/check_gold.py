"""Check bench/gold/mentions.jsonl against the demo corpus and the fixed vocabulary.

Run: .venv/bin/python bench/gold/check_gold.py [GOLD] [CORPUS_DIR]. Prints every problem; exits 1 on any.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "bench" / "gold" / "mentions.jsonl"
CORPUS = ROOT / "src" / "sitreps" / "data" / "demo"

TYPES: dict[str, set[str]] = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
        "Chemical weapon",
    },
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Disrupted weapons use",
        "Other",
    },
}
ACTIONS = {
    "siege",
    "reinforcement",
    "appointment",
    "aid-delivery",
    "aid-suspension",
    "execution",
    "heritage-destruction",
    "raid",
    "ambush",
    "withdrawal",
    "advance",
    "capture",
    "recapture",
    "offensive",
    "evacuation",
    "displacement",
    "abduction",
    "airdrop",
    "ceasefire",
    "surrender",
    "defection",
    "massacre",
}
ACTORS = {
    "islamic-state",
    "syria-military",
    "syria-government",
    "russia-military",
    "united-states-military",
    "us-led-coalition",
    "syrian-democratic-forces",
    "ypg",
    "hayat-tahrir-al-sham",
    "free-syrian-army",
    "turkey-military",
    "hezbollah",
    "iran-military",
    "national-defence-forces",
    "iraq-military",
    "popular-mobilization-forces",
    "civilians",
}
STATE_ACTOR = re.compile(r"^[a-z]+(?:-[a-z]+)*-(?:military|government)$")
MODALITIES = {"asserted", "hedged", "negated", "planned", "threatened"}
FIELDS = [
    "doc",
    "evidence",
    "trigger",
    "event_type",
    "sub_event_type",
    "action",
    "actor1",
    "actor2",
    "place",
    "date",
    "fatalities",
    "modality",
    "attribution",
    "cluster",
]
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


class _ArticleText(HTMLParser):
    """Collect the visible text inside <article>, one space per tag boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """Visible article text of an HTML page (whole body when it has no <article>)."""
    parser = _ArticleText()
    parser.feed(markup if "<article" in markup else f"<article>{markup}</article>")
    return " ".join("".join(parser.parts).split())


def txt_body(raw: str) -> str:
    """Body of a .txt report: the text after the `Key: value` header block, if any."""
    lines = raw.splitlines()
    if lines and re.match(r"^(Title|Date|Source|URL): ", lines[0]):
        i = 0
        while i < len(lines) and lines[i].strip():
            i += 1
        return "\n".join(lines[i + 1 :])
    return raw


def load_texts(corpus: Path) -> dict[str, str]:
    """Map every gold `doc` key (file, file:row, feed.xml:item) to its text."""
    texts: dict[str, str] = {}
    for path in sorted(corpus.iterdir()):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":
            texts[path.name] = txt_body(raw)
        elif path.suffix == ".html":
            texts[path.name] = html_text(raw)
        elif path.suffix == ".jsonl":
            for n, line in enumerate(raw.splitlines(), start=1):
                if line.strip():
                    texts[f"{path.name}:{n}"] = str(json.loads(line)["text"])
        elif path.suffix == ".xml":
            channel = ET.fromstring(raw)
            for n, item in enumerate(channel.iter("item"), start=1):
                body = item.findtext(CONTENT) or item.findtext("description") or ""
                texts[f"{path.name}:{n}"] = " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return texts


def _check_place(place: Any) -> list[str]:
    if place is None:
        return []
    if not isinstance(place, dict) or set(place) != {"name", "lat", "lon", "geo_precision"}:
        return ["place must be null or {name, lat, lon, geo_precision}"]
    out: list[str] = []
    if not (32.0 <= float(place["lat"]) <= 38.0 and 35.0 <= float(place["lon"]) <= 43.0):
        out.append(f"place {place['name']!r} lies outside Syria's box")
    if place["geo_precision"] not in (1, 2, 3):
        out.append("geo_precision must be 1, 2 or 3")
    return out


def _check_date(when: Any) -> list[str]:
    if when is None:
        return []
    if not isinstance(when, dict) or set(when) != {"start", "end", "precision"}:
        return ["date must be null or {start, end, precision}"]
    try:
        start, end = date.fromisoformat(when["start"]), date.fromisoformat(when["end"])
    except (TypeError, ValueError):
        return ["date start/end must be YYYY-MM-DD"]
    out = [] if start <= end else ["date start after end"]
    if when["precision"] not in (1, 2, 3, 4):
        out.append("date precision must be 1-4")
    return out


def check_row(row: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """Every problem with one gold row."""
    problems: list[str] = []
    if list(row) != FIELDS:
        problems.append(f"fields must be exactly {FIELDS}")
        return problems
    text = texts.get(row["doc"])
    if text is None:
        return [f"unknown doc {row['doc']!r}"]
    flat = " ".join(text.split())
    evidence = " ".join(str(row["evidence"]).split())
    if evidence not in flat:
        problems.append(f"evidence not verbatim in doc: {row['evidence'][:70]!r}")
    elif str(row["trigger"]) not in evidence:
        problems.append(f"trigger {row['trigger']!r} not in evidence")
    subs = TYPES.get(row["event_type"])
    if subs is None:
        problems.append(f"unknown event_type {row['event_type']!r}")
    elif row["sub_event_type"] not in subs:
        problems.append(f"sub_event_type {row['sub_event_type']!r} not under {row['event_type']!r}")
    if row["action"] is not None and row["action"] not in ACTIONS:
        problems.append(f"unknown action {row['action']!r}")
    for key in ("actor1", "actor2"):
        actor = row[key]
        if actor is not None and actor not in ACTORS and not STATE_ACTOR.match(actor):
            problems.append(f"unknown {key} {actor!r}")
    if row["modality"] not in MODALITIES:
        problems.append(f"unknown modality {row['modality']!r}")
    fat = row["fatalities"]
    if fat is not None and (not isinstance(fat, int) or fat < 0):
        problems.append("fatalities must be null or a non-negative int")
    if not isinstance(row["cluster"], str) or not row["cluster"]:
        problems.append("cluster must be a non-empty string")
    problems += _check_place(row["place"])
    problems += _check_date(row["date"])
    return problems


def main(argv: list[str]) -> int:
    """Check the gold file; print problems and a summary."""
    gold = Path(argv[1]) if len(argv) > 1 else GOLD
    corpus = Path(argv[2]) if len(argv) > 2 else CORPUS
    texts = load_texts(corpus)
    n_bad = 0
    rows = 0
    clusters: set[str] = set()
    docs: set[str] = set()
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        rows += 1
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{gold.name}:{n}: not JSON: {exc}")
            n_bad += 1
            continue
        for problem in check_row(row, texts):
            print(f"{gold.name}:{n}: {problem}")
            n_bad += 1
        clusters.add(str(row.get("cluster")))
        docs.add(str(row.get("doc")))
    print(f"{rows} mentions, {len(docs)} documents with mentions, {len(clusters)} clusters, {n_bad} problems")
    return 1 if n_bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
