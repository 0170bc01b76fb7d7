"""What TikTok Studio exports look like: file names, CSV members, column names, month names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

SERVICE = "tiktok"

# How a column's text becomes a value: a year-less day of the window, a count, an hour 0–23, a
# fraction 0–1, free text, a video link (its last path segment is the video id), or the
# year-less day a video was posted (on or before the export day).
ColumnKind = Literal["day", "count", "hour", "fraction", "text", "link", "posted"]
# Which date the years are counted from: the window's first day (daily series), or the export
# day (follower activity, content), or the export day is the row's date (audience snapshots).
Dating = Literal["window", "export", "snapshot"]


@dataclass(frozen=True)
class Column:
    export_name: str
    name: str
    kind: ColumnKind
    required: bool = True


@dataclass(frozen=True)
class Dataset:
    """One CSV of a Studio export and how its rows are keyed in staging."""

    name: str
    member: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    metrics: tuple[str, ...]
    dating: Dating

    @property
    def fields(self) -> tuple[str, ...]:
        """The typed columns of a row, the date first (snapshots get the export day)."""
        names = tuple(c.name for c in self.columns)
        return names if "date" in names else ("date", *names)


def _counts(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(export, name, "count") for export, name in pairs)


OVERVIEW = Dataset(
    "overview",
    "Overview.csv",
    (
        Column("Date", "date", "day"),
        *_counts(
            ("Video Views", "video_views"),
            ("Profile Views", "profile_views"),
            ("Likes", "likes"),
            ("Comments", "comments"),
            ("Shares", "shares"),
        ),
    ),
    keys=("date",),
    metrics=("video_views", "profile_views", "likes", "comments", "shares"),
    dating="window",
)
FOLLOWER_HISTORY = Dataset(
    "follower_history",
    "FollowerHistory.csv",
    (
        Column("Date", "date", "day"),
        *_counts(
            ("Followers", "followers"),
            # Kept as sent, but shifted by a day (day N holds F(N+1) − F(N)): never used.
            ("Difference in followers from previous day", "reported_difference"),
        ),
    ),
    keys=("date",),
    metrics=("followers",),
    dating="window",
)
FOLLOWER_ACTIVITY = Dataset(
    "follower_activity",
    "FollowerActivity.csv",
    (
        Column("Date", "date", "day"),
        Column("Hour", "hour", "hour"),
        Column("Active followers", "active_followers", "count"),
    ),
    keys=("date", "hour"),
    metrics=("active_followers",),
    dating="export",
)
FOLLOWER_GENDER = Dataset(
    "follower_gender",
    "FollowerGender.csv",
    (Column("Gender", "gender", "text"), Column("Distribution", "distribution", "fraction")),
    keys=("date", "gender"),
    metrics=("distribution",),
    dating="snapshot",
)
FOLLOWER_TERRITORIES = Dataset(
    "follower_territories",
    "FollowerTopTerritories.csv",
    (
        Column("Top territories", "territory", "text"),
        Column("Distribution", "distribution", "fraction"),
    ),
    keys=("date", "territory"),
    metrics=("distribution",),
    dating="snapshot",
)
VIEWERS = Dataset(
    "viewers",
    "Viewers.csv",
    (
        Column("Date", "date", "day"),
        *_counts(
            ("Total Viewers", "total_viewers"),
            ("New Viewers", "new_viewers"),
            ("Returning Viewers", "returning_viewers"),
        ),
    ),
    keys=("date",),
    metrics=("total_viewers", "new_viewers", "returning_viewers"),
    dating="window",
)
CONTENT = Dataset(
    "content",
    "Content.csv",
    (
        Column("Time", "date", "day"),
        Column("Video title", "video_title", "text", required=False),
        Column("Video link", "video_link", "link"),
        Column("Post time", "posted_on", "posted"),
        *_counts(
            ("Total likes", "likes"),
            ("Total comments", "comments"),
            ("Total shares", "shares"),
            ("Total views", "views"),
        ),
    ),
    keys=("date", "video_id"),
    metrics=("likes", "comments", "shares", "views"),
    dating="export",
)
# A video id's top 32 bits are the Unix seconds of the post ("Post time" has no year). TikTok
# began (as Douyin) in September 2016: an id that reads earlier is not a post time.
VIDEO_ID_TIME_SHIFT = 32
FIRST_VIDEO_DAY = date(2016, 9, 1)
DATASETS = (
    OVERVIEW,
    FOLLOWER_HISTORY,
    FOLLOWER_ACTIVITY,
    FOLLOWER_GENDER,
    FOLLOWER_TERRITORIES,
    VIEWERS,
    CONTENT,
)
BY_NAME = MappingProxyType({d.name: d for d in DATASETS})
BY_MEMBER = MappingProxyType({d.member.casefold(): d for d in DATASETS})

# A zip is named after the Studio tab it comes from; the members it must hold. Its other known
# members are read too (a Followers zip also holds activity, gender and territories).
ZIP_KINDS = MappingProxyType(
    {
        "Overview": (OVERVIEW,),
        "Followers": (FOLLOWER_HISTORY,),
        "Viewers": (VIEWERS,),
        "Content": (CONTENT,),
        **{d.member.removesuffix(".csv"): (d,) for d in DATASETS},
    }
)
# A loose CSV is named after the member it would be in a zip.
CSV_KINDS = MappingProxyType({d.member.removesuffix(".csv"): d for d in DATASETS})
LOOSE_PREFIX = "tiktok_"
ZIP_SUFFIX, CSV_SUFFIX = ".zip", ".csv"
# A zip member larger than this is refused rather than read into memory.
MAX_MEMBER_BYTES = 200 * 1024 * 1024

# Texts TikTok writes for a value it does not have.
MISSING_VALUES = frozenset({"", "undefined", "null", "nan", "-", "--"})

# Month names as Studio writes them in each interface language, compared without accents or
# case ("Février", "fevrier" and "FÉVR." are one). A name in any other language is refused.
MONTH_NAMES: MappingProxyType[str, tuple[tuple[str, ...], ...]] = MappingProxyType(
    {
        "English": (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        "French": (
            ("janvier", "janv"),
            ("février", "févr", "fév"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août",),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("décembre", "déc"),
        ),
        "Spanish": (
            ("enero", "ene"),
            ("febrero", "feb"),
            ("marzo", "mar"),
            ("abril", "abr"),
            ("mayo", "may"),
            ("junio", "jun"),
            ("julio", "jul"),
            ("agosto", "ago"),
            ("septiembre", "setiembre", "sep", "sept"),
            ("octubre", "oct"),
            ("noviembre", "nov"),
            ("diciembre", "dic"),
        ),
        "German": (
            ("januar", "jänner", "jan"),
            ("februar", "feb"),
            ("märz", "mär"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ),
        "Portuguese": (
            ("janeiro", "jan"),
            ("fevereiro", "fev"),
            ("março", "mar"),
            ("abril", "abr"),
            ("maio", "mai"),
            ("junho", "jun"),
            ("julho", "jul"),
            ("agosto", "ago"),
            ("setembro", "set"),
            ("outubro", "out"),
            ("novembro", "nov"),
            ("dezembro", "dez"),
        ),
        "Italian": (
            ("gennaio", "gen"),
            ("febbraio", "feb"),
            ("marzo", "mar"),
            ("aprile", "apr"),
            ("maggio", "mag"),
            ("giugno", "giu"),
            ("luglio", "lug"),
            ("agosto", "ago"),
            ("settembre", "set"),
            ("ottobre", "ott"),
            ("novembre", "nov"),
            ("dicembre", "dic"),
        ),
        # Greek exports write the genitive ("1 Ιανουαρίου"); the nominative and short forms too.
        "Greek": (
            ("ιανουαρίου", "ιανουάριος", "ιαν"),
            ("φεβρουαρίου", "φεβρουάριος", "φεβ"),
            ("μαρτίου", "μάρτιος", "μαρ"),
            ("απριλίου", "απρίλιος", "απρ"),
            ("μαΐου", "μάιος", "μαΐ"),
            ("ιουνίου", "ιούνιος", "ιουν"),
            ("ιουλίου", "ιούλιος", "ιουλ"),
            ("αυγούστου", "αύγουστος", "αυγ"),
            ("σεπτεμβρίου", "σεπτέμβριος", "σεπ"),
            ("οκτωβρίου", "οκτώβριος", "οκτ"),
            ("νοεμβρίου", "νοέμβριος", "νοε"),
            ("δεκεμβρίου", "δεκέμβριος", "δεκ"),
        ),
    }
)
# Words that join a day and a month in some languages ("1 de enero").
DATE_FILLERS = frozenset({"de", "del", "di", "of"})

# Curated files (4_curated/): the daily metrics of every account, then each dataset published
# as it is staged. tiktok.curation writes them.
DAILY_CURATED = "tiktok_daily_curated.csv"
CURATED_NAMES = MappingProxyType(
    {
        FOLLOWER_ACTIVITY.name: "tiktok_follower_activity_curated.csv",
        VIEWERS.name: "tiktok_viewers_curated.csv",
        CONTENT.name: "tiktok_content_curated.csv",
        FOLLOWER_GENDER.name: "tiktok_follower_gender_curated.csv",
        FOLLOWER_TERRITORIES.name: "tiktok_follower_territories_curated.csv",
    }
)
