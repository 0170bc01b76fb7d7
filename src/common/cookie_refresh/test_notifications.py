"""Send a test email and Slack message (same as `bedrot cookies notify-test`)."""

import sys

from common.cookies_cli import cookies_app

if __name__ == "__main__":
    cookies_app(["notify-test", *sys.argv[1:]], prog_name="test_notifications.py")
