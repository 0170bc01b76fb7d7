"""Remove a saved login after backing it up: --service X (same as `bedrot cookies clear`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("clear", "clear_cookies.py")
