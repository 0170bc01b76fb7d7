"""Tell the user, by email and Slack, about logins that expired or soon will — once per
`notifications.repeat_hours` for each login and state, so a daily run does not nag."""

from __future__ import annotations

import logging
from datetime import datetime

from common.lake import Lake
from common.sessions.history import HistoryEvent, recently_notified, record
from common.sessions.notify import Delivery, notify
from common.sessions.policy import CookiePolicy
from common.sessions.status import SessionStatus

WORTH_TELLING = frozenset({"EXPIRING", "EXPIRED", "MISSING"})


def _sentence(status: SessionStatus) -> str:
    what = {
        "EXPIRING": "expires soon",
        "EXPIRED": "has expired",
        "MISSING": "is missing",
    }[status.state]
    return (
        f"{status.service} ({status.login}): the saved login {what}: {status.reason}. "
        f"Log in again with `bedrot cookies refresh --service {status.service}`."
    )


def alert_sessions(
    lake: Lake,
    policy: CookiePolicy,
    statuses: list[SessionStatus],
    now: datetime,
    log: logging.Logger,
) -> list[Delivery]:
    """Send one message listing the logins that newly need the user; record what was sent."""
    hours = policy.notifications.repeat_hours
    news = [
        s
        for s in statuses
        if s.state in WORTH_TELLING
        and not recently_notified(lake, s.service, s.login, s.state, now, hours)
    ]
    if not news or not (policy.notifications.email or policy.notifications.slack):
        return []
    subject = f"BEDROT Data Lake: {len(news)} login(s) need you"
    body = "\n".join(_sentence(s) for s in news)
    deliveries = notify(subject, body, policy.notifications.email, policy.notifications.slack)
    for delivery in deliveries:
        log.log(
            logging.INFO if delivery.ok else logging.WARNING, "Notification: %s.", delivery.detail
        )
    if any(d.ok for d in deliveries):
        for status in news:
            record(
                lake,
                HistoryEvent(
                    now, status.service, status.login, "notify", status.state, status.reason
                ),
            )
    return deliveries
