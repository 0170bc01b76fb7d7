"""A small warehouse built from ORM rows (fast), and a builder that adds facts to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from common.warehouse.database import make_engine, migrate
from common.warehouse.models import (
    AdPerformanceDaily,
    AdPerformancePeriod,
    Artist,
    Campaign,
    DailyStreams,
    Expense,
    Platform,
    RoyaltyLine,
    SourceFile,
    SpotifyAudienceDaily,
    Territory,
)
from common.warehouse.money_tables import create_money_tables
from tests.lineage_support import origin_id


class Facts:
    """Adds warehouse rows the way the loaders would, one fact at a time."""

    def __init__(self, session: Session) -> None:
        self.session = session
        source = SourceFile(
            path="4_curated/test.csv", dataset="test", sha256="0" * 64, row_count=0,
            loaded_at=datetime(2025, 1, 1),
        )  # fmt: skip
        session.add(source)
        session.flush()
        self.source_id = source.id
        self._platforms: dict[str, int] = {}
        self._territories: dict[str, int] = {}
        self._artists: dict[str, int] = {}

    def save(self) -> None:
        self.session.commit()

    def _add(self, row: object) -> int:
        self.session.add(row)
        self.session.flush()
        return int(row.id)  # type: ignore[attr-defined]

    def origin(self, path: str) -> int:
        return origin_id(self.session.connection(), path)

    def platform(self, name: str) -> int:
        if name not in self._platforms:
            self._platforms[name] = self._add(Platform(name=name, kind="store"))
        return self._platforms[name]

    def territory(self, code: str) -> int:
        if code not in self._territories:
            self._territories[code] = self._add(Territory(code=code))
        return self._territories[code]

    def artist(self, name: str) -> int:
        if name not in self._artists:
            self._artists[name] = self._add(Artist(name=name))
        return self._artists[name]

    def royalty(
        self, store: str, sale_month: str, reported: str, units: int, earnings: str,
        country: str = "US", item_type: str = "Song",
    ) -> None:  # fmt: skip
        self._add(
            RoyaltyLine(
                reporting_date=date.fromisoformat(reported), sale_month=sale_month,
                platform_id=self.platform(store), territory_id=self.territory(country),
                item_type=item_type, quantity=units, earnings_usd=Decimal(earnings),
                origin_file_id=self.origin("dk.csv"), origin_row=1, source_file_id=self.source_id,
            )
        )  # fmt: skip

    def streams(self, platform: str, day: date, count: int, distributor: str = "distrokid") -> None:
        self._add(
            DailyStreams(
                stream_date=day, distributor=distributor, platform_id=self.platform(platform),
                streams=count, source_file_id=self.source_id,
            )
        )  # fmt: skip

    def month_of_streams(self, platform: str, month: str, per_day: int) -> None:
        day = date.fromisoformat(month + "-01")
        while day.strftime("%Y-%m") == month:
            self.streams(platform, day, per_day)
            day += timedelta(days=1)

    def expense(self, day: date, description: str, debit: str, category: str | None = None) -> int:
        return self._add(
            Expense(
                transaction_date=day, description=description, category=category,
                debit_usd=Decimal(debit), amount_usd=-Decimal(debit), kind="expense",
                origin_file_id=self.origin("c1.csv"), origin_row=1, source_file_id=self.source_id,
            )
        )  # fmt: skip

    def credit(self, day: date, description: str, credit: str, category: str) -> int:
        """A credit on the card: a merchant's refund, or (category Payment/Credit) a payment."""
        return self._add(
            Expense(
                transaction_date=day, description=description, category=category,
                credit_usd=Decimal(credit), amount_usd=Decimal(credit), kind="credit",
                origin_file_id=self.origin("c1.csv"), origin_row=1, source_file_id=self.source_id,
            )
        )  # fmt: skip

    def campaign(self, name: str, artist: str | None = None) -> int:
        return self._add(
            Campaign(
                external_id=name, name=name, platform_id=self.platform("Meta"),
                artist_id=self.artist(artist) if artist else None, track=None,
            )
        )  # fmt: skip

    def ad_day(self, campaign: int, day: date, spend: str, currency: str = "USD") -> None:
        self._add(
            AdPerformanceDaily(
                performance_date=day, campaign_id=campaign, level_rank=1, spend=Decimal(spend),
                currency=currency, source_file_id=self.source_id,
            )
        )  # fmt: skip

    def ad_range(self, campaign: int, start: date, end: date, spend: str) -> None:
        self._add(
            AdPerformancePeriod(
                period_start=start, period_end=end, days=(end - start).days + 1,
                campaign_id=campaign, level_rank=1, spend=Decimal(spend), currency="USD",
                source_file_id=self.source_id,
            )
        )  # fmt: skip

    def followers(self, artist: str, day: date, count: int) -> None:
        self._add(
            SpotifyAudienceDaily(
                audience_date=day, artist_id=self.artist(artist), followers=count,
                source_file_id=self.source_id,
            )
        )  # fmt: skip


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = make_engine("sqlite:///" + (tmp_path / "warehouse.db").as_posix())
    migrate(made)
    with made.begin() as connection:
        create_money_tables(connection)
    yield made
    made.dispose()


@pytest.fixture
def facts(engine: Engine) -> Iterator[Facts]:
    """Rows added by a test; `facts.save()` commits them for the code under test to read."""
    with Session(engine) as session:
        yield Facts(session)
        session.rollback()
