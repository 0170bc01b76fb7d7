"""Mailchimp's curated files in the warehouse, loaded as the ETL loads them (before the lead
registers the loaders in common.warehouse.sources: the Sources are built here the same way)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, text

from common.lake import Lake
from common.warehouse.database import make_engine, migrate
from common.warehouse.loaders.mailchimp import (
    load_email_audience,
    load_email_campaigns,
    load_email_list_growth,
)
from common.warehouse.loading import Source, load_sources
from common.warehouse.mailchimp_tables import (
    EmailAudienceSnapshot,
    EmailCampaign,
    EmailListGrowth,
    create_mailchimp_tables,
)
from common.warehouse.models import table
from tests.mailchimp.mailchimp_lake import (
    AUDIENCE,
    CAMPAIGNS,
    GROWTH,
    GROWTH_SAMPLE,
    LIST_SAMPLE,
    REPORTS_SAMPLE,
    clean,
    drop,
    new_lake,
)

LOG = logging.getLogger("tests.mailchimp")


def _sources() -> list[Source]:
    return [
        Source("email_campaigns", CAMPAIGNS, (table(EmailCampaign),), load_email_campaigns),
        Source("email_list_growth", GROWTH, (table(EmailListGrowth),), load_email_list_growth),
        Source("email_audience", AUDIENCE, (table(EmailAudienceSnapshot),), load_email_audience),
    ]


def _warehouse(lake: Lake) -> Engine:
    engine = make_engine(f"sqlite:///{(lake.root / 'warehouse.db').as_posix()}")
    migrate(engine)
    with engine.begin() as connection:
        create_mailchimp_tables(connection)
        create_mailchimp_tables(connection)  # safe to run again
    return engine


def _curated_lake(root: Path) -> Lake:
    lake = new_lake(root)
    drop(lake, REPORTS_SAMPLE, "mailchimp_reports_20250120_080000.json")
    drop(lake, GROWTH_SAMPLE, "mailchimp_growth-history_20250301_090000.json")
    drop(lake, LIST_SAMPLE, "mailchimp_list_20250301_090000.json")
    clean(lake)
    return lake


def test_the_warehouse_holds_the_exports_numbers_and_each_row_knows_its_file(
    tmp_path: Path,
) -> None:
    lake = _curated_lake(tmp_path / "lake")
    engine = _warehouse(lake)

    report = load_sources(engine, lake, _sources(), LOG)

    assert [o.status for o in report.outcomes] == ["loaded"] * 3
    with engine.connect() as db:
        campaign = db.execute(
            text(
                "SELECT c.campaign_id, p.name, c.send_time, c.send_date, c.emails_sent, c.bounces,"
                " c.unique_opens, c.proxy_excluded_unique_opens, c.open_rate, c.click_rate,"
                " f.path FROM email_campaigns c JOIN platforms p ON p.id = c.platform_id"
                " JOIN source_files f ON f.id = c.source_file_id"
            )
        ).one()
        growth = db.execute(
            text("SELECT month, subscribed, imports FROM list_growth ORDER BY month")
        ).all()
        size = db.execute(
            text("SELECT snapshot_date, member_count FROM email_audience_snapshots")
        ).one()
    assert tuple(campaign) == (
        "42694e9e57", "Mailchimp", "2025-01-10 17:00:00.000000", "2025-01-10", 1200, 7, 610, 260,
        0.5116, 0.0738, f"4_curated/{CAMPAIGNS}",
    )  # fmt: skip
    assert [tuple(row) for row in growth] == [("2025-01", 1180, None), ("2025-02", 1212, 0)]
    assert tuple(size) == ("2025-03-01", 1205)


def test_loading_twice_changes_nothing_and_a_new_version_replaces_the_rows(
    tmp_path: Path,
) -> None:
    lake = _curated_lake(tmp_path / "lake")
    engine = _warehouse(lake)
    load_sources(engine, lake, _sources(), LOG)

    again = load_sources(engine, lake, _sources(), LOG)
    revised = REPORTS_SAMPLE.read_text(encoding="utf-8").replace("1200", "1250")
    later = lake.zone("1_landing") / "mailchimp" / "mailchimp_reports_20250301_080000.json"
    later.write_text(revised, encoding="utf-8")
    clean(lake)
    newer = load_sources(engine, lake, _sources(), LOG)

    assert [o.status for o in again.outcomes] == ["unchanged"] * 3
    assert [o.status for o in newer.outcomes][0] == "loaded"
    with engine.connect() as db:
        sent = db.execute(text("SELECT emails_sent FROM email_campaigns")).scalars().all()
    assert sent == [1250]
