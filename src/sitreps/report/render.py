"""Render a Sitrep as Markdown or HTML (Jinja templates) and as PDF (WeasyPrint from the HTML)."""

from __future__ import annotations

import base64
import logging
import tempfile
import warnings
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sitreps.report.charts import Charts, colour, make_charts
from sitreps.report.sitrep import Sitrep

TEMPLATES = Path(__file__).parent / "templates"
FORMATS: tuple[str, ...] = ("md", "html", "pdf")


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def _notes(rep: Sitrep, charts: Charts | None) -> list[str]:
    return [*rep.notes, *(charts.notes if charts else [])]


def render_markdown(rep: Sitrep, *, image_dir: Path | None = None, image_prefix: str = "") -> str:
    """Markdown; with `image_dir` the two charts are written there as PNG files and linked, else left out.

    Markdown has no portable way to embed images, so charts only come with a file output.
    """
    charts = make_charts(rep) if image_dir is not None and not rep.empty else None
    images: dict[str, str] | None = None
    if charts is not None and image_dir is not None:
        (image_dir / f"{image_prefix}map.png").write_bytes(charts.map_png)
        (image_dir / f"{image_prefix}timeline.png").write_bytes(charts.timeline_png)
        images = {"map": f"{image_prefix}map.png", "timeline": f"{image_prefix}timeline.png"}
    text = _env().get_template("sitrep.md.j2").render(rep=rep, images=images, notes=_notes(rep, charts))
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(rep: Sitrep, *, images: dict[str, str] | None = None, charts: Charts | None = None) -> str:
    """A standalone HTML brief; charts are embedded as data: URIs unless `images` gives other sources."""
    if images is None and not rep.empty:
        charts = charts or make_charts(rep)
        images = {"map": _data_uri(charts.map_png), "timeline": _data_uri(charts.timeline_png)}
    return (
        _env().get_template("sitrep.html.j2").render(rep=rep, images=images, notes=_notes(rep, charts), colour=colour)
    )


def render_pdf(rep: Sitrep) -> bytes:
    """A PDF of the HTML brief; charts are written as PNG files next to the HTML WeasyPrint reads."""
    import weasyprint

    with tempfile.TemporaryDirectory(prefix="sitreps-report-") as tmp:
        charts = None if rep.empty else make_charts(rep)
        images = None
        if charts is not None:
            Path(tmp, "map.png").write_bytes(charts.map_png)
            Path(tmp, "timeline.png").write_bytes(charts.timeline_png)
            images = {"map": "map.png", "timeline": "timeline.png"}
        html = render_html(rep, images=images, charts=charts)
        # WeasyPrint logs unsupported CSS and font fallbacks at WARNING; they are cosmetic, so keep them out of
        # the user's terminal unless they turn on debug logging.
        wlog = logging.getLogger("weasyprint")
        level = wlog.level
        wlog.setLevel(logging.ERROR)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                pdf = weasyprint.HTML(string=html, base_url=tmp).write_pdf()
        finally:
            wlog.setLevel(level)
    return bytes(pdf)
