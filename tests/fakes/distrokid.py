"""A fake distrokid.com: sign-in with 2FA, the two stats pages and the bank details download,
serving the golden samples copied into tests/fixtures/distrokid."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.site import FakeSite, Request, Response

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "distrokid"
BANK_SAMPLE = SAMPLES / "dk_bank_details_legacy13_CR.tsv"
BANK_PAGE = """<html><body><h1>Excruciating detail</h1>
<div class="download" onclick="downloadBank('tsv')">Download</div>
<script>function downloadBank(kind) {{ location.href = '/bank/download?format=' + kind; }}</script>
</body></html>"""


def _with_chart_container(sample: Path) -> str:
    return sample.read_text(encoding="utf-8").replace(
        "<body>", '<body><div id="chartdiv">chart</div>', 1
    )


def distrokid_site(bank_button_class: str = "download") -> FakeSite:
    site = FakeSite(cookie_name="dk_session", login_path="/signin/", home_path="/dashboard/")

    @site.route("GET", "/dashboard/")
    def dashboard(request: Request) -> Response:
        return Response.html("<html><body><h1>Dashboard</h1></body></html>")

    @site.route("GET", "/stats/")
    def stats(request: Request) -> Response:
        page = request.query.get("data", [""])[0]
        if page == "applemusic":
            sample = SAMPLES / "applemusic_stats_skeleton.html"
            if '<div id="chartdiv">' in sample.read_text(encoding="utf-8"):
                return Response.html(sample.read_text(encoding="utf-8"))
            return Response.html(_with_chart_container(sample))
        return Response.html((SAMPLES / "streams_stats_skeleton.html").read_text(encoding="utf-8"))

    @site.route("GET", "/bank/details/")
    def bank(request: Request) -> Response:
        return Response.html(BANK_PAGE.replace('class="download"', f'class="{bank_button_class}"'))

    @site.route("GET", "/bank/download")
    def download(request: Request) -> Response:
        return Response.download(
            "distrokid_bank_details.tsv", BANK_SAMPLE.read_bytes(), "text/tab-separated-values"
        )

    return site
