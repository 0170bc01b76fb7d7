"""Linktree: daily views and clicks, link clicks with titles, socials, referrers and locations."""
