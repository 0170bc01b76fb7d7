"""Cells of CSV files that people open in a spreadsheet (statements, quarantine failure tables):
text from outside never runs as a formula there.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return, which some
spreadsheets skip before looking) is read by Excel and LibreOffice as a formula: a track title
or a campaign name from an export could then run a command or leak data (CSV injection). Such
text is written with a leading apostrophe, which both show as plain text. Curated data files
are not for people but for the warehouse, and keep every value exactly as it came.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str) -> str:
    """Outside text as a spreadsheet shows it, never as a formula it would run."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
