"""One service's log lines: --service X [--verbose] [--days N] (= `bedrot cookies logs`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("logs", "view_logs.py")
