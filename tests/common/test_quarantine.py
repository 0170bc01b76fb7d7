"""A rejected file is copied into its zone's quarantine beside a reason file, never moved."""

from __future__ import annotations

import json
from pathlib import Path

from common.lake import Lake
from common.quarantine import RejectedFile, quarantine_file

REASON_KEYS = {"file", "what_failed", "where", "rule", "step", "when", "details"}


def landing_file(lake: Lake, name: str, content: str, folder: str = "spotify") -> Path:
    path = lake.zone("1_landing") / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def truncated() -> RejectedFile:
    return RejectedFile(
        "streams.csv line 3 has 2 fields where the header has 3.",
        rule="row-width",
        location="line 3",
        details={"line": 3},
    )


def test_quarantine_copies_the_file_and_leaves_the_original(lake: Lake) -> None:
    source = landing_file(lake, "streams.csv", "date,streams,saves\n2026-10-30,4\n")

    held = quarantine_file(lake, "1_landing", "spotify", source, truncated(), "landing2raw")

    assert held.copy == lake.zone("1_landing") / "_quarantine" / "spotify" / "streams.csv"
    assert held.copy.read_text(encoding="utf-8") == "date,streams,saves\n2026-10-30,4\n"
    assert source.read_text(encoding="utf-8") == "date,streams,saves\n2026-10-30,4\n"


def test_quarantine_writes_a_reason_file_saying_what_failed(lake: Lake) -> None:
    source = landing_file(lake, "streams.csv", "date,streams,saves\n2026-10-30,4\n")

    held = quarantine_file(lake, "1_landing", "spotify", source, truncated(), "landing2raw")

    assert held.reason_file == held.copy.with_name("streams.csv.reason.json")
    reason = json.loads(held.reason_file.read_text(encoding="utf-8"))
    assert set(reason) == REASON_KEYS
    assert Path(reason["file"]) == Path("1_landing", "spotify", "streams.csv")
    assert reason["what_failed"] == "streams.csv line 3 has 2 fields where the header has 3."
    assert (reason["where"], reason["rule"], reason["step"]) == (
        "line 3",
        "row-width",
        "landing2raw",
    )
    assert reason["details"] == {"line": 3}
    assert reason["when"]


def test_a_second_same_named_file_does_not_overwrite_the_first(lake: Lake) -> None:
    first = landing_file(lake, "streams.csv", "first\n", folder="spotify")
    second = landing_file(lake, "streams.csv", "second\n", folder="spotify/older")
    other = RejectedFile("streams.csv is empty.", rule="not-empty")

    held_first = quarantine_file(lake, "1_landing", "spotify", first, truncated(), "landing2raw")
    held_second = quarantine_file(lake, "1_landing", "spotify", second, other, "landing2raw")

    assert held_second.copy != held_first.copy
    assert held_first.copy.read_text(encoding="utf-8") == "first\n"
    assert held_second.copy.read_text(encoding="utf-8") == "second\n"
    first_reason = json.loads(held_first.reason_file.read_text(encoding="utf-8"))
    second_reason = json.loads(held_second.reason_file.read_text(encoding="utf-8"))
    assert first_reason["rule"] == "row-width"
    assert second_reason["rule"] == "not-empty"
