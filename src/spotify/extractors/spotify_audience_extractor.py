"""Spotify for Artists: per artist of config/artists.json, the 12-month audience CSV and the
songs page's catalog-view JSON for each time filter.

URLs, selectors and time filters are in config/extractors/spotify.json; the login is the saved
browser session in src/spotify/cookies/spotify.json (`bedrot cookies refresh --service spotify`).
"""

from __future__ import annotations

from common.extract.pages import site_page
from common.extract.runtime import ExtractorContext, run_extractor
from spotify.artist_pages import artist_ids, land_audience, land_songs, time_filters

SERVICE = "spotify"


def extract(ctx: ExtractorContext) -> None:
    artists = artist_ids(ctx.script.lake)
    filters = time_filters(ctx.config)
    with site_page(ctx) as site:
        for artist_id in artists:
            land_audience(ctx, site, artist_id)
            for time_filter in filters:
                land_songs(ctx, site, artist_id, time_filter)


if __name__ == "__main__":
    raise SystemExit(run_extractor(SERVICE, extract))
