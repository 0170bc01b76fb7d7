"""What happened to saved logins: --service all --days 7 (same as `bedrot cookies history`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("history", "view_history.py")
