"""What the ads bought: the distributor streams above the baseline during each Meta campaign.

A campaign's window runs from its first to its last day of spend (v_ad_spend, each day once).
The distributors' daily streams (DistroKid, TooLost) are per platform, not per track, so the
lift is measured on the whole catalogue: streams during the window against the window of the
same length just before it. Campaigns whose windows overlap are measured on the same streams,
so they are measured together over the union of their windows and share that one lift by
spend: what they are credited with never adds up to more than the lift. Spotify for Artists
followers gained in the window are shown beside it, never added to streams.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import Connection, func, select

from common.money.net_income import DailySpend
from common.money.rates import Rate
from common.warehouse.models import DailyStreams, SpotifyAudienceDaily
from common.warehouse.types import MONEY_SCALE

PICODOLLAR = Decimal(1).scaleb(-MONEY_SCALE)
DailyCounts = dict[date, int]


@dataclass(frozen=True)
class CampaignSpend:
    """One campaign's spend and window."""

    campaign_id: int
    artist_id: int | None
    start: date
    end: date
    spend: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Lift:
    """Streams during a window against the same number of days before it (None: no data)."""

    during: int | None
    baseline: int | None

    @property
    def incremental(self) -> int | None:
        if self.during is None or self.baseline is None:
            return None
        return max(0, self.during - self.baseline)


@dataclass(frozen=True)
class Attribution:
    campaign: CampaignSpend
    lift: Lift
    campaigns_sharing: int
    incremental: int | None
    cost_per_incremental: Decimal | None
    followers_gained: int | None
    rate: Rate | None
    break_even_streams: int | None


def campaign_windows(
    spend_by_day: dict[int, DailySpend], artists: dict[int, int | None]
) -> list[CampaignSpend]:
    """Each campaign with spend rows: first..last day and the spend over them."""
    campaigns = []
    for campaign_id, days in spend_by_day.items():
        if not days:
            continue
        campaigns.append(
            CampaignSpend(
                campaign_id,
                artists.get(campaign_id),
                min(days),
                max(days),
                sum(days.values(), Decimal(0)),
            )
        )
    return sorted(campaigns, key=lambda c: (c.start, c.campaign_id))


def catalogue_streams_by_day(connection: Connection) -> DailyCounts:
    """The distributors' streams per day over every platform (the catalogue total)."""
    query = select(DailyStreams.stream_date, func.sum(DailyStreams.streams)).group_by(
        DailyStreams.stream_date
    )
    return {
        day if isinstance(day, date) else date.fromisoformat(str(day)): int(count or 0)
        for day, count in connection.execute(query)
    }


def followers_by_artist(connection: Connection) -> dict[int, DailyCounts]:
    query = select(
        SpotifyAudienceDaily.artist_id,
        SpotifyAudienceDaily.audience_date,
        SpotifyAudienceDaily.followers,
    ).where(SpotifyAudienceDaily.followers.is_not(None))
    series: dict[int, DailyCounts] = {}
    for artist, day, followers in connection.execute(query):
        when = day if isinstance(day, date) else date.fromisoformat(str(day))
        series.setdefault(int(artist), {})[when] = int(followers or 0)
    return series


def _window_total(streams: DailyCounts, start: date, days: int) -> int | None:
    counts = [streams[d] for d in (start + timedelta(n) for n in range(days)) if d in streams]
    return sum(counts) if counts else None


def measure_lift(streams: DailyCounts, start: date, end: date) -> Lift:
    """Streams in start..end against the same number of days right before `start`."""
    days = (end - start).days + 1
    return Lift(
        _window_total(streams, start, days),
        _window_total(streams, start - timedelta(days=days), days),
    )


def overlapping_groups(campaigns: Iterable[CampaignSpend]) -> list[list[CampaignSpend]]:
    """Campaigns whose windows overlap, directly or through another, in one group each."""
    groups: list[list[CampaignSpend]] = []
    group_end: date | None = None
    for campaign in sorted(campaigns, key=lambda c: (c.start, c.campaign_id)):
        if group_end is not None and campaign.start <= group_end:
            groups[-1].append(campaign)
            group_end = max(group_end, campaign.end)
        else:
            groups.append([campaign])
            group_end = campaign.end
    return groups


def share_by_spend(lift: int, spends: Sequence[Decimal]) -> list[int]:
    """Whole streams per campaign in proportion to spend (equal shares when nothing was spent),
    the remainder given by largest fraction: the shares add up to `lift` exactly."""
    weights = list(spends) if sum(spends, Decimal(0)) > 0 else [Decimal(1)] * len(spends)
    weights = [max(w, Decimal(0)) for w in weights]
    total = sum(weights, Decimal(0))
    exact = [Decimal(lift) * w / total for w in weights]
    shares = [int(x) for x in exact]
    by_fraction = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_fraction[: lift - sum(shares)]:
        shares[index] += 1
    return shares


def _followers_gained(series: DailyCounts | None, start: date, end: date) -> int | None:
    if not series:
        return None
    inside = [d for d in series if start <= d <= end]
    if not inside:
        return None
    before = [d for d in series if d < start]
    first = max(before) if before else min(inside)
    return series[max(inside)] - series[first]


def _break_even(spend: Decimal, rate: Rate | None) -> int | None:
    if rate is None or rate.royalty <= 0:
        return None
    return math.ceil(spend * rate.units / rate.royalty)


def attribute(
    campaigns: list[CampaignSpend],
    streams: DailyCounts,
    followers: dict[int, DailyCounts],
    rate_for_month: Callable[[str], Rate | None],
) -> list[Attribution]:
    """Every campaign's share of the lift of its overlap group, cost and break-even."""
    results: list[Attribution] = []
    for group in overlapping_groups(campaigns):
        start = min(c.start for c in group)
        end = max(c.end for c in group)
        lift = measure_lift(streams, start, end)
        gained = lift.incremental
        shares = (
            share_by_spend(gained, [c.spend for c in group])
            if gained is not None
            else [None] * len(group)
        )
        for campaign, share in zip(group, shares):
            rate = rate_for_month(campaign.end.isoformat()[:7])
            cost = (campaign.spend / share).quantize(PICODOLLAR, ROUND_HALF_EVEN) if share else None
            series = followers.get(campaign.artist_id) if campaign.artist_id else None
            results.append(
                Attribution(
                    campaign,
                    lift,
                    len(group),
                    share,
                    cost,
                    _followers_gained(series, campaign.start, campaign.end),
                    rate,
                    _break_even(campaign.spend, rate),
                )
            )
    return results
