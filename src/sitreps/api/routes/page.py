"""The web page: the map/timeline/list shell at `/`; all behaviour lives in static JS files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from sitreps import __version__
from sitreps.api.errors import ApiError
from sitreps.web import MISSING_ASSETS, TEMPLATES_DIR, missing_assets

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The page shell; view state (filters, map, selection, brush) lives in the query string."""
    if missing_assets():
        raise ApiError(503, "frontend_missing", MISSING_ASSETS, hint="cd src/sitreps/web && npm ci")
    return templates.TemplateResponse(request, "index.html", {"version": __version__})
