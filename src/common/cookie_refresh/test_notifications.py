"""Send a test email and Slack message (same as `bedrot cookies notify-test`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("notify-test", "test_notifications.py")
