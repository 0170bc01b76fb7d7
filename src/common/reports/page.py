"""The report page: one self-contained HTML file (styles inline, charts as data: URIs), so it can
be mailed or opened anywhere without the SVG files beside it."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from html import escape

from common.reports.figures import ChartSpec, Figures
from common.reports.settings import FINGERPRINT_META, REPORT_TITLE

_FINGERPRINT = re.compile(rf'<meta name="{FINGERPRINT_META}" content="([0-9a-f]{{64}})">')
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>")
_SVG_LENGTH = {name: re.compile(rb'\s%s="(\d+)"' % name.encode()) for name in ("width", "height")}

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 72rem; padding: 0 1rem; color: #1d1d1f; }
h1 { margin-bottom: 0.2rem; }
.generated, .source { color: #555; font-size: 0.9rem; }
table.headline { border-collapse: collapse; margin: 0.5rem 0 1rem; }
table.headline th, table.headline td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; }
table.headline th { text-align: left; font-weight: normal; }
table.headline td { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
.no-data { color: #8a5300; background: #fff6e5; padding: 0.4rem 0.8rem; }
.unreadable { color: #9b1c1c; background: #fdecec; padding: 0.4rem 0.8rem; }
"""


@dataclass(frozen=True)
class ChartSection:
    """A chart as the page shows it: drawn, without data yet, or unreadable (with the reason)."""

    spec: ChartSpec
    figures: Figures | None = None
    image: bytes | None = None  # the chart's SVG
    error: str = ""


@dataclass(frozen=True)
class Headline:
    """The headline table's rows, or the sentence saying why there are none."""

    rows: list[tuple[str, str]]
    note: str


def svg_size(svg: bytes) -> tuple[int, int]:
    """The width and height the chart was drawn at (its root element's), for the <img>
    attributes, so the page keeps its layout while the images load."""
    root = _SVG_ROOT.search(svg)
    if root is None:
        raise ValueError("the chart's SVG has no <svg> element")
    width, height = (_SVG_LENGTH[name].search(root[0]) for name in ("width", "height"))
    if width is None or height is None:
        raise ValueError("the chart's SVG does not say its width and height")
    return int(width[1]), int(height[1])


def _headline(headline: Headline) -> str:
    if not headline.rows:
        return f'<p class="no-data">{escape(headline.note)}</p>'
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in headline.rows
    )
    return (
        f'<table class="headline"><tbody>{rows}</tbody></table>'
        f'<p class="source">{escape(headline.note)}</p>'
    )


def _chart(section: ChartSection) -> str:
    spec = section.spec
    heading = f"<h2>{escape(spec.title)}</h2>"
    if section.image is None or section.figures is None:
        if section.error:
            body = (
                f'<p class="unreadable" data-chart="{spec.name}">{escape(spec.title)} could not '
                f"be drawn: {escape(section.error)}</p>"
            )
        else:
            body = (
                f'<p class="no-data" data-chart="{spec.name}">No data yet for '
                f"{escape(spec.title)}: it comes from {escape(spec.feeds)}.</p>"
            )
        return f'<section class="chart" id="{spec.name}">{heading}{body}</section>'
    width, height = svg_size(section.image)
    encoded = base64.b64encode(section.image).decode("ascii")
    caption = f"{spec.explanation} Source: {section.figures.source}. File: {spec.file_name}."
    return (
        f'<section class="chart" id="{spec.name}">{heading}<figure>'
        f'<img src="data:image/svg+xml;base64,{encoded}" alt="{escape(spec.title)}" '
        f'width="{width}" height="{height}" data-chart="{spec.name}">'
        f"<figcaption>{escape(caption)}</figcaption></figure></section>"
    )


def _document(body: str, generated: str, fingerprint: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="{FINGERPRINT_META}" content="{fingerprint}">\n'
        f"<title>{escape(REPORT_TITLE)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(REPORT_TITLE)}</h1>\n"
        f'<p class="generated">Generated {generated}.</p>\n{body}\n</body>\n</html>\n'
    )


def render_page(
    headline: Headline, sections: list[ChartSection], generated_at: datetime, money: str = ""
) -> tuple[str, str]:
    """The page and its content fingerprint (everything but the generation time). `money` is
    the money section's HTML (common.reports.money), placed after the headline figures."""
    body = "\n".join(
        ["<h2>Headline figures</h2>", _headline(headline), money, *(_chart(s) for s in sections)]
    )
    fingerprint = hashlib.sha256(_document(body, "", "").encode("utf-8")).hexdigest()
    stamp = generated_at.astimezone()
    generated = (
        f'<time datetime="{stamp.isoformat(timespec="seconds")}">'
        f'{stamp.strftime("%Y-%m-%d %H:%M %Z")}</time>'
    )
    return _document(body, generated, fingerprint), fingerprint


def page_fingerprint(page: str) -> str | None:
    """The content fingerprint a written report carries, if any."""
    match = _FINGERPRINT.search(page)
    return match[1] if match else None
