"""The audience window: what the room sees on the projector, and nothing the facilitator keeps.

A separate top-level window, full screen on the second display (a normal window with one). It
shows the current step read-only from the store: its question in large type, then the board
(visible post-its only), the stakeholder map, the values grid or the numbered draft principles,
with the join QR code in a corner, a big countdown while a timer runs and a discussion card on
top when the facilitator puts one up. It never shows the moderation queue, pending, held or
hidden post-its, who wrote a post-it, the workshop's notes or the guidance panel.

The painted steps are built as a list of drawing operations, so :meth:`AudienceWindow.shown_texts`
reports exactly the text on screen. All text is plain: labels use ``Qt.PlainText`` and painted
text goes through ``QTextLayout`` or ``QPainter.drawText``, neither of which reads HTML. The
window never takes keyboard focus, so the facilitator's keys stay with the main window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QScreen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.guidance import step_by_number
from workshopkit.exercises.presenting import format_timer, timer_remaining
from workshopkit.model import (
    RING_COUNT,
    Change,
    ChangeKind,
    Column,
    Group,
    PostIt,
    Practice,
    PrincipleStatus,
    Status,
)
from workshopkit.store import NotFoundError, Store, StoreError
from workshopkit.ui import display_theme, theme
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.display_theme import DisplayTheme
from workshopkit.ui.join_panel import QrCodeWidget, fit_px, short_url
from workshopkit.ui.postit_delegate import text_layout

STEPS = (1, 2, 3, 4)
MAP_STEP, VALUES_STEP, BOARD_STEP, PRINCIPLES_STEP = 1, 2, 3, 4
TICK_MS = 200
"""How often the countdown is checked; the digits change once a second."""
REFERENCE_HEIGHT = 1080.0
"""Type sizes are set for a 1080-pixel-high screen and scale with the window."""
QR_HINT = "Scan to join, or type:"
NO_WORKSHOP = "No workshop is open"
EMPTY_TEXT = {
    VALUES_STEP: "No organisations or answers yet.",
    BOARD_STEP: "No post-its yet.",
    PRINCIPLES_STEP: "No draft principles yet.",
}
PREVIEW_CAPTION = "Draft, compiled from what the room said"
SHARED_BADGE = "★ Shared"
QUESTIONS: tuple[Practice, ...] = tuple(Practice)


class Card(Protocol):
    """A discussion card (``workshopkit.exercises.presenting.DiscussionCard``)."""

    title: str
    prompt: str
    source: str


class ScreenLike(Protocol):
    def geometry(self) -> QRect: ...


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def count_text(n: int) -> str:
    return "No post-its" if n == 0 else _plural(n, "post-it")


def vote_text(votes: int) -> str:
    return f"● {votes}"


# ----------------------------------------------------------------------------- drawing


@dataclass
class Box:
    rect: QRectF
    fill: str
    outline: str = ""
    width: float = 0.0
    radius: float = 0.0


@dataclass
class Line:
    start: QPointF
    end: QPointF
    colour: str
    width: float


@dataclass
class Text:
    """Plain text in ``rect``: wrapped to its width, or on one line when ``wrap`` is off."""

    rect: QRectF
    text: str
    font: QFont
    colour: str
    wrap: bool = True
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


Op = Box | Line | Text




def paint_ops(painter: QPainter, ops: Iterable[Op]) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    for op in ops:
        if isinstance(op, Box):
            painter.setBrush(QColor(op.fill) if op.fill else Qt.BrushStyle.NoBrush)
            if op.outline and op.width > 0:
                painter.setPen(QPen(QColor(op.outline), op.width))
                half = op.width / 2
                rect = op.rect.adjusted(half, half, -half, -half)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                rect = op.rect
            if op.radius > 0:
                painter.drawRoundedRect(rect, op.radius, op.radius)
            else:
                painter.drawRect(rect)
        elif isinstance(op, Line):
            pen = QPen(QColor(op.colour), op.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(op.start, op.end)
        else:
            painter.setPen(QColor(op.colour))
            painter.setFont(op.font)
            if op.wrap:
                layout, _ = text_layout(op.text, op.font, op.rect.width(), op.align)
                layout.draw(painter, op.rect.topLeft())
            else:
                painter.drawText(op.rect, int(op.align | Qt.AlignmentFlag.AlignVCenter),
                                 op.text)


class Measure:
    """Fonts and wrapped-text heights, cached (a board is laid out at several sizes)."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, bool], QFont] = {}
        self._heights: dict[tuple[str, int, bool, int], float] = {}

    def font(self, px: float, bold: bool = False) -> QFont:
        key = (max(6, round(px)), bold)
        found = self._fonts.get(key)
        if found is None:
            found = theme.board_font(key[0], bold=bold)
            self._fonts[key] = found
        return found

    def height(self, text: str, px: float, width: float, bold: bool = False) -> float:
        key = (text, max(6, round(px)), bold, round(width))
        found = self._heights.get(key)
        if found is None:
            if len(self._heights) > 20000:
                self._heights.clear()
            _, found = text_layout(text, self.font(px, bold), width)
            self._heights[key] = found
        return found

    def line_height(self, px: float, bold: bool = False) -> float:
        return QFontMetricsF(self.font(px, bold)).height()

    def advance(self, text: str, px: float, bold: bool = False) -> float:
        return QFontMetricsF(self.font(px, bold)).horizontalAdvance(text)


# ----------------------------------------------------------------------------- painted pages


@dataclass
class Look:
    """What a page needs to lay itself out: colours and the text size."""

    colours: DisplayTheme
    scale: float = 1.0


