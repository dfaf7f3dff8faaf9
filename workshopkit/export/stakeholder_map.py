"""The stakeholder map as a one-page vector PDF or an SVG that looks like the canvas. No Qt.

The drawing follows the map's own rules (``exercises.stakeholders``): the same ellipse, rings,
areas and card points as the screen, scaled to fit one landscape page. User text goes into
reportlab ``String`` shapes, which draw it as it is (never as markup).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshopkit.exercises.stakeholders import (
    CARD_HEIGHT,
    CARD_WIDTH,
    DETAIL_FONT_SIZE,
    LABEL_FONT_SIZE,
    RING_EDGES,
    MapGeometry,
    area_index,
    area_name,
    card_summary,
    invite_list,
    map_areas,
    map_geometry,
)
from workshopkit.export.files import write_atomically
from workshopkit.model import (
    DEFAULT_RING_NAMES,
    RING_COUNT,
    InviteStatus,
    Stakeholder,
    StakeholderMap,
)

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing, Group

DOCUMENT_NAME = "Stakeholder map"
CREDIT_LINE = ("From the toolkit 'Equitable Partnerships for Civic Engagement', Gifford et al. "
               "2025, CC BY-NC 4.0")
A3_ABOVE_CARDS = 60  # more cards than this and the page is A3 landscape, not A4
MAX_LABEL_LINES = 3
MAX_SUMMARY_LINES = 2
MIN_LABEL_SCALE = 0.75  # a label shrinks this far, at most, so no word is split
ELLIPSIS = "\u2026"

TEXT = "#111111"
MUTED = "#3D4450"
OUTLINE = "#3D4450"
CARD_FILL = "#FFFFFF"
PAPER = "#FFFFFF"
RING_FILLS = ("#CFE1F2", "#E0ECF7", "#F1F6FB")  # centre to edge: light, calm, darker inside
STATUS_COLOURS = {
    InviteStatus.NOT_INVITED: None,  # an empty circle
    InviteStatus.INVITED: "#1C4A86",
    InviteStatus.AGREED: "#175632",
    InviteStatus.DECLINED: "#8A1C1C",
}

_PAD = 12.0
_LABEL_LEAD = LABEL_FONT_SIZE * 1.15
_DETAIL_LEAD = DETAIL_FONT_SIZE * 1.25
_AREA_FONT_SIZE = LABEL_FONT_SIZE * 1.15
_AREA_WIDTH = CARD_WIDTH * 2.2
_RING_FONT_SIZE = DETAIL_FONT_SIZE * 1.2
_LINK_WIDTH = 3.0
_ARROW = 20.0
_SVG_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif"


class _Fonts:
    """The regular and bold font names, and how SVG viewers should find them."""

    def __init__(self) -> None:
        from workshopkit.export.qr import _fonts

        self.regular, self.bold = _fonts()

    def svg_hacks(self) -> dict[str, dict[str, str]]:
        family = _SVG_FAMILY if self.regular != "Helvetica" else "Helvetica, Arial, sans-serif"
        return {self.regular: {"family": family, "weight": "normal"},
                self.bold: {"family": family, "weight": "bold"}}


# --------------------------------------------------------------------------- text fitting


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def fit_line(text: str, font: str, size: float, width: float, *, force_ellipsis: bool = False
             ) -> str:
    """``text`` on one line no wider than ``width``, cut short with an ellipsis if need be."""
    if not force_ellipsis and _width(text, font, size) <= width:
        return text
    cut = text.rstrip()
    while cut and _width(cut + ELLIPSIS, font, size) > width:
        cut = cut[:-1].rstrip()
    return cut + ELLIPSIS


def wrap_text(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Break ``text`` at spaces (or inside a word too long for a line) into at most
    ``max_lines`` lines no wider than ``width``; the last line ends in an ellipsis if text is
    left over."""
    lines: list[str] = []
    current = ""
    words = text.split()
    index = 0
    while index < len(words):
        word = words[index]
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= width:
            current = candidate
            index += 1
            continue
        if current:
            lines.append(current)
            current = ""
        else:  # a single word wider than the line: break it
            cut = len(word) - 1
            while cut > 1 and _width(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            words[index] = word[cut:]
        if len(lines) == max_lines:
            rest = " ".join([current, *words[index:]]).strip()
            if rest:
                lines[-1] = fit_line(lines[-1], font, size, width, force_ellipsis=True)
            return lines
    if current:
        lines.append(current)
    return lines


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class CardLayout:
    """A card as drawn: its centre and size in scene units (y down) and its lines of text."""

    stakeholder: Stakeholder
    x: float
    y: float
    width: float
    height: float
    label_lines: tuple[str, ...]
    summary: tuple[str, ...]
    status: str
    label_size: float = LABEL_FONT_SIZE

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x - self.width / 2, self.y - self.height / 2,
                self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True)
