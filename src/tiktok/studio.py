"""TikTok Studio's analytics page: the date range, the Download dialog, and the names the
exports are landed under (tab, window start, export epoch, account: see tiktok.names).

URL names and selectors refer to config/extractors/tiktok.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import PurePath

from common.extract.errors import ExtractionFailed
from common.extract.pages import SitePage

# Each tab's URL name in the config, and the tab name its landed zip starts with (tiktok.names).
OVERVIEW_URL, OVERVIEW_TAB = "overview", "Overview"
FOLLOWERS_URL, FOLLOWERS_TAB = "followers", "Followers"
DEFAULT_RANGE_LABEL = "Last 365 days"
DEFAULT_RANGE_DAYS = 365
# A window a day or two off the asked length is Studio counting today or not, not a wrong range.
RANGE_SLACK_DAYS = 2
_WINDOW_START = re.compile(r"(?:^|_)(\d{4}-\d{2}-\d{2})(?=_|$)")
_EPOCH = re.compile(r"(?:^|_)(\d{13}|\d{10})(?=_|$)")


@dataclass(frozen=True)
class ExportDates:
    """What an export's name must carry for the cleaners to date its year-less rows."""

    window_start: date | None
    epoch: str

    @property
    def export_day(self) -> date:
        seconds = int(self.epoch) / (1000 if len(self.epoch) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=timezone.utc).date()

    def window_days(self) -> int | None:
        """Days from the window's first day to the export day, both counted."""
        if self.window_start is None:
            return None
        return (self.export_day - self.window_start).days + 1


def pick_range(site: SitePage) -> None:
    """Choose the configured range and wait until the picker shows it (the page reloads data)."""
    label = str(site.ctx.config.setting("range_label", DEFAULT_RANGE_LABEL))
    site.click("range_button")
    site.click("range_option")
    site.wait_until(
        lambda: label in site.find("range_button").inner_text(), f"range_button showing {label!r}"
    )


def download_tab(site: SitePage, url_name: str) -> tuple[str, bytes]:
    """Open one analytics tab, pick the range and download its CSV export (a zip)."""
    site.goto(url_name)
    pick_range(site)
    site.click("download_data")
    site.click("format_csv")
    suggested, content = site.download("download_confirm")
    if PurePath(suggested).suffix.lower() != ".zip":
        raise ExtractionFailed(
            f"the {url_name} tab's download is {suggested!r}, not a zip of CSVs: check that "
            "format_csv in config/extractors/tiktok.json still picks CSV."
        )
    return suggested, content


def export_dates(suggested_name: str, fallback_epoch: int) -> ExportDates:
    """The window start and export epoch from Studio's `Overview_<start>_<epoch>.zip`; our own
    clock stands in for a missing epoch (a window start is never guessed)."""
    stem = PurePath(suggested_name).stem
    start = _WINDOW_START.search(stem)
    epoch = _EPOCH.search(stem)
    try:
        window_start = date.fromisoformat(start[1]) if start else None
    except ValueError:
        window_start = None
    return ExportDates(window_start, epoch[1] if epoch else str(fallback_epoch))


def range_mismatch(dates: ExportDates, wanted_days: int) -> str | None:
    """Why the export does not cover the asked range, or None when it does (or cannot tell)."""
    days = dates.window_days()
    if days is None or abs(days - wanted_days) <= RANGE_SLACK_DAYS:
        return None
    return (
        f"the export covers {days} days from {dates.window_start}, not {wanted_days}: the range "
        "picker may have changed (range_option in config/extractors/tiktok.json)"
    )


def landing_name(tab: str, dates: ExportDates, account: str) -> str:
    """`<Tab>_<window start>_<epoch>_<account>.zip`, a name tiktok.names accepts."""
    parts = [tab, *([dates.window_start.isoformat()] if dates.window_start else []), dates.epoch]
    return "_".join([*parts, account]) + ".zip"
