"""The warehouse's loader table, and the sources each ETL group loads, built from the datasets
the services declare (`src/<service>/service.py`): no curated file name is written here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Table

from common.declarations import ServiceDeclaration, loader_problems
from common.warehouse.instagram_tables import InstagramDaily, InstagramMedia, InstagramMediaDaily
from common.warehouse.loaders import financial, instagram
from common.warehouse.loaders import mailchimp as email
from common.warehouse.loaders import social, streaming, youtube
from common.warehouse.loading import Loader, Source
from common.warehouse.mailchimp_tables import (
    EmailAudienceSnapshot,
    EmailCampaign,
    EmailListGrowth,
)
from common.warehouse.models import (
    AdAction,
    AdPerformanceDaily,
    AdPerformancePeriod,
    DailyStreams,
    Expense,
    LinkAnalyticsDaily,
    RoyaltyLine,
    SocialDaily,
    SpotifyAudienceDaily,
    table,
)
from common.warehouse.youtube_tables import YouTubeChannelDaily, YouTubeVideoDaily

# The ETL scripts (etl/etl_<group>.py), in the order run_all_etl runs them.
ALL_GROUPS = ("master", "financial", "streaming", "social")
# The loader whose files also give the catalog (tracks, releases, credits) to the master group.
CATALOG_LOADER = "royalty_lines"


@dataclass(frozen=True)
class WarehouseLoader:
    """What a dataset's `loader` names: the ETL group that runs it, the fact tables it fills
    (a reloaded file's rows are deleted from them first) and the function that loads a file."""

    name: str
    group: str
    facts: tuple[Table, ...]
    load: Loader
    # What source_files.dataset records for its files; a renamed loader keeps the old name so
    # an existing warehouse still recognises the rows it loaded.
    recorded_as: str = ""

    def source(self, pattern: str) -> Source:
        return Source(self.recorded_as or self.name, pattern, self.facts, self.load)


LOADERS: dict[str, WarehouseLoader] = {
    loader.name: loader
    for loader in (
        WarehouseLoader(
            "royalty_lines", "financial", (table(RoyaltyLine),), financial.load_royalty_lines
        ),
        WarehouseLoader("expenses", "financial", (table(Expense),), financial.load_expenses),
        WarehouseLoader(
            "daily_streams", "streaming", (table(DailyStreams),), streaming.load_daily_streams
        ),
        WarehouseLoader(
            "spotify_audience",
            "streaming",
            (table(SpotifyAudienceDaily),),
            streaming.load_spotify_audience,
        ),
        WarehouseLoader(
            "ad_performance", "social", (table(AdPerformanceDaily),), social.load_ad_performance
        ),
        WarehouseLoader(
            "ad_periods",
            "social",
            (table(AdPerformancePeriod),),
            social.load_ad_periods,
            recorded_as="ad_performance_period",
        ),
        WarehouseLoader("ad_actions", "social", (table(AdAction),), social.load_ad_actions),
        WarehouseLoader("tiktok_daily", "social", (table(SocialDaily),), social.load_tiktok_daily),
        WarehouseLoader(
            "link_analytics", "social", (table(LinkAnalyticsDaily),), social.load_link_analytics
        ),
        WarehouseLoader(
            "instagram_daily",
            "social",
            (table(SocialDaily), table(InstagramDaily)),
            instagram.load_instagram_daily,
        ),
        WarehouseLoader(
            "instagram_media", "social", (table(InstagramMedia),), instagram.load_instagram_media
        ),
        WarehouseLoader(
            "instagram_media_daily",
            "social",
            (table(InstagramMediaDaily),),
            instagram.load_instagram_media_daily,
        ),
        WarehouseLoader(
            "youtube_daily",
            "social",
            (table(SocialDaily), table(YouTubeChannelDaily)),
            youtube.load_youtube_daily,
        ),
        WarehouseLoader(
            "youtube_video_daily",
            "social",
            (table(YouTubeVideoDaily),),
            youtube.load_youtube_video_daily,
        ),
        WarehouseLoader(
            "email_campaigns", "social", (table(EmailCampaign),), email.load_email_campaigns
        ),
        WarehouseLoader(
            "email_list_growth", "social", (table(EmailListGrowth),), email.load_email_list_growth
        ),
        WarehouseLoader(
            "email_audience", "social", (table(EmailAudienceSnapshot),), email.load_email_audience
        ),
    )
}


@dataclass
class SourcePlan:
    """The sources of each group, the catalog's files, and the declarations' mistakes (a
    dataset naming an unknown loader is left out and reported, the others still load)."""

    groups: dict[str, list[Source]] = field(default_factory=dict)
    catalog_patterns: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def sources(self, group: str) -> list[Source]:
        return self.groups.get(group, [])


def plan_sources(declarations: Iterable[ServiceDeclaration]) -> SourcePlan:
    """Every declared dataset with a loader, once per (loader, file): two services sharing a
    file (DistroKid and TooLost's daily streams) load it once. Ordered as the loader table."""
    plan = SourcePlan(groups={group: [] for group in ALL_GROUPS})
    wanted: set[tuple[str, str]] = set()
    for declaration in declarations:
        plan.problems += loader_problems(declaration, LOADERS)
        for dataset in declaration.datasets:
            if dataset.loader in LOADERS:
                wanted.add((dataset.loader, dataset.file))
    order = list(LOADERS)
    for name, pattern in sorted(wanted, key=lambda item: (order.index(item[0]), item[1])):
        loader = LOADERS[name]
        plan.groups[loader.group].append(loader.source(pattern))
        if name == CATALOG_LOADER:
            plan.catalog_patterns.append(pattern)
    return plan
