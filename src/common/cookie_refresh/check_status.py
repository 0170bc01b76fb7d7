"""Show every saved login's state (same as `bedrot cookies status`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("status", "check_status.py")
