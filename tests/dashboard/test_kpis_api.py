"""The dashboard's figures against the warehouse's own: every /api route answers JSON for the
demo warehouse, the overview's KPIs equal what SQL on the facts says, filters are validated,
statements download only from their folder, and the ETL keeps the royalty aggregates true."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text

from common.dashboard import api
from common.dashboard.app import create_app
from common.dashboard.channels import snapshot
from common.dashboard.kpis.filters import Filters
from common.dashboard.kpis.revenue import RoyaltyScope
from common.lake import Lake
from common.warehouse.aggregates import AGG_ROYALTY, refresh_aggregates
from common.warehouse.database import make_engine, warehouse_url
from tests.dashboard.app_support import dashboard_lake, logged_in_client  # noqa: F401

PICO = Decimal(10) ** 12
SAMPLE_PATH_VALUES = {"page": "overview", "dimension": "store"}


@pytest.fixture
def client(dashboard_lake: Lake) -> TestClient:  # noqa: F811
    return logged_in_client(create_app(dashboard_lake))


def warehouse(lake: Lake) -> sqlite3.Connection:
    return sqlite3.connect(lake.root / "data_warehouse" / "bedrot_analytics.db")


def royalties_reported(db: sqlite3.Connection, first: str, last: str, artist: str = "") -> Decimal:
    """Exact royalties from the royalty lines themselves (picodollar integers, no view)."""
    query = (
        "SELECT r.earnings_picousd FROM royalty_lines r LEFT JOIN artists a ON a.id = r.artist_id"
        " WHERE r.reporting_date BETWEEN ? AND ? AND (? = '' OR a.name = ?)"
    )
    rows = db.execute(query, (first, last, artist, artist)).fetchall()
    return sum((Decimal(value) for (value,) in rows), Decimal(0)) / PICO


def latest_followers(db: sqlite3.Connection, platform: str) -> int:
    """Each account's followers on its newest day that reports them, added up."""
    rows = db.execute(
        "SELECT s.followers FROM social_daily s JOIN platforms p ON p.id = s.platform_id"
        " WHERE p.name = ? AND s.followers IS NOT NULL AND s.activity_date = ("
        "  SELECT MAX(t.activity_date) FROM social_daily t WHERE t.platform_id = s.platform_id"
        "  AND t.account = s.account AND t.followers IS NOT NULL)",
        (platform,),
    ).fetchall()
    return sum(int(followers) for (followers,) in rows)


def test_overview_kpis_equal_the_warehouse_figures(
    client: TestClient, dashboard_lake: Lake  # noqa: F811
) -> None:
    kpis = client.get("/api/kpis/summary").json()
    db = warehouse(dashboard_lake)
    newest = date.fromisoformat(
        db.execute("SELECT MAX(stream_date) FROM daily_streams").fetchone()[0]
    )
    first = newest - timedelta(days=29)
    streams = db.execute(
        "SELECT SUM(streams) FROM daily_streams WHERE stream_date BETWEEN ? AND ?",
        (first.isoformat(), newest.isoformat()),
    ).fetchone()[0]
    assert kpis["streams_30d"]["value"] == streams
    assert kpis["streams_30d"]["text"] == f"{streams:,}"
    assert kpis["streams_30d"]["period"] == f"{first} to {newest}"
    latest = db.execute("SELECT MAX(reporting_date) FROM royalty_lines").fetchone()[0]
    month = latest[:7]
    royalties = royalties_reported(db, f"{month}-01", f"{month}-31")
    assert Decimal(kpis["royalties_last_month"]["value"]) == royalties
    assert kpis["royalties_last_month"]["text"] == f"${royalties:,.2f}"
    assert kpis["royalties_last_month"]["source"].startswith("DistroKid")
    ytd = royalties_reported(db, f"{latest[:4]}-01-01", latest)
    assert Decimal(kpis["royalties_ytd"]["value"]) == ytd
    assert kpis["followers_instagram"]["text"] == f"{latest_followers(db, 'Instagram'):,}"
    assert all(kpi["source"] and kpi["period"] for kpi in kpis.values())


def _sample_path(route: APIRoute) -> str:
    path = route.path
    for name, value in SAMPLE_PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"no sample value for {route.path}"
    return path


def test_every_api_route_answers_json_for_the_demo_warehouse(client: TestClient) -> None:
    routes = [r for r in api.router.routes if isinstance(r, APIRoute)]
    assert routes
    for route in routes:
        response = client.get(_sample_path(route), params={"start": "2025-01-01"})
        assert response.status_code == 200, (route.path, response.text)
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() is not None
    for page in api.Page:
        assert client.get(f"/api/pages/{page.value}").json()["kpis"], page


