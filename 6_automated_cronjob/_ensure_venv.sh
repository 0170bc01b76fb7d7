# shellcheck shell=bash
# Sourced (not run) by the wrappers in this folder. It:
#   - changes to the repository root (the parent of this folder),
#   - creates .venv there if it is missing,
#   - installs the project into it (pip install -e .) when .venv/bin/bedrot is missing,
#   - sets BEDROT to the venv's bedrot command and PYTHON to its python.
# PROJECT_ROOT is left untouched: when it is set, bedrot uses it as the lake root;
# when it is unset, bedrot uses this checkout.
# Exit code 3 means this set-up failed (no python3, pip install failed, ...).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT" || exit 3

# A venv of a Python older than 3.11 cannot install the project: it is replaced by a new one
# (only when its Python says so; a venv whose Python does not start is left for pip to report).
new_enough() { .venv/bin/python -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null; }
if [ -x .venv/bin/python ] && [ "$(new_enough)" = "False" ]; then
    echo "$REPO_ROOT/.venv was made with a Python older than 3.11: it is removed and made again." >&2
    rm -rf .venv
fi

if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment $REPO_ROOT/.venv ..." >&2
    python3 -m venv .venv || {
        echo "ERROR: could not create $REPO_ROOT/.venv with python3 -m venv (is Python 3 installed and on PATH?)" >&2
        exit 3
    }
fi
if [ "$(new_enough)" = "False" ]; then
    echo "ERROR: python3 is older than 3.11 - install Python 3.11 or newer and run again." >&2
    rm -rf .venv
    exit 3
fi

if [ ! -x .venv/bin/bedrot ]; then
    echo "Installing the project into .venv (pip install -e .) ..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e . || {
        echo "ERROR: pip install -e . failed in $REPO_ROOT; see the pip output above" >&2
        exit 3
    }
    if [ ! -x .venv/bin/bedrot ]; then
        echo "ERROR: pip install -e . did not create .venv/bin/bedrot in $REPO_ROOT" >&2
        exit 3
    fi
fi

# shellcheck disable=SC2034  # used by the wrappers that source this file
BEDROT="$REPO_ROOT/.venv/bin/bedrot"
# shellcheck disable=SC2034  # used by the wrappers that keep logs/bedrot_pipeline.log
PYTHON="$REPO_ROOT/.venv/bin/python"
