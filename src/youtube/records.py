"""The four things a YouTube file tells, as rows every source shares.

`channel_daily` (one row a day), `video_daily` (a day of one video), `channel_stats` (a snapshot
of the channel's totals on the day it was pulled) and `videos` (a video's title, publish day,
duration and the figures of the latest Studio table that listed it). A source fills the columns
it has and leaves the others empty; staging keeps per key the newest value of each column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from youtube.settings import DAILY_COLUMNS, STATS_COLUMNS, VIDEO_COLUMNS

CHANNEL_DAILY = "channel_daily"
VIDEO_DAILY = "video_daily"
CHANNEL_STATS = "channel_stats"
VIDEOS = "videos"

KEYS: dict[str, tuple[str, ...]] = {
    CHANNEL_DAILY: ("date",),
    VIDEO_DAILY: ("date", "video_id"),
    CHANNEL_STATS: ("date", "channel_id"),
    VIDEOS: ("video_id",),
}
VALUES: dict[str, tuple[str, ...]] = {
    CHANNEL_DAILY: DAILY_COLUMNS,
    VIDEO_DAILY: DAILY_COLUMNS,
    CHANNEL_STATS: ("channel_title", *STATS_COLUMNS),
    VIDEOS: VIDEO_COLUMNS,
}
# Values that are text in every zone (the rest are exact numbers written as text).
TEXT_VALUES = frozenset({"channel_title", "title", "published", "hidden_subscriber_count"})


@dataclass(frozen=True)
class Record:
    """One row of one dataset: its key, the values its source gave (text or None), and the
    line (or API row) it came from."""

    dataset: str
    key: dict[str, str]
    values: dict[str, str | None] = field(default_factory=dict)
    source_row: int = 0

    def as_json(self) -> dict[str, object]:
        return {"dataset": self.dataset, **self.key, **self.values, "source_row": self.source_row}