class PaintedPage(QWidget):
    """A step drawn from a list of operations, rebuilt when its data, size or look change."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.look = Look(display_theme.LIGHT)
        self.measure = Measure()
        self.ops: list[Op] = []

    def texts(self) -> list[str]:
        return [op.text for op in self.ops if isinstance(op, Text) and op.text]

    def unit(self) -> float:
        """Pixels per reference pixel: type scales with the page's screen and the text size."""
        screen_height = max(self.height(), 1)
        window = self.window()
        if window is not None and window.height() > 0:
            screen_height = window.height()
        return screen_height / REFERENCE_HEIGHT * self.look.scale

    def relayout(self) -> None:
        self.ops = self.build(QRectF(0, 0, self.width(), self.height())) if self.width() > 0 \
            else []
        self.update()

    def build(self, area: QRectF) -> list[Op]:
        raise NotImplementedError

    def message(self, area: QRectF, text: str) -> list[Op]:
        px = 36 * self.unit()
        colours = self.look.colours
        return [Text(QRectF(area.left(), area.top() + px, area.width(), px * 3), text,
                     self.measure.font(px), colours.muted, align=Qt.AlignmentFlag.AlignHCenter)]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_ops(painter, self.ops)
        finally:
            painter.end()


@dataclass
class BoardData:
    headings: dict[Column, str]
    postits: list[PostIt]  # visible ones only
    groups: list[Group]
    tallies: dict[int, int] | None


@dataclass
class _Row:
    postit: PostIt | None = None
    group: Group | None = None
    members: int = 0


def board_rows(column: Column, postits: Sequence[PostIt], groups: Sequence[Group]
               ) -> list[_Row]:
    """A column's rows as the board orders them: loose post-its, then each group that has
    post-its on show (its header, then its post-its)."""
    mine = sorted((p for p in postits if p.column == column), key=lambda p: (p.position, p.id))
    column_groups = sorted((g for g in groups if g.column == column),
                           key=lambda g: (g.position, g.id))
    members: dict[int, list[PostIt]] = {g.id: [] for g in column_groups}
    rows = []
    for p in mine:
        bucket = members.get(p.group_id) if p.group_id is not None else None
        if bucket is None:
            rows.append(_Row(postit=p))
        else:
            bucket.append(p)
    for g in column_groups:
        if members[g.id]:
            rows.append(_Row(group=g, members=len(members[g.id])))
            rows.extend(_Row(postit=p) for p in members[g.id])
    return rows


def board_last_in_group(rows: Sequence[_Row], index: int) -> bool:
    """Whether row ``index`` is a grouped post-it with no post-it of its group after it."""
    postit = rows[index].postit
    if postit is None or postit.group_id is None:
        return True
    following = rows[index + 1].postit if index + 1 < len(rows) else None
    return following is None or following.group_id != postit.group_id


