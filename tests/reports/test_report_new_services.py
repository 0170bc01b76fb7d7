"""Instagram, YouTube and Mailchimp in the step-6 report and in the demo's summary: drawn from
the warehouse (the curated files when it has no rows for them), with their own numbers."""

from __future__ import annotations

import base64
import io
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Console

from common.demo import rich_table
from common.demo_figures import summary_tables
from common.lake import Lake
from common.reports.build import build_report, reports_folder
from common.reports.curated import CuratedFigures
from common.reports.figures import YOUTUBE_NET_SUBSCRIBERS, Points
from common.reports.settings import MAX_CAMPAIGNS, REPORT_NAME
from common.reports.warehouse import WarehouseFigures, open_warehouse
from common.warehouse.database import make_engine
from common.warehouse.summary import summarize
from tests.reports.conftest import chart

NEW_CHARTS = (
    "instagram_views",
    "instagram_followers",
    "youtube_views",
    "youtube_subscribers",
    "mailchimp_campaigns",
    "mailchimp_audience",
)
WAREHOUSE_FILE = Path("data_warehouse") / "bedrot_analytics.db"


def curated(lake: Lake, name: str) -> pl.DataFrame:
    return pl.read_csv(lake.zone("4_curated") / name, infer_schema=False)


def whole(frame: pl.DataFrame, column: str) -> int:
    return int(frame[column].cast(pl.Int64).sum())


def total(lines: dict[str, Points]) -> int:
    return int(sum(value for points in lines.values() for _, value in points))


def test_the_run_draws_the_instagram_youtube_and_mailchimp_charts_from_the_warehouse(
    report_lake: Lake,
) -> None:
    folder = reports_folder(report_lake)
    page = (folder / REPORT_NAME).read_text(encoding="utf-8")

    for name in NEW_CHARTS:
        svg = (folder / f"{name}.svg").read_text(encoding="utf-8")
        # The chart's words are text in the SVG (searchable), not pixels.
        assert f"<title>{chart(name).title}</title>" in svg, name
        embedded = re.search(
            f'<img src="data:image/svg[+]xml;base64,([^"]*)"[^>]* data-chart="{name}">', page
        )
        assert embedded and base64.b64decode(embedded[1]).decode("utf-8") == svg, name
    campaigns = (folder / "mailchimp_campaigns.svg").read_text(encoding="utf-8")
    assert all(series in campaigns for series in ("emails sent", "unique opens", "unique clicks"))
    assert "<h2>YouTube views (not streams)</h2>" in page
    assert "never added to the distributors&#x27; streams" in page
    assert "Source: warehouse table email_campaigns." in page
    assert 'class="no-data"' not in page


def test_the_new_charts_show_the_curated_numbers_whichever_source_is_read(
    report_lake: Lake,
) -> None:
    engine = open_warehouse(report_lake)
    assert engine is not None
    try:
        warehouse = WarehouseFigures(engine, summarize(engine))
        from_warehouse = {name: chart(name).read(warehouse) for name in NEW_CHARTS}
    finally:
        engine.dispose()
    from_curated = {name: chart(name).read(CuratedFigures(report_lake)) for name in NEW_CHARTS}
    for name in NEW_CHARTS:
        assert from_warehouse[name].lines == from_curated[name].lines, name
        assert from_warehouse[name].series == from_curated[name].series, name

    youtube = curated(report_lake, "youtube_channel_daily_curated.csv")
    assert total(from_warehouse["youtube_views"].lines) == whole(youtube, "views")
    assert total(from_warehouse["youtube_subscribers"].lines) == whole(
        youtube, "subscribers_gained"
    ) - whole(youtube, "subscribers_lost")
    instagram = curated(report_lake, "instagram_daily_curated.csv")
    assert total(from_warehouse["instagram_views"].lines) == whole(instagram, "views")
    campaigns = curated(report_lake, "mailchimp_campaigns_curated.csv").sort("send_time")
    sent = dict(from_warehouse["mailchimp_campaigns"].series["emails sent"])
    expected = campaigns.tail(MAX_CAMPAIGNS).select("send_date", "title", "emails_sent")
    assert sent == {f"{day} {title}": int(n) for day, title, n in expected.iter_rows()}
    audience = curated(report_lake, "mailchimp_audience_curated.csv")
    members = from_warehouse["mailchimp_audience"].lines
    assert [int(n) for _, n in members["BEDROT fans"]] == [
        int(n) for n in audience.sort("snapshot_date")["member_count"]
    ]


def test_youtube_views_never_reach_the_streams_chart(report_lake: Lake) -> None:
    streams = CuratedFigures(report_lake).daily_streams()
    tidy = curated(report_lake, "tidy_daily_streams.csv")
    assert "YouTube" not in streams.lines
    assert total(streams.lines) == whole(tidy, "spotify_streams") + whole(tidy, "apple_streams")


