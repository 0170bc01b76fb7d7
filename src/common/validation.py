"""Validating typed frames (pandera, or polars expressions streamed over a file); a failure
becomes a RejectedFile with its failure cases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from common.quarantine import RejectedFile
from common.zones import is_disk_full

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
    schema: pa.DataFrameSchema,
    file_name: str,
    row_offset: int = 2,
) -> pl.DataFrame:
    """Typed frame from an all-text frame, or one RejectedFile listing every failure case.

    Parsing is lenient (a bad value becomes null), so failures are found by comparing the text
    with the typed value, which keeps the original text in the failure table. Then pandera checks
    the typed frame (types, nullability, values). One pass each, fit for millions of rows.
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
    table: list[dict[str, object]] = []
    for column, check, failed in flags:
        failed = failed.fill_null(False)
        if not failed.any():
            continue
        for index in failed.arg_true().head(MAX_FAILURE_CASES).to_list():
            value = strings[column][index]
            table.append({"column": column, "check": check, "value": value, "row": index})
    try:
        validated = validate_frame(typed, schema, file_name, row_offset=0)
    except RejectedFile as error:
        # A value that did not parse is null in the typed frame: report it once, as text.
        reported = {(row["column"], row["row"]) for row in table}
        table += [
            row
            for row in (error.details if isinstance(error.details, list) else [])
            if (row["column"], row["row"]) not in reported
        ]
        validated = typed
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


@dataclass(frozen=True)
class Check:
    """One rule of a streamed check: `failed(column)` is true where the text breaks it."""

    column: str
    check: str
    failed: Callable[[pl.Expr], pl.Expr]


def checks_of(
    parses: Sequence[Parse], rules: Sequence[TextRule], typed_rules: Sequence[TextRule] = ()
) -> list[Check]:
    """The rules of `type_and_validate` as checks on the text: a typed rule sees its column's
    parsed value (or the text when nothing parses it), as it does there."""
    parsing = {p.column: p.parse for p in parses}

    def parse_failed(p: Parse) -> Callable[[pl.Expr], pl.Expr]:
        return lambda e: e.is_not_null() & p.parse(e).is_null()

    def breaks(rule: TextRule, typed: bool) -> Callable[[pl.Expr], pl.Expr]:
        parse = parsing.get(rule.column) if typed else None
        if parse is None:
            return lambda e: ~rule.ok(e)
        return lambda e: ~rule.ok(parse(e))

    return (
        [Check(p.column, p.check, parse_failed(p)) for p in parses]
        + [Check(r.column, r.check, breaks(r, typed=False)) for r in rules]
        + [Check(r.column, r.check, breaks(r, typed=True)) for r in typed_rules]
    )


def sink_checked(
    strings: pl.LazyFrame,
    row: str,
    checks: Sequence[Check],
    sink: Callable[[pl.LazyFrame], pl.LazyFrame],
    file_name: str,
) -> None:
    """Run the lazy `sink(strings)` and the `checks` in one streamed pass over the file, so
    memory stays flat whatever its size; raises one RejectedFile listing the failure cases
    (after the sink wrote: write to a temporary file, as `atomic_write_with` does).

    `strings` is the all-text frame with its file line number in column `row`; both the sink
    and the checks read the same scan (polars runs it once for both).
    """
    import polars as pl

    flags = [
        c.failed(pl.col(c.column)).fill_null(False).alias(f"_check{i}")
        for i, c in enumerate(checks)
    ]
    names = [f"_check{i}" for i in range(len(checks))]
    failing = (
        strings.with_columns(flags).filter(pl.any_horizontal(names)).head(MAX_FAILURE_CASES)
        if checks
        else strings.head(0).with_columns(flags)
    )
    try:
        _, failed = pl.collect_all([sink(strings), failing], engine="streaming")
    except pl.exceptions.PolarsError as error:
        if is_disk_full(error):  # the disk, not the file: the caller's write says so
            raise
        raise RejectedFile(
            f"{file_name} cannot be read as a table: {error}", rule="parse"
        ) from None
    table: list[dict[str, object]] = []
    for case in failed.iter_rows(named=True):
        reported: set[str] = set()
        for name, check in zip(names, checks):
            # A value that did not parse is null for the typed rules too: reported once.
            if case[name] and check.column not in reported:
                reported.add(check.column)
                value = case[check.column]
                table.append(
                    {"column": check.column, "check": check.check, "value": value, "row": case[row]}
                )
    if table:
        _raise_with(table[:MAX_FAILURE_CASES], file_name, 0)
