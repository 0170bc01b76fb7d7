"""Mailchimp staging -> curated: campaigns, audience growth per month and audience size.

Logic: mailchimp.steps.staging_to_curated.
"""

from common.script import run_script
from mailchimp.steps import staging_to_curated

if __name__ == "__main__":
    raise SystemExit(run_script("mailchimp", staging_to_curated))
