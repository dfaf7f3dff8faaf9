"""Colours and type sizes for the expectations board, chosen to survive a washed-out projector.

Post-its are light fills with near-black text (WCAG contrast of at least 7:1 on every fill, which
a test checks); the selection outline is a dark blue that stands out on every fill. The colour
maths is pure Python so it can be tested without Qt; ``board_font`` imports QtGui only when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workshopkit.model import Colour, Column

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

# ----------------------------------------------------------------------------- colours

TEXT_COLOUR = "#111111"
"""Text on every post-it, group header and prompt."""

POSTIT_FILLS: dict[Colour, str] = {
    Colour.YELLOW: "#FFEB7A",
    Colour.PINK: "#FFBAD5",
    Colour.BLUE: "#AFD8FF",
    Colour.GREEN: "#B8EBA8",
    Colour.ORANGE: "#FFC985",
    Colour.PURPLE: "#D9C6FF",
}

SELECTION_COLOUR = "#0A3A8F"
"""Outline (and tick badge) of a selected post-it: at least 3:1 against every fill."""

SELECTION_BADGE_TEXT = "#FFFFFF"
FOCUS_COLOUR = "#111111"
SHARED_BADGE_FILL = "#1A1A1A"
SHARED_BADGE_TEXT = "#FFFFFF"

BOARD_BACKGROUND = "#F4F5F7"
COLUMN_BACKGROUND = "#DDE1E7"
GROUP_HEADER_FILL = "#FFFFFF"
GROUP_LINE_COLOUR = "#3D4450"
DROP_INDICATOR_COLOUR = "#C2185B"
PROMPTS_BACKGROUND = "#FFFDF2"
PROMPTS_BORDER = "#8A8470"
MUTED_TEXT = "#3D4450"
"""Secondary text (counts, hints) on the light board and column backgrounds."""

COLUMN_HEADER_COLOURS: dict[Column, tuple[str, str]] = {
    Column.UNIVERSITIES: ("#1C4A86", "#FFFFFF"),
    Column.SHARED: ("#5E2A84", "#FFFFFF"),
    Column.CIVIC: ("#175632", "#FFFFFF"),
}
"""(fill, text) of each column's heading band."""

# ----------------------------------------------------------------------------- sizes

CARD_FONT_RATIO = 0.05
"""Card text px per px of column width: a 520 px column (1920 px window) gives 26 px text."""

MIN_CARD_PX = 14
MAX_CARD_PX = 96
HEADING_RATIO = 1.3
ZOOM_STEPS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5, 3.0)


def card_font_px(column_width: float, zoom: float = 1.0) -> int:
    """Card text size in pixels for a column of this width, readable from the back of a room."""
    base = max(MIN_CARD_PX, round(column_width * CARD_FONT_RATIO))
    return int(max(8, min(MAX_CARD_PX, round(base * zoom))))


def heading_font_px(card_px: int) -> int:
    return round(card_px * HEADING_RATIO)


def next_zoom(zoom: float, step: int) -> float:
    """The next zoom level up (``step`` 1) or down (-1) from ``zoom``."""
    if step > 0:
        bigger = [z for z in ZOOM_STEPS if z > zoom + 1e-6]
        return bigger[0] if bigger else ZOOM_STEPS[-1]
    smaller = [z for z in ZOOM_STEPS if z < zoom - 1e-6]
    return smaller[-1] if smaller else ZOOM_STEPS[0]


def board_font(base_px: int, *, bold: bool = False, italic: bool = False,
               scale: float = 1.0) -> QFont:
    """The app font at ``base_px * scale`` pixels (pixel sizes keep projectors predictable)."""
    from PySide6.QtGui import QFont, QGuiApplication

    font = QFont(QGuiApplication.font())
    font.setPixelSize(max(6, round(base_px * scale)))
    font.setBold(bold)
    font.setItalic(italic)
    return font


# ----------------------------------------------------------------------------- colour maths


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"Not a #RRGGBB colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB ``#RRGGBB`` colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio between two colours, from 1.0 (same) to 21.0 (black on white)."""
    a, b = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def shade(colour: str, factor: float) -> str:
    """``colour`` mixed towards black by ``factor`` (0 keeps it, 1 is black)."""
    r, g, b = (round(c * (1 - factor)) for c in _channels(colour))
    return f"#{r:02X}{g:02X}{b:02X}"


def postit_fill(colour: Colour | str) -> str:
    try:
        return POSTIT_FILLS[Colour(colour)]
    except ValueError:
        return POSTIT_FILLS[Colour.YELLOW]


def postit_border(colour: Colour | str) -> str:
    """A darker edge of the same hue, so cards stay distinct when the projector washes fills out."""
    return shade(postit_fill(colour), 0.45)
