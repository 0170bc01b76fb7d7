"""Health scoring in-process: staleness, blocks, quarantine, last runs, config and ordering."""

from __future__ import annotations

import io
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from common.discovery import load_service
from common.hashing import HashRegistry
from common.health.blocks import cleaners_to_drain, find_blocks
from common.health.config import HealthConfigError, load_health_config
from common.health.render import render_text
from common.health.report import assess_lake
from common.health.runs import last_runs
from common.health.scoring import ServiceHealth
from common.health.zone_data import curated_files
from common.lake import Lake
from common.ledger import LedgerRecord, Outcome, append_record
from common.logs import RUN_LEDGER, STRUCTURED_LOG
from common.scaffold import new_service
from common.testing import run_cleaners
from common.zones import TIMESTAMP_FORMAT

NOW = datetime(2026, 11, 20, 12, 0, 0)
DAILY = {
    "default": {"warn_days": 3, "fail_days": 7},
    "services": {"bandcamp": {"warn_days": 2, "fail_days": 5}},
}


def make_service(
    lake: Lake, name: str = "bandcamp", config: dict[str, object] | None = None
) -> None:
    new_service(lake, name)
    (lake.config / "health.json").write_text(json.dumps(config or DAILY), encoding="utf-8")


def drop(lake: Lake, when: datetime, service: str = "bandcamp", day: str = "2026-11-01") -> Path:
    path = (
        lake.zone("1_landing") / service / f"{service}_sales_{when.strftime(TIMESTAMP_FORMAT)}.csv"
    )
    path.write_text(f"date,sales\n{day},{when.day}\n", encoding="utf-8")
    return path


def health_of(lake: Lake, service: str = "bandcamp", now: datetime = NOW) -> ServiceHealth:
    return next(h for h in assess_lake(lake, now=now).services if h.service == service)


@pytest.mark.parametrize(
    "age,status,issues,priority",
    [
        (timedelta(hours=30), "[OK]", "", "LOW"),
        (timedelta(days=3, hours=2), "[XX]", "3d STALE", "MEDIUM"),
        (timedelta(days=12, hours=5), "[FAIL]", "12d STALE", "HIGH"),
    ],
)
def test_aged_landing_data_shows_its_whole_days_and_the_status_of_its_window(
    lake: Lake, age: timedelta, status: str, issues: str, priority: str
) -> None:
    make_service(lake)
    drop(lake, NOW - age)
    assert [r.returncode for r in run_cleaners(lake, "bandcamp")] == [0, 0, 0]

    health = health_of(lake)

    assert health.stale_days == age.days
    assert (health.status, health.issues, health.priority) == (status, issues, priority)
    assert health.block_count == 0
    if issues:
        assert health.findings[0].recommendation == "drop a new export into 1_landing/bandcamp/"


def test_without_a_timestamp_in_the_name_the_modification_time_counts(lake: Lake) -> None:
    make_service(lake)
    export = lake.zone("1_landing") / "bandcamp" / "sales export.csv"
    export.write_text("date,sales\n2026-11-01,1\n", encoding="utf-8")
    nine_days_ago = (NOW - timedelta(days=9, hours=1)).timestamp()
    os.utime(export, (nine_days_ago, nine_days_ago))

    health = health_of(lake)

    assert health.stale_days == 9
    assert health.zones[0].state == "fail"


def test_an_unconfigured_service_gets_the_default_window(lake: Lake) -> None:
    make_service(lake, "other")
    drop(lake, NOW - timedelta(days=4), service="other")

    health = health_of(lake, "other")

    assert (health.window.warn_days, health.window.fail_days) == (3, 7)
    assert health.zones[0].state == "warn"


def test_a_landing_file_the_next_step_has_not_seen_is_a_block_and_a_quarantined_one_is_not(
    lake: Lake,
) -> None:
    make_service(lake)
    landing = lake.zone("1_landing") / "bandcamp"
    (landing / "bandcamp_sales_20261119_080000.csv").write_bytes(b"date,sales\n2026-01-01,3\n2026-")
    drop(lake, NOW - timedelta(days=1, hours=2))
    run_cleaners(lake, "bandcamp")
    waiting = drop(lake, NOW - timedelta(hours=3), day="2026-11-19")

    health = health_of(lake)

    assert [(b.zone, b.next_zone, b.files) for b in health.blocks] == [
        ("1_landing", "2_raw", (f"1_landing/bandcamp/{waiting.name}",))
    ]
    assert health.issues == "1 block"
    assert health.status == "[XX]"
    assert health.findings[0].recommendation == "bedrot run --services bandcamp --no-extract"


