"""Linktree analytics payloads as typed, validated rows of the staging tables.

Where each table's entries sit in `getAccountAnalytics` and what each entry holds is declared in
LISTINGS; the rows then get the columns every table carries (partial day, CTR, provenance).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

from common.quarantine import RejectedFile
from linktree.captures import Payload
from linktree.json_values import Field, typed_entries
from linktree.settings import (
    ANALYTICS_ROOT,
    CTR_DECIMALS,
    DAILY,
    LINK_ALIAS,
    LINK_TITLES,
    LINKS,
    LOCATIONS,
    PAYLOAD_LINK_TITLES,
    REFERRERS,
    SOCIALS,
)

Tables = dict[str, pl.DataFrame]


@dataclass(frozen=True)
class Listing:
    """A list of entries in the analytics payload and what each entry holds."""

    table: str
    location: tuple[str, ...]
    fields: tuple[Field, ...]
    unique: tuple[str, ...]
    constants: Mapping[str, str] = field(default_factory=dict)


VIEWS_CLICKS = (
    Field("views", ("views", "total"), "count"),
    Field("clicks", ("clicks", "total"), "count"),
)
REPORTED_CTR = Field("ctr", ("clickThroughRate",), "rate", required=False)


LISTINGS = (
    Listing(
        DAILY,
        ("overview", "timeseries"),
        (
            Field("date", ("date",), "date"),
            Field("total_views", ("totalViews",), "count"),
            Field("unique_views", ("uniqueViews",), "count", required=False),
            Field("total_clicks", ("totalClicks",), "count"),
            Field("unique_clicks", ("uniqueClicks",), "count", required=False),
            REPORTED_CTR,
        ),
        unique=("date",),
    ),
    Listing(
        LINKS,
        ("links",),
        (Field("link_id", ("id",), "id"), Field("clicks", ("clicks", "total"), "count")),
        unique=("link_id",),
    ),
    Listing(
        SOCIALS,
        ("socials", "timeseries"),
        (Field("date", ("date",), "date"), Field("social", ("name",), "text"), *VIEWS_CLICKS),
        unique=("date", "social"),
    ),
    Listing(
        REFERRERS,
        ("referrers", "referrers"),
        (Field("referrer", ("name",), "text"), *VIEWS_CLICKS, REPORTED_CTR),
        unique=("referrer",),
    ),
    Listing(
        LOCATIONS,
        ("locations", "countries"),
        (
            Field("name", ("name",), "text"),
            Field("country_code", ("countryCode",), "text", required=False),
            *VIEWS_CLICKS,
            REPORTED_CTR,
        ),
        unique=("country_code", "name"),
        constants={"level": "country"},
    ),
    Listing(
        LOCATIONS,
        ("locations", "cities"),
        (
            Field("name", ("name",), "text"),
            Field("country_code", ("countryCode",), "text", required=False),
            Field("latitude", ("coordinates", 0), "coordinate", required=False),
            Field("longitude", ("coordinates", 1), "coordinate", required=False),
            *VIEWS_CLICKS,
            REPORTED_CTR,
        ),
        # Portland, Oregon and Portland, Maine: a city is its name, country and coordinates.
        unique=("country_code", "name", "latitude", "longitude"),
        constants={"level": "city"},
    ),
)
TITLE_FIELDS = (
    Field("link_id", ("id",), "id"),
    Field("title", ("title",), "text", required=False),
    Field("active", ("active",), "flag", required=False),
)


@dataclass(frozen=True)
class Extraction:
    """When and from which landing file a payload was captured."""

    extracted_at: datetime
    source_file: str
    file_name: str

    @property
    def captured_on(self) -> date:
        """The capture's own day: that day's figures are still partial."""
        return self.extracted_at.date()


def _entries(payload: Payload, listing: Listing, file_name: str) -> list[object] | None:
    """The listing's entries, None when the payload does not include that part."""
    node: object = payload.data[ANALYTICS_ROOT]
    for step in listing.location:
        node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    if not isinstance(node, list):
        place = ".".join((ANALYTICS_ROOT, *listing.location))
        raise RejectedFile(
            f"{file_name}: {place} in {payload.describe()} is not a list "
            f"({type(node).__name__}).",
            rule="unknown-shape",
            location=place,
        )
    return node


WEEK_DAYS = 7


