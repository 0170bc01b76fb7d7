"""The cookie checker: OK, EXPIRING at 80 % of max age, EXPIRED, MISSING; JWT exp; cookie expiry."""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from common.lake import Lake
from common.sessions.policy import PolicyError, load_policy
from common.sessions.status import session_status
from common.sessions.store import PRIVATE, mark_expired, save_session

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)


def jwt(expires: datetime) -> str:
    def part(document: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'exp': int(expires.timestamp())})}.c2ln"


def saved(lake: Lake, service: str, state: dict[str, object], days_old: float) -> Path:
    (lake.src / service).mkdir(parents=True, exist_ok=True)
    path = save_session(lake, service, service, state, keep=3, now=NOW)
    when = (NOW - timedelta(days=days_old)).timestamp()
    os.utime(path, (when, when))
    return path


def cookie(name: str, expires: datetime | None) -> dict[str, object]:
    return {
        "name": name,
        "value": "v-" + name,
        "domain": "x",
        "path": "/",
        "expires": expires.timestamp() if expires else -1,
    }


def status(lake: Lake, service: str, login: str | None = None):  # type: ignore[no-untyped-def]
    policy = load_policy(lake)
    found = policy.for_service(service)
    assert found is not None
    return session_status(lake, policy, found, login or service, NOW)


def test_defaults_are_specs_policies(lake: Lake) -> None:
    policy = load_policy(lake)
    summary = {
        name: (p.strategy, p.max_age_days, p.refresh_interval_days, p.priority)
        for name, p in policy.services.items()
    }
    assert summary == {
        "toolost": ("jwt", 7, 5, "CRITICAL"),
        "spotify": ("oauth", 30, 7, "HIGH"),
        "tiktok": ("playwright", 30, 7, "HIGH"),
        "distrokid": ("playwright", 90, 10, "MEDIUM"),
        "linktree": ("playwright", 30, 14, "MEDIUM"),
        "metaads": ("oauth", 60, 30, "LOW"),
        "instagram": ("oauth", 60, 50, "MEDIUM"),
        "youtube": ("oauth", 180, 90, "MEDIUM"),
        "mailchimp": ("oauth", 365, 180, "LOW"),
    }
    assert policy.services["tiktok"].logins == ("zone.a0", "pig1987")


def test_checkout_policy_file_matches_the_defaults() -> None:
    checkout = Lake(Path(__file__).resolve().parents[2])
    assert load_policy(checkout).services == load_policy(Lake(Path("/nonexistent"))).services


@pytest.mark.parametrize(
    "days_old,state",
    [(1, "OK"), (71, "OK"), (72.5, "EXPIRING"), (89.9, "EXPIRING"), (90.1, "EXPIRED")],
)
def test_age_against_max_age(lake: Lake, days_old: float, state: str) -> None:
    saved(lake, "distrokid", {"cookies": [cookie("dk", NOW + timedelta(days=300))]}, days_old)
    assert status(lake, "distrokid").state == state


def test_missing_and_unreadable_sessions_are_missing(lake: Lake) -> None:
    assert status(lake, "distrokid").state == "MISSING"
    path = lake.src / "distrokid" / "cookies" / "distrokid.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    found = status(lake, "distrokid")
    assert (found.state, "cannot be read" in found.reason) == ("MISSING", True)


def test_cookies_past_their_own_expiry_are_counted_and_all_expired_means_expired(
    lake: Lake,
) -> None:
    past, future = NOW - timedelta(days=1), NOW + timedelta(days=5)
    saved(
        lake,
        "linktree",
        {"cookies": [cookie("a", past), cookie("b", future), cookie("c", None)]},
        2,
    )
    found = status(lake, "linktree")
    assert (found.state, found.cookies_expired, found.cookies) == ("OK", 1, 3)
    saved(lake, "linktree", {"cookies": [cookie("a", past), cookie("c", None)]}, 2)
    assert status(lake, "linktree").state == "EXPIRED"


def test_jwt_expiry_is_read_from_the_token(lake: Lake) -> None:
    def with_token(expires: datetime) -> dict[str, object]:
        item = {"name": "jwt_token", "value": jwt(expires)}
        return {
            "cookies": [],
            "origins": [{"origin": "https://toolost.com", "localStorage": [item]}],
        }

    saved(lake, "toolost", with_token(NOW + timedelta(days=5)), 1)
    found = status(lake, "toolost")
    assert (found.state, found.jwt_expires_at) == ("OK", NOW + timedelta(days=5))
    saved(lake, "toolost", with_token(NOW + timedelta(days=1)), 1)
    assert status(lake, "toolost").state == "EXPIRING"
    saved(lake, "toolost", with_token(NOW - timedelta(minutes=1)), 1)
    assert status(lake, "toolost").state == "EXPIRED"
    saved(lake, "toolost", {"cookies": []}, 1)
    assert status(lake, "toolost").reason == "it holds no jwt_token"


def test_a_login_the_site_refused_stays_expired_until_saved_anew(lake: Lake) -> None:
    path = saved(lake, "spotify", {"cookies": []}, 1)
    mark_expired(lake, "spotify", "spotify", "the audience page sent us to the login page")
    assert status(lake, "spotify").state == "EXPIRED"
    save_session(lake, "spotify", "spotify", {"cookies": []}, keep=3, now=NOW)
    assert status(lake, "spotify").state == "OK"
    assert path.stat().st_mode & 0o777 == PRIVATE


def test_token_from_the_environment(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("META_ACCESS_TOKEN", raising=False)
    assert status(lake, "metaads").state == "MISSING"
    monkeypatch.setenv("META_ACCESS_TOKEN", "first-token-value")
    assert status(lake, "metaads").state == "OK"
    mark_expired(lake, "metaads", "metaads", "Graph API error 190", "first-token-value")
    assert status(lake, "metaads").state == "EXPIRED"
    monkeypatch.setenv("META_ACCESS_TOKEN", "second-token-value")
    assert status(lake, "metaads").state == "OK"
    mark = lake.src / "metaads" / "cookies" / "metaads.expired"
    assert "first-token-value" not in mark.read_text(encoding="utf-8")


def test_tiktok_logins_are_judged_per_account(lake: Lake) -> None:
    (lake.src / "tiktok").mkdir(parents=True)
    save_session(lake, "tiktok", "zone.a0", {"cookies": []}, keep=3, now=NOW)
    assert status(lake, "tiktok", "zone.a0").state == "OK"
    assert status(lake, "tiktok", "pig1987").state == "MISSING"


def test_a_wrong_policy_names_the_value(lake: Lake) -> None:
    (lake.config / "cookie_refresh_config.json").write_text(
        json.dumps({"services": {"toolost": {"max_age_days": -1}}}), encoding="utf-8"
    )
    with pytest.raises(PolicyError, match="services.toolost.max_age_days"):
        load_policy(lake)
