"""Log in again by hand: --service X [--dry-run] [--all --force] (= `bedrot cookies refresh`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("refresh", "manual_refresh.py")
