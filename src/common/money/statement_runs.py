"""`bedrot statements`: make a period's statements as a draft, issue them, or write an issued
period again byte for byte.

Periods are issued in order. An open period starts where the last issued one ended; the
periods in between that hold lines are made first, as drafts, to carry their balances. Lines
that arrive for a closed period, and used lines a later export dropped, land in the first open
period as adjustment lines that say so.
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, select

from common.lake import Lake
from common.money.splits import CostRule, LedgerEntry, Splits, load_splits
from common.money.statement_files import digest, payee_file_stem, period_files
from common.money.statement_inputs import (
    RoyaltyItem,
    artist_ids,
    artist_lookup,
    read_royalty_groups,
    read_royalty_items,
    rule_cost,
)
from common.money.statement_periods import Period, period_of
from common.money.statement_store import (
    DRAFT,
    ISSUED,
    REVERSED_NOTE,
    IssuedState,
    LedgerKey,
    load_issued,
    save_issue,
    save_statements,
    stored_files,
    sync_deals,
)
from common.money.statements import (
    Balance,
    Charge,
    PeriodStatements,
    ShareBook,
    StatementError,
    compute_period,
)
from common.warehouse.models import Release, Track
from common.zones import CURATED, atomic_write_text

STATEMENTS_FOLDER = "statements"
THE_START = "the start"
# The description of a rule's charge (`_rule_text`, then its window), whatever rules the config
# holds now: an advance or fixed cost of the same payee and day is told apart from it by shape.
RULE_CHARGE = re.compile(
    r"(?:card debits containing '.*'(?: in category .+)?|Meta ad spend on .+ campaigns), "
    rf"(?:{THE_START}|\d{{4}}-\d{{2}}-\d{{2}}) to \d{{4}}-\d{{2}}-\d{{2}}$"
)


@dataclass
class StatementRun:
    period: Period
    status: str  # draft, issued (now) or closed (issued before, written again)
    folder: Path
    files: dict[str, str]
    result: PeriodStatements | None  # None when a closed period is written again
    # Shares that match nothing in the warehouse: they pay nothing (a misspelt artist, an ISRC
    # no export holds yet), said before a period is issued with the label keeping that money.
    warnings: list[str] = field(default_factory=list)


def unmatched_shares(connection: Connection, splits: Splits) -> list[str]:
    """One sentence per share whose artist, ISRC or UPC nothing in the warehouse carries."""
    lookup = artist_lookup(connection)
    known = {
        "isrc": {str(code).upper() for (code,) in connection.execute(select(Track.isrc))},
        "upc": {str(code).upper() for (code,) in connection.execute(select(Release.upc))},
    }
    found = []
    for share in dict.fromkeys((s.level, s.key, s.payee) for s in splits.shares):
        level, key, payee = share
        if level == "artist" and not artist_ids(lookup, key):
            found.append(
                f"The share of artist {key!r} (payee {payee}) matches no artist or alias in the "
                "warehouse: it pays nothing until one does; check its spelling in "
                "config/splits.json."
            )
        elif level != "artist" and key not in known[level]:
            found.append(
                f"The share of {level} {key} (payee {payee}) matches no royalty line in the "
                "warehouse: it pays nothing until an export holds one."
            )
    return found


def statements_folder(lake: Lake, period: Period) -> Path:
    return lake.zone(CURATED) / STATEMENTS_FOLDER / period.name


def _write(folder: Path, files: dict[str, str]) -> None:
    """Write the period's files and remove what an earlier draft left that no longer belongs."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        atomic_write_text(folder / name, text)
    for stale in folder.iterdir():
        if stale.is_file() and stale.suffix in (".csv", ".html") and stale.name not in files:
            stale.unlink()


def _chain(state: IssuedState, items: list[RoyaltyItem], target: Period) -> list[Period]:
    """The open periods up to `target` that must be made before it (those holding lines)."""
    after = state.last_end
    earlier = {
        period_of(item.reporting_date, target.is_quarter)
        for item in items
        if item.reporting_date < target.start and (after is None or item.reporting_date > after)
    }
    return sorted(earlier) + [target]


def _adjustments(
    state: IssuedState, items: list[RoyaltyItem], unused: set[int]
) -> list[RoyaltyItem]:
    """Lines reported inside closed periods that none used, and used lines now gone."""
    found = []
    last = state.last_end
    for index in sorted(unused):
        item = items[index]
        if last is not None and item.reporting_date <= last:
            closed = next((p for p in state.periods if p.holds(item.reporting_date)), None)
            named = (closed or state.periods[0]).name
            note = (
                f"adjustment: reported {item.reporting_date.isoformat()}, after {named} was issued"
            )
            found.append(RoyaltyItem(**{**item.__dict__, "note": note}))
    present = Counter(item.key for item in items)
    for key, count in sorted(state.used.items(), key=lambda pair: repr(pair[0])):
        for _ in range(count - present.get(key, 0)):
            paid_in, item = state.used_items[key]
            note = (
                f"{REVERSED_NOTE}, reported {item.reporting_date.isoformat()} and paid in "
                f"{paid_in}, no longer in the exports"
            )
            found.append(item.reversed(note))
    # More reversals than uses: the earlier release took a line back twice. Give it back.
    for key, count in sorted(state.used.items(), key=lambda pair: repr(pair[0])):
        if count < 0 and key in state.used_items:
            paid_in, item = state.used_items[key]
            note = (
                f"adjustment: restored, reported {item.reporting_date.isoformat()} and paid in "
                f"{paid_in}, taken back twice by an earlier release"
            )
            found += [RoyaltyItem(**{**item.__dict__, "note": note})] * -count
    return found