class AreaLabel:
    lines: tuple[str, ...]
    x: float
    y: float  # baseline of the first line
    anchor: str  # "start", "middle" or "end"


def _card_layout(stakeholder: Stakeholder, x: float, y: float, fonts: _Fonts) -> CardLayout:
    inner = CARD_WIDTH - 2 * _PAD
    longest = max((_width(word, fonts.bold, LABEL_FONT_SIZE) for word in stakeholder.label.split()),
                  default=0.0)
    label_size = LABEL_FONT_SIZE
    if longest > inner:  # shrink rather than split a long word such as "Communications"
        label_size = LABEL_FONT_SIZE * max(MIN_LABEL_SCALE, inner / longest)
    label = wrap_text(stakeholder.label, fonts.bold, label_size, inner, MAX_LABEL_LINES)
    summary = wrap_text(card_summary(stakeholder), fonts.regular, DETAIL_FONT_SIZE, inner,
                        MAX_SUMMARY_LINES)
    status = fit_line(stakeholder.status.label, fonts.regular, DETAIL_FONT_SIZE,
                      inner - DETAIL_FONT_SIZE)
    height = 2 * _PAD + len(label) * _LABEL_LEAD + (len(summary) + 1) * _DETAIL_LEAD
    return CardLayout(stakeholder, x, y, CARD_WIDTH, max(CARD_HEIGHT, height), tuple(label),
                      tuple(summary), status, label_size)


def _area_label(geometry: MapGeometry, area: int, name: str, fonts: _Fonts) -> AreaLabel:
    theta = math.radians(geometry.area_label_angle(area))
    cos, sin = math.cos(theta), math.sin(theta)
    # A name beside the map takes a narrow column: the page is shorter than the map is wide.
    width = _AREA_WIDTH if abs(cos) < 0.5 else _AREA_WIDTH / 2
    lines = wrap_text(name, fonts.bold, _AREA_FONT_SIZE, width, 4) or [""]
    gap = _AREA_FONT_SIZE * 0.6
    x = geometry.rx * cos + gap * (1 if cos > 0.2 else -1 if cos < -0.2 else 0)
    edge_y = geometry.ry * sin
    lead = _AREA_FONT_SIZE * 1.15
    if sin <= 0:  # upper half: the block of lines sits above the edge
        first = edge_y - gap - (len(lines) - 1) * lead
    else:
        first = edge_y + gap + _AREA_FONT_SIZE * 0.8
    anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
    return AreaLabel(tuple(lines), x, first, anchor)


def _area_label_box(label: AreaLabel, fonts: _Fonts) -> tuple[float, float, float, float]:
    width = max(_width(line, fonts.bold, _AREA_FONT_SIZE) for line in label.lines)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    lead = _AREA_FONT_SIZE * 1.15
    top = label.y - _AREA_FONT_SIZE
    bottom = label.y + (len(label.lines) - 1) * lead + _AREA_FONT_SIZE * 0.3
    return left, top, left + width, bottom


