"""Which portal notices are sales reports, for which month, and which months are landed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from common.extractor_config import (
    ExtractorConfig,
    ExtractorConfigError,
    load_extractor_config,
)
from tests.fakes.lakes import CHECKOUT
from toolost.sales_reports import landed_months, notice_pattern, report_month, report_name

CONFIG = load_extractor_config(CHECKOUT, "toolost")


@pytest.mark.parametrize(
    "notice, month",
    [
        ("Your (01-2025) Sales report has been generated", "2025-01"),
        ("Your 12-2024 Sales report has been generated", "2024-12"),
        ("Your (13-2024) Sales report has been generated", None),
        ("Your release FIRST SONG is live on all stores", None),
    ],
)
def test_the_month_of_a_sales_report_notice(notice: str, month: str | None) -> None:
    assert report_month(notice, notice_pattern(CONFIG)) == month


def test_a_notice_pattern_without_month_and_year_groups_is_a_config_error() -> None:
    config = ExtractorConfig("toolost", "", settings={"sales_report_notice": "Sales report"})
    with pytest.raises(ExtractorConfigError, match="settings.sales_report_notice"):
        notice_pattern(config)


def test_landed_months_read_back_the_names_the_extractor_gives(tmp_path: Path) -> None:
    name = report_name("2025-01", "Sales_Report_01-2025.xlsx", datetime(2025, 2, 3, 4, 5, 6))
    (tmp_path / name).write_bytes(b"report")
    (tmp_path / "toolost_spotify_analytics_20250203_040506.json").write_bytes(b"{}")

    assert name == "toolost_sales_report_2025-01_20250203_040506.xlsx"
    assert landed_months(tmp_path) == {"2025-01"}
