"""Draws one chart as PNG bytes with matplotlib's Agg backend.

matplotlib is imported here, inside the functions, so that `bedrot --help` and every command
that does not draw stays fast. Figures are made without pyplot: no global state, no window.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from common.reports.figures import ChartSpec, Figures
from common.reports.settings import BAR_FIGURE_SIZE, FEW_POINTS, LINE_FIGURE_SIZE, PNG_DPI

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Fixed metadata: the same figures always give the same bytes, so an unchanged chart is not
# archived as a new version.
PNG_METADATA = {"Software": None}
BAR_LABEL_LENGTH = 40
MAX_COLUMN_LABELS = 24
HEADROOM = 1.12


def _axis_label(spec: ChartSpec, figures: Figures) -> str:
    return f"{spec.axis_label} ({figures.unit})" if figures.unit else spec.axis_label


def _thousands(axes: Axes) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # Every figure drawn is a whole count or a sum of money: ticks on whole numbers, so a tick
    # is never labelled with a rounded value it does not stand at.
    axes.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))


def _draw_lines(axes: Axes, spec: ChartSpec, figures: Figures) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    lowest, highest = 0.0, 0.0
    for label, points in figures.lines.items():
        if points:
            days, values = zip(*points)
            # A few points (one per pull day) would be an invisible or bare line: dot each one.
            marker = "o" if len(points) <= FEW_POINTS else None
            axes.plot(days, values, label=label, linewidth=1.2, marker=marker, markersize=4)
            lowest, highest = min(lowest, *values), max(highest, *values)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.set_ylabel(_axis_label(spec, figures))
    if lowest < 0:  # a net figure (subscribers gained − lost) can fall below zero
        axes.axhline(0, color="#444444", linewidth=0.8)
    else:  # room above the highest point for the legend
        axes.set_ylim(0, highest * HEADROOM if highest > 0 else None)
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
        _write_value(axes, spec, value, position)


def _write_value(axes: Axes, spec: ChartSpec, value: float, position: float) -> None:
    """The figure after its bar, so the exact value can be read without the axis."""
    axes.annotate(
        f" {value:{spec.value_format}}",
        (value, position),
        va="center",
        ha="left" if value >= 0 else "right",
    )


def _draw_grouped_bars(axes: Axes, spec: ChartSpec, figures: Figures) -> None:
    """One row per label (oldest at the top), one bar per series in it, with a legend."""
    labels = list(dict.fromkeys(label for values in figures.series.values() for label, _ in values))
    row = {label: index for index, label in enumerate(labels)}
    height = 0.8 / max(len(figures.series), 1)
    for number, (name, values) in enumerate(figures.series.items()):
        offset = (number - (len(figures.series) - 1) / 2) * height
        positions = [row[label] + offset for label, _ in values]
        amounts = [value for _, value in values]
        axes.barh(positions, amounts, height=height, label=name)
        for position, value in zip(positions, amounts):
            _write_value(axes, spec, value, position)
    axes.set_yticks(range(len(labels)), [_short(label) for label in labels])
    axes.invert_yaxis()
    axes.set_xlabel(_axis_label(spec, figures))
    axes.margins(x=0.12)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)  # beside the bars


def _figure(spec: ChartSpec, figures: Figures) -> Figure:
    from matplotlib.figure import Figure

    size = LINE_FIGURE_SIZE if spec.kind == "lines" else BAR_FIGURE_SIZE
    figure = Figure(figsize=size, dpi=PNG_DPI, layout="constrained")
    axes = figure.subplots()
    draw = {
        "lines": _draw_lines,
        "columns": _draw_columns,
        "bars": _draw_bars,
        "grouped_bars": _draw_grouped_bars,
    }[spec.kind]
    draw(axes, spec, figures)
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
