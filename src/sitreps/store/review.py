"""Analysts' corrections: store them on the event (so re-fusion keeps them) with an audit row per field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from sitreps.errors import NotFoundError, UsageError
from sitreps.model import Event, event_from_json
from sitreps.store.schema import EventRow, ReviewRow
from sitreps.store.write import apply_review, event_row_values

REVIEWABLE = ("event_type", "sub_event_type", "actor1", "actor2", "place", "date", "fatalities", "rejected")
"""Fields an analyst may correct; anything else is fusion's to compute."""


class ReviewError(UsageError):
    """A correction names an unknown field or an invalid value; `field` and `choices` say which and what is valid."""

    code = "invalid_review"

    def __init__(self, field: str, reason: str, choices: list[str] | None = None) -> None:
        self.field = field
        self.choices = choices or []
        hint = ("valid choices: " + ", ".join(self.choices)) if self.choices else None
        super().__init__(field, reason, hint)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _actor(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping) or not str(value.get("name") or "").strip():
        raise ReviewError("actor", "an actor needs a non-empty name", ["{name, id?, kind?}", "null"])
    name = str(value["name"]).strip()
    return {"id": value.get("id") or None, "name": name, "text": name, "kind": value.get("kind") or "unknown"}


def _place(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not str(value.get("name") or "").strip():
        raise ReviewError("place", "a place needs a non-empty name", ["{name, lat?, lon?, id?, country?}", "null"])
    name = str(value["name"]).strip()
    country = value.get("country")
    return {
        "id": value.get("id") or None,
        "name": name,
        "text": name,
        "lat": value.get("lat"),
        "lon": value.get("lon"),
        "country": country.upper() if isinstance(country, str) else None,
        "admin1": value.get("admin1"),
        "geo_precision": int(value.get("geo_precision") or 1),
        "kind": value.get("kind"),
        "reason": "analyst review",
    }


def _date(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, str | date):
        value = {"start": value}
    if not isinstance(value, Mapping) or not value.get("start"):
        raise ReviewError("date", "a date needs a start (YYYY-MM-DD)", ["{start, end?, precision?}", "YYYY-MM-DD"])
    try:
        start = date.fromisoformat(str(_iso(value["start"])))
        end = date.fromisoformat(str(_iso(value.get("end")))) if value.get("end") else start
    except ValueError as e:
        raise ReviewError("date", f"not a date: {e}", ["YYYY-MM-DD"]) from e
    if end < start:
        raise ReviewError("date", f"end {end} is before start {start}", ["end >= start"])
    precision = int(value.get("precision") or (1 if start == end else 2))
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "precision": precision,
        "text": None,
        "rule": "analyst review",
        "resolved": True,
    }


def _fatalities(value: Any) -> dict[str, Any]:
    if value is None:
        return {"best": None, "min": None, "max": None}
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReviewError(
            "fatalities", f"fatalities must be a whole number >= 0 (got {value!r})", ["0, 1, 2, …", "null"]
        )
    return {"best": value, "min": value, "max": value}


def _normalise(field: str, value: Any, current: Mapping[str, Any], event_types: Mapping[str, list[str]] | None) -> Any:
    """The stored form of one corrected value, in the output contract's shape."""
    if field == "event_type":
        if not isinstance(value, str) or (event_types is not None and value not in event_types):
            raise ReviewError("event_type", f"unknown event type {value!r}", sorted(event_types or {}))
        return value
    if field == "sub_event_type":
        etype = str(current.get("event_type"))
        valid = list((event_types or {}).get(etype, []))
        if not isinstance(value, str) or (event_types is not None and value not in valid):
            raise ReviewError("sub_event_type", f"unknown sub-event type {value!r} for {etype!r}", valid)
        return value
    if field in ("actor1", "actor2"):
        return _actor(value)
    if field == "place":
        return _place(value)
    if field == "date":
        return _date(value)
    if field == "fatalities":
        return _fatalities(value)
    if not isinstance(value, bool):
        raise ReviewError("rejected", f"rejected must be true or false (got {value!r})", ["true", "false"])
    return value


def review_event(
    session: Session,
    event_id: str,
    changes: Mapping[str, Any],
    *,
    who: str,
    why: str,
    event_types: Mapping[str, list[str]] | None = None,
) -> Event:
    """Apply an analyst's correction to one event and record who changed what, when and why.

    The corrected values go into `EventRow.reviewed`, which `write.replace_events` re-applies after every
    fusion run, so a later rebuild never overwrites the analyst. Each changed field gets its own audit row;
    values equal to the current ones are not recorded. Commits on success, rolls back on error.

    Args:
        changes: field → new value, fields from REVIEWABLE (None clears actor2, place, date, fatalities).
        who: the analyst's name or handle.
        why: the reason, kept in the audit log.
        event_types: the ontology (type → sub-types) to validate against; None skips that check.

    Returns:
        the event as stored after the correction.

    Raises:
        NotFoundError: no event with this id.
        ReviewError: unknown field, invalid value, or nothing to change; names the valid choices.
    """
    unknown = sorted(set(changes) - set(REVIEWABLE))
    if unknown:
        raise ReviewError(unknown[0], f"field {unknown[0]!r} cannot be corrected", list(REVIEWABLE))
    if not changes:
        raise ReviewError("changes", "no field to change", list(REVIEWABLE))
    if not who.strip() or not why.strip():
        raise ReviewError("who" if not who.strip() else "why", "say who made the correction and why", [])
    row = session.get(EventRow, event_id)
    if row is None:
        raise NotFoundError(
            event_id, "no event with this id", "list events with `sitreps events` or GET /api/v1/events"
        )
    try:
        data = dict(row.data)
        proposed = {**data, "rejected": row.rejected}
        ordered = sorted(changes, key=lambda f: REVIEWABLE.index(f))  # event_type before its sub-type
        new_values: dict[str, Any] = {}
        for field in ordered:
            value = _normalise(field, changes[field], proposed, event_types)
            proposed[field] = value
            new_values[field] = value
        if "event_type" in new_values and "sub_event_type" not in new_values and event_types is not None:
            subs = event_types.get(new_values["event_type"], [])
            if data.get("sub_event_type") not in subs:
                raise ReviewError(
                    "sub_event_type", f"give a sub-event type for {new_values['event_type']!r}", list(subs)
                )
        reviewed = dict(row.reviewed or {})
        now = _now()
        for field, value in new_values.items():
            old = row.rejected if field == "rejected" else data.get(field)
            if old == value:
                continue
            reviewed[field] = value
            session.add(
                ReviewRow(
                    event_id=row.id,
                    field=field,
                    old={"value": old},
                    new={"value": value},
                    who=who.strip(),
                    why=why.strip(),
                    at=now,
                )
            )
        row.reviewed = reviewed
        apply_review(row)
        row.search_text = str(event_row_values(event_from_json(row.data))["search_text"])
        row.updated_at = now
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return event_from_json(row.data)
