"""Is the login system in working order? (same as `bedrot cookies health`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("health", "health_check.py")
