"""Email (SMTP) and Slack webhook messages when a saved login has expired or soon will.

Settings come from the environment or `.env`: SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD,
SMTP_STARTTLS, NOTIFY_EMAIL_FROM, NOTIFY_EMAIL_TO, SLACK_WEBHOOK_URL. A channel without its
settings is simply off; a channel that fails is reported, never raised.
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from common.redact import redact

SEND_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Delivery:
    channel: str
    ok: bool
    detail: str


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


def send_email(subject: str, body: str) -> Delivery | None:
    host, recipients = os.environ.get("SMTP_HOST"), os.environ.get("NOTIFY_EMAIL_TO")
    if not host or not recipients:
        return None
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = os.environ.get("NOTIFY_EMAIL_FROM") or "bedrot-datalake@localhost"
    message["To"] = recipients
    message.set_content(body)
    try:
        port = int(os.environ.get("SMTP_PORT") or 587)
        with smtplib.SMTP(host, port, timeout=SEND_TIMEOUT_SECONDS) as smtp:
            if _flag("SMTP_STARTTLS", True):
                smtp.starttls()
            user = os.environ.get("SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, ValueError, smtplib.SMTPException) as error:
        return Delivery("email", False, redact(f"email to {recipients} failed: {error}"))
    return Delivery("email", True, f"email sent to {recipients}")


def send_slack(text: str) -> Delivery | None:
    url = os.environ.get("SLACK_WEBHOOK_URL")
    if not url:
        return None
    import requests  # only when a message goes out: `bedrot run` starts faster without it

    try:
        response = requests.post(url, json={"text": text}, timeout=SEND_TIMEOUT_SECONDS)
        response.raise_for_status()
    except requests.RequestException as error:
        return Delivery("slack", False, redact(f"Slack message failed: {error}"))
    return Delivery("slack", True, "Slack message sent")


def notify(subject: str, body: str, email: bool = True, slack: bool = True) -> list[Delivery]:
    """Send on every configured channel; the result says what went where (or failed)."""
    sent = [
        send_email(subject, body) if email else None,
        send_slack(f"*{subject}*\n{body}") if slack else None,
    ]
    return [delivery for delivery in sent if delivery is not None]


REACH_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Channel:
    """One notification channel as set up in the environment (no secret in `where`)."""

    name: str
    configured: bool
    host: str = ""
    port: int = 0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}" if self.host else "not set up"


def email_channel() -> Channel:
    host, recipients = os.environ.get("SMTP_HOST", ""), os.environ.get("NOTIFY_EMAIL_TO", "")
    try:
        port = int(os.environ.get("SMTP_PORT") or 587)
    except ValueError:
        port = 0
    return Channel("email", bool(host and recipients), host, port)


def slack_channel() -> Channel:
    from urllib.parse import urlsplit

    url = os.environ.get("SLACK_WEBHOOK_URL", "")
    if not url:
        return Channel("slack", False)
    parts = urlsplit(url)
    try:
        port = parts.port or (80 if parts.scheme == "http" else 443)
    except ValueError:
        port = 0
    return Channel("slack", True, parts.hostname or "", port)


def reach(channel: Channel) -> str | None:
    """Open (and close) a TCP connection to the channel's server: None when it answers, else
    why not. Nothing is sent, so a health check never posts a message."""
    import socket

    if not channel.host or not channel.port:
        return f"the {channel.name} settings name no server"
    try:
        with socket.create_connection((channel.host, channel.port), REACH_TIMEOUT_SECONDS):
            return None
    except OSError as error:
        return redact(f"{channel.where} cannot be reached: {error}")
