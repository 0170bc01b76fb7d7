"""Linktree raw zone: one NDJSON line per payload a capture holds, verbatim, with its provenance.

Raw keeps each analytics or link-titles response whole (devices, lifetime and subscribers
included, which staging does not use yet), so staging can always be rebuilt from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from common.quarantine import RejectedFile
from common.zones import atomic_write_text
from linktree.captures import Capture, Payload
from linktree.settings import DAILY_KEYS, SNAPSHOT_KEYS
from linktree.tables import Extraction, Tables, payload_tables


@dataclass(frozen=True)
class CaptureTables:
    """The tables of every payload of one capture, in the capture's order."""

    extracted_at: datetime
    name: str
    payloads: list[Tables]


def capture_tables(capture: Capture, extraction: Extraction) -> CaptureTables:
    """Every payload typed and validated: one bad value rejects the capture, with all others."""
    tables = [payload_tables(payload, extraction) for payload in capture.payloads]
    return CaptureTables(extraction.extracted_at, extraction.file_name, tables)


def ctrs_above_one(tables: CaptureTables) -> list[str]:
    """Each CTR above 1, named by table and key (`daily 2025-03-09 = 1.125`).

    Real when a day, country or referrer had more clicks than views, so it is kept as reported;
    named so that a CTR sent as a percentage one day would still be noticed in the log.
    """
    found = []
    for payload in tables.payloads:
        for table, frame in payload.items():
            if "ctr" not in frame.columns:
                continue
            keys = DAILY_KEYS.get(table) or SNAPSHOT_KEYS[table]
            for row in frame.filter(pl.col("ctr") > 1).iter_rows(named=True):
                key = " ".join(str(row[k]) for k in keys if row[k] is not None)
                found.append(f"{table} {key} = {row['ctr']}")
    return found


def raw_line(payload: Payload, extraction: Extraction) -> str:
    return json.dumps(
        {
            "response": payload.index + 1,
            "operation": payload.operation,
            "kind": payload.kind,
            "variables": payload.variables,
            "errors": payload.errors,
            "data": payload.data,
            "extracted_at": extraction.extracted_at.isoformat(),
            "source_file": extraction.source_file,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def write_raw(target: Path, capture: Capture, extraction: Extraction) -> Path:
    lines = "".join(raw_line(payload, extraction) + "\n" for payload in capture.payloads)
    return atomic_write_text(target, lines)


def _payload_of(line: str, number: int, file_name: str) -> tuple[Payload, Extraction]:
    try:
        record = json.loads(line)
        payload = Payload(
            record["response"] - 1,
            record["operation"],
            record["variables"],
            record["kind"],
            record["data"],
            record["errors"],
        )
        extraction = Extraction(
            datetime.fromisoformat(record["extracted_at"]), record["source_file"], file_name
        )
    except (ValueError, KeyError, TypeError) as error:
        raise RejectedFile(
            f"{file_name} line {number} is not a Linktree raw payload ({error}).",
            rule="raw-payload",
            location=f"line {number}",
        ) from None
    return payload, extraction


def read_raw(path: Path) -> CaptureTables:
    """The tables of a raw capture file, checked again on the way in."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise RejectedFile(f"{path.name} holds no payloads.", rule="not-empty")
    read = [_payload_of(line, number, path.name) for number, line in enumerate(lines, start=1)]
    extraction = read[0][1]
    return CaptureTables(
        extraction.extracted_at,
        path.name,
        [payload_tables(payload, extraction) for payload, extraction in read],
    )
