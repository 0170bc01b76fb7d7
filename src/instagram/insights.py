"""Graph API insights items: `{"name", "period", "values": [{"value", "end_time"}]}`, or for
`metric_type=total_value` metrics `{"name", "total_value": {"value", "breakdowns": [...]}}`.

A `values` item dates each value by its `end_time`, the Pacific midnight ending the day it covers
(`instagram.dates.period_day`); a `total_value` item covers
the window it was asked for, so its day comes from the request, or it cannot be dated at all.
A `follower_type` breakdown of views becomes `views_follower` and `views_non_follower`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from common.quarantine import RejectedFile
from instagram.dates import period_day
from instagram.records import DailyValue
from instagram.settings import METRIC_COLUMNS

BREAKDOWN_DIMENSIONS = ("follower_type",)
# Every value of a breakdown dimension: together they split the metric's whole total, so a value
# the answer leaves out had none, and their sum is the total when the answer gives no `value`.
BREAKDOWN_VALUES = {"follower_type": ("FOLLOWER", "NON_FOLLOWER")}


def column_of(metric: str) -> str:
    return METRIC_COLUMNS.get(metric, metric)


def count(value: object, file_name: str, where: str) -> int | None:
    """A metric value: a whole number, or None when the API sent none."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise RejectedFile(
        f"{file_name} holds {value!r} as the value of {where}, where Instagram sends a whole "
        "number.",
        rule="value",
        location=where,
    )


def _item_name(item: object, file_name: str, where: str) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    if not isinstance(name, str) or not name:
        raise RejectedFile(
            f"{file_name} has an insights item without a metric name in {where}.",
            rule="unknown-shape",
            location=where,
        )
    return name


def _dated_values(
    account: str | None, name: str, values: list[object], file_name: str, where: str
) -> Iterator[DailyValue]:
    for number, entry in enumerate(values, start=1):
        at = f"{where}, {name} value {number}"
        end_time = entry.get("end_time") if isinstance(entry, dict) else None
        try:
            day = period_day(str(end_time))
        except ValueError:
            raise RejectedFile(
                f"{file_name} has {end_time!r} as the end_time of {at}, not an API time such as "
                "2025-01-02T08:00:00+0000.",
                rule="date",
                location=at,
            ) from None
        assert isinstance(entry, dict)
        yield DailyValue(account, day, column_of(name), count(entry.get("value"), file_name, at))


def _breakdown_values(
    account: str | None, name: str, day: date, total: dict[str, object], file_name: str, where: str
) -> tuple[list[DailyValue], list[str]]:
    """The breakdown's values the answer gives, and the metrics of the dimension values it
    leaves out (a follower type with no views)."""
    parts: list[DailyValue] = []
    missing: list[str] = []
    breakdowns = total.get("breakdowns")
    for breakdown in breakdowns if isinstance(breakdowns, list) else []:
        keys = breakdown.get("dimension_keys") if isinstance(breakdown, dict) else None
        if not (isinstance(keys, list) and tuple(keys) in [(d,) for d in BREAKDOWN_DIMENSIONS]):
            continue
        assert isinstance(breakdown, dict)
        results = breakdown.get("results")
        given: set[str] = set()
        for result in results if isinstance(results, list) else []:
            labels = result.get("dimension_values") if isinstance(result, dict) else None
            if not (isinstance(labels, list) and len(labels) == 1):
                continue
            assert isinstance(result, dict)
            given.add(str(labels[0]).upper())
            metric = f"{column_of(name)}_{str(labels[0]).lower()}"
            at = f"{where}, {metric}"
            parts.append(
                DailyValue(account, day, metric, count(result.get("value"), file_name, at))
            )
        if given:
            missing += [
                f"{column_of(name)}_{value.lower()}"
                for value in BREAKDOWN_VALUES.get(keys[0], ())
                if value not in given
            ]
    return parts, missing


def _total_and_parts(
    account: str | None, name: str, day: date, total: dict[str, object], file_name: str, where: str
) -> list[DailyValue]:
    """A total_value metric and its breakdown. Without `value`, the total is the breakdown's sum
    (its values split the total); a value the breakdown leaves out is what the total leaves for
    it (0 when the others add up to the total), and unknown when the figures disagree."""
    parts, missing = _breakdown_values(account, name, day, total, file_name, where)
    value = count(total.get("value"), file_name, f"{where}, {name}")
    known = [part.value for part in parts if part.value is not None]
    if len(known) == len(parts) and parts:
        if "value" not in total:
            value = sum(known)
        rest = None if value is None else value - sum(known)
        if rest == 0 or (rest is not None and rest > 0 and len(missing) == 1):
            parts += [DailyValue(account, day, metric, rest) for metric in missing]
    return [DailyValue(account, day, column_of(name), value), *parts]


def item_values(
    account: str | None,
    items: object,
    day: date | None,
    file_name: str,
    where: str,
    notes: list[str],
) -> list[DailyValue]:
    """The daily values of one insights answer's `data` list; `day` is the day it was asked
    for (None when unknown: its total_value items are then left out, with a note); `account`
    is None when the file does not name it."""
    if not isinstance(items, list):
        raise RejectedFile(
            f"{file_name} has insights that are not a list in {where}.",
            rule="unknown-shape",
            location=where,
        )
    found: list[DailyValue] = []
    for item in items:
        name = _item_name(item, file_name, where)
        assert isinstance(item, dict)
        values, total = item.get("values"), item.get("total_value")
        if isinstance(values, list):
            found += _dated_values(account, name, values, file_name, where)
        elif isinstance(total, dict):
            if day is None:
                notes.append(
                    f"{file_name}: the total of {name} is left out: the file does not say "
                    "which day it was asked for (pull it with the extractor, day by day)."
                )
                continue
            found += _total_and_parts(account, name, day, total, file_name, where)
        else:
            raise RejectedFile(
                f"{file_name} has the metric {name} without values or total_value in {where}.",
                rule="unknown-shape",
                location=where,
            )
    return found
