#!/usr/bin/env bash
# Unattended run without extractors: cleaners, ETL and reports on what is already in
# the zones (e.g. manually dropped exports). See docs/scheduling.md.
set -euo pipefail
# shellcheck source=SCRIPTDIR/_ensure_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_ensure_venv.sh"
exec "$BEDROT" run --automated --no-extract "$@"
