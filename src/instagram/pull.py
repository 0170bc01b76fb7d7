"""One Instagram pull: the window to ask, the requests, and the document landed for the cleaners.

Account insights come in two shapes: `values` metrics (reach, follower_count) over the window,
30 days a request, and `total_value` metrics (views, profile views, link taps ...) asked day by
day, since a total covers the whole span asked. A metric the API answers with code 100 (no
longer served, or not for this account) is asked no more in this pull, said once in the log
and left empty; the rest is still asked.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from common.extract.errors import ExtractionFailed
from common.zones import file_timestamp
from instagram.dates import day_after, pacific_midnight
from instagram.graph_client import Answer, GraphClient, MetricRefused
from instagram.pull_settings import MAX_HISTORY_DAYS, MAX_WINDOW_DAYS, PullSettings
from instagram.settings import API_SUFFIXES, PULL_DOCUMENT, USER_ENV

TOKEN_PARAM = "access_token"
ACCOUNT_FIELDS = "username,followers_count,media_count"
ACCOUNT_SCOPE = "the account"


@dataclass(frozen=True)
class Window:
    """Pacific days, both ends included."""

    first: date
    last: date

    def chunks(self, days: int = MAX_WINDOW_DAYS) -> Iterator[Window]:
        start = self.first
        while start <= self.last:
            end = min(self.last, start + timedelta(days=days - 1))
            yield Window(start, end)
            start = end + timedelta(days=1)

    def days(self) -> Iterator[date]:
        for offset in range((self.last - self.first).days + 1):
            yield self.first + timedelta(days=offset)

    def params(self) -> dict[str, str]:
        """`since`/`until` as the Pacific midnights around the days (Unix seconds)."""
        return {
            "since": str(pacific_midnight(self.first)),
            "until": str(pacific_midnight(day_after(self.last))),
        }


def instagram_user_id(environ: Mapping[str, str]) -> str:
    value = environ.get(USER_ENV, "").strip()
    if not value.isdigit():
        state = "is not set" if not value else "is not an Instagram user id (digits)"
        raise ExtractionFailed(
            f"{USER_ENV} {state} in the environment or .env: put the professional account's "
            "Instagram user id there (the digits the API answers for /me?fields=user_id)."
        )
    return value


def _landed_window_end(path: Path) -> date | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
        return date.fromisoformat(document["window"]["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not a pull, or one without days: the cleaners say what it is


def newest_pulled_day(landing: Path) -> date | None:
    """The last day the newest landed pull covered (pulls are read newest first)."""
    if not landing.is_dir():
        return None
    pulls = [p for p in landing.iterdir() if p.is_file() and p.suffix.lower() in API_SUFFIXES]
    for path in sorted(pulls, key=lambda p: (file_timestamp(p), p.name), reverse=True):
        found = _landed_window_end(path)
        if found is not None:
            return found
    return None


def pull_window(newest: date | None, today: date, settings: PullSettings) -> Window | None:
    """From `lookback_days` before the newest day pulled (first pull: `history_days` back) to
    yesterday, the last whole Pacific day; None when there is no whole day to ask."""
    if newest is None:
        first = today - timedelta(days=settings.history_days)
    else:
        first = min(newest, today) - timedelta(days=settings.lookback_days)
    first = max(first, today - timedelta(days=MAX_HISTORY_DAYS))
    last = today - timedelta(days=1)
    return Window(first, last) if first <= last else None


@dataclass
class Endpoints:
    account: str
    insights: str
    media: str
    media_insights: Callable[[str], str]


@dataclass
class InsightsPull:
    client: GraphClient
    endpoints: Endpoints
    settings: PullSettings
    log: logging.Logger
    unsupported: dict[str, list[str]] = field(default_factory=dict)

    def _refused(self, scope: str, metric: str, message: str) -> None:
        self.unsupported.setdefault(scope, []).append(metric)
        self.log.warning(
            "Instagram does not serve the metric %s for %s (%s): it is left empty; take it out "
            "of config/extractors/instagram.json if it is gone for good.",
            metric,
            scope,
            message,
        )

    def ask(self, url: str, metrics: tuple[str, ...], params: dict[str, str], scope: str,
            what: str) -> list[Any]:  # fmt: skip
        """The `data` items of the metrics still served; code 100 splits the request to find
        the refused metric(s). When every metric is refused on its own, the request's subject is
        refused (a post older than the business account: code 100, subcode 2108006), not the
        metrics: they stay asked for the next posts."""
        asked = tuple(m for m in metrics if m not in self.unsupported.get(scope, []))
        if not asked:
            return []
        try:
            answer = self.client.get(url, {**params, "metric": ",".join(asked)}, what)
        except MetricRefused as refused:
            if len(asked) == 1:
                self._refused(scope, asked[0], str(refused))
                return []
            return self._one_by_one(url, asked, params, scope, what)
        data = answer.get("data")
        return data if isinstance(data, list) else []

    def _one_by_one(self, url: str, asked: tuple[str, ...], params: dict[str, str], scope: str,
                    what: str) -> list[Any]:  # fmt: skip
        found: list[Any] = []
        refusals: dict[str, str] = {}
        for metric in asked:
            try:
                answer = self.client.get(url, {**params, "metric": metric}, what)
            except MetricRefused as refused:
                refusals[metric] = str(refused)
                continue
            data = answer.get("data")
            found += data if isinstance(data, list) else []
        if len(refusals) == len(asked):
            self.log.warning(
                "Instagram refuses %s (%s): left empty.", what, next(iter(refusals.values()))
            )
            return []
        for metric, message in refusals.items():
            self._refused(scope, metric, message)
        return found

    def daily(self, window: Window) -> list[dict[str, Any]]:
        answers = []
        for chunk in window.chunks():
            params = {"period": "day", **chunk.params()}
            what = f"the daily insights from {chunk.first} to {chunk.last}"
            data = self.ask(
                self.endpoints.insights, self.settings.daily_metrics, params, ACCOUNT_SCOPE, what
            )
            answers.append({"since": chunk.first.isoformat(), "until": chunk.last.isoformat(),
                            "data": data})  # fmt: skip
        return answers

    def totals(self, window: Window) -> list[dict[str, Any]]:
        breakdowns = self.settings.breakdowns
        plain = tuple(m for m in self.settings.total_metrics if m not in breakdowns)
        split = [(m, b) for m, b in breakdowns.items() if m in self.settings.total_metrics]
        answers = []
        for day in window.days():
            params = {"period": "day", "metric_type": "total_value", **Window(day, day).params()}
            what = f"the insights of {day}"
            url = self.endpoints.insights
            data = self.ask(url, plain, params, ACCOUNT_SCOPE, what)
            for metric, breakdown in split:
                data += self.ask(url, (metric,), {**params, "breakdown": breakdown},
                                 ACCOUNT_SCOPE, what)  # fmt: skip
            answers.append({"day": day.isoformat(), "data": data})
        return answers

    def account(self) -> Answer:
        return self.client.get(
            self.endpoints.account, {"fields": ACCOUNT_FIELDS}, "the account's profile"
        )

    def media(self) -> list[dict[str, Any]]:
        listed = self._media_list()
        for entry in listed:
            kind = str(entry.get("media_product_type") or entry.get("media_type") or "media")
            entry["insights"] = self.ask(
                self.endpoints.media_insights(str(entry["id"])),
                self.settings.media_metrics,
                {},
                f"{kind.lower()} media",
                f"the insights of media {entry['id']}",
            )
        return listed

    def _media_list(self) -> list[dict[str, Any]]:
        """The newest `max_media` posts and reels, following `paging.next` on the API's host."""
        wanted = self.settings.max_media
        url = self.endpoints.media
        params = {"fields": ",".join(self.settings.media_fields),
                  "limit": str(self.settings.page_limit)}  # fmt: skip
        found: list[dict[str, Any]] = []
        followed: set[str] = set()
        while wanted and len(found) < wanted:
            answer = self.client.get(url, params, "the list of media")
            found += [e for e in answer.get("data", []) if isinstance(e, dict) and e.get("id")]
            link = _next_link(answer)
            if link is None:
                break
            url, params = _followable(link, self.endpoints.media), {}
            if url in followed:
                break
            followed.add(url)
        return found[:wanted]