@dataclass(frozen=True)
class MapLayout:
    geometry: MapGeometry
    areas: tuple[str, ...]
    ring_names: tuple[str, ...]
    cards: tuple[CardLayout, ...]
    area_labels: tuple[AreaLabel, ...]
    extent: tuple[float, float, float, float]  # left, top, right, bottom in scene units


def layout_map(stakeholder_map: StakeholderMap, fonts: _Fonts | None = None) -> MapLayout:
    """Where everything goes, in the canvas's scene units (origin at the centre, y down)."""
    fonts = fonts or _Fonts()
    areas = map_areas(stakeholder_map.organisations, stakeholder_map.stakeholders)
    geometry = map_geometry(len(areas), len(stakeholder_map.stakeholders))
    cards = []
    for ring in invite_list(stakeholder_map):
        for entry in ring.entries:
            s = entry.stakeholder
            x, y = geometry.point(area_index(areas, s.organisation_id), s.ring, s.across,
                                  s.depth)
            cards.append(_card_layout(s, x, y, fonts))
    names = tuple(area_name(a) for a in areas)
    labels = tuple(_area_label(geometry, i, name, fonts) for i, name in enumerate(names))
    left, top, width, height = geometry.bounds()
    boxes = [(left, top, left + width, top + height)]
    boxes += [card.box for card in cards]
    boxes += [_area_label_box(label, fonts) for label in labels]
    extent = (min(b[0] for b in boxes), min(b[1] for b in boxes),
              max(b[2] for b in boxes), max(b[3] for b in boxes))
    ring_names = tuple(stakeholder_map.ring_names[i] or DEFAULT_RING_NAMES[i]
                       for i in range(RING_COUNT))
    return MapLayout(geometry, names, ring_names, tuple(cards), labels, extent)


# --------------------------------------------------------------------------- drawing


def _colour(value: str | None) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor(value) if value else None


def _text(x: float, y: float, text: str, font: str, size: float, colour: str = TEXT,
          anchor: str = "start", css_class: str = "") -> Any:
    """A plain-text string at scene point (x, y), y down."""
    from reportlab.graphics.shapes import String

    shape = String(x, -y, text, fontName=font, fontSize=size, fillColor=_colour(colour),
                   textAnchor=anchor)
    if css_class:
        shape._svgAttrs = {"class": css_class}
    return shape


def _draw_rings(group: Group, layout: MapLayout, fonts: _Fonts) -> None:
    from reportlab.graphics.shapes import Ellipse, Line, Rect

    g = layout.geometry
    for ring in reversed(range(RING_COUNT)):
        edge = RING_EDGES[ring]
        group.add(Ellipse(0, 0, g.rx * edge, g.ry * edge, fillColor=_colour(RING_FILLS[ring]),
                          strokeColor=_colour(OUTLINE), strokeWidth=3))
    if g.areas > 1:
        for area in range(g.areas):
            theta = math.radians(g.area_span(area)[0])
            group.add(Line(0, 0, g.rx * math.cos(theta), -g.ry * math.sin(theta),
                           strokeColor=_colour(OUTLINE), strokeWidth=3))
    for ring, name in enumerate(layout.ring_names):
        text = fit_line(name, fonts.bold, _RING_FONT_SIZE, g.rx * 0.5)
        width = _width(text, fonts.bold, _RING_FONT_SIZE)
        baseline = -g.ry * RING_EDGES[ring] + _RING_FONT_SIZE * 1.5
        group.add(Rect(-width / 2 - 8, -(baseline + _RING_FONT_SIZE * 0.35), width + 16,
                       _RING_FONT_SIZE * 1.4, rx=6, ry=6, fillColor=_colour(RING_FILLS[ring]),
                       strokeColor=None))
        group.add(_text(0, baseline, text, fonts.bold, _RING_FONT_SIZE, MUTED, "middle",
                        "ring-name"))


