"""A fake linktr.ee admin: sign-in with 2FA and the analytics page, whose script asks GraphQL
for the default 7 days first and again after each choice (365 days turns to weekly points
until "Daily" is picked), answering with the shared samples' shapes and a currentUser query
that is no analytics."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.fakes.site import FakeSite, Request, Response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "linktree"
OVERVIEW_SAMPLE = FIXTURES / "graphql_getAccountAnalytics_overview.json"
LINKS_SOCIALS_SAMPLE = FIXTURES / "graphql_getAccountAnalytics_links_socials.json"
LIFETIME_LOCATIONS_SAMPLE = FIXTURES / "graphql_getAccountAnalytics_lifetime_locations.json"
LINK_ID, LINK_TITLE = 400000001, "New single"
WEEK = 7
ANALYTICS_PAGE = """<html><head><title>Analytics | Linktree</title></head><body>
<h1>Insights</h1>
<div data-testid="DateRangeSelector"><button id="range">Last 7 days</button>
<ul role="listbox" id="ranges" hidden>
<li role="option" data-days="7">Last 7 days</li><li role="option" data-days="365">Last 365 days</li>
</ul></div>
<div data-testid="GranularitySelector"><button id="granularity">Daily</button>
<ul role="listbox" id="granularities" hidden>
<li role="option" data-granularity="DAILY">Daily</li>
<li role="option" data-granularity="WEEKLY">Weekly</li>
</ul></div>
<script>
const chosen = {days: 7, granularity: 'DAILY'};
async function ask(operationName, query, variables) {
  const answer = await fetch('/graphql', {method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({operationName, query, variables})});
  return answer.json();
}
function window_() { return {range: {days: chosen.days}, granularity: chosen.granularity}; }
async function askWindow() {
  await ask('AccountAnalyticsOverview',
    'query AccountAnalyticsOverview { getAccountAnalytics { overview { timeseries { date } } } }',
    window_());
  await ask('AccountAnalyticsLinksSocials',
    'query AccountAnalyticsLinksSocials { getAccountAnalytics { links { id } socials { name } } }',
    window_());
}
function menu(button, list, pick) {
  document.getElementById(button).onclick = () => {
    document.getElementById(list).hidden = false; };
  for (const option of document.querySelectorAll('#' + list + ' [role=option]')) {
    option.onclick = () => {
      document.getElementById(list).hidden = true;
      document.getElementById(button).textContent = option.textContent;
      pick(option.dataset);
      askWindow();
    };
  }
}
menu('range', 'ranges', data => {
  chosen.days = Number(data.days);
  if (chosen.days > 90) chosen.granularity = 'WEEKLY';
});
menu('granularity', 'granularities', data => { chosen.granularity = data.granularity; });
(async () => {
  await ask('currentUser', 'query currentUser { currentUser { id username } }', {});
  await askWindow();
  await ask('AccountAnalyticsLifetimeLocations',
    'query AccountAnalyticsLifetimeLocations { getAccountAnalytics { lifetime { views } } }',
    {});
  await ask('LinkTitles', 'query LinkTitles { link400000001: link(id: 400000001) { title } }', {});
})();
</script></body></html>"""


def day_counts(day: date) -> tuple[int, int]:
    """The fake's (total views, total clicks) of one day."""
    return 20 + day.toordinal() % 17, 3 + day.toordinal() % 7


def _activity(day: date, days: int, template: dict[str, Any]) -> dict[str, Any]:
    """One point of the overview: the sum over `days` days from `day`, shaped as the sample."""
    counts = [day_counts(day + timedelta(days=n)) for n in range(days)]
    views, clicks = sum(c[0] for c in counts), sum(c[1] for c in counts)
    return {
        **template,
        "totalViews": views,
        "totalClicks": clicks,
        "uniqueViews": views * 4 // 5,
        "uniqueClicks": clicks * 4 // 5,
        "clickThroughRate": round(clicks / views, 4),
        "date": day.isoformat(),
    }


def overview(days: int, granularity: str, today: date) -> dict[str, Any]:
    """The sample's overview answer for the last `days` days up to `today`, daily or weekly."""
    answer = json.loads(OVERVIEW_SAMPLE.read_text(encoding="utf-8"))
    section = answer["data"]["getAccountAnalytics"]["overview"]
    template = section["timeseries"][0]
    first = today - timedelta(days=days - 1)
    step = 1 if granularity == "DAILY" else WEEK
    section["timeseries"] = [
        _activity(first + timedelta(days=n), min(step, days - n), template)
        for n in range(0, days, step)
    ]
    section["totalViews"] = sum(p["totalViews"] for p in section["timeseries"])
    section["totalClicks"] = sum(p["totalClicks"] for p in section["timeseries"])
    return dict(answer)


class LinktreeSite(FakeSite):
    """The admin; `asked` lists (operationName, variables) in the order the page asked."""

    def __init__(self) -> None:
        super().__init__(cookie_name="linktree_session", home_path="/admin")
        self.route("GET", "/admin")(lambda request: Response.html("<h1>My Linktree</h1>"))
        self.route("GET", "/admin/analytics")(lambda request: Response.html(ANALYTICS_PAGE))
        self.route("POST", "/graphql")(self._graphql)

    def asked(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (r.json()["operationName"], r.json()["variables"])
            for r in self.requests
            if r.path == "/graphql" and self.is_logged_in(r)
        ]

    def _graphql(self, request: Request) -> Response:
        asked = request.json()
        name, variables = asked.get("operationName"), asked.get("variables") or {}
        if name == "currentUser":
            user = {"id": "1", "username": "bedrot", "__typename": "User"}
            return Response.json({"data": {"currentUser": user}})
        if name == "AccountAnalyticsOverview":
            days = int(variables["range"]["days"])
            return Response.json(overview(days, variables["granularity"], date.today()))
        if name == "AccountAnalyticsLinksSocials":
            return Response(200, LINKS_SOCIALS_SAMPLE.read_bytes(), "application/json")
        if name == "AccountAnalyticsLifetimeLocations":
            return Response(200, LIFETIME_LOCATIONS_SAMPLE.read_bytes(), "application/json")
        if name == "LinkTitles":
            title = {"id": str(LINK_ID), "title": LINK_TITLE, "active": True, "modifiers": {}}
            return Response.json({"data": {f"link{LINK_ID}": title}})
        return Response.json({"errors": [{"message": f"Unknown operation {name}"}]}, 400)


def linktree_site() -> LinktreeSite:
    return LinktreeSite()
