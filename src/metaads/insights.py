"""One insights row, whichever file it came from: its text fields, its checks and its typed form.

Graph API responses and Ads Manager exports are both read into `InsightRow`s holding the values as
Meta wrote them (text). Every row is checked before anything is written from its file; raw keeps
the checked text, and staging types it with the same rules (spend exact, ids as text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from common.quarantine import RejectedFile
from common.validation import Parse, TextRule, type_and_validate
from metaads.settings import API, CURRENCY_TEXT, LEVELS, MANUAL_EXPORT, SPEND_SCALE

if TYPE_CHECKING:
    import pandera.polars as pa
    import polars as pl

ID_FIELDS = ("campaign_id", "adset_id", "ad_id")
WHOLE_NUMBER_FIELDS = ("impressions", "clicks", "link_clicks", "reach")
RATE_FIELDS = ("frequency", "cpc", "cpm", "ctr")
TEXT_FIELDS = (
    "source",
    "level",
    "date_start",
    "date_stop",
    "campaign_id",
    "campaign_name",
    "adset_id",
    "adset_name",
    "ad_id",
    "ad_name",
    "currency",
    "spend",
    *WHOLE_NUMBER_FIELDS,
    *RATE_FIELDS,
)
SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"
# One row per period and campaign, ad set and ad (each by id, else by name): see entity_keys.
ROW_KEY = ("date_start", "date_stop", "campaign_key", "adset_key", "ad_key")
_DIGITS = r"^\d+$"
_DECIMAL = r"^\d+(\.\d+)?$"

Fields = dict[str, str | None]


@dataclass(frozen=True)
class Action:
    """One entry of Meta's `actions` list: an event type and how often it happened."""

    action_type: str | None
    value: str | None


@dataclass(frozen=True)
class InsightRow:
    """One row of insights as text; `source_row` is its entry (API) or line (export) number."""

    source_row: int
    fields: Fields
    actions: tuple[Action, ...] = field(default_factory=tuple)


def _parses() -> list[Parse]:
    import polars as pl

    from common.export_dates import DAY_RULE, export_day

    def guarded(pattern: str, parse: Callable[[pl.Expr], pl.Expr]) -> Callable[[pl.Expr], pl.Expr]:
        return lambda c: pl.when(c.str.contains(pattern)).then(parse(c))

    spend = guarded(_DECIMAL, lambda c: c.str.to_decimal(scale=SPEND_SCALE))
    whole = guarded(_DIGITS, lambda c: c.str.to_integer(strict=False))
    rate = guarded(_DECIMAL, lambda c: c.cast(pl.Float64, strict=False))
    return [
        Parse("date_start", DAY_RULE, export_day),
        Parse("date_stop", DAY_RULE, export_day),
        Parse("spend", "is a decimal number", spend),
        *[Parse(name, "is a whole number", whole) for name in WHOLE_NUMBER_FIELDS],
        *[Parse(name, "is a decimal number", rate) for name in RATE_FIELDS],
    ]


def _text_rules() -> list[TextRule]:
    # Polars would cut a third decimal away silently: refuse it instead.
    too_precise = r"\.\d{%d,}" % (SPEND_SCALE + 1)
    return [
        TextRule(
            "spend", f"has at most {SPEND_SCALE} decimals", lambda e: ~e.str.contains(too_precise)
        ),
        TextRule(
            "currency", "is a 3-letter currency code", lambda e: e.str.contains(CURRENCY_TEXT)
        ),
        *[
            TextRule(name, "is digits (an id kept as text)", lambda e: e.str.contains(_DIGITS))
            for name in ID_FIELDS
        ],
    ]


def typed_columns() -> dict[str, pl.DataType]:
    """The typed form of TEXT_FIELDS: dates, exact spend, whole counts, rates as floats."""
    import polars as pl

    dtypes: dict[str, pl.DataType] = {
        "date_start": pl.Date(),
        "date_stop": pl.Date(),
        "spend": pl.Decimal(38, SPEND_SCALE),
        **{name: pl.Int64() for name in WHOLE_NUMBER_FIELDS},
        **{name: pl.Float64() for name in RATE_FIELDS},
    }
    return {name: dtypes.get(name, pl.String()) for name in TEXT_FIELDS}


