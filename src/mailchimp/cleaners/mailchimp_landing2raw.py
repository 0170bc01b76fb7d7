"""Mailchimp landing -> raw: each new API response checked, kept as typed JSON records.

Logic: mailchimp.steps.landing_to_raw.
"""

from common.script import run_script
from mailchimp.steps import landing_to_raw

if __name__ == "__main__":
    raise SystemExit(run_script("mailchimp", landing_to_raw))
