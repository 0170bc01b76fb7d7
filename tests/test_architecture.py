"""The framework's layers and its freedom from import cycles, as import-linter checks them
(`.importlinter`; docs/architecture.md): the checkout keeps every contract, and a copy with
one import that climbs a layer, or closes a cycle, breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name(
    "lint-imports.exe" if os.name == "nt" else "lint-imports"
)
SERVICES = ("capitalone", "distrokid", "linktree", "metaads", "spotify", "tiktok", "toolost")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The framework and the services, with the contracts, somewhere a test may break them."""
    root = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "cookies", "*.egg-info")
    for name in ("common", *SERVICES):
        shutil.copytree(CHECKOUT / "src" / name, root / "src" / name, ignore=ignore)
    shutil.copyfile(CHECKOUT / ".importlinter", root / ".importlinter")
    return root


def _add_import(module: Path, statement: str) -> None:
    text = module.read_text(encoding="utf-8")
    head, _, rest = text.partition("from __future__ import annotations\n")
    module.write_text(f"{head}from __future__ import annotations\n{statement}\n{rest}", "utf-8")


def test_the_checkout_keeps_every_contract() -> None:
    done = _lint(CHECKOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


def test_an_import_up_the_layers_breaks_the_layer_contract(copy: Path) -> None:
    assert _lint(copy).returncode == 0
    _add_import(copy / "src" / "common" / "zones.py", "import common.pipeline.run  # noqa")

    done = _lint(copy)

    assert done.returncode == 1
    assert "Layers point one way" in done.stdout and "BROKEN" in done.stdout
    assert "common.zones -> common.pipeline.run" in done.stdout


def test_a_cycle_between_siblings_breaks_the_acyclic_contract(copy: Path) -> None:
    # health and reports share a layer, so only the cycle contract can catch this pair.
    _add_import(copy / "src" / "common" / "health" / "config.py", "import common.reports  # noqa")
    _add_import(copy / "src" / "common" / "reports" / "settings.py", "import common.health  # noqa")

    done = _lint(copy)

    assert done.returncode == 1
    assert "No import cycles between sibling modules" in done.stdout
    assert "BROKEN" in done.stdout


def test_the_framework_importing_a_service_breaks_its_contract(copy: Path) -> None:
    _add_import(copy / "src" / "common" / "curated.py", "import distrokid.settings  # noqa")

    done = _lint(copy)

    assert done.returncode == 1
    assert "The framework imports no service" in done.stdout