def _draw_area_names(group: Group, layout: MapLayout, fonts: _Fonts) -> None:
    lead = _AREA_FONT_SIZE * 1.15
    for label in layout.area_labels:
        for i, line in enumerate(label.lines):
            group.add(_text(label.x, label.y + i * lead, line, fonts.bold, _AREA_FONT_SIZE, TEXT,
                            label.anchor, "area-name"))


def _edge_point(card: CardLayout, dx: float, dy: float) -> float:
    """How far along (dx, dy) from the card's centre its outline is."""
    limits = []
    if abs(dx) > 1e-9:
        limits.append(card.width / 2 / abs(dx))
    if abs(dy) > 1e-9:
        limits.append(card.height / 2 / abs(dy))
    return min(limits) if limits else 0.0


def _draw_links(group: Group, labels: Group, stakeholder_map: StakeholderMap,
                cards: dict[int, CardLayout], fonts: _Fonts) -> None:
    from reportlab.graphics.shapes import Line, Polygon, Rect

    ink = _colour(OUTLINE)
    for link in stakeholder_map.links:
        source, target = cards.get(link.source_id), cards.get(link.target_id)
        if source is None or target is None:
            continue
        dx, dy = target.x - source.x, target.y - source.y
        length = math.hypot(dx, dy)
        if length < 1e-6:
            continue
        ux, uy = dx / length, dy / length
        start = _edge_point(source, ux, uy)
        end = length - _edge_point(target, ux, uy)
        if end - start > _ARROW:
            x1, y1 = source.x + ux * start, source.y + uy * start
            x2, y2 = source.x + ux * end, source.y + uy * end
            bx, by = x2 - ux * _ARROW, y2 - uy * _ARROW
            group.add(Line(x1, -y1, bx, -by, strokeColor=ink, strokeWidth=_LINK_WIDTH))
            half = _ARROW * 0.45
            group.add(Polygon([x2, -y2, bx - uy * half, -(by + ux * half),
                               bx + uy * half, -(by - ux * half)],
                              fillColor=ink, strokeColor=ink, strokeWidth=1))
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        else:  # the cards touch: no room for a line, the label still says how they relate
            mx, my = (source.x + target.x) / 2, (source.y + target.y) / 2
        if link.label:
            text = fit_line(link.label, fonts.regular, DETAIL_FONT_SIZE, CARD_WIDTH * 1.2)
            width = _width(text, fonts.regular, DETAIL_FONT_SIZE)
            labels.add(Rect(mx - width / 2 - 6, -(my + DETAIL_FONT_SIZE * 0.75), width + 12,
                            DETAIL_FONT_SIZE * 1.5, rx=5, ry=5, fillColor=_colour(PAPER),
                            strokeColor=ink, strokeWidth=1.5))
            labels.add(_text(mx, my + DETAIL_FONT_SIZE * 0.35, text, fonts.regular,
                             DETAIL_FONT_SIZE, TEXT, "middle", "link-label"))


