"""The map page in Debian's Chromium: markers, filters, timeline brushing, evidence drawer, deep links,
corrections and untrusted text rendered as text."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.helpers import TOKEN, Demo, build_store, make_app
from tests.web.server import serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Demo]]:
    app, engine = make_app(f"sqlite:///{tmp_path / 'web.db'}")
    demo = build_store(engine)
    with serve(app) as base:
        yield base, demo
    engine.dispose()


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=20_000)
    page.wait_for_selector("body[data-loading='0']", state="attached")


def _settle(page: Any) -> None:
    page.wait_for_timeout(150)
    page.wait_for_selector("body[data-loading='0']", state="attached")


def _until(page: Any, check: Any, timeout_ms: int = 10_000) -> None:
    """Poll a Python predicate (the page's CSP forbids the string evaluation wait_for_function needs)."""
    waited = 0
    while not check():
        if waited > timeout_ms:
            raise AssertionError("condition not met in time")
        page.wait_for_timeout(50)
        waited += 50


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_page_loads_with_markers_list_and_timeline(page: Any, site: tuple[str, Demo]) -> None:
    base, _demo = site
    _open(page, base + "/")
    _until(page, lambda: page.locator(".mk").count() == 5)  # the sixth event has no place
    assert page.locator(".ev-item").count() == 6
    assert page.locator("#timeline-svg rect.tl-bar").count() >= 5
    assert page.locator("#count").text_content() == "6 events"
    # country borders drawn offline, on a canvas
    _until(page, lambda: int(page.evaluate("document.body.dataset.borders || 0")) > 100)
    assert page.locator("#map canvas").count() >= 1
    assert page.errors == []
    _shot(page, "page")


def test_page_filter_by_type_changes_markers_and_list(page: Any, site: tuple[str, Demo]) -> None:
    base, _demo = site
    _open(page, base + "/")
    page.locator("label.type-check", has_text="Battles").locator("input").check()
    _until(page, lambda: page.locator(".ev-item").count() == 2)
    _settle(page)
    assert page.locator(".mk").count() == 2
    assert {page.locator(".mk").nth(i).get_attribute("data-type") for i in range(2)} == {"Battles"}
    assert "type=Battles" in page.url
    _shot(page, "filter-battles")


def test_page_timeline_brush_filters_map_and_list(page: Any, site: tuple[str, Demo]) -> None:
    base, _demo = site
    _open(page, base + "/")
    box = page.locator("#timeline-svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
    page.mouse.up()
    _until(page, lambda: page.locator(".ev-item").count() < 6)
    _settle(page)
    assert "since=2016-12-11" in page.url and "until=" in page.url
    assert page.locator(".ev-item").count() == 2  # Palmyra (11 Dec) and al-Bab (21 Dec)
    assert page.locator(".mk").count() == 2
    assert page.locator("rect.tl-brush").count() == 1
    _shot(page, "brush")


def test_page_marker_click_opens_drawer_with_evidence(page: Any, site: tuple[str, Demo]) -> None:
    base, demo = site
    _open(page, base + "/")
    page.locator(f".mk[data-id='{demo.events['palmyra']}']").click()
    page.wait_for_selector("#drawer:not([hidden]) blockquote.evidence")
    ev = page.locator("#drawer blockquote.evidence").first
    assert "seized Palmyra on Sunday" in (ev.text_content() or "")
    assert ev.locator("mark.hl-trigger").text_content() == "seized"
    assert ev.locator("mark.hl-place").text_content() == "Palmyra"
    assert "corroborated · 2 outlets / 2 sources" in (page.locator("#corroboration").text_content() or "")
    assert "Levant Wire" in (page.locator("#fact-outlets").text_content() or "")
    assert page.locator(".disagreements li").count() == 1
    assert f"ev={demo.events['palmyra']}" in page.url
    _shot(page, "drawer")
    page.locator("#drawer a.doc-link").first.click()
    page.wait_for_selector("#docview:not([hidden]) mark.doc-trigger")
    assert page.locator("#doc-text mark.doc-trigger").first.text_content() in ("seized", "captured")
    _shot(page, "document")


def test_page_deep_link_restores_the_view(page: Any, site: tuple[str, Demo]) -> None:
    base, demo = site
    _open(
        page,
        f"{base}/?type=Battles&z=7&c=35.0000%2C38.5000&ev={demo.events['albab']}&since=2016-12-01&until=2016-12-31",
    )
    page.wait_for_selector("#drawer:not([hidden]) blockquote.evidence")
    assert page.locator("label.type-check", has_text="Battles").locator("input").is_checked()
    assert page.locator(".ev-item").count() == 2
    assert "al-Bab" in (page.locator("#fact-place").text_content() or "")
    assert page.locator(f".ev-item.selected[data-id='{demo.events['albab']}']").count() == 1
    assert page.locator("rect.tl-brush").count() == 1
    assert "z=7" in page.url and "c=35.0000%2C38.5000" in page.url
    assert page.evaluate("document.body.dataset.markers") == "2"


def test_page_analyst_correction_is_stored_and_shown(page: Any, site: tuple[str, Demo]) -> None:
    import httpx

    base, demo = site
    eid = demo.events["deir"]
    _open(page, f"{base}/?ev={eid}")
    page.wait_for_selector("#drawer:not([hidden]) form.review-form")
    form = page.locator("#drawer form.review-form")
    form.locator("input[name=fatalities]").fill("9")
    form.locator("input[name=who]").fill("analyst-7")
    form.locator("textarea[name=why]").fill("hospital list names nine")
    form.locator("input[name=token]").fill(TOKEN)
    form.locator("button[type=submit]").click()
    result = page.locator("#drawer .review-result")
    _until(page, lambda: (result.text_content() or "").startswith("Saved"))
    assert page.locator("#fact-fatalities").text_content() == "9"
    assert "analyst-7" in (page.locator("#audit-log").text_content() or "")
    stored = httpx.get(f"{base}/api/v1/events/{eid}").json()
    assert stored["event"]["fatalities"]["best"] == 9
    assert stored["reviews"][0]["who"] == "analyst-7"
    assert page.evaluate("sessionStorage.getItem('sitreps-token')") == TOKEN
    _shot(page, "correction")


def test_page_wrong_token_shows_the_error_and_stores_nothing(page: Any, site: tuple[str, Demo]) -> None:
    import httpx

    base, demo = site
    eid = demo.events["deir"]
    _open(page, f"{base}/?ev={eid}")
    form = page.locator("#drawer form.review-form")
    form.locator("input[name=fatalities]").fill("99")
    form.locator("input[name=who]").fill("x")
    form.locator("textarea[name=why]").fill("y")
    form.locator("input[name=token]").fill("wrong")
    form.locator("button[type=submit]").click()
    result = page.locator("#drawer .review-result")
    _until(page, lambda: (result.text_content() or "").startswith("Not saved") if result.count() else False)
    assert httpx.get(f"{base}/api/v1/events/{eid}").json()["reviews"] == []


def test_page_untrusted_text_renders_as_text_and_runs_nothing(page: Any, site: tuple[str, Demo]) -> None:
    base, demo = site
    _open(page, f"{base}/?ev={demo.events['tabqa']}&doc={demo.documents['xss']}")
    page.wait_for_selector("#drawer:not([hidden]) blockquote.evidence")
    page.wait_for_selector("#docview:not([hidden]) #doc-text")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    evidence = page.locator("#drawer blockquote.evidence").first.text_content() or ""
    assert "<script>window.__xss=1</script>" in evidence
    assert '<img src=x onerror="window.__xss=2;alert(1)">' in evidence
    assert "<script>window.__xss=1</script>" in (page.locator("#doc-text").text_content() or "")
    assert page.locator("#drawer img, #docview img, #event-list img, #drawer script, #docview script").count() == 0
    assert '<img src=x onerror="window.__xss=3">' in (page.locator("#fact-actors").text_content() or "")
    assert "Frontline <b>Blog</b>" in (page.locator("#drawer .outlet").first.text_content() or "")
    _shot(page, "untrusted-text")


def test_page_screenshot_for_the_readme(page: Any, site: tuple[str, Demo]) -> None:
    base, demo = site
    _open(page, f"{base}/?ev={demo.events['palmyra']}")
    page.wait_for_selector("#drawer:not([hidden]) blockquote.evidence")
    page.wait_for_timeout(300)
    _shot(page, "readme-map")
    target = ROOT / "docs" / "img" / "map.png"
    if os.environ.get("SITREPS_UPDATE_SCREENSHOT"):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHOTS / "readme-map.png", target)
