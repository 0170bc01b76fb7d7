#!/usr/bin/env bash
# Interactive run: a browser opens for each service whose saved login expired.
# Use it after an unattended run skipped services for authentication. See docs/scheduling.md.
set -euo pipefail
# shellcheck source=SCRIPTDIR/_ensure_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_ensure_venv.sh"
echo "Interactive run: a browser window will open for any service whose saved login has expired; log in there (2FA included) and the run carries on."
exec "$BEDROT" run "$@"
