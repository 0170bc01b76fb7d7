"""Show every saved login's state (same as `bedrot cookies status`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["status", *sys.argv[1:]], prog_name="check_status.py")
