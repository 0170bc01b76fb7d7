"""Where the report goes, which curated files and warehouse names feed it, and what a result is."""

from __future__ import annotations

REPORTS_FOLDER = "reports"
REPORT_NAME = "bedrot_report.html"
REPORT_TITLE = "BEDROT Data Lake report"
# Marks the content a report was generated from, so an unchanged report is left as it was.
FINGERPRINT_META = "bedrot-report-content"

TIDY_DAILY_STREAMS = "tidy_daily_streams.csv"
BANK_DETAILS = "dk_bank_details.csv"
TIKTOK_DAILY = "tiktok_daily_curated.csv"
LINKTREE_DAILY = "linktree_analytics_curated.csv"
METAADS_CAMPAIGNS = "metaads_campaign_summary.csv"

STREAMS_VIEW = "v_streams_daily_by_platform"
TIKTOK_PLATFORM = "TikTok"

# The ad result the cost per result is computed for: Meta's link click (a click on the ad's link
# to its destination, e.g. the track's streaming page), the goal of the label's campaigns.
RESULT_ACTION = "link_click"
RESULT_NAME = "link click"

PNG_DPI = 100
LINE_FIGURE_SIZE = (11.0, 4.2)
BAR_FIGURE_SIZE = (11.0, 4.8)
