"""Server-side SVG charts with pygal: no JavaScript, no CDN (the closed-network rule).

The SVG is served by its own view and shown with ``<img>``, so nothing in it runs; the same
numbers are always in a table beside it.
"""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from .money import format_number
from .queries import TotalsRow


def _style(font_size: int) -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1d2733",
        foreground_strong="#1d2733",
        foreground_subtle="#d9dee5",
        opacity="1",
        opacity_hover="0.85",
        colors=("#9aa8b8", "#0f4c81", "#1e7b45", "#c98a00"),
        font_family='"Noto Sans", "DejaVu Sans", Arial, sans-serif',
        label_font_size=font_size,
        major_label_font_size=font_size,
        legend_font_size=font_size + 1,
        title_font_size=font_size + 3,
        value_font_size=font_size - 1,
        tooltip_font_size=font_size,
    )


def short_vnd(value) -> str:
    """Axis and tooltip labels: "1,25 tỷ", "350 tr", "80.000 đ" (display only)."""
    amount = round(value or 0)
    for size, word in ((1_000_000_000, _("tỷ")), (1_000_000, _("tr"))):
        if abs(amount) >= size:
            whole, rest = divmod(abs(amount), size)
            text = format_number(whole)
            tenths = rest * 100 // size  # two decimals, truncated: a label, never a sum
            if tenths:
                text += "," + f"{tenths:02d}".rstrip("0")
            return ("-" if amount < 0 else "") + f"{text} {word}"
    return format_number(amount) + " đ"


#: Two sizes: "wide" for desktops, "narrow" for phones (``<picture>`` picks one, no JS).
SIZES = {
    "wide": {
        "width": 900,
        "per_row": 56,
        "truncate": 40,
        "legend_columns": 4,
        "font": 13,
        "ticks": 8,
    },
    "narrow": {
        "width": 380,
        "per_row": 64,
        "truncate": 18,
        "legend_columns": 2,
        "font": 12,
        "ticks": 4,
    },
}


def figures_chart(rows: list[TotalsRow], *, title: str, size: str = "wide") -> bytes:
    """Grouped horizontal bars: estimated, approved, allocated and settled per row."""
    spec = SIZES.get(size, SIZES["wide"])
    height = max(260, 130 + spec["per_row"] * max(len(rows), 1))
    chart = pygal.HorizontalBar(
        style=_style(spec["font"]),
        js=(),  # pygal links its tooltip script from a CDN by default: never
        width=spec["width"],
        height=height,
        explicit_size=True,
        title=title,
        legend_at_bottom=True,
        legend_at_bottom_columns=spec["legend_columns"],
        value_formatter=short_vnd,
        truncate_label=spec["truncate"],
        max_scale=spec["ticks"],
        show_y_guides=False,
        print_values=False,
        margin=12,
        spacing=14,
        no_data_text=_("Chưa có số liệu"),
    )
    labels = [row.label for row in rows]
    # pygal draws the first label at the bottom of a horizontal chart: reverse to read top-down.
    chart.x_labels = list(reversed(labels))
    series = (
        (_("Dự toán"), "requested"),
        (_("Thẩm định"), "approved"),
        (_("Bố trí"), "allocated"),
        (_("Quyết toán"), "settled"),
    )
    for name, attr in series:
        chart.add(name, [getattr(row, attr) or 0 for row in reversed(rows)])
    return chart.render()
