"""What the stakeholder map's scene is made of: the backdrop (rings, areas, names), cards, lines.

Every item lays its text out once, when its record changes, and keeps the lines as plain strings;
``paint`` only draws them with ``QPainter.drawText`` (never HTML). Cards and the backdrop are
cached in device coordinates, so panning and repainting a map of hundreds of cards copies
pixmaps instead of laying out text. Lines are cheap shapes and paint uncached: a long diagonal
line would otherwise cache a large, mostly empty pixmap.

The layout follows the PDF/SVG export (``workshopkit.export.stakeholder_map``), so the canvas and
the exported map look alike: the same ring fills, ring names at the top of each ring, area names
outside the ellipse near its top or bottom, and cards with their label, summary and invitation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from workshopkit.exercises.stakeholders import (
    CARD_HEIGHT,
    CARD_WIDTH,
    DETAIL_FONT_SIZE,
    LABEL_FONT_SIZE,
    RING_EDGES,
    MapGeometry,
    card_summary,
)
from workshopkit.model import RING_COUNT, InviteStatus, Stakeholder, StakeholderLink
from workshopkit.ui import theme
from workshopkit.ui.guidance_panel import plain_tooltip

# ----------------------------------------------------------------------------- look

TEXT = theme.TEXT_COLOUR
MUTED = theme.MUTED_TEXT
OUTLINE = "#3D4450"
BACKGROUND = "#FFFFFF"
CARD_FILL = "#FFFFFF"
SELECTED_CARD_FILL = "#FFF1A8"
"""A selected card turns pale yellow and gets a thick blue outline (not colour alone)."""
SELECTION = theme.SELECTION_COLOUR
FOCUS = theme.FOCUS_COLOUR
RING_FILLS: tuple[str, str, str] = ("#CFE1F2", "#E0ECF7", "#F1F6FB")
"""Centre to edge, as in the exported map."""
STATUS_COLOURS: dict[InviteStatus, str] = {
    InviteStatus.NOT_INVITED: MUTED,
    InviteStatus.INVITED: "#1C4A86",
    InviteStatus.AGREED: "#175632",
    InviteStatus.DECLINED: "#8A1C1C",
}
"""Ink of each invitation's symbol: an empty circle, an envelope, a tick, a cross."""

MAX_LABEL_LINES = 3
MAX_WIDEN = 1.25
"""A card may grow to this many times ``CARD_WIDTH`` to keep a long word whole."""
PAD = 12.0
LABEL_LEAD = LABEL_FONT_SIZE * 1.15
DETAIL_LEAD = DETAIL_FONT_SIZE * 1.25
CORNER = 14.0
BORDER = 2.5
SELECTION_WIDTH = 7.0
AREA_FONT_SIZE = LABEL_FONT_SIZE * 1.15
AREA_WIDTH = CARD_WIDTH * 2.2
AREA_MAX_LINES = 4
RING_FONT_SIZE = DETAIL_FONT_SIZE * 1.2
LINK_WIDTH = 3.0
ARROW = 20.0
LINK_LABEL_WIDTH = CARD_WIDTH * 1.2
_MARGIN = SELECTION_WIDTH + 6  # room outside a card for its selection and focus outlines

Z_BACKDROP = -10.0
Z_LINK = 0.0
Z_CARD = 1.0
Z_SELECTED_CARD = 2.0


@dataclass(frozen=True)
class Fonts:
    label: QFont
    detail: QFont
    area: QFont
    ring: QFont


def _font(px: float, bold: bool = False) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPixelSize(round(px))
    font.setBold(bold)
    # Unhinted metrics: text measured once keeps its width at every zoom level.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


@cache
def fonts() -> Fonts:
    """The map's fonts in scene units (built once, after the application exists)."""
    return Fonts(label=_font(LABEL_FONT_SIZE, True), detail=_font(DETAIL_FONT_SIZE),
                 area=_font(AREA_FONT_SIZE, True), ring=_font(RING_FONT_SIZE, True))


@cache
def _metrics(font_key: str) -> QFontMetricsF:
    return QFontMetricsF(getattr(fonts(), font_key))


