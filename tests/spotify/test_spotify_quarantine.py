"""Every kind of bad Spotify drop is quarantined with its reason; the good files still land."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from common.lake import Lake
from common.spreadsheet import as_text
from tests.spotify.spotify_lake import (
    BOM,
    FIXTURES,
    LEGACY,
    NEWER,
    SONGS_ALL,
    audience_rows,
    curated_rows,
    drop,
    drop_bytes,
    landing,
    landing_snapshot,
    legacy_export,
    new_lake,
    run_ok,
)

LEGACY_BYTES = (FIXTURES / LEGACY).read_bytes()
LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html lang='en'><head><title>Spotify for Artists - Log in</title>"
    b"</head><body><form action='/login'></form></body></html>\n"
)


@dataclass(frozen=True)
class BadDrop:
    name: str
    content: bytes
    rule: str
    # (column, value, row) expected in the failures table of a schema rejection.
    failures: list[tuple[str, str, str]] = field(default_factory=list)


BAD_DROPS = [
    BadDrop("Example Artist-audience-timeline_20250601_000000.csv", b"", "not-empty"),
    BadDrop("Example Artist-audience-timeline_20250602_000000.csv", LOGIN_PAGE, "not-html"),
    BadDrop(
        "Example Artist-audience-timeline_20250603_000000.csv",
        BOM + b"date,plays,fans\n2025-01-01,3,4\n",
        "header",
    ),
    BadDrop(
        "Example Artist-audience-timeline_20250604_000000.csv",
        LEGACY_BYTES[: LEGACY_BYTES.rindex(b",")],
        "truncated",
    ),
    BadDrop(
        "Example Artist-audience-timeline_20250605_000000.csv",
        LEGACY_BYTES.decode("utf-8-sig").encode("utf-16-le"),
        "encoding",
    ),
    BadDrop(
        "Example Artist-audience-timeline_20250606_000000.csv",
        legacy_export({"2025-02-01": 5, "2025-02-02": "many", "2025-02-03": "-4"}),
        "schema",
        [("streams", "many", "3"), ("streams", "-4", "4")],
    ),
    BadDrop(
        "Example Artist-audience-timeline_20250607_000000.csv",
        legacy_export({"2025-02-30": 5}),
        "schema",
        [("date", "2025-02-30", "2")],
    ),
    BadDrop(
        "Example Artist-audience-timeline_20250608_000000.csv",
        BOM + b"date,listeners,streams,followers\n2025-03-01,1,2,3\n2025-03-01,1,5,3\n",
        "schema",
        [("date", "2025-03-01", "3")],
    ),
    BadDrop(
        "Somebody Else-audience-timeline.csv",
        legacy_export({"2025-04-01": 7, "2025-04-02": 9}),
        "unknown-artist",
    ),
    BadDrop(
        "spotify_audience_0UnknownArtistId000000_20250610_000000.csv",
        legacy_export({"2025-04-03": 7}),
        "unknown-artist",
    ),
    BadDrop("Lonely Song-timeline.csv", BOM + b"date,streams\n2025-01-01,4\n", "unknown-artist"),
    BadDrop(
        "Example Artist-songs.csv",
        BOM + b'song,listeners,streams,saves,release_date\n"A Song",1,2,0,2025-01-01\n',
        "file-name",
    ),
    BadDrop(
        "Example Artist-songs-28day.csv",
        BOM
        + b"song,listeners,streams,saves,release_date\n"
        + b'"A",1,2,0,2025-01-01\n"A",1,3,0,2025-01-01\n',
        "schema",
        [("song", "A", "3")],
    ),
    BadDrop(
        "Example Artist-playlists-1year_20250611_000000.csv",
        BOM + b"title,author,listeners,streams,date_added\n"
        b"Mix,dj,1,2,n/a\nMix,dj,3,4,-\nOther,b,1,1,yesterday\n",
        "schema",
        [("date_added", "yesterday", "4")],
    ),
    BadDrop("Example Artist-songs-1day.xlsx", b"PK\x03\x04\x14\x00\x06\x00", "unknown-format"),
]


@dataclass(frozen=True)
class Run:
    lake: Lake
    landing_before: dict[str, tuple[bytes, int]]
    log: str


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run over every bad drop beside two good exports."""
    lake = new_lake(tmp_path_factory.mktemp("quarantine"))
    drop(lake, NEWER)
    drop(lake, SONGS_ALL)
    for bad in BAD_DROPS:
        drop_bytes(lake, bad.name, bad.content)
    before = landing_snapshot(lake)
    logs = run_ok(lake)
    return Run(lake, before, logs[0])