def test_at_least_24_kpis_each_with_source_and_period(client: TestClient) -> None:
    keys: set[str] = set()
    for page in api.Page:
        for kpi in client.get(f"/api/pages/{page.value}").json()["kpis"]:
            assert kpi["source"] and kpi["period"] and kpi["text"], kpi
            keys.add(kpi["key"])
    assert len(keys) >= 24


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ({"start": "2025-13-01"}, "not a real day"),
        ({"end": "yesterday"}, "YYYY-MM-DD"),
        ({"start": "2025-06-01", "end": "2025-05-01"}, "after the end date"),
        ({"artist": "Nobody Known"}, "No artist named 'Nobody Known'"),
        ({"start": "2025-01-01' OR 1=1 --"}, "YYYY-MM-DD"),
    ],
)
def test_bad_filters_are_refused_with_a_sentence(
    client: TestClient, query: dict[str, str], sentence: str
) -> None:
    for path in ("/api/kpis/summary", "/api/revenue/monthly", "/api/streaming/audience"):
        response = client.get(path, params=query)
        assert response.status_code == 422, path
        assert sentence in response.json()["detail"]
    page = client.get("/revenue", params=query)
    assert page.status_code == 422
    assert sentence.replace("'", "&#39;") in page.text


def test_artist_filter_takes_any_spelling_and_narrows_revenue(
    client: TestClient, dashboard_lake: Lake  # noqa: F811
) -> None:
    everyone = client.get("/api/revenue/by/artist").json()["rows"]
    one = client.get("/api/revenue/monthly", params={"artist": "zone.a0"}).json()["rows"]
    total = sum((Decimal(row["royalties_exact"]) for row in one), Decimal(0))
    expected = royalties_reported(warehouse(dashboard_lake), "0000-01-01", "9999-12-31", "ZONE A0")
    assert total == expected
    assert total == next(Decimal(r["royalties_exact"]) for r in everyone if r["label"] == "ZONE A0")
    assert len(everyone) > 1


def test_net_income_under_an_artist_filter_says_it_is_the_labels_not_the_artists(
    client: TestClient,
) -> None:
    """Net income is the label's (card expenses have no artist): under an artist filter it is
    not shown as if it were that artist's."""
    kpis = client.get("/api/kpis/summary").json()
    one = client.get("/api/kpis/summary", params={"artist": "zone.a0"}).json()

    assert kpis["net_income_last_month"]["value"] is not None
    assert one["net_income_last_month"]["value"] is None
    assert "all artists" in one["net_income_last_month"]["text"]


def test_statements_download_only_from_their_folder(
    client: TestClient, dashboard_lake: Lake  # noqa: F811
) -> None:
    folder = dashboard_lake.zone("4_curated") / "statements" / "2025-Q3"
    folder.mkdir(parents=True)
    (folder / "summary.csv").write_text(
        "period,status,payee,opening_usd,royalty_usd,costs_usd,recouped_usd,closing_usd,"
        "payable_usd,carried_usd\n2025-Q3,draft,ZONE A0,0.00,60.05,0.00,0.00,60.05,60.05,0.00\n",
        encoding="utf-8",
    )
    (folder / "zone_a0.html").write_text("<p>DRAFT statement</p>", encoding="utf-8")
    listed = client.get("/api/revenue/statements").json()
    assert listed[0]["payee"] == "ZONE A0" and listed[0]["payable"] == "$60.05"
    url = listed[0]["files"][0]["url"]
    assert client.get(url).text == "<p>DRAFT statement</p>"
    assert "zone_a0.html" in client.get("/revenue").text
    for outside in (
        "/statements/2025-Q3/..%2F..%2F..%2Fconfig%2Fsplits.json",
        "/statements/..%2Fdk_bank_details.csv/x.csv",
        "/statements/2025-Q3/%2Fetc%2Fpasswd",
        "/statements/2025-Q3/summary.json",
    ):
        assert client.get(outside).status_code == 404, outside


def test_goals_from_config_show_progress(
    client: TestClient, dashboard_lake: Lake  # noqa: F811
) -> None:
    (dashboard_lake.config / "dashboard.json").write_text(
        '{"goals": {"monthly_revenue_usd": "200.00", "monthly_streams": 40000, '
        '"followers": 20000}}',
        encoding="utf-8",
    )
    kpis = client.get("/api/kpis/summary").json()
    royalties = Decimal(kpis["royalties_last_month"]["value"])
    share = royalties * 100 / Decimal(200)
    assert kpis["goal_revenue"]["text"] == f"${royalties:,.2f} of $200.00 ({share:.0f} %)"
    assert kpis["goal_streams"]["text"].endswith("%)")
    assert " of 20,000 (" in kpis["goal_followers"]["text"]
    (dashboard_lake.config / "dashboard.json").write_text('{"goals": {"sales": 3}}', "utf-8")
    broken = client.get("/api/kpis/summary").json()["goal_revenue"]["text"]
    assert "unknown goal sales" in broken


