"""After a hand login, a full automated run over four services (one login refused), the status,
history and scheduler: no token, cookie value or password is in any log file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from common.lake import Lake
from tests.conftest import BEDROT, bedrot_env
from tests.fakes.distrokid import distrokid_site
from tests.fakes.lakes import extractor_env, extractor_lake, save_login
from tests.fakes.linktree import linktree_site
from tests.fakes.metaads import ACCOUNT_ID, VALID_TOKEN, FakeGraphApi
from tests.fakes.site import PASSWORD
from tests.fakes.toolost import toolost_site
from tests.fakes.user import UserAtKeyboard, free_port

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)
SERVICES = ["distrokid", "toolost", "linktree", "metaads"]


def bedrot(lake: Lake, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    extra = extractor_env(META_ACCESS_TOKEN=VALID_TOKEN, META_AD_ACCOUNT_ID=ACCOUNT_ID, **env)
    return subprocess.run(
        [str(BEDROT), *args],
        env=bedrot_env(lake.root, extra),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def text_files(folder: Path) -> dict[Path, str]:
    return {
        path: path.read_bytes().decode("utf-8", errors="ignore")
        for path in folder.rglob("*")
        if path.is_file() and path.suffix != ".png"
    }


def test_no_secret_reaches_any_log(tmp_path: Path) -> None:
    dk, tl, lt, meta = distrokid_site(), toolost_site(), linktree_site(), FakeGraphApi()
    with dk.running(), tl.running(), lt.running(), meta.running():
        urls = dict(zip(SERVICES, (dk.base_url, tl.base_url, lt.base_url, meta.base_url)))
        lake = extractor_lake(tmp_path / "lake", SERVICES, urls)
        jwt = tl.jwt()
        save_login(lake, "toolost", tl.jwt_state(jwt))
        refused = "fake-session-the-site-revoked-0001"
        save_login(lake, "linktree", lt.storage_state(token=refused))

        port = free_port()
        user = UserAtKeyboard(port, "/signin/")
        user.start()
        login = bedrot(
            lake,
            "cookies",
            "refresh",
            "--service",
            "distrokid",
            BEDROT_BROWSER_DEBUG_PORT=str(port),
        )
        user.join(30)
        assert login.returncode == 0, login.stdout + login.stderr

        run = bedrot(lake, "run", "--automated", "--no-warehouse")
        assert run.returncode == 0, run.stdout + run.stderr
        for args in (("cookies", "status"), ("cookies", "history"), ("cookies", "schedule")):
            bedrot(lake, *args)

    landed = {p.name.split("_2")[0] for p in (lake.zone("1_landing")).rglob("*.*")}
    assert {"distrokid_streams", "toolost_spotify_analytics", "metaads_insights"} <= landed
    assert "linktree: skipped linktree: its saved session is missing or expired" in run.stdout
    assert "1 service(s) skipped for authentication; exit 0" in run.stdout
    secrets = [jwt, refused, VALID_TOKEN, PASSWORD, *dk.valid_sessions, *tl.valid_sessions]
    logs = text_files(lake.logs)
    assert any(p.name.startswith("pipeline_2") for p in logs)
    marks = {p: p.read_text(encoding="utf-8") for p in lake.src.rglob("*.expired")}
    assert marks, "the refused Linktree login is marked"
    for path, text in {**logs, **marks, **text_files(lake.zone("1_landing") / "metaads")}.items():
        for secret in secrets:
            assert secret not in text, f"a secret is in {path.relative_to(lake.root)}"
