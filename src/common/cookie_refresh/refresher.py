"""Check logins and log in again where needed: `python -m common.cookie_refresh.refresher
[--check-only] [--service X] [--force]` (= `bedrot cookies status` / `refresh`)."""

from common.cookies_cli import refresher_app

if __name__ == "__main__":
    refresher_app(prog_name="refresher")