def _quarantine(lake: Lake) -> Path:
    return lake.zone("1_landing") / "_quarantine" / "spotify"


def _reason(lake: Lake, name: str) -> dict[str, object]:
    reason_file = _quarantine(lake) / f"{name}.reason.json"
    reason: dict[str, object] = json.loads(reason_file.read_text(encoding="utf-8"))
    return reason


@pytest.mark.parametrize("bad", BAD_DROPS, ids=[f"{b.rule}:{b.name}" for b in BAD_DROPS])
def test_a_bad_drop_is_quarantined_in_landing_with_its_reason(run: Run, bad: BadDrop) -> None:
    reason = _reason(run.lake, bad.name)

    assert (_quarantine(run.lake) / bad.name).read_bytes() == bad.content
    assert reason["rule"] == bad.rule, reason
    assert reason["file"] == f"1_landing/spotify/{bad.name}"
    assert reason["step"] == "landing2raw"
    assert f"Quarantined 1_landing/spotify/{bad.name}" in run.log


@pytest.mark.parametrize(
    "bad", [bad for bad in BAD_DROPS if bad.failures], ids=lambda bad: bad.name
)
def test_a_schema_failure_comes_with_its_failure_cases_table(run: Run, bad: BadDrop) -> None:
    table = _quarantine(run.lake) / f"{bad.name}.failures.csv"

    with table.open(encoding="utf-8", newline="") as stream:
        cases = list(csv.DictReader(stream))

    assert list(cases[0]) == ["column", "check", "value", "row"]
    found = {(case["column"], case["value"], case["row"]) for case in cases}
    # The failures table is opened in spreadsheets: a value starting "-" is shown as text.
    expected = {(column, as_text(value), row) for column, value, row in bad.failures}
    assert expected <= found, cases


def test_an_unknown_artist_is_named_with_the_config_to_fix(run: Run) -> None:
    reason = _reason(run.lake, "Somebody Else-audience-timeline.csv")

    assert "config/artists.json" in str(reason["what_failed"])
    timeline = _reason(run.lake, "Lonely Song-timeline.csv")
    assert "named after its song" in str(timeline["what_failed"])


def test_the_good_files_in_the_same_run_reach_curated(run: Run) -> None:
    assert [r["date"] for r in audience_rows(run.lake)] == ["2025-09-01", "2025-09-02"]
    assert len(curated_rows(run.lake, "spotify_songs_curated.csv")) == 2


def test_nothing_of_a_bad_drop_reaches_raw(run: Run) -> None:
    raw = sorted(p.name for p in (run.lake.zone("2_raw") / "spotify").rglob("*.csv"))

    assert len(raw) == 2
    assert all("audience_timeline_2025" in name or "songs_all" in name for name in raw)


def test_landing_files_are_unchanged(run: Run) -> None:
    assert landing_snapshot(run.lake) == run.landing_before
    assert sorted(landing_snapshot(run.lake)) == sorted(
        [NEWER, SONGS_ALL, *(bad.name for bad in BAD_DROPS)]
    )


def test_a_second_run_does_not_retry_the_quarantined_files(run: Run) -> None:
    held = sorted(p.name for p in _quarantine(run.lake).iterdir())

    run_ok(run.lake)

    assert sorted(p.name for p in _quarantine(run.lake).iterdir()) == held
    assert len(list(landing(run.lake).iterdir())) == 2 + len(BAD_DROPS)


def _failure_cases(lake: Lake, name: str) -> list[dict[str, str]]:
    with (_quarantine(lake) / f"{name}.failures.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_repeated_day_or_playlist_is_reported_on_its_repeat_only(run: Run) -> None:
    days = _failure_cases(run.lake, "Example Artist-audience-timeline_20250608_000000.csv")
    playlists = _failure_cases(run.lake, "Example Artist-playlists-1year_20250611_000000.csv")

    assert days == [
        {"column": "date", "check": "one row per date", "value": "2025-03-01", "row": "3"}
    ]
    repeats = [c for c in playlists if c["check"] == "one row per playlist title and author"]
    assert [c["row"] for c in repeats] == ["3"]
