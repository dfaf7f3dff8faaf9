"""The whole expectations board as one picture (every card, not just what is scrolled into view).

Cards are painted by the same :class:`CardPainter` as the board, so the PNG looks like the screen.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from workshopkit.model import Column
from workshopkit.store import StoreError
from workshopkit.ui import theme
from workshopkit.ui.board_model import Row, count_text, is_last_in_group
from workshopkit.ui.postit_delegate import CardPainter

DEFAULT_WIDTH = 1920
MAX_PIXELS = 40_000_000
"""Bigger boards are drawn smaller, so the file opens anywhere (about 160 MB in memory)."""
MAX_SIDE = 30_000


def _row_height(cards: CardPainter, row: Row, width: int, px: int) -> int:
    if row.postit is not None:
        return cards.postit_height(row.postit, width, px)
    assert row.group is not None
    return cards.group_height(row.group, row.members, width, px)


def render_board_image(
    title: str,
    headings: Mapping[Column, str],
    columns: Mapping[Column, Sequence[Row]],
    *,
    width: int = DEFAULT_WIDTH,
    cards: CardPainter | None = None,
) -> QImage:
    """Draw the title, the three headings with counts and every row of every column."""
    cards = cards or CardPainter()
    margin = round(width * 0.02)
    gap = round(width * 0.012)
    column_width = (width - 2 * margin - 2 * gap) // 3
    px = theme.card_font_px(column_width)
    heading_px = theme.heading_font_px(px)
    pad = round(px * 0.6)

    title_h = cards.text_height(title, heading_px, width - 2 * margin, True) if title else 0
    top = margin + (title_h + pad if title else 0)
    heading_text_width = column_width - 2 * pad
    heading_h = max(cards.text_height(headings.get(c) or c.default_heading, heading_px,
                                      heading_text_width, True) for c in Column)
    count_px = max(12, round(px * 0.75))
    count_h = cards.text_height("0 post-its", count_px, heading_text_width)
    band_h = int(pad * 2 + heading_h + pad * 0.3 + count_h)

    heights = {c: [_row_height(cards, row, column_width, px) for row in columns.get(c, ())]
               for c in Column}
    body_h = max([sum(h) for h in heights.values()] + [px * 3]) + pad * 2
    total_h = int(top + band_h + body_h + margin)

    scale = 1.0
    if width * total_h > MAX_PIXELS or total_h > MAX_SIDE:
        scale = min(math.sqrt(MAX_PIXELS / (width * total_h)), MAX_SIDE / total_h)
    image = QImage(max(1, round(width * scale)), max(1, round(total_h * scale)),
                   QImage.Format.Format_RGB32)
    image.fill(QColor(theme.BOARD_BACKGROUND))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.scale(scale, scale)
        if title:
            layout, _ = cards.layout(title, cards.font(heading_px, True), width - 2 * margin)
            painter.setPen(QColor(theme.TEXT_COLOUR))
            layout.draw(painter, QPointF(margin, margin))
        for number, column in enumerate(Column):
            left = margin + number * (column_width + gap)
            rows = columns.get(column, ())
            postits = sum(1 for r in rows if r.postit is not None)
            fill, ink = theme.COLUMN_HEADER_COLOURS[column]
            radius = px * 0.3
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.COLUMN_BACKGROUND))
            painter.drawRoundedRect(QRectF(left, top, column_width, band_h + body_h), radius,
                                    radius)
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(QRectF(left, top, column_width, band_h), radius, radius)
            painter.drawRect(QRectF(left, top + band_h - radius, column_width, radius))
            painter.setPen(QColor(ink))
            heading = headings.get(column) or column.default_heading
            layout, _ = cards.layout(heading, cards.font(heading_px, True), heading_text_width)
            layout.draw(painter, QPointF(left + pad, top + pad))
            layout, _ = cards.layout(count_text(postits).capitalize(), cards.font(count_px),
                                     heading_text_width)
            layout.draw(painter, QPointF(left + pad, top + pad + heading_h + pad * 0.3))
            y = top + band_h + pad
            for number, (row, height) in enumerate(zip(rows, heights[column], strict=True)):
                rect = QRect(left, int(y), column_width, height)
                if row.postit is not None:
                    cards.paint_postit(painter, rect, row.postit, px,
                                       last_in_group=is_last_in_group(rows, number))
                elif row.group is not None:
                    cards.paint_group(painter, rect, row.group, row.members, px)
                y += height
            if not rows:
                cards.paint_placeholder(painter, QRect(left, int(y), column_width, px * 3),
                                        "No post-its", px)
    finally:
        painter.end()
    return image


def save_png(image: QImage, path: Path | str, *, what: str = "board") -> Path:
    """Write ``image`` to ``path`` atomically; a plain-sentence :class:`StoreError` on failure."""
    target = Path(path)
    problem = (f"The {what} picture could not be saved to {target}. Check that the folder "
               "exists, that you can write there and that the disk is not full.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{what}-", suffix=".png", dir=target.parent)
    except OSError as exc:
        raise StoreError(problem) from exc
    os.close(fd)
    try:
        if not image.save(tmp_name, "PNG"):
            raise StoreError(problem)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except OSError as exc:
        raise StoreError(problem) from exc
    finally:
        with contextlib.suppress(OSError):
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
    return target