def test_a_raw_file_staging_has_not_seen_drains_from_raw2staging_onward(lake: Lake) -> None:
    make_service(lake)
    drop(lake, NOW - timedelta(days=1))
    run_cleaners(lake, "bandcamp")
    extra = lake.zone("2_raw") / "bandcamp" / "bandcamp_sales_20261120_090000.csv"
    extra.write_text("date,sales\n2026-11-20,8\n", encoding="utf-8")
    service = load_service(lake.src / "bandcamp")

    blocks = find_blocks(lake, service)

    assert [(b.label, b.files) for b in blocks] == [
        ("2_raw->3_staging", ("2_raw/bandcamp/bandcamp_sales_20261120_090000.csv",))
    ]
    assert [p.name for p in cleaners_to_drain(service, blocks)] == [
        "bandcamp_raw2staging.py",
        "bandcamp_staging2curated.py",
    ]


def test_a_refused_newest_export_is_named_with_its_reason_file(lake: Lake) -> None:
    make_service(lake)
    drop(lake, NOW - timedelta(days=1))
    refused = lake.zone("1_landing") / "bandcamp" / "bandcamp_sales_20261120_080000.csv"
    refused.write_bytes(b"date,sales\n2026-11-20,1\n2026-")
    run_cleaners(lake, "bandcamp")

    health = health_of(lake)

    assert health.block_count == 0
    assert health.issues == "newest 1_landing file quarantined"
    assert health.findings[0].recommendation == (
        f"read 1_landing/_quarantine/bandcamp/{refused.name}.reason.json"
    )
    assert health.status == "[OK]" and health.score == 85


def test_curated_files_outside_the_service_folder_come_from_its_registry(lake: Lake) -> None:
    make_service(lake)
    staged = lake.zone("3_staging") / "bandcamp" / "bandcamp_sales.csv"
    staged.write_text("date\n", encoding="utf-8")
    shared = lake.zone("4_curated") / "tidy_daily_streams.csv"
    shared.write_text("date\n", encoding="utf-8")
    registry = HashRegistry(lake.zone("4_curated") / "bandcamp")
    registry.record(
        "x",
        staged,
        "3_staging/bandcamp/bandcamp_sales.csv",
        "processed",
        ["4_curated/tidy_daily_streams.csv"],
    )
    registry.save()

    assert curated_files(lake, "bandcamp") == [shared]
    assert curated_files(lake, "other") == []


def ledger(lake: Lake, *records: tuple[str, str, str, Outcome, int | None]) -> None:
    """Write run ledger records (correlation id, service, script, outcome, exit code) alone: no
    log file exists, so whatever health finds comes from the ledger."""
    for number, (cid, service, script, outcome, code) in enumerate(records):
        when = datetime(2026, 11, 20, 6, 0, number, tzinfo=timezone.utc)
        append_record(
            lake.logs,
            LedgerRecord(
                when, cid, f"r{number}", service, script, "x", outcome, code, 0.2, "script"
            ),
        )


def test_the_last_run_is_the_newest_correlation_id_in_the_ledger(lake: Lake) -> None:
    ledger(
        lake,
        ("old", "bandcamp", "bandcamp_landing2raw.py", "failed", 1),
        ("new", "bandcamp", "bandcamp_landing2raw.py", "ok", 0),
        ("new", "other", "other_raw2staging.py", "timeout", 124),
        ("new", "bandcamp", "bandcamp_raw2staging.py", "failed", 3),
        ("new", "bandcamp", "bandcamp_staging2curated.py", "up_to_date", None),
        ("new", "other", "other_extractor.py", "skipped_login", None),
    )
    with (lake.logs / RUN_LEDGER).open("a", encoding="utf-8") as stream:
        stream.write('{"cut off by a killed scr')

    runs = last_runs(lake.logs, ["bandcamp", "other", "quiet"])

    assert not (lake.logs / STRUCTURED_LOG).exists()
    assert runs["bandcamp"].correlation_id == "new"
    assert runs["bandcamp"].finished_at == "2026-11-20T06:00:04.000+00:00"
    assert runs["bandcamp"].exit_codes == {
        "bandcamp_landing2raw.py": 0,
        "bandcamp_raw2staging.py": 3,
    }
    assert runs["bandcamp"].failed_scripts == ["bandcamp_raw2staging.py"]
    assert not runs["bandcamp"].skipped_for_login
    assert runs["other"].exit_codes == {"other_raw2staging.py": 124}
    assert runs["other"].skipped_for_login
    assert "quiet" not in runs


