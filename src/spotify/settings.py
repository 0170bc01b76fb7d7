"""What Spotify for Artists exports look like: header names, time windows, file names."""

from __future__ import annotations

from types import MappingProxyType

SERVICE = "spotify"
EXPORT_SUFFIXES = (".csv",)
# The songs page's catalog-view response, saved as the extractor lands it (or by hand).
SONGS_JSON_SUFFIXES = (".json",)
# S4A writes commas; French-locale Excel re-saves with semicolons.
DELIMITERS = ",;\t"

# Each export family's header variants, as normalised names (see exports.column_name), in the
# order Spotify writes them. A file's family is told by its header names, never by its name.
AUDIENCE_LEGACY = ("date", "listeners", "streams", "followers")
AUDIENCE_2025 = (
    "date",
    "listeners",
    "monthly_listeners",
    "monthly_active_listeners",
    "super_listeners",
    "streams",
    "playlist_adds",
    "saves",
    "followers",
)
SONGS = ("song", "listeners", "streams", "saves", "release_date")
# What only the songs JSON carries; empty for songs from a CSV export.
SONGS_JSON_ONLY = ("track_id", "track_uri", "canvas_views")
SONG_TIMELINE = ("date", "streams")
PLAYLISTS = ("title", "author", "listeners", "streams", "date_added")

# The catalog-view JSON's song fields as songs columns: {data: {songs: [{...}]}}. The required
# ones make a renamed field a quarantined file rather than an empty column.
CATALOG_VIEW_FIELDS = MappingProxyType(
    {
        "trackName": "song",
        "numListeners": "listeners",
        "numStreams": "streams",
        "numSavers": "saves",
        "releaseDate": "release_date",
        "id": "track_id",
        "trackUri": "track_uri",
        "numCanvasViews": "canvas_views",
    }
)
CATALOG_VIEW_REQUIRED = ("trackName", "numStreams", "numListeners", "numSavers")

# Texts that mean "no value" in a column (the playlists export writes n/a or -).
NULL_MARKERS = MappingProxyType({"date_added": ("n/a", "-", "N/A")})

# The time windows of the songs and playlists exports, as file names spell them.
WINDOWS = MappingProxyType(
    {
        "1day": "1day",
        "24hours": "1day",
        "7day": "7day",
        "7days": "7day",
        "28day": "28day",
        "28days": "28day",
        "1year": "1year",
        "12months": "1year",
        "all": "all",
        "alltime": "all",
    }
)
# In the all-time window Spotify reports listeners and saves as 0: they are not reported.
UNREPORTED_IN_ALL_TIME = ("listeners", "saves")
ALL_TIME = "all"

SONGS_MARKER = "songs"
AUDIENCE_MARKER = "audience"
PLAYLISTS_MARKER = "playlists"
TIMELINE_SUFFIX = "-timeline"

# streams_28d is the sum of the 28 days ending on a date, all of them known.
TRAILING_DAYS = 28

STAGING_NAMES = MappingProxyType(
    {
        "audience": "audience.csv",
        "songs": "songs.csv",
        "song_timelines": "song_timelines.csv",
        "playlists": "playlists.csv",
    }
)
AUDIENCE_CURATED_PREFIX = "spotify_audience_curated_"
SONGS_CURATED = "spotify_songs_curated.csv"
SONG_TIMELINES_CURATED = "spotify_song_timelines_curated.csv"
PLAYLISTS_CURATED = "spotify_playlists_curated.csv"
