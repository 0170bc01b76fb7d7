"""A fake artists.spotify.com: per artist, the audience page (Filters → 12 months → CSV download)
and the songs page, whose catalog-view XHR answers the time filter of the page's URL.

Only the 12-month download holds the artist's whole timeline; the default (28 days) holds its
last line, so a test sees whether the filter was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.fakes.site import FakeSite, Request, Response

LOGIN_PATH = "/en/login"
HOME_PATH = "/c/en/home"
BROWSER_ICON = "/favicon.ico"
# How much each window's counts are multiplied by, so every window's file differs.
WINDOW_SCALE = {"1day": 1, "7day": 7, "28day": 28, "1year": 365, "all": 1000}
AUDIENCE_PAGE = """<html><body><h1>Audience</h1>
<button id="filters" onclick="document.getElementById('ranges').hidden = false">Filters</button>
<div id="ranges" hidden>
<button onclick="range = '28days'">28 days</button>
<button onclick="range = '12months'">12 months</button></div>
<button aria-label="{label}" onclick="location.href = '{export}?range=' + range">CSV</button>
<script>let range = '28days';</script></body></html>"""
SONGS_PAGE = """<html><body><h1>Songs</h1><div id="songs">loading</div>
<script>
const filter = new URLSearchParams(location.search).get('time-filter') || '28day';
fetch('{catalog}?time-filter=' + encodeURIComponent(filter))
  .then((answer) => answer.json())
  .then((body) => {{ document.getElementById('songs').textContent = body.data.songs.length; }});
</script></body></html>"""


def catalog_view(artist_id: str, time_filter: str) -> dict[str, Any]:
    """The songs response of one artist and window, as the fake serves it."""
    scale = WINDOW_SCALE[time_filter]
    songs = []
    for number, (title, released) in enumerate(
        (("First Song", "2024-06-14"), ("Second Song, Pt. 2", "2024-11-15")), 1
    ):
        songs.append(
            {
                "id": f"{artist_id[:8]}Track{number}",
                "trackName": title,
                "trackUri": f"spotify:track:{artist_id[:8]}Track{number}",
                "releaseDate": released,
                "imageUrl": f"https://i.scdn.co/image/{number}",
                "numStreams": 10 * number * scale,
                "numListeners": 4 * number * scale,
                "numSavers": number * scale,
                "numCanvasViews": 2 * scale,
                "isDisabled": False,
            }
        )
    return {"data": {"songs": songs}}


def last_line_only(timeline: bytes) -> bytes:
    """The header and last day of a timeline: what the default 28-day range gives here."""
    lines = timeline.rstrip(b"\n").split(b"\n")
    return lines[0] + b"\n" + lines[-1] + b"\n"


def _add_artist(site: FakeSite, artist_id: str, timeline: bytes, download_label: str) -> None:
    base = f"/c/en/artist/{artist_id}"
    catalog = f"/catalog-view/v1/artist/{artist_id}/songs"

    @site.route("GET", f"{base}/audience")
    def audience(request: Request) -> Response:
        export = f"{base}/audience/export"
        return Response.html(AUDIENCE_PAGE.format(label=download_label, export=export))

    @site.route("GET", f"{base}/audience/export")
    def export(request: Request) -> Response:
        whole = request.query.get("range", [""])[0] == "12months"
        content = timeline if whole else last_line_only(timeline)
        return Response.download(f"{artist_id}-audience-timeline.csv", content, "text/csv")

    @site.route("GET", f"{base}/music/songs")
    def songs(request: Request) -> Response:
        return Response.html(SONGS_PAGE.format(catalog=catalog))

    @site.route("GET", catalog)
    def catalog_view_response(request: Request) -> Response:
        time_filter = request.query.get("time-filter", [""])[0]
        if time_filter not in WINDOW_SCALE:
            return Response.json({"error": "unknown time filter"}, status=400)
        return Response.json(catalog_view(artist_id, time_filter))


def spotify_site(timelines: Mapping[str, bytes], download_label: str = "Download CSV") -> FakeSite:
    """The fake, serving `timelines[artist_id]` as each artist's 12-month audience CSV."""
    site = FakeSite(cookie_name="sp_dc", login_path=LOGIN_PATH, home_path=HOME_PATH)

    @site.route("GET", HOME_PATH)
    def home(request: Request) -> Response:
        return Response.html("<html><body><h1>Home</h1></body></html>")

    for artist_id, timeline in timelines.items():
        _add_artist(site, artist_id, timeline, download_label)
    return site


def page_requests(site: FakeSite) -> list[Request]:
    """The requests of the site's pages and XHRs: not the login page it redirects to, nor the
    icon Chromium asks for by itself."""
    return [r for r in site.requests if r.path not in (LOGIN_PATH, BROWSER_ICON)]
