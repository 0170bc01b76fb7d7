"""The boundary of every extractor: its context, its landing writes and how it ends.

`run_extractor(service, main)` wraps `common.script.run_script`: a login that cannot be used is
a WARNING and exit 0 with the outcome `skipped_login` in the run ledger (the rest of the run goes
on, nothing retries it), a changed page is an ERROR naming the selector, its URL and a
screenshot, exit 1.

It also reads the options every extractor takes, once for all of them: `--automated`, `--debug`
(DEBUG lines, a visible browser, a screenshot of every page visited) and `--help`. Each run's
lines are appended to the day's `logs/extractor_YYYYMMDD.log`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from common.extract.errors import ExtractionFailed, SelectorNotFound, SessionExpired
from common.extractor_config import ExtractorConfig, ExtractorConfigError, load_extractor_config
from common.ledger import STEP_EXTRACT, note_written, report_outcome
from common.logs import AUTOMATED_ENV, add_extractor_log
from common.script import EXIT_FAILED, EXIT_OK, ScriptContext, run_script
from common.sessions.history import HistoryEvent, record
from common.sessions.login import LoginNotCompleted, wait_for_login
from common.sessions.policy import CookiePolicy, PolicyError, ServicePolicy, load_policy
from common.sessions.status import SessionStatus, session_status
from common.sessions.store import mark_expired, session_path
from common.settings import load_lake_env
from common.zones import (
    LANDING,
    TIMESTAMP_FORMAT,
    atomic_write_bytes,
    ensure_service_zone,
    free_name,
    landing_file_name,
    slug,
)

SCREENSHOTS = "screenshots"


@dataclass(frozen=True)
class ExtractorOptions:
    """How this extractor run was asked to behave."""

    automated: bool = False
    debug: bool = False


def parse_extractor_args(
    description: str | None, argv: list[str] | None = None
) -> ExtractorOptions:
    """The options every extractor takes. `--automated` may also come from `bedrot run
    --automated`, which sets BEDROT_AUTOMATED for its scripts. `--help` prints the extractor's
    own docstring and exits 0 before anything touches the lake."""
    parser = argparse.ArgumentParser(
        prog=Path(sys.argv[0]).name,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--automated",
        action="store_true",
        help="unattended: skip a login that cannot be used (a WARNING) instead of opening a "
        "browser window to log in",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="look over its shoulder: DEBUG lines in the log, a visible browser window, and a "
        f"screenshot of every page visited in logs/{SCREENSHOTS}/",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    automated = bool(args.automated) or os.environ.get(AUTOMATED_ENV) == "1"
    return ExtractorOptions(automated=automated, debug=bool(args.debug))


@dataclass
class ExtractorContext:
    """What one extractor run knows: lake, log, its config and policy, and the mode."""

    script: ScriptContext
    config: ExtractorConfig
    cookie_policy: CookiePolicy
    automated: bool
    debug: bool = False
    started: datetime = field(default_factory=lambda: datetime.now())
    landed: list[Path] = field(default_factory=list)
    skipped_logins: list[str] = field(default_factory=list)

    @property
    def service(self) -> str:
        return self.script.service

    @property
    def policy(self) -> ServicePolicy:
        found = self.cookie_policy.for_service(self.service)
        if found is None:
            raise ExtractorConfigError(
                f"config/cookie_refresh_config.json has no policy for {self.service}."
            )
        return found

    def session_file(self, login: str | None = None) -> Path:
        return session_path(self.script.lake, self.service, login or self.service)

    def status(self, login: str | None = None) -> SessionStatus:
        now = datetime.now(timezone.utc)
        return session_status(
            self.script.lake, self.cookie_policy, self.policy, login or self.service, now
        )

    def ensure_login(self, login: str | None = None) -> None:
        """Interactive: open the login window when the saved login cannot be used.
        Automated: raise SessionExpired instead; the skip is a WARNING (never an ERROR, never
        in the errors log), and the run goes on without this login."""
        status = self.status(login)
        self.script.log.debug(
            "%s: saved login %s is %s (%s).",
            self.service,
            login or self.service,
            status.state,
            status.reason,
            extra={"service": self.service},
        )
        if status.usable:
            return
        self.login_again(login or self.service, status.reason)

    def login_again(self, login: str, reason: str) -> None:
        if self.automated:
            raise SessionExpired(self.service, login, reason)
        if self.policy.token_env:
            # No browser login gives this token: the user pastes a new one into .env.
            raise SessionExpired(
                self.service, login, f"{reason}; put a new {self.policy.token_env} in .env"
            )
        try:
            wait_for_login(
                self.script.lake,
                self.config,
                self.cookie_policy,
                self.policy,
                login,
                self.script.log,
            )
        except LoginNotCompleted as error:
            raise SessionExpired(self.service, login, str(error).rstrip(".")) from None

    def turned_away(self, login: str, reason: str) -> SessionExpired:
        """The site refused a saved login: remember it so no run retries it, then skip."""
        token_env = self.policy.token_env
        mark_expired(self.script.lake, self.service, login, reason, os.environ.get(token_env or ""))
        return SessionExpired(self.service, login, reason)

    def landing_name(self, dataset: str, extension: str) -> str:
        return landing_file_name(self.service, dataset, extension, self.started)

    def land(self, name: str, content: bytes) -> Path:
        """Write one file into 1_landing/<service>/ atomically (never over an existing one)."""
        folder = ensure_service_zone(self.script.lake, LANDING, self.service)
        # A browser's copy mark: every service's name rules already ignore it.
        target = free_name(folder / name, mark=" ({n})", first=2)
        atomic_write_bytes(target, content)
        self.landed.append(target)
        note_written(target)
        self.script.log.info(
            "Landed %s (%d bytes).",
            target.relative_to(self.script.lake.root).as_posix(),
            len(content),
            extra={"service": self.service},
        )
        return target

    def screenshot_path(self, name: str) -> Path:
        """A new file in logs/screenshots/; never one an earlier shot of this second holds."""
        folder = self.script.lake.logs / SCREENSHOTS
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime(TIMESTAMP_FORMAT)
        return free_name(folder / f"{self.service}_{slug(name)}_{stamp}.png", first=2)

    @contextmanager
    def each_login(self, login: str) -> Iterator[None]:
        """Around one account's work: an unusable login skips that account, not the others."""
        try:
            yield
        except SessionExpired as expired:
            self.skip(expired)

    def skip(self, expired: SessionExpired) -> None:
        """Skip one login: a WARNING for people, and the outcome `skipped_login` in the run
        ledger, which is what health and the run summary count."""
        self.skipped_logins.append(expired.login)
        report_outcome("skipped_login")
        now = datetime.now(timezone.utc)
        record(
            self.script.lake,
            HistoryEvent(now, self.service, expired.login, "extract", "skipped", expired.reason),
        )
        token_env = self.policy.token_env
        advice = (
            f"put a new {token_env} in .env"
            if token_env
            else f"log in with `bedrot cookies refresh --service {self.service}`"
        )
        self.script.log.warning(
            "%s: skipped %s: its saved session is missing or expired (%s); %s.",
            self.service,
            expired.login,
            expired.reason,
            advice,
            extra={"service": self.service},
        )