def _insights_schema() -> pa.DataFrameSchema:
    import pandera.polars as pa
    import polars as pl
    from pandera.polars import PolarsData

    def period_in_order(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date_stop") >= pl.col("date_start"))

    def named_campaign(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("campaign_id").is_not_null() | pl.col("campaign_name").is_not_null()
        )

    # Impressions may be empty: Ads Manager leaves an undelivered ad's metric cells blank.
    required = {"source", "level", "date_start", "date_stop", "spend"}
    checks = {
        "source": [pa.Check.isin([API, MANUAL_EXPORT])],
        "level": [pa.Check.isin(list(LEVELS))],
        "spend": [pa.Check.ge(0)],
        **{name: [pa.Check.ge(0)] for name in (*WHOLE_NUMBER_FIELDS, *RATE_FIELDS)},
    }
    return pa.DataFrameSchema(
        {
            name: pa.Column(dtype, checks=checks.get(name, []), nullable=name not in required)
            for name, dtype in typed_columns().items()
        },
        checks=[
            pa.Check(period_in_order, name="date_stop is not before date_start"),
            pa.Check(named_campaign, name="a campaign_id or campaign_name is given"),
        ],
        strict=True,
        ordered=True,
    )


def _actions_schema() -> pa.DataFrameSchema:
    import pandera.polars as pa
    import polars as pl

    return pa.DataFrameSchema(
        {
            "action_type": pa.Column(pl.String, pa.Check.str_length(min_value=1)),
            "value": pa.Column(pl.Int64, pa.Check.ge(0)),
        },
        strict=True,
    )


def _text_frames(rows: Sequence[InsightRow]) -> tuple[pl.DataFrame, pl.DataFrame]:
    import polars as pl

    fields = pl.DataFrame(
        [[row.fields.get(name) for name in TEXT_FIELDS] for row in rows],
        schema={name: pl.String() for name in TEXT_FIELDS},
        orient="row",
    )
    actions = pl.DataFrame(
        [(index, a.action_type, a.value) for index, row in enumerate(rows) for a in row.actions],
        schema={"_row": pl.Int64(), "action_type": pl.String(), "value": pl.String()},
        orient="row",
    )
    return fields, actions


def _failures(check: Callable[[], object], source_rows: Sequence[int]) -> list[dict[str, object]]:
    """The failure cases `check` raises, their frame indexes turned into source rows."""
    try:
        check()
    except RejectedFile as error:
        table = error.details if isinstance(error.details, list) else []
        for case in table:
            index = case.get("row")
            case["row"] = source_rows[index] if isinstance(index, int) else None
        return table
    return []


def _failure(case: dict[str, object]) -> str:
    """A failure case in words: which field, which rule, which value."""
    if case["column"] is None:
        return f"the row breaks the rule '{case['check']}'"
    if case["check"] == "not_nullable":
        return f"{case['column']} is required but empty"
    return f"{case['column']} {case['check']}, but is {case['value']!r}"


def validated(
    rows: Sequence[InsightRow], file_name: str, row_label: Callable[[int], str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed (insights, actions) frames of `rows`, or one rejection listing every failure case.

    `row_label(source_row)` says where a row is in its file ("line 7", "entry 3").
    """
    import polars as pl

    fields, actions = _text_frames(rows)
    source_rows = [row.source_row for row in rows]
    action_rows = [source_rows[index] for index in actions["_row"].to_list()]
    typed: dict[str, pl.DataFrame] = {}

    def check_fields() -> None:
        typed["insights"] = type_and_validate(
            fields, _parses(), _text_rules(), _insights_schema(), file_name, row_offset=0
        )

    def check_actions() -> None:
        typed["actions"] = _typed_actions(actions.drop("_row"), file_name)

    table = _failures(check_fields, source_rows)
    table += [
        {**case, "column": f"actions.{case['column']}"}
        for case in _failures(check_actions, action_rows)
    ]
    if table:
        table.sort(key=lambda case: case["row"] if isinstance(case["row"], int) else 1 << 62)
        first = table[0]
        where = row_label(first["row"]) if isinstance(first["row"], int) else "the file"
        raise RejectedFile(
            f"{file_name} fails {len(table)} check(s); first: {_failure(first)} in {where}.",
            rule="schema",
            location=where,
            details=table,
        )
    insights = _with_source_rows(typed["insights"], source_rows)
    reject_repeated_rows(insights, file_name, row_label)
    actions_typed = _with_source_rows(typed["actions"], action_rows)
    repeated = actions_typed.filter(pl.struct(SOURCE_ROW, "action_type").is_duplicated())
    if not repeated.is_empty():
        row, action_type = repeated[SOURCE_ROW][0], repeated["action_type"][0]
        raise RejectedFile(
            f"{file_name} lists the action {action_type!r} twice in {row_label(row)}.",
            rule="repeated-action",
            location=row_label(row),
        )
    return insights, actions_typed.select(SOURCE_ROW, "action_type", "value")


def entity_keys() -> list[pl.Expr]:
    """Which campaign, ad set and ad a row is about: its id, else its name (manual exports)."""
    import polars as pl

    return [
        pl.coalesce(pl.col(f"{entity}_id"), pl.lit("name:") + pl.col(f"{entity}_name")).alias(
            f"{entity}_key"
        )
        for entity in ("campaign", "adset", "ad")
    ]


def reject_repeated_rows(
    insights: pl.DataFrame, file_name: str, row_label: Callable[[int], str]
) -> None:
    """One file holds one row per period and campaign, ad set and ad; two would be ambiguous."""
    import polars as pl

    keyed = insights.with_columns(entity_keys())
    repeated = keyed.filter(pl.struct(ROW_KEY).is_duplicated())
    if repeated.is_empty():
        return
    rows = repeated[SOURCE_ROW].to_list()
    first = repeated.row(0, named=True)
    about = ", ".join(
        f"{label} {first[f'{entity}_id'] or first[f'{entity}_name']!r}"
        for entity, label in (("campaign", "campaign"), ("adset", "ad set"), ("ad", "ad"))
        if first[f"{entity}_id"] or first[f"{entity}_name"]
    )
    raise RejectedFile(
        f"{file_name} has more than one row for {first['date_start']} to {first['date_stop']}, "
        f"{about} ({', '.join(row_label(row) for row in rows[:5])}); ads or ad sets that share "
        "a name need their id columns in the export.",
        rule="repeated-row",
        location=row_label(rows[0]),
        details={"rows": rows},
    )


def _typed_actions(actions: pl.DataFrame, file_name: str) -> pl.DataFrame:
    import polars as pl

    whole = Parse(
        "value",
        "is a whole number",
        lambda c: pl.when(c.str.contains(_DIGITS)).then(c.str.to_integer(strict=False)),
    )
    return type_and_validate(actions, [whole], [], _actions_schema(), file_name, row_offset=0)


def _with_source_rows(frame: pl.DataFrame, source_rows: Sequence[int]) -> pl.DataFrame:
    import polars as pl

    return frame.with_columns(pl.Series(SOURCE_ROW, list(source_rows), dtype=pl.Int64))
