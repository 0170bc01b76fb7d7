"""Show or change the login policy: --service X --priority P ... (= `bedrot cookies configure`)."""

from common.cookies_cli import run_command

if __name__ == "__main__":
    run_command("configure", "configure.py")
