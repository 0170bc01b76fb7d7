"""Draws one chart as PNG bytes with matplotlib's Agg backend.

matplotlib is imported here, inside the functions, so that `bedrot --help` and every command
that does not draw stays fast. Figures are made without pyplot: no global state, no window.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from common.reports.figures import ChartSpec, Figures
from common.reports.settings import BAR_FIGURE_SIZE, LINE_FIGURE_SIZE, PNG_DPI

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Fixed metadata: the same figures always give the same bytes, so an unchanged chart is not
# archived as a new version.
PNG_METADATA = {"Software": None}
BAR_LABEL_LENGTH = 40
MAX_COLUMN_LABELS = 24


def _axis_label(spec: ChartSpec, figures: Figures) -> str:
    return f"{spec.axis_label} ({figures.unit})" if figures.unit else spec.axis_label


def _thousands(axes: Axes) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(nbins=6))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))


def _draw_lines(axes: Axes, spec: ChartSpec, figures: Figures) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    for label, points in figures.lines.items():
        if points:
            days, values = zip(*points)
            axes.plot(days, values, label=label, linewidth=1.2)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.set_ylabel(_axis_label(spec, figures))
    axes.set_ylim(bottom=0)
    _thousands(axes)
    axes.legend(loc="upper left", frameon=False)


def _short(label: str) -> str:
    return label if len(label) <= BAR_LABEL_LENGTH else label[: BAR_LABEL_LENGTH - 1] + "…"


def _draw_columns(axes: Axes, spec: ChartSpec, figures: Figures) -> None:
    labels = [label for label, _ in figures.values]
    axes.bar(range(len(labels)), [value for _, value in figures.values], color="#3b6ea5")
    step = -(-len(labels) // MAX_COLUMN_LABELS)  # years of months: label every step-th one
    shown = range(0, len(labels), step)
    axes.set_xticks(shown, [labels[i] for i in shown], rotation=45, ha="right")
    axes.set_ylabel(_axis_label(spec, figures))
    axes.axhline(0, color="#444444", linewidth=0.8)


def _draw_bars(axes: Axes, spec: ChartSpec, figures: Figures) -> None:
    labels = [_short(label) for label, _ in figures.values]
    values = [value for _, value in figures.values]
    positions = range(len(labels))
    axes.barh(positions, values, color="#3b6ea5")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel(_axis_label(spec, figures))
    axes.axvline(0, color="#444444", linewidth=0.8)
    axes.margins(x=0.12)  # room for the value written after each bar
    for position, value in zip(positions, values):
        axes.annotate(
            f" {value:,.2f}", (value, position), va="center", ha="left" if value >= 0 else "right"
        )


def _figure(spec: ChartSpec, figures: Figures) -> Figure:
    from matplotlib.figure import Figure

    size = LINE_FIGURE_SIZE if spec.kind == "lines" else BAR_FIGURE_SIZE
    figure = Figure(figsize=size, dpi=PNG_DPI, layout="constrained")
    axes = figure.subplots()
    {"lines": _draw_lines, "columns": _draw_columns, "bars": _draw_bars}[spec.kind](
        axes, spec, figures
    )
    axes.set_title(spec.title, loc="left", fontsize=13)
    axes.grid(True, alpha=0.3)
    return figure


def draw_png(spec: ChartSpec, figures: Figures) -> bytes:
    """The chart as PNG bytes; the caller writes them (atomically, archiving the previous one)."""
    import matplotlib

    matplotlib.use("Agg")
    buffer = io.BytesIO()
    _figure(spec, figures).savefig(buffer, format="png", metadata=PNG_METADATA)
    return buffer.getvalue()
