"""Server-side SVG charts (pygal): no JavaScript and no CDN, readable on a phone.

Charts are pure functions of numbers. The dashboard puts the numbers it shows in its table into
the chart's URL, so a chart costs no query and always agrees with the table beside it.
"""

from __future__ import annotations

import math
import re

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

MAX_ITEMS = 60
_LABEL = re.compile(r"^[\w.\-/ ]{1,20}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2733",
    foreground_strong="#1d2733",
    foreground_subtle="#d9dee5",
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=18,
    major_label_font_size=18,
    value_font_size=18,
    value_label_font_size=18,
    legend_font_size=18,
    title_font_size=20,
    tooltip_font_size=16,
    colors=("#1e7b45", "#31527a", "#8a5a00", "#a32020"),
)


class ChartDataError(ValueError):
    pass


def _int(value: str, *, high: int) -> int:
    if not value.isdigit() or int(value) > high:
        raise ChartDataError(value)
    return int(value)


def parse_task_values(values: list[str]) -> list[tuple[str, int]]:
    """``["II.1:45", …]`` → ``[("II.1", 45), …]`` (percent, 0–100)."""
    if len(values) > MAX_ITEMS:
        raise ChartDataError("too many")
    out = []
    for raw in values:
        label, _sep, value = raw.rpartition(":")
        if not _LABEL.match(label):
            raise ChartDataError(raw)
        out.append((label, _int(value, high=100)))
    return out


def parse_month_values(values: list[str]) -> list[tuple[str, int, int, int]]:
    """``["2023-04:3:1:0", …]`` → ``[("04/2023", 3, 1, 0), …]``."""
    if len(values) > MAX_ITEMS:
        raise ChartDataError("too many")
    out = []
    for raw in values:
        parts = raw.split(":")
        if len(parts) != 4 or not (match := _MONTH.match(parts[0])):
            raise ChartDataError(raw)
        year, month = match.groups()
        if not 1 <= int(month) <= 12:
            raise ChartDataError(raw)
        out.append((f"{month}/{year}", *(_int(p, high=10**7) for p in parts[1:])))
    return out


def _config(**kwargs) -> dict:
    return {
        "style": STYLE,
        "js": [],  # pygal would otherwise link its tooltip script from a CDN
        "disable_xml_declaration": True,
        "width": 440,  # drawn small so that its 18 px text stays readable on a phone
        "margin": 12,
        "legend_at_bottom": True,
        "print_values": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        **kwargs,
    }


def task_progress_svg(values: list[tuple[str, int]]) -> str:
    chart = pygal.HorizontalBar(
        **_config(
            height=70 + 40 * max(len(values), 1),
            show_legend=False,
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],  # few enough to stay whole on a phone
            value_formatter=lambda v: f"{v:.0f}%",
            print_values_position="top",
        )
    )
    values = list(reversed(values))  # pygal draws the first bar at the bottom
    chart.x_labels = [label for label, _v in values]
    chart.add(_("Tỷ lệ đơn vị thực hiện đã hoàn thành"), [v for _label, v in values])
    return chart.render(is_unicode=True)


def _whole_ticks(top: int, count: int = 5) -> list[int]:
    """Whole-number axis ticks from 0 to at least ``top`` (never "0 0 1 1 2")."""
    raw = max(1, math.ceil(top / count))
    magnitude = 10 ** (len(str(raw)) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)  # 1, 2, 5, 10…
    return list(range(0, top + step + 1, step)) if top else [0, 1]


def months_svg(values: list[tuple[str, int, int, int]]) -> str:
    top = max((sum(v[1:]) for v in values), default=0)
    chart = pygal.StackedBar(
        **_config(
            height=440,
            y_labels=_whole_ticks(top),
            print_values=False,  # stacked numbers crowd a phone screen; the table has them
            legend_at_bottom_columns=1,
            x_label_rotation=-50,
            print_zeroes=False,
            value_formatter=lambda v: f"{v:.0f}",
        )
    )
    chart.x_labels = [label for label, *_rest in values]
    chart.add(_("Được chấp nhận"), [v[1] for v in values])
    chart.add(_("Chờ duyệt"), [v[2] for v in values])
    chart.add(_("Trả lại"), [v[3] for v in values])
    return chart.render(is_unicode=True)
