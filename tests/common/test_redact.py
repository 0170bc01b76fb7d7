"""Secrets never reach a log: secret settings, JWTs, Authorization and cookie headers, passwords."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.logs import CORRELATION_ENV, ERRORS_LOG, LOGGER_NAME, close_logging, setup_logging
from common.redact import MASK, REDACTOR, Redactor

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsYWJlbCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


@pytest.fixture
def logged_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, io.StringIO]]:
    """The logs folder and console of a fresh `bedrot` logger, closed after the test."""
    monkeypatch.setenv(CORRELATION_ENV, "test0000run00001")
    console = io.StringIO()
    logs_dir = tmp_path / "logs"
    setup_logging(logs_dir, "distrokid", console=logging.StreamHandler(console), executor_log=True)
    yield logs_dir, console
    close_logging()


def leaked_into(logs_dir: Path, console: io.StringIO, secret: str) -> list[str]:
    close_logging()
    where = [p.name for p in logs_dir.iterdir() if secret in p.read_text(encoding="utf-8")]
    return where + (["console"] if secret in console.getvalue() else [])


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"token {JWT} expired", JWT),
        ("Authorization: Bearer xyzSECRET123.abc", "xyzSECRET123"),
        ('{"authorization": "Bearer xyzSECRET123"}', "xyzSECRET123"),
        ("Cookie: sessionid=ab12cd; csrftoken=ef34", "ab12cd"),
        ("Cookie: sessionid=ab12cd; csrftoken=ef34", "ef34"),
        ("Set-Cookie: dk_session=s3cr3tv4lue; Path=/; HttpOnly", "s3cr3tv4lue"),
        ("GET https://distrokid.com/login?user=me&password=hunter22&next=/", "hunter22"),
    ],
    ids=["jwt", "bearer", "bearer-json", "cookie-first", "cookie-second", "set-cookie", "password"],
)
def test_secret_shaped_text_is_masked(text: str, secret: str) -> None:
    masked = Redactor()(text)

    assert secret not in masked
    assert MASK in masked


def test_masking_keeps_the_text_around_the_secret() -> None:
    masked = Redactor()("GET https://distrokid.com/login?user=me&password=hunter22&next=/ 302")

    assert masked == f"GET https://distrokid.com/login?user=me&password={MASK}&next=/ 302"


@pytest.mark.parametrize("name", ["DK_PASSWORD", "TOOLOST_JWT", "META_ACCESS_TOKEN"])
def test_values_of_secret_settings_are_masked(name: str) -> None:
    redactor = Redactor()
    redactor.add_secret_settings({name: "plainvalue42"})

    assert redactor("logged in with plainvalue42 today") == f"logged in with {MASK} today"


def test_values_of_ordinary_settings_are_kept() -> None:
    redactor = Redactor()
    redactor.add_secret_settings({"PROJECT_ROOT": "/home/label/lake", "DK_PASSWORD": "hunter22"})

    assert redactor("lake at /home/label/lake") == "lake at /home/label/lake"


def test_extra_names_mark_a_setting_secret() -> None:
    redactor = Redactor()
    redactor.add_secret_settings({"DK_LOGIN_PHRASE": "open sesame"}, extra=["DK_LOGIN_PHRASE"])

    assert redactor("phrase is open sesame") == f"phrase is {MASK}"


def test_a_registered_secret_is_in_no_log_file(logged_to: tuple[Path, io.StringIO]) -> None:
    logs_dir, console = logged_to
    REDACTOR.add("dk-pass-7f3a9e21")

    logging.getLogger(LOGGER_NAME).error("login with %s failed", "dk-pass-7f3a9e21")

    assert leaked_into(logs_dir, console, "dk-pass-7f3a9e21") == []
    assert f"login with {MASK} failed" in (logs_dir / ERRORS_LOG).read_text(encoding="utf-8")


def test_a_registered_secret_in_a_logged_exception_is_in_no_log_file(
    logged_to: tuple[Path, io.StringIO],
) -> None:
    logs_dir, console = logged_to
    REDACTOR.add("dk-pass-0b8c4d55")

    try:
        raise RuntimeError("login refused for password dk-pass-0b8c4d55")
    except RuntimeError as error:
        logging.getLogger(LOGGER_NAME).error("distrokid failed: %s", error, exc_info=True)

    assert leaked_into(logs_dir, console, "dk-pass-0b8c4d55") == []


def test_a_password_inside_a_database_url_is_masked() -> None:
    masked = Redactor()("connecting to postgresql+psycopg://bedrot:s3cret-pass@db.local:5432/lake")

    assert "s3cret-pass" not in masked
    assert "postgresql+psycopg://bedrot:[REDACTED]@db.local:5432/lake" in masked