def wrap(text: str, font_key: str, width: float, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines of ``width``; the last one elided."""
    if not text:
        return []
    font = getattr(fonts(), font_key)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout = QTextLayout(text, font)
    layout.setTextOption(option)
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[start:start + length].strip() for start, length in spans[:max_lines]]
    if len(spans) > max_lines:
        # The rest of the text is wider than a line, so eliding it ends the last line in "…".
        lines[-1] = elide(text[spans[max_lines - 1][0]:].strip(), font_key, width)
    return [line for line in lines if line]


def elide(text: str, font_key: str, width: float) -> str:
    return _metrics(font_key).elidedText(text, Qt.TextElideMode.ElideRight, width)


def advance(text: str, font_key: str) -> float:
    return _metrics(font_key).horizontalAdvance(text)


# ----------------------------------------------------------------------------- backdrop


@dataclass(frozen=True)
class AreaLabel:
    lines: tuple[str, ...]
    rect: QRectF
    align: Qt.AlignmentFlag


def area_label(geometry: MapGeometry, area: int, name: str) -> AreaLabel:
    theta = math.radians(geometry.area_label_angle(area))
    cos, sin = math.cos(theta), math.sin(theta)
    width = AREA_WIDTH if abs(cos) < 0.5 else AREA_WIDTH / 2
    lines = wrap(name, "area", width, AREA_MAX_LINES) or [""]
    lead = AREA_FONT_SIZE * 1.15
    block_w = max(advance(line, "area") for line in lines)
    block_h = (len(lines) - 1) * lead + AREA_FONT_SIZE * 1.3
    gap = AREA_FONT_SIZE * 0.6
    x = geometry.rx * cos + gap * (1 if cos > 0.2 else -1 if cos < -0.2 else 0)
    edge_y = geometry.ry * sin
    top = edge_y - gap - block_h if sin <= 0 else edge_y + gap
    if cos > 0.2:
        left, align = x, Qt.AlignmentFlag.AlignLeft
    elif cos < -0.2:
        left, align = x - block_w, Qt.AlignmentFlag.AlignRight
    else:
        left, align = x - block_w / 2, Qt.AlignmentFlag.AlignHCenter
    return AreaLabel(tuple(lines), QRectF(left, top, block_w, block_h), align)


class BackdropItem(QGraphicsItem):
    """The rings (centre out), the lines between areas and the ring and area names."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_BACKDROP)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.geometry: MapGeometry | None = None
        self.area_names: tuple[str, ...] = ()
        self.ring_names: tuple[str, ...] = ()
        self.area_labels: list[AreaLabel] = []
        self.ring_rects: list[QRectF] = []
        self._ring_texts: list[str] = []
        self._rect = QRectF()
        self._key: tuple[object, ...] = ()

    def set_map(self, geometry: MapGeometry, area_names: Sequence[str],
                ring_names: Sequence[str]) -> bool:
        """Lay the backdrop out again if anything it shows changed; True if it did."""
        key = (geometry, tuple(area_names), tuple(ring_names))
        if key == self._key:
            return False
        self.prepareGeometryChange()
        self._key = key
        self.geometry = geometry
        self.area_names = tuple(area_names)
        self.ring_names = tuple(ring_names)
        self.area_labels = [area_label(geometry, i, name) for i, name in enumerate(area_names)]
        self.ring_rects = []
        self._ring_texts = []
        for ring, name in enumerate(self.ring_names):
            text = elide(name, "ring", geometry.rx * 0.5)
            width = advance(text, "ring") + 24
            height = RING_FONT_SIZE * 1.5
            top = -geometry.ry * RING_EDGES[ring] + RING_FONT_SIZE * 0.5
            self.ring_rects.append(QRectF(-width / 2, top, width, height))
            self._ring_texts.append(text)
        rect = self.ellipse_rect()
        for label in self.area_labels:
            rect = rect.united(label.rect)
        self._rect = rect.adjusted(-BORDER * 2, -BORDER * 2, BORDER * 2, BORDER * 2)
        self.update()
        return True

    def ellipse_rect(self, ring: int = RING_COUNT - 1) -> QRectF:
        if self.geometry is None:
            return QRectF()
        rx = self.geometry.rx * RING_EDGES[ring]
        ry = self.geometry.ry * RING_EDGES[ring]
        return QRectF(-rx, -ry, 2 * rx, 2 * ry)

    def ring_name_at(self, point: QPointF) -> int | None:
        """The ring whose name label is under ``point`` (item coordinates), if any."""
        for ring, rect in enumerate(self.ring_rects):
            if rect.contains(point):
                return ring
        return None

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        g = self.geometry
        if g is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor(OUTLINE), BORDER * 1.2))
        for ring in reversed(range(RING_COUNT)):
            painter.setBrush(QColor(RING_FILLS[ring]))
            painter.drawEllipse(self.ellipse_rect(ring))
        if g.areas > 1:
            for area in range(g.areas):
                theta = math.radians(g.area_span(area)[0])
                painter.drawLine(QPointF(0, 0), QPointF(g.rx * math.cos(theta),
                                                        g.ry * math.sin(theta)))
        painter.setFont(fonts().ring)
        ascent = _metrics("ring").ascent()
        for ring, (rect, text) in enumerate(zip(self.ring_rects, self._ring_texts,
                                                strict=True)):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(RING_FILLS[ring]))
            painter.drawRoundedRect(rect, 8, 8)
            painter.setPen(QColor(MUTED))
            baseline = rect.top() + (rect.height() - RING_FONT_SIZE) / 2 + ascent * 0.95
            painter.drawText(QPointF(rect.center().x() - advance(text, "ring") / 2, baseline),
                             text)
        painter.setPen(QColor(TEXT))
        painter.setFont(fonts().area)
        area_ascent = _metrics("area").ascent()
        lead = AREA_FONT_SIZE * 1.15
        for label in self.area_labels:
            for number, line in enumerate(label.lines):
                width = advance(line, "area")
                if label.align == Qt.AlignmentFlag.AlignLeft:
                    x = label.rect.left()
                elif label.align == Qt.AlignmentFlag.AlignRight:
                    x = label.rect.right() - width
                else:
                    x = label.rect.center().x() - width / 2
                painter.drawText(QPointF(x, label.rect.top() + area_ascent + number * lead),
                                 line)


