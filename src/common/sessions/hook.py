"""Step 1 of a run: how every service's saved login stands, and what the run does about it.

Automated runs skip a service none of whose logins can be used (a low-severity WARNING);
interactive runs leave it to the extractor, which opens the login window.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from common.sessions.alerts import alert_sessions
from common.sessions.policy import PolicyError, load_policy
from common.sessions.status import SessionStatus, all_statuses

if TYPE_CHECKING:
    from common.pipeline.hooks import HookOutcome
    from common.pipeline.run import PipelineRun


def _line(status: SessionStatus) -> str:
    return f"{status.service}/{status.login}: {status.state} ({status.reason})"


def check_sessions(run: PipelineRun) -> HookOutcome:
    from common.pipeline.hooks import HookOutcome

    if not run.options.extract:
        return HookOutcome("Nothing to do: the extractors are off for this run (--no-extract).")
    try:
        policy = load_policy(run.lake)
    except PolicyError as error:
        return HookOutcome(f"[FAIL] {error}", failed=True)
    now = datetime.now(timezone.utc)
    # A disabled login is not watched: its extractor still runs and judges the login itself.
    watched = set(policy.enabled_services)
    names = [s.name for s in run.services if s.extractors and s.name in watched]
    if not names:
        return HookOutcome("Nothing to do: no service in this run logs in.")
    statuses = all_statuses(run.lake, policy, now, names)
    for status in statuses:
        level = logging.INFO if status.state == "OK" else logging.WARNING
        run.log.log(level, "Login %s", _line(status), extra={"service": status.service})
    alert_sessions(run.lake, policy, statuses, now, run.log)
    unusable = {name for name in names if not any(s.usable for s in statuses if s.service == name)}
    if not run.options.automated:
        return HookOutcome(
            f"Checked {len(statuses)} saved login(s); {len(unusable)} service(s) need a login."
        )
    return HookOutcome(
        f"Checked {len(statuses)} saved login(s); automated run, so "
        f"{len(unusable)} service(s) without a usable login are skipped.",
        skip_for_authentication=frozenset(unusable),
    )
