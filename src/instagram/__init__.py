"""Instagram: professional-account insights (Graph API pulls, Business Suite exports) to curated."""