def _require_days(payload: Payload, series: pl.DataFrame, file_name: str) -> None:
    """The overview's series one point per day, as the capture asks for ("Daily"): a weekly or
    monthly view gives each point a week's or month's total, never one day's."""
    place = f"{ANALYTICS_ROOT}.overview.timeseries in {payload.describe()}"
    variables = payload.variables if isinstance(payload.variables, dict) else {}
    period = variables.get("period")
    if isinstance(period, str) and period.upper().startswith(("WEEK", "MONTH")):
        raise RejectedFile(
            f"{file_name}: {place} is a {period} view, not one point per day; capture the "
            "analytics with 'Daily' selected.",
            rule="daily",
            location=place,
        )
    steps: list[int] = series["date"].sort().diff().drop_nulls().dt.total_days().to_list()
    if steps and min(steps) >= WEEK_DAYS:  # a quiet account's daily series may skip a day
        raise RejectedFile(
            f"{file_name}: {place} lists one point every {min(steps)} days or more (a weekly "
            "or monthly view), not one per day; capture the analytics with 'Daily' selected.",
            rule="daily",
            location=place,
        )


def _title_entries(payload: Payload, file_name: str) -> list[object]:
    entries: list[object] = []
    for alias, value in payload.data.items():
        if value is None:
            continue  # a deleted link: its clicks keep the id
        if not isinstance(value, dict):
            raise RejectedFile(
                f"{file_name}: the link title {alias} in {payload.describe()} is not an object.",
                rule="unknown-shape",
                location=alias,
            )
        match = LINK_ALIAS.fullmatch(alias)
        assert match is not None
        entries.append({**value, "id": int(match[1])})
    return entries


def _provenance(frame: pl.DataFrame, extraction: Extraction) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(extraction.extracted_at, pl.Datetime("us")).alias("extracted_at"),
        pl.lit(extraction.source_file).alias("source_file"),
    )


def _with_ctr(frame: pl.DataFrame, views: str, clicks: str) -> pl.DataFrame:
    """CTR as a fraction: as reported (above 1 when clicks outnumber views), else clicks / views.

    The fill stays empty when clicks outnumber views: clicks include notifications, CTR does not.
    """
    computed = (
        pl.when((pl.col(views) > 0) & (pl.col(clicks) <= pl.col(views)))
        .then((pl.col(clicks) / pl.col(views)).round(CTR_DECIMALS))
        .otherwise(None)
    )
    return frame.with_columns(
        pl.coalesce(pl.col("ctr"), computed).alias("ctr"),
        (pl.col("ctr").is_null() & computed.is_not_null()).alias("ctr_is_computed"),
    )


def _query_variables(variables: object) -> str | None:
    if variables in (None, {}, []):
        return None
    return json.dumps(variables, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _finish(
    table: str, frame: pl.DataFrame, payload: Payload, extraction: Extraction
) -> pl.DataFrame:
    """The columns every row of `table` carries beyond the payload's own values."""
    if table in (DAILY, SOCIALS):
        frame = frame.with_columns(
            (pl.col("date") >= extraction.captured_on).alias("is_partial_day")
        )
    if table == DAILY:
        frame = _with_ctr(frame, "total_views", "total_clicks")
    if table in (REFERRERS, LOCATIONS):
        frame = _with_ctr(frame, "views", "clicks")
    if table in (LINKS, REFERRERS, LOCATIONS):
        frame = frame.with_columns(
            pl.lit(extraction.captured_on, pl.Date).alias("captured_on"),
            pl.lit(_query_variables(payload.variables), pl.String).alias("query_variables"),
        )
    return _provenance(frame, extraction)


def _entry_place(payload: Payload, listing: Listing) -> Callable[[int], str]:
    place = ".".join((ANALYTICS_ROOT, *listing.location))
    return lambda row: f"{payload.describe()}: {place}[{row}]"


def payload_tables(payload: Payload, extraction: Extraction) -> Tables:
    """The rows one payload adds to each staging table (only the tables it holds)."""
    name = extraction.file_name
    if payload.kind == PAYLOAD_LINK_TITLES:
        entries = _title_entries(payload, name)
        aliases = [f"link{entry['id']}" for entry in entries if isinstance(entry, dict)]
        titles = typed_entries(
            entries,
            TITLE_FIELDS,
            ("link_id",),
            lambda row: f"{payload.describe()}: {aliases[row]}",
            name,
        )
        return {LINK_TITLES: _provenance(titles, extraction)}
    found: dict[str, list[pl.DataFrame]] = {}
    for listing in LISTINGS:
        listed = _entries(payload, listing, name)
        if listed is None:
            continue
        frame = typed_entries(
            listed, listing.fields, listing.unique, _entry_place(payload, listing), name
        ).with_columns(pl.lit(value).alias(column) for column, value in listing.constants.items())
        if listing.table == DAILY:
            _require_days(payload, frame, name)
        found.setdefault(listing.table, []).append(
            _finish(listing.table, frame, payload, extraction)
        )
    return {table: pl.concat(frames, how="diagonal") for table, frames in found.items()}
