"""Where the report goes, which curated datasets and warehouse names feed it, and what a result
is. A curated dataset is named by its service and dataset; the file comes from the service's
declaration (src/<service>/service.py)."""

from __future__ import annotations

from dataclasses import dataclass

REPORTS_FOLDER = "reports"
REPORT_NAME = "bedrot_report.html"
REPORT_TITLE = "BEDROT Data Lake report"
# Marks the content a report was generated from, so an unchanged report is left as it was.
FINGERPRINT_META = "bedrot-report-content"


@dataclass(frozen=True)
class CuratedDataset:
    """A curated dataset the report reads, and who writes it (as the report's page says)."""

    service: str
    dataset: str
    written_by: str

    @property
    def file(self) -> str:
        # Imported here: step 6 reads this module's names before it knows there is work to do.
        from common.declarations import dataset_file

        return dataset_file(self.service, self.dataset)

    @property
    def where(self) -> str:
        return f"4_curated/{self.file}"

    @property
    def feeds(self) -> str:
        return f"{self.where} ({self.written_by})"


DAILY_STREAMS = CuratedDataset("distrokid", "daily_streams", "DistroKid and TooLost cleaners")
BANK_DETAILS = CuratedDataset("distrokid", "bank_details", "DistroKid cleaners")
TIKTOK_DAILY = CuratedDataset("tiktok", "daily", "TikTok cleaners")
LINKTREE_DAILY = CuratedDataset("linktree", "daily", "Linktree cleaners")
METAADS_CAMPAIGNS = CuratedDataset("metaads", "campaign_summary", "Meta Ads cleaners")
INSTAGRAM_DAILY = CuratedDataset("instagram", "daily", "Instagram cleaners")
YOUTUBE_DAILY = CuratedDataset("youtube", "channel_daily", "YouTube cleaners")
MAILCHIMP_CAMPAIGNS = CuratedDataset("mailchimp", "campaigns", "Mailchimp cleaners")
MAILCHIMP_AUDIENCE = CuratedDataset("mailchimp", "audience", "Mailchimp cleaners")

STREAMS_VIEW = "v_streams_daily_by_platform"
TIKTOK_PLATFORM = "TikTok"
# The newest campaigns the Mailchimp chart shows (more would not fit one readable chart).
MAX_CAMPAIGNS = 10

# The ad result the cost per result is computed for: Meta's link click (a click on the ad's link
# to its destination, e.g. the track's streaming page), the goal of the label's campaigns.
RESULT_ACTION = "link_click"
RESULT_NAME = "link click"

# Chart sizes in pixels (width, height), as drawn and as the page shows them.
LINE_CHART_SIZE = (1100, 420)
# A line with this many points or fewer (followers seen on a few pull days) gets a dot per point.
FEW_POINTS = 12
# The most dates written under a date axis.
MAX_DATE_LABELS = 12
BAR_CHART_SIZE = (1100, 480)
# A bar chart with many rows grows by this many pixels a bar, so each stays readable.
BAR_ROW_HEIGHT = 22
