"""Deterministic greedy clustering of mentions into events, rebuilt in one pass or kept up to date incrementally.

The clustering is defined as one sequential pass over the mentions sorted by a stable key (time precision,
date anchor, document id, evidence offset, mention id). Each mention joins the earlier event with the best average pair
score (at least THRESHOLD) provided it is in reach of, and in no hard conflict with, every member (a
complete-linkage guard: A~B and B~C never glue A to C when A and C are out of reach); otherwise it starts a
new event, whose id is its own id prefixed `ev_`. Among the events it may join it picks the highest average
score plus SALIENCE x ln(members so far): a report that fits two events equally ("the capture of Palmyra in
December") most likely means the one many others report. Ties go to the event with the smaller first key.

Because a mention's decision depends only on mentions sorted before it, adding mentions never changes the
decisions before the earliest new key. `Fuser.add` replays only what can change: new mentions, and later
mentions in reach of an event whose membership changed, in key order. The result is identical to `rebuild`
on the union, whatever the batches or their order.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping, Sequence

from sitreps.fuse.cluster import SALIENCE, THRESHOLD, Index, Key, Rec, hard_conflict, pair_score, reach
from sitreps.fuse.event import build_event, event_id
from sitreps.fuse.types import DocInfo, FuseDelta
from sitreps.model import Event, Mention


class Fuser:
    """Holds mentions and their event assignments; `add` attaches new mentions without re-fusing everything.

    The store can persist `assignments()` (mention id -> event id) with the mentions and documents and later
    resume with `Fuser.from_assignments`, which reloads without re-clustering.
    """

    def __init__(self, *, window_days: int = 2, max_km: float = 25.0) -> None:
        self.window_days = window_days
        self.max_km = max_km
        self._clear()

    def _clear(self) -> None:
        self._recs: list[Rec] = []
        self._num: dict[str, int] = {}
        self._docs: dict[str, DocInfo] = {}
        self._index = Index()
        self._assign: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        self._keys: list[Key] = []
        self._cache: dict[int, Event] = {}
        self._replaying = False

    # -- public API -------------------------------------------------------------------------------------

    def rebuild(self, mentions: Iterable[Mention], docs: Mapping[str, DocInfo]) -> list[Event]:
        """Forget everything and fuse all mentions in one sorted pass; returns the events."""
        self._clear()
        self._docs.update(docs)
        fresh = self._ingest(mentions)
        for i in sorted(fresh, key=lambda i: self._recs[i].key):
            c = self._decide(i)
            self._assign[i] = c
            self._members.setdefault(c, []).append(i)
        return self.events()

    def add(self, mentions: Iterable[Mention], docs: Mapping[str, DocInfo]) -> FuseDelta:
        """Attach new mentions to existing events or create events; mentions already known are ignored.

        Returns the ids of events created, changed (members or their documents' info) and dissolved.
        """
        stale = {d for d, info in docs.items() if d in self._docs and self._docs[d] != info}
        self._docs.update(docs)
        if not self._recs:
            before: dict[int, tuple[int, ...]] = {}
            self.rebuild(mentions, self._docs)
            return self._delta(before, set(self._members))
        snapshot: dict[int, tuple[int, ...]] = {}
        restated: set[int] = set()
        for d in stale:  # a document's outlet or duplicate link changed: its events must be re-summarised
            for i in self._index.by_doc.get(d, ()):
                c = self._assign.get(i)
                if c is not None:
                    snapshot.setdefault(c, tuple(self._members[c]))
                    restated.add(c)
        fresh = self._ingest(mentions)
        if not fresh and not snapshot:
            return FuseDelta()
        heap = [(self._recs[i].key, i) for i in fresh]
        heapq.heapify(heap)
        queued = set(fresh)
        self._replaying = True  # decisions now see assigned mentions that sort after them
        try:
            while heap:
                key, z = heapq.heappop(heap)
                queued.discard(z)
                new = self._decide(z)
                old = self._assign.get(z)
                if new == old:
                    continue
                for c in (old, new):
                    if c is not None and c not in snapshot:
                        snapshot[c] = tuple(self._members.get(c, ()))
                if old is not None:
                    self._members[old].remove(z)
                self._assign[z] = new
                insort(self._members.setdefault(new, []), z, key=lambda i: self._recs[i].key)
                if len(queued) == len(self._keys) - bisect_right(self._keys, key):
                    continue  # every later mention is already queued: nothing more to wake up
                for c in (old, new):
                    if c is None:
                        continue
                    for y in [*self._members[c], z]:
                        ry = self._recs[y]
                        if ry.key > key and y not in queued:
                            queued.add(y)
                            heapq.heappush(heap, (ry.key, y))
                        for j in self._index.candidates(ry):
                            rj = self._recs[j]
                            if rj.key > key and j not in queued and reach(ry, rj):
                                queued.add(j)
                                heapq.heappush(heap, (rj.key, j))
        finally:
            self._replaying = False
        for i in fresh:
            snapshot.setdefault(self._assign[i], ())
        return self._delta(snapshot, set(snapshot), restated)

    def events(self) -> list[Event]:
        """All events, ordered by their first mention's key."""
        out = []
        for c in sorted((c for c, ms in self._members.items() if ms), key=lambda c: self._recs[c].key):
            ev = self._cache.get(c)
            if ev is None:
                ev = build_event([self._recs[i].m for i in self._members[c]], self._docs)
                self._cache[c] = ev
            out.append(ev)
        return out

    def events_of(self, ids: Iterable[str]) -> list[Event]:
        """The events with these ids, ordered by id: what an ingest rewrites, without summarising the others."""
        wanted = set(ids)
        out = []
        for c, ms in self._members.items():
            if ms and event_id(self._recs[ms[0]].id) in wanted:
                ev = self._cache.get(c)
                if ev is None:
                    ev = build_event([self._recs[i].m for i in ms], self._docs)
                    self._cache[c] = ev
                out.append(ev)
        return sorted(out, key=lambda e: e.id)

    def assignments(self) -> dict[str, str]:
        """Mention id -> event id, for the store to persist."""
        return {self._recs[i].id: event_id(self._recs[self._first(c)].id) for i, c in self._assign.items()}

    @classmethod
    def from_assignments(
        cls,
        mentions: Sequence[Mention],
        docs: Mapping[str, DocInfo],
        assignments: Mapping[str, str],
        *,
        window_days: int = 2,
        max_km: float = 25.0,
    ) -> Fuser:
        """Resume from stored mentions and their event ids without re-clustering.

        The assignments must come from a Fuser with the same parameters; mentions without one are then
        added incrementally, as `add` would.
        """
        f = cls(window_days=window_days, max_km=max_km)
        f._docs.update(docs)
        known = [m for m in mentions if m.id in assignments]
        rest = [m for m in mentions if m.id not in assignments]
        fresh = f._ingest(known)
        groups: dict[str, list[int]] = {}
        for i in fresh:
            groups.setdefault(assignments[f._recs[i].id], []).append(i)
        for members in groups.values():
            members.sort(key=lambda i: f._recs[i].key)
            c = members[0]
            f._members[c] = members
            for i in members:
                f._assign[i] = c
        if rest:
            f.add(rest, {})
        return f

    # -- internals --------------------------------------------------------------------------------------

    def _first(self, c: int) -> int:
        return self._members[c][0] if self._members.get(c) else c

    def _ingest(self, mentions: Iterable[Mention]) -> list[int]:
        fresh: list[int] = []
        for m in mentions:
            if m.id in self._num:
                continue
            r = Rec(m, self._docs.get(m.document_id), self.window_days, self.max_km)
            i = len(self._recs)
            self._recs.append(r)
            self._num[m.id] = i
            self._index.add(i, r)
            fresh.append(i)
        # one sort, not an insort per mention: inserting into the middle of a long list is quadratic
        self._keys.extend(self._recs[i].key for i in fresh)
        self._keys.sort()
        return fresh

    def _decide(self, z: int) -> int:
        """The event z joins given every mention sorted before it (its own number when it starts one)."""
        r = self._recs[z]
        recs = self._recs
        assign = self._assign
        rkey = r.key
        # No reach test here: a cluster with no member in reach fails the all-members test below anyway. In a
        # rebuild, mentions are decided in key order, so every assigned one sorts before z (and z is unassigned).
        if self._replaying:
            cands = {assign[j] for j in self._index.candidates(r) if j in assign and recs[j].key < rkey}
        else:
            cands = {assign[j] for j in self._index.candidates(r) if j in assign}
        best = z
        best_rank: tuple[float, Key] | None = None
        for c in cands:
            members = self._members[c]
            # members sorted before z: all of them in a rebuild, so the bisect is only needed when replaying
            nb = len(members) if recs[members[-1]].key < rkey else bisect_left(members, rkey, key=lambda i: recs[i].key)
            # Exact pruning: each pair scores at most 1, so once even perfect scores for the members left
            # cannot lift the average to THRESHOLD the event is out; `need` lets pair_score stop early.
            total = 0.0
            n = 0
            for k in range(nb):
                ri = recs[members[k]]
                need = THRESHOLD * nb - total - (nb - k - 1)
                if need > 1.0 or not reach(r, ri) or hard_conflict(r, ri):
                    n = 0
                    break
                total += pair_score(r, ri, need)
                n += 1
            if n == 0 or total / n < THRESHOLD:
                continue
            rank = (-(total / n + SALIENCE * math.log(n)), recs[self._members[c][0]].key)
            if best_rank is None or rank < best_rank:
                best, best_rank = c, rank
        return best

    def _delta(
        self, before: Mapping[int, tuple[int, ...]], touched: set[int], restated: set[int] | None = None
    ) -> FuseDelta:
        delta = FuseDelta()
        for c in touched:
            self._cache.pop(c, None)
            old = before.get(c, ())
            now = tuple(self._members.get(c, ()))
            old_id = event_id(self._recs[old[0]].id) if old else None
            new_id = event_id(self._recs[now[0]].id) if now else None
            if old_id and old_id != new_id:
                delta.removed.append(old_id)
            if new_id and new_id != old_id:
                delta.new.append(new_id)
            elif new_id and (old != now or c in (restated or ())):
                delta.changed.append(new_id)
        delta.new.sort()
        delta.changed.sort()
        delta.removed = sorted(set(delta.removed) - set(delta.new) - set(delta.changed))
        return delta


def fuse(
    mentions: Sequence[Mention], docs: Mapping[str, DocInfo], *, window_days: int = 2, max_km: float = 25.0
) -> list[Event]:
    """Fuse mentions into events in one pass (same result as adding them to a `Fuser` in any batches)."""
    return Fuser(window_days=window_days, max_km=max_km).rebuild(mentions, docs)