# ----------------------------------------------------------------------------- cards


def status_symbol(painter: QPainter, status: InviteStatus, centre: QPointF, size: float) -> None:
    """The invitation as a shape, so it reads without colour: circle, envelope, tick, cross."""
    half = size / 2
    pen = QPen(QColor(STATUS_COLOURS[status]), size * 0.16)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y = centre.x(), centre.y()
    if status is InviteStatus.NOT_INVITED:
        painter.drawEllipse(centre, half * 0.8, half * 0.8)
    elif status is InviteStatus.INVITED:
        box = QRectF(x - half, y - half * 0.7, size, size * 0.7)
        painter.drawRect(box)
        painter.drawPolyline(QPolygonF([box.topLeft(), QPointF(x, y + half * 0.1),
                                        box.topRight()]))
    elif status is InviteStatus.AGREED:
        painter.drawPolyline(QPolygonF([QPointF(x - half, y), QPointF(x - half * 0.25,
                                                                      y + half * 0.7),
                                        QPointF(x + half, y - half * 0.75)]))
    else:
        painter.drawLine(QPointF(x - half * 0.75, y - half * 0.75),
                         QPointF(x + half * 0.75, y + half * 0.75))
        painter.drawLine(QPointF(x - half * 0.75, y + half * 0.75),
                         QPointF(x + half * 0.75, y - half * 0.75))


