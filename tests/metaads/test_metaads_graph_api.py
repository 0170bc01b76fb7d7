"""Graph API responses → checked insights rows: strings typed exactly, ids kept as text."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from common.quarantine import RejectedFile
from metaads.insights import validated
from metaads.landing import read_landed
from tests.metaads.metaads_lake import API_SAMPLE, api_row, response


def _landed(tmp_path: Path, payload: object, name: str = "metaads_insights.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def _typed(path: Path) -> dict[str, list[object]]:
    landed = read_landed(path)
    insights, _ = validated(landed.rows, path.name, landed.where)
    return insights.to_dict(as_series=False)


def _rejection(path: Path) -> RejectedFile:
    with pytest.raises(RejectedFile) as rejected:
        read_landed(path)
    return rejected.value


def test_the_sample_is_read_with_ids_as_text_and_exact_spend() -> None:
    typed = _typed(API_SAMPLE)

    assert typed["campaign_id"] == ["120200000000000001"] * 2
    assert typed["adset_id"] == ["120200000000000101"] * 2
    assert typed["spend"] == [Decimal("3.41"), Decimal("2.95")]
    assert typed["date_start"] == [date(2025, 1, 1), date(2025, 1, 2)]
    assert typed["level"] == ["adset", "adset"]


def test_ctr_stays_the_percentage_meta_reports() -> None:
    assert _typed(API_SAMPLE)["ctr"] == [0.605602, 0.543478]


def test_link_clicks_come_from_the_link_click_action_and_are_zero_without_actions() -> None:
    assert _typed(API_SAMPLE)["link_clicks"] == [7, 0]


def test_inline_link_clicks_win_over_the_action(tmp_path: Path) -> None:
    row = {**api_row("2025-04-11", actions={"link_click": "3"}), "inline_link_clicks": "5"}

    assert _typed(_landed(tmp_path, response(row)))["link_clicks"] == [5]


def test_link_clicks_are_unknown_when_the_pull_asked_for_no_actions(tmp_path: Path) -> None:
    assert _typed(_landed(tmp_path, response(api_row("2025-04-11"))))["link_clicks"] == [None]


def test_actions_are_one_row_per_type(tmp_path: Path) -> None:
    landed = read_landed(API_SAMPLE)
    _, actions = validated(landed.rows, API_SAMPLE.name, landed.where)

    assert actions.rows() == [
        (1, "link_click", 7),
        (1, "page_engagement", 9),
        (1, "post_engagement", 9),
        (1, "video_view", 212),
        (1, "offsite_conversion.fb_pixel_view_content", 3),
    ]


def test_a_list_of_pages_is_one_pull_numbered_across_pages(tmp_path: Path) -> None:
    pages = [
        {**response(api_row("2025-04-11")), "paging": {"next": "https://graph.example/next"}},
        response(api_row("2025-04-12"), api_row("2025-04-13")),
    ]
    landed = read_landed(_landed(tmp_path, pages))

    assert [row.source_row for row in landed.rows] == [1, 2, 3]
    assert landed.where(3) == "entry 3 (page 2)"


def test_numbers_sent_as_json_numbers_keep_their_exact_text(tmp_path: Path) -> None:
    path = tmp_path / "metaads_insights.json"
    path.write_text(
        '{"data": [{"campaign_id": 120200000000000001, "campaign_name": "X", "spend": 3.10,'
        ' "impressions": 12, "date_start": "2025-04-11", "date_stop": "2025-04-11"}]}',
        encoding="utf-8",
    )

    typed = _typed(path)

    assert typed["campaign_id"] == ["120200000000000001"]
    assert typed["spend"] == [Decimal("3.10")]


def test_the_account_currency_is_kept_when_the_pull_asked_for_it(tmp_path: Path) -> None:
    row = {**api_row("2025-04-11"), "account_currency": "EUR"}

    assert _typed(_landed(tmp_path, response(row)))["currency"] == ["EUR"]


def test_campaign_level_rows_have_no_adset(tmp_path: Path) -> None:
    typed = _typed(_landed(tmp_path, response(api_row("2025-04-11", adset=None))))

    assert typed["level"] == ["campaign"] and typed["adset_id"] == [None]


def test_an_error_payload_names_the_code_and_what_to_do(tmp_path: Path) -> None:
    error = {"error": {"message": "User request limit reached", "type": "OAuthException",
                       "code": 17, "error_subcode": 2446079, "fbtrace_id": "AbC"}}  # fmt: skip

    rejected = _rejection(_landed(tmp_path, error))

    assert rejected.rule == "api-error"
    assert "code 17: User request limit reached" in str(rejected)
    assert "rate limit" in str(rejected)


def test_an_error_page_in_a_saved_pull_rejects_the_whole_pull(tmp_path: Path) -> None:
    pages = [response(api_row("2025-04-11")), {"error": {"code": 190, "message": "expired"}}]

    rejected = _rejection(_landed(tmp_path, pages))

    assert rejected.rule == "api-error" and "access token" in str(rejected)


def test_an_id_that_went_through_a_float_is_refused(tmp_path: Path) -> None:
    row = {**api_row("2025-04-11"), "campaign_id": "1.202e+17"}

    rejected = _rejection(_landed(tmp_path, response(row)))

    assert rejected.rule == "schema"
    assert isinstance(rejected.details, list)
    assert rejected.details[0]["column"] == "campaign_id"
    assert rejected.details[0]["value"] == "1.202e+17"


def test_failures_name_the_entry_and_page(tmp_path: Path) -> None:
    pages = [response(api_row("2025-04-11")), response(api_row("2025-04-12", reach="n/a"))]

    rejected = _rejection(_landed(tmp_path, pages))

    assert rejected.location == "entry 2 (page 2)"
    assert "reach is a whole number, but is 'n/a' in entry 2 (page 2)" in str(rejected)


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        (api_row("2025-04-11", spend="3.415"), "spend", "3.415"),
        (api_row("2025-04-11", spend="$3.41"), "spend", "$3.41"),
        (api_row("2025-04-11", impressions="1,321"), "impressions", "1,321"),
        ({**api_row("2025-04-11"), "ctr": "NaN"}, "ctr", "NaN"),
        (api_row("2025-04-11", actions={"link_click": "seven"}), "actions.value", "seven"),
        (api_row("2025-04-31"), "date_start", "2025-04-31"),
        (api_row("2025-04-12", until="2025-04-11"), "date_stop", None),
    ],
)
def test_bad_values_are_listed_as_failure_cases(
    tmp_path: Path, row: dict[str, object], column: str, value: str | None
) -> None:
    rejected = _rejection(_landed(tmp_path, response(row)))

    assert rejected.rule == "schema"
    assert isinstance(rejected.details, list)
    cases = {(case["column"], case["value"]) for case in rejected.details}
    assert any(case[0] == column or (value is None and case[0] is None) for case in cases), cases
    if value is not None:
        assert (column, value) in cases


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("", "not-empty"),
        ("<!DOCTYPE html><html><head><title>Log in</title></head></html>", "not-html"),
        ('{"data": [{"campaign_id": "1', "truncated"),
        ("{'data': []}", "invalid-json"),
        ('{"message": "hello"}', "unknown-shape"),
        ("[]", "not-empty"),
        ('{"data": ["row"]}', "unknown-shape"),
        ('{"data": [{"actions": "many"}]}', "unknown-shape"),
    ],
)
def test_files_that_are_no_response_are_rejected_with_their_rule(
    tmp_path: Path, content: str, rule: str
) -> None:
    path = tmp_path / "metaads_insights.json"
    path.write_text(content, encoding="utf-8")

    assert _rejection(path).rule == rule


def test_the_same_row_twice_in_one_pull_is_refused(tmp_path: Path) -> None:
    pages = [response(api_row("2025-04-11")), response(api_row("2025-04-11", spend="2.00"))]

    rejected = _rejection(_landed(tmp_path, pages))

    assert rejected.rule == "repeated-row"
    assert "entry 1 (page 1), entry 2 (page 2)" in str(rejected)


def test_an_empty_data_list_is_a_pull_without_delivery(tmp_path: Path) -> None:
    assert read_landed(_landed(tmp_path, response())).rows == []


def test_a_file_that_is_neither_json_nor_csv_is_an_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "BEDROT-ADS-Jan-2025.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 32)

    assert _rejection(path).rule == "unknown-format"
