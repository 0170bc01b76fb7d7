"""Every extractor takes `--help` and `--debug` (DEBUG lines, a visible browser, a screenshot of
every page it visits), read once in common/extract/runtime.py for all of them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from common.browser import launch_options
from common.lake import Lake
from common.logs import extractor_log_name
from common.testing import run_in_lake
from tests.fakes.distrokid import distrokid_site
from tests.fakes.lakes import CHECKOUT, extractor_env, extractor_lake, save_login

# The names the label's scripts and habits know them by.
EXTRACTORS = {
    "distrokid": "dk_auth.py",
    "instagram": "instagram_insights_extractor.py",
    "linktree": "linktree_analytics_extractor.py",
    "mailchimp": "mailchimp_reports_extractor.py",
    "metaads": "meta_daily_campaigns_extractor.py",
    "spotify": "spotify_audience_extractor.py",
    "tiktok": "tiktok_analytics_extractor.py",
    "toolost": "toolost_scraper.py",
    "youtube": "youtube_analytics_extractor.py",
}
DK_EXTRACTOR = Path("src/distrokid/extractors/dk_auth.py")
DK_PAGES = ("streams", "applemusic", "bank_details")
chromium = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


def test_each_service_has_its_extractor_under_its_known_name_and_no_other() -> None:
    found = {
        path.parent.parent.name: path.name
        for path in CHECKOUT.src.glob("*/extractors/*.py")
        if not path.name.startswith("_")
    }
    assert found == EXTRACTORS
    assert len(list(CHECKOUT.src.glob("*/extractors/*.py"))) == len(EXTRACTORS)


@pytest.mark.parametrize("service", sorted(EXTRACTORS))
def test_help_describes_the_extractor_and_its_options_without_a_lake(
    service: str, tmp_path: Path
) -> None:
    script = CHECKOUT.src / service / "extractors" / EXTRACTORS[service]
    not_a_lake = tmp_path / "nowhere"
    not_a_lake.mkdir()
    done = run_in_lake(Lake(not_a_lake), [str(script), "--help"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: {EXTRACTORS[service]} [-h] [--automated] [--debug]")
    assert "--debug" in done.stdout and "screenshot" in done.stdout
    # The extractor's own docstring says what it fetches.
    assert (script.read_text(encoding="utf-8").split('"""')[1].split(":")[0]) in done.stdout
    assert not (not_a_lake / "logs").exists()


def test_debug_asks_for_a_visible_window_that_only_the_headless_setting_can_refuse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BEDROT_BROWSER_HEADLESS", raising=False)
    monkeypatch.setenv("BEDROT_BROWSER_DEBUG_PORT", "9333")
    watched = launch_options(visible=True, remote_debugging=False)
    assert watched["headless"] is False
    # The login window's debugging port is not taken by a --debug extraction's browser.
    assert not any("remote-debugging" in arg for arg in watched["args"])
    assert launch_options(visible=False)["headless"] is True
    monkeypatch.setenv("BEDROT_BROWSER_HEADLESS", "1")
    assert launch_options(visible=True, remote_debugging=False)["headless"] is True


@chromium
def test_debug_run_logs_debug_lines_and_keeps_a_screenshot_of_every_page(tmp_path: Path) -> None:
    with distrokid_site().running() as site:
        lake = extractor_lake(tmp_path / "lake", ["distrokid"], {"distrokid": site.base_url})
        save_login(lake, "distrokid", site.storage_state())
        plain = run_in_lake(lake, [str(DK_EXTRACTOR)], env=extractor_env())
        day_log = lake.logs / extractor_log_name(datetime.now())
        after_plain = day_log.read_text(encoding="utf-8")
        shots_after_plain = list((lake.logs / "screenshots").glob("*.png"))
        debug = run_in_lake(lake, [str(DK_EXTRACTOR), "--debug"], env=extractor_env())
    assert (plain.returncode, debug.returncode) == (0, 0), debug.stdout + debug.stderr
    assert " DEBUG " not in after_plain and shots_after_plain == []

    debug_lines = [
        line for line in day_log.read_text(encoding="utf-8").splitlines() if " DEBUG " in line
    ]
    assert any("opened streams" in line for line in debug_lines), debug_lines
    assert any("downloaded" in line for line in debug_lines)
    # It asked for a window; the tests' BEDROT_BROWSER_HEADLESS=1 is what kept it hidden.
    assert any("a visible window was asked for" in line for line in debug_lines)
    for page in DK_PAGES:
        shots = list((lake.logs / "screenshots").glob(f"distrokid_{page}_*.png"))
        assert len(shots) == 1, page
        assert shots[0].stat().st_size > 1000
        assert any(shots[0].name in line for line in debug_lines)
    # Both runs landed the same three files: --debug watches, it changes nothing.
    assert len(list((lake.zone("1_landing") / "distrokid").iterdir())) == 6
    structured = (lake.logs / "pipeline_executor_structured.jsonl").read_text(encoding="utf-8")
    assert '"level": "DEBUG"' not in structured
