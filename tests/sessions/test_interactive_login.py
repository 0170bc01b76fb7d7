"""The semi-manual login in real Chromium: the run opens the login page, the test types as the
user would (password and 2FA), the session is saved and the next run reuses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.sessions.store import PRIVATE
from common.testing import run_in_lake
from tests.conftest import bedrot_env
from tests.fakes.distrokid import distrokid_site
from tests.fakes.lakes import extractor_env, extractor_lake
from tests.fakes.user import UserAtKeyboard, free_port

EXTRACTOR = Path("src/distrokid/extractors/dk_auth.py")
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


def short_login_wait(lake_config: Path, seconds: float) -> None:
    path = lake_config / "cookie_refresh_config.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["login_timeout_seconds"] = seconds
    path.write_text(json.dumps(document), encoding="utf-8")


def test_interactive_login_saves_the_session_and_the_next_run_reuses_it(tmp_path: Path) -> None:
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        short_login_wait(lake.config, 60)
        port = free_port()
        user = UserAtKeyboard(port, "/signin/")
        user.start()
        first = run_in_lake(
            lake, [str(EXTRACTOR)], env=extractor_env(BEDROT_BROWSER_DEBUG_PORT=str(port))
        )
        user.join(30)
        assert first.returncode == 0, first.stdout + first.stderr
        session = lake.src / "distrokid" / "cookies" / "distrokid.json"
        assert session.stat().st_mode & 0o777 == PRIVATE
        saved = json.loads(session.read_text(encoding="utf-8"))
        assert [c["value"] for c in saved["cookies"] if c["name"] == "dk_session"] == [
            token for token in site.valid_sessions
        ]
        assert len(list((lake.zone("1_landing") / "distrokid").iterdir())) == 3

        logins_before = sum(r.path == "/signin/" for r in site.requests)
        short_login_wait(lake.config, 1)
        second = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
        assert second.returncode == 0, second.stdout + second.stderr
        assert sum(r.path == "/signin/" for r in site.requests) == logins_before
        assert len(list((lake.zone("1_landing") / "distrokid").iterdir())) == 6
    history = (lake.logs / "cookie_refresh_history.jsonl").read_text(encoding="utf-8")
    assert '"action": "login"' in history


def test_nobody_logging_in_skips_the_service_after_the_bounded_wait(tmp_path: Path) -> None:
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        short_login_wait(lake.config, 2)
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    assert done.returncode == 0
    log = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    assert "nobody logged in within 2 s" in log
    assert not list((lake.zone("1_landing") / "distrokid").iterdir())


def test_bedrot_cookies_refresh_opens_the_login_and_saves_it(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import BEDROT

    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        port = free_port()
        user = UserAtKeyboard(port, "/signin/")
        user.start()
        env = bedrot_env(lake.root, extractor_env(BEDROT_BROWSER_DEBUG_PORT=str(port)))
        done = subprocess.run(
            [str(BEDROT), "cookies", "refresh", "--service", "distrokid"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        user.join(30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "distrokid: logged in; the new session is saved." in done.stdout
    status = run_in_lake(lake, ["-m", "common.cli", "cookies", "status", "--service", "distrokid"])
    assert status.returncode == 0 and " OK " in status.stdout
