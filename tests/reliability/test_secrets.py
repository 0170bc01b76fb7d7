"""Planted secrets (an API token and a password in .env, a cookie value in a saved session) never
reach anything the product writes or serves: logs, the run ledger, curated files, the report,
the statements, the dashboard's pages and API answers.

The demo lake after a whole run is copied, the secrets are planted, and the pipeline runs again
with --force so every cleaner, the ETL and step 6 run with them loaded.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from common.dashboard.app import create_app
from common.dashboard.settings import users_path
from common.dashboard.users import UserStore
from common.lake import Lake
from common.money.statement_command import latest_complete_quarter, make_statements
from common.quarantine import RejectedFile, quarantine_file
from common.spreadsheet import as_text
from tests.conftest import bedrot_in
from tests.dashboard.app_support import OWNER, PASSWORD, post_login

TOKEN = "EAAGplantedMetaToken7f3c9a1b"
DK_PASSWORD = "planted-dk-password-41b7e2"
COOKIE_VALUE = "planted-tiktok-cookie-93e1d0c4"
SECRETS = (TOKEN, DK_PASSWORD, COOKIE_VALUE)
# Where the secrets are planted: the only files allowed to hold them.
PLANTED = (".env", "src/tiktok/cookies/tiktok.json")


def _plant(lake: Lake) -> None:
    (lake.root / ".env").write_text(
        f"META_ACCESS_TOKEN={TOKEN}\nDISTROKID_PASSWORD={DK_PASSWORD}\n", encoding="utf-8"
    )
    session = lake.root / PLANTED[1]
    session.parent.mkdir(parents=True, exist_ok=True)
    cookie = {
        "name": "sessionid",
        "value": COOKIE_VALUE,
        "domain": ".tiktok.com",
        "path": "/",
        "expires": 4102444800,
        "httpOnly": True,
        "secure": True,
        "sameSite": "Lax",
    }
    session.write_text(json.dumps({"cookies": [cookie], "origins": []}), encoding="utf-8")


def _leaks(root: Path) -> list[str]:
    """Every file under `root` (the planted ones and the warehouse's binary pages aside) that
    holds a secret."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or relative in PLANTED:
            continue
        content = path.read_bytes()
        found += [f"{relative}: {s}" for s in SECRETS if s.encode() in content]
    return found


@pytest.fixture(scope="module")
def planted_lake(demo_run_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("secrets") / "lake")
    shutil.copytree(demo_run_template, lake.root)
    _plant(lake)
    result = bedrot_in(lake, "run", "--automated", "--no-extract", "--force")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr
    period = latest_complete_quarter(lake, date(2026, 6, 1))
    assert period is not None
    make_statements(lake, period, issue=False, today=date(2026, 6, 1))
    return lake


def test_no_planted_secret_in_logs_ledger_curated_report_or_statements(
    planted_lake: Lake,
) -> None:
    assert (planted_lake.logs / "run_ledger.jsonl").is_file()
    assert list(planted_lake.zone("4_curated").rglob("*.html")), "the run made no report"
    assert _leaks(planted_lake.root) == []


def test_no_planted_secret_in_dashboard_pages_or_api_answers(
    planted_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    UserStore(users_path(planted_lake)).add(OWNER, PASSWORD)
    # A route that fails answers 500 here instead of raising: a failure is not a leak, and
    # every other route is still asked.
    client = TestClient(create_app(planted_lake), raise_server_exceptions=False)
    assert post_login(client) == 303
    schema = client.get("/openapi.json")
    api = [p for p in schema.json()["paths"] if p.startswith("/api") and "{" not in p]
    pages = ["/", "/streams", "/revenue", "/marketing", "/social", "/expenses", "/pipeline"]
    pages += ["/logins", "/api/pages/streams", "/api/revenue/by/store"]
    answered = 0
    for path in [*pages, *api]:
        response = client.get(path)
        if response.status_code == 200:
            answered += 1
        for secret in SECRETS:
            assert secret not in response.text, path
    assert answered >= len(pages)


def test_outside_text_in_a_quarantine_failures_table_never_runs_as_a_formula(
    tmp_path: Path,
) -> None:
    """The failures table next to a quarantined file is opened in a spreadsheet by people:
    a value from the export that starts like a formula is written as text."""
    from common.lake import init_lake

    lake = init_lake(tmp_path / "lake")
    landed = lake.zone("1_landing") / "spotify" / "songs.csv"
    landed.parent.mkdir(parents=True, exist_ok=True)
    landed.write_text("song,streams\n", encoding="utf-8")
    failures = [
        {"column": "song", "check": "a title", "value": '=HYPERLINK("http://x","y")', "row": 2},
        {"column": "streams", "check": "a count", "value": "-5", "row": 3},
        {"column": "streams", "check": "a count", "value": "lots", "row": 4},
    ]
    error = RejectedFile("songs.csv fails 3 check(s).", rule="schema", details=failures)
    made = quarantine_file(lake, "1_landing", "spotify", landed, error, "landing2raw")
    table = made.copy.with_name(made.copy.name + ".failures.csv").read_text(encoding="utf-8")
    assert '\'=HYPERLINK(""http://x"",""y"")' in table
    assert "'-5" in table and ",lots," in table
    reason = json.loads(made.reason_file.read_text(encoding="utf-8"))
    assert reason["details"][0]["value"] == '=HYPERLINK("http://x","y")'  # kept exactly


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("NIGHT SHIFT", "NIGHT SHIFT"),
        ("", ""),
    ],
)
def test_the_shared_helper_neutralizes_formula_starts(text: str, shown: str) -> None:
    assert as_text(text) == shown
