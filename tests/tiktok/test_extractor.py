"""The TikTok extractor in real headless Chromium against a local fake of TikTok Studio: each
account's 365-day exports reach curated; an account whose login expired is skipped, not retried."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from common.artists import ArtistDirectory
from common.lake import Lake
from common.testing import run_cleaners, run_in_lake
from tests.fakes.lakes import extractor_env, extractor_lake, save_login
from tests.fakes.tiktok import StudioSite, tiktok_site, window_start
from tests.tiktok.tiktok_lake import SERVICE, daily

EXTRACTOR = Path("src/tiktok/extractors/tiktok_analytics_extractor.py")
ACCOUNTS = ("zone.a0", "pig1987")
# pig1987's counts are the samples' times ten, so each account's rows show whose export they are.
SCALES = {"zone.a0": 1, "pig1987": 10}
LANDED = re.compile(r"(Overview|Followers)_(\d{4}-\d{2}-\d{2})_(\d{10})_(zone\.a0|pig1987)\.zip")
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").is_file(), reason="Debian's chromium is not installed"
)


def _lake(root: Path, site: StudioSite) -> Lake:
    return extractor_lake(root, [SERVICE], {SERVICE: site.base_url})


def _landed(lake: Lake) -> list[tuple[str, ...]]:
    """(tab, window start, epoch, account) of each landed file; a name the pattern misses fails."""
    names = sorted(p.name for p in (lake.zone("1_landing") / SERVICE).iterdir())
    matches = [LANDED.fullmatch(name) for name in names]
    assert all(matches), names
    return [m.groups() for m in matches if m]


def test_both_accounts_365_day_exports_reach_curated_under_their_own_names(
    tmp_path: Path,
) -> None:
    site = tiktok_site(SCALES)
    with site.running():
        lake = _lake(tmp_path / "lake", site)
        for account in ACCOUNTS:
            save_login(lake, SERVICE, site.sign_in(account), login=account)
        done = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env())
    assert done.returncode == 0, done.stdout + done.stderr
    landed = _landed(lake)
    assert sorted((tab, account) for tab, _, _, account in landed) == [
        ("Followers", "pig1987"),
        ("Followers", "zone.a0"),
        ("Overview", "pig1987"),
        ("Overview", "zone.a0"),
    ]
    # The 365-day window, as Studio's Overview name gave it; each Followers zip carries its
    # account's Overview dates.
    assert {start for _, start, _, _ in landed} == {window_start(365).isoformat()}
    assert len({(epoch, account) for _, _, epoch, account in landed}) == 2
    assert "WARNING" not in (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")

    artists = ArtistDirectory.load(lake)
    assert all(artists.by_tiktok_account(account) for account in ACCOUNTS)
    assert [run.returncode for run in run_cleaners(lake, SERVICE)] == [0, 0, 0]
    assert not (lake.zone("2_raw") / SERVICE / "_quarantine").exists()
    for account, artist, factor in (("zone.a0", "ZONE A0", 1), ("pig1987", "PIG1987", 10)):
        rows = daily(lake, account)
        assert {row["artist"] for row in rows} == {artist}
        # Overview.csv and FollowerHistory.csv of the samples (followers 'undefined' first).
        assert [(r["date"], r["video_views"], r["followers"]) for r in rows] == [
            ("2024-12-30", str(120 * factor), ""),
            ("2024-12-31", str(98 * factor), str(210 * factor)),
            ("2025-01-01", str(301 * factor), str(211 * factor)),
            ("2025-01-02", "0", str(210 * factor)),
        ]


def test_an_expired_account_is_skipped_with_a_warning_and_never_tried_again(
    tmp_path: Path,
) -> None:
    site = tiktok_site(SCALES)
    with site.running():
        lake = _lake(tmp_path / "lake", site)
        save_login(lake, SERVICE, site.expired_login("zone.a0"), login="zone.a0")
        save_login(lake, SERVICE, site.sign_in("pig1987"), login="pig1987")
        first = run_in_lake(lake, [str(EXTRACTOR), "--automated"], env=extractor_env())
        tried_once = len(site.requests_of("zone.a0"))
        second = run_in_lake(lake, [str(EXTRACTOR)], env=extractor_env(BEDROT_AUTOMATED="1"))
        tried_again = len(site.requests_of("zone.a0")) - tried_once
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert tried_once <= 1 and tried_again == 0
    log = (lake.logs / "pipeline_executor.log").read_text(encoding="utf-8")
    skipped = [line for line in log.splitlines() if "WARNING" in line and "zone.a0" in line]
    assert len(skipped) == 2, log
    assert {(tab, account) for tab, _, _, account in _landed(lake)} == {
        ("Overview", "pig1987"),
        ("Followers", "pig1987"),
    }
