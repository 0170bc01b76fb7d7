"""What each chart of the report draws, and the interface both data sources (warehouse, curated)
answer, so every chart reads the same figures whichever source has them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from common.reports.settings import (
    BANK_DETAILS,
    DAILY_STREAMS,
    INSTAGRAM_DAILY,
    LINKTREE_DAILY,
    MAILCHIMP_AUDIENCE,
    MAILCHIMP_CAMPAIGNS,
    MAX_CAMPAIGNS,
    METAADS_CAMPAIGNS,
    RESULT_NAME,
    TIKTOK_DAILY,
    TIKTOK_PLATFORM,
    YOUTUBE_DAILY,
    CuratedDataset,
)
from common.warehouse.loaders.instagram import PLATFORM as INSTAGRAM_PLATFORM
from common.warehouse.loaders.youtube import ACCOUNT as YOUTUBE_ACCOUNT
from common.warehouse.loaders.youtube import PLATFORM as YOUTUBE_PLATFORM

Points = list[tuple[date, float]]
Labelled = list[tuple[str, float]]
ChartKind = Literal["lines", "columns", "bars", "grouped_bars"]


@dataclass(frozen=True)
class Figures:
    """One chart's data: daily lines by name, labelled values, or several labelled series (one
    bar each per label, e.g. a campaign's emails sent, opens and clicks); `source` says where
    from."""

    source: str
    lines: dict[str, Points] = field(default_factory=dict)
    values: Labelled = field(default_factory=list)
    unit: str = ""
    series: dict[str, Labelled] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.lines.values()) and not self.values and not any(self.series.values())


@dataclass(frozen=True)
class SocialMetric:
    """One metric of `social_daily` per account and day for one platform (TikTok, Instagram,
    YouTube), and the column holding the same figure in the platform's curated file, so both
    sources draw the same lines."""

    platform: str
    column: str
    dataset: CuratedDataset
    curated_column: str
    # The account name of a curated file without an account column (YouTube's one channel,
    # loaded into the warehouse under this name).
    single_account: str | None = None
    # Whether the curated file names each account's artist (TikTok's does).
    with_artist: bool = False


TIKTOK_VIEWS = SocialMetric(
    TIKTOK_PLATFORM, "video_views", TIKTOK_DAILY, "video_views", with_artist=True
)
TIKTOK_FOLLOWERS = SocialMetric(
    TIKTOK_PLATFORM, "followers", TIKTOK_DAILY, "followers", with_artist=True
)
INSTAGRAM_VIEWS = SocialMetric(INSTAGRAM_PLATFORM, "video_views", INSTAGRAM_DAILY, "views")
INSTAGRAM_FOLLOWERS = SocialMetric(INSTAGRAM_PLATFORM, "followers", INSTAGRAM_DAILY, "followers")
YOUTUBE_VIEWS = SocialMetric(
    YOUTUBE_PLATFORM, "video_views", YOUTUBE_DAILY, "views", single_account=YOUTUBE_ACCOUNT
)
YOUTUBE_NET_SUBSCRIBERS = SocialMetric(
    YOUTUBE_PLATFORM,
    "new_followers",
    YOUTUBE_DAILY,
    "net_subscribers",
    single_account=YOUTUBE_ACCOUNT,
)
# The bars of each Mailchimp campaign: the name shown, and the column (curated and warehouse).
CAMPAIGN_SERIES = (
    ("emails sent", "emails_sent"),
    ("unique opens", "unique_opens"),
    ("unique clicks", "unique_clicks"),
)


def _campaign_label(send_date: date | None, title: str | None, campaign_id: str) -> str:
    """A campaign as the chart names it: its send day and title (the id when untitled)."""
    name = title or campaign_id
    return f"{send_date.isoformat()} {name}" if send_date else name


def campaign_series(
    rows: Iterable[tuple[date | None, str | None, str, Sequence[int | None]]],
) -> dict[str, Labelled]:
    """CAMPAIGN_SERIES of the MAX_CAMPAIGNS newest campaigns, from rows (send day, title, id,
    the counts in CAMPAIGN_SERIES order) given oldest first; an unreported count is left out."""
    kept = list(rows)[-MAX_CAMPAIGNS:]
    series: dict[str, Labelled] = {name: [] for name, _ in CAMPAIGN_SERIES}
    for send_date, title, campaign_id, counts in kept:
        label = _campaign_label(send_date, title, campaign_id)
        for (name, _), count in zip(CAMPAIGN_SERIES, counts, strict=True):
            if count is not None:
                series[name].append((label, count))
    return series


def audience_lines(rows: Iterable[tuple[str, str | None, date, int]]) -> dict[str, Points]:
    """Members per day of each audience, from rows (list id, list name, day, members) in day
    order; an audience is named by its newest name, so a renamed one stays one line."""
    by_list: dict[str, Points] = {}
    names: dict[str, str] = {}
    for list_id, name, day, members in rows:
        by_list.setdefault(list_id, []).append((day, members))
        names[list_id] = name or names.get(list_id) or list_id
    return {names[list_id]: points for list_id, points in sorted(by_list.items())}


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

    def social_daily(self, metric: SocialMetric) -> Figures:
        """One line per account of the platform: the metric per day."""
        ...

    def linktree_clicks(self) -> Figures: ...

    def email_campaigns(self) -> Figures:
        """Per Mailchimp campaign (the newest MAX_CAMPAIGNS, oldest first), CAMPAIGN_SERIES."""
        ...

    def email_audience(self) -> Figures:
        """Each Mailchimp audience's size on the days a pull saw it."""
        ...

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
    """A chart of the report: its file name, how it is drawn and read, and what feeds it."""

    name: str
    title: str
    kind: ChartKind
    axis_label: str
    read: Callable[[FigureSource], Figures]
    explanation: str
    # The curated dataset it is drawn from (the warehouse loads the same data).
    dataset: CuratedDataset
    # How the value written after each bar is shown (money by default; counts whole).
    value_format: str = ",.2f"

    @property
    def feeds(self) -> str:
        """Where the chart's data comes from, as the page says it."""
        return self.dataset.feeds

    @property
    def file_name(self) -> str:
        return f"{self.name}.svg"

    @property
    def earlier_file_names(self) -> tuple[str, ...]:
        """The chart's files as earlier versions drew them (PNG), moved to the archive once the
        SVG replaces them."""
        return (f"{self.name}.png",)


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
        lambda source: source.social_daily(TIKTOK_VIEWS),
        "Daily video views of each TikTok account (TikTok Studio's Overview).",
        TIKTOK_DAILY,
    ),
    ChartSpec(
        "tiktok_followers",
        "TikTok followers per account",
        "lines",
        "followers",
        lambda source: source.social_daily(TIKTOK_FOLLOWERS),
        "Followers of each TikTok account at the end of each day (TikTok Studio's follower "
        "history).",
        TIKTOK_DAILY,
    ),
    ChartSpec(
        "instagram_views",
        "Instagram views per account",
        "lines",
        "views per day",
        lambda source: source.social_daily(INSTAGRAM_VIEWS),
        "Daily views of each Instagram account's posts, reels and stories (Graph API insights "
        "or Business Suite exports), by Pacific calendar day as Instagram counts them.",
        INSTAGRAM_DAILY,
    ),
    ChartSpec(
        "instagram_followers",
        "Instagram followers per account",
        "lines",
        "followers",
        lambda source: source.social_daily(INSTAGRAM_FOLLOWERS),
        "Followers of each Instagram account on the days a pull saw them (the Graph API tells "
        "only the current count, so there is one point per pull day).",
        INSTAGRAM_DAILY,
    ),
    ChartSpec(
        "youtube_views",
        "YouTube views (not streams)",
        "lines",
        "views per day",
        lambda source: source.social_daily(YOUTUBE_VIEWS),
        "Daily views of the YouTube channel (Analytics API or Studio exports; the newest 2–3 "
        "days are revised by the next pull). YouTube views are never added to the "
        "distributors' streams nor to the YouTube (Ads) royalty units.",
        YOUTUBE_DAILY,
    ),
    ChartSpec(
        "youtube_subscribers",
        "YouTube net new subscribers per day",
        "lines",
        "subscribers gained − lost",
        lambda source: source.social_daily(YOUTUBE_NET_SUBSCRIBERS),
        "Subscribers the channel gained minus those it lost, per day (below zero on a day it "
        "lost more than it gained).",
        YOUTUBE_DAILY,
    ),
    ChartSpec(
        "mailchimp_campaigns",
        "Mailchimp campaigns: emails sent, unique opens, unique clicks",
        "grouped_bars",
        "emails",
        lambda source: source.email_campaigns(),
        f"The {MAX_CAMPAIGNS} newest campaigns by send day. Unique opens include Apple Mail's "
        "machine opens (Mailchimp's own count); a figure Mailchimp did not report is left out.",
        MAILCHIMP_CAMPAIGNS,
        value_format=",.0f",
    ),
    ChartSpec(
        "mailchimp_audience",
        "Mailchimp audience size",
        "lines",
        "members",
        lambda source: source.email_audience(),
        "Members of each Mailchimp audience on the days a pull saw it (Mailchimp tells only "
        "the current size).",
        MAILCHIMP_AUDIENCE,
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
