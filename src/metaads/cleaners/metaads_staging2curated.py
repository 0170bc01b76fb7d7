"""Meta Ads staging → curated: daily and per-period performance, actions and campaign summaries,
archived first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from common.artists import ARTISTS_CONFIG, ArtistDirectory
from common.cleaning import Rebuild, rebuild_when_changed
from common.curated import curated_path
from common.script import ScriptContext, run_script
from common.zones import CURATED, STAGING, archive_then_replace
from metaads import curated, staging
from metaads.settings import (
    CURATED_ACTIONS,
    CURATED_DAILY,
    CURATED_PERIODS,
    CURATED_SUMMARY,
    SERVICE,
    STAGING_ACTIONS,
    STAGING_PERFORMANCE,
)

if TYPE_CHECKING:
    import polars as pl


def is_staged(path: Path) -> bool:
    return path.name in (STAGING_PERFORMANCE, STAGING_ACTIONS)


def read_staged(path: Path) -> pl.DataFrame:
    if path.name == STAGING_ACTIONS:
        return staging.read_actions(path)
    return staging.read_performance(path)


def artist_directory(ctx: ScriptContext) -> ArtistDirectory | None:
    """The label's artists; without config/artists.json names are kept as they are spelled."""
    if not (ctx.lake.config / ARTISTS_CONFIG).is_file():
        ctx.log.warning(
            "config/%s is missing: campaign artists are kept as spelled.", ARTISTS_CONFIG
        )
        return None
    return ArtistDirectory.load(ctx.lake)


def warn_uncounted_ranges(ctx: ScriptContext, performance: pl.DataFrame) -> None:
    """A range partly reported by day is left out of spend totals (no day counts twice), so its
    other days count nowhere: say so, and how to get them counted."""
    for campaign, (first, last), days in curated.uncounted_ranges(performance):
        ctx.log.warning(
            "Meta Ads campaign %s: the report from %s to %s is left out of spend totals because "
            "some of its days are reported by day or by a narrower report, so %d of its days "
            "count nowhere; export that period broken down by day to count them.",
            campaign, first, last, days,
        )  # fmt: skip


def publish(ctx: ScriptContext, inputs: list[tuple[Path, pl.DataFrame]]) -> list[Path]:
    staged = {path.name: frame for path, frame in inputs}
    performance = staged.get(STAGING_PERFORMANCE)
    actions = staged.get(STAGING_ACTIONS)
    if performance is None or actions is None:
        ctx.log.warning("3_staging/%s lacks its performance or actions file.", SERVICE)
        return []
    artists = artist_directory(ctx)
    tables = {
        CURATED_DAILY: curated.daily_performance(performance, artists),
        CURATED_PERIODS: curated.period_performance(performance, artists),
        CURATED_ACTIONS: curated.actions_table(actions),
        CURATED_SUMMARY: curated.campaign_summary(performance, artists),
    }
    warn_uncounted_ranges(ctx, performance)
    written = []
    for name, table in tables.items():
        target = curated_path(ctx.lake, name)
        archived = archive_then_replace(ctx.lake, target, lambda temp: table.write_csv(temp))
        if archived is not None:
            ctx.log.info("Archived the previous %s as %s.", name, archived.name)
        written.append(target)
    return written


def main(ctx: ScriptContext) -> int:
    rebuild = Rebuild(read_staged, lambda inputs: publish(ctx, inputs))
    report = rebuild_when_changed(
        ctx, STAGING, CURATED, rebuild, "staging2curated", select=is_staged
    )
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(run_script(SERVICE, main))
