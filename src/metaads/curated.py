"""The curated Meta Ads tables: daily and per-period performance, actions per day, and campaign
summaries.

Reach is deduplicated by Meta within one level and period, so it is never added up: a daily row
keeps the reach Meta reported for that row's level and day, and a campaign summary shows a reach
only when Meta reported one for that campaign over exactly the summary's period (e.g. a
campaign-level lifetime row); otherwise it stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from common.artists import ArtistDirectory
from metaads.campaign_names import parse_campaign_name
from metaads.insights import entity_keys
from metaads.settings import LEVELS, RATE_DECIMALS
from metaads.spans import Span, counted_spans, left_out, span_days

if TYPE_CHECKING:
    import polars as pl

NAMES = {"date_start": "date", "campaign_name": "campaign", "adset_name": "adset", "ad_name": "ad"}
IDENTITY = ("level", "campaign_id", "campaign", "adset_id", "adset", "ad_id", "ad")
PARSED = ("artist", "track", "targeting")
RATES = ("cpc", "cpm", "ctr")
DAILY_COLUMNS = (
    "date",
    *IDENTITY,
    *PARSED,
    "currency",
    "spend",
    "impressions",
    "clicks",
    "link_clicks",
    "reach",
    *RATES,
    "source",
    "extracted_at",
    "source_file",
)
PERIOD_COLUMNS = ("date_start", "date_stop", *DAILY_COLUMNS[1:])
ACTIONS_COLUMNS = ("date", *IDENTITY, "action_type", "value", "source_file")
SUMMARY_COLUMNS = (
    "campaign_id",
    "campaign",
    *PARSED,
    "currency",
    "date_start",
    "date_stop",
    "days",
    "spend",
    "impressions",
    "clicks",
    "link_clicks",
    "reach",
    *RATES,
)
ADDITIVE = ("spend", "impressions", "clicks", "link_clicks")


def _rank() -> pl.Expr:
    import polars as pl

    return pl.col("level").replace_strict(list(LEVELS), list(range(len(LEVELS))))


def computed_rates(spend: pl.Expr, clicks: pl.Expr, impressions: pl.Expr) -> list[pl.Expr]:
    """cpc, cpm and ctr as Meta defines them (ctr in percent), empty when dividing by zero."""
    import polars as pl

    money = spend.cast(pl.Float64)

    def ratio(top: pl.Expr, bottom: pl.Expr) -> pl.Expr:
        return pl.when(bottom > 0).then((top / bottom).round(RATE_DECIMALS))

    return [
        ratio(money, clicks.cast(pl.Float64)).alias("cpc"),
        ratio(money * 1000, impressions.cast(pl.Float64)).alias("cpm"),
        ratio(clicks.cast(pl.Float64) * 100, impressions.cast(pl.Float64)).alias("ctr"),
    ]


def with_parsed_names(frame: pl.DataFrame, artists: ArtistDirectory | None) -> pl.DataFrame:
    """Artist, track and targeting parsed from each row's campaign name."""
    import polars as pl

    names = frame["campaign"].unique().to_list()
    parsed = [parse_campaign_name(name, artists) for name in names]
    lookup = pl.DataFrame(
        {
            "campaign": names,
            "artist": [p.artist for p in parsed],
            "track": [p.track for p in parsed],
            "targeting": [p.targeting for p in parsed],
        },
        schema={"campaign": pl.String(), **{c: pl.String() for c in PARSED}},
    )
    return frame.join(lookup, on="campaign", how="left", nulls_equal=True)


def daily_performance(staged: pl.DataFrame, artists: ArtistDirectory | None) -> pl.DataFrame:
    """Rows of one day, every level; rates as Meta reported them, else computed the same way."""
    import polars as pl

    daily = staged.filter(pl.col("date_start") == pl.col("date_stop")).rename(NAMES)
    computed = computed_rates(pl.col("spend"), pl.col("clicks"), pl.col("impressions"))
    daily = daily.with_columns(
        pl.coalesce(pl.col(rate), expression).alias(rate)
        for rate, expression in zip(RATES, computed)
    )
    daily = with_parsed_names(daily, artists).with_columns(_rank().alias("_rank"))
    order = ["date", "campaign_id", "campaign", "_rank", "adset_id", "adset", "ad_id", "ad"]
    return daily.sort(order, nulls_last=True).select(DAILY_COLUMNS)


def period_performance(staged: pl.DataFrame, artists: ArtistDirectory | None) -> pl.DataFrame:
    """Rows over a range of days (an export from "Reporting starts" to "Reporting ends", a pull
    without `time_increment=1`), every level, with their figures and reach as Meta reported them.
    They are kept apart from the daily rows: whether a range's spend counts is decided by
    `metaads.spans`, never by adding it to the days."""
    import polars as pl

    periods = staged.filter(pl.col("date_start") != pl.col("date_stop"))
    periods = periods.rename({k: v for k, v in NAMES.items() if k != "date_start"})
    computed = computed_rates(pl.col("spend"), pl.col("clicks"), pl.col("impressions"))
    periods = periods.with_columns(
        pl.coalesce(pl.col(rate), expression).alias(rate)
        for rate, expression in zip(RATES, computed)
    )
    periods = with_parsed_names(periods, artists).with_columns(_rank().alias("_rank"))
    order = ["date_start", "date_stop", "campaign_id", "campaign", "_rank", "adset_id", "adset"]
    return periods.sort([*order, "ad_id", "ad"], nulls_last=True).select(PERIOD_COLUMNS)


