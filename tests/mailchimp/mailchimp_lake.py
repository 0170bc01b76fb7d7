"""A throwaway lake holding the mailchimp service, files to drop in it, and zone readers."""

from __future__ import annotations

from common.lake import Lake
from tests.fakes.lakes import ServiceLake, curated_rows  # noqa: F401 (the tests read it here)

SERVICE = "mailchimp"
LAKE = ServiceLake(SERVICE)
FIXTURES = LAKE.fixtures
REPORTS_SAMPLE = FIXTURES / "reports_response_abridged.json"
GROWTH_SAMPLE = FIXTURES / "growth_history_response.json"
LIST_SAMPLE = FIXTURES / "list_response.json"
CAMPAIGNS = "mailchimp_campaigns_curated.csv"
GROWTH = "mailchimp_list_growth_curated.csv"
AUDIENCE = "mailchimp_audience_curated.csv"

new_lake, landing, drop, drop_json = LAKE.new_lake, LAKE.landing, LAKE.drop, LAKE.drop_json


def clean(lake: Lake) -> None:
    LAKE.run_ok(lake)


def clean_runs(lake: Lake) -> list[str]:
    """The console output of each step (for the quarantine lines)."""
    return [run.stderr for run in LAKE.run_steps(lake)]