def _finish(ctx: ExtractorContext) -> int:
    skipped = f"; skipped {', '.join(ctx.skipped_logins)}" if ctx.skipped_logins else ""
    ctx.script.log.info(
        "%s: landed %d file(s)%s.",
        ctx.service,
        len(ctx.landed),
        skipped,
        extra={"service": ctx.service},
    )
    return EXIT_OK


def _start_logging(script: ScriptContext, options: ExtractorOptions) -> None:
    if options.debug:
        script.log.setLevel(logging.DEBUG)
    day_log = add_extractor_log(script.log, script.lake.logs, options.debug)
    script.log.debug(
        "%s: %s started (automated=%s, debug=%s); lake %s; appending to logs/%s.",
        script.service,
        Path(sys.argv[0]).name,
        options.automated,
        options.debug,
        script.lake.root,
        day_log.name,
        extra={"service": script.service},
    )


def run_extractor(service: str, main: Callable[[ExtractorContext], None]) -> int:
    """Run one extractor script; see the module docstring for how each ending is reported."""
    options = parse_extractor_args(getattr(sys.modules.get(main.__module__), "__doc__", None))

    def boundary(script: ScriptContext) -> int:
        _start_logging(script, options)
        load_lake_env(script.lake)  # tokens and browser settings may live only in .env
        try:
            config = load_extractor_config(script.lake, service)
            policy = load_policy(script.lake)
        except (ExtractorConfigError, PolicyError) as error:
            script.log.error("%s", error, extra={"service": service})
            return EXIT_FAILED
        script.log.debug(
            "%s: config/extractors/%s.json, base_url %s, timeout %s s.",
            service,
            service,
            config.base_url,
            config.timeout_seconds,
            extra={"service": service},
        )
        ctx = ExtractorContext(script, config, policy, options.automated, options.debug)
        try:
            main(ctx)
        except SessionExpired as expired:
            ctx.skip(expired)
        except SelectorNotFound as missing:
            script.log.error("%s: %s", service, missing, extra={"service": service})
            return EXIT_FAILED
        except (ExtractionFailed, ExtractorConfigError) as error:
            script.log.error("%s: %s", service, error, extra={"service": service})
            return EXIT_FAILED
        return _finish(ctx)

    return run_script(service, boundary, STEP_EXTRACT)
