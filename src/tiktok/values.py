"""Studio's number texts: counts ("1234", "-1", "18,400", "1.2K") and fractions ("0.51", "51%")."""

from __future__ import annotations

import re
from decimal import Decimal

from tiktok.settings import MISSING_VALUES

_PLAIN = re.compile(r"[+-]?\d+")
# Thousands grouped with a comma, a dot or a (narrow, no-break) space: counts have no decimals.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+")
_SHORT = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*([kKmMbB])")
_FRACTION = re.compile(r"\d+(?:\.\d+)?")
_SCALE = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def is_missing(text: str | None) -> bool:
    """True for an empty cell and the texts Studio writes for a value it lacks ('undefined')."""
    return text is None or text.strip().casefold() in MISSING_VALUES


def parse_count(text: str) -> int | None:
    """A whole count, negative ones included (comments −1 after deletions); None if unreadable.

    Short forms such as '1.2K' are what Studio shows, already rounded: 1200.
    """
    cleaned = text.strip()
    if _PLAIN.fullmatch(cleaned):
        return int(cleaned)
    if _GROUPED.fullmatch(cleaned):
        return int(re.sub(r"[^\d+-]", "", cleaned))
    short = _SHORT.fullmatch(cleaned)
    if short:
        return int(Decimal(short[1].replace(",", ".")) * _SCALE[short[2].lower()])
    return None


def parse_fraction(text: str) -> float | None:
    """A share from 0 to 1: '0.51', '0,51' or '51%' → 0.51; None if unreadable."""
    cleaned = text.strip().replace(",", ".")
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%").strip()
    if not _FRACTION.fullmatch(cleaned):
        return None
    value = Decimal(cleaned) / (100 if percent else 1)
    return float(value)
