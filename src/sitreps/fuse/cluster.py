"""Blocking, pairwise compatibility and the spatio-temporal index that decide which mentions may share an event.

Rules, in the order they are applied (all symmetric, so the pair (a, b) is judged as (b, a)):

- **Type family** (`family`): Battles and the territory sub-types (regains / overtakes / non-violent transfer
  of territory) form one family; Explosions/Remote violence one; Violence against civilians, Protests and Riots
  one each; Strategic developments one per sub-type, where two different actions never merge but a trigger
  without one may join either (except in the catch-all "Other"). The three violent families share an index
  block: across them, `cross_ok` lets a weakly typed trigger of one report ("warplanes pushed IS back", a
  clash) join the specific event of another (the air strikes) when perpetrator, day and place agree.
- **Province and town** (`contains`): a province (admin1) and a place in it are one place at two precisions:
  never a same-report place conflict, and their place score is at least CONTAINED_PLACE.
- **Place** (`reach`): two placed mentions may merge within `max(km(a), km(b))`, where km grows with geo
  precision (precision 1: `max_km`, 2: 2x, 3: 6x; 25/50/150 km by default). A mention without coordinates
  reaches mentions of the same document, or of the same country when it has one; nothing else.
- **Date**: intervals may merge when the gap between them is at most the larger slack (`window_days` for day
  and week precision, none beyond the interval for month and year); a happening before a plan gets no slack,
  one after it the usual. An unresolved date stands for its
  document's publication window (the week up to publication); a plan or threat without a date stands for the
  year after publication (it has not happened yet). With no publication date either, the date is unknown:
  it is no obstacle to merging, and place, type and actors decide (an undated report of the Deir ez-Zor
  fighting joins the dated event).
- **Hard conflicts**: two mentions of one sentence (unless they agree on place, day, actors and type), or two triggers of one document and type at places more
  than `max_km` apart, never merge (a city and its airport, 6 km apart, may be one battle).
- **Score** (`pair_score`): place, date, actors (unordered for Battles; same id, same state, same
  non-state side or a KB alliance/parent, "Turkey" and "Turkish-backed rebels", agree; two state forces of
  different states, "Syrian and Russian warplanes", are compatible but not evidence; opposed sides conflict
  and cost 0.3, except a strike's armed target against its civilian victims when the striker agrees: two
  accounts of one strike), sub-type and action (a clash and the territory change of the same battle are
  compatible; capture, recapture, withdrawal and advance are one happening seen from two sides; a siege, a
  lasting state, only matches a siege, unless it is coded as ground taken and a capture by the same side
  falls on the same day), a plan against a realised event, fatality closeness and evidence word
  overlap, weighted into [0, 1].

Mentions are processed in order of time precision first (`Rec.key`): day-precise reports form the events,
then week, month and year mentions, then undated ones attach to the best of them. So "ISIS's capture of
Palmyra in December" in a January report joins the 11 December event instead of founding a December-wide
one that the day reports then split over. Within a day, specifically typed mentions come before weakly typed
ones (a generic clash or attack with no action), so "Russian warplanes pushed IS back" attaches to the air
strikes its sentence retells instead of founding an event that the strikes can then not join.
"""

from __future__ import annotations

import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from sitreps.fuse.types import DocInfo
from sitreps.model import ActorRef, Mention

