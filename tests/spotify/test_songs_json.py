"""The songs page's saved catalog-view JSON joins the songs data; a malformed one is quarantined."""

from __future__ import annotations

import json
from typing import Any

import pytest

from common.lake import Lake
from tests.fakes.spotify import catalog_view
from tests.spotify.spotify_lake import PIG_ID, curated_rows, drop_bytes, new_lake, run_ok

STAMP = "20250903_080000"
GOOD = {
    f"spotify_songs_1year_{PIG_ID}_{STAMP}.json": catalog_view(PIG_ID, "1year"),
    f"spotify_songs_all_{PIG_ID}_{STAMP}.json": catalog_view(PIG_ID, "all"),
}
SONG: dict[str, Any] = catalog_view(PIG_ID, "7day")["data"]["songs"][0]
# numStreams renamed: an empty streams column would hide it, so the file is refused.
RENAMED = {("streams" if key == "numStreams" else key): value for key, value in SONG.items()}
BAD = {
    f"spotify_songs_7day_{PIG_ID}_20250904_000000.json": (
        json.dumps(catalog_view(PIG_ID, "7day"))[:-9].encode(),
        "truncated",
    ),
    f"spotify_songs_7day_{PIG_ID}_20250905_000000.json": (
        json.dumps({"data": {"tracks": [SONG]}}).encode(),
        "unknown-shape",
    ),
    f"spotify_songs_7day_{PIG_ID}_20250906_000000.json": (
        json.dumps({"data": {"songs": [RENAMED]}}).encode(),
        "unknown-shape",
    ),
    f"spotify_songs_7day_{PIG_ID}_20250907_000000.json": (
        json.dumps(
            {"data": {"songs": [SONG, {**SONG, "trackName": "B", "numStreams": 12.5}]}}
        ).encode(),
        "schema",
    ),
    f"spotify_songs_{PIG_ID}_20250908_000000.json": (
        json.dumps(catalog_view(PIG_ID, "28day")).encode(),
        "file-name",
    ),
    f"spotify_songs_28day_{PIG_ID}_20250909_000000.json": (
        b"<!DOCTYPE html><html><head><title>Log in</title></head></html>",
        "not-html",
    ),
}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = new_lake(tmp_path_factory.mktemp("songs_json"))
    for name, document in GOOD.items():
        drop_bytes(lake, name, json.dumps(document).encode())
    for name, (content, _) in BAD.items():
        drop_bytes(lake, name, content)
    run_ok(lake)
    return lake


def _reason(lake: Lake, name: str) -> dict[str, Any]:
    folder = lake.zone("1_landing") / "_quarantine" / "spotify"
    return dict(json.loads((folder / f"{name}.reason.json").read_text(encoding="utf-8")))


def test_saved_songs_json_reaches_the_songs_data_with_its_track_fields(lake: Lake) -> None:
    rows = curated_rows(lake, "spotify_songs_curated.csv")

    assert [
        (r["song"], r["window"], r["listeners"], r["streams"], r["saves"], r["canvas_views"])
        for r in rows
    ] == [
        ("First Song", "1year", "1460", "3650", "365", "730"),
        ("First Song", "all", "", "10000", "", "2000"),
        ("Second Song, Pt. 2", "1year", "2920", "7300", "730", "730"),
        ("Second Song, Pt. 2", "all", "", "20000", "", "2000"),
    ]
    first = rows[0]
    assert (first["artist"], first["release_date"], first["extracted_at"]) == (
        "PIG1987",
        "2024-06-14",
        "2025-09-03T08:00:00",
    )
    assert (first["track_id"], first["track_uri"]) == (SONG["id"], SONG["trackUri"])
    assert first["source_file"] == f"1_landing/spotify/spotify_songs_1year_{PIG_ID}_{STAMP}.json"


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_malformed_songs_json_is_quarantined_with_its_reason(lake: Lake, name: str) -> None:
    assert _reason(lake, name)["rule"] == BAD[name][1]


def test_a_count_that_is_no_whole_number_is_reported_at_its_song(lake: Lake) -> None:
    name = f"spotify_songs_7day_{PIG_ID}_20250907_000000.json"
    failures = _reason(lake, name)["details"]

    assert [(f["column"], f["value"], f["row"]) for f in failures] == [("streams", "12.5", 2)]
