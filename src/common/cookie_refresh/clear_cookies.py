"""Remove a saved login after backing it up: --service X (same as `bedrot cookies clear`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["clear", *sys.argv[1:]], prog_name="clear_cookies.py")
