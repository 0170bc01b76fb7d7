"""The report of step 6: drawn in real Chromium, SVGs not blank, figures from the right sources."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import polars as pl
from PIL import Image
from playwright.sync_api import Browser

from common.lake import Lake
from common.reports.build import build_report, reports_folder
from common.reports.curated import CuratedFigures
from common.reports.figures import CHARTS, TIKTOK_FOLLOWERS, TIKTOK_VIEWS
from common.reports.settings import BAR_CHART_SIZE, LINE_CHART_SIZE, REPORT_NAME
from common.reports.warehouse import WarehouseFigures, open_warehouse
from common.warehouse.summary import summarize

MIN_COLOURS = 16
SVG_NAMESPACE = b'<svg xmlns="http://www.w3.org/2000/svg"'


def distinct_colours(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours or [])


def screenshot_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def test_the_report_opens_in_chromium_with_every_chart_drawn(
    report_lake: Lake, chromium: Browser
) -> None:
    page_file = reports_folder(report_lake) / REPORT_NAME
    page = chromium.new_page()
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        assert page.title() == "BEDROT Data Lake report"
        assert "Generated" in page.inner_text(".generated")
        assert page.locator("table.headline tr").count() >= 5
        drawn = page.evaluate(
            "Array.from(document.images).map(i => [i.dataset.chart, i.complete, i.naturalWidth])"
        )
        assert [name for name, _, _ in drawn] == [spec.name for spec in CHARTS]
        assert all(complete and width > 0 for _, complete, width in drawn), drawn
        assert page.locator(".no-data, .unreadable").count() == 0
        for spec in CHARTS:
            shown = page.locator(f'img[data-chart="{spec.name}"]').screenshot()
            assert distinct_colours(shown) > MIN_COLOURS, f"{spec.name} is blank in Chromium"
    finally:
        page.close()


def test_every_chart_is_an_svg_file_that_chromium_draws_not_blank(
    report_lake: Lake, chromium: Browser
) -> None:
    folder = reports_folder(report_lake)
    assert sorted(p.name for p in folder.glob("*.svg")) == sorted(s.file_name for s in CHARTS)
    assert not list(folder.glob("*.png"))
    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    try:
        for spec in CHARTS:
            svg = folder / spec.file_name
            assert svg.name == f"{spec.name}.svg" and svg.read_bytes().startswith(SVG_NAMESPACE)
            page.goto(svg.as_uri())
            shown = page.locator("svg").first.screenshot()
            width, height = screenshot_size(shown)
            assert width == LINE_CHART_SIZE[0] and height >= min(
                LINE_CHART_SIZE[1], BAR_CHART_SIZE[1]
            )
            assert distinct_colours(shown) > MIN_COLOURS, f"{svg.name} is blank in Chromium"
            assert spec.title in page.locator("svg").first.text_content(), svg.name
    finally:
        page.close()


def test_the_headline_figures_are_the_warehouse_summary(report_lake: Lake) -> None:
    engine = open_warehouse(report_lake)
    assert engine is not None
    try:
        summary = summarize(engine)
    finally:
        engine.dispose()
    page = (reports_folder(report_lake) / REPORT_NAME).read_text(encoding="utf-8")
    assert f"<td>{summary.total_revenue:,.2f}</td>" in page
    for platform, streams in summary.streams_by_platform:
        assert f"Streams on {platform} (distributors)</th><td>{streams:,}</td>" in page
    assert "Source: warehouse view v_streams_daily_by_platform." in page


def test_streams_are_the_distributors_only_whichever_source_is_read(report_lake: Lake) -> None:
    tidy = pl.read_csv(report_lake.zone("4_curated") / "tidy_daily_streams.csv")
    expected = {
        "Spotify": int(tidy["spotify_streams"].sum()),
        "Apple Music": int(tidy["apple_streams"].sum()),
    }
    audience = next(report_lake.zone("4_curated").glob("spotify_audience_curated_*.csv"))
    assert pl.read_csv(audience)["streams"].sum() > 0  # there are S4A streams to leave out
    engine = open_warehouse(report_lake)
    assert engine is not None
    try:
        from_warehouse = WarehouseFigures(engine, summarize(engine)).daily_streams()
    finally:
        engine.dispose()
    from_curated = CuratedFigures(report_lake).daily_streams()

    for figures in (from_warehouse, from_curated):
        totals = {name: int(sum(v for _, v in points)) for name, points in figures.lines.items()}
        assert totals == expected
    assert from_warehouse.lines == from_curated.lines


def test_both_sources_agree_on_tiktok_linktree_and_ad_spend(report_lake: Lake) -> None:
    engine = open_warehouse(report_lake)
    assert engine is not None
    try:
        summary = summarize(engine)
        warehouse = WarehouseFigures(engine, summary)
        curated = CuratedFigures(report_lake)
        for metric in (TIKTOK_VIEWS, TIKTOK_FOLLOWERS):
            from_curated = curated.social_daily(metric).lines
            assert warehouse.social_daily(metric).lines == from_curated, metric.column
        assert warehouse.linktree_clicks().lines == curated.linktree_clicks().lines
        _, campaigns = warehouse.ad_campaigns()
    finally:
        engine.dispose()
    assert [(c.campaign, c.spend) for c in campaigns] == summary.ad_spend_by_campaign
    assert all(c.results and c.cost_per_result == c.spend / c.results for c in campaigns)
    assert curated.ad_campaigns()[1] == campaigns
    assert curated.revenue_by_store().values == warehouse.revenue_by_store().values


def test_a_missing_dataset_gives_a_no_data_note_and_its_old_chart_is_archived(
    report_lake: Lake, chromium: Browser
) -> None:
    shutil.rmtree(report_lake.root / "data_warehouse")
    (report_lake.zone("4_curated") / "linktree_analytics_curated.csv").unlink()

    result = build_report(report_lake)

    assert [s.spec.name for s in result.without_data] == ["linktree_clicks"]
    assert not result.unreadable
    folder = reports_folder(report_lake)
    assert not (folder / "linktree_clicks.svg").exists()
    archive = report_lake.zone("5_archive") / "4_curated" / "reports"
    assert len(list(archive.glob("linktree_clicks_archived_*.svg"))) == 1
    html = result.page.read_text(encoding="utf-8")
    assert "Source: 4_curated/tidy_daily_streams.csv." in html
    assert "No headline figures yet: there is no warehouse." in html
    page = chromium.new_page()
    try:
        page.goto(result.page.as_uri())
        note = page.locator('.no-data[data-chart="linktree_clicks"]')
        assert note.is_visible()
        assert note.inner_text().startswith("No data yet for Linktree clicks")
        assert page.locator('img[data-chart="linktree_clicks"]').count() == 0
        widths = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
        assert len(widths) == len(CHARTS) - 1 and all(w > 0 for w in widths)
    finally:
        page.close()


def test_an_empty_lake_gets_a_page_of_notes_and_no_image(lake: Lake) -> None:
    result = build_report(lake)

    assert len(result.without_data) == len(CHARTS) and not result.drawn
    html = result.page.read_text(encoding="utf-8")
    assert html.count('class="no-data" data-chart=') == len(CHARTS)
    assert "<img" not in html
    assert sorted(p.name for p in reports_folder(lake).iterdir()) == [REPORT_NAME]


def test_an_unreadable_curated_file_is_named_on_the_page_and_the_rest_is_drawn(
    lake: Lake,
) -> None:
    curated = lake.zone("4_curated")
    (curated / "tidy_daily_streams.csv").write_text(
        "date,source,spotify_streams,apple_streams,combined_streams\n"
        "2026-01-01,distrokid,many,1,1\n",
        encoding="utf-8",
    )
    (curated / "linktree_analytics_curated.csv").write_text(
        "date,total_views,unique_views,total_clicks,unique_clicks,ctr,ctr_is_computed,"
        "is_partial_day,extracted_at,source_file\n"
        "2026-01-01,10,9,4,3,0.4,false,false,,\n2026-01-02,12,9,6,5,0.5,false,false,,\n",
        encoding="utf-8",
    )

    result = build_report(lake)

    assert [s.spec.name for s in result.unreadable] == ["daily_streams_by_platform"]
    assert [s.spec.name for s in result.drawn] == ["linktree_clicks"]
    html = result.page.read_text(encoding="utf-8")
    assert 'class="unreadable" data-chart="daily_streams_by_platform"' in html
    assert "could not be drawn: InvalidOperationError" in html


def test_revenue_from_curated_is_exact_per_month(report_lake: Lake) -> None:
    bank = pl.read_csv(report_lake.zone("4_curated") / "dk_bank_details.csv", infer_schema=False)
    expected: dict[str, Decimal] = {}
    for month, earnings in bank.select("sale_month", "earnings_usd").iter_rows():
        expected[month] = expected.get(month, Decimal(0)) + Decimal(earnings)

    months = CuratedFigures(report_lake).revenue_by_month().values

    assert [month for month, _ in months] == sorted(expected)
    assert all(abs(Decimal(str(value)) - expected[m]) < Decimal("0.000001") for m, value in months)


def test_the_page_is_self_contained(report_lake: Lake, tmp_path: Path) -> None:
    moved = tmp_path / "mailed.html"
    shutil.copyfile(reports_folder(report_lake) / REPORT_NAME, moved)
    html = moved.read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == len(CHARTS)
    assert "http://" not in html and "https://" not in html
