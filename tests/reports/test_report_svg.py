"""The report's charts as SVG drawn by pygal: the same figures give the same bytes (whatever the
process or the day), nothing in a chart points outside it, a PNG of an earlier version is
archived rather than left or deleted, and each kind of chart shows what a reader relies on."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from xml.etree import ElementTree

from common.lake import Lake
from common.reports.build import _open_sources, build_report, reports_folder
from common.reports.charts import draw_svg
from common.reports.figures import CHARTS, ChartSpec, Figures
from common.reports.settings import FEW_POINTS, REPORT_NAME
from tests.reports.conftest import chart

SVG = "{http://www.w3.org/2000/svg}"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
# Anything that makes a browser fetch or run something: a web address, a protocol-relative
# address, a script, an external style sheet, an href or url() to anything but the SVG itself.
OUTSIDE = re.compile(
    r"https?://[^\"'\s<>)]*|(?<![:\w])//[\w.-]+\.\w+|<script|xml-stylesheet|@import"
    r"|href=\"(?!#)|url\((?!#)",
    re.IGNORECASE,
)
WHOLE_WITH_SEPARATORS = re.compile(r"^-?\d{1,3}(,\d{3})*$")


def outside_references(svg: str) -> list[str]:
    return [m[0] for m in OUTSIDE.finditer(svg) if m[0] not in NAMESPACES]


def demo_figures(lake: Lake) -> list[tuple[ChartSpec, Figures]]:
    """Each chart's figures as the report reads them (warehouse first, then curated)."""
    drawn: list[tuple[ChartSpec, Figures]] = []
    with _open_sources(lake, datetime.now()) as sources:
        for spec in CHARTS:
            figures = next(f for f in (spec.read(s) for s in sources.figures) if not f.empty)
            drawn.append((spec, figures))
    return drawn


