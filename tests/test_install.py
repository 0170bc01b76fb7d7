"""A non-editable install is the framework, the built-in services and the lake defaults: with no
checkout on the path it runs the demo, and `bedrot run` on a lake made by `bedrot init`.

The wheel is built from a clean copy of the checkout (what `pip install .` builds) and installed
into a fresh venv. Its third-party dependencies are not downloaded again: the fresh venv sees this
venv's installed packages (a .pth line adds the folder, whose own .pth files, such as the
editable install's path to src/, are not read), so the test takes seconds, not minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import venv
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select

from common.discovery import builtin_service_folders
from common.lake import Lake
from common.warehouse.database import make_engine, warehouse_url
from common.warehouse.models import Expense

CHECKOUT = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "src", "config", "etl")
EXPORT = CHECKOUT / "tests" / "fixtures" / "capitalone" / "2026-01-31_transaction_download.csv"


def _not_shipped(folder: str, names: list[str]) -> set[str]:
    """Caches, build leftovers and saved logins stay behind."""
    skipped = {
        n for n in names if n in {"__pycache__", "build"} or n.endswith((".pyc", ".egg-info"))
    }
    if Path(folder).name == "cookies":
        skipped |= set(names)
    return skipped


def _bin(env: Path, name: str) -> Path:
    return (
        env
        / ("Scripts" if os.name == "nt" else "bin")
        / (f"{name}.exe" if os.name == "nt" else name)
    )


def _run(args: Sequence[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BEDROT_", "COV_", "COVERAGE_"))
        and k not in {"PROJECT_ROOT", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("checkout")
    for name in SHIPPED:
        if (CHECKOUT / name).is_dir():
            shutil.copytree(CHECKOUT / name, source / name, ignore=_not_shipped)
        else:
            shutil.copyfile(CHECKOUT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", out, source],
        cwd=source,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = out.glob("bedrot_data_lake-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel; returns the venv folder."""
    started = time.monotonic()
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False).create(env)  # this venv's pip installs into it
    python = _bin(env, "python")
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env)
    (Path(purelib.stdout.strip()) / "_bedrot_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install"]
    done = _run([*pip, "-q", "--no-deps", "--no-index", wheel], env)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"fresh venv with the wheel in {time.monotonic() - started:.1f} s")
    return env


@pytest.mark.slow
def test_the_wheel_carries_the_framework_the_services_and_the_lake_defaults(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {name.split("/")[0] for name in names if "/" in name}

    assert {"common", *builtin_service_folders()} <= packages
    for service in builtin_service_folders():
        for script in (CHECKOUT / "src" / service / "cleaners").glob("*.py"):
            assert f"{service}/cleaners/{script.name}" in names
    for setting in (CHECKOUT / "config").rglob("*.json"):
        assert (
            f"common/defaults/config/{setting.relative_to(CHECKOUT / 'config').as_posix()}" in names
        )
    assert "common/defaults/etl/run_all_etl.py" in names
    assert "common/scaffold/templates/steps.tmpl" in names
    assert not [name for name in names if "/cookies/" in name]


@pytest.mark.slow
def test_the_installed_package_imports_nothing_from_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    code = "import common, capitalone; print(common.__file__); print(capitalone.__file__)"
    result = _run([_bin(installed, "python"), "-c", code], tmp_path)

    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert Path(line).is_relative_to(installed) and not Path(line).is_relative_to(CHECKOUT)


@pytest.mark.slow
def test_the_installed_package_runs_the_demo(installed: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    result = _run([_bin(installed, "bedrot"), "demo", "--root", tmp_path / "demo"], tmp_path)
    print(f"bedrot demo from the installed package: {time.monotonic() - started:.1f} s")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for heading in ("Rows per table", "royalty_lines", "expenses", "pipeline exit code"):
        assert heading in result.stdout
    assert not (tmp_path / "demo" / "src" / "distrokid").exists()  # the installed code ran


@pytest.mark.slow
def test_the_installed_package_runs_an_init_made_lake(installed: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    nowhere = _run([_bin(installed, "bedrot"), "run", "--no-extract"], tmp_path)
    made = _run([_bin(installed, "bedrot"), "init", lake], tmp_path)
    (lake / "1_landing" / "capitalone").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXPORT, lake / "1_landing" / "capitalone" / EXPORT.name)

    result = _run([_bin(installed, "bedrot"), "run", "--no-extract"], lake, PROJECT_ROOT=str(lake))

    assert nowhere.returncode == 2
    assert "PROJECT_ROOT is not set and this install is no checkout" in nowhere.stderr
    assert "bedrot init DIR" in nowhere.stderr
    assert made.returncode == 0, made.stderr
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    engine = make_engine(warehouse_url(Lake(lake)))
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(func.count()).select_from(Expense)).scalar_one()
    finally:
        engine.dispose()
    assert rows > 0


def test_every_service_of_the_checkout_is_in_the_package_list() -> None:
    """A built-in service that pyproject.toml does not list would be missing from an install."""
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"]["find"]["include"])

    for name in ("common", *builtin_service_folders(CHECKOUT / "src")):
        assert {name, f"{name}.*"} <= listed, f"add {name} and {name}.* to pyproject.toml"
