"""Deterministic Meta Ads demo files: two API pulls (the second re-pulls a trailing window and
revises its days), a campaign-level lifetime pull that reports reach, and one Ads Manager export."""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from common.demodata.series import days_between

ACCOUNT = "act_100000000000001"
GRAPH_URL = f"https://graph.facebook.com/v25.0/{ACCOUNT}/insights"
CURRENCY = "USD"
CAMPAIGN_START, CAMPAIGN_END = date(2025, 4, 11), date(2025, 5, 8)
FIRST_PULL_END = date(2025, 4, 30)
REPULL_START = date(2025, 4, 24)
EXPORT_START, EXPORT_END = date(2025, 5, 23), date(2025, 6, 5)
EXPORT_HEADER = (
    "Reporting starts,Reporting ends,Campaign name,Ad Set Name,Ad name,Ad delivery,"
    "Attribution setting,Results,Result indicator,Reach,Impressions,Cost per results,"
    "Amount spent (USD),Clicks,Quality ranking,Engagement rate ranking,Conversion rate ranking,"
    "Ends"
).split(",")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class AdSet:
    campaign_id: str
    campaign_name: str
    adset_id: str
    adset_name: str
    daily_impressions: int


PIG1987_CAMPAIGN = ("120215000000000101", "PIG1987 - NIGHT SHIFT - BROAD")
ZONE_A0_CAMPAIGN = ("120215000000000102", "ZONE A0 - PARALLAX - TECHNO SPOTIFY")
ADSETS = (
    AdSet(*PIG1987_CAMPAIGN, "120215000000000201", "Broad 18-34 US", 1400),
    AdSet(*PIG1987_CAMPAIGN, "120215000000000202", "Broad 25-44 US/CA", 900),
    AdSet(*ZONE_A0_CAMPAIGN, "120215000000000203", "Techno fans - Spotify users", 1100),
)
EXPORT_ADSET = AdSet("", "IWARY - SOFT MACHINES - BROAD", "", "Broad 18-44", 700)


@dataclass(frozen=True)
class Day:
    """One ad set's figures on one day, as Meta would report them."""

    day: date
    impressions: int
    reach: int
    clicks: int
    spend: Decimal
    actions: dict[str, int]


