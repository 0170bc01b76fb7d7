"""Distributor-reported daily streams, shared by DistroKid and TooLost.

raw: one NDJSON per extraction, rows {date, platform, streams, extracted_at, source_file};
staging: `3_staging/<service>/daily_streams.csv`, every day ever seen, the newest extraction
winning (a zero never overwrites a count); curated: the service's rows of
`4_curated/tidy_daily_streams.csv` (date, source, spotify_streams, apple_streams,
combined_streams), full history; a service whose payloads skip days leaves those counts empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from common.curated import replace_source_rows
from common.lake import Lake
from common.quarantine import RejectedFile
from common.series import EXTRACTED_AT, upsert_newest
from common.zones import STAGING, atomic_write_with, service_zone

if TYPE_CHECKING:
    import polars as pl

PLATFORMS = ("spotify", "apple")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"-?\d+")
TIDY_DAILY_STREAMS = "tidy_daily_streams.csv"
STAGING_NAME = "daily_streams.csv"
TIDY_COLUMNS = ("date", "source", "spotify_streams", "apple_streams", "combined_streams")
# How many of a chart's last listed days may still show 0 for a day not filled in yet.
UNFILLED_DAYS = 2


def points_frame(
    points: Iterable[tuple[str, object]],
    platform: str,
    extracted_at: datetime,
    source_file: str,
    file_name: str,
) -> pl.DataFrame:
    """Typed rows from (YYYY-MM-DD, count) pairs; a bad date or count rejects the file."""
    import polars as pl

    rows = []
    for index, (day, count) in enumerate(points):
        try:
            if not (_ISO_DAY.fullmatch(str(day)) and _COUNT.fullmatch(str(count))):
                raise ValueError(day)
            parsed_day = date.fromisoformat(str(day))
            streams = int(str(count))
        except ValueError:
            raise RejectedFile(
                f"{file_name} has a point that is not (YYYY-MM-DD, whole number): "
                f"{day!r}, {count!r}.",
                rule="daily-point",
                location=f"point {index + 1}",
                details={"date": str(day), "streams": str(count)},
            ) from None
        if streams < 0:
            raise RejectedFile(
                f"{file_name} has a negative stream count {streams} on {day}.",
                rule="daily-point",
                location=f"point {index + 1}",
            )
        rows.append((parsed_day, streams))
    if not rows:
        raise RejectedFile(f"{file_name} holds no daily points for {platform}.", rule="not-empty")
    frame = pl.DataFrame(rows, schema={"date": pl.Date, "streams": pl.Int64}, orient="row")
    if frame["date"].is_duplicated().any():
        raise RejectedFile(f"{file_name} lists a day twice for {platform}.", rule="unique-date")
    return frame.with_columns(
        pl.lit(platform).alias("platform"),
        pl.lit(extracted_at).alias(EXTRACTED_AT),
        pl.lit(source_file).alias("source_file"),
    ).select("date", "platform", "streams", EXTRACTED_AT, "source_file")


def write_raw(target: Path, frames: list[pl.DataFrame]) -> Path:
    import polars as pl

    combined = pl.concat(frames).sort("platform", "date")
    return atomic_write_with(target, lambda temp: combined.write_ndjson(temp))


def read_raw(path: Path) -> pl.DataFrame:
    import polars as pl

    return pl.read_ndjson(path, schema=_schema()).with_columns(pl.col("date").cast(pl.Date))


def _schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "date": pl.Date(),
        "platform": pl.String(),
        "streams": pl.Int64(),
        EXTRACTED_AT: pl.Datetime("us"),
        "source_file": pl.String(),
    }


def rebuild_staging(
    lake: Lake, service: str, extractions: list[pl.DataFrame], zero_is_a_gap: bool = False
) -> Path:
    """Fold every extraction, oldest first, into the service's staging history.

    `zero_is_a_gap`: the service's charts show 0 for days they have not filled in yet (DistroKid),
    so a newer 0 never replaces an older count; elsewhere a 0 is a real revision.
    """
    history = None
    value = "streams" if zero_is_a_gap else None
    for frame in extractions:
        history = upsert_newest(history, frame, keys=("platform", "date"), value=value)
    assert history is not None
    target = service_zone(lake, STAGING, service) / STAGING_NAME
    return atomic_write_with(target, lambda temp: history.write_csv(temp))


def read_staging(path: Path) -> pl.DataFrame:
    import polars as pl

    return pl.read_csv(path, schema=_schema())


def publish(
    lake: Lake,
    service: str,
    staging: pl.DataFrame,
    gaps_stay_empty: bool = False,
    unfilled_tail: bool = False,
) -> Path | None:
    """Replace `service`'s rows of tidy_daily_streams.csv with its whole staged history.

    `gaps_stay_empty`: a day a platform's series does not list is unknown, so its count and
    `combined_streams` are written empty (TooLost: a payload can skip a day the other one has).
    Without it a day missing inside a platform's own first-to-last days is written as 0
    (DistroKid, whose charts list every day); a day outside them is still unknown and stays
    empty (an Apple page a day older than the streams page, or none yet).

    `unfilled_tail`: the zeros after a platform's last counted day, among its last two listed
    days, are days the chart has not filled in yet (DistroKid's pages end so):
    unknown rather than 0, until a page counts them. Older zeros are real, and a platform that
    never counted a stream keeps its zeros.
    """
    import polars as pl

    if unfilled_tail:
        counted = (
            staging.filter(pl.col("streams") != 0)
            .group_by("platform")
            .agg(pl.col("date").max().alias("_last_counted"))
        )
        recent = pl.col("date").max().over("platform") - timedelta(days=UNFILLED_DAYS - 1)
        unfilled = (
            (pl.col("streams") == 0)
            & (pl.col("date") > pl.col("_last_counted"))
            & (pl.col("date") >= recent)
        )
        staging = (
            staging.join(counted, on="platform", how="left")
            .with_columns(
                pl.when(unfilled).then(None).otherwise(pl.col("streams")).alias("streams")
            )
            .drop("_last_counted")
        )
    spans = {
        row["platform"]: (row["first"], row["last"])
        for row in staging.filter(pl.col("streams").is_not_null())
        .group_by("platform")
        .agg(pl.col("date").min().alias("first"), pl.col("date").max().alias("last"))
        .iter_rows(named=True)
    }

    def count(platform: str) -> pl.Expr:
        known = pl.col(platform).cast(pl.Int64)
        if not gaps_stay_empty and platform in spans:
            inside = pl.col("date").is_between(*spans[platform])
            known = pl.when(inside).then(known.fill_null(0)).otherwise(known)
        return known.alias(f"{platform}_streams")

    wide = (
        staging.pivot(on="platform", index="date", values="streams", aggregate_function="first")
        .with_columns(
            [
                pl.lit(None, pl.Int64).alias(p)
                for p in PLATFORMS
                if p not in staging["platform"].unique()
            ]
        )
        .with_columns([count(p) for p in PLATFORMS])
        .with_columns(
            pl.lit(service).alias("source"),
            # A sum over a gap is null: combined never pretends a missing platform streamed 0.
            (pl.col("spotify_streams") + pl.col("apple_streams")).alias("combined_streams"),
        )
        .select(TIDY_COLUMNS)
    )
    schema = {
        "date": pl.Date(),
        "source": pl.String(),
        **{name: pl.Int64() for name in TIDY_COLUMNS[2:]},
    }
    return replace_source_rows(
        lake, TIDY_DAILY_STREAMS, service, wide, sort_by=("source", "date"), schema=schema
    )
