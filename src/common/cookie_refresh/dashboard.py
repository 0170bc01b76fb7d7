"""The seed's cookie dashboard: start the dashboard and open its logins page."""

from common.dashboard.commands import run_seed_script

if __name__ == "__main__":
    run_seed_script("dashboard.py")
