"""Ruled tables in a scanned page: the OCR counterpart of pdfplumber's table finder.

A scan has no vector lines, so the table rulings are found in the image: after binarising, a
box reduction over K pixels along a row (or a column) keeps a pixel dark only where at least
three quarters of a K-pixel run is dark, which letters never are over that length. Runs of
such pixels are the ruling segments; pdfplumber's own geometry (edges -> intersections ->
cells -> tables) then turns them into cells, and :func:`read_pdf.grid` fills the cells with
the OCR words, merged cells included. Pillow only (no numpy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .blocks import Block
from .layout import Word
from .read_pdf import grid, inside

DARK = 150  # grey level under which a pixel is ink
RUN_FRACTION = 0.75  # share of a K-pixel run that must be ink to count as a ruling


def ruled_tables(
    image: Path, words: list[Word], page: int
) -> tuple[list[tuple[float, Block]], list[Word]]:
    """Table blocks found on a page image, and the words left outside them."""
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )
    from PIL import Image

    with Image.open(image) as img:
        gray = img.convert("L")
    width, height = gray.size
    k = max(16, width // 60)
    ink = gray.point(lambda v: 0 if v < DARK else 255)
    edges = _horizontal(ink, k) + _vertical(ink, k)
    if not edges:
        return [], words
    edges = merge_edges(
        edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=k, join_y_tolerance=k
    )
    cells = intersections_to_cells(edges_to_intersections(edges, x_tolerance=k, y_tolerance=k))
    tables: list[tuple[float, Block]] = []
    for table_cells in cells_to_tables(cells):
        rows = grid(table_cells, words)
        if len(rows) < 2 or len(rows[0]) < 2:
            continue
        x0 = min(c[0] for c in table_cells)
        top = min(c[1] for c in table_cells)
        x1 = max(c[2] for c in table_cells)
        bottom = max(c[3] for c in table_cells)
        words = [w for w in words if not inside(w, (x0, top, x1, bottom))]
        tables.append((float(top), Block(kind="table", rows=rows, where=f"trang {page}")))
    return tables, words


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def _runs(values: bytes, threshold: int, min_len: int) -> list[tuple[int, int]]:
    out, start = [], None
    for i, v in enumerate(values):
        if v <= threshold:
            if start is None:
                start = i
        elif start is not None:
            if i - start >= min_len:
                out.append((start, i))
            start = None
    if start is not None and len(values) - start >= min_len:
        out.append((start, len(values)))
    return out


def _horizontal(ink: Any, k: int) -> list[dict[str, Any]]:
    """Horizontal rulings: rows of the image reduced k:1 along x."""
    reduced = ink.reduce((k, 1))
    w, h = reduced.size
    data = reduced.tobytes()
    threshold = int(255 * (1 - RUN_FRACTION))
    segments: list[list[float]] = []  # [x0, x1, top, bottom], grown over adjacent rows
    open_segments: list[list[float]] = []
    for y in range(h):
        row_runs = [(a * k, b * k) for a, b in _runs(data[y * w : (y + 1) * w], threshold, 3)]
        still_open = []
        for x0, x1 in row_runs:
            for seg in open_segments:
                if seg[3] == y - 1 and x0 < seg[1] and x1 > seg[0]:
                    seg[0], seg[1], seg[3] = min(seg[0], x0), max(seg[1], x1), y
                    still_open.append(seg)
                    break
            else:
                seg = [x0, x1, y, y]
                segments.append(seg)
                still_open.append(seg)
        open_segments = still_open
    # A ruling is thin; a thick dark band is a picture or a seal, not a line.
    return [
        _edge(s[0], (s[2] + s[3]) / 2, s[1], (s[2] + s[3]) / 2, "h")
        for s in segments
        if s[3] - s[2] <= k // 2
    ]


def _vertical(ink: Any, k: int) -> list[dict[str, Any]]:
    """Vertical rulings: columns of the image reduced k:1 along y."""
    reduced = ink.reduce((1, k))
    w, h = reduced.size
    data = reduced.tobytes()
    threshold = int(255 * (1 - RUN_FRACTION))
    segments: list[list[float]] = []
    open_segments: list[list[float]] = []
    for x in range(w):
        column = data[x::w]
        col_runs = [(a * k, b * k) for a, b in _runs(column, threshold, 2)]
        still_open = []
        for top, bottom in col_runs:
            for seg in open_segments:
                if seg[3] == x - 1 and top < seg[1] and bottom > seg[0]:
                    seg[0], seg[1], seg[3] = min(seg[0], top), max(seg[1], bottom), x
                    still_open.append(seg)
                    break
            else:
                seg = [top, bottom, x, x]
                segments.append(seg)
                still_open.append(seg)
        open_segments = still_open
    return [
        _edge((s[2] + s[3]) / 2, s[0], (s[2] + s[3]) / 2, s[1], "v")
        for s in segments
        if s[3] - s[2] <= k // 2
    ]
