#!/usr/bin/env bash
# Pipeline run; every argument goes straight to "bedrot run" (e.g. --automated).
# See docs/scheduling.md.
set -euo pipefail
# shellcheck source=SCRIPTDIR/_ensure_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_ensure_venv.sh"
exec "$BEDROT" run "$@"
