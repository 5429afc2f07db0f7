"""The map page over the ingested demo corpus (real pipeline, real fusion) in Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.helpers import make_app
from tests.web.server import serve
from tests.web.test_page import SHOTS, _open, _settle, _until

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(demo_db: str) -> Iterator[str]:
    app, engine = make_app(demo_db)
    with serve(app) as base:
        yield base
    engine.dispose()


def test_demo_page_loads_markers_for_the_ingested_corpus(page: Any, demo_site: str) -> None:
    _open(page, demo_site + "/")
    total = httpx.get(f"{demo_site}/api/v1/events", params={"limit": 1}).json()["count"]
    assert total > 50
    _until(page, lambda: int(page.evaluate("document.body.dataset.markers || 0")) > 10)
    assert page.locator(".mk, .marker-cluster").count() > 0  # drawn, singly or clustered
    assert page.locator(".ev-item").count() > 10
    assert page.errors == []
    if os.environ.get("SITREPS_UPDATE_SCREENSHOT"):
        Path("docs/img").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="docs/img/map.png")


def test_demo_page_filter_then_marker_opens_evidence_from_the_corpus(page: Any, demo_site: str) -> None:
    _open(page, demo_site + "/")
    before = page.locator(".ev-item").count()
    page.locator("label.type-check", has_text="Strategic developments").locator("input").check()
    _until(page, lambda: 0 < page.locator(".ev-item").count() < before)
    _settle(page)
    items = page.locator(".ev-item")
    for i in range(min(5, items.count())):
        shown = httpx.get(f"{demo_site}/api/v1/events/{items.nth(i).get_attribute('data-id')}").json()
        assert shown["event"]["event_type"] == "Strategic developments"
    items.first.click()
    page.wait_for_selector("#drawer:not([hidden]) blockquote.evidence")
    evidence = page.locator("#drawer blockquote.evidence").first.text_content() or ""
    assert len(evidence) > 30
    eid = page.url.split("ev=")[1].split("&")[0]
    stored = httpx.get(f"{demo_site}/api/v1/events/{eid}").json()
    texts = [m["evidence"]["text"] for m in stored["mentions"]]
    assert any(t.strip()[:40] in evidence for t in texts)  # the drawer shows a sentence the corpus really holds
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "demo-drawer.png"))
