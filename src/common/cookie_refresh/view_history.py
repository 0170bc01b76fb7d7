"""What happened to saved logins: --service all --days 7 (same as `bedrot cookies history`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["history", *sys.argv[1:]], prog_name="view_history.py")