def _rule_text(rule: CostRule) -> str:
    if rule.campaign_artist is not None:
        return f"Meta ad spend on {rule.campaign_artist} campaigns"
    category = f" in category {rule.category}" if rule.category else ""
    return f"card debits containing '{rule.expense_contains}'{category}"


def _charges(
    connection: Connection,
    splits: Splits,
    lookup: dict[str, frozenset[int]],
    window: tuple[date | None, date],
    charged: list[LedgerKey],
) -> list[Charge]:
    start, end = window
    found = []
    # Advances and fixed costs are known by payee, kind and date: a note or an amount corrected
    # in config after a statement charged them is charged again only by the difference.
    entries: dict[tuple[str, str, date], list[LedgerEntry]] = defaultdict(list)
    for entry in splits.ledger:
        if entry.entry_date <= end:
            entries[(entry.payee, entry.kind, entry.entry_date)].append(entry)
    for (payee, kind, day), group in sorted(entries.items()):
        before = sum(
            (
                amount
                for *known, description, amount in charged
                if tuple(known) == (payee, kind, day) and not RULE_CHARGE.match(description)
            ),
            Decimal(0),
        )
        amount = sum((entry.amount for entry in group), Decimal(0)) - before
        if amount:
            text = "; ".join(entry.description for entry in group)
            text = f"{text} (corrected: {before:f} charged before)" if before else text
            key = (payee, kind, day, text, amount)
            charged.append(key)
            found.append(Charge(*key))
    for rule in splits.rules:
        # What the rule finds in the statement's own window: a cost dated in a period already
        # issued is not charged by it (download the card and Meta exports before issuing).
        amount = rule_cost(connection, rule, lookup, start, end)
        if amount:
            since = start.isoformat() if start else THE_START
            text = f"{_rule_text(rule)}, {since} to {end.isoformat()}"
            key = (rule.payee, "cost", end, text, amount)
            charged.append(key)
            found.append(Charge(*key))
    return found


def _read_items(
    connection: Connection, state: IssuedState, until: date, grouped: bool
) -> list[RoyaltyItem]:
    """The lines up to `until`. Grouped (a draft): the lines after the last issued period
    added up, as no issued period used them and no adjustment names them; the earlier ones
    one by one, to be matched against what the issued periods used."""
    if not grouped:
        return read_royalty_items(connection, until)
    last = state.last_end
    earlier = read_royalty_items(connection, min(last, until)) if last is not None else []
    return earlier + read_royalty_groups(connection, last, until)


def compute_open_periods(
    connection: Connection,
    splits: Splits,
    target: Period,
    state: IssuedState,
    grouped: bool = False,
) -> tuple[list[PeriodStatements], dict[str, Balance]]:
    """The statements of every open period up to `target` (the last one), and what each payee
    carries after `target`. `grouped` (drafts) reads the new lines added up by everything a
    statement shows; issuing reads them one by one, as each used line is recorded."""
    lookup = artist_lookup(connection)
    book = ShareBook(splits.shares, lambda name: artist_ids(lookup, name))
    items = _read_items(connection, state, target.end, grouped)
    used = Counter(state.used)
    unused = set()
    for index, item in enumerate(items):
        if used[item.key] > 0:
            used[item.key] -= 1
        else:
            unused.add(index)
    pending = _adjustments(state, items, unused)
    balances = copy.deepcopy(state.balances)
    charged = list(state.charged)
    start = state.last_end + timedelta(days=1) if state.last_end else None
    results = []
    for period in _chain(state, items, target):
        lines = [
            items[index]
            for index in sorted(unused)
            if items[index].reporting_date <= period.end
            and (start is None or items[index].reporting_date >= start)
        ]
        charges = _charges(connection, splits, lookup, (start, period.end), charged)
        results.append(
            compute_period(period, start, pending + lines, splits, book, balances, charges)
        )
        pending, start = [], period.end + timedelta(days=1)
    return results, balances


def run_statements(
    lake: Lake, connection: Connection, target: Period, issue: bool, today: date
) -> StatementRun:
    folder = statements_folder(lake, target)
    state = load_issued(connection)
    if state.period_named(target.name):
        files = stored_files(connection, target.name)
        _write(folder, files)
        return StatementRun(target, "closed", folder, files, None)
    splits = load_splits(lake)
    if not splits.payees:
        raise StatementError(
            "config/splits.json lists no payees, so there are no statements to make; add the "
            "payees and their shares (docs/money.md, Statements)."
        )
    last = state.periods[-1] if state.periods else None
    if last is not None and target.start <= last.end:
        raise StatementError(
            f"{target.name} overlaps {last.name}, which is issued and closed; ask for a period "
            f"that starts after {last.end.isoformat()}."
        )
    if issue and target.end >= today:
        raise StatementError(
            f"{target.name} ends on {target.end.isoformat()}; a period is issued only once it "
            "has ended. Run it without --issue for a draft."
        )
    results, balances = compute_open_periods(connection, splits, target, state, not issue)
    if issue and len(results) > 1:
        first = results[0].period.name
        raise StatementError(
            f"Statements are issued in order and {first} holds lines but is not issued; run "
            f"`bedrot statements --period {first} --issue` first."
        )
    result = results[-1]
    ids = sync_deals(connection, splits)
    issued_on = today if issue else None
    files = period_files(result, issued_on)
    hashes = {s.payee: digest(files[f"{payee_file_stem(s.payee)}.html"]) for s in result.statements}
    save_statements(connection, result, ids, ISSUED if issue else DRAFT, issued_on, hashes)
    if issue:
        stored = {name: (text, digest(text)) for name, text in files.items()}
        save_issue(connection, result, ids, stored, balances, today)
    _write(folder, files)
    warnings = unmatched_shares(connection, splits)
    return StatementRun(target, ISSUED if issue else DRAFT, folder, files, result, warnings)