def actions_table(staged_actions: pl.DataFrame) -> pl.DataFrame:
    """One row per day, campaign, ad set, ad and action type."""
    import polars as pl

    daily = staged_actions.filter(pl.col("date_start") == pl.col("date_stop")).rename(NAMES)
    order = ["date", "campaign_id", "campaign", "_rank", "adset_id", "adset", "ad_id", "ad"]
    return (
        daily.with_columns(_rank().alias("_rank"))
        .sort([*order, "action_type"], nulls_last=True)
        .select(ACTIONS_COLUMNS)
    )


@dataclass
class _Counted:
    """The reported spans (a day, or a longer period) whose figures a campaign's summary adds."""

    days: set[date] = field(default_factory=set)
    spans: list[tuple[date, date]] = field(default_factory=list)


def _reported_spans(keyed: pl.DataFrame) -> dict[str, list[Span]]:
    """Per campaign key, every span (a day, or a longer period) some row reports."""
    spans: dict[str, list[Span]] = {}
    for campaign, first, last in (
        keyed.select("campaign_key", "date_start", "date_stop").unique().rows()
    ):
        spans.setdefault(campaign, []).append((first, last))
    return spans


def _counted_spans(keyed: pl.DataFrame) -> dict[str, _Counted]:
    """Per campaign, the spans `metaads.spans.counted_spans` adds: its days, then the ranges no
    daily row covers, narrowest first, so no day's figures are added twice and a period (e.g. a
    monthly export) counts whole or not at all."""
    counted: dict[str, _Counted] = {}
    for campaign, reported in _reported_spans(keyed).items():
        chosen = counted_spans(reported)
        counted[campaign] = _Counted(set[date]().union(*map(span_days, chosen)), chosen)
    return counted


def uncounted_ranges(staged: pl.DataFrame) -> list[tuple[str, Span, int]]:
    """(campaign name, range, days counted by nothing) for each reported range left out of the
    totals while some of its days have no other report: what the cleaner warns about."""
    import polars as pl

    keyed = staged.with_columns(*entity_keys())
    names = dict(
        keyed.group_by("campaign_key").agg(pl.col("campaign_name").drop_nulls().last()).rows()
    )
    return [
        (names.get(campaign) or campaign, span, days)
        for campaign, reported in sorted(_reported_spans(keyed).items())
        for span, days in left_out(reported)
    ]


def _counted_rows(keyed: pl.DataFrame, counted: dict[str, _Counted]) -> pl.DataFrame:
    """The rows whose figures are added: counted spans, each at its coarsest level reported."""
    import polars as pl

    span = ["campaign_key", "date_start", "date_stop"]
    chosen = pl.DataFrame(
        [(campaign, first, last) for campaign, c in counted.items() for first, last in c.spans],
        schema={"campaign_key": pl.String(), "date_start": pl.Date(), "date_stop": pl.Date()},
        orient="row",
    )
    rows = keyed.join(chosen, on=span)
    return rows.filter(pl.col("_rank") == pl.col("_rank").min().over(span))


def _currencies(keyed: pl.DataFrame) -> pl.DataFrame:
    """A campaign's currency: the one its rows name (an ad account has one currency, so rows
    whose currency is unknown are in it too); several mean its spend cannot be added up."""
    import polars as pl

    named = pl.col("currency").drop_nulls().unique().sort()
    return keyed.group_by("campaign_key").agg(
        named.str.join("/").alias("currency"), named.len().alias("_currencies")
    )


def _totals(rows: pl.DataFrame) -> pl.DataFrame:
    """Sums per campaign; a sum is empty when one of its rows lacks the figure."""
    import polars as pl

    whole = [
        pl.when(pl.col(name).is_null().any()).then(None).otherwise(pl.col(name).sum()).alias(name)
        for name in ADDITIVE
    ]
    return rows.group_by("campaign_key").agg(
        pl.col("date_start").min(), pl.col("date_stop").max(), *whole
    )


def campaign_summary(staged: pl.DataFrame, artists: ArtistDirectory | None) -> pl.DataFrame:
    """One row per campaign over the days its rows cover, no day counted twice."""
    import polars as pl

    keyed = staged.with_columns(*entity_keys(), _rank().alias("_rank"))
    counted = _counted_spans(keyed)
    days = pl.DataFrame(
        [(campaign, len(c.days)) for campaign, c in counted.items()],
        schema={"campaign_key": pl.String(), "days": pl.Int64()},
        orient="row",
    )
    names = (
        keyed.sort(["date_stop", "extracted_at"])
        .group_by("campaign_key")
        .agg(pl.col("campaign_id").last(), pl.col("campaign_name").last().alias("campaign"))
    )
    reach = keyed.filter(pl.col("level") == LEVELS[0]).select(
        "campaign_key", "date_start", "date_stop", "reach"
    )
    summary = (
        _totals(_counted_rows(keyed, counted))
        .join(_currencies(keyed), on="campaign_key")
        .with_columns(
            pl.when(pl.col("currency") != "").then(pl.col("currency")).alias("currency"),
            pl.when(pl.col("_currencies") <= 1).then(pl.col("spend")).alias("spend"),
        )
        .join(days, on="campaign_key")
        .join(names, on="campaign_key")
        .join(reach, on=["campaign_key", "date_start", "date_stop"], how="left")
        .with_columns(computed_rates(pl.col("spend"), pl.col("clicks"), pl.col("impressions")))
    )
    summary = with_parsed_names(summary, artists)
    return summary.sort(["date_start", "campaign", "campaign_id"], nulls_last=True).select(
        SUMMARY_COLUMNS
    )
