"""Mailchimp: campaign reports, audience growth per month and audience size to curated."""
