"""The seed's cookie helpers for scripts and notebooks, over the session store:

    from common.cookies import load_cookies, validate_cookies
    print(validate_cookies("spotify"))   # True or False

The lake is found as everywhere (PROJECT_ROOT, `.env`, or this checkout), and its `.env` is
loaded so a token login (Meta Ads) is judged like in a run. Nothing here touches a site.
"""

from __future__ import annotations

from typing import Any

from common.lake import Lake
from common.sessions.policy import CookiePolicy, load_policy
from common.sessions.store import read_session, session_path
from common.sessions.tools import ToolError, choose_logins, logins_usable
from common.settings import load_lake_env


def _lake_and_policy() -> tuple[Lake, CookiePolicy]:
    lake = Lake.locate()
    load_lake_env(lake)
    return lake, load_policy(lake)


def load_cookies(service: str, account: str | None = None) -> list[dict[str, Any]]:
    """The saved cookies of the service's login (or of `account`) as Playwright writes them;
    [] when nothing is saved or the login is a token. ToolError names an unknown service."""
    lake, policy = _lake_and_policy()
    login = choose_logins(policy, [service], account)[0]
    if login.policy.token_env:
        return []
    path = session_path(lake, service, login.name)
    if not path.is_file():
        return []
    return [dict(cookie) for cookie in read_session(path).get("cookies", [])]


def validate_cookies(service: str, account: str | None = None) -> bool:
    """True when every saved login of the service (or `account`) can be used (OK or EXPIRING),
    judged from the saved files and the policy, as `bedrot cookies status` judges them."""
    lake, policy = _lake_and_policy()
    return logins_usable(policy, lake, service, account)


__all__ = ["ToolError", "load_cookies", "validate_cookies"]
