"""TooLost declares itself: its curated datasets, login, freshness windows and demo."""

from __future__ import annotations

from common.daily_streams import TIDY_DAILY_STREAMS
from common.declarations import Dataset, HealthWindow, LoginDeclaration, ServiceDeclaration
from toolost.settings import SERVICE as NAME

SERVICE = ServiceDeclaration(
    NAME,
    datasets=(
        # TooLost's rows of the file it shares with DistroKid (owned by common.daily_streams).
        Dataset(
            "daily_streams", TIDY_DAILY_STREAMS, keys=("date", "source"), loader="daily_streams"
        ),
    ),
    # The portal's session is a JWT that lasts about a week: renew it before it runs out.
    login=LoginDeclaration(
        "jwt", max_age_days=7, refresh_interval_days=5, priority="CRITICAL", jwt_name="jwt_token"
    ),
    health=HealthWindow(warn_days=2, fail_days=5),
    priority="CRITICAL",
    demo_writer="toolost.demo:write_toolost",
    description="Daily Spotify and Apple Music streams from the portal's analytics JSON.",
)