class BoardPage(PaintedPage):
    """Step 3: the three columns with their headings, groups, visible post-its and tallies."""

    MIN_RATIO = 0.55
    """The smallest the cards' text may get to fit (of its size at this text scale)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Expectations board", parent)
        self.data: BoardData | None = None
        self.card_px = 0

    def set_data(self, data: BoardData | None) -> None:
        self.data = data
        self.relayout()

    def build(self, area: QRectF) -> list[Op]:
        if self.data is None:
            return []
        if not self.data.postits:
            ops = self._columns(area, {c: [] for c in Column}, self._start_px(area))[0]
            return ops + self.message(area.adjusted(0, area.height() * 0.3, 0, 0),
                                      EMPTY_TEXT[BOARD_STEP])
        rows = {c: board_rows(c, self.data.postits, self.data.groups) for c in Column}
        start = self._start_px(area)
        smallest = max(12, round(start * self.MIN_RATIO))
        px = start
        while True:
            ops, fits = self._columns(area, rows, px)
            if fits or px <= smallest:
                self.card_px = px
                return ops
            px = max(smallest, px - max(1, round(px * 0.08)))

    def _start_px(self, area: QRectF) -> int:
        gap = area.width() * 0.012
        column_width = (area.width() - 2 * gap) / 3
        return max(12, round(theme.card_font_px(column_width) * self.look.scale))

    def _columns(self, area: QRectF, rows: dict[Column, list[_Row]], px: int
                 ) -> tuple[list[Op], bool]:
        assert self.data is not None
        colours = self.look.colours
        m = self.measure
        gap = area.width() * 0.012
        width = (area.width() - 2 * gap) / 3
        heading_px = round(px * 1.2)
        count_px = max(12, round(px * 0.75))
        pad = max(6.0, px * 0.5)
        inner = width - 2 * pad
        heading_h = max(m.height(self.data.headings[c], heading_px, inner, True)
                        for c in Column)
        band_h = pad * 2 + heading_h + pad * 0.2 + m.line_height(count_px)
        ops: list[Op] = []
        fits = True
        for number, column in enumerate(Column):
            left = area.left() + number * (width + gap)
            fill, ink = colours.headings[column]
            column_rows = rows[column]
            shown = sum(1 for r in column_rows if r.postit is not None)
            ops.append(Box(QRectF(left, area.top(), width, area.height()), colours.column_fill,
                           colours.column_outline, max(1.0, px * 0.08) if colours.column_outline
                           else 0.0, pad * 0.6))
            ops.append(Box(QRectF(left, area.top(), width, band_h), fill, radius=pad * 0.6))
            ops.append(Text(QRectF(left + pad, area.top() + pad, inner, heading_h),
                            self.data.headings[column], m.font(heading_px, True), ink))
            ops.append(Text(QRectF(left + pad, area.top() + pad + heading_h + pad * 0.2, inner,
                                   m.line_height(count_px)), count_text(shown),
                            m.font(count_px), ink, wrap=False))
            y = area.top() + band_h + pad * 0.6
            bottom = area.bottom() - pad * 0.4
            placed: list[Op] = []
            left_out = 0
            for index, row in enumerate(column_rows):
                if left_out:
                    continue
                row_ops, height = self._row(row, left, y, width, px,
                                            last=board_last_in_group(column_rows, index))
                needed = height
                if row.group is not None:  # a group's name never ends a column on its own
                    needed += self._row(column_rows[index + 1], left, y + height, width, px,
                                        last=board_last_in_group(column_rows, index + 1))[1]
                more_below = any(r.postit is not None for r in column_rows[index + 1:])
                room = bottom - (m.line_height(count_px) + pad if more_below else 0)
                if y + needed > room:
                    left_out = sum(1 for r in column_rows[index:] if r.postit is not None)
                    fits = False
                    continue
                placed += row_ops
                y += height
            ops += placed
            if left_out:
                ops.append(Text(QRectF(left + pad, y + pad * 0.2, inner, m.line_height(count_px)),
                                f"+{left_out} more", m.font(count_px, True), colours.column_text,
                                wrap=False))
        return ops, fits

    def _row(self, row: _Row, left: float, top: float, width: float, px: int,
             last: bool = True) -> tuple[list[Op], float]:
        colours = self.look.colours
        m = self.measure
        gap = max(6.0, px * 0.45)
        margin = max(6.0, px * 0.45)
        indent = max(10.0, px * 0.9)
        padding = max(6.0, px * 0.55)
        radius = max(3.0, px * 0.22)
        if row.group is not None:
            group_px = max(12, round(px * 0.95))
            small = max(10, round(px * 0.7))
            count = count_text(row.members)
            count_w = m.advance(count, small) + padding
            tab = QRectF(left + margin, top + gap / 2, width - 2 * margin, 0)
            name_w = tab.width() - 2 * padding - count_w
            name_h = m.height(row.group.name, group_px, name_w, True)
            tab.setHeight(padding * 1.2 + max(name_h, m.line_height(small)))
            line_x = left + margin + indent * 0.4
            return [
                Box(tab, colours.group_fill, colours.group_line, max(1.5, px * 0.08), radius),
                Text(QRectF(tab.left() + padding, tab.top() + padding * 0.6, name_w, name_h),
                     row.group.name, m.font(group_px, True), colours.group_text),
                Text(QRectF(tab.right() - padding - count_w, tab.top() + padding * 0.6, count_w,
                            m.line_height(small)), count, m.font(small), colours.group_text,
                     wrap=False, align=Qt.AlignmentFlag.AlignRight),
                Line(QPointF(line_x, tab.bottom()), QPointF(line_x, tab.bottom() + gap),
                     colours.group_line, max(2.0, px * 0.12)),
            ], tab.height() + gap
        postit = row.postit
        assert postit is not None and self.data is not None
        grouped = postit.group_id is not None
        card_left = left + margin + (indent if grouped else 0)
        card_w = width - 2 * margin - (indent if grouped else 0)
        text_w = max(10.0, card_w - 2 * padding)
        text_h = m.height(postit.text, px, text_w)
        votes = None if self.data.tallies is None else self.data.tallies.get(postit.id, 0)
        badge_px = max(10, round(px * 0.7))
        badge_h = m.line_height(badge_px, True) + badge_px * 0.35
        vote_h = m.line_height(px, True) + badge_px * 0.35
        badges = max([h for h, on in ((badge_h, postit.shared), (vote_h, votes is not None))
                      if on], default=0.0)
        height = padding * 2 + text_h + (padding * 0.6 + badges if badges else 0)
        card = QRectF(card_left, top + gap / 2, card_w, height)
        fill = colours.postit_fill(postit.colour)
        edge = colours.postit_border(postit.colour)
        border = max(1.0, px * 0.06) if colours.postit_edge > 0 else max(2.0, px * 0.1)
        ops: list[Op] = []
        if grouped:
            line_x = left + margin + indent * 0.4
            bottom = card.center().y() if last else top + height + gap
            ops += [Line(QPointF(line_x, top), QPointF(line_x, bottom),
                         colours.group_line, max(2.0, px * 0.12)),
                    Line(QPointF(line_x, card.center().y()), QPointF(card.left(),
                                                                       card.center().y()),
                         colours.group_line, max(2.0, px * 0.12))]
        ops += [Box(card, fill, edge, border, radius),
                Text(QRectF(card.left() + padding, card.top() + padding, text_w, text_h),
                     postit.text, m.font(px), colours.postit_text)]
        badge_top = card.top() + padding + text_h + padding * 0.6
        if postit.shared:
            w = m.advance(SHARED_BADGE, badge_px, True) + badge_px
            rect = QRectF(card.left() + padding, badge_top, w, badge_h)
            ops += [Box(rect, colours.shared_fill, radius=badge_h / 2),
                    Text(rect, SHARED_BADGE, m.font(badge_px, True), colours.shared_text,
                         wrap=False, align=Qt.AlignmentFlag.AlignHCenter)]
        if votes is not None:
            label = vote_text(votes)
            w = max(vote_h, m.advance(label, px, True) + badge_px)
            rect = QRectF(card.right() - padding - w, badge_top, w, vote_h)
            ops += [Box(rect, colours.votes_fill, radius=vote_h / 2),
                    Text(rect, label, m.font(px, True), colours.votes_text, wrap=False,
                         align=Qt.AlignmentFlag.AlignHCenter)]
        return ops, height + gap


@dataclass
class GridLine:
    name: str
    is_organisation: bool
    answers: dict[Practice, str] = field(default_factory=dict)


@dataclass
class ValuesData:
    rows: list[GridLine]
    alignment: list[tuple[str, str]]  # (title, detail) of each suggestion


class ValuesPage(PaintedPage):
    """Step 2: the grid of budget, time and priorities (read-only), or the alignment
    suggestions."""

    GRID = "grid"
    ALIGNMENT = "alignment"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Values", parent)
        self.data: ValuesData | None = None
        self.mode = self.GRID

    def set_data(self, data: ValuesData | None) -> None:
        self.data = data
        self.relayout()

    def set_mode(self, mode: str) -> None:
        self.mode = mode if mode in (self.GRID, self.ALIGNMENT) else self.GRID
        self.relayout()

    def build(self, area: QRectF) -> list[Op]:
        if self.data is None:
            return []
        if self.mode == self.ALIGNMENT:
            items = [(title, detail) for title, detail in self.data.alignment]
            return fitted_list(self, area, items, "No connections or gaps found yet.")
        if not self.data.rows:
            return self.message(area, EMPTY_TEXT[VALUES_STEP])
        start = 30 * self.unit()
        px = start
        while True:
            ops, fits = self._grid(area, px)
            if fits or px <= max(12, start * 0.5):
                return ops
            px = max(12, px * 0.92)

    def _grid(self, area: QRectF, px: float) -> tuple[list[Op], bool]:
        assert self.data is not None
        colours = self.look.colours
        m = self.measure
        pad = max(6.0, px * 0.4)
        name_w = area.width() * 0.22
        cell_w = (area.width() - name_w) / len(QUESTIONS)
        lefts = [area.left(), *(area.left() + name_w + i * cell_w for i in range(len(QUESTIONS)))]
        widths = [name_w, *([cell_w] * len(QUESTIONS))]
        line_w = max(1.0, px * 0.06)
        ops: list[Op] = [Box(area, colours.sheet, colours.sheet_line, line_w, px * 0.3)]
        header_h = max(m.height(q.label, px, cell_w - 2 * pad, True) for q in QUESTIONS) + 2 * pad
        y = area.top()
        for i, q in enumerate(QUESTIONS, start=1):
            ops.append(Text(QRectF(lefts[i] + pad, y + pad, widths[i] - 2 * pad, header_h),
                            q.label, m.font(px, True), colours.sheet_text))
        y += header_h
        ops.append(Line(QPointF(area.left(), y), QPointF(area.right(), y), colours.sheet_line,
                        line_w * 2))
        fits = True
        left_out = 0
        for index, row in enumerate(self.data.rows):
            if left_out:
                left_out += 1
                continue
            texts = [row.name, *(row.answers.get(q, "") for q in QUESTIONS)]
            height = max(m.height(t, px, w - 2 * pad, row.is_organisation)
                         for t, w in zip(texts, widths, strict=True)) + 2 * pad
            more = index + 1 < len(self.data.rows)
            if y + height > area.bottom() - (m.line_height(px) + pad if more else 0):
                left_out = 1
                fits = False
                continue
            ink = colours.organisation_text if row.is_organisation else colours.sheet_text
            if row.is_organisation:
                ops.append(Box(QRectF(area.left() + line_w, y, area.width() - 2 * line_w,
                                      height), colours.organisation_fill))
            for text, x, w in zip(texts, lefts, widths, strict=True):
                indent = 0 if row.is_organisation or x != area.left() else px
                if text:
                    ops.append(Text(QRectF(x + pad + indent, y + pad, w - 2 * pad - indent,
                                           height - 2 * pad), text,
                                    m.font(px, row.is_organisation), ink))
            y += height
            ops.append(Line(QPointF(area.left(), y), QPointF(area.right(), y),
                            colours.sheet_line, line_w))
        for x in lefts[1:]:
            ops.append(Line(QPointF(x, area.top()), QPointF(x, y), colours.sheet_line, line_w))
        ops[0] = Box(QRectF(area.left(), area.top(), area.width(), y - area.top()),
                     colours.sheet, colours.sheet_line, line_w, px * 0.3)
        if left_out:
            ops.append(Text(QRectF(area.left() + pad, y + pad * 0.5, area.width() - 2 * pad,
                                   m.line_height(px)), f"+{_plural(left_out, 'more row')}",
                            m.font(px, True), colours.sheet_muted, wrap=False))
        return ops, fits


def fitted_list(page: PaintedPage, area: QRectF, items: Sequence[tuple[str, str]], empty: str,
                caption: str = "") -> list[Op]:
    """A sheet of (bold lead, body) items, in the largest type that fits (down to half size),
    then "+N more" for the rest."""
    if not items:
        return page.message(area, empty)
    start = 40 * page.unit()
    px = start
    while True:
        ops, fits = _list_ops(page, area, items, px, caption)
        if fits or px <= max(12, start * 0.5):
            return ops
        px = max(12, px * 0.92)


def _list_ops(page: PaintedPage, area: QRectF, items: Sequence[tuple[str, str]], px: float,
              caption: str) -> tuple[list[Op], bool]:
    colours = page.look.colours
    m = page.measure
    pad = px * 0.6
    body_px = px * 0.8
    width = area.width() - 2 * pad
    ops: list[Op] = [Box(area, colours.sheet, colours.sheet_line, max(1.0, px * 0.05), px * 0.3)]
    y = area.top() + pad
    if caption:
        h = m.line_height(body_px * 0.9)
        ops.append(Text(QRectF(area.left() + pad, y, width, h), caption,
                        m.font(body_px * 0.9), colours.sheet_muted, wrap=False))
        y += h + pad * 0.5
    for index, (lead, body) in enumerate(items):
        lead_h = m.height(lead, px, width, True)
        body_h = m.height(body, body_px, width) if body else 0.0
        height = lead_h + (pad * 0.2 + body_h if body else 0) + pad
        more = index + 1 < len(items)
        if y + height > area.bottom() - (m.line_height(body_px) + pad if more else pad * 0.5):
            ops.append(Text(QRectF(area.left() + pad, y, width, m.line_height(body_px)),
                            f"+{len(items) - index} more", m.font(body_px, True),
                            colours.sheet_muted, wrap=False))
            return ops, False
        ops.append(Text(QRectF(area.left() + pad, y, width, lead_h), lead, m.font(px, True),
                        colours.sheet_text))
        if body:
            ops.append(Text(QRectF(area.left() + pad, y + lead_h + pad * 0.2, width, body_h),
                            body, m.font(body_px), colours.sheet_text))
        y += height
    sheet = ops[0]
    assert isinstance(sheet, Box)
    sheet.rect = QRectF(area.left(), area.top(), area.width(), y - area.top())
    return ops, True


@dataclass
class PrinciplesData:
    items: list[tuple[str, str]]  # ("1. Lead", body)
    preview: bool


class PrinciplesPage(PaintedPage):
    """Step 4: the numbered draft principles (rejected ones left out)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Draft principles", parent)
        self.data: PrinciplesData | None = None

    def set_data(self, data: PrinciplesData | None) -> None:
        self.data = data
        self.relayout()

    def build(self, area: QRectF) -> list[Op]:
        if self.data is None:
            return []
        return fitted_list(self, area, self.data.items, EMPTY_TEXT[PRINCIPLES_STEP],
                           PREVIEW_CAPTION if self.data.preview else "")


