"""Builds the report: reads each chart's figures (warehouse first, then the curated files), draws
the SVGs and writes the page into 4_curated/reports/, archiving what it replaces."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from common.lake import Lake
from common.redact import redact
from common.reports.charts import draw_svg
from common.reports.curated import CuratedFigures
from common.reports.figures import CHARTS, ChartSpec, FigureSource
from common.reports.money import money_section, unreadable_money
from common.reports.page import ChartSection, Headline, page_fingerprint, render_page
from common.reports.settings import REPORT_NAME, REPORTS_FOLDER
from common.reports.warehouse import (
    WarehouseFigures,
    headline_figures,
    open_warehouse,
    report_summary,
)
from common.warehouse.summary import WarehouseSummary
from common.zones import CURATED, archive_path, archive_then_replace, free_name, replace_with_retry

NO_WAREHOUSE = (
    "No headline figures yet: there is no warehouse. They appear after the warehouse ETL "
    "(`bedrot etl`, or step 5 of `bedrot run`)."
)
FROM_WAREHOUSE = (
    "From the warehouse. Streams are the distributors' (DistroKid, TooLost); Spotify for "
    "Artists streams count the same plays and are not added."
)


@dataclass
class ReportResult:
    """What one build did: the page, each chart's section, and what it archived."""

    page: Path
    sections: list[ChartSection]
    page_written: bool
    archived: list[Path] = field(default_factory=list)
    warehouse_problem: str = ""
    money_problem: str = ""

    @property
    def drawn(self) -> list[ChartSection]:
        return [s for s in self.sections if s.image is not None]

    @property
    def without_data(self) -> list[ChartSection]:
        return [s for s in self.sections if s.image is None and not s.error]

    @property
    def unreadable(self) -> list[ChartSection]:
        return [s for s in self.sections if s.error]


def reports_folder(lake: Lake) -> Path:
    return lake.zone(CURATED) / REPORTS_FOLDER


def _describe(error: Exception) -> str:
    """The error's first line, secrets masked: it goes into the page and the log."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    return redact(f"{type(error).__name__}: {first_line}")


@dataclass
class _Sources:
    figures: list[FigureSource]
    headline: Headline
    warehouse_problem: str = ""
    money: str = ""
    money_problem: str = ""


def _read_warehouse(lake: Lake) -> tuple[Engine | None, WarehouseSummary | None, str]:
    """The warehouse's engine and summary, or why there are none (no warehouse is no problem)."""
    try:
        engine = open_warehouse(lake)
    except Exception as error:
        return None, None, f"the warehouse could not be opened ({_describe(error)})"
    if engine is None:
        return None, None, ""
    try:
        return engine, report_summary(engine), ""
    except Exception as error:
        engine.dispose()
        return None, None, f"the warehouse could not be read ({_describe(error)})"


def _money(lake: Lake, engine: Engine | None, when: datetime) -> tuple[str, str]:
    """The money section and what went wrong reading it (shown on the page, never stops the
    report)."""
    try:
        return money_section(lake, engine, when.date()), ""
    except Exception as error:
        problem = _describe(error)
        return unreadable_money(problem), problem


@contextmanager
def _open_sources(lake: Lake, when: datetime) -> Iterator[_Sources]:
    """The warehouse (when there is one) before the curated files; the engine is closed after."""
    curated = CuratedFigures(lake)
    engine, summary, problem = _read_warehouse(lake)
    if engine is None or summary is None:
        note = f"No headline figures: {problem}." if problem else NO_WAREHOUSE
        yield _Sources([curated], Headline([], note), problem, *_money(lake, None, when))
        return
    try:
        warehouse = WarehouseFigures(engine, summary)
        headline = Headline(headline_figures(summary), FROM_WAREHOUSE)
        yield _Sources([warehouse, curated], headline, "", *_money(lake, engine, when))
    finally:
        engine.dispose()


def _section(spec: ChartSpec, sources: list[FigureSource]) -> ChartSection:
    """The first source with figures for the chart wins; a source that fails is reported only
    when no other source has the figures."""
    errors: list[str] = []
    for source in sources:
        try:
            figures = spec.read(source)
        except Exception as error:
            errors.append(_describe(error))
            continue
        if figures.empty:
            continue
        try:
            return ChartSection(spec, figures, draw_svg(spec, figures))
        except Exception as error:
            return ChartSection(spec, error=f"drawing failed ({_describe(error)})")
    return ChartSection(spec, error="; ".join(errors))


def _retire(lake: Lake, stale: Path, when: datetime) -> Path:
    """Move a chart file that is not current any more into the archive: the image of a chart
    without data now, or one in a format the report no longer draws (a PNG of earlier
    versions)."""
    target = free_name(archive_path(lake, stale, when))
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_with_retry(stale, target)
    return target


def _write_charts(lake: Lake, sections: list[ChartSection], when: datetime) -> list[Path]:
    archived: list[Path] = []
    folder = reports_folder(lake)
    for section in sections:
        target = folder / section.spec.file_name
        if section.image is not None:
            previous = archive_then_replace(lake, target, [section.image])
            if previous is not None:
                archived.append(previous)
        elif target.exists():
            archived.append(_retire(lake, target, when))
        for stale in _earlier_formats(folder, section.spec):
            archived.append(_retire(lake, stale, when))
    return archived


def _earlier_formats(folder: Path, spec: ChartSpec) -> list[Path]:
    """The chart's files in the formats earlier versions drew it in, still beside the page."""
    return [path for path in (folder / name for name in spec.earlier_file_names) if path.is_file()]


def _unchanged(target: Path, fingerprint: str) -> bool:
    if not target.is_file():
        return False
    return page_fingerprint(target.read_text(encoding="utf-8", errors="replace")) == fingerprint


def build_report(lake: Lake, now: datetime | None = None) -> ReportResult:
    """Write every chart's SVG and the page. A page whose content (all but its generation time)
    is unchanged is left as it was, so a run with nothing new archives nothing."""
    when = now or datetime.now()
    with _open_sources(lake, when) as sources:
        sections = [_section(spec, sources.figures) for spec in CHARTS]
    archived = _write_charts(lake, sections, when)
    page, fingerprint = render_page(sources.headline, sections, when, sources.money)
    target = reports_folder(lake) / REPORT_NAME
    written = not _unchanged(target, fingerprint)
    if written:
        previous = archive_then_replace(lake, target, [page.encode("utf-8")])
        if previous is not None:
            archived.append(previous)
    return ReportResult(
        target, sections, written, archived, sources.warehouse_problem, sources.money_problem
    )