def test_a_day_that_lost_subscribers_stays_below_zero(lake: Lake) -> None:
    (lake.zone("4_curated") / "youtube_channel_daily_curated.csv").write_text(
        "date,views,minutes_watched,average_view_duration_seconds,likes,shares,"
        "subscribers_gained,subscribers_lost,net_subscribers,subscriber_count\n"
        "2026-03-01,120,200,100,5,1,4,1,3,\n"
        "2026-03-02,90,150,100,2,0,0,2,-2,\n"
        "2026-03-03,,,,,,,,,\n",
        encoding="utf-8",
    )

    figures = CuratedFigures(lake).social_daily(YOUTUBE_NET_SUBSCRIBERS)
    result = build_report(lake)

    assert figures.lines == {"channel": [(date(2026, 3, 1), 3), (date(2026, 3, 2), -2)]}
    drawn = {section.spec.name for section in result.drawn}
    assert drawn == {"youtube_views", "youtube_subscribers"}


def test_only_the_newest_campaigns_are_drawn_and_an_unreported_count_is_left_out(
    lake: Lake,
) -> None:
    header = "campaign_id,title,send_time,send_date,emails_sent,unique_opens,unique_clicks\n"
    rows = [
        f"c{n:02d},Issue {n},2026-01-{n:02d}T17:00:00+00:00,2026-01-{n:02d},{100 + n},{50 + n},"
        + ("" if n == 12 else str(n))
        for n in range(1, MAX_CAMPAIGNS + 3)
    ]
    (lake.zone("4_curated") / "mailchimp_campaigns_curated.csv").write_text(
        header + "\n".join(reversed(rows)) + "\n", encoding="utf-8"
    )

    series = CuratedFigures(lake).email_campaigns().series

    newest = [f"2026-01-{n:02d} Issue {n}" for n in range(3, MAX_CAMPAIGNS + 3)]
    assert [label for label, _ in series["emails sent"]] == newest
    assert series["emails sent"][-1] == ("2026-01-12 Issue 12", 112)
    assert [label for label, _ in series["unique clicks"]] == newest[:-1]


def test_a_warehouse_without_the_mailchimp_tables_falls_back_to_the_curated_files(
    report_lake: Lake,
) -> None:
    with sqlite3.connect(report_lake.root / WAREHOUSE_FILE) as database:
        database.execute("DROP TABLE email_campaigns")
        database.execute("DROP TABLE email_audience_snapshots")

    result = build_report(report_lake)

    sources = {s.spec.name: s.figures.source for s in result.drawn if s.figures}
    assert sources["mailchimp_campaigns"] == "4_curated/mailchimp_campaigns_curated.csv"
    assert sources["mailchimp_audience"] == "4_curated/mailchimp_audience_curated.csv"
    assert sources["youtube_views"] == "warehouse table social_daily"
    assert not result.unreadable and not result.without_data


def test_without_their_data_the_new_charts_say_where_it_will_come_from(
    report_lake: Lake,
) -> None:
    shutil.rmtree(report_lake.root / "data_warehouse")
    for name in ("youtube_channel_daily_curated.csv", "mailchimp_campaigns_curated.csv"):
        (report_lake.zone("4_curated") / name).unlink()

    result = build_report(report_lake)

    missing = [s.spec.name for s in result.without_data]
    assert missing == ["youtube_views", "youtube_subscribers", "mailchimp_campaigns"]
    page = result.page.read_text(encoding="utf-8")
    assert (
        "No data yet for YouTube views (not streams): it comes from "
        "4_curated/youtube_channel_daily_curated.csv (YouTube cleaners)."
    ) in page
    assert not (reports_folder(report_lake) / "youtube_views.svg").exists()


def _rendered(tables: list[object]) -> str:
    console = Console(record=True, width=200, file=io.StringIO())
    for table in tables:
        console.print(table)
    return console.export_text()


def test_the_demo_summary_shows_followers_views_and_emails_per_account(
    report_template: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "bedrot_analytics.db"
    shutil.copyfile(report_template / WAREHOUSE_FILE, copy)
    lake = Lake(report_template)
    engine = make_engine(f"sqlite:///{copy}")
    try:
        summary = summarize(engine)
    finally:
        engine.dispose()

    tables = summary_tables(summary)
    audience = next(t for t in tables if t["title"] == "Social, video and email")
    text = _rendered([rich_table(audience)])

    rows = {(a.platform, a.account): a for a in summary.audiences}
    youtube = curated(lake, "youtube_channel_daily_curated.csv")
    assert rows[("YouTube", "channel")].views == whole(youtube, "views")
    instagram = curated(lake, "instagram_daily_curated.csv").filter(pl.col("account") == "zone.a0")
    last_followers = instagram.drop_nulls("followers").sort("date")["followers"][-1]
    assert rows[("Instagram", "zone.a0")].followers == int(last_followers)
    assert rows[("Instagram", "zone.a0")].views == whole(instagram.drop_nulls("views"), "views")
    campaigns = curated(lake, "mailchimp_campaigns_curated.csv")
    newest_size = curated(lake, "mailchimp_audience_curated.csv").sort("snapshot_date")
    mailchimp = rows[("Mailchimp", "BEDROT fans")]
    assert mailchimp.emails_sent == whole(campaigns, "emails_sent")
    assert mailchimp.unique_opens == whole(campaigns, "unique_opens")
    assert mailchimp.followers == int(newest_size["member_count"][-1])
    assert mailchimp.views is None
    assert {platform for platform, _ in rows} >= {"Instagram", "YouTube", "TikTok", "Mailchimp"}
    for figure in (mailchimp.emails_sent, mailchimp.unique_opens, mailchimp.followers):
        assert f"{figure:,}" in text
    assert f"{rows[('YouTube', 'channel')].views:,}" in text
