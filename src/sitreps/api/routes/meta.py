"""/api/v1/meta: version, store counts, the map's tile setting and the vocabularies the page offers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sitreps import __version__
from sitreps.api.deps import MAX_LIMIT, SessionDep, StateDep
from sitreps.api.routes.events import ontology_types
from sitreps.api.schemas import Meta
from sitreps.model import MODALITIES
from sitreps.store.query import STATUSES, stats

router = APIRouter(prefix="/api/v1", tags=["meta"])

CLUSTER_BELOW_ZOOM = 8
"""The page asks for server-side clusters below this zoom when the store is large."""


@router.get("/meta", response_model=Meta)
def meta(session: SessionDep, state: StateDep) -> dict[str, Any]:
    """What the page needs before its first query; `writable` says whether corrections are accepted."""
    return {
        "name": "sitreps",
        "version": __version__,
        "counts": state.cache.get(session, ("stats",), lambda: stats(session)),
        "tile_url": state.settings.serve.tile_url,
        "writable": bool(state.token),
        "event_types": ontology_types(),
        "modalities": list(MODALITIES),
        "statuses": list(STATUSES),
        "max_limit": MAX_LIMIT,
        "cluster_below_zoom": CLUSTER_BELOW_ZOOM,
    }
