"""No secret reaches any log file, whether a script logs it or merely prints it."""

from __future__ import annotations

from common.lake import Lake
from common.logs import RUN_LEDGER
from tests.conftest import RunBedrot

PASSWORD = "hunter2-distrokid-pass"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsYWJlbCIsImV4cCI6MTc5OTk5OTk5OX0.c2lnbmF0dXJlLXZhbHVl"
BEARER = "ya29.a0AfB_byC-meta-access-token"
COOKIE = "sessionid=8f14e45fceea167a5a36dedd4bea2543"
LEAKY = f"""import logging, os, sys
from common.script import run_script

def main(ctx):
    ctx.log.info("logging in with %s", os.environ["DK_PASSWORD"])
    ctx.log.warning("token {JWT} was refused")
    print("Authorization: Bearer {BEARER}")
    print("Cookie: {COOKIE}", file=sys.stderr)
    return 3

raise SystemExit(run_script("leaky", main))
"""


def test_no_secret_appears_in_any_log_file(lake: Lake, bedrot: RunBedrot) -> None:
    bedrot("new-service", "leaky")
    (lake.src / "leaky" / "cleaners" / "leaky_landing2raw.py").write_text(LEAKY)
    (lake.root / ".env").write_text(f"DK_PASSWORD={PASSWORD}\n")

    result = bedrot("run", "--automated", "--no-extract")

    assert result.returncode == 1
    logs = {p.name: p.read_text(encoding="utf-8") for p in lake.logs.iterdir()}
    assert len(logs) == 5
    assert '"outcome": "failed"' in logs[RUN_LEDGER]
    everything = "\n".join([*logs.values(), result.stdout, result.stderr])
    assert "[REDACTED]" in logs["pipeline_executor.log"]
    assert "was refused" in logs["pipeline_executor_structured.jsonl"]
    for secret in (PASSWORD, JWT, BEARER, "8f14e45fceea167a5a36dedd4bea2543"):
        assert secret not in everything
