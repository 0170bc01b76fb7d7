"""Mailchimp raw -> staging: every extraction folded, oldest first; the newest wins per key.

Logic: mailchimp.steps.raw_to_staging.
"""

from common.script import run_script
from mailchimp.steps import raw_to_staging

if __name__ == "__main__":
    raise SystemExit(run_script("mailchimp", raw_to_staging))
