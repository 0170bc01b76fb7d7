"""JSON values typed and validated in one pass, failures named by their place in the JSON.

Every value is first written as its JSON text, so a count sent as `"30"` or `30.5` fails its check
with the text it had, and all failures of a capture are reported at once (one failure-cases table).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandera.polars as pa
import polars as pl
from pandera.polars import PolarsData

from common.quarantine import RejectedFile
from common.validation import Parse, type_and_validate

Kind = Literal["count", "id", "rate", "date", "text", "flag", "coordinate"]

_DTYPES: dict[Kind, pl.DataType] = {
    "count": pl.Int64(),
    "id": pl.Int64(),
    "rate": pl.Float64(),
    "date": pl.Date(),
    "text": pl.String(),
    "flag": pl.Boolean(),
    "coordinate": pl.Float64(),
}
_NUMBER = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"


def _parse(kind: Kind) -> tuple[str, Callable[[pl.Expr], pl.Expr]]:
    """(check, parse) of one kind of JSON value; anything else becomes null, i.e. a failure."""
    parses: dict[Kind, tuple[str, Callable[[pl.Expr], pl.Expr]]] = {
        "count": (
            "is a whole number",
            lambda c: pl.when(c.str.contains(r"^-?\d+$")).then(c).str.to_integer(strict=False),
        ),
        "id": (
            "is a whole-number id",
            lambda c: c.str.extract(r'^"?(\d+)"?$', 1).str.to_integer(strict=False),
        ),
        "rate": (
            "is a number",
            lambda c: pl.when(c.str.contains(_NUMBER)).then(c).cast(pl.Float64),
        ),
        "coordinate": (
            "is a number",
            lambda c: pl.when(c.str.contains(_NUMBER)).then(c).cast(pl.Float64),
        ),
        "date": (
            "is a YYYY-MM-DD date",
            lambda c: c.str.extract(r'^"(\d{4}-\d{2}-\d{2})"$', 1).str.to_date(
                "%Y-%m-%d", strict=False
            ),
        ),
        "text": (
            "is text",
            lambda c: pl.when(c.str.starts_with('"')).then(c).str.json_decode(pl.String),
        ),
        "flag": (
            "is true or false",
            lambda c: pl.when(c.is_in(["true", "false"])).then(c == "true"),
        ),
    }
    return parses[kind]


def _between(low: float, high: float | None, name: str) -> pa.Check:
    """A check named in words, so the failure table says what a value should have been."""

    def check(data: PolarsData) -> pl.LazyFrame:
        value = pl.col(data.key)
        return data.lazyframe.select(value >= low if high is None else value.is_between(low, high))

    return pa.Check(check, name=name)


_CHECKS: dict[Kind, list[pa.Check]] = {
    "count": [_between(0, None, "is not negative")],
    "id": [_between(0, None, "is not negative")],
    # A CTR above 1 is real (a day or referrer with more clicks than views): only warned about.
    "rate": [_between(0, None, "is not negative")],
    "coordinate": [_between(-180, 180, "is a coordinate in degrees")],
}


@dataclass(frozen=True)
class Field:
    """One value of an entry: our column, where it sits in the entry, its kind."""

    column: str
    path: tuple[str | int, ...]
    kind: Kind
    required: bool = True


def _dig(entry: object, path: Sequence[str | int]) -> object:
    for step in path:
        if isinstance(step, int):
            entry = entry[step] if isinstance(entry, list) and step < len(entry) else None
        else:
            entry = entry.get(step) if isinstance(entry, dict) else None
    return entry


def _json_text(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _schema(fields: Sequence[Field], unique: Sequence[str]) -> pa.DataFrameSchema:
    """A one-column key is checked on its column, so a failure case shows the repeated value."""
    columns = {
        f.column: pa.Column(
            _DTYPES[f.kind],
            checks=_CHECKS.get(f.kind, []),
            nullable=not f.required,
            unique=list(unique) == [f.column],
        )
        for f in fields
    }
    return pa.DataFrameSchema(
        columns, strict=True, unique=list(unique) if len(unique) > 1 else None
    )


def typed_entries(
    entries: list[object],
    fields: Sequence[Field],
    unique: Sequence[str],
    where: Callable[[int], str],
    file_name: str,
) -> pl.DataFrame:
    """The entries as a typed, validated frame; every failure is reported at its JSON place."""
    strings = pl.DataFrame(
        {f.column: [_json_text(_dig(entry, f.path)) for entry in entries] for f in fields},
        schema={f.column: pl.String() for f in fields},
    )
    parses = [Parse(f.column, *_parse(f.kind)) for f in fields]
    try:
        return type_and_validate(
            strings, parses, [], _schema(fields, unique), file_name, row_offset=0
        )
    except RejectedFile as error:
        raise _located(error, fields, unique, where, file_name) from None


def _located(
    error: RejectedFile,
    fields: Sequence[Field],
    unique: Sequence[str],
    where: Callable[[int], str],
    file_name: str,
) -> RejectedFile:
    """The failure cases with each column named as the JSON field it came from."""
    paths = {f.column: ".".join(str(step) for step in f.path) for f in fields}
    table = error.details if isinstance(error.details, list) else []
    located = []
    for case in table:
        row = case.get("row")
        entry = where(row) if isinstance(row, int) else "?"
        column = case.get("column")
        name = paths.get(str(column), "+".join(paths[c] for c in unique))
        located.append({**case, "column": f"{entry}.{name}"})
    if not located:
        return error
    located.sort(key=lambda case: (case["row"] is None, case["row"], case["column"]))
    first = located[0]
    return RejectedFile(
        f"{file_name} has {len(located)} value(s) that do not fit Linktree's analytics; first: "
        f"{first['column']} = {first['value']} fails '{first['check']}'.",
        rule="schema",
        location=str(first["column"]),
        details=located,
    )
