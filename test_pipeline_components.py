"""The seed's install check, kept by name: `python test_pipeline_components.py` = `bedrot doctor`.

It checks the lake root, config, every service's cleaners, Chromium, the warehouse, logins
and free disk, prints a table and exits 1 when something the pipeline needs is broken.
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from common.cli import app

    app(["doctor", *sys.argv[1:]], prog_name="test_pipeline_components.py")
