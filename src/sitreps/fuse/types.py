"""Small value types of the fuse room: per-document info and the result of an incremental add."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What fuse needs to know about a document to judge independence and first reports.

    `duplicate_of` links a near-duplicate or syndicated copy to the original's id, so the
    copy never counts as a second outlet or source.
    """

    id: str
    outlet: str | None = None
    published: date | None = None
    duplicate_of: str | None = None


@dataclass(slots=True)
class FuseDelta:
    """Which events an incremental add created, changed or dissolved, so the store rewrites only those.

    `removed` lists ids that no longer exist: an event id is its first mention's id, so when a
    new mention sorts before an event's first mention, or a re-decision splits it, the id moves.
    """

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def touched(self) -> list[str]:
        """New and changed ids: the events to (re)write."""
        return sorted({*self.new, *self.changed})
