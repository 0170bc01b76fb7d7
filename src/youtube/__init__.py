"""YouTube: channel and per-video analytics (Analytics API v2, Data API v3, Studio exports)."""
