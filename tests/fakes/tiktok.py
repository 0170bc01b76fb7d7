"""A fake www.tiktok.com: one saved login per account (the `sessionid` cookie) and TikTok
Studio's analytics Overview and Followers tabs, with the range picker, the Download data dialog
and zips built from the shared samples (tests/fixtures/tiktok holds copies of them).

Each account's counts are the samples' times its `scale`, so a test can tell whose export
landed where. Studio is pretended to run on EXPORTED_AT, the day the samples end.
"""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tests.fakes.site import FakeSite, Request, Response
from tiktok.demo import studio_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tiktok"
EXPORTED_AT = datetime(2025, 1, 2, 15, 30, tzinfo=timezone.utc)
SESSION_COOKIE = "sessionid"
RANGES = (7, 28, 60, 365)
FOLLOWERS_MEMBERS = (
    "FollowerHistory.csv",
    "FollowerActivity.csv",
    "FollowerGender.csv",
    "FollowerTopTerritories.csv",
)
# Only these members' counts are scaled: the ones a test reads back per account.
SCALED_MEMBERS = frozenset({"Overview.csv", "FollowerHistory.csv"})
TABS = {"overview": "Overview", "followers": "Followers"}
ANALYTICS_PAGE = """<html><head><title>TikTok Studio</title></head><body>
<nav><a href="/tiktokstudio/analytics">Overview</a>
<a href="/tiktokstudio/analytics/followers">Followers</a></nav>
<h1>{title}</h1>
<button id="range" type="button">Last 7 days</button> <span id="range-dates">{dates}</span>
<ul id="ranges" role="listbox" hidden>{options}</ul>
<button id="download-data" type="button">Download data</button>
<div id="dialog" role="dialog" hidden><h2>Download {title} data</h2>
<label><input type="radio" name="format" value="XLSX" checked> XLSX</label>
<label><input type="radio" name="format" value="CSV"> CSV</label>
<button id="download" type="button">Download</button></div>
<script>
let days = 7;
const byId = (id) => document.getElementById(id);
byId("range").onclick = () => {{ byId("ranges").hidden = false; }};
for (const option of document.querySelectorAll("[role=option]")) {{
  option.onclick = () => {{
    byId("ranges").hidden = true;
    // As in Studio, the new range holds (and shows) only once its data has loaded.
    setTimeout(() => {{
      days = Number(option.dataset.days);
      byId("range").textContent = option.textContent;
      byId("range-dates").textContent = option.dataset.dates;
    }}, 300);
  }};
}}
byId("download-data").onclick = () => {{ byId("dialog").hidden = false; }};
byId("download").onclick = () => {{
  const format = document.querySelector("input[name=format]:checked").value;
  location.href = "/tiktokstudio/api/export?tab={tab}&format=" + format + "&days=" + days;
}};
</script></body></html>"""


def window_start(days: int) -> date:
    """The first day of Studio's `days`-day window ending on the export day."""
    return EXPORTED_AT.date() - timedelta(days=days - 1)


def _shown(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _range_text(days: int) -> str:
    return f"{_shown(window_start(days))} – {_shown(EXPORTED_AT.date())}"


def _times(cell: str, factor: int) -> str:
    return str(int(cell) * factor) if cell.lstrip("-").isdigit() else cell


def member(name: str, factor: int) -> bytes:
    """A sample CSV, its counts times `factor` (the date column and 'undefined' kept)."""
    content = (FIXTURES / name).read_bytes()
    if factor == 1 or name not in SCALED_MEMBERS:
        return content
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return studio_csv(header, [[row[0], *(_times(c, factor) for c in row[1:])] for row in rows])


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


class StudioSite(FakeSite):
    """TikTok with one session per account; `scales` gives each account's count factor."""

    def __init__(self, scales: dict[str, int]) -> None:
        super().__init__(cookie_name=SESSION_COOKIE, login_path="/login", home_path="/tiktokstudio")
        self.scales = scales
        self.accounts: dict[str, str] = {}
        self.exports = 0

    def sign_in(self, account: str) -> dict[str, Any]:
        """A saved login of `account` that the site accepts."""
        token = self.new_session()
        self.accounts[token] = account
        return self.storage_state(token)

    def expired_login(self, account: str) -> dict[str, Any]:
        """A saved login of `account` that looks fresh but that the site no longer accepts."""
        token = "expired-session-" + secrets.token_hex(12)
        self.accounts[token] = account
        return self.storage_state(token)

    def requests_of(self, account: str) -> list[Request]:
        """The requests that carried one of `account`'s session cookies."""
        tokens = {token for token, owner in self.accounts.items() if owner == account}
        return [r for r in self.requests if r.cookies.get(self.cookie_name) in tokens]

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        # A refused session's cookie is deleted with the redirect to the login page, as sites do,
        # so following the redirect carries it no further.
        refused = response.headers.get("Location") == self.login_path
        if refused and self.cookie_name in request.cookies:
            response.headers["Set-Cookie"] = f"{self.cookie_name}=; Path=/; Max-Age=0"
        return response

    def export(self, request: Request) -> Response:
        """The Download dialog's file: Studio's own names, the window of the chosen range."""
        tab = request.query.get("tab", [""])[0]
        days = int(request.query.get("days", ["7"])[0])
        account = self.accounts.get(request.cookies.get(self.cookie_name, ""), "creator")
        factor = self.scales.get(account, 1)
        if request.query.get("format", [""])[0] != "CSV":
            return Response.download(f"{TABS[tab]}.xlsx", b"PK not a csv export", "application/zip")
        if tab == "followers":
            members = {name: member(name, factor) for name in FOLLOWERS_MEMBERS}
            return Response.download(f"Followers_{account}.zip", zip_of(members), "application/zip")
        # Each export is its own moment: one second after the one before.
        epoch = int(EXPORTED_AT.timestamp()) + self.exports
        self.exports += 1
        name = f"Overview_{window_start(days).isoformat()}_{epoch}.zip"
        content = zip_of({"Overview.csv": member("Overview.csv", factor)})
        return Response.download(name, content, "application/zip")


def analytics_page(tab: str) -> str:
    options = "".join(
        f'<li role="option" data-days="{days}" data-dates="{_range_text(days)}">'
        f"Last {days} days</li>"
        for days in RANGES
    )
    return ANALYTICS_PAGE.format(title=TABS[tab], tab=tab, dates=_range_text(7), options=options)


def tiktok_site(scales: dict[str, int]) -> StudioSite:
    site = StudioSite(scales)

    @site.route("GET", "/tiktokstudio")
    def studio(request: Request) -> Response:
        return Response.html("<html><body><h1>TikTok Studio</h1></body></html>")

    @site.route("GET", "/tiktokstudio/analytics")
    def overview(request: Request) -> Response:
        return Response.html(analytics_page("overview"))

    @site.route("GET", "/tiktokstudio/analytics/followers")
    def followers(request: Request) -> Response:
        return Response.html(analytics_page("followers"))

    site.route("GET", "/tiktokstudio/api/export")(site.export)
    return site