class CardItem(QGraphicsItem):
    """One stakeholder card: movable, selectable, focusable; its centre is its position."""

    def __init__(self, stakeholder: Stakeholder, description: str = "") -> None:
        super().__init__()
        flags = (QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                 | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                 | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
                 | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setFlags(flags)
        self.setZValue(Z_CARD)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.links: list[LinkItem] = []
        self.stakeholder = stakeholder
        self.description = ""
        self.label_lines: list[str] = []
        self.summary = ""
        self.status_text = ""
        self.width = CARD_WIDTH
        self.height = CARD_HEIGHT
        self._label_x: list[float] = []
        self._summary_x = 0.0
        self._status_x = 0.0
        self._rect = QRectF()
        self._bounds = QRectF()
        self.set_stakeholder(stakeholder, description)

    @property
    def stakeholder_id(self) -> int:
        return self.stakeholder.id

    def set_stakeholder(self, stakeholder: Stakeholder, description: str) -> None:
        """Lay the card out again for new values (a no-op when nothing it shows changed)."""
        old = self.stakeholder
        same_look = (self._rect.isValid() and old.label == stakeholder.label
                     and card_summary(old) == card_summary(stakeholder)
                     and old.status is stakeholder.status)
        self.stakeholder = stakeholder
        if description != self.description:
            self.description = description
            self.setToolTip(plain_tooltip(description))
        if same_look:
            return
        # A card widens a little for a long word ("Communications") rather than split it.
        longest = max((advance(word, "label") for word in stakeholder.label.split()), default=0)
        self.width = min(CARD_WIDTH * MAX_WIDEN, max(CARD_WIDTH, math.ceil(longest) + 2 * PAD))
        inner = self.width - 2 * PAD
        self.label_lines = wrap(stakeholder.label, "label", inner, MAX_LABEL_LINES)
        summary = card_summary(stakeholder)
        self.summary = elide(summary, "detail", inner) if summary else ""
        symbol = DETAIL_FONT_SIZE
        self.status_text = elide(stakeholder.status.label, "detail", inner - symbol - 8)
        height = (2 * PAD + len(self.label_lines) * LABEL_LEAD
                  + (DETAIL_LEAD if self.summary else 0) + DETAIL_LEAD)
        self.height = max(CARD_HEIGHT, height)
        self._label_x = [-advance(line, "label") / 2 for line in self.label_lines]
        self._summary_x = -advance(self.summary, "detail") / 2
        status_w = symbol + 8 + advance(self.status_text, "detail")
        self._status_x = -status_w / 2
        self.prepareGeometryChange()
        self._rect = QRectF(-self.width / 2, -self.height / 2, self.width, self.height)
        self._bounds = self._rect.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        self.update()
        for link in self.links:
            link.adjust()

    def card_rect(self) -> QRectF:
        """The card's outline in item coordinates (centred on the origin)."""
        return self._rect

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, CORNER, CORNER)
        return path

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for link in self.links:
                link.adjust()
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(Z_SELECTED_CARD if value else Z_CARD)
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        rect = self._rect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        if focused:
            pen = QPen(QColor(FOCUS), 3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            grow = SELECTION_WIDTH + 3
            painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), CORNER + grow,
                                    CORNER + grow)
        border = QPen(QColor(OUTLINE), BORDER)
        if self.stakeholder.status is InviteStatus.DECLINED:
            border.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(border)
        painter.setBrush(QColor(SELECTED_CARD_FILL if selected else CARD_FILL))
        painter.drawRoundedRect(rect, CORNER, CORNER)
        if selected:
            painter.setPen(QPen(QColor(SELECTION), SELECTION_WIDTH))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = SELECTION_WIDTH / 2
            painter.drawRoundedRect(rect.adjusted(-half, -half, half, half), CORNER + half,
                                    CORNER + half)
        f = fonts()
        y = rect.top() + PAD + LABEL_FONT_SIZE * 0.9
        painter.setPen(QColor(TEXT))
        painter.setFont(f.label)
        for number, (line, x) in enumerate(zip(self.label_lines, self._label_x, strict=True)):
            painter.drawText(QPointF(x, y + number * LABEL_LEAD), line)
        y += (len(self.label_lines) - 1) * LABEL_LEAD if self.label_lines else -LABEL_LEAD
        y += LABEL_FONT_SIZE * 0.25 + DETAIL_FONT_SIZE * 1.05
        painter.setFont(f.detail)
        if self.summary:
            painter.setPen(QColor(MUTED))
            painter.drawText(QPointF(self._summary_x, y), self.summary)
            y += DETAIL_LEAD
        symbol = DETAIL_FONT_SIZE
        status_symbol(painter, self.stakeholder.status,
                      QPointF(self._status_x + symbol / 2, y - DETAIL_FONT_SIZE * 0.35),
                      symbol * 0.85)
        painter.setPen(QColor(MUTED))
        painter.drawText(QPointF(self._status_x + symbol + 8, y), self.status_text)


# ----------------------------------------------------------------------------- lines


def _edge_distance(rect: QRectF, ux: float, uy: float) -> float:
    """How far along the unit vector (ux, uy) from a rect's centre its outline is."""
    limits = []
    if abs(ux) > 1e-9:
        limits.append(rect.width() / 2 / abs(ux))
    if abs(uy) > 1e-9:
        limits.append(rect.height() / 2 / abs(uy))
    return min(limits) if limits else 0.0


