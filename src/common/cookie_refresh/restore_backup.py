"""Put the latest backup back: --service X --latest (same as `bedrot cookies restore`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["restore", *sys.argv[1:]], prog_name="restore_backup.py")
