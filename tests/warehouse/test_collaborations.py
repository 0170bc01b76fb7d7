"""Collaboration credits in the warehouse: split when one part is an artist the label knows."""

from __future__ import annotations

import csv
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, insert, select

from common.lake import Lake
from common.testing import lake_with_services, run_cleaners
from common.warehouse.database import make_engine
from common.warehouse.models import Artist, RoyaltyLine, Track, TrackArtist
from tests.warehouse.conftest import etl

REPO = Lake(Path(__file__).resolve().parents[2])
BANK = REPO.root / "tests" / "fixtures" / "distrokid" / "dk_bank_details_collaborations.csv"
KNOWN_ARTISTS = {
    "artists": [
        {"name": "ZONE A0", "aliases": ["zone.a0", "Zone A0"]},
        {"name": "sadgirl", "aliases": ["Sadgirl"]},
    ]
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The collaborations export run through the DistroKid cleaners and `bedrot etl`."""
    root = tmp_path_factory.mktemp("collaborations")
    lake = lake_with_services(root / "lake", REPO, ["distrokid"])
    (lake.config / "artists.json").write_text(json.dumps(KNOWN_ARTISTS), encoding="utf-8")
    shutil.copyfile(BANK, lake.zone("1_landing") / "distrokid" / BANK.name)
    cleaned = run_cleaners(lake, "distrokid")
    assert [r.returncode for r in cleaned] == [0, 0, 0], [r.stderr for r in cleaned]
    url = f"sqlite:///{root / 'warehouse.db'}"
    loaded = etl(lake, env={"WAREHOUSE_URL": url})
    assert loaded.returncode == 0, loaded.stderr
    return make_engine(url)


def _track_artists(engine: Engine, isrc: str) -> list[str]:
    with engine.connect() as connection:
        return sorted(
            connection.execute(
                select(Artist.name)
                .join(TrackArtist, TrackArtist.artist_id == Artist.id)
                .join(Track, Track.id == TrackArtist.track_id)
                .where(Track.isrc == isrc)
            ).scalars()
        )


def _artists_named(engine: Engine, *names: str) -> list[str]:
    with engine.connect() as connection:
        return sorted(
            connection.execute(select(Artist.name).where(Artist.name.in_(names))).scalars()
        )


def _bank_lines(credit: str) -> list[Decimal]:
    with BANK.open(encoding="utf-8", newline="") as stream:
        return [
            Decimal(r["Earnings (USD)"]) for r in csv.DictReader(stream) if r["Artist"] == credit
        ]


def test_a_collaboration_of_known_artists_credits_each_of_them(warehouse: Engine) -> None:
    assert _track_artists(warehouse, "QZXXX2600101") == ["ZONE A0", "sadgirl"]
    assert _artists_named(warehouse, "ZONE A0 & sadgirl") == []


def test_an_unknown_name_with_an_ampersand_is_one_artist_paid_once(warehouse: Engine) -> None:
    assert _artists_named(warehouse, "Tøilette & Café", "Tøilette", "Café") == ["Tøilette & Café"]
    assert _track_artists(warehouse, "QZXXX2600102") == ["Tøilette & Café"]
    with warehouse.connect() as connection:
        lines, earnings = connection.execute(
            select(func.count(), func.sum(RoyaltyLine.earnings_usd))
            .join(Artist, Artist.id == RoyaltyLine.artist_id)
            .where(Artist.name == "Tøilette & Café")
        ).one()
    expected = _bank_lines("Tøilette & Café")
    assert lines == len(expected) == 3
    assert Decimal(earnings) == sum(expected) == Decimal("0.43815")


def test_the_labels_artist_with_a_guest_credits_both_so_the_artist_share_pays_it(
    warehouse: Engine,
) -> None:
    credit = "ZONE A0 x Unknown Guy"

    assert _track_artists(warehouse, "QZXXX2600103") == ["Unknown Guy", "ZONE A0"]
    assert _artists_named(warehouse, credit, "Unknown Guy") == ["Unknown Guy"]


def test_a_warehouse_loaded_before_the_split_gains_the_labels_artist_on_its_next_load(
    tmp_path: Path,
) -> None:
    lake = lake_with_services(tmp_path / "lake", REPO, ["distrokid"])
    (lake.config / "artists.json").write_text(json.dumps(KNOWN_ARTISTS), encoding="utf-8")
    shutil.copyfile(BANK, lake.zone("1_landing") / "distrokid" / BANK.name)
    assert [r.returncode for r in run_cleaners(lake, "distrokid")] == [0, 0, 0]
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    assert etl(lake, env={"WAREHOUSE_URL": url}).returncode == 0
    engine = make_engine(url)
    with engine.begin() as connection:  # the earlier release: one artist named as written
        track = connection.execute(
            select(Track.id).where(Track.isrc == "QZXXX2600103")
        ).scalar_one()
        connection.execute(delete(TrackArtist).where(TrackArtist.track_id == track))
        combined = connection.execute(
            insert(Artist).values(name="ZONE A0 x Unknown Guy").returning(Artist.id)
        ).scalar_one()
        connection.execute(insert(TrackArtist).values(track_id=track, artist_id=combined))
    curated = lake.zone("4_curated") / "dk_bank_details.csv"
    curated.write_bytes(curated.read_bytes())  # a new export's curated file, same credits
    os.utime(curated, (1, 1))

    assert etl(lake, env={"WAREHOUSE_URL": url}).returncode == 0

    assert _track_artists(engine, "QZXXX2600103") == [
        "Unknown Guy",
        "ZONE A0",
        "ZONE A0 x Unknown Guy",
    ]


def test_every_royalty_line_is_loaded_once(warehouse: Engine) -> None:
    with BANK.open(encoding="utf-8", newline="") as stream:
        in_file = [Decimal(r["Earnings (USD)"]) for r in csv.DictReader(stream)]
    with warehouse.connect() as connection:
        lines, earnings = connection.execute(
            select(func.count(), func.sum(RoyaltyLine.earnings_usd))
        ).one()

    assert (lines, Decimal(earnings)) == (len(in_file), sum(in_file))
