"""Small warehouses for statement tests: royalty lines inserted with the ORM, no cleaners run."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.orm import Session

from common.lake import Lake
from common.warehouse.database import make_engine, migrate, warehouse_url
from common.warehouse.models import (
    AdPerformanceDaily,
    Artist,
    ArtistAlias,
    Campaign,
    Expense,
    Platform,
    Release,
    RoyaltyLine,
    SourceFile,
    Territory,
    Track,
)
from tests.lineage_support import origin_id

ISRC = "QZHZ12500001"
UPC = "198753115192"


def make_lake(root: Path, splits: dict[str, Any] | None) -> tuple[Lake, Engine]:
    lake = Lake(root)
    (root / "config").mkdir(parents=True, exist_ok=True)
    if splits is not None:
        (root / "config" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    engine = make_engine(warehouse_url(lake))
    migrate(engine)
    return lake, engine


def _source_file(connection: Connection, name: str, dataset: str, rows: int) -> int:
    """A curated file's row, as a load makes it (each call a new file)."""
    found: int = connection.execute(
        insert(SourceFile)
        .values(
            path=f"{name}#{datetime.now().timestamp()}",
            dataset=dataset,
            sha256="0" * 64,
            row_count=rows,
            loaded_at=datetime(2026, 1, 1),
        )
        .returning(SourceFile.id)
    ).scalar_one()
    return found


def add_lines(
    engine: Engine,
    origin_file: str,
    lines: list[tuple[str, str, int]],
    isrc: str = ISRC,
    team_percentage: str = "100",
    artist: str = "ZONE A0",
    title: str | None = None,
    line_upc: bool = True,
) -> None:
    """`lines` are (reporting date, earnings, quantity) of one track on Spotify in the US;
    `line_upc=False` leaves the lines' own UPC empty."""
    title = title or f"Track {isrc}"
    with engine.begin() as connection:
        ids = {}
        for model, column, value in (
            (Platform, "name", "Spotify"),
            (Territory, "code", "US"),
            (Release, "upc", UPC),
            (Artist, "name", artist),
        ):
            key = model.id  # type: ignore[attr-defined]
            found = connection.execute(select(key).where(getattr(model, column) == value)).scalar()
            if found is None:
                made = insert(model).values({column: value}).returning(key)
                found = connection.execute(made).scalar_one()
                if model is Artist:
                    connection.execute(insert(ArtistAlias).values(alias=value, artist_id=found))
            ids[model.__name__] = found
        track = connection.execute(select(Track.id).where(Track.isrc == isrc)).scalar()
        if track is None:
            track = connection.execute(
                insert(Track)
                .values(isrc=isrc, title=title, release_id=ids["Release"])
                .returning(Track.id)
            ).scalar_one()
        source = _source_file(connection, origin_file, "bank_details", len(lines))
        origin = origin_id(connection, origin_file)
        Session(bind=connection).execute(
            insert(RoyaltyLine),
            [
                {
                    "reporting_date": date.fromisoformat(day),
                    "sale_month": day[:7],
                    "platform_id": ids["Platform"],
                    "artist_id": ids["Artist"],
                    "track_id": track,
                    # DistroKid leaves some song lines' UPC empty (the track keeps its release).
                    "release_id": ids["Release"] if line_upc else None,
                    "territory_id": ids["Territory"],
                    "title": title,
                    "item_type": "Song",
                    "quantity": quantity,
                    "team_percentage": Decimal(team_percentage),
                    "earnings_usd": Decimal(earnings),
                    "origin_file_id": origin,
                    "origin_row": row,
                    "source_file_id": source,
                }
                for row, (day, earnings, quantity) in enumerate(lines, start=1)
            ],
        )


def remove_lines(engine: Engine, origin_file: str) -> None:
    with engine.begin() as connection:
        origin = origin_id(connection, origin_file)
        connection.execute(delete(RoyaltyLine).where(RoyaltyLine.origin_file_id == origin))


def add_card_rows(engine: Engine, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Capital One rows as (date, description, category, debit, credit): one of the two amounts
    is empty, as in the export."""
    with engine.begin() as connection:
        source = _source_file(
            connection, "capitalone_transactions.csv", "capitalone_transactions", len(rows)
        )
        origin = origin_id(connection, "transaction_download.csv")
        for row, (day, description, category, debit, credit) in enumerate(rows, start=1):
            amount = Decimal(credit or 0) - Decimal(debit or 0)
            values = {
                "transaction_date": date.fromisoformat(day),
                "description": description,
                "category": category,
                "debit_usd": Decimal(debit) if debit else None,
                "credit_usd": Decimal(credit) if credit else None,
                "amount_usd": amount,
                "kind": "expense" if debit else "credit",
                "origin_file_id": origin,
                "origin_row": row,
                "source_file_id": source,
            }
            Session(bind=connection).execute(insert(Expense), [values])


def add_ad_days(engine: Engine, artist: str, days: list[tuple[str, str, str]]) -> None:
    """Meta Ads spend of one campaign of `artist` (already in the warehouse) as (day, spend,
    currency) rows."""
    with engine.begin() as connection:
        artist_id = connection.execute(select(Artist.id).where(Artist.name == artist)).scalar_one()
        platform = connection.execute(
            insert(Platform).values(name="Meta Ads", kind="advertising").returning(Platform.id)
        ).scalar_one()
        campaign = connection.execute(
            insert(Campaign)
            .values(external_id="c1", name=f"{artist} - TRACK - US", platform_id=platform,
                    artist_id=artist_id)
            .returning(Campaign.id)
        ).scalar_one()  # fmt: skip
        source = _source_file(connection, "metaads_daily.csv", "metaads_daily", len(days))
        for day, spend, currency in days:
            connection.execute(
                insert(AdPerformanceDaily).values(
                    performance_date=date.fromisoformat(day), campaign_id=campaign, level_rank=1,
                    spend=Decimal(spend), currency=currency, source_file_id=source,
                )
            )  # fmt: skip
