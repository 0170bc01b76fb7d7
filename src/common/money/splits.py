"""The label's deals from `config/splits.json`: payees, their shares per track (ISRC), release
(UPC) or artist, advances, recoupable costs and the minimum payout.

Every mistake is one sentence naming the entry, what is wrong and what to write instead; all of
them are collected before anything is refused, so a label owner fixes the file in one pass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from common.config_files import read_config_object
from common.lake import Lake

SPLITS_CONFIG = "splits.json"
DEFAULT_MINIMUM_PAYOUT = Decimal("25.00")
HUNDRED = Decimal(100)
ShareLevel = Literal["isrc", "upc", "artist"]
LEVELS: tuple[ShareLevel, ...] = ("isrc", "upc", "artist")  # most specific first
# What an ISRC and a UPC look like (hyphens and spaces as people write them are dropped first).
CODES = {
    "isrc": (
        re.compile(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}"),
        'an ISRC (2 letters, 3 letters or digits, 7 digits: 12 characters, e.g. "QZHZ12500001")',
    ),
    "upc": (re.compile(r"[0-9]{12,14}"), 'a UPC (12 to 14 digits, e.g. "198753115192")'),
}
LedgerKind = Literal["advance", "cost"]


class SplitsConfigError(Exception):
    """config/splits.json cannot be used; `problems` holds one sentence per mistake."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Payee:
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Share:
    """`percent` of the lines matching `level` = `key`, from `starts` on (None: always)."""

    payee: str
    level: ShareLevel
    key: str
    percent: Decimal
    starts: date | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """An advance or a fixed recoupable cost, charged to the payee's balance on its date."""

    payee: str
    kind: LedgerKind
    amount: Decimal
    entry_date: date
    description: str


@dataclass(frozen=True)
class CostRule:
    """A recoupable cost found in the warehouse each period: an artist's Meta ad spend
    (`campaign_artist`) or the card debits whose description contains `expense_contains`."""

    payee: str
    campaign_artist: str | None = None
    expense_contains: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class Splits:
    payees: tuple[Payee, ...] = ()
    shares: tuple[Share, ...] = ()
    ledger: tuple[LedgerEntry, ...] = ()
    rules: tuple[CostRule, ...] = ()
    minimum_payout: Decimal = DEFAULT_MINIMUM_PAYOUT

    def payee_names(self) -> list[str]:
        return [payee.name for payee in self.payees]


def load_splits(lake: Lake) -> Splits:
    """The deals of this lake; a missing config/splits.json means no payees (no statements)."""
    shown = f"config/{SPLITS_CONFIG}"
    document = read_config_object(lake.config / SPLITS_CONFIG, SplitsConfigError, shown)
    return Splits() if document is None else parse_splits(document)


