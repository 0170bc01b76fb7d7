"""DistroKid names the framework reads without importing the cleaning code (no polars)."""

from __future__ import annotations

SERVICE = "distrokid"
# The curated royalty line items ("See Excruciating Detail" bank exports), one file.
BANK_DETAILS_CURATED = "dk_bank_details.csv"