def _next_link(answer: Answer) -> str | None:
    paging = answer.get("paging")
    link = paging.get("next") if isinstance(paging, dict) else None
    return link if isinstance(link, str) and link else None


def _followable(link: str, home_url: str) -> str:
    """The next-page link without the token, refused when it leaves the API's host."""
    home, parts = urlsplit(home_url), urlsplit(link)
    if (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
        raise ExtractionFailed(
            f"The Instagram API's next page of media points at {parts.netloc or 'no host'}, not "
            f"{home.netloc}; the pull stopped so the token is not sent there."
        )
    kept = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                      if k != TOKEN_PARAM])  # fmt: skip
    return urlunsplit((parts.scheme, parts.netloc, parts.path, kept, ""))


def pull_document(
    pull: InsightsPull, user_id: str, window: Window | None, now: datetime | None = None
) -> dict[str, Any]:
    """Everything one pull asks, in the shape instagram.api_document reads."""
    pulled_at = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    profile = pull.account()
    document: dict[str, Any] = {
        "document": PULL_DOCUMENT,
        "api_version": pull.settings.api_version,
        "ig_user_id": user_id,
        "username": profile.get("username"),
        "pulled_at": pulled_at,
        "window": (
            {"first": window.first.isoformat(), "last": window.last.isoformat()} if window else None
        ),
        "account": {k: profile.get(k) for k in ("followers_count", "media_count")},
        "daily": pull.daily(window) if window else [],
        "totals": pull.totals(window) if window else [],
        "media": pull.media(),
    }
    document["unsupported_metrics"] = pull.unsupported
    return document


def landing_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