class LinkItem(QGraphicsItem):
    """A line from one card's edge to another's, with an arrow head and a label on a pill."""

    def __init__(self, link: StakeholderLink, source: CardItem, target: CardItem) -> None:
        super().__init__()
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_LINK)
        self.link = link
        self.source = source
        self.target = target
        self.label_text = ""
        self._line = QLineF()
        self._arrow = QPolygonF()
        self._label_rect = QRectF()
        self._bounds = QRectF()
        self._shape = QPainterPath()
        source.links.append(self)
        target.links.append(self)
        self.set_link(link)

    @property
    def link_id(self) -> int:
        return self.link.id

    def set_link(self, link: StakeholderLink) -> None:
        self.link = link
        text = elide(link.label, "detail", LINK_LABEL_WIDTH) if link.label else ""
        self.label_text = text
        self.setToolTip(plain_tooltip(f"Line: {link.label}" if link.label else "Line"))
        self.adjust()

    def detach(self) -> None:
        """Forget the two cards (before the line leaves the scene)."""
        for card in (self.source, self.target):
            if self in card.links:
                card.links.remove(self)

    def adjust(self) -> None:
        """Follow the cards: recompute the line, the arrow head and the label's place."""
        a, b = self.source.pos(), self.target.pos()
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy)
        self.prepareGeometryChange()
        if length < 1e-6:
            self._line = QLineF()
            self._arrow = QPolygonF()
            middle = a
        else:
            ux, uy = dx / length, dy / length
            start = _edge_distance(self.source.card_rect(), ux, uy)
            end = length - _edge_distance(self.target.card_rect(), ux, uy)
            if end - start > ARROW:
                p1 = QPointF(a.x() + ux * start, a.y() + uy * start)
                p2 = QPointF(a.x() + ux * end, a.y() + uy * end)
                base = QPointF(p2.x() - ux * ARROW, p2.y() - uy * ARROW)
                half = ARROW * 0.45
                self._line = QLineF(p1, base)
                self._arrow = QPolygonF([p2, QPointF(base.x() - uy * half, base.y() + ux * half),
                                         QPointF(base.x() + uy * half, base.y() - ux * half)])
                middle = QPointF((p1.x() + p2.x()) / 2, (p1.y() + p2.y()) / 2)
            else:  # the cards touch: no room for a line; the label still says how they relate
                self._line = QLineF()
                self._arrow = QPolygonF()
                middle = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
        if self.label_text:
            width = advance(self.label_text, "detail") + 16
            height = DETAIL_FONT_SIZE * 1.5
            self._label_rect = QRectF(middle.x() - width / 2, middle.y() - height / 2, width,
                                      height)
        else:
            self._label_rect = QRectF()
        path = QPainterPath()
        if not self._line.isNull():
            path.moveTo(self._line.p1())
            path.lineTo(self._arrow[0])
        stroker = QPainterPathStroker()
        stroker.setWidth(18)
        shape = stroker.createStroke(path) if not path.isEmpty() else QPainterPath()
        if self._label_rect.isValid():
            shape.addRect(self._label_rect)
        self._shape = shape
        pad = SELECTION_WIDTH + ARROW
        bounds = QRectF(self._line.p1(), self._line.p2()).normalized() if not (
            self._line.isNull()) else QRectF(middle, middle)
        bounds = bounds.united(self._arrow.boundingRect()).adjusted(-pad, -pad, pad, pad)
        if self._label_rect.isValid():
            bounds = bounds.united(self._label_rect.adjusted(-4, -4, 4, 4))
        self._bounds = bounds

    def label_rect(self) -> QRectF:
        return self._label_rect

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        ink = QColor(SELECTION if selected else OUTLINE)
        if not self._line.isNull():
            pen = QPen(ink, SELECTION_WIDTH if selected else LINK_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(self._line)
            painter.setPen(QPen(ink, 1))
            painter.setBrush(QBrush(ink))
            painter.drawPolygon(self._arrow)
        if self.label_text:
            painter.setPen(QPen(ink, 3 if selected else 1.5))
            painter.setBrush(QColor(SELECTED_CARD_FILL if selected else BACKGROUND))
            painter.drawRoundedRect(self._label_rect, 6, 6)
            painter.setPen(QColor(TEXT))
            painter.setFont(fonts().detail)
            rect = self._label_rect
            baseline = rect.top() + (rect.height() - DETAIL_FONT_SIZE) / 2 + \
                _metrics("detail").ascent() * 0.95
            painter.drawText(QPointF(rect.left() + 8, baseline), self.label_text)
