"""A real PostgreSQL server for tests: initdb in a temp folder, listening on 127.0.0.1 only.

Uses Debian's server binaries (scripts/test.sh installs the `postgresql` package). As root the
server runs as the `postgres` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(Exception):
    """No server could be started here; the message says why."""


def _binaries() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, found)
    if not candidates:
        raise PostgresUnavailable("no initdb found (install the Debian package postgresql)")
    return Path(os.path.realpath(candidates[0])).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root without runuser to drop to postgres")
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                   "-U", "postgres", name])  # fmt: skip
        return self.url(name)

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(
            _as_server_user(command), capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise PostgresUnavailable(f"{Path(command[0]).name} failed: {done.stderr.strip()}")

    def stop(self) -> None:
        subprocess.run(
            _as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                             "immediate", "stop"]),  # fmt: skip
            capture_output=True,
            timeout=60,
            check=False,
        )


def start_postgres(folder: Path) -> PostgresServer:
    """initdb + pg_ctl start on a free port; raises PostgresUnavailable with the reason."""
    server = PostgresServer(folder, _free_port(), _binaries())
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, sockets = folder / "data", folder / "sockets"
    server._run(["mkdir", "-p", str(sockets)])
    server._run([str(server.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--no-sync"])  # fmt: skip
    options = f"-p {server.port} -c listen_addresses=127.0.0.1 -k {sockets} -c fsync=off"
    server._run([str(server.bin / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60",
                 "-l", str(folder / "server.log"), "start"])  # fmt: skip
    return server
