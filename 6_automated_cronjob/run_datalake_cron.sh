#!/usr/bin/env bash
# Full unattended daily run (cookie check, health, extractors, cleaners, ETL, reports).
# Services whose saved login expired are skipped with a warning. See docs/scheduling.md.
set -euo pipefail
# shellcheck source=SCRIPTDIR/_ensure_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_ensure_venv.sh"
exec "$BEDROT" run --automated "$@"
