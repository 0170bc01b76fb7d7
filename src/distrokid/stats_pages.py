"""The DistroKid stats pages: daily Spotify streams (`trend365day`) and Apple (`last365days`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from common.quarantine import RejectedFile

STREAMS_CHART_ID = "trend365day"
APPLE_SERIES = "last365days"
_STREAMS_CHART = re.compile(
    r'"id"\s*:\s*"' + STREAMS_CHART_ID + r'".*?"dataProvider"\s*:\s*(\[.*?\])\s*[,}]', re.DOTALL
)
_APPLE_CHART_DATA = re.compile(
    r"var\s+chartData\s*=\s*(\{.*?\})\s*;\s*(?:</script>|\n|$)", re.DOTALL
)
_TRAILING_COMMA = re.compile(r",\s*([\]}])")

Points = list[tuple[str, object]]


def page_kind(html: str) -> str | None:
    """'streams', 'apple' or None for an HTML page that is neither (a login page, say)."""
    if f'"{STREAMS_CHART_ID}"' in html:
        return "streams"
    if "chartData" in html and APPLE_SERIES in html:
        return "apple"
    return None


def _loads(text: str, file_name: str, what: str) -> object:
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text))
    except json.JSONDecodeError as error:
        raise RejectedFile(
            f"{file_name}: the {what} chart data is not readable ({error.msg} at {error.pos}).",
            rule="chart-json",
        ) from None


def streams_points(html: str, file_name: str) -> Points:
    """(date, count) from the `trend365day` AmCharts config, whose array ends with `},]`."""
    match = _STREAMS_CHART.search(html)
    if not match:
        raise RejectedFile(
            f"{file_name} has no {STREAMS_CHART_ID} chart data.", rule="chart-missing"
        )
    provider = _loads(match[1], file_name, STREAMS_CHART_ID)
    if not isinstance(provider, list):
        raise RejectedFile(f"{file_name}: {STREAMS_CHART_ID} is not a list.", rule="chart-json")
    return [(point.get("category"), point.get("column-1")) for point in provider]


def apple_points(html: str, file_name: str) -> Points:
    """(date, count) from `chartData.last365days`, read by name (never the longest series)."""
    match = _APPLE_CHART_DATA.search(html)
    if not match:
        raise RejectedFile(f"{file_name} has no chartData object.", rule="chart-missing")
    chart_data = _loads(match[1], file_name, "chartData")
    series = chart_data.get(APPLE_SERIES) if isinstance(chart_data, dict) else None
    provider = series.get("dataProvider") if isinstance(series, dict) else None
    if not isinstance(provider, list):
        raise RejectedFile(
            f"{file_name} has no chartData.{APPLE_SERIES}.dataProvider list.", rule="chart-missing"
        )
    return [(point.get("field"), point.get("value")) for point in provider]


def read_page(path: Path) -> tuple[str, Points]:
    """('spotify' | 'apple', points) of a saved stats page."""
    html = path.read_text(encoding="utf-8", errors="replace")
    kind = page_kind(html)
    if kind == "streams":
        return "spotify", streams_points(html, path.name)
    if kind == "apple":
        return "apple", apple_points(html, path.name)
    raise RejectedFile(
        f"{path.name} is an HTML page but not a DistroKid stats page (no {STREAMS_CHART_ID} or "
        f"chartData.{APPLE_SERIES}); a login page saved by an expired session looks like this.",
        rule="not-stats-page",
    )
