#!/usr/bin/env bash
# Set up .venv with the dev tools and run every check: pytest with coverage, black, isort,
# flake8, mypy and import-linter. Exits non-zero when any of them fails.
set -euo pipefail
BEDROT_EXTRAS="[dev]"
# The tests' lakes run copies of service code from their own src/ in many processes, and pytest
# rewrites each test module: let Python cache their bytecode (and the venv's, as each module is
# first imported), whatever the environment says.
unset PYTHONDONTWRITEBYTECODE
# The warehouse tests run against a real PostgreSQL server and the browser tests drive Chromium,
# both Debian's packages (`playwright install` downloads nothing here). A fresh machine installs
# them in the background while the venv is built and the static checks run; pytest waits for
# them.
missing=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    missing+=(postgresql)
fi
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
apt_pid=""
apt_log="$(mktemp)"
trap 'rm -f "$apt_log"' EXIT
if [ "${#missing[@]}" -gt 0 ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
            >"$apt_log" 2>&1 &
        apt_pid=$!
    else
        echo "Not installed, and this user cannot install them: ${missing[*]} (those tests will be skipped)."
    fi
fi
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
status=0
# The static checks run beside pytest (they are cheap next to it, and pytest's workers spend much
# of their time waiting on browsers and child processes); their output follows pytest's.
checks_log="$(mktemp)"
(
    checks=0
    "$VENV_BIN/black" --check --quiet src tests etl benchmarks || checks=1
    "$VENV_BIN/isort" --check-only --quiet src tests etl benchmarks || checks=1
    "$VENV_BIN/flake8" src tests etl benchmarks || checks=1
    "$VENV_BIN/mypy" || checks=1
    # The layers and the absence of import cycles (.importlinter, docs/architecture.md).
    "$VENV_BIN/lint-imports" --no-cache || checks=1
    exit "$checks"
) >"$checks_log" 2>&1 &
checks_pid=$!
if [ -n "$apt_pid" ] && ! wait "$apt_pid"; then
    cat "$apt_log"
    echo "Could not install ${missing[*]}: those tests will be skipped."
fi
rm -f "$apt_log"
# Two workers: the browser and subprocess tests wait on I/O as much as they compute.
"$VENV_BIN/python" -m pytest -n "${BEDROT_TEST_WORKERS:-2}" --cov --cov-report=term "$@" || status=$?
wait "$checks_pid" || status=1
cat "$checks_log"
rm -f "$checks_log"
if [ "$status" -eq 0 ]; then echo "All checks passed."; else echo "Some checks failed (exit $status)."; fi
exit "$status"
