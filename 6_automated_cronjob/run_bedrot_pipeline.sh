#!/usr/bin/env bash
# Pipeline run; every argument goes straight to "bedrot run" (e.g. --automated).
# See docs/scheduling.md.
# Its output also goes to logs/bedrot_pipeline.log, and its WARNING, ERROR and FAIL lines (and a
# failed ending) to logs/bedrot_pipeline_errors.log (common/wrapper_log.py).
set -euo pipefail
# shellcheck source=SCRIPTDIR/_ensure_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_ensure_venv.sh"
exec "$PYTHON" -m common.wrapper_log "$BEDROT" run "$@"
