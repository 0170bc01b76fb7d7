"""Ships the checkout's config/ and etl/ inside the package, as common/defaults/.

They stay where a checkout lake keeps them (config/ and etl/ are the source of truth); a wheel
carries a copy so that `bedrot init` can give a lake elsewhere the same settings and warehouse
entry scripts. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# (checkout folder, files in it) -> common/defaults/<folder>/
DEFAULTS = {"config": ("*.json", "README.md", "extractors/*.json"), "etl": ("*.py",)}


class BuildWithDefaults(build_py):
    """build_py, then a copy of the lake defaults into the built `common` package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "common" / "defaults"
        for folder, patterns in DEFAULTS.items():
            for pattern in patterns:
                for source in sorted((HERE / folder).glob(pattern)):
                    copy = target / folder / source.relative_to(HERE / folder)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, copy)


setup(cmdclass={"build_py": BuildWithDefaults})
