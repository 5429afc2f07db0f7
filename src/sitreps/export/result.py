"""What an export wrote: how many events, how many were left out and why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ExportResult:
    """Counts for the summary line an export prints on stderr."""

    format: str
    written: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    path: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "format": self.format,
            "written": self.written,
            "skipped": self.skipped,
            "notes": self.notes,
            "path": self.path,
        }