def _draw_card(card: CardLayout, fonts: _Fonts) -> Group:
    from reportlab.graphics.shapes import Circle, Group, Rect

    s = card.stakeholder
    css = f"card-{s.id}"
    left, top, _right, _bottom = card.box
    group = Group()
    outline = Rect(left, -(top + card.height), card.width, card.height, rx=14, ry=14,
                   fillColor=_colour(CARD_FILL), strokeColor=_colour(OUTLINE), strokeWidth=2.5,
                   strokeDashArray=[8, 6] if s.status is InviteStatus.DECLINED else None)
    outline._svgAttrs = {"id": css, "class": "card-frame"}
    group.add(outline)
    y = top + _PAD + LABEL_FONT_SIZE * 0.9  # the first label line's baseline
    for i, line in enumerate(card.label_lines):
        if i:
            y += _LABEL_LEAD
        group.add(_text(card.x, y, line, fonts.bold, card.label_size, TEXT, "middle",
                        f"{css} card-label"))
    y += LABEL_FONT_SIZE * 0.25 + DETAIL_FONT_SIZE * 1.05
    for line in card.summary:
        group.add(_text(card.x, y, line, fonts.regular, DETAIL_FONT_SIZE, MUTED, "middle",
                        f"{css} card-summary"))
        y += _DETAIL_LEAD
    dot = DETAIL_FONT_SIZE * 0.32
    width = _width(card.status, fonts.regular, DETAIL_FONT_SIZE) + dot * 2 + 6
    start = card.x - width / 2
    fill = STATUS_COLOURS[s.status]
    group.add(Circle(start + dot, -(y - DETAIL_FONT_SIZE * 0.35), dot,
                     fillColor=_colour(fill) if fill else _colour(CARD_FILL),
                     strokeColor=_colour(fill or MUTED), strokeWidth=2))
    group.add(_text(start + dot * 2 + 6, y, card.status, fonts.regular, DETAIL_FONT_SIZE, MUTED,
                    "start", f"{css} card-status"))
    return group


def _draw_key(drawing: Drawing, layout: MapLayout, fonts: _Fonts, x: float, y: float,
              size: float, width: float) -> None:
    """One line under the map: a swatch per ring (centre out), then what lines and dashes mean."""
    from reportlab.graphics.shapes import Rect, String

    def add_text(text: str) -> float:
        shape = String(x, y, text, fontName=fonts.regular, fontSize=size,
                       fillColor=_colour(MUTED))
        shape._svgAttrs = {"class": "key"}
        drawing.add(shape)
        return _width(text, fonts.regular, size)

    right = x + width
    x += add_text("Rings from the centre out: ") + 2
    for ring, name in enumerate(layout.ring_names):
        drawing.add(Rect(x, y - size * 0.1, size * 1.6, size * 0.9,
                         fillColor=_colour(RING_FILLS[ring]), strokeColor=_colour(OUTLINE),
                         strokeWidth=0.5))
        x += size * 1.6 + 3
        x += add_text(fit_line(name, fonts.regular, size, width / 6)) + size
    add_text(fit_line("Arrows show links between cards; a dashed card has declined.",
                      fonts.regular, size, max(size, right - x)))


def page_size(stakeholder_map: StakeholderMap) -> tuple[float, float]:
    """A4 landscape, or A3 landscape for a big map: always one page."""
    from reportlab.lib.pagesizes import A3, A4, landscape

    big = len(stakeholder_map.stakeholders) > A3_ABOVE_CARDS
    width, height = landscape(A3 if big else A4)
    return float(width), float(height)


