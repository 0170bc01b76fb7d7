"""`bedrot doctor` and `test_pipeline_components.py`: is this install able to run the pipeline?

Each check answers with a record (what, OK/WARN/FAIL, what was found, what to do) so the
table, the exit code and the tests read the same facts. FAIL means the pipeline cannot do its
job (a service that does not import, an unreachable warehouse, a full disk); WARN is something
the user should know but that a run survives (an expired login, no Chromium for extractors).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from common.discovery import Discovery, discover_services
from common.lake import ZONE_NAMES, Lake

Verdict = Literal["OK", "WARN", "FAIL"]
FAIL_BELOW_BYTES = 1 << 30
WARN_BELOW_BYTES = 5 << 30


@dataclass(frozen=True)
class Finding:
    """One check's answer; `remedy` is the command or step that fixes it (empty when OK)."""

    check: str
    verdict: Verdict
    detail: str
    remedy: str = ""


def check_lake(lake: Lake) -> list[Finding]:
    missing = [name for name in (*ZONE_NAMES, "config", "logs") if not (lake.root / name).is_dir()]
    if missing:
        return [
            Finding(
                "lake root",
                "FAIL",
                f"{lake.root} lacks {', '.join(missing)}",
                f"bedrot init {lake.root}",
            )
        ]
    return [Finding("lake root", "OK", str(lake.root))]


def _import_script(script: Path) -> str | None:
    """Import a script as a module (its `__main__` block does not run); the error, if any."""
    name = f"_bedrot_doctor_{script.parent.parent.name}_{script.stem}"
    spec = importlib.util.spec_from_file_location(name, script)
    if spec is None or spec.loader is None:
        return f"{script.name} is not a Python module"
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # any import failure is the finding itself
        return f"{script.name}: {type(error).__name__}: {error}"
    finally:
        sys.modules.pop(name, None)
    return None


def check_services(lake: Lake) -> list[Finding]:
    found = discover_services(lake)
    added = str(lake.src) not in sys.path
    if added:  # the lake's own services import as the runner's scripts do
        sys.path.insert(0, str(lake.src))
    try:
        return _service_findings(lake, found)
    finally:
        if added:
            sys.path.remove(str(lake.src))


def _service_findings(lake: Lake, found: Discovery) -> list[Finding]:
    findings: list[Finding] = []
    for name, reason in sorted(found.broken.items()):
        findings.append(
            Finding(f"service {name}", "FAIL", reason, f"fix src/{name}/ (docs/services.md)")
        )
    for service in found.services:
        errors = [error for s in service.cleaners if (error := _import_script(s)) is not None]
        if errors:
            findings.append(
                Finding(
                    f"service {service.name}",
                    "FAIL",
                    "; ".join(errors),
                    "reinstall: bash scripts/demo.sh (or pip install -e .) and fix the import",
                )
            )
        else:
            findings.append(
                Finding(
                    f"service {service.name}",
                    "OK",
                    f"{len(service.cleaners)} cleaner(s) import, "
                    f"{len(service.extractors)} extractor(s)",
                )
            )
    if not found.services and not found.broken:
        findings.append(
            Finding("services", "FAIL", f"no service in {lake.src}", "bedrot new-service NAME")
        )
    return findings


def check_config(lake: Lake) -> list[Finding]:
    from common.health.config import HealthConfigError, load_health_config
    from common.sessions.policy import PolicyError, load_policy
    from common.settings import SettingsError, load_pipeline_settings

    loaders: list[tuple[str, Callable[[Lake], object], type[Exception]]] = [
        ("config/pipeline.json", load_pipeline_settings, SettingsError),
        ("config/health.json", load_health_config, HealthConfigError),
        ("config/cookie_refresh_config.json", load_policy, PolicyError),
    ]
    findings = []
    for name, load, error_type in loaders:
        try:
            load(lake)
        except error_type as error:
            findings.append(Finding(name, "FAIL", str(error), f"edit {name}"))
        else:
            findings.append(Finding(name, "OK", "valid"))
    return findings


def check_chromium() -> list[Finding]:
    from common.browser import chromium_path

    path = chromium_path()
    if path and Path(path).is_file():
        return [Finding("chromium", "OK", path)]
    return [
        Finding(
            "chromium",
            "WARN",
            f"no browser at {path}" if path else "Debian's /usr/bin/chromium is not installed",
            "install chromium, or set BEDROT_CHROMIUM_PATH (only extractors need it)",
        )
    ]


