"""The report page: one self-contained HTML file (styles inline, charts as data: URIs), so it can
be mailed or opened anywhere without the PNG files beside it."""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from dataclasses import dataclass
from datetime import datetime
from html import escape

from common.reports.figures import ChartSpec, Figures
from common.reports.settings import FINGERPRINT_META, REPORT_TITLE

_FINGERPRINT = re.compile(rf'<meta name="{FINGERPRINT_META}" content="([0-9a-f]{{64}})">')

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
    png: bytes | None = None
    error: str = ""


@dataclass(frozen=True)
class Headline:
    """The headline table's rows, or the sentence saying why there are none."""

    rows: list[tuple[str, str]]
    note: str


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), for the <img> attributes."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


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
    if section.png is None or section.figures is None:
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
    width, height = png_size(section.png)
    encoded = base64.b64encode(section.png).decode("ascii")
    caption = f"{spec.explanation} Source: {section.figures.source}. File: {spec.file_name}."
    return (
        f'<section class="chart" id="{spec.name}">{heading}<figure>'
        f'<img src="data:image/png;base64,{encoded}" alt="{escape(spec.title)}" '
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
