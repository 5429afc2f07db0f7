"""Listings of actors, places and outlets, for filter pickers and lookups."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sitreps.api.deps import SessionDep, StateDep
from sitreps.api.queries import list_actors, list_outlets, list_places
from sitreps.api.schemas import Listing

router = APIRouter(prefix="/api/v1", tags=["catalog"])

SearchQ = Annotated[str | None, Query(max_length=200, description="Part of the name (case-insensitive) or the id.")]
LimitQ = Annotated[int, Query(ge=1, le=1000)]


@router.get("/actors", response_model=Listing)
def actors(session: SessionDep, state: StateDep, q: SearchQ = None, limit: LimitQ = 200) -> dict[str, Any]:
    """Canonical actors that mentions named, with how many events involve each (counted once per store version)."""
    items = state.cache.get(session, ("actors", q, limit), lambda: list_actors(session, q=q or None, limit=limit))
    return {"items": items, "count": len(items)}


@router.get("/places", response_model=Listing)
def places(session: SessionDep, state: StateDep, q: SearchQ = None, limit: LimitQ = 200) -> dict[str, Any]:
    """Gazetteer places that mentions resolved to, with coordinates and event counts (cached per store version)."""
    items = state.cache.get(session, ("places", q, limit), lambda: list_places(session, q=q or None, limit=limit))
    return {"items": items, "count": len(items)}


@router.get("/outlets", response_model=Listing)
def outlets(session: SessionDep, limit: LimitQ = 500) -> dict[str, Any]:
    """Outlets with how many documents each published."""
    items = list_outlets(session, limit=limit)
    return {"items": items, "count": len(items)}
