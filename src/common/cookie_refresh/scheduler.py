"""Check logins and send notifications; --loop keeps it running (= `bedrot cookies schedule`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("schedule", "scheduler.py")
