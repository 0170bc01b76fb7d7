"""Capital One names the framework reads without importing the cleaning code (no polars)."""

from __future__ import annotations

SERVICE = "capitalone"
# The folded card ledger: every transaction once, expenses and credits signed.
TRANSACTIONS_CURATED = "capitalone_transactions.csv"
