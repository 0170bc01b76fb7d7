# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/test.sh: make or reuse .venv at the repository root and
# install the project into it (editable, so src/ is importable and services can be added freely).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# uv installs the same packages as pip from the same PyPI in a fraction of the time (a fresh venv:
# ~11 s against pip's ~32 s, most of pip's being its own CPU). pip installs uv, and is the
# fallback if uv cannot (no uv wheel for this machine, an index only pip's config knows).
# uv does not compile bytecode by default: where the environment forbids Python to cache it
# (PYTHONDONTWRITEBYTECODE), compile at install time, as pip does, or every command would
# compile polars again; elsewhere Python caches each module the first time it is imported.
# setuptools and wheel are the project's build requirements, for builds without isolation
# (tests/test_install.py).
uv_compile=()
if [ -n "${PYTHONDONTWRITEBYTECODE:-}" ]; then uv_compile=(--compile-bytecode); fi
if { [ -x .venv/bin/uv ] || .venv/bin/python -m pip install --quiet --disable-pip-version-check uv; } \
    && .venv/bin/uv pip install --python .venv/bin/python --quiet ${uv_compile[@]+"${uv_compile[@]}"} \
        "setuptools>=69" wheel -e ".${BEDROT_EXTRAS:-}"; then
    :
else
    echo "uv could not install the project; installing it with pip instead."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        -e ".${BEDROT_EXTRAS:-}"
fi
VENV_BIN="$REPO_ROOT/.venv/bin"
# An editable install leaves the checkout's own modules uncompiled, and a machine whose
# environment sets PYTHONDONTWRITEBYTECODE never caches them: every `bedrot` command and script
# host would compile the framework again (~0.2 s of CPU each). Compile them once here, as
# `pip install` does for an installed package (up-to-date files are skipped). A file that does
# not compile is only reported: the runner names that service broken, setup goes on.
"$VENV_BIN/python" -m compileall -q -j 0 src etl || echo "Some modules under src/ or etl/ do not compile (above)."
