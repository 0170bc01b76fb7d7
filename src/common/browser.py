"""Launches Chromium through Playwright the one way this project does.

`BEDROT_CHROMIUM_PATH` names the browser (default: Debian's /usr/bin/chromium when present,
else Playwright's own). A window is visible only where a person must act (the login page) or
watch (an extractor run with `--debug`). `BEDROT_BROWSER_HEADLESS=1` keeps even those hidden
(CI, tests, a machine without a display). `BEDROT_BROWSER_DEBUG_PORT` opens Chrome's
remote-debugging port on 127.0.0.1 for the login window, which is how the tests act as the user
on a login page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str | None:
    configured = os.environ.get("BEDROT_CHROMIUM_PATH", "").strip()
    if configured:
        return configured
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else None


def always_headless() -> bool:
    return os.environ.get("BEDROT_BROWSER_HEADLESS", "").strip().lower() in ("1", "true", "yes")


def launch_options(visible: bool, remote_debugging: bool = True) -> dict[str, Any]:
    """Keyword arguments for `chromium.launch`. `visible` asks for a window, which
    BEDROT_BROWSER_HEADLESS can still refuse; `remote_debugging` lets a visible window open the
    BEDROT_BROWSER_DEBUG_PORT (the login window; not a `--debug` extraction, which could be open
    at the same time as a login window and must not take its port)."""
    args = list(CHROMIUM_ARGS)
    port = os.environ.get("BEDROT_BROWSER_DEBUG_PORT", "").strip()
    if visible and remote_debugging and port:
        args += [f"--remote-debugging-port={int(port)}", "--remote-debugging-address=127.0.0.1"]
    options: dict[str, Any] = {"headless": not visible or always_headless(), "args": args}
    executable = chromium_path()
    if executable:
        options["executable_path"] = executable
    return options


def window_description(visible: bool, options: dict[str, Any]) -> str:
    """One log line's worth: what was asked for and what the browser will really do."""
    if not visible:
        return "headless"
    if options.get("headless"):
        return "headless (a visible window was asked for; BEDROT_BROWSER_HEADLESS keeps it hidden)"
    return "a visible window"


def launch_chromium(
    playwright: Playwright, visible: bool = False, remote_debugging: bool = True
) -> Browser:
    return playwright.chromium.launch(**launch_options(visible, remote_debugging))
