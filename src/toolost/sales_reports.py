"""TooLost's monthly sales reports: found in the portal's notifications, each month landed once."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from common.extractor_config import ExtractorConfig, ExtractorConfigError
from common.zones import LANDING, landing_file_name, service_zone

if TYPE_CHECKING:

    from common.extract.pages import SitePage
    from common.extract.runtime import ExtractorContext

SERVICE = "toolost"
DATASET = "sales_report"
NOTICE_SETTING = "sales_report_notice"
# The report's format is unknown, so a download without an extension is kept as bytes, unnamed.
FALLBACK_EXTENSION = "bin"
_LANDED = re.compile(rf"^{SERVICE}_{DATASET}_([0-9]{{4}}-[0-9]{{2}})_")


def notice_pattern(config: ExtractorConfig) -> re.Pattern[str]:
    """The configured wording of a "sales report generated" notice, with month and year groups."""
    text = config.setting(NOTICE_SETTING)
    try:
        pattern = re.compile(text) if isinstance(text, str) else None
    except re.error:
        pattern = None
    if pattern is None or not {"month", "year"} <= set(pattern.groupindex):
        raise ExtractorConfigError(
            f"{config.file}: settings.{NOTICE_SETTING} must be a regular expression with the "
            "groups (?P<month>..) and (?P<year>..)."
        )
    return pattern


def report_month(notice: str, pattern: re.Pattern[str]) -> str | None:
    """'2025-01' for "Your (01-2025) Sales report has been generated"; None for other notices."""
    found = pattern.search(notice)
    if found is None or not 1 <= int(found["month"]) <= 12:
        return None
    return f"{found['year']}-{found['month']}"


def landed_months(folder: Path) -> set[str]:
    """The months whose report an earlier run already landed in 1_landing/toolost/."""
    if not folder.is_dir():
        return set()
    return {found[1] for path in folder.iterdir() if (found := _LANDED.match(path.name))}


def report_name(month: str, suggested: str, when: datetime) -> str:
    """`toolost_sales_report_<YYYY-MM>_<ts>.<ext>`; the month keeps its hyphen, which
    `landed_months` reads back."""
    extension = Path(suggested).suffix.lstrip(".").lower() or FALLBACK_EXTENSION
    return landing_file_name(SERVICE, f"{DATASET}_{month}", extension, when)


def land_new_sales_reports(ctx: ExtractorContext, site: SitePage) -> None:
    """Open the notifications and land the report of every month not landed before."""
    pattern = notice_pattern(ctx.config)
    already = landed_months(service_zone(ctx.script.lake, LANDING, SERVICE))
    site.goto("notifications")
    site.find("notification_list")
    for notice in site.page.locator(ctx.config.selector("notification")).all():
        month = report_month(notice.inner_text(), pattern)
        if month is None or month in already:
            continue
        attachment = notice.locator(ctx.config.selector("notification_attachment"))
        if attachment.count() == 0:
            ctx.script.log.info(
                "%s: the %s sales report notice has no Attachment yet; next run.",
                SERVICE,
                month,
                extra={"service": SERVICE},
            )
            continue
        suggested, content = site.download_from(attachment.first)
        ctx.land(report_name(month, suggested, ctx.started), content)
        already.add(month)
