"""Validating typed frames (polars expressions, or pandera); a failure becomes a RejectedFile with
its failure cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

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
        _raise_with(failure_cases_table(error), file_name, row_offset)


@dataclass(frozen=True)
class TextRule:
    """A check on a text column before it is typed: `ok(column)` is true where the text is fine."""

    column: str
    check: str
    ok: Callable[[pl.Expr], pl.Expr]


@dataclass(frozen=True)
class Parse:
    """How one text column becomes typed; a non-empty text that does not parse is a failure."""

    column: str
    check: str
    parse: Callable[[pl.Expr], pl.Expr]


def type_and_validate(
    strings: pl.DataFrame,
    parses: Sequence[Parse],
    rules: Sequence[TextRule],
    schema: pa.DataFrameSchema | None,
    file_name: str,
    row_offset: int = 2,
    typed_rules: Sequence[TextRule] = (),
) -> pl.DataFrame:
    """Typed frame from an all-text frame, or one RejectedFile listing every failure case.

    Parsing is lenient (a bad value becomes null), so failures are found by comparing the text
    with the typed value, which keeps the original text in the failure table. `typed_rules` check
    the typed values (a null passes unless the rule says otherwise) as plain polars expressions;
    a pandera `schema`, if given, checks the typed frame after them. Without a schema the whole
    check is a few vectorised passes, fit for millions of rows (pandera is not even imported).
    """
    import polars as pl

    typed = strings.with_columns(p.parse(pl.col(p.column)).alias(p.column) for p in parses)
    flags = [
        (p.column, p.check, strings[p.column].is_not_null() & typed[p.column].is_null())
        for p in parses
    ]
    if rules:
        text_ok = strings.select(r.ok(pl.col(r.column)).alias(str(i)) for i, r in enumerate(rules))
        flags += [(r.column, r.check, ~text_ok[str(i)]) for i, r in enumerate(rules)]
    if typed_rules:
        typed_ok = typed.select(
            r.ok(pl.col(r.column)).alias(str(i)) for i, r in enumerate(typed_rules)
        )
        flags += [(r.column, r.check, ~typed_ok[str(i)]) for i, r in enumerate(typed_rules)]
    table: list[dict[str, object]] = []
    reported: set[tuple[object, object]] = set()
    for column, check, failed in flags:
        failed = failed.fill_null(False)
        if not failed.any():
            continue
        for index in failed.arg_true().head(MAX_FAILURE_CASES).to_list():
            if (column, index) in reported:
                continue  # a value that did not parse is null: reported once, as text
            reported.add((column, index))
            value = strings[column][index]
            table.append({"column": column, "check": check, "value": value, "row": index})
    validated = typed
    if schema is not None:
        try:
            validated = validate_frame(typed, schema, file_name, row_offset=0)
        except RejectedFile as error:
            table += [
                row
                for row in (error.details if isinstance(error.details, list) else [])
                if (row["column"], row["row"]) not in reported
            ]
    if table:
        _raise_with(table[:MAX_FAILURE_CASES], file_name, row_offset)
    return validated


def _raise_with(table: list[dict[str, object]], file_name: str, row_offset: int) -> NoReturn:
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
    )