def parse(svg: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def texts(root: ElementTree.Element, css_class: str) -> list[ElementTree.Element]:
    return [
        element
        for element in root.iter(f"{SVG}text")
        if css_class in (element.get("class") or "").split()
    ]


def value_axis_labels(root: ElementTree.Element) -> list[str]:
    """The ticks of the axis the values are read on (pygal marks it `always_show`)."""
    axis = next(g for g in root.iter(f"{SVG}g") if "always_show" in (g.get("class") or ""))
    return [text.text or "" for text in axis.iter(f"{SVG}text")]


def legend(root: ElementTree.Element) -> list[str]:
    entries = [g for g in root.iter(f"{SVG}g") if "legend" in (g.get("class") or "").split()]
    return [text.text or "" for entry in entries for text in entry.iter(f"{SVG}text")]


def test_the_same_figures_give_the_same_svg_bytes_in_another_process(report_lake: Lake) -> None:
    folder = reports_folder(report_lake)
    for spec, figures in demo_figures(report_lake):
        drawn = draw_svg(spec, figures)
        assert drawn == (folder / spec.file_name).read_bytes(), spec.name  # drawn by `bedrot run`
        # pygal stamps the day it drew a chart in a comment: a chart redrawn tomorrow would differ.
        assert date.today().isoformat().encode() not in drawn and b"<!--" not in drawn

    again = build_report(report_lake)

    assert again.archived == [] and not again.page_written


def test_no_chart_and_not_the_page_points_outside_itself(report_lake: Lake) -> None:
    folder = reports_folder(report_lake)
    for spec in CHARTS:
        svg = (folder / spec.file_name).read_text(encoding="utf-8")
        assert outside_references(svg) == [], spec.name
        assert "<!--" not in svg, spec.name  # pygal's comments name its web site
    page = (folder / REPORT_NAME).read_text(encoding="utf-8")
    assert outside_references(page) == []


def test_the_pattern_catches_what_pygal_adds_by_default() -> None:
    """Guards the test above: pygal's default output (script from kozea.github.io) is caught."""
    import pygal

    default = pygal.Line()
    default.add("a", [1, 2])
    found = outside_references(default.render(is_unicode=True))
    assert any("kozea.github.io" in reference for reference in found), found


def test_an_old_png_is_archived_when_its_chart_is_drawn_as_svg_or_has_no_data(
    report_lake: Lake,
) -> None:
    folder = reports_folder(report_lake)
    shutil.rmtree(report_lake.root / "data_warehouse")
    (report_lake.zone("4_curated") / "linktree_analytics_curated.csv").unlink()
    earlier = {
        name: f"PNG of {name} drawn by matplotlib".encode()
        for name in ("revenue_by_store", "linktree_clicks")
    }
    for name, content in earlier.items():
        (folder / f"{name}.png").write_bytes(content)

    result = build_report(report_lake)

    assert sorted(p.name for p in folder.glob("*.png")) == []
    assert (folder / "revenue_by_store.svg").is_file()
    archive = report_lake.zone("5_archive") / "4_curated" / "reports"
    for name, content in earlier.items():
        (archived,) = archive.glob(f"{name}_archived_*.png")
        assert archived.read_bytes() == content
        assert archived in result.archived


def test_a_line_chart_dots_few_points_and_draws_zero_when_below_it(lake: Lake) -> None:
    spec = chart("youtube_subscribers")
    few = [(date(2026, 3, day), float(day % 3 - 1)) for day in range(1, FEW_POINTS + 1)]
    many = [(date(2026, 1, 1 + day % 28), float(day % 5)) for day in range(FEW_POINTS + 1)]

    dotted = parse(draw_svg(spec, Figures("test", lines={"channel": few})))
    plain = parse(draw_svg(spec, Figures("test", lines={"channel": many})))

    dots = [c for c in dotted.iter(f"{SVG}circle") if "dot" in (c.get("class") or "")]
    assert len(dots) == FEW_POINTS
    assert not [c for c in plain.iter(f"{SVG}circle") if "dot" in (c.get("class") or "")]
    zero_line = [
        p for p in dotted.iter(f"{SVG}path") if (p.get("class") or "").split()[:1] == ["axis"]
    ]
    assert zero_line, "a net figure below zero has its zero line"
    assert "-1" in value_axis_labels(dotted) and "0" in value_axis_labels(dotted)
    assert dotted.findtext(f"{SVG}title") == spec.title
    assert "subscribers gained − lost" in ElementTree.tostring(dotted, encoding="unicode")


def test_ticks_are_whole_numbers_with_thousands_separators() -> None:
    spec = chart("revenue_by_month")
    months = [("2026-01", 2_345_678.91), ("2026-02", 12.5), ("2026-03", -1_234.5)]

    root = parse(draw_svg(spec, Figures("test", values=months, unit="USD")))

    labels = value_axis_labels(root)
    assert labels and all(WHOLE_WITH_SEPARATORS.match(label) for label in labels), labels
    assert "2,000,000" in labels and "0" in labels
    assert "royalties (USD)" in ElementTree.tostring(root, encoding="unicode")


def test_bars_write_their_exact_value_after_them_and_shorten_long_labels() -> None:
    spec = chart("ad_spend_by_campaign")
    long_name = "PIG1987 - NIGHT SHIFT - BROAD - LOOKALIKE 1% - STORIES ONLY - V2"
    campaigns = [(long_name, 1234.5), ("ZONE A0 - PARALLAX", 0.07)]

    root = parse(draw_svg(spec, Figures("test", values=campaigns, unit="USD")))

    values = texts(root, "value")
    assert sorted(v.text or "" for v in values) == ["0.07", "1,234.50"]
    assert all(v.get("text-anchor") == "start" for v in values)
    written = ElementTree.tostring(root, encoding="unicode")
    assert f">{long_name[:39]}…<" in written and long_name not in written


def test_grouped_bars_have_a_legend_and_leave_an_unreported_count_out() -> None:
    spec = chart("mailchimp_campaigns")
    series = {
        "emails sent": [("2026-01-05 January", 1200.0), ("2026-02-02 February", 1300.0)],
        "unique opens": [("2026-01-05 January", 500.0), ("2026-02-02 February", 540.0)],
        "unique clicks": [("2026-01-05 January", 60.0)],
    }

    root = parse(draw_svg(spec, Figures("test", series=series)))

    assert legend(root) == list(series)
    assert sorted(v.text or "" for v in texts(root, "value")) == sorted(
        ["1,200", "1,300", "500", "540", "60"]
    )


def test_the_page_shows_each_svg_at_its_drawn_size(report_lake: Lake) -> None:
    folder = reports_folder(report_lake)
    page = (folder / REPORT_NAME).read_text(encoding="utf-8")
    for spec in CHARTS:
        root = parse((folder / spec.file_name).read_bytes())
        size = f'width="{root.get("width")}" height="{root.get("height")}" data-chart="{spec.name}"'
        assert size in page, spec.name