def test_health_findings_come_from_ledger_records_alone(lake: Lake) -> None:
    make_service(lake)
    drop(lake, NOW - timedelta(hours=5))
    run_cleaners(lake, "bandcamp")
    for log in lake.logs.iterdir():
        log.unlink()
    ledger(
        lake,
        ("r1", "bandcamp", "bandcamp_raw2staging.py", "failed", 1),
        ("r1", "bandcamp", "bandcamp_extractor.py", "skipped_login", 0),
    )

    health = health_of(lake)

    assert health.last_run is not None and health.last_run.correlation_id == "r1"
    assert health.issues == "last run failed: bandcamp_raw2staging.py, skipped: login expired"
    assert [f.recommendation for f in health.findings] == [
        "python src/bandcamp/cleaners/bandcamp_raw2staging.py",
        "bedrot cookies refresh --service bandcamp",
    ]
    assert (health.status, health.score, health.priority) == ("[FAIL]", 45, "HIGH")
    ledger(lake, ("r2", "bandcamp", "bandcamp_raw2staging.py", "ok", 0))
    assert (health_of(lake).status, health_of(lake).score) == ("[OK]", 100)


def test_login_column_shows_the_cookie_checkers_worst_login(lake: Lake) -> None:
    make_service(lake)
    assert health_of(lake).cookie.describe() == "n/a"
    policy = {"services": {"bandcamp": {"max_age_days": 10, "refresh_interval_days": 5}}}
    (lake.config / "cookie_refresh_config.json").write_text(json.dumps(policy), encoding="utf-8")
    assert health_of(lake).cookie.describe() == "missing"
    saved = lake.src / "bandcamp" / "cookies" / "bandcamp.json"
    saved.write_text('{"cookies": [], "origins": []}', encoding="utf-8")
    nine_days_ago = (NOW - timedelta(days=9, hours=1)).timestamp()
    os.utime(saved, (nine_days_ago, nine_days_ago))

    health = health_of(lake)
    assert health.cookie.describe() == "expiring 9d"
    assert health.issues.endswith("login expiring")


def test_services_are_sorted_worst_first_and_a_broken_one_leads(lake: Lake) -> None:
    for name in ("fresh", "empty", "stale"):
        make_service(lake, name)
    drop(lake, NOW - timedelta(hours=2), service="fresh")
    drop(lake, NOW - timedelta(days=20), service="stale")
    for name in ("fresh", "stale"):
        run_cleaners(lake, name)
    (lake.src / "broken" / "cleaners").mkdir(parents=True)
    (lake.src / "broken" / "cleaners" / "broken_clean.py").write_text("", encoding="utf-8")

    report = assess_lake(lake, now=NOW)

    assert [(h.service, h.status, h.priority) for h in report.services] == [
        ("broken", "[FAIL]", "CRITICAL"),
        ("empty", "[FAIL]", "HIGH"),
        ("stale", "[FAIL]", "HIGH"),
        ("fresh", "[OK]", "LOW"),
    ]
    assert report.services[0].findings[0].recommendation.startswith("fix src/broken/: ")
    assert report.services[1].issues == "no data in 1_landing"
    assert report.exit_code == 1


def test_the_terminal_table_is_drawn_with_rich(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    make_service(lake)
    drop(lake, NOW - timedelta(days=12))
    shown = io.StringIO()

    render_text(assess_lake(lake, now=NOW), shown, terminal=True)

    text = shown.getvalue()
    assert "┃ Service" in text and "[FAIL]" in text
    assert "bandcamp: 12d STALE -> drop a new export into 1_landing/bandcamp/" in text


@pytest.mark.parametrize(
    "document,complaint",
    [
        ("{", "is not valid JSON"),
        ('{"default": {"warn_days": 9, "fail_days": 4}}', "warn_days (9) is after fail_days (4)"),
        ('{"services": {"x": {"warn_days": "two"}}}', "services.x.warn_days must be a number"),
    ],
)
def test_a_bad_health_config_is_refused_with_a_sentence(
    lake: Lake, document: str, complaint: str
) -> None:
    (lake.config / "health.json").write_text(document, encoding="utf-8")

    with pytest.raises(HealthConfigError, match=complaint.replace("(", r"\(").replace(")", r"\)")):
        load_health_config(lake)


def test_the_shipped_config_gives_daily_services_two_and_five_days_and_capitalone_a_month() -> None:
    shipped = load_health_config(Lake(Path(__file__).resolve().parents[2]))

    assert shipped.window_for("distrokid") == shipped.window_for("toolost")
    assert (
        shipped.window_for("distrokid").warn_days,
        shipped.window_for("distrokid").fail_days,
    ) == (
        2,
        5,
    )
    assert shipped.window_for("capitalone").warn_days >= 35
