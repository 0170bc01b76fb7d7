"""The report's figures read from the curated files, for a lake without a warehouse (or a
warehouse that has not loaded a dataset yet)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from common.lake import Lake
from common.reports.figures import (
    CAMPAIGN_SERIES,
    CampaignResults,
    Figures,
    Points,
    SocialMetric,
    audience_lines,
    campaign_series,
)
from common.reports.settings import (
    BANK_DETAILS,
    DAILY_STREAMS,
    LINKTREE_DAILY,
    MAILCHIMP_AUDIENCE,
    MAILCHIMP_CAMPAIGNS,
    METAADS_CAMPAIGNS,
    CuratedDataset,
)
from common.warehouse.loaders.frames import check_columns, read_curated
from common.warehouse.loaders.streaming import PLATFORM_COLUMNS
from common.warehouse.types import MONEY_SCALE
from common.zones import CURATED

DATE_FORMAT = "%Y-%m-%d"


def _date(column: str) -> pl.Expr:
    return pl.col(column).str.to_date(DATE_FORMAT, strict=True)


def _count(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64, strict=True)


def _money(column: str) -> pl.Expr:
    return pl.col(column).str.to_decimal(scale=MONEY_SCALE)


def _points(frame: pl.DataFrame, day: str, value: str) -> Points:
    """(date, value) pairs in date order, days without a value left out (unknown is not 0)."""
    known = frame.filter(pl.col(value).is_not_null()).sort(day)
    return list(zip(known[day].to_list(), known[value].to_list()))


class CuratedFigures:
    """Reads 4_curated/*.csv; a missing file gives empty figures, a broken one raises."""

    def __init__(self, lake: Lake) -> None:
        self.curated = lake.zone(CURATED)

    def _read(self, dataset: CuratedDataset, columns: tuple[str, ...]) -> pl.DataFrame | None:
        name = dataset.file
        path: Path = self.curated / name
        if not path.is_file():
            return None
        frame = read_curated(path)
        check_columns(frame, columns, name)
        return frame.select(columns)

    def daily_streams(self) -> Figures:
        tidy = self._read(DAILY_STREAMS, ("date", *PLATFORM_COLUMNS))
        if tidy is None:
            return Figures("")
        typed = tidy.select(_date("date"), *(_count(column) for column in PLATFORM_COLUMNS))
        lines = {}
        for column, platform in PLATFORM_COLUMNS.items():
            known = typed.filter(pl.col(column).is_not_null())
            daily = known.group_by("date").agg(pl.col(column).sum())
            lines[platform] = _points(daily, "date", column)
        return Figures(DAILY_STREAMS.where, lines=lines)

    def _revenue_by(self, column: str, by_amount: bool) -> Figures:
        bank = self._read(BANK_DETAILS, (column, "earnings_usd"))
        if bank is None:
            return Figures("")
        totals = bank.group_by(column).agg(_money("earnings_usd").sum())
        order = ["earnings_usd", column] if by_amount else [column]
        totals = totals.sort(order, descending=[True, False] if by_amount else [False])
        values = [(str(key), float(Decimal(amount))) for key, amount in totals.iter_rows()]
        return Figures(BANK_DETAILS.where, values=values, unit="USD")

    def revenue_by_month(self) -> Figures:
        return self._revenue_by("sale_month", by_amount=False)

    def revenue_by_store(self) -> Figures:
        return self._revenue_by("store", by_amount=True)

    def social_daily(self, metric: SocialMetric) -> Figures:
        value = metric.curated_column
        account = () if metric.single_account else ("account",)
        artist = ("artist",) if metric.with_artist else ()
        daily = self._read(metric.dataset, (*account, *artist, "date", value))
        if daily is None:
            return Figures("")
        if metric.single_account:
            daily = daily.with_columns(pl.lit(metric.single_account).alias("account"))
        if not metric.with_artist:
            daily = daily.with_columns(pl.lit(None, dtype=pl.String).alias("artist"))
        typed = daily.with_columns(_date("date"), _count(value))
        lines = {}
        accounts = typed.sort("account").group_by(["account", "artist"], maintain_order=True)
        for (name, artist_name), rows in accounts:
            points = _points(rows, "date", value)
            if points:  # an account without this metric has no line (as in the warehouse)
                lines[f"{name} ({artist_name})" if artist_name else str(name)] = points
        return Figures(metric.dataset.where, lines=lines)

    def linktree_clicks(self) -> Figures:
        columns = ("date", "total_clicks", "unique_clicks", "is_partial_day")
        daily = self._read(LINKTREE_DAILY, columns)
        if daily is None:
            return Figures("")
        complete = daily.filter(pl.col("is_partial_day") != "true").with_columns(
            _date("date"), _count("total_clicks"), _count("unique_clicks")
        )
        lines = {
            "all clicks": _points(complete, "date", "total_clicks"),
            "unique clicks": _points(complete, "date", "unique_clicks"),
        }
        return Figures(LINKTREE_DAILY.where, lines=lines)

    def email_campaigns(self) -> Figures:
        counts = tuple(column for _, column in CAMPAIGN_SERIES)
        heading = ("campaign_id", "title", "send_time", "send_date")
        campaigns = self._read(MAILCHIMP_CAMPAIGNS, (*heading, *counts))
        if campaigns is None:
            return Figures("")
        typed = campaigns.with_columns(
            pl.col("send_time").str.to_datetime(time_zone="UTC", strict=True),
            _date("send_date"),
            *(_count(column) for column in counts),
        ).sort(["send_time", "campaign_id"], nulls_last=False)
        rows = [
            (row["send_date"], row["title"], row["campaign_id"], [row[c] for c in counts])
            for row in typed.iter_rows(named=True)
        ]
        return Figures(MAILCHIMP_CAMPAIGNS.where, series=campaign_series(rows))

    def email_audience(self) -> Figures:
        columns = ("list_id", "list_name", "snapshot_date", "member_count")
        audience = self._read(MAILCHIMP_AUDIENCE, columns)
        if audience is None:
            return Figures("")
        typed = (
            audience.with_columns(_date("snapshot_date"), _count("member_count"))
            .filter(pl.col("member_count").is_not_null())
            .sort(["snapshot_date", "list_id"])
        )
        return Figures(MAILCHIMP_AUDIENCE.where, lines=audience_lines(typed.iter_rows()))

    def ad_campaigns(self) -> tuple[str, list[CampaignResults]]:
        """The campaign summary already counts each day once, at its coarsest reported level."""
        summary = self._read(METAADS_CAMPAIGNS, ("campaign", "currency", "spend", "link_clicks"))
        if summary is None:
            return "", []
        typed = summary.filter(pl.col("spend").is_not_null()).with_columns(
            _money("spend"), _count("link_clicks")
        )
        campaigns = [
            CampaignResults(str(name), currency or "", Decimal(spend), clicks)
            for name, currency, spend, clicks in typed.sort("campaign").iter_rows()
        ]
        return METAADS_CAMPAIGNS.where, campaigns
