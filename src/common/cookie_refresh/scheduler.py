"""Check logins and send notifications; --loop keeps it running (= `bedrot cookies schedule`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["schedule", *sys.argv[1:]], prog_name="scheduler.py")
