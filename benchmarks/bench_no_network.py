"""The extract step of `bedrot run` on a machine with no network (issue 16 §5: under 30 s).

A lake with the four API services (Meta Ads, Instagram, YouTube, Mailchimp) configured with
credentials, each service's API host pointed at a closed port on 127.0.0.1 (the connection is
refused, as with no route or a refusing proxy), and the browser services left without a saved
login (their extractors are skipped for login in step 1, as on a machine that never logged in).
Prints step 3's time, read from the run log, beside the backoff the earlier system waited
(Meta Ads alone: 20 + 40 + 80 + 160 s).

Run: `.venv/bin/python benchmarks/bench_no_network.py [--repeats N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from common.lake import Lake
from common.testing import lake_with_services

REPO = Lake(Path(__file__).resolve().parents[1])
BEDROT = Path(sys.executable).with_name("bedrot.exe" if os.name == "nt" else "bedrot")
API_SERVICES = ("metaads", "instagram", "youtube", "mailchimp")
CREDENTIALS = {
    "META_ACCESS_TOKEN": "planted-meta-token",
    "META_AD_ACCOUNT_ID": "1234567890",
    "INSTAGRAM_ACCESS_TOKEN": "planted-instagram-token",
    "INSTAGRAM_USER_ID": "17841400000000000",
    "YOUTUBE_ACCESS_TOKEN": "planted-youtube-token",
    "YOUTUBE_REFRESH_TOKEN": "planted-refresh-token",
    "YOUTUBE_CLIENT_ID": "planted-client",
    "YOUTUBE_CLIENT_SECRET": "planted-client-secret",
    "MAILCHIMP_API_KEY": "0123456789abcdef0123456789abcdef-us21",
}
EARLIER_BACKOFF_SECONDS = 20 + 40 + 80 + 160
TARGET_SECONDS = 30.0
STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:,\d+)?) .*\[STEP (\d)/6\]")


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def offline_lake(root: Path) -> Lake:
    lake = lake_with_services(root, REPO, list(API_SERVICES))
    folder = lake.config / "extractors"
    folder.mkdir(parents=True, exist_ok=True)
    unreachable = closed_port()
    for service in API_SERVICES:
        source = REPO.config / "extractors" / f"{service}.json"
        document = json.loads(source.read_text(encoding="utf-8"))
        document["base_url"] = unreachable
        (folder / f"{service}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return lake


def step_times(log: Path) -> dict[int, datetime]:
    found: dict[int, datetime] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        match = STAMP.match(line)
        if match:
            found[int(match[2])] = datetime.fromisoformat(match[1].replace(",", "."))
    return found


def one_run(work: Path) -> tuple[float, float, str]:
    lake = offline_lake(work)
    env = {**os.environ, **CREDENTIALS, "PROJECT_ROOT": str(lake.root)}
    env.pop("WAREHOUSE_URL", None)
    started = time.perf_counter()
    done = subprocess.run(
        [str(BEDROT), "run", "--automated", "--no-warehouse"],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    [log] = sorted(lake.logs.glob("pipeline_2*.log"))
    steps = step_times(log)
    extract = (steps[4] - steps[3]).total_seconds()
    unreachable = [line for line in done.stdout.splitlines() if "network is unreachable" in line]
    return extract, wall, unreachable[0] if unreachable else "(no unreachable sentence)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    extracts, walls = [], []
    sentence = ""
    for repeat in range(options.repeats):
        with tempfile.TemporaryDirectory(prefix="bedrot-offline-") as work:
            extract, wall, sentence = one_run(Path(work) / "lake")
        extracts.append(extract)
        walls.append(wall)
    extract = statistics.median(extracts)
    verdict = "met" if extract < TARGET_SECONDS else "NOT met"
    print(
        f"extract step, no network, {len(API_SERVICES)} API services: {extract:.1f} s "
        f"(target < {TARGET_SECONDS:.0f} s: {verdict}); whole run {statistics.median(walls):.1f} s"
    )
    print(f"the earlier system's Meta Ads backoff alone: {EARLIER_BACKOFF_SECONDS} s")
    print(f"what the console said: {sentence.strip()}")


if __name__ == "__main__":
    main()
