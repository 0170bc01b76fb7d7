"""etl_financial_data: DistroKid royalty lines and Capital One expenses, money exact."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from common.lineage import with_source_files
from common.warehouse.loaders.frames import (
    check_columns,
    curated_batches,
    ids,
    integer,
    money,
    percent,
    read_curated,
    require_numbers,
)
from common.warehouse.loading import LoadContext, bulk_insert
from common.warehouse.models import Expense, RoyaltyLine, table

ROYALTY_COLUMNS = (
    "reporting_date", "sale_month", "platform_id", "artist_id", "track_id", "release_id",
    "territory_id", "title", "item_type", "quantity", "team_percentage", "earnings_usd",
    "songwriter_royalties_withheld_usd", "recoup_usd", "origin_file_id", "origin_row",
    "source_file_id",
)  # fmt: skip
ROYALTY_MONEY = (
    "earnings_usd",
    "songwriter_royalties_withheld_usd",
    "recoup_usd",
)


def load_royalty_lines(ctx: LoadContext) -> int:
    """Every line item, signed: negative earnings stay royalty adjustments (never expenses).

    The file streams through a few megabytes at a time (`curated_batches`), its dimensions looked
    up per chunk, so a large export never sits in memory whole. `origin_file_id` names the raw
    export in `origin_files`: its path mapped from the curated file's short `source_id` through
    its lineage sidecar, or read as it is from an older curated file with paths."""

    def mapped() -> Iterator[pl.DataFrame]:
        for chunk in curated_batches(ctx.path):
            lines = with_source_files(chunk, ctx.path)
            check_columns(lines, ROYALTY_REQUIRED, ctx.path.name)
            require_numbers(lines, (*ROYALTY_MONEY, "team_percentage"), ctx.path.name)
            yield _royalty_rows(ctx, lines)

    return bulk_insert(ctx.connection, table(RoyaltyLine), ROYALTY_COLUMNS, mapped())


ROYALTY_REQUIRED = (
    "reporting_date", "store", "earnings_usd", "quantity", "source_file", "source_row",
)  # fmt: skip


def _royalty_rows(ctx: LoadContext, lines: pl.DataFrame) -> pl.DataFrame:
    dims = ctx.dimensions
    stores = dims.platforms(lines["store"].drop_nulls().unique().to_list())
    territories = dims.territories(lines["country"].drop_nulls().unique().to_list())
    releases = dims.releases(lines["upc"].drop_nulls().unique().to_list())
    tracks = dims.tracks(lines["isrc"].drop_nulls().unique().to_list())
    credits = lines["artist"].drop_nulls().unique().to_list()
    # A line is paid once, to the credit's primary artist: "Tøilette & Café" is one artist.
    primary = {credit: dims.credited_artists(credit)[0] for credit in credits if credit.strip()}
    return lines.select(
        pl.col("reporting_date"),
        pl.col("sale_month"),
        ids("store", stores, "platform_id"),
        ids("artist", primary, "artist_id"),
        ids("isrc", tracks, "track_id"),
        ids("upc", releases, "release_id"),
        ids("country", territories, "territory_id", upper=True),
        pl.col("title"),
        pl.col("item_type"),
        integer("quantity"),
        percent("team_percentage"),
        *[money(column, ctx.dialect) for column in ROYALTY_MONEY],
        _origin_ids(ctx, lines),
        integer("source_row").alias("origin_row"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )


def _origin_ids(ctx: LoadContext, rows: pl.DataFrame) -> pl.Expr:
    """The `origin_files` id of each row's raw export (its `source_file` path)."""
    paths = ctx.dimensions.origin_files(rows["source_file"].drop_nulls().unique().to_list())
    return ids("source_file", paths, "origin_file_id")


EXPENSE_COLUMNS = (
    "transaction_date", "posted_date", "card_last4", "description", "category", "debit_usd",
    "credit_usd", "amount_usd", "kind", "origin_file_id", "origin_row", "source_file_id",
)  # fmt: skip


def load_expenses(ctx: LoadContext) -> int:
    spending = with_source_files(read_curated(ctx.path), ctx.path)
    check_columns(spending, ("transaction_date", "amount_usd", "kind"), ctx.path.name)
    require_numbers(spending, ("debit_usd", "credit_usd", "amount_usd"), ctx.path.name)
    rows = spending.select(
        "transaction_date",
        "posted_date",
        "card_last4",
        "description",
        "category",
        *[money(column, ctx.dialect) for column in ("debit_usd", "credit_usd", "amount_usd")],
        "kind",
        _origin_ids(ctx, spending),
        integer("source_row").alias("origin_row"),
        pl.lit(ctx.source_file_id).alias("source_file_id"),
    )
    return bulk_insert(ctx.connection, table(Expense), EXPENSE_COLUMNS, rows)
