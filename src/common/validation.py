"""Validating typed frames with pandera; a failure becomes a RejectedFile with its failure cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from common.quarantine import RejectedFile

if TYPE_CHECKING:
    import pandera.polars as pa
    import polars as pl

MAX_FAILURE_CASES = 1000


def failure_cases_table(error: Any) -> list[dict[str, object]]:
    """pandera's failure cases as rows of (column, check, value, row)."""
    cases = error.failure_cases
    rows = []
    for case in cases.head(MAX_FAILURE_CASES).iter_rows(named=True):
        rows.append(
            {
                "column": case.get("column"),
                "check": str(case.get("check")),
                "value": None if case.get("failure_case") is None else str(case["failure_case"]),
                "row": case.get("index"),
            }
        )
    return rows


def validate_frame(
    frame: pl.DataFrame, schema: pa.DataFrameSchema, file_name: str, row_offset: int = 0
) -> pl.DataFrame:
    """The validated frame, or a RejectedFile listing every failure case (lazily, all at once).

    `row_offset` turns frame indexes into the file's line numbers (e.g. 2 for a header line).
    """
    import pandera.errors

    try:
        return schema.validate(frame, lazy=True)
    except (pandera.errors.SchemaErrors, pandera.errors.SchemaError) as error:
        table = failure_cases_table(error)
        for row in table:
            if isinstance(row["row"], int):
                row["row"] = row["row"] + row_offset
        first = table[0] if table else {}
        raise RejectedFile(
            f"{file_name} fails {len(table)} check(s); first: column {first.get('column')!r} "
            f"check {first.get('check')} value {first.get('value')!r} on line {first.get('row')}.",
            rule="schema",
            location=f"line {first.get('row')}",
            details=table,
        ) from None
