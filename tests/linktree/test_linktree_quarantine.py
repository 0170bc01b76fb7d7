"""Bad Linktree captures are quarantined with their reason; good captures of the same run land."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from common.lake import Lake
from common.spreadsheet import as_text
from tests.linktree.linktree_lake import (
    CURRENT_USER,
    LOGIN_PAGE,
    OVERVIEW_SAMPLE,
    SERVICE,
    WALLET,
    activity,
    analytics,
    curated_rows,
    daily,
    landing,
    link_titles,
    new_lake,
    overview,
    raw_lines,
    run,
)
from tests.quarantine_support import MixedDrop, clean_twice, quarantine_reason


def _json(document: object) -> bytes:
    return json.dumps(document).encode("utf-8")


def _one_day(**overrides: object) -> bytes:
    day = {**activity("2025-01-05", 30, 12), **overrides}
    return _json(analytics(overview={"timeseries": [activity("2025-01-04", 20, 8), day]}))


GOOD_FILES = {
    "graphql_overview_20250102_180000.json": OVERVIEW_SAMPLE.read_bytes(),
    "graphql_titles_20250102_180001.json": _json(link_titles({400000001: "New single"})),
}
# Each bad file's content is distinct: identical content would be recognised as one file.
BAD_FILES = {
    "graphql_20250105_080000.json": (b"", "not-empty"),
    "graphql_20250105_081000.json": (
        b'{"data": {"getAccountAnalytics": {"overview": {"ti',
        "truncated",
    ),
    "graphql_20250105_082000.json": (b"{'data': {}}", "invalid-json"),
    "graphql_20250105_083000.json": (LOGIN_PAGE, "not-html"),
    "graphql_20250105_084000.json": (_json([CURRENT_USER, WALLET]), "no-analytics"),
    "graphql_20250105_085000.json": (
        _json({"data": None, "errors": [{"message": "Unauthorized"}]}),
        "no-analytics",
    ),
    "graphql_20250105_090000.json": (_one_day(totalViews="30"), "schema"),
    "graphql_20250105_091000.json": (_one_day(clickThroughRate=-0.4167), "schema"),
    "graphql_20250105_092000.json": (_one_day(totalClicks=-3), "schema"),
    "graphql_20250105_093000.json": (_one_day(date="01/05/2025"), "schema"),
    "graphql_20250105_094000.json": (_one_day(date="2025-01-04"), "schema"),
    "graphql_20250105_095000.json": (
        _json(analytics(overview={"timeseries": {"2025-01-05": 30}})),
        "unknown-shape",
    ),
    "graphql_20250105_100000.json": (b'"just text"', "unknown-shape"),
    "graphql_20250105_101000.json": (b"PK\x03\x04" + b"\x00" * 32, "unknown-format"),
    "linktree_notes_20250105_102000.txt": (b"views went up\n", "unknown-format"),
}
QUARANTINE = Path("1_landing") / "_quarantine" / SERVICE


@pytest.fixture(scope="module")
def mixed_drop(tmp_path_factory: pytest.TempPathFactory) -> MixedDrop:
    """One lake where good and bad captures land together, cleaned twice."""
    lake = new_lake(tmp_path_factory.mktemp("mixed") / "lake")
    bad = {name: content for name, (content, _) in BAD_FILES.items()}
    return clean_twice(lake, SERVICE, {**GOOD_FILES, **bad}, run)


def _reason(lake: Lake, name: str) -> dict[str, object]:
    return quarantine_reason(lake, SERVICE, name)


def _failures(lake: Lake, name: str) -> list[dict[str, str]]:
    path = lake.root / QUARANTINE / f"{name}.failures.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize(("name", "rule"), [(n, rule) for n, (_, rule) in BAD_FILES.items()])
def test_a_bad_capture_is_quarantined_with_its_rule(
    mixed_drop: MixedDrop, name: str, rule: str
) -> None:
    reason = _reason(mixed_drop.lake, name)

    assert reason["rule"] == rule
    assert reason["file"] == f"1_landing/{SERVICE}/{name}"
    assert (mixed_drop.lake.root / QUARANTINE / name).read_bytes() == BAD_FILES[name][0]


def test_the_log_says_why_in_one_line_per_file(mixed_drop: MixedDrop) -> None:
    warnings = [line for line in mixed_drop.first[0].stderr.splitlines() if "Quarantined" in line]

    assert len(warnings) == len(BAD_FILES)
    assert all(any(name in line for line in warnings) for name in BAD_FILES)


def test_a_capture_without_analytics_says_nothing_in_it_is_usable(mixed_drop: MixedDrop) -> None:
    what_failed = str(_reason(mixed_drop.lake, "graphql_20250105_084000.json")["what_failed"])
    unauthorized = str(_reason(mixed_drop.lake, "graphql_20250105_085000.json")["what_failed"])

    assert "holds no Linktree analytics payload" in what_failed
    assert "nothing in it is usable" in what_failed
    assert "operation currentUser" in what_failed and "operation getWallet" in what_failed
    assert "Unauthorized" in unauthorized


def test_a_count_sent_as_text_is_named_by_its_place_in_the_json(mixed_drop: MixedDrop) -> None:
    name = "graphql_20250105_090000.json"
    what_failed = str(_reason(mixed_drop.lake, name)["what_failed"])

    place = "response 1 (no operation name): getAccountAnalytics.overview.timeseries[1].totalViews"
    assert _failures(mixed_drop.lake, name) == [
        {"column": place, "check": "is a whole number", "value": '"30"', "row": "1"}
    ]
    assert what_failed.startswith(f"{name} has 1 value(s) that do not fit Linktree's analytics")
    assert place in what_failed


@pytest.mark.parametrize(
    ("name", "field", "check", "value"),
    [
        (
            "graphql_20250105_091000.json",
            "clickThroughRate",
            "is not negative",
            "-0.4167",
        ),
        ("graphql_20250105_092000.json", "totalClicks", "is not negative", "-3"),
        ("graphql_20250105_093000.json", "date", "is a YYYY-MM-DD date", '"01/05/2025"'),
    ],
)
def test_each_failure_case_names_field_check_and_value(
    mixed_drop: MixedDrop, name: str, field: str, check: str, value: str
) -> None:
    (failure,) = _failures(mixed_drop.lake, name)

    assert failure["column"].endswith(f"overview.timeseries[1].{field}")
    # The failures table is opened in spreadsheets: a value starting "-" is shown as text.
    assert (failure["check"], failure["value"]) == (check, as_text(value))


def test_a_day_listed_twice_in_one_response_is_refused(mixed_drop: MixedDrop) -> None:
    failures = _failures(mixed_drop.lake, "graphql_20250105_094000.json")

    assert {f["check"] for f in failures} == {"field_uniqueness"}
    assert {f["value"] for f in failures} == {"2025-01-04"}


def test_the_good_captures_still_reach_curated(mixed_drop: MixedDrop) -> None:
    assert daily(mixed_drop.lake) == {
        "2025-01-01": ("30", "12", "false"),
        "2025-01-02": ("30", "19", "true"),
    }
    assert curated_rows(mixed_drop.lake, "linktree_links_curated.csv") == []
    assert len(raw_lines(mixed_drop.lake)) == len(GOOD_FILES)


def test_the_landing_files_are_unchanged(mixed_drop: MixedDrop) -> None:
    expected = {**GOOD_FILES, **{name: content for name, (content, _) in BAD_FILES.items()}}

    assert {p.name: p.read_bytes() for p in landing(mixed_drop.lake).iterdir()} == expected


def test_a_quarantined_capture_is_not_retried_by_the_next_run(mixed_drop: MixedDrop) -> None:
    assert "Quarantined" not in mixed_drop.second[0].stderr
    assert "nothing new" in mixed_drop.second[0].stderr


def test_a_bad_capture_and_a_good_one_in_a_later_run(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    (landing(lake) / "graphql_20250102_180000.json").write_bytes(_one_day(uniqueViews=2.5))
    (landing(lake) / "graphql_20250103_180000.json").write_bytes(
        _json(overview({"2025-01-03": (9, 3)}))
    )

    run(lake)

    assert daily(lake) == {"2025-01-03": ("9", "3", "true")}
    assert _reason(lake, "graphql_20250102_180000.json")["rule"] == "schema"
