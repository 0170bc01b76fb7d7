#!/usr/bin/env bash
# Set up .venv and start the dashboard (http://127.0.0.1:8080; --host, --port, --open, add-user NAME).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
exec "$VENV_BIN/bedrot" dashboard "$@"
