"""The ETL entry points behind etl/*.py and `bedrot etl`: migrate, then load each group, its
sources built from the datasets the services declare."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, insert, update

from common.artists import ArtistDirectory
from common.declarations import service_declarations
from common.lake import Lake
from common.logs import correlation_id
from common.script import EXIT_FAILED, EXIT_OK, ScriptContext, run_script
from common.warehouse.aggregates import aggregates_are_current, refresh_aggregates
from common.warehouse.database import make_engine, migrate, warehouse_url
from common.warehouse.loaders import master
from common.warehouse.loading import LoadReport, load_sources
from common.warehouse.models import EtlRun
from common.warehouse.sources import ALL_GROUPS, SourcePlan, plan_sources

SERVICE = "warehouse"
__all__ = ["ALL_GROUPS", "main", "run_groups", "lake_sources"]


def lake_sources(lake: Lake) -> SourcePlan:
    """What the ETL loads in `lake`: every dataset its services (built-in and its own) declare."""
    return plan_sources(service_declarations(lake).values())


def _describe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def run_groups(ctx: ScriptContext, groups: Sequence[str]) -> int:
    """Load the named groups into the warehouse; exit 1 when any source failed."""
    url = warehouse_url(ctx.lake)
    engine = make_engine(url)
    try:
        for step in migrate(engine):
            ctx.log.info("Warehouse migrated: %s.", step)
        return _run(ctx, engine, groups)
    finally:
        engine.dispose()


def _run(ctx: ScriptContext, engine: Engine, groups: Sequence[str]) -> int:
    with engine.begin() as connection:
        run_id = connection.execute(
            insert(EtlRun).returning(EtlRun.id),
            {"started_at": datetime.now(), "status": "running",
             "correlation_id": correlation_id(), "summary": ""},  # fmt: skip
        ).scalar_one()
    report = LoadReport()
    plan = lake_sources(ctx.lake)
    for problem in plan.problems:  # the rest still loads; the run reports the failure
        ctx.log.error("Not loaded: %s", problem)
    if "master" in groups:
        with engine.begin() as connection:
            summary = master.load_master_data(
                connection,
                ArtistDirectory.load(ctx.lake),
                ctx.lake,
                plan.catalog_patterns,
            )
        ctx.log.info("master data: %s.", summary)
    for group in groups:
        report.outcomes += load_sources(engine, ctx.lake, plan.sources(group), ctx.log).outcomes
        if any(o.warehouse_unavailable for o in report.outcomes):
            break  # the other groups' files are left for the next run, not waited for again
    failed = bool(report.failed or plan.problems)
    status = "failed" if failed else "ok"
    counts = {o.path: o.status for o in report.outcomes}
    with engine.begin() as connection:
        if report.changed or not aggregates_are_current(connection):
            refresh_aggregates(connection)  # with the run's end, so a reader sees both or neither
        connection.execute(
            update(EtlRun)
            .where(EtlRun.id == run_id)
            .values(finished_at=datetime.now(), status=status, summary=json.dumps(counts))
        )
    loaded = sum(o.status == "loaded" for o in report.outcomes)
    ctx.log.log(
        40 if failed else 20,
        "Warehouse %s: %d file(s) loaded, %d unchanged, %d failed.",
        _describe(str(engine.url)),
        loaded,
        sum(o.status == "unchanged" for o in report.outcomes),
        len(report.failed) + len(plan.problems),
    )
    return EXIT_FAILED if failed else EXIT_OK


def main(groups: Sequence[str]) -> int:
    """What etl/<script>.py runs: the shared script boundary around `run_groups`."""
    return run_script(SERVICE, lambda ctx: run_groups(ctx, groups), step="etl")
