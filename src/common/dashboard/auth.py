"""Logins on the dashboard: server-side sessions, CSRF tokens and the slowing of failed logins.

A session is a random id in an HttpOnly, SameSite=Strict cookie; what it stands for (the user,
its CSRF token, its expiry) stays in this process's memory, so a restart logs everyone out and a
logout deletes it for good. Failed logins are counted per user name and per address: past a few
free attempts each failure doubles the wait before the next attempt of that name or address is
even checked, so guessing twenty passwords takes hours instead of seconds.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from common.dashboard.settings import DashboardSettings

SESSION_COOKIE = "bedrot_session"
LOGIN_CSRF_COOKIE = "bedrot_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
Clock = Callable[[], float]


@dataclass(frozen=True)
class Session:
    session_id: str
    user: str
    csrf_token: str
    started_at: float
    expires_at: float


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; an absent token never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


class SessionStore:
    """Sessions by id, in memory; expired ones are refused and forgotten."""

    def __init__(self, lifetime_seconds: int, clock: Clock = time.time) -> None:
        self.lifetime_seconds = lifetime_seconds
        self.clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, user: str) -> Session:
        now = self.clock()
        session = Session(new_token(), user, new_token(), now, now + self.lifetime_seconds)
        with self._lock:
            self._forget_expired()
            self._sessions[session.session_id] = session
        return session

    def find(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if session.expires_at <= self.clock():
                del self._sessions[session_id]
                return None
            return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _forget_expired(self) -> None:
        now = self.clock()
        for key in [k for k, s in self._sessions.items() if s.expires_at <= now]:
            del self._sessions[key]


@dataclass
class _Failures:
    count: int = 0
    blocked_until: float = 0.0


class LoginThrottle:
    """Failed logins per key ("user:NAME", "address:IP"): after `free_attempts` failures each
    further one blocks the key for first_delay * 2^(n - free - 1) seconds, at most max_delay.
    A success clears the user's count (not the address's: one right password does not excuse
    a hundred guesses at other names)."""

    def __init__(self, settings: DashboardSettings, clock: Clock = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, user: str, address: str) -> float:
        """How long the caller must still wait before this login may be checked (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [
                self._failures[key].blocked_until - now
                for key in _keys(user, address)
                if key in self._failures
            ]
        return max([0.0, *waits])

    def failed(self, user: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in _keys(user, address):
                failures = self._failures.setdefault(key, _Failures())
                failures.count += 1
                over = failures.count - self.settings.free_attempts
                if over > 0:
                    delay = self.settings.first_delay_seconds * 2 ** min(over - 1, 30)
                    failures.blocked_until = now + min(delay, self.settings.max_delay_seconds)

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{user.lower()}", None)


def _keys(user: str, address: str) -> tuple[str, str]:
    return f"user:{user.lower()}", f"address:{address}"
