"""config/metaads.json: the account's default currency, and a clear stop when it is unusable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.lake import init_lake
from metaads.settings import MetaAdsConfigError, MetaAdsSettings, load_settings
from tests.metaads.metaads_lake import API_SAMPLE, SERVICE, drop, new_lake, run_steps


def test_without_the_file_the_currency_stays_unknown(tmp_path: Path) -> None:
    assert load_settings(init_lake(tmp_path)) == MetaAdsSettings(default_currency=None)


def test_the_repo_config_names_the_label_account_currency() -> None:
    repo = init_lake(Path(__file__).resolve().parents[2])

    assert load_settings(repo).default_currency == "USD"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"default_currency": "usd"}', "3-letter currency code"),
        ('{"default_currency": 840}', "3-letter currency code"),
        ('["USD"]', "JSON object"),
        ("{default_currency: USD}", "not valid JSON"),
    ],
)
def test_an_unusable_file_says_what_to_fix(tmp_path: Path, content: str, says: str) -> None:
    lake = init_lake(tmp_path)
    (lake.config / "metaads.json").write_text(content, encoding="utf-8")

    with pytest.raises(MetaAdsConfigError, match=says):
        load_settings(lake)


def test_a_broken_config_stops_staging_with_its_reason_and_keeps_raw(tmp_path: Path) -> None:
    lake = new_lake(tmp_path / "lake")
    (lake.config / "metaads.json").write_text(json.dumps({"default_currency": "dollars"}))
    drop(lake, API_SAMPLE, "metaads_insights_20250103_080000.json")

    results = run_steps(lake)

    assert [r.returncode for r in results] == [0, 1, 0]
    assert "default_currency" in results[1].stderr and "'dollars'" in results[1].stderr
    assert list((lake.zone("2_raw") / SERVICE).glob("*.ndjson"))
