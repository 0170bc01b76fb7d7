"""Log in again by hand: --service X [--dry-run] [--all --force] (= `bedrot cookies refresh`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["refresh", *sys.argv[1:]], prog_name="manual_refresh.py")