class _Reader:
    """Collects one sentence per mistake while the entries are read."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.payees: set[str] = set()

    def amount(self, where: str, value: Any, field: str) -> Decimal | None:
        try:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise InvalidOperation
            amount = Decimal(str(value).strip())
            if not amount.is_finite():
                raise InvalidOperation
            return amount
        except InvalidOperation:
            self.problems.append(
                f'{where}: "{field}" is {value!r}, not an amount; write it like "1500.00".'
            )
            return None

    def day(self, where: str, value: Any, field: str) -> date | None:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problems.append(
                f'{where}: "{field}" is {value!r}, not a date; write it as YYYY-MM-DD, '
                'e.g. "2025-08-01".'
            )
            return None

    def payee(self, where: str, entry: Mapping[str, Any]) -> str | None:
        name = entry.get("payee")
        if not isinstance(name, str) or name not in self.payees:
            known = ", ".join(sorted(self.payees)) or "none yet"
            self.problems.append(
                f'{where}: payee {name!r} is not listed under "payees" (listed: {known}); '
                "add it there or correct the spelling."
            )
            return None
        return name

    def objects(self, document: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        entries = document.get(key, [])
        if not isinstance(entries, list):
            self.problems.append(f'"{key}" must be a list of entries in square brackets.')
            return []
        found: list[tuple[str, Mapping[str, Any]]] = []
        for number, entry in enumerate(entries, start=1):
            where = f"{key} entry {number}"
            if isinstance(entry, dict):
                found.append((where, entry))
            else:
                self.problems.append(f"{where} must be an object in curly braces, not {entry!r}.")
        return found


def parse_splits(document: Mapping[str, Any]) -> Splits:
    """The deals in a splits.json document, or SplitsConfigError listing every mistake."""
    reader = _Reader()
    payees = _payees(reader, document)
    shares = tuple(
        _share(reader, where, entry) for where, entry in reader.objects(document, "shares")
    )
    kept = tuple(share for share in shares if share is not None)
    _check_totals(reader, kept)
    ledger: list[LedgerEntry] = []
    rules: list[CostRule] = []
    for where, entry in reader.objects(document, "advances"):
        ledger.extend(_ledger_entry(reader, where, entry, "advance"))
    for where, entry in reader.objects(document, "recoupable_costs"):
        if "rule" in entry:
            rules.extend(_rule(reader, where, entry))
        else:
            ledger.extend(_ledger_entry(reader, where, entry, "cost"))
    minimum = reader.amount(
        "minimum_payout_usd", document.get("minimum_payout_usd", "25.00"), "minimum_payout_usd"
    )
    if minimum is not None and minimum < 0:
        reader.problems.append('"minimum_payout_usd" cannot be negative; write "0" for none.')
    if reader.problems:
        raise SplitsConfigError(reader.problems)
    return Splits(payees, kept, tuple(ledger), tuple(rules), minimum or Decimal(0))


def _payees(reader: _Reader, document: Mapping[str, Any]) -> tuple[Payee, ...]:
    payees: list[Payee] = []
    for where, entry in reader.objects(document, "payees"):
        name, email = entry.get("name"), entry.get("email")
        if not isinstance(name, str) or not name.strip():
            reader.problems.append(f'{where} needs a "name", e.g. {{"name": "ZONE A0"}}.')
        elif name in reader.payees:
            reader.problems.append(f"{where}: payee {name!r} is listed twice; keep one entry.")
        elif email is not None and not isinstance(email, str):
            reader.problems.append(f'{where}: "email" must be text like "artist@example.com".')
        else:
            reader.payees.add(name)
            payees.append(Payee(name, email))
    return tuple(payees)


def _share(reader: _Reader, where: str, entry: Mapping[str, Any]) -> Share | None:
    payee = reader.payee(where, entry)
    levels = [level for level in LEVELS if level in entry]
    if len(levels) != 1:
        given = " and ".join(f'"{level}"' for level in levels) or "none of them"
        reader.problems.append(
            f'{where} must name exactly one of "isrc", "upc" or "artist" (it has {given}); '
            "write one entry per track, release or artist."
        )
        return None
    level = levels[0]
    key = entry[level]
    if not isinstance(key, str) or not key.strip():
        reader.problems.append(f'{where}: "{level}" must be text, e.g. "QZHZ12500001".')
        return None
    normal = key.strip() if level == "artist" else re.sub(r"[\s-]", "", key).upper()
    if level != "artist" and not CODES[level][0].fullmatch(normal):
        reader.problems.append(f"{where}: {normal!r} is not {CODES[level][1]}.")
        return None
    percent = reader.amount(where, entry.get("percent"), "percent")
    if percent is not None and not 0 <= percent <= HUNDRED:
        reader.problems.append(
            f'{where}: percent {percent} is outside 0–100; write the payee\'s share, e.g. "50".'
        )
        percent = None
    starts = reader.day(where, entry["from"], "from") if "from" in entry else None
    if payee is None or percent is None or ("from" in entry and starts is None):
        return None
    return Share(payee, level, normal, percent, starts)


def _check_totals(reader: _Reader, shares: tuple[Share, ...]) -> None:
    """At each date a share changes, the payees of one track, release or artist hold ≤ 100 %."""
    by_target: dict[tuple[str, str], list[Share]] = defaultdict(list)
    for share in shares:
        by_target[(share.level, share.key.casefold())].append(share)
    for (level, _), group in by_target.items():
        for day in sorted({share.starts or date.min for share in group}):
            total = sum(in_force(group, day).values(), Decimal(0))
            if total > HUNDRED:
                since = "" if day == date.min else f" from {day.isoformat()}"
                reader.problems.append(
                    f"The shares of {level} {group[0].key}{since} add up to {total} %, above "
                    "100 %; lower them so the label keeps the remainder."
                )


def in_force(shares: list[Share], day: date) -> dict[str, Decimal]:
    """Each payee's percent on `day`: of its entries, the one with the latest `from` not after
    `day` (an entry without `from` is in force from the start)."""
    chosen: dict[str, Share] = {}
    for share in shares:
        starts = share.starts or date.min
        if starts > day:
            continue
        held = chosen.get(share.payee)
        if held is None or (held.starts or date.min) <= starts:
            chosen[share.payee] = share
    return {payee: share.percent for payee, share in chosen.items()}


def _ledger_entry(
    reader: _Reader, where: str, entry: Mapping[str, Any], kind: LedgerKind
) -> list[LedgerEntry]:
    payee = reader.payee(where, entry)
    amount = reader.amount(where, entry.get("amount_usd"), "amount_usd")
    day = reader.day(where, entry.get("date"), "date")
    text = entry.get("note" if kind == "advance" else "description")
    if kind == "cost" and (not isinstance(text, str) or not text.strip()):
        reader.problems.append(
            f'{where} needs a "description" (what was paid) or a "rule" (how to find it).'
        )
        return []
    if amount is not None and amount <= 0:
        reader.problems.append(f'{where}: "amount_usd" must be above 0, e.g. "500.00".')
        return []
    if payee is None or amount is None or day is None:
        return []
    description = str(text) if text else kind
    return [LedgerEntry(payee, kind, amount, day, description)]


def _rule(reader: _Reader, where: str, entry: Mapping[str, Any]) -> list[CostRule]:
    payee = reader.payee(where, entry)
    rule = entry["rule"]
    if not isinstance(rule, dict) or len({"campaign_artist", "expense_contains"} & set(rule)) != 1:
        reader.problems.append(
            f'{where}: "rule" must hold either "campaign_artist" (an artist whose Meta ad '
            'spend is recouped) or "expense_contains" (text of the card debits to recoup).'
        )
        return []
    texts = [rule.get(key) for key in ("campaign_artist", "expense_contains", "category")]
    if any(
        value is not None and (not isinstance(value, str) or not value.strip()) for value in texts
    ):
        reader.problems.append(f'{where}: every field of "rule" must be non-empty text.')
        return []
    if payee is None:
        return []
    return [CostRule(payee, texts[0], texts[1], texts[2])]
