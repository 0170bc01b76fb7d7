"""List backups or put one back: --service X [--latest | --backup N] (`bedrot cookies restore`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("restore", "restore_backup.py")
