#!/usr/bin/env bash
# Full unattended daily run (cookie check, health, extractors, cleaners, ETL, reports).
# Services whose saved login expired are skipped with a warning. See docs/scheduling.md.
# Its output also goes to logs/bedrot_pipeline.log, and its WARNING, ERROR and FAIL lines (and a
# failed ending) to logs/bedrot_pipeline_errors.log (common/wrapper_log.py).
set -euo pipefail
# shellcheck source=SCRIPTDIR/_ensure_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_ensure_venv.sh"
exec "$PYTHON" -m common.wrapper_log "$BEDROT" run --automated "$@"
