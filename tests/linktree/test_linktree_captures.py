"""Linktree captures → payloads → typed tables: what is picked, what is ignored, what is refused."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from common.quarantine import RejectedFile
from linktree.captures import Capture, capture_from_json
from linktree.tables import Extraction, Tables, payload_tables
from tests.linktree.linktree_lake import (
    CURRENT_USER,
    LINKS_SOCIALS_SAMPLE,
    LOGIN_PAGE,
    OVERVIEW_SAMPLE,
    WALLET,
    activity,
    analytics,
    breakdown,
    link_titles,
    overview,
    record,
)

NAME = "graphql_20250102_180000.json"
EVENING = Extraction(datetime(2025, 1, 2, 18, 0), f"1_landing/linktree/{NAME}", NAME)


def _capture(document: object) -> Capture:
    return capture_from_json(json.dumps(document).encode("utf-8"), NAME)


def _tables(document: object) -> list[Tables]:
    return [payload_tables(payload, EVENING) for payload in _capture(document).payloads]


def _rule_of(content: bytes) -> str:
    with pytest.raises(RejectedFile) as rejected:
        for payload in capture_from_json(content, NAME).payloads:
            payload_tables(payload, EVENING)
    message = str(rejected.value)
    assert message.startswith(NAME) and message.endswith(".") and "\n" not in message
    return rejected.value.rule


def test_a_bare_response_is_one_analytics_payload_without_operation_name() -> None:
    capture = capture_from_json(OVERVIEW_SAMPLE.read_bytes(), NAME)

    assert [(p.kind, p.operation, p.index) for p in capture.payloads] == [("analytics", None, 0)]
    assert capture.ignored == []


def test_captured_operations_are_picked_by_root_field_and_the_rest_ignored() -> None:
    analytics_record = record("getAccountAnalytics", overview({"2025-01-01": (30, 12)}))
    titles_record = {"operationName": "getLinkTitles", "data": link_titles({7: "Merch"})["data"]}

    capture = _capture([CURRENT_USER, analytics_record, titles_record, WALLET])

    assert [(p.index, p.operation, p.kind) for p in capture.payloads] == [
        (1, "getAccountAnalytics", "analytics"),
        (2, "getLinkTitles", "link_titles"),
    ]
    assert [(i.describe(), i.reason) for i in capture.ignored] == [
        ("response 1 (operation currentUser)", "root field(s) currentUser: not Linktree analytics"),
        ("response 4 (operation getWallet)", "root field(s) getWallet: not Linktree analytics"),
    ]


def test_a_list_of_bare_response_bodies_is_read_too() -> None:
    capture = _capture([{"data": {"currentUser": {"id": "1"}}}, overview({"2025-01-01": (3, 1)})])

    assert [p.index for p in capture.payloads] == [1]
    assert capture.ignored[0].describe() == "response 1 (no operation name)"


def test_an_analytics_root_without_known_sections_is_ignored_not_guessed() -> None:
    capture = _capture([analytics(products=[]), overview({"2025-01-01": (3, 1)})])

    assert capture.ignored[0].reason.startswith("getAccountAnalytics holds none of overview, links")


def test_a_root_that_mixes_link_aliases_with_other_fields_is_not_link_titles() -> None:
    mixed = {"data": {"link7": {"id": "7", "title": "Merch"}, "currentUser": {"id": "1"}}}

    capture = _capture([mixed, overview({"2025-01-01": (3, 1)})])

    assert capture.ignored[0].reason == "root field(s) currentUser, link7: not Linktree analytics"


def test_a_response_with_errors_keeps_the_sections_that_answered() -> None:
    partial = {**overview({"2025-01-01": (3, 1)}), "errors": [{"message": "links timed out"}]}

    (payload,) = _capture(partial).payloads

    assert payload.errors == ["links timed out"]


def test_a_utf8_bom_is_accepted() -> None:
    capture = capture_from_json(b"\xef\xbb\xbf" + OVERVIEW_SAMPLE.read_bytes(), NAME)

    assert len(capture.payloads) == 1


def test_todays_day_is_partial_and_earlier_days_are_complete() -> None:
    (tables,) = _tables(
        overview({"2025-01-01": (30, 12), "2025-01-02": (10, 4), "2025-01-03": (1, 0)})
    )

    flags = dict(tables["daily"].select("date", "is_partial_day").iter_rows())
    assert flags == {date(2025, 1, 1): False, date(2025, 1, 2): True, date(2025, 1, 3): True}


def test_a_missing_ctr_is_filled_from_clicks_and_views_and_marked_so() -> None:
    days = [
        {k: v for k, v in activity("2025-01-01", 30, 12).items() if k != "clickThroughRate"},
        activity("2025-01-02", 0, 0, clickThroughRate=None),
        activity("2025-01-03", 2, 5, clickThroughRate=None),
        activity("2025-01-04", 3, 1, clickThroughRate=0.25),
    ]
    (tables,) = _tables(analytics(overview={"timeseries": days}))

    assert tables["daily"].select("ctr", "ctr_is_computed").rows() == [
        (0.4, True),
        (None, False),
        (None, False),
        (0.25, False),
    ]


def test_window_totals_carry_the_capture_day_and_the_query_variables() -> None:
    variables = {"startDate": "2024-01-03", "endDate": "2025-01-02"}
    response = analytics(referrers={"referrers": [breakdown("t.co", 4, 1)]})

    (tables,) = _tables([record("getAccountAnalytics", response, variables)])

    assert tables["referrers"].select("captured_on", "referrer", "query_variables").rows() == [
        (date(2025, 1, 2), "t.co", '{"endDate":"2025-01-02","startDate":"2024-01-03"}')
    ]


def test_link_ids_sent_as_text_are_read_as_numbers_and_titles_keyed_by_alias() -> None:
    (tables,) = _tables(link_titles({400000001: "New single", 400000002: None}))

    assert tables["link_titles"].select("link_id", "title").rows() == [(400000001, "New single")]


def test_the_links_and_socials_sample_becomes_links_and_daily_socials() -> None:
    capture = capture_from_json(LINKS_SOCIALS_SAMPLE.read_bytes(), NAME)
    (tables,) = [payload_tables(payload, EVENING) for payload in capture.payloads]

    assert tables["links"].select("link_id", "clicks").rows() == [(400000001, 18)]
    assert tables["socials"].select("date", "social", "views", "clicks").rows() == [
        (date(2025, 1, 1), "instagram", 0, 2)
    ]


def _day(**overrides: object) -> bytes:
    day = {**activity("2025-01-02", 30, 12), **overrides}
    return json.dumps(analytics(overview={"timeseries": [day]})).encode("utf-8")


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", "not-empty"),
        (b"  \n", "not-empty"),
        (LOGIN_PAGE, "not-html"),
        (b'{"data": {"getAccountAnalytics": {"overview": ', "truncated"),
        (b'{"data": {}} trailing', "invalid-json"),
        (b"[1, 2]", "no-analytics"),
        (b"[]", "no-analytics"),
        (b"42", "unknown-shape"),
        (b'{"message": "Unauthenticated."}', "unknown-shape"),
        (b"%PDF-1.7\n", "unknown-format"),
        (_day(totalViews=30.0), "schema"),
        (_day(totalViews=True), "schema"),
        (_day(totalViews=None), "schema"),
        (_day(uniqueClicks="9"), "schema"),
        (_day(clickThroughRate="0.4"), "schema"),
        (_day(clickThroughRate=-0.1), "schema"),
        (_day(date=20250102), "schema"),
        (_day(date="2025-02-30"), "schema"),
        (json.dumps(analytics(links=[{"id": "x1", "clicks": {"total": 3}}])).encode(), "schema"),
        (json.dumps(analytics(links=[{"id": 1, "clicks": 3}])).encode(), "schema"),
        (json.dumps(analytics(links={"id": 1})).encode(), "unknown-shape"),
        (json.dumps({"data": {"link7": "Merch"}}).encode(), "unknown-shape"),
        (json.dumps({"data": {"link7": {"title": 7}}}).encode(), "schema"),
    ],
)
def test_bad_captures_are_rejected_with_their_rule(content: bytes, rule: str) -> None:
    assert _rule_of(content) == rule


def test_a_social_listed_twice_for_one_day_is_refused() -> None:
    entry = {"date": "2025-01-01", "name": "tiktok", "views": {"total": 0}, "clicks": {"total": 1}}
    content = json.dumps(analytics(socials={"timeseries": [entry, entry]})).encode("utf-8")

    with pytest.raises(RejectedFile) as rejected:
        payload_tables(capture_from_json(content, NAME).payloads[0], EVENING)

    assert "socials.timeseries[0].date+name" in str(rejected.value)


def test_every_failure_of_a_capture_is_reported_at_once() -> None:
    days = [
        activity("2025-01-01", 1, 1, totalViews="1"),
        activity("2025-01-02", 2, 1, totalClicks=-1),
        activity("x", 3, 1),
    ]
    content = json.dumps(analytics(overview={"timeseries": days})).encode("utf-8")

    with pytest.raises(RejectedFile) as rejected:
        payload_tables(capture_from_json(content, NAME).payloads[0], EVENING)

    assert isinstance(rejected.value.details, list)
    assert [(case["row"], case["column"].rsplit(".", 1)[1]) for case in rejected.value.details] == [
        (0, "totalViews"),
        (1, "totalClicks"),
        (2, "date"),
    ]
