"""Which captured GraphQL answers the Linktree extractor keeps, and the config naming them."""

from __future__ import annotations

import json

import pytest

from common.extractor_config import ExtractorConfig, ExtractorConfigError, load_extractor_config
from linktree.graphql_capture import CapturedOperation, newest_kept, wanted_operations
from tests.fakes.lakes import CHECKOUT
from tests.linktree.linktree_lake import analytics, link_titles, overview

WANTED = wanted_operations(load_extractor_config(CHECKOUT, "linktree"))


def _answer(operation: str, body: object) -> CapturedOperation:
    return CapturedOperation(operation, "query { … }", {"range": {"days": 365}}, body)


def test_only_configured_operations_answering_their_root_field_are_kept() -> None:
    captured = [
        _answer("currentUser", {"data": {"currentUser": {"id": "1"}}}),
        _answer("AccountAnalyticsOverview", overview({"2025-01-01": (3, 1)})),
        _answer("AccountAnalyticsLinksSocials", analytics(products=[])),
        _answer("getWallet", analytics(overview={"timeseries": []})),
        _answer("LinkTitles", link_titles({7: "Merch"})),
        _answer("AccountAnalyticsLifetimeLocations", "<html>Log in</html>"),
    ]

    assert sorted(newest_kept(captured, WANTED)) == ["AccountAnalyticsOverview", "LinkTitles"]


def test_the_last_answer_of_an_operation_wins_and_lands_as_a_capture_record() -> None:
    first = _answer("AccountAnalyticsOverview", overview({"2025-01-01": (3, 1)}))
    last = _answer("AccountAnalyticsOverview", overview({"2025-01-02": (5, 2)}))

    kept = newest_kept([first, last], WANTED)["AccountAnalyticsOverview"]

    record = json.loads(kept.landing_record())
    assert record["operationName"] == "AccountAnalyticsOverview"
    assert record["response"] == overview({"2025-01-02": (5, 2)})


@pytest.mark.parametrize(
    "operations",
    [{}, {"Overview": "getAccountAnalytics.overview"}, {"Overview": ["getAccountAnalytics.x"]}],
)
def test_a_wrong_operations_setting_is_a_config_error(operations: object) -> None:
    config = ExtractorConfig("linktree", "", settings={"operations": operations})
    with pytest.raises(ExtractorConfigError, match="settings.operations"):
        wanted_operations(config)
