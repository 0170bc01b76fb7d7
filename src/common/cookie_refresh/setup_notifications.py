"""Put email and Slack settings in .env, then test them (`bedrot cookies setup-notifications`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("setup-notifications", "setup_notifications.py")
