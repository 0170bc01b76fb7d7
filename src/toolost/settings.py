"""TooLost names the framework reads without importing the cleaning code (no polars)."""

from __future__ import annotations

SERVICE = "toolost"
