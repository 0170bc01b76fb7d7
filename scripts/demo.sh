#!/usr/bin/env bash
# Set up .venv and run the whole pipeline on built-in demo data in sandbox/demo_lake.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec "$VENV_BIN/bedrot" demo "$@"
