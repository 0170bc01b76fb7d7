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
