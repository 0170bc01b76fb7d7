"""The admin analytics page driven as the user would: last 365 days, daily, answers captured."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from common.extract.errors import ExtractionFailed
from linktree.graphql_capture import (
    CapturedOperation,
    captured_operation,
    newest_kept,
    operation_name,
    wanted_operations,
)
from linktree.settings import SERVICE

if TYPE_CHECKING:
    from playwright.sync_api import Response

    from common.extract.pages import SitePage
    from common.extract.runtime import ExtractorContext

DEFAULT_GRAPHQL_URL = "/graphql"
DEFAULT_QUIET_SECONDS = 1.0
# The menus and their choices, in the order a user picks them (names of config selectors).
CHOICES = (("date_range_menu", "last_365_days"), ("granularity_menu", "daily"))


def settle(site: SitePage, seen: list[Response], since: int, wanted: set[str]) -> None:
    """Wait until a wanted operation answered after response `since` and the page's GraphQL
    traffic has been quiet for settings.quiet_seconds (the page fires several queries)."""
    quiet = float(site.ctx.config.setting("quiet_seconds", DEFAULT_QUIET_SECONDS))
    last = {"count": len(seen), "at": time.monotonic()}

    def settled() -> bool:
        if len(seen) != last["count"]:
            last.update(count=len(seen), at=time.monotonic())
            return False
        answered = any(operation_name(r.request) in wanted for r in seen[since:])
        return answered and time.monotonic() - last["at"] >= quiet

    site.wait_until(settled, "an answer of an operation in settings.operations")


def capture_analytics(ctx: ExtractorContext, site: SitePage) -> dict[str, CapturedOperation]:
    """The last answer of each configured operation once 365 days, daily, are shown."""
    wanted = wanted_operations(ctx.config)
    pattern = str(ctx.config.setting("graphql_url", DEFAULT_GRAPHQL_URL))
    with site.capturing(pattern) as seen:
        site.goto("analytics")
        # The first answers (the default 7 days) must be in before a choice asks again, so
        # that the answers to the choices are the last ones.
        settle(site, seen, 0, set(wanted))
        chosen = len(seen)
        for menu, choice in CHOICES:
            site.click(menu)
            site.click(choice)
        settle(site, seen, chosen, set(wanted))
        captured = [captured_operation(response) for response in seen]
    kept = newest_kept(captured, wanted)
    report_left_out(ctx, captured, kept, wanted)
    return kept


def report_left_out(
    ctx: ExtractorContext,
    captured: list[CapturedOperation],
    kept: dict[str, CapturedOperation],
    wanted: dict[str, tuple[str, ...]],
) -> None:
    """Say what was left out; with nothing kept, the page has changed: stop with the names."""
    others = sorted({c.operation or "(unnamed)" for c in captured} - set(kept))
    missing = sorted(set(wanted) - set(kept))
    if not kept:
        raise ExtractionFailed(
            f"none of the GraphQL operations in {ctx.config.file} settings.operations answered "
            f"on the analytics page (it asked: {', '.join(others) or 'nothing'}). If Linktree "
            "renamed them, update settings.operations."
        )
    if others:
        ctx.script.log.info(
            "%s: left out GraphQL operations that are not analytics: %s.",
            SERVICE,
            ", ".join(others),
            extra={"service": SERVICE},
        )
    if missing:
        ctx.script.log.info(
            "%s: the page did not answer these configured operations: %s.",
            SERVICE,
            ", ".join(missing),
            extra={"service": SERVICE},
        )
