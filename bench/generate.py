"""Generate news-like conflict articles (our own templates) for throughput and scale benchmarks.

Usage: .venv/bin/python bench/generate.py [--articles 1000] [--words 500] [--seed 1] [--out corpus.jsonl]

Each article has a dateline, a headline, a lead sentence stating an event, several paragraphs mixing further
event sentences (clashes, air strikes, shelling, executions, protests, arrests, captures, reinforcements) with
background, quotes, attributions, hedges, denials and casualty figures, and relative or absolute dates, so the
whole per-document pipeline (rulers, triggers, roles, geocoding, dates, modality) gets realistic work. Without
--out it prints the corpus size. The text is written from templates made for this project.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PLACES = [
    "Aleppo",
    "Palmyra",
    "al-Bab",
    "Raqqa",
    "Deir ez-Zor",
    "Idlib",
    "Homs",
    "Hama",
    "Manbij",
    "Kobani",
    "Tabqa",
    "Douma",
    "Daraa",
    "Latakia",
    "Qamishli",
    "Hasakah",
    "Jarablus",
    "Azaz",
    "Afrin",
    "Mayadin",
    "Albu Kamal",
    "Mosul",
    "Tal Afar",
    "Fallujah",
    "Ramadi",
    "Tikrit",
    "Kirkuk",
    "Sinjar",
    "Baiji",
    "Hit",
    "Qayyarah",
    "Samarra",
    "Baghdad",
    "Erbil",
    "Haditha",
    "Khan Shaykhun",
    "Maarat al-Numan",
    "Saraqib",
    "Tadmur",
    "Sukhnah",
]
ATTACKERS = [
    "Islamic State fighters",
    "ISIS militants",
    "the Syrian army",
    "government forces",
    "Russian warplanes",
    "the US-led coalition",
    "Kurdish-led SDF fighters",
    "YPG units",
    "Turkish troops",
    "rebel groups",
    "Hayat Tahrir al-Sham",
    "Iraqi security forces",
    "the Popular Mobilisation Forces",
    "Free Syrian Army fighters",
    "pro-government militias",
    "Iraqi counter-terrorism units",
    "Syrian Democratic Forces",
]
TARGETS = [
    "civilians",
    "a convoy of displaced families",
    "army positions",
    "rebel positions",
    "a checkpoint",
    "Islamic State positions",
    "a market",
    "a hospital",
    "a school",
    "a water station",
    "Kurdish fighters",
    "government troops",
    "an aid convoy",
    "a police station",
    "villagers",
    "a mosque",
]
SOURCES = [
    "the Syrian Observatory for Human Rights",
    "a local activist",
    "state media",
    "Amaq news agency",
    "a military spokesman",
    "the Joint Operations Command",
    "residents reached by phone",
    "a hospital official",
    "the monitoring group Airwars",
    "a provincial council member",
    "an opposition media office",
]
OUTLETS = [
    "levantwire.example",
    "middleeastdesk.example",
    "euphratesmonitor.example",
    "frontline-daily.example",
    "tigrispost.example",
    "northernnews.example",
    "regionwatch.example",
    "dispatch-24.example",
]
WHEN = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "yesterday",
    "last night",
    "early this morning",
    "late on Thursday",
    "last week",
    "earlier this month",
    "over the weekend",
    "at dawn on Sunday",
]
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "14", "17", "20", "23", "31"]

EVENTS = [
    "{a} seized {p} {w} after days of heavy fighting, {s} said.",
    "{a} clashed with {t} on the outskirts of {p} {w}, leaving {n} people dead.",
    "Air strikes by {a} hit {t} in {p} {w}, killing {n} people, according to {s}.",
    "{a} shelled {t} in {p} {w}, wounding at least {n} people.",
    "At least {n} civilians were killed when a car bomb exploded near {t} in {p} {w}.",
    "{a} executed {n} men accused of spying in a public square in {p} {w}, {s} reported.",
    "Hundreds of people protested in {p} {w} against the shortage of bread and fuel.",
    "{a} arrested {n} suspected militants during raids in {p} {w}.",
    "{a} sent reinforcements to the front line near {p} {w}.",
    "{a} recaptured {p} {w}, state media said.",
    "A roadside bomb struck a military vehicle near {p} {w}, killing {n} soldiers.",
    "{a} fired rockets at {t} in {p} {w}; there was no immediate word on casualties.",
    "{a} reportedly abducted {n} people from a village near {p} {w}.",
    "{a} may have used chlorine gas in an attack on {t} in {p} {w}, {s} said.",
    "{a} denied that it had attacked {t} in {p} {w}.",
    "{a} threatened to storm {p} if the siege was not lifted.",
    "A suicide bomber blew himself up at {t} in {p} {w}, killing {n} people and wounding dozens.",
    "Drone strikes hit a training camp outside {p} {w}, {s} said.",
    "{a} ambushed {t} on the road between {p} and {q} {w}, killing {n}.",
    "Fighting between {a} and {t} around {p} {w} killed {n} combatants, {s} said.",
]
BACKGROUND = [
    "The town had changed hands twice since the start of the year.",
    "Aid agencies warned that thousands of families had fled towards the border with little food or shelter.",
    "Commanders said the offensive would continue until the whole province was secured.",
    "The road is the main supply line for the towns along the river.",
    "Mobile networks were cut for most of the day, making the reports hard to verify.",
    "Negotiations over a local truce broke down last month.",
    "Residents described long queues for water and bread as prices rose sharply.",
    "The United Nations called on all parties to protect civilians and allow humanitarian access.",
    "Analysts said the group had lost much of its territory but kept cells in the desert.",
    "It was not possible to independently confirm the figures.",
    "Footage shared online showed plumes of smoke rising over the old city.",
    "Officials said schools would stay closed until the security situation improved.",
    "The ministry said repairs to the power station would take several weeks.",
    "Several families returned to their homes after mine clearance teams finished their work.",
    "A spokesman said the operation was aimed at securing the northern approaches to the city.",
]
QUOTES = [
    '"We heard the planes all night and nobody could sleep," said a teacher who asked not to be named.',
    '"The situation is very difficult, people need medicine and fuel," a doctor told reporters.',
    '"Our forces are advancing on several axes," a commander said in a video statement.',
    '"We will not leave our land," one resident said by phone.',
    '"There is no safe place left in the town," said a volunteer rescuer.',
]
HEADLINES = [
    "Fighting intensifies around {p}",
    "{n} killed as strikes hit {p}",
    "Civilians flee {p} as front line shifts",
    "{a} claim advance near {p}",
    "Tension rises in {p} after deadly attack",
    "Aid groups alarmed by escalation in {p}",
]


@dataclass(slots=True)
class Article:
    """One generated report: what `sitreps ingest` reads from a JSON Lines row."""

    title: str
    text: str
    published: date
    outlet: str
    url: str

    def to_json(self) -> dict[str, str]:
        return {
            "title": self.title,
            "text": self.text,
            "date": self.published.isoformat(),
            "source": self.outlet,
            "url": self.url,
        }


def _fill(rng: random.Random, template: str) -> str:
    p, q = rng.sample(PLACES, 2)
    s = template.format(
        a=rng.choice(ATTACKERS),
        t=rng.choice(TARGETS),
        p=p,
        q=q,
        w=rng.choice(WHEN),
        n=rng.choice(NUMS),
        s=rng.choice(SOURCES),
    )
    return s[0].upper() + s[1:]


def article(rng: random.Random, i: int, words: int = 500) -> Article:
    """One article of about `words` words: dateline and lead, then paragraphs of events, background and quotes."""
    published = date(2016, 1, 1) + timedelta(days=rng.randrange(730))
    outlet = rng.choice(OUTLETS)
    place = rng.choice(PLACES)
    lead = _fill(rng, rng.choice(EVENTS))
    paragraphs = [f"{place.upper()}, {published:%B} {published.day} — {lead}"]
    n = len(paragraphs[0].split())
    while n < words:
        para = []
        for _ in range(rng.randint(2, 4)):
            r = rng.random()
            if r < 0.5:
                para.append(_fill(rng, rng.choice(EVENTS)))
            elif r < 0.85:
                para.append(rng.choice(BACKGROUND))
            else:
                para.append(rng.choice(QUOTES))
        text = " ".join(para)
        paragraphs.append(text)
        n += len(text.split())
    title = _fill(rng, rng.choice(HEADLINES)).rstrip(".")
    return Article(title, "\n\n".join(paragraphs), published, outlet, f"https://{outlet}/{published:%Y/%m}/{i:06d}")


def corpus(n: int, *, words: int = 500, seed: int = 1) -> Iterator[Article]:
    """`n` articles, reproducible from `seed` (every benchmark run sees the same text)."""
    rng = random.Random(seed)
    for i in range(n):
        yield article(rng, i, words)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--words", type=int, default=500, help="approximate words per article")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="write JSON Lines here (for `sitreps ingest`)")
    args = ap.parse_args(argv)
    total_words = total_bytes = 0
    sink = args.out.open("w", encoding="utf-8") if args.out else None
    try:
        for a in corpus(args.articles, words=args.words, seed=args.seed):
            total_words += len(a.text.split())
            total_bytes += len(a.text.encode("utf-8"))
            if sink:
                sink.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
    finally:
        if sink:
            sink.close()
    print(f"{args.articles} articles, {total_words} words, {total_bytes / 1e6:.2f} MB of text", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
