"""Meta Ads: daily campaign insights (Graph API responses and Ads Manager exports) to curated."""
