"""What each chart of the report draws, and the interface both data sources (warehouse, curated)
answer, so every chart reads the same figures whichever source has them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from common.reports.settings import (
    BANK_DETAILS,
    DAILY_STREAMS,
    LINKTREE_DAILY,
    METAADS_CAMPAIGNS,
    RESULT_NAME,
    TIKTOK_DAILY,
    CuratedDataset,
)

Points = list[tuple[date, float]]
ChartKind = Literal["lines", "columns", "bars"]


@dataclass(frozen=True)
class Figures:
    """One chart's data: daily lines by name, or labelled values; `source` says where from."""

    source: str
    lines: dict[str, Points] = field(default_factory=dict)
    values: list[tuple[str, float]] = field(default_factory=list)
    unit: str = ""

    @property
    def empty(self) -> bool:
        return not any(self.lines.values()) and not self.values


@dataclass(frozen=True)
class CampaignResults:
    """A Meta Ads campaign's spend and results, each day counted once (at its coarsest level)."""

    campaign: str
    currency: str
    spend: Decimal
    results: int | None

    @property
    def cost_per_result(self) -> Decimal | None:
        if not self.results:
            return None
        return self.spend / self.results


class FigureSource(Protocol):
    """The warehouse or the curated files; a method returns empty Figures when it has no data."""

    def daily_streams(self) -> Figures: ...

    def revenue_by_month(self) -> Figures: ...

    def revenue_by_store(self) -> Figures: ...

    def tiktok_video_views(self) -> Figures: ...

    def tiktok_followers(self) -> Figures: ...

    def linktree_clicks(self) -> Figures: ...

    def ad_campaigns(self) -> tuple[str, list[CampaignResults]]:
        """Where the campaigns come from, and the campaigns."""
        ...


def _currencies(campaigns: list[CampaignResults]) -> str:
    return "/".join(sorted({c.currency for c in campaigns if c.currency})) or "currency unknown"


def ad_spend(source: FigureSource) -> Figures:
    where, campaigns = source.ad_campaigns()
    values = [(c.campaign, float(c.spend)) for c in campaigns]
    return Figures(where, values=values, unit=_currencies(campaigns))


def cost_per_result(source: FigureSource) -> Figures:
    where, campaigns = source.ad_campaigns()
    known = [c for c in campaigns if c.cost_per_result is not None]
    values = [(c.campaign, float(c.cost_per_result or 0)) for c in known]
    return Figures(where, values=values, unit=f"{_currencies(known)} per {RESULT_NAME}")


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the report: its PNG name, how it is drawn and read, and what feeds it."""

    name: str
    title: str
    kind: ChartKind
    axis_label: str
    read: Callable[[FigureSource], Figures]
    explanation: str
    # The curated dataset it is drawn from (the warehouse loads the same data).
    dataset: CuratedDataset

    @property
    def feeds(self) -> str:
        """Where the chart's data comes from, as the page says it."""
        return self.dataset.feeds

    @property
    def file_name(self) -> str:
        return f"{self.name}.png"


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "daily_streams_by_platform",
        "Daily streams by platform (distributors)",
        "lines",
        "streams per day",
        lambda source: source.daily_streams(),
        "Streams as DistroKid and TooLost report them, added across distributors. Spotify for "
        "Artists streams count the same plays and are never added to these.",
        DAILY_STREAMS,
    ),
    ChartSpec(
        "revenue_by_month",
        "Royalties by sale month",
        "columns",
        "royalties",
        lambda source: source.revenue_by_month(),
        "DistroKid bank-details earnings by the month the sales happened; negative "
        "adjustments are included.",
        BANK_DETAILS,
    ),
    ChartSpec(
        "revenue_by_store",
        "Royalties by store",
        "bars",
        "royalties",
        lambda source: source.revenue_by_store(),
        "DistroKid bank-details earnings per store, all months together.",
        BANK_DETAILS,
    ),
    ChartSpec(
        "tiktok_video_views",
        "TikTok video views per account",
        "lines",
        "video views per day",
        lambda source: source.tiktok_video_views(),
        "Daily video views of each TikTok account (TikTok Studio's Overview).",
        TIKTOK_DAILY,
    ),
    ChartSpec(
        "tiktok_followers",
        "TikTok followers per account",
        "lines",
        "followers",
        lambda source: source.tiktok_followers(),
        "Followers of each TikTok account at the end of each day (TikTok Studio's follower "
        "history).",
        TIKTOK_DAILY,
    ),
    ChartSpec(
        "linktree_clicks",
        "Linktree clicks",
        "lines",
        "clicks per day",
        lambda source: source.linktree_clicks(),
        "Clicks on the Linktree page's links per day (notifications and redirects included), "
        "all and unique; today's partial day is left out.",
        LINKTREE_DAILY,
    ),
    ChartSpec(
        "ad_spend_by_campaign",
        "Meta Ads spend per campaign",
        "bars",
        "spend",
        ad_spend,
        "Spend over each campaign's reported days, each day counted once at the coarsest level "
        "Meta reported it at.",
        METAADS_CAMPAIGNS,
    ),
    ChartSpec(
        "cost_per_result_by_campaign",
        f"Meta Ads cost per result ({RESULT_NAME}) per campaign",
        "bars",
        "cost per result",
        cost_per_result,
        f"A result is a {RESULT_NAME}: a click on the ad's link to its destination (Meta's "
        "link_click action, or inline link clicks). Cost per result = spend / link clicks over "
        "the same days; campaigns without known link clicks are left out.",
        METAADS_CAMPAIGNS,
    ),
)