TERRITORY_SUBTYPES = frozenset(
    {"government regains territory", "non-state actor overtakes territory", "non-violent transfer of territory"}
)
TERRITORY_ACTIONS = frozenset({"capture", "recapture"})
GROUND_ACTIONS = frozenset({"capture", "recapture", "withdrawal", "advance"})
"""Actions that describe one change of ground from either side: they never contradict each other."""
LASTING_ACTIONS = frozenset({"siege"})
"""Actions that name a lasting state, not a fight: a siege only merges with the siege, never with the clashes
around it ("IS cut off the airport" and "fighting raged in the city" are two happenings)."""
PLAN_MODALITIES = frozenset({"planned", "threatened"})
PLAN_YEAR_DAYS = 365
UNDATED_RANK = 5
PLAN_PENALTY = 0.15
TYPE_CONFLICT_PENALTY = 0.4
CONTAINED_PLACE = 0.7
"""Place score of a town and the province it lies in: consistent, though the province confirms little."""
ONE_STATEMENT_TYPE = 0.9
"""Least type agreement for two triggers of one sentence to be one happening; a clash and a capture (0.8) stay two."""
CROSS_DAYS = 1
"""Most days between two day-precise mentions of different violent families that may be one happening
(a report the next day often dates a strike to "yesterday" and gets it a day off)."""
WINNER_SUBTYPES = frozenset({"government regains territory", "non-state actor overtakes territory"})
Key = tuple[int, int, bool, str, int, str]
"""Sort key of a mention: (time precision rank, date anchor, weakly typed, document, evidence offset, id)."""
THRESHOLD = 0.6
"""Minimum average pair score for a mention to join an event."""
SALIENCE = 0.05
"""Bonus per ln(members) when choosing among events a mention may join (see `sitreps.fuse.fuser`)."""
BUCKET_DAYS = 3
CELL_DEG = {1: 0.5, 2: 1.0, 3: 2.0}
KM_FACTOR = {1: 1.0, 2: 2.0, 3: 6.0}
UNDATED_WINDOW_DAYS = 7
_FAR = date.max.toordinal()
_WORD = re.compile(r"[a-z]{4,}")
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "have",
        "were",
        "said",
        "they",
        "their",
        "there",
        "which",
        "after",
        "about",
        "into",
        "been",
        "also",
        "more",
        "than",
        "when",
        "according",
        "report",
        "reported",
        "reports",
        "killed",
        "people",
    ]
)
W_PLACE, W_DATE, W_ACTOR, W_TYPE, W_FAT, W_EVID = 0.25, 0.2, 0.25, 0.15, 0.05, 0.10
ACTOR_CONFLICT_PENALTY = 0.3
CONFLICT_CAP = W_PLACE + W_DATE + W_ACTOR * 0.5 + W_TYPE + W_FAT + W_EVID - ACTOR_CONFLICT_PENALTY
"""The most a pair with an actor conflict can score (one role 0, the other at most 1)."""


def family(event_type: str, sub_event_type: str, action: str | None) -> str:
    """The type family of a mention: mentions of one family are compared freely, others only by `cross_ok`.

    Strategic developments form one family per sub-type; two of them with different actions (an appointment
    and a reinforcement) are still kept apart by `reach`, but an action-less trigger ("blown up") may join
    the same sub-type with an action ("heritage destruction").
    """
    et = event_type.strip().lower()
    sub = sub_event_type.strip().lower()
    if et == "battles" or sub in TERRITORY_SUBTYPES or (action or "").lower() in TERRITORY_ACTIONS:
        return "battles"
    if et == "strategic developments":
        return f"strategic|{sub}"
    return et


VIOLENT_FAMILIES = frozenset({"battles", "explosions/remote violence", "violence against civilians"})
"""Families whose codings of one happening often differ: an air strike told as "warplanes pushed IS back"
(a battle), shelling told as "the shelling killed five civilians" (violence against civilians)."""
REMOTE_MEANS = re.compile(
    r"\b(?:war ?planes?|aircraft|jets?|air ?strikes?|air force|air raids?|bomb(?:s|ing|ed|ers?)?|shell(?:s|ing|ed)?|"
    r"artillery|rockets?|missiles?|drones?|mortars?)\b",
    re.IGNORECASE,
)
"""Words that name fire from afar: a weak trigger whose sentence has one retells remote violence."""
REMOTE = "explosions/remote violence"
WEAK_SUBTYPES = frozenset({"armed clash", "attack"})
"""Generic sub-types: with no action, a trigger of one ("hit", "pushed", "killing") says little of the kind."""


def block_of(fam: str) -> str:
    """The index block of a family: the violent families share one, so that `cross_ok` can see across them."""
    return "violent" if fam in VIOLENT_FAMILIES else fam


