"""DistroKid declares itself: its curated datasets, login, freshness windows and demo."""

from __future__ import annotations

from common.daily_streams import TIDY_DAILY_STREAMS
from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from distrokid.settings import BANK_DETAILS_CURATED
from distrokid.settings import SERVICE as NAME

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        # Royalty line items have no natural key of their own (two identical sales are two
        # lines): each is the row it was in the export that owns its (reporting date, sale
        # month), the export named by its short id (common.lineage).
        Dataset(
            "bank_details",
            BANK_DETAILS_CURATED,
            keys=("source_id", "source_row"),
            loader="royalty_lines",
        ),
        # DistroKid's rows of the file it shares with TooLost (owned by common.daily_streams).
        Dataset(
            "daily_streams", TIDY_DAILY_STREAMS, keys=("date", "source"), loader="daily_streams"
        ),
    ),
    login=LoginDeclaration(
        "playwright", max_age_days=90, refresh_interval_days=10, priority="MEDIUM"
    ),
    health=HealthWindow(warn_days=2, fail_days=5),
    priority="MEDIUM",
    demo_writer="distrokid.demo:write_distrokid",
    description="Royalty line items (bank details) and the streams / Apple Music stats pages.",
)
