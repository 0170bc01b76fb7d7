# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/test.sh: make or reuse .venv at the repository root and
# install the project into it (editable, so src/ is importable and services can be added freely).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -e ".${BEDROT_EXTRAS:-}"
VENV_BIN="$REPO_ROOT/.venv/bin"
# An editable install leaves the checkout's own modules uncompiled, and a machine whose
# environment sets PYTHONDONTWRITEBYTECODE never caches them: every `bedrot` command and script
# host would compile the framework again (~0.2 s of CPU each). Compile them once here, as
# `pip install` does for an installed package (up-to-date files are skipped). A file that does
# not compile is only reported: the runner names that service broken, setup goes on.
"$VENV_BIN/python" -m compileall -q -j 0 src etl || echo "Some modules under src/ or etl/ do not compile (above)."
