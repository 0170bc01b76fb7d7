"""Refreshes, expiries, failures and age at refresh: --days N (= `bedrot cookies metrics`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("metrics", "view_metrics.py")
