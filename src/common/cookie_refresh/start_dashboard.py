"""Start the dashboard and open its logins page (same as `bedrot dashboard --open`, on /logins)."""

from common.dashboard.commands import run_seed_script

if __name__ == "__main__":
    run_seed_script("start_dashboard.py")
