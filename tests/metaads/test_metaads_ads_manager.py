"""The Ads Manager CSV the user exports by hand → the same checked rows as the API's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from common.quarantine import RejectedFile
from metaads.insights import validated
from metaads.landing import read_landed
from tests.metaads.metaads_lake import EXPORT_SAMPLE

HEADER = "Reporting starts,Reporting ends,Campaign name,Ad Set Name,Amount spent (EUR),Impressions"


def _export(tmp_path: Path, text: str, name: str = "BEDROT-ADS-Apr-2025.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _typed(path: Path) -> dict[str, list[object]]:
    landed = read_landed(path)
    insights, _ = validated(landed.rows, path.name, landed.where)
    return insights.to_dict(as_series=False)


def _rejection(path: Path) -> RejectedFile:
    with pytest.raises(RejectedFile) as rejected:
        read_landed(path)
    return rejected.value


def test_the_sample_is_one_ad_over_its_reporting_period() -> None:
    typed = _typed(EXPORT_SAMPLE)

    assert typed["level"] == ["ad"]
    assert (typed["date_start"], typed["date_stop"]) == ([date(2025, 1, 1)], [date(2025, 1, 31)])
    assert typed["campaign_name"] == ["EXAMPLE ARTIST - FIRST SONG - BROAD"]
    assert (typed["adset_name"], typed["ad_name"]) == (["Broad 18-34"], ["Ad 1"])
    assert typed["campaign_id"] == [None]
    assert typed["source"] == ["manual_export"]


def test_the_sample_keeps_spend_exact_in_the_currency_its_column_names() -> None:
    typed = _typed(EXPORT_SAMPLE)

    assert (typed["spend"], typed["currency"]) == ([Decimal("21.40")], ["USD"])
    assert (typed["impressions"], typed["clicks"], typed["reach"]) == ([15880], [57], [10421])


def test_link_click_results_are_link_clicks_and_an_action() -> None:
    landed = read_landed(EXPORT_SAMPLE)
    insights, actions = validated(landed.rows, EXPORT_SAMPLE.name, landed.where)

    assert insights["link_clicks"].to_list() == [42]
    assert actions.rows() == [(2, "link_click", 42)]


def test_a_report_broken_down_by_day_gives_daily_rows(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "Day,Reporting starts,Reporting ends,Campaign name,Ad Set Name,Amount spent (EUR),"
        "Impressions,Campaign ID\n"
        "2025-04-11,2025-04-11,2025-04-12,ZONE A0 - PARALLAX - TECHNO,Techno,1.50,300,"
        "120215000000000102\n"
        "2025-04-12,2025-04-11,2025-04-12,ZONE A0 - PARALLAX - TECHNO,Techno,2.25,410,"
        "120215000000000102\n",
    )

    typed = _typed(path)

    assert typed["date_start"] == typed["date_stop"] == [date(2025, 4, 11), date(2025, 4, 12)]
    assert typed["level"] == ["adset", "adset"]
    assert typed["campaign_id"] == ["120215000000000102"] * 2
    assert typed["currency"] == ["EUR", "EUR"]


def test_an_ad_that_did_not_deliver_keeps_its_row_with_impressions_empty(tmp_path: Path) -> None:
    # Ads Manager leaves the metric cells of an ad that did not deliver empty; the export's
    # other rows must not be refused for it.
    path = _export(
        tmp_path,
        f"{HEADER},Ad name\n"
        "2025-04-01,2025-04-30,ZONE A0 - PARALLAX - TECHNO,Techno,12.50,4100,Ad 1\n"
        "2025-04-01,2025-04-30,ZONE A0 - PARALLAX - TECHNO,Techno,0.00,,Ad 2\n",
    )

    typed = _typed(path)

    assert typed["ad_name"] == ["Ad 1", "Ad 2"]
    assert typed["impressions"] == [4100, None]
    assert typed["spend"] == [Decimal("12.50"), Decimal("0.00")]


def test_columns_are_found_by_name_in_any_order_and_extra_ones_ignored(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        "Impressions,Bid type,Amount spent (EUR),Campaign name,Reporting ends,Reporting starts\n"
        "300,Lowest cost,1.50,PIG1987 - NIGHT SHIFT - BROAD,2025-04-30,2025-04-01\n",
    )

    typed = _typed(path)

    assert (typed["level"], typed["spend"]) == (["campaign"], [Decimal("1.50")])


def test_an_export_re_saved_by_excel_with_its_summary_row_gives_the_campaign_rows(
    tmp_path: Path,
) -> None:
    # "Include summary row" puts the report's totals first, naming no campaign; a US Excel then
    # writes the dates month first.
    path = _export(
        tmp_path,
        f"{HEADER}\n"
        "4/1/2025,4/30/2025,,,3.75,710\n"
        "4/1/2025,4/30/2025,ZONE A0 - PARALLAX - TECHNO,Techno,1.50,300\n"
        "4/1/2025,4/30/2025,PIG1987 - NIGHT SHIFT - BROAD,Broad,2.25,410\n",
    )

    typed = _typed(path)

    assert typed["campaign_name"] == [
        "ZONE A0 - PARALLAX - TECHNO",
        "PIG1987 - NIGHT SHIFT - BROAD",
    ]
    assert typed["date_start"] == [date(2025, 4, 1)] * 2
    assert typed["date_stop"] == [date(2025, 4, 30)] * 2
    assert typed["spend"] == [Decimal("1.50"), Decimal("2.25")]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "not-empty"),
        ("<html><body>Facebook - log in</body></html>\n", "not-html"),
        ("Date,Video Views,Profile Views\n2025-04-11,10,2\n", "header"),
        (f"{HEADER}\n2025-04-01,2025-04-30,A - B - C,S,1.50,300\n2025-04-01,2025-04", "truncated"),
        (f"{HEADER}\n2025-04-01,2025-04-30,A - B - C,S,1.505,300\n", "schema"),
        (f"{HEADER}\n2025-04-01,2025-04-30,A - B - C,S,1.50,lots\n", "schema"),
        (f"{HEADER}\n31/01/2025,2025-04-30,A - B - C,S,1.50,300\n", "schema"),  # day first
        (
            f"{HEADER}\n2025-04-01,2025-04-30,A - B - C,S,1.50,300\n"
            "2025-04-01,2025-04-30,A - B - C,S,2.50,400\n",
            "repeated-row",
        ),
    ],
)
def test_bad_exports_are_rejected_with_their_rule(tmp_path: Path, text: str, rule: str) -> None:
    assert _rejection(_export(tmp_path, text)).rule == rule


def test_a_schema_failure_names_the_line(tmp_path: Path) -> None:
    path = _export(
        tmp_path,
        f"{HEADER}\n2025-04-01,2025-04-30,A - B - C,S,1.50,300\n"
        "2025-04-01,2025-04-30,A - B - C,T,1.505,300\n",
    )

    rejected = _rejection(path)

    assert str(rejected).endswith("first: spend has at most 2 decimals, but is '1.505' in line 3.")
    assert rejected.details == [
        {"column": "spend", "check": "has at most 2 decimals", "value": "1.505", "row": 3}
    ]


def test_a_wrong_header_says_which_columns_are_missing(tmp_path: Path) -> None:
    rejected = _rejection(_export(tmp_path, "Date,Video Views\n2025-04-11,10\n"))

    assert "lacks 'reporting starts', 'reporting ends', 'campaign name'" in str(rejected)
