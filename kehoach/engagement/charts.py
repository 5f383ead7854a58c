"""Indicator trend charts, drawn on the server as SVG with pygal (no CDN, no JavaScript).

``indicator_trend_svg`` is what the dashboard (or any page) calls; pages show the result through
an ``<img>`` pointing at a view that returns it, beside a table of the same figures.
"""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

from .queries import IndicatorSeries, indicator_series

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2733",
    foreground_strong="#1d2733",
    foreground_subtle="#5b6775",
    font_family='"Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif',
    colors=("#0f4c81", "#1e7b45", "#a35d00", "#7a3ea1", "#a32020", "#31527a"),
    title_font_size=22,
    label_font_size=18,
    major_label_font_size=18,
    legend_font_size=18,
    value_font_size=17,
)


def series_svg(series: IndicatorSeries, *, width: int = 560, height: int = 340) -> str:
    """One indicator over the years, one line per unit, the value printed at each point."""
    numbers = [float(v.value) for values in series.by_unit.values() for v in values]
    low, high = min(numbers), max(numbers)
    pad = max((high - low) * 0.15, 1.0)
    chart = pygal.Line(
        style=STYLE,
        range=(low - pad, high + pad),
        margin=12,
        margin_right=70,
        margin_left=24,
        width=width,
        height=height,
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,
        show_dots=True,
        dots_size=6,
        print_values=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        allow_interruptions=True,
        title=f"{series.kind.name}"
        + (f" ({series.kind.value_unit})" if series.kind.value_unit else ""),
        x_labels=[str(y) for y in series.years],
        value_formatter=_number,
    )
    for unit, values in series.by_unit.items():
        by_year = {v.year: float(v.value) for v in values}
        chart.add(
            unit.display_name,
            [by_year.get(y) for y in series.years],
            stroke_style={"width": 3},
        )
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def indicator_trend_svg(*, unit_ids: list[int], kind_code: str) -> str | None:
    """The trend chart of one indicator for these units, or None when there is no value."""
    for series in indicator_series(unit_ids):
        if series.kind.code == kind_code:
            return series_svg(series)
    return None