def check_warehouse(lake: Lake) -> list[Finding]:
    from sqlalchemy import inspect, make_url, text
    from sqlalchemy.exc import SQLAlchemyError

    from common.warehouse.database import MIGRATIONS, make_engine, warehouse_url

    url = warehouse_url(lake)
    shown = make_url(url).render_as_string(hide_password=True)
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        if not database.is_file():
            return [Finding("warehouse", "WARN", f"{shown} not created yet", "bedrot etl")]
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("schema_migrations"):
                return [Finding("warehouse", "WARN", f"{shown} has no schema yet", "bedrot etl")]
            rows = connection.execute(text("SELECT version FROM schema_migrations"))
            done = {row[0] for row in rows}
    except SQLAlchemyError as error:
        original = getattr(error, "orig", None)
        reason = str(original) if original is not None else str(error)
        first_line = reason.strip().splitlines()[0] if reason.strip() else type(error).__name__
        return [
            Finding(
                "warehouse",
                "FAIL",
                f"{shown} unreachable: {first_line}",
                "check WAREHOUSE_URL in .env and that the database server runs",
            )
        ]
    finally:
        engine.dispose()
    pending = [str(version) for version, _, _ in MIGRATIONS if version not in done]
    if pending:
        return [
            Finding(
                "warehouse",
                "WARN",
                f"{shown}: migrations {', '.join(pending)} pending",
                "bedrot etl",
            )
        ]
    return [Finding("warehouse", "OK", f"{shown}, schema version {max(done)}")]


def check_logins(lake: Lake) -> list[Finding]:
    from datetime import datetime, timezone

    from common.sessions.policy import PolicyError, load_policy
    from common.sessions.status import all_statuses

    try:
        policy = load_policy(lake)
    except PolicyError:
        return []  # reported by check_config
    findings = []
    for status in all_statuses(lake, policy, datetime.now(timezone.utc)):
        label = (
            status.service if status.login == status.service else f"{status.service}/{status.login}"
        )
        if status.usable:
            findings.append(Finding(f"login {label}", "OK", status.state))
        else:
            findings.append(
                Finding(
                    f"login {label}",
                    "WARN",
                    f"{status.state}: {status.reason}",
                    f"bedrot cookies refresh --service {status.service}"
                    + ("" if label == status.service else f" --account {status.login}"),
                )
            )
    return findings


def check_disk(lake: Lake) -> list[Finding]:
    free = shutil.disk_usage(lake.root).free
    shown = f"{free / (1 << 30):.1f} GiB free"
    if free < FAIL_BELOW_BYTES:
        return [Finding("disk", "FAIL", shown, "free disk space: runs need at least 1 GiB")]
    if free < WARN_BELOW_BYTES:
        return [Finding("disk", "WARN", shown, "free disk space before the lake fills it")]
    return [Finding("disk", "OK", shown)]


def examine(lake: Lake) -> list[Finding]:
    """Every check, in the order a user would fix them."""
    return [
        *check_lake(lake),
        *check_config(lake),
        *check_services(lake),
        *check_chromium(),
        *check_warehouse(lake),
        *check_logins(lake),
        *check_disk(lake),
    ]


def render(findings: list[Finding]) -> str:
    """A plain table (it goes to logs and Task Scheduler output as well as terminals)."""
    width = max(len(f.check) for f in findings)
    lines = [f"{'check'.ljust(width)}  status  detail"]
    for finding in findings:
        line = f"{finding.check.ljust(width)}  [{finding.verdict}]".ljust(width + 10)
        lines.append(f"{line}{finding.detail}")
        if finding.remedy:
            lines.append(f"{''.ljust(width + 10)}-> {finding.remedy}")
    broken = sum(f.verdict == "FAIL" for f in findings)
    warned = sum(f.verdict == "WARN" for f in findings)
    lines.append(
        f"{broken} broken, {warned} warning(s), {len(findings) - broken - warned} ok."
        + (" Fix the [FAIL] lines before the next run." if broken else "")
    )
    return "\n".join(lines)


def exit_code(findings: list[Finding]) -> int:
    return 1 if any(f.verdict == "FAIL" for f in findings) else 0