def build_drawing(stakeholder_map: StakeholderMap, title: str, fonts: _Fonts | None = None
                  ) -> Drawing:
    """The whole page as a reportlab drawing: title, the scaled map, then key and credit."""
    from reportlab.graphics.shapes import Drawing, Group, Rect, String
    from reportlab.lib.units import mm

    fonts = fonts or _Fonts()
    layout = layout_map(stakeholder_map, fonts)
    page_w, page_h = page_size(stakeholder_map)
    margin = 12 * mm
    drawing = Drawing(page_w, page_h)
    drawing.add(Rect(0, 0, page_w, page_h, fillColor=_colour(PAPER), strokeColor=None))

    heading = _heading(title)
    size = 18.0
    usable = page_w - 2 * margin
    while size > 10 and _width(heading, fonts.bold, size) > usable:
        size -= 0.5
    heading = fit_line(heading, fonts.bold, size, usable)
    title_shape = String(margin, page_h - margin - size * 0.8, heading, fontName=fonts.bold,
                         fontSize=size, fillColor=_colour(TEXT))
    title_shape._svgAttrs = {"class": "title"}
    drawing.add(title_shape)

    small = 8.0
    _draw_key(drawing, layout, fonts, margin, margin + small * 1.5, small, usable)
    credit = String(margin, margin, fit_line(CREDIT_LINE, fonts.regular, small, usable),
                    fontName=fonts.regular, fontSize=small, fillColor=_colour(MUTED))
    credit._svgAttrs = {"class": "credit"}
    drawing.add(credit)

    top_room = size * 1.6 + 4 * mm
    bottom_room = small * 2.6 + 4 * mm
    box_w = usable
    box_h = page_h - 2 * margin - top_room - bottom_room
    left, top, right, bottom = layout.extent
    scale = min(box_w / (right - left), box_h / (bottom - top))
    origin_x = margin + (box_w - (right - left) * scale) / 2
    origin_y = margin + bottom_room + (box_h - (bottom - top) * scale) / 2
    # Scene (x, y down) is drawn as (x, -y); this maps it into the box on the page.
    scene = Group(transform=(scale, 0, 0, scale, origin_x - scale * left,
                             origin_y + scale * bottom))
    _draw_rings(scene, layout, fonts)
    _draw_area_names(scene, layout, fonts)
    cards = {card.stakeholder.id: card for card in layout.cards}
    link_labels = Group()
    _draw_links(scene, link_labels, stakeholder_map, cards, fonts)
    for card in layout.cards:
        scene.add(_draw_card(card, fonts))
    scene.add(link_labels)
    drawing.add(scene)
    return drawing


def _heading(title: str) -> str:
    return f"{title.strip()} \u2014 {DOCUMENT_NAME}" if title.strip() else DOCUMENT_NAME


def map_pdf_bytes(stakeholder_map: StakeholderMap, title: str) -> bytes:
    """The map on one landscape page, all vector (no raster images), fonts embedded."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    drawing = build_drawing(stakeholder_map, title)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(drawing.width, drawing.height), pageCompression=1)
    canvas.setTitle(_heading(title))
    canvas.setAuthor("workshopkit")
    canvas.setCreator("workshopkit")
    canvas.setSubject(CREDIT_LINE)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def map_svg_bytes(stakeholder_map: StakeholderMap, title: str) -> bytes:
    """The same page as SVG; each card is a ``<g id="card-<id>">`` (text escaped by the DOM)."""
    from reportlab.graphics import renderSVG

    fonts = _Fonts()
    drawing = build_drawing(stakeholder_map, title, fonts)
    canvas = renderSVG.SVGCanvas((drawing.width, drawing.height), encoding="utf-8",
                                 fontHacks=fonts.svg_hacks())
    renderSVG.draw(drawing, canvas)
    _tidy_svg(canvas.doc, _heading(title))
    out = io.StringIO()
    canvas.save(out)
    return out.getvalue().encode("utf-8")


def _tidy_svg(doc: Any, heading: str) -> None:
    """Name the document and give each card's group its id, for people who edit the SVG."""
    root = doc.documentElement
    for tag, text in (("title", heading), ("desc", CREDIT_LINE)):
        for node in root.getElementsByTagName(tag)[:1]:
            while node.firstChild is not None:
                node.removeChild(node.firstChild)
            node.appendChild(doc.createTextNode(text))
    for rect in root.getElementsByTagName("rect"):
        card_id = rect.getAttribute("id")
        parent = rect.parentNode
        if card_id.startswith("card-") and parent is not None and parent.tagName == "g":
            rect.removeAttribute("id")
            parent.setAttribute("id", card_id)
            parent.setAttribute("class", "card")


# --------------------------------------------------------------------------- files


def write_map_pdf(stakeholder_map: StakeholderMap, title: str, path: Path | str) -> Path:
    return write_atomically(path, map_pdf_bytes(stakeholder_map, title), "map PDF")


def write_map_svg(stakeholder_map: StakeholderMap, title: str, path: Path | str) -> Path:
    return write_atomically(path, map_svg_bytes(stakeholder_map, title), "map SVG")

