"""Capital One declares itself: its curated ledger, freshness windows and demo (no login: the
statements are downloaded and dropped by hand)."""

from __future__ import annotations

from capitalone.settings import SERVICE as NAME
from capitalone.settings import TRANSACTIONS_CURATED
from common.declarations import Dataset, HealthWindow, ServiceDeclaration

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        # A transaction is what the bank prints about it plus its occurrence in its statement
        # (see capitalone.statements); in the curated file each row keeps where it came from,
        # the statement named by its short id (common.lineage).
        Dataset(
            "transactions",
            TRANSACTIONS_CURATED,
            keys=("source_id", "source_row"),
            loader="expenses",
        ),
    ),
    login=None,
    # A monthly statement dropped by hand: a month and a bit before it is late.
    health=HealthWindow(warn_days=35, fail_days=60),
    priority="MEDIUM",
    demo_writer="capitalone.demo:write_capitalone",
    description="Card transactions (expenses and credits) from CSV exports dropped by hand.",
)
