"""Paints post-its as coloured cards and group headers as labelled tabs, always as plain text.

Text is laid out with :class:`QTextLayout` (never rich text), so a post-it reading ``<b>hi</b>``
shows exactly those characters. Row heights are cached by (text, width, font size), which keeps
laying out 1,000 cards fast. :class:`CardPainter` is shared with the PNG export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from workshopkit.model import Group, PostIt
from workshopkit.ui import theme
from workshopkit.ui.board_model import (
    GroupRole,
    LastInGroupRole,
    MemberCountRole,
    PostItRole,
    VotesRole,
    count_text,
)

SHARED_BADGE = "★ Shared"
HIGHLIGHT_COLOUR = "#E65100"
"""The ring round a post-it that has just arrived from a phone (fades out)."""
VOTE_BADGE_FILL = "#0A3A8F"
VOTE_BADGE_TEXT = "#FFFFFF"
_CACHE_LIMIT = 20000
_LAYOUT_CACHE_LIMIT = 3000
"""Laid-out card texts kept for repainting: more than a board shows at once at any zoom."""


@dataclass(frozen=True, slots=True)
class CardMetrics:
    """Spacing that scales with the card font, so zooming keeps the proportions."""

    px: int
    gap: int
    margin: int
    indent: int
    padding: int
    radius: float
    border: float
    selection: float
    badge_px: int
    group_px: int

    @classmethod
    def for_px(cls, px: int) -> CardMetrics:
        return cls(
            px=px,
            gap=max(6, round(px * 0.5)),
            margin=max(6, round(px * 0.45)),
            indent=max(10, round(px * 0.9)),
            padding=max(6, round(px * 0.55)),
            radius=max(3.0, px * 0.22),
            border=max(1.0, px * 0.06),
            selection=max(3.0, px * 0.17),
            badge_px=max(10, round(px * 0.7)),
            group_px=max(12, round(px * 0.95)),
        )

    @property
    def top(self) -> int:
        return self.gap // 2

    @property
    def bottom(self) -> int:
        return self.gap - self.gap // 2



def text_layout(text: str, font: QFont, width: float,
                align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> tuple[QTextLayout, float]:
    """``text`` laid out as plain text in ``width``; returns the layout and its height."""
    layout = QTextLayout(text.replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setAlignment(align)
    layout.setTextOption(option)
    layout.setCacheEnabled(True)
    height = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width))
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return layout, height

class CardPainter:
    """Measures and paints cards; keeps a cache of wrapped text heights."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, bool], QFont] = {}
        self._heights: dict[tuple[str, int, int, bool], float] = {}
        self._layouts: dict[tuple[str, int, float], tuple[QTextLayout, float]] = {}

    # ----------------------------------------------------------------- fonts and text

    def font(self, px: int, bold: bool = False) -> QFont:
        key = (px, bold)
        font = self._fonts.get(key)
        if font is None:
            font = theme.board_font(px, bold=bold)
            self._fonts[key] = font
        return font

    def clear_cache(self) -> None:
        self._heights.clear()
        self._fonts.clear()
        self._layouts.clear()

    def card_text_layout(self, text: str, px: int, width: float) -> tuple[QTextLayout, float]:
        """A card's wrapped text, laid out once and reused by every repaint (a busy board
        repaints its columns many times a second; laying out again costs dozens of Qt calls)."""
        key = (text, px, width)
        found = self._layouts.get(key)
        if found is None:
            if len(self._layouts) > _LAYOUT_CACHE_LIMIT:
                self._layouts.clear()
            found = self._layouts[key] = self.layout(text, self.font(px), width)
        return found

    @staticmethod
    def layout(text: str, font: QFont, width: float) -> tuple[QTextLayout, float]:
        """Lay plain ``text`` out in ``width``; returns the layout and its height."""
        return text_layout(text, font, width)

    def text_height(self, text: str, px: int, width: int, bold: bool = False) -> float:
        key = (text, width, px, bold)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > _CACHE_LIMIT:
                self._heights.clear()
            _, height = self.layout(text, self.font(px, bold), width)
            self._heights[key] = height
        return height

    # ----------------------------------------------------------------- geometry

    def badge_size(self, m: CardMetrics) -> QSize:
        metrics = QFontMetricsF(self.font(m.badge_px, True))
        width = metrics.horizontalAdvance(SHARED_BADGE) + m.badge_px
        return QSize(round(width), round(metrics.height() + m.badge_px * 0.35))

    def card_rect(self, rect: QRect, m: CardMetrics, grouped: bool) -> QRect:
        left = m.margin + (m.indent if grouped else 0)
        return rect.adjusted(left, m.top, -m.margin, -m.bottom)

    def vote_badge_size(self, m: CardMetrics, votes: int) -> QSize:
        """The tally badge: large enough to read from the back of the room."""
        metrics = QFontMetricsF(self.font(m.px, True))
        height = metrics.height() + m.badge_px * 0.35
        width = max(height, metrics.horizontalAdvance(vote_text(votes)) + m.badge_px)
        return QSize(round(width), round(height))

    def postit_height(self, postit: PostIt, width: int, px: int,
                      votes: int | None = None) -> int:
        m = CardMetrics.for_px(px)
        card_width = width - 2 * m.margin - (m.indent if postit.group_id else 0)
        text_width = max(10, card_width - 2 * m.padding)
        height = m.padding * 2 + self.text_height(postit.text, px, text_width)
        badges = []
        if postit.shared:
            badges.append(self.badge_size(m).height())
        if votes is not None:
            badges.append(self.vote_badge_size(m, votes).height())
        if badges:
            height += m.padding * 0.6 + max(badges)
        return int(m.gap + height + 0.999)

    def _count_width(self, m: CardMetrics, members: int) -> float:
        metrics = QFontMetricsF(self.font(m.badge_px, False))
        return metrics.horizontalAdvance(count_text(members)) + m.badge_px

    def _group_name_width(
        self, group: Group, members: int, tab_width: float, m: CardMetrics
    ) -> tuple[float, bool]:
        """Width for the group's name, and whether the count goes on its own line below.

        The count moves below when the name's longest word would not fit beside it, so a
        narrow column never breaks a word in the middle.
        """
        full = max(10.0, tab_width - 2 * m.padding)
        beside = full - self._count_width(m, members) - m.padding
        metrics = QFontMetricsF(self.font(m.group_px, True))
        longest = max((metrics.horizontalAdvance(word) for word in group.name.split()),
                      default=0.0)
        if longest <= beside:
            return max(10.0, beside), False
        return full, True

    def group_height(self, group: Group, members: int, width: int, px: int) -> int:
        m = CardMetrics.for_px(px)
        inner = width - 2 * m.margin
        name_width, below = self._group_name_width(group, members, inner, m)
        name_h = self.text_height(group.name, m.group_px, int(name_width), True)
        count_h = QFontMetricsF(self.font(m.badge_px)).height()
        height = m.padding * 1.2 + (name_h + count_h if below else max(name_h, count_h))
        return int(m.gap + height + 0.999)

    # ----------------------------------------------------------------- painting

    def paint_postit(
        self,
        painter: QPainter,
        rect: QRect,
        postit: PostIt,
        px: int,
        *,
        selected: bool = False,
        focused: bool = False,
        dimmed: bool = False,
        last_in_group: bool = True,
        highlight: float = 0.0,
        votes: int | None = None,
    ) -> None:
        m = CardMetrics.for_px(px)
        grouped = postit.group_id is not None
        card = QRectF(self.card_rect(rect, m, grouped))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if highlight > 0:
            glow = QColor(HIGHLIGHT_COLOUR)
            glow.setAlphaF(max(0.0, min(1.0, highlight)))
            width = m.selection * 1.4
            painter.setPen(QPen(glow, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            ring = card.adjusted(-width / 2, -width / 2 + 1, width / 2, width / 2 - 1)
            painter.drawRoundedRect(ring, m.radius + width / 2, m.radius + width / 2)
        if grouped:
            bottom = card.center().y() if last_in_group else float(rect.bottom() + 1)
            self._paint_group_line(painter, rect, m, float(rect.top()), bottom)
            x = rect.left() + m.margin + m.indent * 0.4
            middle = card.center().y()
            painter.drawLine(QPointF(x, middle), QPointF(card.left(), middle))
        if dimmed:
            painter.setOpacity(0.35)
        shadow = card.translated(0, max(1.0, m.border * 1.5))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 45))
        painter.drawRoundedRect(shadow, m.radius, m.radius)
        painter.setBrush(QColor(theme.postit_fill(postit.colour)))
        painter.setPen(QPen(QColor(theme.postit_border(postit.colour)), m.border))
        half = m.border / 2
        painter.drawRoundedRect(card.adjusted(half, half, -half, -half), m.radius, m.radius)

        text_width = max(10, card.width() - 2 * m.padding)
        layout, text_h = self.card_text_layout(postit.text, px, text_width)
        painter.setPen(QColor(theme.TEXT_COLOUR))
        layout.draw(painter, QPointF(card.left() + m.padding, card.top() + m.padding))
        badge_top = card.top() + m.padding + text_h + m.padding * 0.6
        if postit.shared:
            self._paint_shared_badge(painter, m, QPointF(card.left() + m.padding, badge_top))
        if votes is not None:
            self._paint_vote_badge(painter, m, votes, card.right() - m.padding, badge_top)
        painter.setOpacity(1.0)
        self._paint_state(painter, card, m, selected=selected, focused=focused)
        painter.restore()

    def paint_group(
        self,
        painter: QPainter,
        rect: QRect,
        group: Group,
        members: int,
        px: int,
        *,
        selected: bool = False,
        focused: bool = False,
        drop_target: bool = False,
    ) -> None:
        m = CardMetrics.for_px(px)
        tab = QRectF(rect.adjusted(m.margin, m.top, -m.margin, -m.bottom))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if members:
            self._paint_group_line(painter, rect, m, tab.bottom(), float(rect.bottom() + 1))
        painter.setBrush(QColor(theme.GROUP_HEADER_FILL))
        line_width = m.border * (2.5 if drop_target else 1.5)
        colour = theme.DROP_INDICATOR_COLOUR if drop_target else theme.GROUP_LINE_COLOUR
        painter.setPen(QPen(QColor(colour), line_width))
        half = line_width / 2
        painter.drawRoundedRect(tab.adjusted(half, half, -half, -half), m.radius, m.radius)

        count_w = self._count_width(m, members)
        name_width, below = self._group_name_width(group, members, tab.width(), m)
        layout, name_h = self.layout(group.name, self.font(m.group_px, True), name_width)
        top = tab.top() + m.padding * 0.6
        painter.setPen(QColor(theme.TEXT_COLOUR))
        layout.draw(painter, QPointF(tab.left() + m.padding, top))
        count_font = self.font(m.badge_px)
        painter.setFont(count_font)
        painter.setPen(QColor(theme.MUTED_TEXT))
        first_line = QFontMetricsF(self.font(m.group_px, True)).height()
        count_h = QFontMetricsF(count_font).height()
        if below:
            count_rect = QRectF(tab.left() + m.padding, top + name_h, count_w, count_h)
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        else:
            count_rect = QRectF(tab.right() - m.padding - count_w,
                                top + max(0.0, (first_line - count_h) / 2), count_w, count_h)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        painter.drawText(count_rect, int(align), count_text(members))
        self._paint_state(painter, tab, m, selected=selected, focused=focused)
        painter.restore()

    def _paint_group_line(
        self, painter: QPainter, rect: QRect, m: CardMetrics, top: float, bottom: float
    ) -> None:
        x = rect.left() + m.margin + m.indent * 0.4
        pen = QPen(QColor(theme.GROUP_LINE_COLOUR), max(2.0, m.px * 0.12))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _paint_shared_badge(self, painter: QPainter, m: CardMetrics, at: QPointF) -> None:
        size = self.badge_size(m)
        badge = QRectF(at, size.toSizeF())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.SHARED_BADGE_FILL))
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        painter.setFont(self.font(m.badge_px, True))
        painter.setPen(QColor(theme.SHARED_BADGE_TEXT))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), SHARED_BADGE)

    def _paint_vote_badge(self, painter: QPainter, m: CardMetrics, votes: int, right: float,
                          top: float) -> None:
        size = self.vote_badge_size(m, votes)
        badge = QRectF(right - size.width(), top, size.width(), size.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(VOTE_BADGE_FILL))
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        painter.setFont(self.font(m.px, True))
        painter.setPen(QColor(VOTE_BADGE_TEXT))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), vote_text(votes))

    def _paint_state(
        self, painter: QPainter, card: QRectF, m: CardMetrics, *, selected: bool, focused: bool
    ) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if selected:
            width = m.selection
            painter.setPen(QPen(QColor(theme.SELECTION_COLOUR), width))
            ring = card.adjusted(-width / 2 + 1, -width / 2 + 1, width / 2 - 1, width / 2 - 1)
            painter.drawRoundedRect(ring, m.radius + width / 2, m.radius + width / 2)
            painter.setPen(QPen(QColor("#FFFFFF"), max(1.0, width / 3)))
            inner = card.adjusted(width / 2, width / 2, -width / 2, -width / 2)
            painter.drawRoundedRect(inner, max(1.0, m.radius - width / 2),
                                    max(1.0, m.radius - width / 2))
        if focused:
            outset = m.selection + 2
            pen = QPen(QColor(theme.FOCUS_COLOUR), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRoundedRect(card.adjusted(-outset, -outset + 1, outset, outset - 1),
                                    m.radius + outset, m.radius + outset)

    def paint_drop_line(self, painter: QPainter, rect: QRect, y: int, px: int) -> None:
        """The insertion line shown while dragging: a thick bar with round ends."""
        m = CardMetrics.for_px(px)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        thickness = max(4.0, px * 0.22)
        pen = QPen(QColor(theme.DROP_INDICATOR_COLOUR), thickness)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        left, right = rect.left() + m.margin, rect.right() - m.margin
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setBrush(QColor(theme.DROP_INDICATOR_COLOUR))
        painter.drawEllipse(QPointF(left, y), thickness, thickness)
        painter.restore()

    def paint_placeholder(self, painter: QPainter, rect: QRect, text: str, px: int) -> None:
        m = CardMetrics.for_px(px)
        painter.save()
        font = self.font(max(10, round(px * 0.8)))
        area = QRectF(rect.adjusted(m.margin * 2, m.margin * 2, -m.margin * 2, -m.margin))
        layout, _ = self.layout(text, font, area.width())
        painter.setPen(QColor(theme.MUTED_TEXT))
        layout.draw(painter, area.topLeft())
        painter.restore()


def vote_text(votes: int) -> str:
    """The tally on a card: a dot and the number ("● 3")."""
    return f"● {votes}"


def _no_highlight(_postit_id: int) -> float:
    return 0.0


class PostItDelegate(QStyledItemDelegate):
    """Draws the rows of a :class:`PostItsModel`; the board sets ``font_px`` as it scales."""

    def __init__(self, parent=None, painter: CardPainter | None = None) -> None:
        super().__init__(parent)
        self.cards = painter or CardPainter()
        self.font_px = 24
        self.dragging_ids: frozenset[int] = frozenset()
        self.drop_group_id: int | None = None
        self.highlight_of: Callable[[int], float] = _no_highlight
        """How strongly to highlight a post-it (1 = just arrived, 0 = not at all)."""

    def set_font_px(self, px: int) -> bool:
        """Use ``px`` for card text; returns whether it changed (the view must relayout)."""
        if px == self.font_px:
            return False
        self.font_px = px
        return True

    @staticmethod
    def _row_width(option: QStyleOptionViewItem) -> int:
        widget = option.widget
        if isinstance(widget, QAbstractItemView):
            return max(60, widget.viewport().width())
        return max(60, option.rect.width())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        width = self._row_width(option)
        postit = index.data(PostItRole)
        if postit is not None:
            return QSize(width, self.cards.postit_height(postit, width, self.font_px,
                                                         index.data(VotesRole)))
        group = index.data(GroupRole)
        if group is not None:
            members = index.data(MemberCountRole) or 0
            return QSize(width, self.cards.group_height(group, members, width, self.font_px))
        return QSize(width, 0)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus) and bool(
            option.widget is not None and option.widget.hasFocus()
        )
        postit = index.data(PostItRole)
        if postit is not None:
            self.cards.paint_postit(painter, option.rect, postit, self.font_px,
                                    selected=selected, focused=focused,
                                    dimmed=postit.id in self.dragging_ids,
                                    last_in_group=bool(index.data(LastInGroupRole)),
                                    highlight=self.highlight_of(postit.id),
                                    votes=index.data(VotesRole))
            return
        group = index.data(GroupRole)
        if group is not None:
            self.cards.paint_group(painter, option.rect, group, index.data(MemberCountRole) or 0,
                                   self.font_px, selected=selected, focused=focused,
                                   drop_target=group.id == self.drop_group_id)