class MessagePage(PaintedPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Nothing to show", parent)
        self.text = ""

    def build(self, area: QRectF) -> list[Op]:
        return self.message(area, self.text) if self.text else []


class CardOverlay(PaintedPage):
    """A discussion card in large type over the step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Discussion card", parent)
        self.card: Card | None = None

    def unit(self) -> float:
        parent = self.parentWidget()
        height = parent.height() if parent is not None else self.height()
        return max(1, height) / REFERENCE_HEIGHT * self.look.scale

    def build(self, area: QRectF) -> list[Op]:
        if self.card is None:
            return []
        colours = self.look.colours
        m = self.measure
        border = max(3.0, 6 * self.unit())
        ops: list[Op] = [Box(area, colours.card_fill, colours.card_border, border,
                             24 * self.unit())]
        pad = 48 * self.unit()
        width = area.width() - 2 * pad
        parts = [(self.card.title, 1.0, True, colours.card_title),
                 (self.card.prompt, 1.6, False, colours.card_text),
                 (self.card.source, 0.55, False, colours.card_text)]
        start = 44 * self.unit()
        px = start
        while True:
            heights = [m.height(text, px * k, width, bold) if text else 0.0
                       for text, k, bold, _ in parts]
            total = sum(heights) + pad * 0.6 * 2
            if total <= area.height() - 2 * pad or px <= 10:
                break
            px *= 0.92
        y = area.top() + max(pad, (area.height() - total) / 2)
        for (text, k, bold, ink), h in zip(parts, heights, strict=True):
            if text:
                ops.append(Text(QRectF(area.left() + pad, y, width, h), text,
                                m.font(px * k, bold), ink, align=Qt.AlignmentFlag.AlignHCenter))
            y += h + pad * 0.6
        return ops


# ----------------------------------------------------------------------------- the map


class MapPage(QGraphicsView):
    """Step 1: the stakeholder map, read-only and fitted to the screen, on a white sheet (its
    rings and names are drawn for a light background in every theme)."""

    SHEET = "#FFFFFF"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map_scene = QGraphicsScene(self)
        self.setScene(self.map_scene)
        self.setAccessibleName("Stakeholder map")
        self.setInteractive(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setBackgroundBrush(QColor(self.SHEET))
        self._texts: list[str] = []
        self._empty = ""
        self._content = QRectF()

    def set_map(self, stakeholder_map: Any) -> None:
        """Draw ``stakeholder_map`` (a :class:`~workshopkit.model.StakeholderMap`, or None)."""
        from workshopkit.exercises.stakeholders import (
            area_index,
            area_name,
            map_areas,
            map_geometry,
        )
        from workshopkit.model import DEFAULT_RING_NAMES
        from workshopkit.ui.stakeholder_items import BackdropItem, CardItem, LinkItem

        self.map_scene.clear()
        self._texts = []
        self._content = QRectF()
        self._empty = ""
        if stakeholder_map is None:
            return
        areas = map_areas(stakeholder_map.organisations, stakeholder_map.stakeholders)
        geometry = map_geometry(len(areas), len(stakeholder_map.stakeholders))
        rings = tuple(stakeholder_map.ring_names[i] or DEFAULT_RING_NAMES[i]
                      for i in range(RING_COUNT))
        backdrop = BackdropItem()
        backdrop.set_map(geometry, [area_name(a) for a in areas], rings)
        self.map_scene.addItem(backdrop)
        texts = [" ".join(line for line in label.lines if line)
                 for label in backdrop.area_labels]
        texts += list(rings)
        cards: dict[int, Any] = {}
        for s in stakeholder_map.stakeholders:
            card = CardItem(s, "")
            card.setFlags(card.flags() & ~(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                                           | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                                           | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable))
            card.setPos(*geometry.point(area_index(areas, s.organisation_id), s.ring, s.across,
                                        s.depth))
            self.map_scene.addItem(card)
            cards[s.id] = card
            texts.append(" ".join(card.label_lines))
            texts += [t for t in (card.summary, card.status_text) if t]
        for link in stakeholder_map.links:
            source, target = cards.get(link.source_id), cards.get(link.target_id)
            if source is None or target is None:
                continue
            item = LinkItem(link, source, target)
            item.setFlags(item.flags() & ~QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
            item.setToolTip("")
            self.map_scene.addItem(item)
            if item.label_text:
                texts.append(item.label_text)
        self._texts = texts
        rect = QRectF(backdrop.boundingRect())
        for card in cards.values():
            rect = rect.united(card.mapRectToScene(card.card_rect()))
        self._content = rect.adjusted(-20, -20, 20, 20)
        self.map_scene.setSceneRect(self._content)
        self.fit()

    def texts(self) -> list[str]:
        return list(self._texts)

    def fit(self) -> None:
        if self._content.isValid() and self.viewport().width() > 0:
            self.fitInView(self._content, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


# ----------------------------------------------------------------------------- the window


def _label(parent: QWidget, name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setAccessibleName(name)
    label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return label


def _set_colour(widget: QWidget, colour: str) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    palette.setColor(QPalette.ColorRole.Text, QColor(colour))
    widget.setPalette(palette)


def _set_px(widget: QWidget, px: float, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPixelSize(max(8, round(px)))
    font.setBold(bold)
    widget.setFont(font)


class AudienceWindow(QWidget):
    """The projector's window. The facilitator's window drives it through its methods."""

    closed = Signal()
    error_shown = Signal(str)
    """A store error while reading (the screen keeps what it showed); the facilitator's window
    shows the message, never the projector."""

    def __init__(self, store: Store, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.store = store
        self.bridge = bridge
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle("Audience view — workshopkit")
        self.setAccessibleName("Audience view")
        self.setAutoFillBackground(True)
        self._workshop_id: int | None = None
        self._workshop_title = ""
        self._step = BOARD_STEP
        self._blank = False
        self._qr_url = ""
        self._qr_wanted = True
        self._card: Card | None = None
        self._colours = display_theme.LIGHT
        self._scale = 1.0
        self._timer_ends_at = ""
        self._timer_label = ""
        self._dirty: set[int] = set(STEPS)
        self._tallies_shown = False

        self.root = QWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.root)
        layout = QVBoxLayout(self.root)
        self._layout = layout
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.step_label = _label(self.root, "Step", wrap=False)
        self.title_label = _label(self.root, "Question")
        titles.addWidget(self.step_label)
        titles.addWidget(self.title_label)
        header.addLayout(titles, 1)
        timer_box = QVBoxLayout()
        timer_box.setSpacing(0)
        self.timer_label = _label(self.root, "Time left", wrap=False)
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.timer_caption = _label(self.root, "Timer", wrap=False)
        self.timer_caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        timer_box.addWidget(self.timer_label)
        timer_box.addWidget(self.timer_caption)
        timer_box.addStretch(1)
        header.addLayout(timer_box)
        layout.addLayout(header)

        body = QHBoxLayout()
        self.pages = QStackedWidget(self.root)
        self.pages.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.map_page = MapPage(self.pages)
        self.values_page = ValuesPage(self.pages)
        self.board_page = BoardPage(self.pages)
        self.principles_page = PrinciplesPage(self.pages)
        self.message_page = MessagePage(self.pages)
        self.step_pages: dict[int, QWidget] = {MAP_STEP: self.map_page,
                                               VALUES_STEP: self.values_page,
                                               BOARD_STEP: self.board_page,
                                               PRINCIPLES_STEP: self.principles_page}
        for page in (*self.step_pages.values(), self.message_page):
            self.pages.addWidget(page)
        body.addWidget(self.pages, 1)

        self.qr_panel = QWidget(self.root)
        qr_layout = QVBoxLayout(self.qr_panel)
        qr_layout.setContentsMargins(0, 0, 0, 0)
        self.qr_hint = _label(self.qr_panel, "How to join", wrap=False)
        self.qr_hint.setText(QR_HINT)
        self.qr_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.qr_code = QrCodeWidget(self.qr_panel, minimum=80)
        self.qr_code.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.qr_url_label = _label(self.qr_panel, "Join address", wrap=False)
        self.qr_url_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        qr_layout.addWidget(self.qr_code, 0, Qt.AlignmentFlag.AlignHCenter)
        qr_layout.addWidget(self.qr_hint)
        qr_layout.addWidget(self.qr_url_label)
        qr_layout.addStretch(1)
        body.addWidget(self.qr_panel)
        layout.addLayout(body, 1)

        self.card_overlay = CardOverlay(self)
        self.card_overlay.hide()

        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_ticker_timeout)
        bridge.changed.connect(self._on_bridge_changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._on_app_screen_removed)

        self.resize(1280, 720)
        self._apply_look()
        self._show_state()

    # ----------------------------------------------------------------- what is shown

    @property
    def workshop_id(self) -> int | None:
        return self._workshop_id

    @property
    def current_step(self) -> int:
        return self._step

    @property
    def is_blank(self) -> bool:
        return self._blank

    @property
    def qr_visible(self) -> bool:
        """Whether the QR code is on (a join address is set and the QR is switched on)."""
        return bool(self._qr_url) and self._qr_wanted

    @property
    def card(self) -> Card | None:
        return self._card

    @property
    def theme_name(self) -> str:
        return self._colours.name.value

    @property
    def text_scale(self) -> float:
        return self._scale

    def set_workshop(self, workshop_id: int | None) -> None:
        """Show this workshop (``None``: nothing but "No workshop is open")."""
        self._workshop_id = workshop_id
        self._card = None
        self.card_overlay.card = None
        self._dirty = set(STEPS)
        self._read_join_settings()
        self._read_title()
        self._show_state()

    def show_step(self, number: int) -> None:
        if number not in STEPS:
            raise ValueError(f"There is no step {number}; the steps are 1 to 4.")
        self._step = number
        self._show_state()

    def set_qr(self, url: str | None) -> None:
        """The join address for the QR code (``None`` or "": no QR code)."""
        self._qr_url = url or ""
        self.qr_code.set_text(self._qr_url)
        self.qr_url_label.setText(short_url(self._qr_url))
        self._show_state()

    def set_qr_visible(self, visible: bool) -> None:
        self._qr_wanted = bool(visible)
        self._show_state()

    def set_blank(self, blank: bool) -> None:
        """Blank the screen (the room sees only black), or bring the step back."""
        self._blank = bool(blank)
        self._show_state()

    def show_card(self, card: Card | None) -> None:
        """Put a discussion card up over the step (``None`` takes it down)."""
        self._card = card
        self.card_overlay.card = card
        self._show_state()

    def set_theme(self, name: str) -> None:
        self._colours = display_theme.get_theme(name)
        self._apply_look()

    def set_text_scale(self, scale: float) -> None:
        self._scale = display_theme.clamp_text_scale(scale)
        self._apply_look()

    def set_values_view(self, mode: str) -> None:
        """Step 2 shows the grid ("grid") or the alignment suggestions ("alignment")."""
        self.values_page.set_mode(mode)

    def timer_text(self) -> str:
        """The countdown as shown ("04:59"), or "" while no timer runs."""
        return self.timer_label.text() if self._timer_ends_at else ""

    def shown_texts(self) -> list[str]:
        """Every piece of text the window draws right now (nothing while blank)."""
        if self._blank:
            return []
        texts = [label.text() for label in (self.step_label, self.title_label, self.timer_label,
                                             self.timer_caption, self.qr_hint,
                                             self.qr_url_label)
                 if label.isVisibleTo(self) and label.text()]
        page = self.pages.currentWidget()
        if isinstance(page, (PaintedPage, MapPage)):
            texts += page.texts()
        if self.card_overlay.isVisibleTo(self):
            texts += self.card_overlay.texts()
        return texts

    # ----------------------------------------------------------------- placing

    def place_on(self, screens: Sequence[QScreen | ScreenLike],
                 main_screen: QScreen | ScreenLike | None = None) -> QScreen | ScreenLike | None:
        """Full screen on a screen other than the main window's when there are two or more,
        else a normal window; returns the screen taken over (None for a normal window).

        ``main_screen`` is the facilitator's screen; by default the first of ``screens``.
        """
        screens = list(screens)
        if main_screen is None:
            main_screen = screens[0] if screens else None
        others = [s for s in screens if s is not main_screen and s != main_screen]
        if len(screens) >= 2 and others:
            target = others[0]
            if isinstance(target, QScreen):
                self.setScreen(target)
            self.setGeometry(target.geometry())
            # Not showFullScreen(): it asks to activate a window that never takes focus.
            self.setWindowState(self.windowState() | Qt.WindowState.WindowFullScreen)
            self.show()
            return target
        if self.isFullScreen():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowFullScreen)
        area = QRect(0, 0, 1280, 800)
        if screens:
            only = screens[0]
            area = only.availableGeometry() if isinstance(only, QScreen) else only.geometry()
        width, height = max(480, area.width() * 2 // 3), max(270, area.height() * 2 // 3)
        self.setGeometry(area.left() + (area.width() - width) // 2,
                         area.top() + (area.height() - height) // 2, width, height)
        self.show()
        return None

    def _on_app_screen_removed(self, _screen: QScreen) -> None:
        """The projector was unplugged: come back as a normal window on the one left."""
        if self.isVisible() and self.isFullScreen():
            QTimer.singleShot(0, self._replace_after_screen_removed)

    def _replace_after_screen_removed(self) -> None:
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            self.place_on(screens)

    # ----------------------------------------------------------------- refreshing

    def _read_title(self) -> None:
        self._workshop_title = ""
        if self._workshop_id is None:
            return
        try:
            self._workshop_title = self.store.get_workshop(self._workshop_id).title
        except NotFoundError:
            self._workshop_id = None
        except StoreError as error:
            self.error_shown.emit(str(error))

    def _read_join_settings(self) -> None:
        ends_at, label, tallies = "", "", False
        if self._workshop_id is not None:
            try:
                settings = self.store.join_settings(self._workshop_id)
            except NotFoundError:
                self._workshop_id = None
            except StoreError as error:
                self.error_shown.emit(str(error))
                return
            else:
                ends_at = settings.timer_ends_at
                label = settings.timer_label
                tallies = settings.tallies_shown
        if tallies != self._tallies_shown:
            self._dirty.add(BOARD_STEP)
        self._tallies_shown = tallies
        self._timer_ends_at, self._timer_label = ends_at, label
        self.timer_caption.setText(label)
        self._tick()

    def _tick(self) -> None:
        if not self._timer_ends_at:
            self._ticker.stop()
            self.timer_label.setText("")
            self._show_timer()
            return
        left = timer_remaining(self._timer_ends_at)
        text = format_timer(left)
        if self.timer_label.text() != text:
            self.timer_label.setText(text)
        if left > 0:
            if not self._ticker.isActive():
                self._ticker.start()
        else:
            self._ticker.stop()
        self._show_timer()

    def _on_ticker_timeout(self) -> None:
        self._tick()

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        kind = change.kind
        if kind is ChangeKind.JOINING:
            self._read_join_settings()
        if kind is ChangeKind.WORKSHOPS:
            self._read_title()
            self._dirty = set(STEPS)
        affects = {
            MAP_STEP: {ChangeKind.STAKEHOLDERS, ChangeKind.ORGANISATIONS},
            VALUES_STEP: {ChangeKind.VALUES, ChangeKind.ORGANISATIONS, ChangeKind.PARTICIPANTS},
            BOARD_STEP: {ChangeKind.POSTITS, ChangeKind.GROUPS, ChangeKind.VOTES},
            PRINCIPLES_STEP: {ChangeKind.PRINCIPLES, ChangeKind.POSTITS, ChangeKind.VOTES,
                              ChangeKind.VALUES, ChangeKind.GROUPS, ChangeKind.ORGANISATIONS,
                              ChangeKind.PARTICIPANTS},
        }
        for step, kinds in affects.items():
            if kind in kinds:
                self._dirty.add(step)
        self._show_state()

    def _refresh_page(self, step: int) -> None:
        """Read what ``step`` shows from the store; on an error keep what is on screen."""
        wid = self._workshop_id
        if wid is None:
            return
        try:
            if step == BOARD_STEP:
                self.board_page.set_data(self._board_data(wid))
            elif step == MAP_STEP:
                self.map_page.set_map(self.store.stakeholder_map(wid))
            elif step == VALUES_STEP:
                self.values_page.set_data(self._values_data(wid))
            else:
                self.principles_page.set_data(self._principles_data(wid))
        except NotFoundError:
            self._workshop_id = None
            return
        except StoreError as error:
            self.error_shown.emit(str(error))
            return
        self._dirty.discard(step)

    def _board_data(self, wid: int) -> BoardData:
        workshop = self.store.get_workshop(wid)
        postits = [p for p in self.store.list_postits(wid) if p.status is Status.VISIBLE]
        tallies = self.store.vote_tallies(wid) if self._tallies_shown else None
        return BoardData({c: workshop.heading(c) for c in Column}, postits,
                         self.store.list_groups(wid), tallies)

    def _values_data(self, wid: int) -> ValuesData:
        from workshopkit.exercises.values import suggestions

        exercise = self.store.values_exercise(wid)
        rows: list[GridLine] = []

        def answers(**subject: int | None) -> dict[Practice, str]:
            found = {}
            for q in QUESTIONS:
                answer = exercise.answer(q, **subject)  # type: ignore[arg-type]
                if answer is not None and answer.text.strip():
                    found[q] = answer.text
            return found

        known = {o.id for o in exercise.organisations}
        for org in exercise.organisations:
            rows.append(GridLine(org.name, True, answers(organisation_id=org.id)))
            rows += [GridLine(p.name, False, answers(participant_id=p.id))
                     for p in exercise.participants if p.organisation_id == org.id]
        rows += [GridLine(p.name, False, answers(participant_id=p.id))
                 for p in exercise.participants if p.organisation_id not in known]
        alignment = [(s.title, s.detail) for s in suggestions(exercise)]
        return ValuesData(rows, alignment)

    def _principles_data(self, wid: int) -> PrinciplesData:
        stored = self.store.list_principles(wid)
        if stored:
            kept = [p for p in stored if p.status is not PrincipleStatus.REJECTED]
            return PrinciplesData([(f"{n}. {p.lead}", p.body)
                                   for n, p in enumerate(kept, start=1)], False)
        from workshopkit.exercises.principles import compile_draft, inputs_from_store

        draft = compile_draft(inputs_from_store(self.store, wid))
        return PrinciplesData([(f"{n}. {p.lead}", p.body)
                               for n, p in enumerate(draft.principles, start=1)], True)

    # ----------------------------------------------------------------- layout and look

    def _show_state(self) -> None:
        """Bring every part of the window in line with the current state."""
        blank = self._blank
        self.root.setVisible(not blank)
        self._paint_background()
        if self._workshop_id is not None and self._step in self._dirty:
            self._refresh_page(self._step)
        if self._workshop_id is None:
            self.step_label.setText("")
            self.title_label.setText(NO_WORKSHOP)
            self.message_page.text = ""
            self.message_page.relayout()
            self.pages.setCurrentWidget(self.message_page)
        else:
            guidance = step_by_number(self._step)
            caption = f"Step {self._step} of {len(STEPS)}"
            if self._workshop_title:
                caption += f" · {self._workshop_title}"
            self.step_label.setText(caption)
            self.title_label.setText(guidance.title)
            self.pages.setCurrentWidget(self.step_pages[self._step])
        self.step_label.setVisible(bool(self.step_label.text()))
        self.qr_panel.setVisible(self.qr_visible and self._workshop_id is not None)
        self._show_timer()
        self.card_overlay.setVisible(self._card is not None and not blank
                                     and self._workshop_id is not None)
        if self.card_overlay.isVisible():
            self._place_overlay()
            self.card_overlay.raise_()
        self._fit_sizes()

    def _show_timer(self) -> None:
        running = bool(self._timer_ends_at)
        self.timer_label.setVisible(running and self._workshop_id is not None)
        self.timer_caption.setVisible(running and bool(self._timer_label)
                                      and self._workshop_id is not None)
        left = timer_remaining(self._timer_ends_at) if running else 1
        colour = self._colours.accent if left > 0 else self._colours.text
        _set_colour(self.timer_label, colour)

    def _paint_background(self) -> None:
        palette = self.palette()
        colour = self._colours.blank if self._blank else self._colours.background
        palette.setColor(QPalette.ColorRole.Window, QColor(colour))
        self.setPalette(palette)

    def _apply_look(self) -> None:
        colours = self._colours
        self._paint_background()
        _set_colour(self.title_label, colours.text)
        _set_colour(self.step_label, colours.muted)
        _set_colour(self.timer_caption, colours.muted)
        _set_colour(self.qr_hint, colours.qr_text)
        _set_colour(self.qr_url_label, colours.qr_text)
        look = Look(colours, self._scale)
        for page in (self.values_page, self.board_page, self.principles_page,
                     self.message_page, self.card_overlay):
            page.look = look
        self._show_timer()
        self._fit_sizes()
        self._relayout_pages()

    def _relayout_pages(self) -> None:
        for page in (self.values_page, self.board_page, self.principles_page,
                     self.message_page, self.card_overlay):
            page.relayout()

    def _unit(self) -> float:
        return max(1, self.height()) / REFERENCE_HEIGHT * self._scale

    def _fit_sizes(self) -> None:
        """Type and the QR code sized for this window: the same proportions on any screen."""
        unit = self._unit()
        base = max(1, self.height()) / REFERENCE_HEIGHT
        margin = round(28 * base)
        self._layout.setContentsMargins(margin, round(18 * base), margin, margin)
        self._layout.setSpacing(round(14 * base))
        _set_px(self.step_label, 26 * unit)
        _set_px(self.title_label, 60 * unit, bold=True)
        _set_px(self.timer_label, 110 * unit, bold=True)
        _set_px(self.timer_caption, 26 * unit)
        side = max(120, min(round(self.width() * 0.2), round(self.height() * 0.36)))
        self.qr_code.setFixedSize(side, side)
        self.qr_panel.setFixedWidth(side + round(16 * base))
        for label, largest, bold in ((self.qr_hint, 26 * unit, False),
                                     (self.qr_url_label, 40 * unit, True)):
            text = label.text()
            most = max(12, round(largest))
            px = fit_px(text, label.font(), side, largest=most, smallest=10) if text else most
            _set_px(label, px, bold=bold)

    def _place_overlay(self) -> None:
        """Over the step (never over the QR code), most of its width and height."""
        area = QRect(self.pages.mapTo(self, QPoint(0, 0)), self.pages.size())
        width, height = round(area.width() * 0.86), round(area.height() * 0.8)
        self.card_overlay.setGeometry(area.left() + (area.width() - width) // 2,
                                      area.top() + (area.height() - height) // 2, width, height)

    # ----------------------------------------------------------------- events

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_sizes()
        if self.card_overlay.isVisible():
            self._place_overlay()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_sizes()
        self._relayout_pages()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        super().closeEvent(event)
        self.closed.emit()


__all__ = ["AudienceWindow", "BoardPage", "CardOverlay", "MapPage", "PrinciplesPage",
           "ValuesPage", "board_rows", "count_text"]
