"""What a landed Instagram file holds once read: daily account values and media snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DailyValue:
    """One metric of one account on one Pacific day; None when the API sent no number.

    `account` is None when the file does not name the account (a Business Suite export, a
    hand-saved insights answer): staging files it under the lake's account (instagram.accounts).
    """

    account: str | None
    day: date
    metric: str
    value: int | None


@dataclass(frozen=True)
class MediaSnapshot:
    """One post or reel as seen on `snapshot_date`, with its lifetime metrics then."""

    account: str
    media_id: str
    media_type: str | None
    media_product_type: str | None
    caption_excerpt: str | None
    posted_at: str | None
    posted_date: date | None
    permalink: str | None
    snapshot_date: date
    metrics: dict[str, int | None]


@dataclass
class LandedFile:
    """The records of one landed file, and notes worth one log line each (not rejections).
    `user_id` is the Instagram user id an extractor pull was asked for (None otherwise)."""

    daily: list[DailyValue] = field(default_factory=list)
    media: list[MediaSnapshot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    user_id: str | None = None