def tokens(text: str) -> frozenset[str]:
    """Content words of an evidence sentence, for a cheap overlap measure."""
    return frozenset(sys.intern(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


class Rec:
    """A mention flattened into the numbers and strings the pair score reads, built once per mention."""

    __slots__ = (
        "a1",
        "a2",
        "act",
        "adm",
        "afar",
        "block",
        "c1",
        "c2",
        "civ2",
        "cos",
        "country",
        "de",
        "doc",
        "ds",
        "ee",
        "es",
        "et",
        "fam",
        "fat",
        "gp",
        "id",
        "key",
        "km",
        "lat",
        "lon",
        "m",
        "pid",
        "plan",
        "pname",
        "region",
        "s1",
        "s2",
        "slack",
        "sub",
        "toks",
        "tp",
        "weak",
    )

    def __init__(self, m: Mention, doc: DocInfo | None, window_days: int, max_km: float) -> None:
        self.m = m
        self.id = m.id
        self.doc = m.document_id
        self.fam = sys.intern(family(m.event_type, m.sub_event_type, m.action))
        self.block = block_of(self.fam)
        self.et = m.event_type
        self.sub = sys.intern(m.sub_event_type.lower())
        self.act = sys.intern(m.action.lower()) if m.action else None
        self.weak = self.act is None and self.sub in WEAK_SUBTYPES
        self.afar = self.weak and self.fam != REMOTE and REMOTE_MEANS.search(m.evidence.text) is not None
        self.es, self.ee = m.evidence.start, m.evidence.end
        self.fat = m.fatalities
        self.toks = tokens(m.evidence.text)
        self.a1, self.s1, self.c1 = _actor(m.actor1)
        self.a2, self.s2, self.c2 = _actor(m.actor2)
        self.civ2 = m.actor2 is not None and (m.actor2.kind == "civilians" or m.actor2.id == "civilians")
        self.plan = m.modality in PLAN_MODALITIES
        p = m.place
        self.pid = p.id if p else None
        self.pname = sys.intern((p.name or p.text).lower()) if p else None
        self.country = p.country if p else None
        self.adm = p.admin1 if p else None
        self.region = bool(
            p and int(p.geo_precision) >= 3 and (p.kind == "admin1" or (p.id or "").startswith("admin1:"))
        )
        self.gp = int(p.geo_precision) if p else 3
        self.gp = min(3, max(1, self.gp))
        self.km = max_km * KM_FACTOR[self.gp]
        self.lat: float | None = p.lat if p and p.lat is not None and p.lon is not None else None
        self.lon: float | None = p.lon if self.lat is not None and p else None
        self.cos = math.cos(math.radians(self.lat)) if self.lat is not None else 1.0
        d = m.date
        self.ds: int | None = None
        self.de: int | None = None
        self.tp = UNDATED_RANK
        pub = doc.published if doc is not None else None
        if d is not None and d.resolved and (d.start or d.end):
            s = d.start or d.end
            e = d.end or d.start
            assert s is not None and e is not None
            if e < s:
                s, e = e, s
            self.ds, self.de, self.tp = s.toordinal(), e.toordinal(), min(4, max(1, int(d.precision)))
        elif pub is not None and self.plan:
            self.ds, self.de, self.tp = pub.toordinal(), (pub + timedelta(days=PLAN_YEAR_DAYS)).toordinal(), 4
        elif pub is not None:
            self.ds, self.de, self.tp = (pub - timedelta(days=UNDATED_WINDOW_DAYS)).toordinal(), pub.toordinal(), 2
        self.slack = window_days if self.tp <= 2 else 0
        anchor = self.ds if self.ds is not None else _FAR
        self.key: Key = (self.tp, anchor, self.weak, self.doc, self.es, self.id)


def _actor(a: ActorRef | None) -> tuple[str | None, str | None, str | None]:
    if a is None:
        return None, None, None
    return a.id, a.side, a.country if a.kind in STATE_KINDS else None


STATE_KINDS = frozenset({"state-forces", "government", "police"})


def _km(a: Rec, b: Rec) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    dy = (a.lat - b.lat) * 110.57
    dx = (a.lon - b.lon) * 55.66 * (a.cos + b.cos)
    return math.sqrt(dx * dx + dy * dy)


def reach(a: Rec, b: Rec) -> bool:
    """Whether blocking lets a and b be compared at all (family, place and date rules of the module docstring)."""
    if a.block != b.block:
        return False
    if a.fam != b.fam and not cross_ok(a, b):
        return False
    if a.fam.startswith("strategic|") and a.act != b.act and (a.sub == "other" or (a.act and b.act)):
        return False  # "Other" is a catch-all: there a missing action is no wildcard
    same_doc = a.doc == b.doc
    if a.ds is not None and b.ds is not None:
        assert a.de is not None and b.de is not None
        gap = (a.ds if a.ds > b.ds else b.ds) - (a.de if a.de < b.de else b.de)
        slack = a.slack if a.slack > b.slack else b.slack
        if a.plan != b.plan and (b.ds if a.plan else a.ds) < (a.ds if a.plan else b.ds):
            slack = 0  # a happening before a plan is not what the plan foretold; one after it may be
        if gap > slack:
            return False
    if a.lat is not None and b.lat is not None:
        return _km(a, b) <= (a.km if a.km > b.km else b.km)
    return same_doc or (a.country is not None and a.country == b.country)


def contains(a: Rec, b: Rec) -> bool:
    """Whether one of the two places is a province (admin1) and the other lies in it: "Aleppo" and a village of
    Aleppo province, or "Homs" and Tadmur, are one place told at two precisions, not two places."""
    if a.region == b.region or a.adm is None or a.adm != b.adm:
        return False
    return a.country is None or b.country is None or a.country == b.country


def cross_ok(a: Rec, b: Rec) -> bool:
    """Whether mentions of two different violent families may still be one happening.

    Only when one is weakly typed (a generic clash or attack with no action, "warplanes pushed IS back",
    "killing five"), both name the same perpetrator (actor1) and agree on the target or leave it open, both
    are day-precise within CROSS_DAYS, and both are placed within the smaller of their reaches (or one contains
    the other); in one report, only when the weak trigger's sentence names fire from afar (REMOTE_MEANS). Then
    the weak trigger is a loose retelling of the specific one, not a second happening.
    """
    if a.fam not in VIOLENT_FAMILIES or b.fam not in VIOLENT_FAMILIES or not (a.weak or b.weak):
        return False
    if a.doc == b.doc and not ((a.afar and b.fam == REMOTE) or (b.afar and a.fam == REMOTE)):
        return False  # one writer telling a strike and "fighting" apart means two happenings, unless the
        # weak trigger's own sentence names the aircraft or guns ("Russian warplanes pushed IS back")
    if a.a1 is None or a.a1 != b.a1:
        return False
    if (
        a.a2 is not None
        and b.a2 is not None
        and _role(a.a2, a.s2, a.c2, b.a2, b.s2, b.c2)[1]
        and not _two_accounts(a, b)
    ):
        return False
    if a.tp != 1 or b.tp != 1 or a.ds is None or b.ds is None or a.de is None or b.de is None:
        return False
    if (a.ds if a.ds > b.ds else b.ds) - (a.de if a.de < b.de else b.de) > CROSS_DAYS:
        return False
    if a.pid is not None and a.pid == b.pid:
        return True
    if a.lat is None or b.lat is None:
        return False
    return contains(a, b) or _km(a, b) <= (a.km if a.km < b.km else b.km)


def hard_conflict(a: Rec, b: Rec) -> bool:
    """Pairs that must never share an event, however similar: one sentence twice, or one report's two places."""
    if a.doc != b.doc:
        return False
    if a.es < b.ee and b.es < a.ee:
        return not _one_statement(a, b)
    if a.et == b.et and a.pname is not None and b.pname is not None:
        if a.pid is not None and a.pid == b.pid:
            return False
        if contains(a, b):
            return False
        if a.lat is not None and b.lat is not None:
            return _km(a, b) > (a.km if a.km < b.km else b.km)
        return a.pname != b.pname
    return False


def _one_statement(a: Rec, b: Rec) -> bool:
    """Two triggers of one sentence that agree on everything (place, day, actors, type): one happening.

    "launched its fiercest attacks ... as fighting went on" is one battle; "seized Palmyra, nine months after
    troops drove the militants out" is two happenings, and so is any pair that differs in place, date or type.
    """
    if a.fam != b.fam or a.ds is None or b.ds is None or a.de is None or b.de is None:
        return False
    if (a.ds if a.ds > b.ds else b.ds) - (a.de if a.de < b.de else b.de) > 1 or a.pname != b.pname:
        return False
    _, conflicts = actor_score(a, b)
    ts, type_conflicts = type_score(a, b)
    return conflicts == 0 and type_conflicts == 0 and ts >= ONE_STATEMENT_TYPE


_TIES: dict[str, frozenset[str]] = {}


def allied(x: str, y: str) -> bool:
    """Whether the actor KB ties two actors: one is the other's parent or declared ally, either way round.

    Turkish troops and the Turkish-backed FSA, or US forces and the SDF, fight on one side: one report names
    the patron, another the proxy, for the same battle. The ties are read from the KB once, both ways round;
    unknown ids are never allied.
    """
    if not _TIES:
        from sitreps.kb.actors import default_actor_kb

        ties: dict[str, set[str]] = defaultdict(set)
        for actor in default_actor_kb().actors.values():
            for other in (*actor.allies, *([actor.parent] if actor.parent else [])):
                ties[actor.id].add(other)
                ties[other].add(actor.id)
        _TIES.update({k: frozenset(v) for k, v in ties.items()})
        _TIES.setdefault("", frozenset())  # marks the table as built even for a KB without ties
    return y in _TIES.get(x, ())


def _role(
    x: str | None, sx: str | None, cx: str | None, y: str | None, sy: str | None, cy: str | None
) -> tuple[float, int]:
    """Agreement of one actor role, and 1 when the ids conflict.

    Two bodies of one state (its government and its army) nearly agree; two state forces of different states
    are neutral, since allies fight together ("Syrian and Russian warplanes") and "government" is every
    state's side, so it says nothing about alliance; a shared non-state side (SDF and YPG) or a KB alliance
    (`allied`: Turkey and the Turkish-backed FSA) agrees.
    """
    if x is None or y is None:
        return 0.5, 0
    if x == y:
        return 1.0, 0
    if cx is not None and cy is not None:
        return (0.85, 0) if cx == cy else (0.5, 0)
    if (sx is not None and sx == sy) or allied(x, y):
        return 0.75, 0
    return 0.0, 1


def _two_accounts(a: Rec, b: Rec) -> bool:
    """Whether two targets that differ are two accounts of one strike: one side names its armed target, a monitor
    the civilians it killed ("struck IS positions" / "killed 30 displaced people"). Only when one of the two is
    remote violence and exactly one target is civilians; callers also require the same perpetrator."""
    return a.civ2 != b.civ2 and (a.fam == REMOTE or b.fam == REMOTE)


def actor_score(a: Rec, b: Rec) -> tuple[float, int]:
    """Actor agreement in [0, 1] and the number of conflicting roles; Battles compare actors unordered."""
    r1, c1 = _role(a.a1, a.s1, a.c1, b.a1, b.s1, b.c1)
    r2, c2 = _role(a.a2, a.s2, a.c2, b.a2, b.s2, b.c2)
    if c2 and not c1 and r1 > 0.5 and _two_accounts(a, b):
        r2, c2 = 0.5, 0
    straight = ((r1 + r2) / 2, c1 + c2)
    if a.fam != "battles" or b.fam != "battles":
        return straight
    x1, d1 = _role(a.a1, a.s1, a.c1, b.a2, b.s2, b.c2)
    x2, d2 = _role(a.a2, a.s2, a.c2, b.a1, b.s1, b.c1)
    swapped = ((x1 + x2) / 2, d1 + d2)
    return max(straight, swapped, key=lambda t: (t[0] - ACTOR_CONFLICT_PENALTY * t[1], -t[1]))


def pair_score(a: Rec, b: Rec, need: float = 0.0) -> float:
    """How alike two in-reach mentions are, in [0, 1]; the weights are the module constants W_*.

    A pair whose actors conflict scores at most CONFLICT_CAP; when the caller `need`s more than that, the
    exact figure cannot matter and 0 is returned without computing the rest (most pairs at a busy town).
    """
    sa, conflicts = actor_score(a, b)
    if conflicts and need > CONFLICT_CAP:
        return 0.0
    if a.pid is not None and a.pid == b.pid:
        sp = 1.0
    elif a.lat is not None and b.lat is not None:
        sp = 1.0 - _km(a, b) / (a.km if a.km > b.km else b.km)
        sp = sp if sp > 0.0 else 0.0
        if sp < CONTAINED_PLACE and contains(a, b):
            sp = CONTAINED_PLACE
    else:
        sp = 0.4
    if a.ds is not None and b.ds is not None:
        assert a.de is not None and b.de is not None
        gap = (a.ds if a.ds > b.ds else b.ds) - (a.de if a.de < b.de else b.de)
        st = 1.0 if gap <= 0 else max(0.0, 1.0 - gap / ((a.slack if a.slack > b.slack else b.slack) + 1))
    else:
        st = 0.5
    sty, type_conflict = type_score(a, b)
    if a.fat is not None and b.fat is not None:
        hi = max(a.fat, b.fat)
        sf = 1.0 if hi == 0 else 1.0 - abs(a.fat - b.fat) / hi
    else:
        sf = 0.6
    if a.toks and b.toks:
        inter = len(a.toks & b.toks)
        se = min(1.0, 2.0 * inter / (len(a.toks) + len(b.toks) - inter))
    else:
        se = 0.0
    s = W_PLACE * sp + W_DATE * st + W_ACTOR * sa + W_TYPE * sty + W_FAT * sf + W_EVID * se
    if a.plan != b.plan:
        s -= PLAN_PENALTY
    return max(0.0, s - ACTOR_CONFLICT_PENALTY * conflicts - TYPE_CONFLICT_PENALTY * type_conflict)


def _cut_ground(a: Rec, b: Rec) -> bool:
    """A cut-off coded as ground taken ("cut the airport off": a siege with a territory sub-type) and a capture by
    the same side on the same day ("seized the ground between the districts and the airport") are one change of
    ground. A siege coded as a clash (an encirclement), or a capture on another day, stays a different happening."""
    if a.act not in LASTING_ACTIONS or a.sub not in WINNER_SUBTYPES or b.act not in TERRITORY_ACTIONS:
        return False
    if a.a1 is None or a.a1 != b.a1 or a.tp != 1 or b.tp != 1:
        return False
    assert a.ds is not None and a.de is not None and b.ds is not None and b.de is not None
    return (a.ds if a.ds > b.ds else b.ds) <= (a.de if a.de < b.de else b.de)


def type_score(a: Rec, b: Rec) -> tuple[float, int]:
    """Sub-type and action agreement in [0, 1].

    In the battles family a clash and a territory change are two codings of one fight, and the ground actions
    (capture, recapture, withdrawal, advance) one change of ground from either side; other differing actions
    (a siege and an offensive, a raid and a capture) point to different happenings, and so do the two
    territory sub-types (the state gains ground, a non-state group gains ground: different winners). Those
    two are conflicts, returned as 1 or 2 and costing TYPE_CONFLICT_PENALTY each.
    """
    conflict = 0
    if a.sub == b.sub:
        sub = 1.0
    elif a.fam == "battles" and b.fam == "battles":
        sub = 0.8
        if a.sub in WINNER_SUBTYPES and b.sub in WINNER_SUBTYPES:
            sub, conflict = 0.0, 1
    else:
        sub = 0.5
    if a.act == b.act:
        act = 1.0
    elif (
        (a.act is None or b.act is None or (a.act in GROUND_ACTIONS and b.act in GROUND_ACTIONS))
        and not (a.act in LASTING_ACTIONS or b.act in LASTING_ACTIONS)
    ) or (_cut_ground(a, b) or _cut_ground(b, a)):
        act = 0.8
    else:
        act, conflict = 0.2, conflict + 1
    return 0.6 * sub + 0.4 * act, conflict


class _Compat:
    """The index keys (group, actor signature) that can meet one query's group and signature, judged so far."""

    __slots__ = ("checked", "keys", "members", "seen")

    def __init__(self) -> None:
        self.seen = 0
        self.checked: dict[tuple[str, bool], int] = {}
        self.keys: list[int] = []
        self.members: set[int] = set()


class Index:
    """Grid cells (per geo-precision layer) x 3-day buckets x actor signature, to find the mentions that may join.

    Placed mentions live in layer `gp` with cells of CELL_DEG[gp] degrees; a query scans each layer with the
    larger of the two reaches, so a precise point still finds a province-level mention 150 km away. Mentions
    without coordinates are found through their country or their document. Cells map to buckets, so an empty
    cell costs one lookup. Mentions of unknown date sit in a cell's bucket `None`, which every query of the
    cell reads; an undated query reads every bucket of its cells (undated reports are few).

    Within a bucket mentions are grouped by key: family, weak typing and actor signature. A query reads only
    the keys that can meet its own: another family only where `cross_ok` could pass (violent families, one
    side weakly typed), and no actors that conflict, since a conflicting pair scores at most CONFLICT_CAP <
    THRESHOLD and an event is joined only through a member scoring at least THRESHOLD. Without that filter
    the candidates at a busy town grow with the density of reports, and fusion time with its square.
    """

    def __init__(self) -> None:
        self.cells: dict[tuple[object, ...], dict[int | None, dict[int, list[int]]]] = {}
        self.by_doc: dict[str, list[int]] = defaultdict(list)
        self.max_km = {1: 0.0, 2: 0.0, 3: 0.0}
        self.max_slack = 0
        self._keys: dict[tuple[str, bool, str | None, str | None, str | None, str | None, str | None, str | None], int]
        self._keys = {}
        self._reps: list[Rec] = []
        self._groups: dict[tuple[str, bool], list[int]] = {}
        self._compat: dict[int, _Compat] = {}
        self._filter_actors = CONFLICT_CAP < THRESHOLD
        self._undated = False  # whether any cell has a bucket None to read

    def _key(self, r: Rec) -> int:
        """A small int for r's (family, weak, actors) key, registered on first sight."""
        t = (r.fam, r.weak, r.a1, r.s1, r.c1, r.a2, r.s2, r.c2)
        k = self._keys.get(t)
        if k is None:
            k = self._keys[t] = len(self._reps)
            self._reps.append(r)
            group = self._groups.get((r.fam, r.weak))
            if group is None:
                group = self._groups[(r.fam, r.weak)] = []
            group.append(k)
        return k

    def _compatible(self, k: int) -> _Compat:
        """The keys that can meet key k, extended as new keys appear, so each pair of keys is judged once."""
        got = self._compat.get(k)
        if got is None:
            got = self._compat[k] = _Compat()
        if got.seen < len(self._reps):
            a = self._reps[k]
            for g, members in self._groups.items():
                done = got.checked.get(g, 0)
                if done == len(members):
                    continue
                if self._groups_meet(a.fam, a.weak, *g):
                    for j in members[done:]:
                        if self._actors_meet(a, self._reps[j]):
                            got.keys.append(j)
                            got.members.add(j)
                got.checked[g] = len(members)
            got.seen = len(self._reps)
        return got

    @staticmethod
    def _groups_meet(fa: str, wa: bool, fb: str, wb: bool) -> bool:
        """Whether mentions of these families may be in reach: one family, or two violent ones with a weak side."""
        return fa == fb or (fa in VIOLENT_FAMILIES and fb in VIOLENT_FAMILIES and (wa or wb))

    def _actors_meet(self, a: Rec, b: Rec) -> bool:
        """Whether the actors of a and b can agree (no conflicting role either way round)."""
        if not self._filter_actors:
            return True
        return actor_score(a, b)[1] == 0 or actor_score(b, a)[1] == 0

    def _put(self, cell: tuple[object, ...], ds: int | None, de: int | None, i: int, k: int) -> None:
        buckets = self.cells.setdefault(cell, {})
        if ds is None or de is None:
            self._undated = True
            buckets.setdefault(None, {}).setdefault(k, []).append(i)
            return
        for b in range(ds // BUCKET_DAYS, de // BUCKET_DAYS + 1):
            buckets.setdefault(b, {}).setdefault(k, []).append(i)

    def add(self, i: int, r: Rec) -> None:
        """Index record number i."""
        k = self._key(r)
        self.by_doc[r.doc].append(i)
        self.max_slack = max(self.max_slack, r.slack)
        if r.lat is not None and r.lon is not None:
            c = CELL_DEG[r.gp]
            self.max_km[r.gp] = max(self.max_km[r.gp], r.km)
            self._put((r.block, r.gp, math.floor(r.lat / c), math.floor(r.lon / c)), r.ds, r.de, i, k)
        elif r.country is not None:
            self._put((r.block, "C", r.country), r.ds, r.de, i, k)
        if r.country is not None:
            self._put((r.block, "A", r.country), r.ds, r.de, i, k)

    def candidates(self, r: Rec) -> set[int]:
        """Record numbers that may be in reach of r and score THRESHOLD with it (a superset; callers check `reach`).

        Mentions of r's own document are always included (they are the only reach of an unplaced, countryless
        mention), whatever their actors.
        """
        out: set[int] = set(self.by_doc.get(r.doc, ()))
        cells = self.cells
        comp = self._compatible(self._key(r))
        ckeys, cmembers = comp.keys, comp.members
        nc = len(ckeys)
        sl = max(self.max_slack, r.slack)
        dated = r.ds is not None and r.de is not None
        buckets: list[int | None] = [None] if self._undated else []
        if r.ds is not None and r.de is not None:
            buckets.extend(range((r.ds - sl) // BUCKET_DAYS, (r.de + sl) // BUCKET_DAYS + 1))
        keys: list[tuple[object, ...]] = []
        if r.lat is not None and r.lon is not None:
            for gp, c in CELL_DEG.items():
                if not self.max_km[gp]:
                    continue
                km = max(r.km, self.max_km[gp])
                dlat = km / 110.57
                dlon = km / (111.32 * max(0.05, math.cos(math.radians(min(89.0, abs(r.lat) + dlat)))))
                for y in range(math.floor((r.lat - dlat) / c), math.floor((r.lat + dlat) / c) + 1):
                    for x in range(math.floor((r.lon - dlon) / c), math.floor((r.lon + dlon) / c) + 1):
                        keys.append((r.block, gp, y, x))
            if r.country is not None:
                keys.append((r.block, "C", r.country))
        elif r.country is not None:
            keys.append((r.block, "A", r.country))
        for ck in keys:
            cell = cells.get(ck)
            if not cell:
                continue
            for b in cell if not dated else buckets:
                got = cell.get(b)
                if not got:
                    continue
                if nc < len(got):
                    for k in ckeys:
                        lst = got.get(k)
                        if lst:
                            out.update(lst)
                else:
                    for k, lst in got.items():
                        if k in cmembers:
                            out.update(lst)
        return out


def build_records(
    mentions: Iterable[Mention], docs: Mapping[str, DocInfo], window_days: int, max_km: float
) -> list[Rec]:
    """Flatten mentions into records, sorted by the stable key (`Rec.key`)."""
    recs = [Rec(m, docs.get(m.document_id), window_days, max_km) for m in mentions]
    recs.sort(key=lambda r: r.key)
    return recs
