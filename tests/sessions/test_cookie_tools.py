"""`bedrot cookies ...` and the cookie_refresh scripts, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from common.lake import Lake
from common.sessions.store import PRIVATE
from common.testing import run_in_lake
from tests.conftest import RunBedrot

SCRIPTS = Path(__file__).resolve().parents[2] / "src" / "common" / "cookie_refresh"
STATE = {
    "cookies": [
        {"name": "sid", "value": "secret-cookie-value-1", "domain": "x", "path": "/", "expires": -1}
    ],
    "origins": [],
}


def save(lake: Lake, service: str, state: dict[str, object], login: str | None = None) -> Path:
    path = lake.src / service / "cookies" / f"{login or service}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state), encoding="utf-8")
    return path


def backups(lake: Lake, service: str) -> list[Path]:
    folder = lake.src / service / "cookies" / "backups"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_status_lists_every_login_by_priority_and_exits_1_when_one_is_unusable(
    lake: Lake, bedrot: RunBedrot
) -> None:
    for service in ("distrokid", "toolost", "tiktok"):
        (lake.src / service).mkdir(parents=True)
    save(lake, "distrokid", STATE)
    done = bedrot("cookies", "status", "--json")
    assert done.returncode == 1
    rows = [(r["service"], r["login"], r["state"]) for r in json.loads(done.stdout)]
    assert rows[0] == ("toolost", "toolost", "MISSING")
    assert ("distrokid", "distrokid", "OK") in rows
    assert ("tiktok", "zone.a0", "MISSING") in rows and ("tiktok", "pig1987", "MISSING") in rows

    only_ok = bedrot("cookies", "status", "--service", "distrokid")
    assert only_ok.returncode == 0
    assert "distrokid" in only_ok.stdout and "OK" in only_ok.stdout
    script = run_in_lake(lake, [str(SCRIPTS / "check_status.py"), "--service", "distrokid"])
    assert (script.returncode, script.stdout) == (0, only_ok.stdout)


def test_clear_backs_up_first_then_restore_puts_the_latest_back(
    lake: Lake, bedrot: RunBedrot
) -> None:
    session = save(lake, "linktree", STATE)
    cleared = run_in_lake(lake, [str(SCRIPTS / "clear_cookies.py"), "--service", "linktree"])
    assert cleared.returncode == 0, cleared.stderr
    assert not session.exists()
    made = backups(lake, "linktree")
    assert len(made) == 1 and json.loads(made[0].read_text(encoding="utf-8")) == STATE
    assert made[0].stat().st_mode & 0o777 == PRIVATE

    restored = run_in_lake(
        lake, [str(SCRIPTS / "restore_backup.py"), "--service", "linktree", "--latest"]
    )
    assert restored.returncode == 0, restored.stderr
    assert json.loads(session.read_text(encoding="utf-8")) == STATE
    assert session.stat().st_mode & 0o777 == PRIVATE

    history = run_in_lake(
        lake, [str(SCRIPTS / "view_history.py"), "--service", "all", "--days", "7"]
    )
    actions = [line.split()[4] for line in history.stdout.splitlines()[2:]]
    assert actions == ["clear", "restore"]
    assert "secret-cookie-value-1" not in history.stdout


def test_restore_without_a_backup_fails_with_a_sentence(bedrot: RunBedrot) -> None:
    done = bedrot("cookies", "restore", "--service", "spotify")
    assert done.returncode == 1
    assert "no backup to restore" in done.stderr


def test_backup_keeps_only_the_newest_ones(lake: Lake, bedrot: RunBedrot) -> None:
    (lake.config / "cookie_refresh_config.json").write_text(
        json.dumps({"keep_backups": 2}), encoding="utf-8"
    )
    save(lake, "spotify", STATE)
    for _ in range(3):
        assert bedrot("cookies", "backup", "--service", "spotify").returncode == 0
    assert len(backups(lake, "spotify")) == 2


def test_refresh_dry_run_changes_nothing_and_an_ok_login_needs_force(
    lake: Lake, bedrot: RunBedrot
) -> None:
    session = save(lake, "distrokid", STATE)
    before = session.read_bytes()
    ok = run_in_lake(lake, [str(SCRIPTS / "manual_refresh.py"), "--service", "distrokid"])
    assert ok.returncode == 0 and "nothing to do" in ok.stdout
    every = bedrot("cookies", "refresh", "--all", "--force", "--dry-run")
    assert every.returncode == 0
    assert "distrokid: OK; would back up and open the login window." in every.stdout
    assert "META_ACCESS_TOKEN" in every.stdout
    assert session.read_bytes() == before and not backups(lake, "distrokid")
    nameless = bedrot("cookies", "refresh")
    assert nameless.returncode == 2 and "--service" in nameless.stderr


def test_unknown_service_is_named(bedrot: RunBedrot) -> None:
    done = bedrot("cookies", "status", "--service", "myspace")
    assert done.returncode == 2 and "myspace" in done.stderr


def test_run_with_auth_check_check_only(lake: Lake) -> None:
    (lake.src / "distrokid").mkdir(parents=True)
    save(lake, "distrokid", STATE)
    script = Path(__file__).resolve().parents[2] / "src" / "common" / "run_with_auth_check.py"
    ok = run_in_lake(lake, [str(script), "--check-only", "distrokid"])
    assert ok.returncode == 0 and "OK" in ok.stdout
    missing = run_in_lake(lake, [str(script), "--check-only", "distrokid", "toolost"])
    assert missing.returncode == 1 and "MISSING" in missing.stdout
    # Capital One is dropped by hand: no login to check, never an error.
    (lake.config / "services.json").write_text('{"builtin": ["capitalone"]}', encoding="utf-8")
    loginless = run_in_lake(lake, [str(script), "--check-only", "capitalone", "distrokid"])
    assert loginless.returncode == 0, loginless.stdout + loginless.stderr
    assert "capitalone needs no login" in loginless.stdout and "OK" in loginless.stdout
    alone = run_in_lake(lake, [str(script), "--check-only", "capitalone"])
    assert alone.returncode == 0 and "capitalone needs no login" in alone.stdout
    typo = run_in_lake(lake, [str(script), "--check-only", "distrokd"])
    assert typo.returncode == 2 and "No login policy for distrokd" in typo.stdout + typo.stderr
