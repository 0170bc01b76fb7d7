"""`python src/tiktok/manage_cookies.py list|import|export|clear`, as a user runs it: each TikTok
account's login is brought in from a browser's cookie export, copied out, cleared, privately and
without ever showing a cookie's value."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from common.lake import Lake
from common.sessions.history import read_history
from common.testing import lake_with_services, run_in_lake
from tests.fakes.lakes import CHECKOUT, extractor_env, extractor_lake
from tests.fakes.tiktok import tiktok_site

SCRIPT = CHECKOUT.src / "tiktok" / "manage_cookies.py"
EXTRACTOR = Path("src/tiktok/extractors/tiktok_analytics_extractor.py")
SECRET = "sessionid-value-never-shown-0123456789"
A_YEAR = 365 * 86400


def extension_export(value: str = SECRET, domain: str = ".tiktok.com") -> list[dict[str, Any]]:
    """What a cookie-export browser extension writes (EditThisCookie, Cookie-Editor)."""
    return [
        {
            "domain": domain,
            "expirationDate": time.time() + A_YEAR,
            "hostOnly": False,
            "httpOnly": True,
            "name": "sessionid",
            "path": "/",
            "sameSite": "no_restriction",
            "secure": True,
            "session": False,
            "storeId": "0",
            "value": value,
        },
        {"domain": domain, "name": "tt_lang", "value": "en", "session": True, "path": "/"},
    ]


def manage(lake: Lake, *args: str) -> Any:
    return run_in_lake(lake, [str(SCRIPT), *args])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def tiktok_lake(tmp_path: Path) -> Lake:
    return lake_with_services(tmp_path / "lake", CHECKOUT, ["tiktok"])


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def all_output(lake: Lake, *runs: Any) -> str:
    logs = "".join(p.read_text(encoding="utf-8") for p in lake.logs.glob("*") if p.is_file())
    return logs + "".join(run.stdout + run.stderr for run in runs)


def test_list_shows_each_configured_account_and_exits_1_while_one_is_missing(
    tiktok_lake: Lake, tmp_path: Path
) -> None:
    listed = manage(tiktok_lake, "list")
    assert listed.returncode == 1
    rows = [line.split() for line in listed.stdout.splitlines()[2:]]
    assert [(row[1], row[2]) for row in rows] == [("zone.a0", "MISSING"), ("pig1987", "MISSING")]

    export = write_json(tmp_path / "cookies.json", extension_export())
    for account in ("zone.a0", "pig1987"):
        assert manage(tiktok_lake, "import", "--account", account, str(export)).returncode == 0
    both = manage(tiktok_lake, "list")
    assert both.returncode == 0, both.stdout + both.stderr
    assert [line.split()[2] for line in both.stdout.splitlines()[2:]] == ["OK", "OK"]


def test_import_of_an_extension_export_saves_a_private_storage_state_after_a_backup(
    tiktok_lake: Lake, tmp_path: Path
) -> None:
    first = write_json(tmp_path / "first.json", extension_export("first-" + SECRET))
    second = write_json(tmp_path / "second.json", extension_export())
    runs = [
        manage(tiktok_lake, "import", "--account", "zone.a0", str(first)),
        manage(tiktok_lake, "import", "--account", "zone.a0", str(second)),
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    saved = tiktok_lake.src / "tiktok" / "cookies" / "zone.a0.json"
    assert mode(saved) == 0o600
    state = json.loads(saved.read_text(encoding="utf-8"))
    session = {c["name"]: c for c in state["cookies"]}["sessionid"]
    assert session["value"] == SECRET and session["sameSite"] == "None"
    assert session["expires"] > time.time() + A_YEAR - 3600
    assert {c["name"]: c for c in state["cookies"]}["tt_lang"]["expires"] == -1
    backups = list((saved.parent / "backups").glob("zone.a0_*.json"))
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    assert "first-" + SECRET in backups[0].read_text(encoding="utf-8")
    assert not (saved.parent / "pig1987.json").exists()
    assert SECRET not in all_output(tiktok_lake, *runs)
    actions = [(e.login, e.action) for e in read_history(tiktok_lake)]
    assert actions == [("zone.a0", "import"), ("zone.a0", "import")]


def test_import_accepts_a_playwright_storage_state_and_refuses_what_is_not_a_login(
    tiktok_lake: Lake, tmp_path: Path
) -> None:
    site_state = tiktok_site({"pig1987": 1}).storage_state("state-" + SECRET)
    good = write_json(tmp_path / "state.json", site_state)
    assert manage(tiktok_lake, "import", "--account", "pig1987", str(good)).returncode == 0
    saved = tiktok_lake.src / "tiktok" / "cookies" / "pig1987.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["cookies"] == site_state["cookies"]

    before = saved.read_bytes()
    not_json = tmp_path / "notes.txt"
    not_json.write_text("sessionid=" + SECRET, encoding="utf-8")
    no_domain = write_json(tmp_path / "nodomain.json", [{"name": "sessionid", "value": SECRET}])
    runs = [
        manage(tiktok_lake, "import", "--account", "pig1987", str(not_json)),
        manage(tiktok_lake, "import", "--account", "pig1987", str(no_domain)),
        manage(tiktok_lake, "import", "--account", "pig1987", str(write_json(tmp_path / "e", []))),
    ]
    assert [run.returncode for run in runs] == [1, 1, 1]
    assert "notes.txt is not JSON" in runs[0].stderr
    assert "has no domain" in runs[1].stderr and "holds no cookie" in runs[2].stderr
    assert saved.read_bytes() == before
    assert SECRET not in all_output(tiktok_lake, *runs)

    unknown = manage(tiktok_lake, "import", "--account", "someone", str(good))
    assert unknown.returncode == 2
    assert "zone.a0, pig1987" in unknown.stderr


def test_export_writes_a_private_copy_and_clear_backs_up_before_removing(
    tiktok_lake: Lake, tmp_path: Path
) -> None:
    missing = manage(tiktok_lake, "export", "--account", "zone.a0", str(tmp_path / "x.json"))
    assert missing.returncode == 1 and "no saved login" in missing.stderr
    assert not (tmp_path / "x.json").exists()

    source = write_json(tmp_path / "cookies.json", extension_export())
    assert manage(tiktok_lake, "import", "--account", "zone.a0", str(source)).returncode == 0
    target = tmp_path / "out" / "zone.a0-login.json"
    exported = manage(tiktok_lake, "export", "--account", "zone.a0", str(target))
    assert exported.returncode == 0, exported.stderr
    assert mode(target) == 0o600
    saved = tiktok_lake.src / "tiktok" / "cookies" / "zone.a0.json"
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        saved.read_text(encoding="utf-8")
    )
    again = manage(tiktok_lake, "export", "--account", "zone.a0", str(target))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (
        manage(tiktok_lake, "export", "--account", "zone.a0", str(target), "--force").returncode
        == 0
    )

    cleared = manage(tiktok_lake, "clear", "--account", "zone.a0")
    assert cleared.returncode == 0 and "cleared" in cleared.stdout
    assert not saved.exists()
    backups = list((saved.parent / "backups").glob("zone.a0_*.json"))
    assert len(backups) == 1 and SECRET in backups[0].read_text(encoding="utf-8")
    listed = manage(tiktok_lake, "list")
    assert listed.stdout.splitlines()[2].split()[1:3] == ["zone.a0", "MISSING"]
    assert SECRET not in all_output(tiktok_lake, missing, exported, again, cleared, listed)


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)
def test_an_imported_browser_export_is_the_login_the_extractor_uses(tmp_path: Path) -> None:
    site = tiktok_site({"zone.a0": 1})
    with site.running():
        lake = extractor_lake(tmp_path / "lake", ["tiktok"], {"tiktok": site.base_url})
        cookie = site.sign_in("zone.a0")["cookies"][0]
        export = extension_export(cookie["value"], domain=cookie["domain"])
        source = write_json(tmp_path / "from-my-browser.json", export)
        assert manage(lake, "import", "--account", "zone.a0", str(source)).returncode == 0
        done = run_in_lake(lake, [str(EXTRACTOR), "--automated"], env=extractor_env())
    assert done.returncode == 0, done.stdout + done.stderr
    landed = sorted(p.name for p in (lake.zone("1_landing") / "tiktok").iterdir())
    assert [name.split("_")[0] for name in landed] == ["Followers", "Overview"]
    assert all(name.endswith("_zone.a0.zip") for name in landed)