def _rate(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def delivery(rng: random.Random, adset: AdSet, day: date, quiet: bool) -> Day:
    """A plausible day: quiet days deliver little and record no actions (Meta omits the list)."""
    impressions = adset.daily_impressions * (85 + int(rng.random() * 40)) // 100
    if quiet:
        impressions //= 12
    reach = impressions * (78 + int(rng.random() * 14)) // 100
    clicks = 0 if quiet else impressions * (4 + int(rng.random() * 9)) // 1000
    spend = (Decimal(impressions) * Decimal(200 + int(rng.random() * 250)) / 100_000).quantize(CENT)
    link = clicks * (60 + int(rng.random() * 30)) // 100
    actions = (
        {}
        if quiet
        else {
            "link_click": link,
            "landing_page_view": link * 7 // 10,
            "video_view": impressions // 6,
            "post_engagement": impressions // 6 + clicks,
            "page_engagement": impressions // 6 + clicks + 1,
        }
    )
    return Day(day, impressions, reach, clicks, spend, actions)


def revised(rng: random.Random, figures: Day) -> Day:
    """The same day after attribution settled: more actions, and sometimes billing adjusted."""
    if not figures.actions:
        return figures
    actions = dict(figures.actions)
    late_clicks = 1 + int(rng.random() * 3)
    actions["link_click"] += late_clicks
    actions["landing_page_view"] += 1
    actions["offsite_conversion.fb_pixel_view_content"] = 1 + int(rng.random() * 4)
    adjusted = figures.day.day % 3 == 0
    return replace(
        figures,
        actions=actions,
        clicks=figures.clicks + late_clicks,
        impressions=figures.impressions + (12 if adjusted else 0),
        spend=figures.spend + (Decimal("0.37") if adjusted else 0),
    )


def api_row(adset: AdSet, figures: Day) -> dict[str, object]:
    """An insights row exactly as the Graph API sends it: every metric a string."""
    row: dict[str, object] = {
        "account_currency": CURRENCY,
        "campaign_id": adset.campaign_id,
        "campaign_name": adset.campaign_name,
        "adset_id": adset.adset_id,
        "adset_name": adset.adset_name,
        "spend": f"{figures.spend:f}",
        "impressions": str(figures.impressions),
        "clicks": str(figures.clicks),
        "reach": str(figures.reach),
        "frequency": _rate(figures.impressions / figures.reach),
        "cpm": _rate(float(figures.spend) * 1000 / figures.impressions),
        "ctr": _rate(figures.clicks * 100 / figures.impressions),
        "date_start": figures.day.isoformat(),
        "date_stop": figures.day.isoformat(),
    }
    if figures.clicks:
        row["cpc"] = _rate(float(figures.spend) / figures.clicks)
    if figures.actions:
        row["actions"] = [{"action_type": t, "value": str(v)} for t, v in figures.actions.items()]
    return row


def pages(rows: list[dict[str, object]], stamp: str) -> list[dict[str, object]]:
    """Two pages as the extractor saves a pull: the first with `paging.next`, the last without."""
    half = (len(rows) + 1) // 2
    first = {"before": f"{stamp}AAA", "after": f"{stamp}MQZDZD"}
    second = {"before": f"{stamp}MjAZD", "after": f"{stamp}NDAZD"}
    return [
        {
            "data": rows[:half],
            "paging": {"cursors": first, "next": f"{GRAPH_URL}?after={first['after']}"},
        },
        {
            "data": rows[half:],
            "paging": {"cursors": second, "previous": f"{GRAPH_URL}?before={second['before']}"},
        },
    ]


def lifetime_row(adset_days: list[tuple[AdSet, Day]], rng: random.Random) -> dict[str, object]:
    """A campaign-level row for the whole run: its reach is deduplicated by Meta, not a sum."""
    adset = adset_days[0][0]
    impressions = sum(d.impressions for _, d in adset_days)
    clicks = sum(d.clicks for _, d in adset_days)
    link_clicks = sum(d.actions.get("link_click", 0) for _, d in adset_days)
    spend = sum((d.spend for _, d in adset_days), Decimal(0))
    biggest = max(d.reach for _, d in adset_days)
    reach = max(biggest, impressions * (38 + int(rng.random() * 8)) // 100)
    return {
        "account_currency": CURRENCY,
        "campaign_id": adset.campaign_id,
        "campaign_name": adset.campaign_name,
        "spend": f"{spend:f}",
        "impressions": str(impressions),
        "clicks": str(clicks),
        "inline_link_clicks": str(link_clicks),
        "reach": str(reach),
        "frequency": _rate(impressions / reach),
        "date_start": CAMPAIGN_START.isoformat(),
        "date_stop": CAMPAIGN_END.isoformat(),
    }


def manual_export(rng: random.Random) -> str:
    """An Ads Manager report broken down by day, as the user downloads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for day in days_between(EXPORT_START, EXPORT_END):
        figures = delivery(rng, EXPORT_ADSET, day, quiet=False)
        link = figures.actions["link_click"]
        cost = _rate(float(figures.spend) / link) if link else ""
        writer.writerow(
            [day.isoformat(), day.isoformat(), EXPORT_ADSET.campaign_name, EXPORT_ADSET.adset_name]
            + ["Video 1", "active", "7-day click or 1-day view", str(link), "actions:link_click"]
            + [str(figures.reach), str(figures.impressions), cost, f"{figures.spend:f}"]
            + [str(figures.clicks), "Average", "Above average", "-", "Ongoing"]
        )
    return buffer.getvalue()


def _write(folder: Path, name: str, payload: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def write_metaads(folder: Path) -> list[Path]:
    """The demo files in `folder`; the same bytes on every run (fixed seeds, the 2025 demo year)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1987)
    quiet_days = {date(2025, 4, 13), date(2025, 4, 27), date(2025, 5, 4)}
    first: list[tuple[AdSet, Day]] = []
    final: list[tuple[AdSet, Day]] = []
    for adset in ADSETS:
        for day in days_between(CAMPAIGN_START, CAMPAIGN_END):
            figures = delivery(rng, adset, day, quiet=day in quiet_days)
            if day <= FIRST_PULL_END:
                first.append((adset, figures))
            final.append((adset, revised(rng, figures) if day >= REPULL_START else figures))
    repull = [(a, d) for a, d in final if d.day >= REPULL_START]
    lifetime = [
        lifetime_row([(a, d) for a, d in final if a.campaign_id == campaign], rng)
        for campaign in dict.fromkeys(a.campaign_id for a in ADSETS)
    ]
    export_path = folder / "BEDROT-ADS-Jun-2025_20250606_091500.csv"
    export_path.write_text(manual_export(random.Random(2025)), encoding="utf-8")
    return [
        _write(
            folder,
            "metaads_insights_20250501_080000.json",
            pages([api_row(a, d) for a, d in first], "A1"),
        ),
        _write(
            folder,
            "metaads_insights_20250510_080000.json",
            pages([api_row(a, d) for a, d in repull], "B2"),
        ),
        _write(
            folder,
            "metaads_campaign_lifetime_20250510_080500.json",
            {"data": lifetime, "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}},
        ),
        export_path,
    ]