def test_instagram_and_youtube_followers_are_each_accounts_newest_day(
    client: TestClient, dashboard_lake: Lake  # noqa: F811
) -> None:
    db = warehouse(dashboard_lake)
    newest = date.fromisoformat(
        db.execute("SELECT MAX(activity_date) FROM social_daily").fetchone()[0]
    )
    later = (newest + timedelta(days=1)).isoformat()
    engine = make_engine(warehouse_url(dashboard_lake))
    with engine.begin() as connection:
        for platform, followers in (("Instagram", 1234), ("YouTube", 567)):
            connection.execute(
                text(
                    "INSERT INTO social_daily (activity_date, platform_id, account, video_views,"
                    " followers, source_file_id) SELECT :d, id, 'label.second', 10, :f, 1"
                    " FROM platforms WHERE name = :p"
                ),
                {"d": later, "f": followers, "p": platform},
            )
    engine.dispose()
    kpis = client.get("/api/kpis/summary").json()
    instagram, youtube = latest_followers(db, "Instagram"), latest_followers(db, "YouTube")
    assert instagram > 1234 and youtube > 567  # the demo's accounts and the new one, added
    assert kpis["followers_instagram"]["text"] == f"{instagram:,}"
    assert kpis["followers_youtube"]["text"] == f"{youtube:,}"
    assert kpis["followers_youtube"]["period"] == f"day {later}"


def test_live_snapshot_carries_the_pages_kpis_with_the_filters(
    client: TestClient, dashboard_lake: Lake  # noqa: F811
) -> None:
    state: Any = client.app.state.dashboard  # type: ignore[attr-defined]
    page = client.get("/api/pages/streams", params={"end": "2025-06-30"}).json()
    pushed = snapshot(state, "streams", {"end": "2025-06-30"})
    assert pushed["kpis"] == {kpi["key"]: kpi["text"] for kpi in page["kpis"]}
    assert set(pushed["charts"]) == {"streams-daily", "spotify-followers"}
    assert pushed["kpis"]["streams_30d"] != snapshot(state, "streams")["kpis"]["streams_30d"]


def test_etl_keeps_the_royalty_aggregate_equal_to_the_lines(
    dashboard_lake: Lake,  # noqa: F811
) -> None:
    engine = make_engine(warehouse_url(dashboard_lake))
    with engine.connect() as connection:
        # `bedrot run` (the demo template) refreshed it after its load.
        aggregated = RoyaltyScope(connection, Filters()).total()
        assert connection.execute(text(f"SELECT COUNT(*) FROM {AGG_ROYALTY}")).scalar()
    db = warehouse(dashboard_lake)
    assert aggregated == royalties_reported(db, "0000-01-01", "9999-12-31")
    db.execute("DELETE FROM royalty_lines WHERE id IN (SELECT id FROM royalty_lines LIMIT 100)")
    db.commit()
    with engine.begin() as connection:
        refresh_aggregates(connection)
        refresh_aggregates(connection)  # idempotent
    with engine.connect() as connection:
        after = RoyaltyScope(connection, Filters()).total()
        connection.execute(text(f"DROP TABLE {AGG_ROYALTY}"))
        fallback = RoyaltyScope(connection, Filters()).total()  # an older warehouse
    engine.dispose()
    assert after == fallback == royalties_reported(db, "0000-01-01", "9999-12-31")
    assert after != aggregated


def test_pages_render_every_kpi_on_first_paint(client: TestClient) -> None:
    for page in api.Page:
        path = "/" if page.value == "overview" else f"/{page.value}"
        html = client.get(path).text
        data = client.get(f"/api/pages/{page.value}").json()
        for kpi in data["kpis"]:
            assert f'data-kpi="{kpi["key"]}"' in html, (path, kpi["key"])
        for chart in data["charts"]:
            assert f'id="{chart}"' in html, (path, chart)


def test_the_artist_index_of_the_aggregate_reaches_an_older_warehouse(
    dashboard_lake: Lake,  # noqa: F811
) -> None:
    older = warehouse(dashboard_lake)
    older.execute("DROP INDEX ix_agg_royalty_daily_artist_date")  # made before the index existed
    older.commit()
    older.close()
    engine = make_engine(warehouse_url(dashboard_lake))
    with engine.begin() as connection:
        refresh_aggregates(connection)  # the next ETL's refresh
    engine.dispose()
    index = "PRAGMA index_info('ix_agg_royalty_daily_artist_date')"
    columns = [row[2] for row in warehouse(dashboard_lake).execute(index)]
    assert columns == ["artist_id", "reporting_date"]
