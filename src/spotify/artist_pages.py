"""What the Spotify for Artists extractor does on an artist's pages: the audience CSV through
Filters → 12 months → download, and the songs page's catalog-view response for each time filter.

URLs, selectors, the response pattern and the time filters are in config/extractors/spotify.json;
the artists are the `spotify_ids` of config/artists.json.
"""

from __future__ import annotations

import re

from common.artists import ArtistConfigError, ArtistDirectory
from common.extract.errors import ExtractionFailed
from common.extract.pages import SitePage
from common.extract.runtime import ExtractorContext
from common.extractor_config import ExtractorConfig, ExtractorConfigError
from common.lake import Lake
from spotify.file_names import audience_landing_name, songs_landing_name
from spotify.settings import WINDOWS

SONGS_XHR_SETTING = "songs_xhr"
TIME_FILTERS_SETTING = "time_filters"
_SPOTIFY_ID = re.compile(r"[0-9A-Za-z]+")


def artist_ids(lake: Lake) -> list[str]:
    """Every Spotify id of config/artists.json, once each, in the file's order."""
    try:
        directory = ArtistDirectory.load(lake)
    except ArtistConfigError as error:
        raise ExtractorConfigError(str(error)) from None
    ids = [artist_id for artist in directory.artists for artist_id in artist.spotify_ids]
    if not ids:
        raise ExtractorConfigError(
            "config/artists.json lists no spotify_ids: there is no artist to extract."
        )
    # Ids go into URLs and file names: letters and digits only, as Spotify writes them.
    malformed = [artist_id for artist_id in ids if not _SPOTIFY_ID.fullmatch(artist_id)]
    if malformed:
        raise ExtractorConfigError(
            f"config/artists.json: {malformed} are no Spotify ids (letters and digits only)."
        )
    return list(dict.fromkeys(ids))


def time_filters(config: ExtractorConfig) -> list[str]:
    """The songs page's time filters; each must be a window the cleaners read from a name."""
    filters = config.setting(TIME_FILTERS_SETTING)
    if not isinstance(filters, list) or not filters:
        raise ExtractorConfigError(f"{config.file}: settings.time_filters must list time filters.")
    unknown = [f for f in filters if not isinstance(f, str) or WINDOWS.get(f) != f]
    if unknown:
        raise ExtractorConfigError(
            f"{config.file}: time filter(s) {unknown} are none of {sorted(set(WINDOWS.values()))}."
        )
    return [str(f) for f in filters]


def songs_response_pattern(config: ExtractorConfig, time_filter: str) -> str:
    """The configured catalog-view pattern, for exactly this filter (not the page's default)."""
    pattern = config.setting(SONGS_XHR_SETTING)
    if not isinstance(pattern, str) or not pattern:
        raise ExtractorConfigError(f"{config.file}: settings.songs_xhr must be a URL pattern.")
    return pattern + re.escape(time_filter) + "(?:&|$)"


def land_audience(ctx: ExtractorContext, site: SitePage, artist_id: str) -> None:
    """The audience timeline of the last 12 months, as downloaded."""
    site.goto("audience", artist_id=artist_id)
    site.click("audience_filters")
    site.click("audience_12_months")
    _, content = site.download("audience_csv_download")
    ctx.land(audience_landing_name(artist_id, ctx.started), content)


def land_songs(ctx: ExtractorContext, site: SitePage, artist_id: str, time_filter: str) -> None:
    """The songs page's catalog-view response for one time filter, body as received."""
    pattern = songs_response_pattern(ctx.config, time_filter)
    with site.capturing(pattern) as seen:
        site.goto("songs", artist_id=artist_id, time_filter=time_filter)
        site.wait_until(lambda: bool(seen), f"{SONGS_XHR_SETTING} (time-filter={time_filter})")
    response = seen[0]
    if not response.ok:
        raise ExtractionFailed(
            f"the songs response for {artist_id} ({time_filter}) answered HTTP "
            f"{response.status} at {response.url}."
        )
    ctx.land(songs_landing_name(artist_id, time_filter, ctx.started), response.body())
