"""The `bedrot` command; heavy modules load inside commands so `bedrot --help` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from common.cli_support import fail, open_lake
from common.console import utf8_output
from common.cookies_cli import cookies_app
from common.dashboard.commands import dashboard_app
from common.quick_exit import exit_code_of, leave_now

app = typer.Typer(
    help="BEDROT Data Lake: move every service's data landing -> raw -> staging -> curated "
    "-> warehouse.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(cookies_app, name="cookies")
app.add_typer(dashboard_app, name="dashboard")


@app.command()
def run(
    automated: Annotated[
        bool,
        typer.Option(
            "--automated",
            help="Unattended: skip services whose login expired (a WARNING) instead of opening "
            "a browser.",
        ),
    ] = False,
    no_extract: Annotated[
        bool, typer.Option("--no-extract", help="Skip the extractors; clean what is in landing.")
    ] = False,
    no_warehouse: Annotated[
        bool, typer.Option("--no-warehouse", help="Skip the warehouse ETL (step 5).")
    ] = False,
    services: Annotated[
        Optional[str],
        typer.Option("--services", help="Comma-separated services to run (default: all)."),
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", min=1, help="Services run side by side (default 2)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Run every cleaner even when its input folder is unchanged."),
    ] = False,
    timeout: Annotated[
        Optional[float],
        typer.Option("--timeout", min=1, help="Seconds a script may run before it is stopped."),
    ] = None,
) -> None:
    """Run the six-step pipeline: cookies, health, extractors, cleaners, warehouse, reports."""
    from common.lock import LockHeld
    from common.pipeline.run import RunOptions
    from common.redact import load_secrets_from_environment
    from common.settings import SettingsError
    from common.start import start_run

    lake = open_lake()
    load_secrets_from_environment({})
    wanted = frozenset(s.strip() for s in services.split(",") if s.strip()) if services else None
    options = RunOptions(automated, not no_extract, not no_warehouse, wanted, force)
    try:
        code = start_run(lake, options, workers=workers, timeout=timeout)
    except SettingsError as error:
        raise fail(str(error)) from None
    except LockHeld as error:
        raise fail(str(error)) from None
    raise typer.Exit(code)


@app.command()
def health(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON instead of a table.")
    ] = False,
) -> None:
    """Score every service's freshness, stuck data, login and last run; exit 1 if any [FAIL]."""
    from common.health.config import HealthConfigError
    from common.health.render import show_health
    from common.health.report import assess_lake

    lake = open_lake()
    try:
        report = assess_lake(lake)
    except HealthConfigError as error:
        raise fail(str(error)) from None
    raise typer.Exit(show_health(report, as_json))


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to make into a lake (created if needed).")],
) -> None:
    """Create a lake in FOLDER: the zone folders, logs/, the default config/ and etl/ entry
    scripts, running every built-in service (config/services.json); existing files stay."""
    from common.discovery import discover_services, make_landing_folders
    from common.lake import make_lake

    lake = make_lake(folder)
    make_landing_folders(lake, discover_services(lake).services)
    typer.echo(f"Made a lake at {lake.root}. Use it with PROJECT_ROOT={lake.root}.")
    typer.echo(
        "Drop exports into 1_landing/<service>/ and run `bedrot run`; a service of your own "
        "goes in src/<service>/ (`bedrot new-service NAME`)."
    )


@app.command("new-service")
def new_service(
    name: Annotated[str, typer.Argument(help="Service name: lower case, e.g. bandcamp.")],
) -> None:
    """Scaffold src/NAME/{extractors,cleaners,cookies} with three cleaners and tests/NAME/."""
    from common.scaffold import ScaffoldError
    from common.scaffold import new_service as scaffold

    lake = open_lake()
    try:
        made = scaffold(lake, name)
    except ScaffoldError as error:
        raise fail(str(error), code=1) from None
    typer.echo(f"Made service {name} in {made.service_folder}:")
    for path in made.files:
        typer.echo(f"  {path.relative_to(lake.root).as_posix()}")
    typer.echo(f"Drop a CSV into 1_landing/{name}/ and run `bedrot run --no-extract`.")


@app.command()
def etl(
    groups: Annotated[
        Optional[str],
        typer.Option(
            "--groups", help="Comma-separated: master, financial, streaming, social (default all)."
        ),
    ] = None,
) -> None:
    """Load the curated files into the warehouse (WAREHOUSE_URL, default SQLite in the lake)."""
    from common.warehouse.etl import ALL_GROUPS, main

    open_lake()
    chosen = [g.strip() for g in groups.split(",") if g.strip()] if groups else list(ALL_GROUPS)
    unknown = sorted(set(chosen) - set(ALL_GROUPS))
    if unknown:
        raise fail(f"Unknown ETL group(s) {', '.join(unknown)}; use {', '.join(ALL_GROUPS)}.", 1)
    raise typer.Exit(main(chosen))


@app.command()
def statements(
    period: Annotated[
        str, typer.Option("--period", help="A quarter (2025-Q3) or a month (2025-07).")
    ],
    payee: Annotated[
        Optional[str], typer.Option("--payee", help="Print only this payee (files for all).")
    ] = None,
    issue: Annotated[
        bool,
        typer.Option(
            "--issue",
            help="Close an ended period: keep its files and hashes; reruns reproduce them.",
        ),
    ] = False,
) -> None:
    """Royalty statements per payee from config/splits.json under 4_curated/statements/<period>/
    (a draft unless --issue), with opening balance, royalties, costs recouped and what is payable.
    """
    from common.money.statement_command import statements_command

    raise typer.Exit(statements_command(open_lake(), period, payee, issue))


@app.command()
def reconcile(
    months: Annotated[
        Optional[int], typer.Option("--months", min=1, help="Only the last N sale months.")
    ] = None,
) -> None:
    """Expected earnings (distributor streams x trailing per-stream rate) against the bank
    details, per sale month and store: open, reconciled, under-reported or missing."""
    from common.money.reconcile_command import reconcile_command

    raise typer.Exit(reconcile_command(open_lake(), months))


@app.command()
def doctor() -> None:
    """Check this install: lake root, config, services and their cleaners, Chromium, warehouse,
    logins and free disk. Exit 1 when something the pipeline needs is broken."""
    from common.doctor import examine, exit_code, render

    lake = open_lake()
    findings = examine(lake)
    typer.echo(render(findings))
    raise typer.Exit(exit_code(findings))


@app.command()
def demo(
    root: Annotated[
        Optional[Path],
        typer.Option("--root", help="Where the demo lake goes (default sandbox/demo_lake)."),
    ] = None,
) -> None:
    """Build a demo lake with built-in example data, run the whole pipeline and print a summary."""
    from common.demo import run_demo

    raise typer.Exit(run_demo(root))


def main() -> None:
    """Console entry point: the command's exit code, without the interpreter's slow teardown
    (`common.quick_exit`). An error nobody caught still ends with its traceback."""
    utf8_output()
    try:
        app()
    except SystemExit as stop:
        leave_now(exit_code_of(stop.code))
    leave_now(0)


if __name__ == "__main__":
    main()
