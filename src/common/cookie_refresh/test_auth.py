"""Try a saved login against its site, read-only: --service X (= `bedrot cookies test-auth`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("test-auth", "test_auth.py")
