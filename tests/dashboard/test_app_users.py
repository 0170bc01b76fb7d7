"""Who may log in: `bedrot dashboard add-user | passwd | remove-user`, the users file, settings,
and a command module light enough for `bedrot --help`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from common.dashboard.commands import dashboard_app
from common.dashboard.settings import (
    DashboardSettingsError,
    load_dashboard_settings,
    users_path,
)
from common.dashboard.users import UserStore
from common.lake import Lake


def dashboard_command(lake: Lake, *args: str, password: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        dashboard_app,
        list(args),
        input=None if password is None else password + "\n",
        env={"PROJECT_ROOT": str(lake.root)},
    )
    return result.exit_code, result.output


def test_add_user_stores_an_argon2_hash_readable_by_the_owner_alone(lake: Lake) -> None:
    code, output = dashboard_command(
        lake, "add-user", "owner", "--password-stdin", password="a long secret"
    )
    assert code == 0, output
    path = users_path(lake)
    text = path.read_text(encoding="utf-8")
    assert "a long secret" not in text
    assert json.loads(text)["users"]["owner"]["password_hash"].startswith("$argon2id$")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store = UserStore(path)
    assert store.verify("owner", "a long secret")
    assert not store.verify("owner", "a long secreT")


def test_add_user_asks_the_password_twice(lake: Lake) -> None:
    result = CliRunner().invoke(
        dashboard_app,
        ["add-user", "owner"],
        input="first password\nother password\nfirst password\nfirst password\n",
        env={"PROJECT_ROOT": str(lake.root)},
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output.lower()
    assert UserStore(users_path(lake)).verify("owner", "first password")


def test_passwd_and_remove_user_change_who_can_log_in(lake: Lake) -> None:
    dashboard_command(lake, "add-user", "owner", "--password-stdin", password="old password")
    code, output = dashboard_command(
        lake, "passwd", "owner", "--password-stdin", password="new password"
    )
    assert code == 0, output
    store = UserStore(users_path(lake))
    assert store.verify("owner", "new password") and not store.verify("owner", "old password")
    code, output = dashboard_command(lake, "remove-user", "owner")
    assert code == 0, output
    assert not store.verify("owner", "new password")


@pytest.mark.parametrize(
    ("args", "password", "says"),
    [
        (("add-user", "owner", "--password-stdin"), "short", "at least 8"),
        (("add-user", "bad name!", "--password-stdin"), "long enough", "not a usable user name"),
        (("passwd", "nobody", "--password-stdin"), "long enough", "no dashboard user"),
        (("remove-user", "nobody"), None, "no dashboard user"),
    ],
)
def test_user_commands_refuse_with_a_sentence(
    lake: Lake, args: tuple[str, ...], password: str | None, says: str
) -> None:
    code, output = dashboard_command(lake, *args, password=password)
    assert code == 1
    assert says in output.lower()
    assert "Traceback" not in output


def test_adding_a_user_twice_keeps_the_first_password(lake: Lake) -> None:
    dashboard_command(lake, "add-user", "owner", "--password-stdin", password="first password")
    code, output = dashboard_command(
        lake, "add-user", "owner", "--password-stdin", password="second password"
    )
    assert code == 1 and "exists already" in output
    assert UserStore(users_path(lake)).verify("owner", "first password")


def test_settings_come_from_config_and_bad_ones_are_named(lake: Lake) -> None:
    settings_file = lake.config / "dashboard.json"
    settings_file.write_text(
        '{"port": 9090, "session_hours": 1, "goals": {"monthly_streams": 100000}}',
        encoding="utf-8",
    )
    settings = load_dashboard_settings(lake)
    assert (settings.port, settings.session_seconds, settings.host) == (9090, 3600, "127.0.0.1")
    for wrong, says in (
        ('{"prot": 9090}', "unknown keys ['prot']"),
        ('{"port": "high"}', "port must be a whole number"),
        ('{"poll_seconds": 0.1}', "at most one update a second"),
    ):
        settings_file.write_text(wrong, encoding="utf-8")
        with pytest.raises(DashboardSettingsError) as problem:
            load_dashboard_settings(lake)
        assert says in str(problem.value)


def test_the_command_module_loads_no_web_stack(tmp_path: Path) -> None:
    """`bedrot --help` imports it: FastAPI, uvicorn and SQLAlchemy must wait for a command."""
    probe = (
        "import sys, common.dashboard.commands; "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'sqlalchemy', 'argon2') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "[]"


def test_listening_beyond_this_machine_warns_about_tls(lake: Lake) -> None:
    import httpx

    from tests.conftest import bedrot_env
    from tests.dashboard.app_support import free_port

    port = free_port()
    script = Path(__file__).resolve().parents[2] / "src/common/cookie_refresh/dashboard.py"
    server = subprocess.Popen(
        [sys.executable, str(script), "--host", "0.0.0.0", "--port", str(port)],
        cwd=lake.root,
        env=bedrot_env(lake.root, {"BROWSER": "true"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answer = None
        for _ in range(300):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()
                time.sleep(0.1)
        assert answer is not None and answer.json() == {"status": "ok"}
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "not only on this machine" in errors and "TLS" in errors
    assert "Nobody can log in yet" in errors
