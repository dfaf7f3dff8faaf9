"""How the audience window looks: three display themes, a text size, and post-it fills checked
for colour-vision deficiency.

Pure Python (no Qt), like :mod:`workshopkit.ui.theme`, so the colour maths is tested headless.

The colour-vision check simulates protanopia, deuteranopia and tritanopia with the matrices of
Machado, Oliveira and Fernandes (2009) at severity 1.0, applied in linear RGB, then measures
every pair of simulated fills with CIEDE2000. The board's own fills (``theme.POSTIT_FILLS``)
fail it (ΔE00 under 10): blue/purple under deuteranopia (0.3) and protanopia (3.4), pink/orange
(5.3) and blue/green (7.8) under tritanopia, green/orange (5.9), pink/blue (8.6), yellow/orange
(8.6) and yellow/green (9.2) under protanopia, yellow/orange (6.2) and green/orange (6.8) under
deuteranopia. The audience window therefore uses :data:`AUDIENCE_POSTIT_FILLS`: the same six
named colours nudged apart (orange deeper, purple greyer and darker, green and pink a little
paler) so every pair stays at least 12.5 apart for normal vision and all three deficiencies,
while near-black text keeps at least 7:1 on each.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

from workshopkit.model import Colour, Column
from workshopkit.ui import theme
from workshopkit.ui.theme import contrast_ratio

# ----------------------------------------------------------------------------- text size

MIN_TEXT_SCALE = 0.75
MAX_TEXT_SCALE = 2.0
TEXT_SCALES = (0.75, 0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
"""The steps a "larger / smaller text" control walks through."""


def clamp_text_scale(scale: float) -> float:
    """``scale`` kept within 0.75–2.0 (1.0 when it is not a number)."""
    try:
        value = float(scale)
    except (TypeError, ValueError):
        return 1.0
    if math.isnan(value):
        return 1.0
    return min(MAX_TEXT_SCALE, max(MIN_TEXT_SCALE, value))


def next_text_scale(scale: float, step: int) -> float:
    """The next text size up (``step`` 1) or down (-1) from ``scale``."""
    scale = clamp_text_scale(scale)
    if step > 0:
        bigger = [s for s in TEXT_SCALES if s > scale + 1e-6]
        return bigger[0] if bigger else TEXT_SCALES[-1]
    smaller = [s for s in TEXT_SCALES if s < scale - 1e-6]
    return smaller[-1] if smaller else TEXT_SCALES[0]


# ----------------------------------------------------------------------------- colour vision


class Deficiency(enum.StrEnum):
    PROTANOPIA = "protanopia"  # no long-wavelength (red) cones
    DEUTERANOPIA = "deuteranopia"  # no medium-wavelength (green) cones
    TRITANOPIA = "tritanopia"  # no short-wavelength (blue) cones

    @property
    def label(self) -> str:
        return self.value.capitalize()


Matrix = tuple[tuple[float, float, float], tuple[float, float, float],
               tuple[float, float, float]]

MACHADO_2009: dict[Deficiency, Matrix] = {
    Deficiency.PROTANOPIA: ((0.152286, 1.052583, -0.204868),
                            (0.114503, 0.786281, 0.099216),
                            (-0.003882, -0.048116, 1.051998)),
    Deficiency.DEUTERANOPIA: ((0.367322, 0.860646, -0.227968),
                              (0.280085, 0.672501, 0.047413),
                              (-0.011820, 0.042940, 0.968881)),
    Deficiency.TRITANOPIA: ((1.255528, -0.076749, -0.178779),
                            (-0.078411, 0.930809, 0.147602),
                            (0.004733, 0.691367, 0.303900)),
}
"""Machado et al. (2009), severity 1.0, for linear RGB."""

MIN_DELTA_E = 10.0
"""CIEDE2000 distance two post-it fills must keep under every simulated vision."""

LinearRgb = tuple[float, float, float]
Lab = tuple[float, float, float]


def _to_linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(value: float) -> int:
    v = min(1.0, max(0.0, value))
    c = 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
    return round(c * 255)


def linear_rgb(colour: str) -> LinearRgb:
    r, g, b = (_to_linear(c) for c in theme._channels(colour))
    return r, g, b


def simulate_linear(colour: str, deficiency: Deficiency | None) -> LinearRgb:
    """How ``colour`` looks with ``deficiency`` (``None``: normal vision), in linear RGB."""
    rgb = linear_rgb(colour)
    if deficiency is None:
        return rgb
    m = MACHADO_2009[Deficiency(deficiency)]
    r, g, b = (min(1.0, max(0.0, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]))
               for row in m)
    return r, g, b


def simulate(colour: str, deficiency: Deficiency | None) -> str:
    """``colour`` as someone with ``deficiency`` sees it, as ``#RRGGBB``."""
    r, g, b = (_to_srgb(c) for c in simulate_linear(colour, deficiency))
    return f"#{r:02X}{g:02X}{b:02X}"


_WHITE_D65 = (0.95047, 1.0, 1.08883)


def lab_from_linear(rgb: LinearRgb) -> Lab:
    """CIE L*a*b* (D65) of a linear sRGB colour."""
    r, g, b = rgb
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = (f(v / n) for v, n in zip((x, y, z), _WHITE_D65, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def lab(colour: str) -> Lab:
    return lab_from_linear(linear_rgb(colour))


def delta_e_2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    else:
        dh = h2p - h1p
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    d_big_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh) / 2)
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_bar = (h1p + h2p + 360) / 2
    else:
        h_bar = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6))
         - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2
                     + r_t * (dc / s_c) * (d_big_h / s_h))


def seen_difference(a: str, b: str, deficiency: Deficiency | None) -> float:
    """CIEDE2000 between two colours as someone with ``deficiency`` sees them."""
    return delta_e_2000(lab_from_linear(simulate_linear(a, deficiency)),
                        lab_from_linear(simulate_linear(b, deficiency)))


@dataclass(frozen=True)
class ConfusedPair:
    """Two fills that look too alike to someone with ``deficiency`` (None: anyone)."""

    first: Colour
    second: Colour
    deficiency: Deficiency | None
    delta_e: float

    def describe(self) -> str:
        who = self.deficiency.label if self.deficiency else "Normal vision"
        return f"{who}: {self.first.label} and {self.second.label} (ΔE00 {self.delta_e:.1f})"


VISIONS: tuple[Deficiency | None, ...] = (None, *Deficiency)


def confused_pairs(fills: Mapping[Colour, str], minimum: float = MIN_DELTA_E
                   ) -> list[ConfusedPair]:
    """Every pair of fills closer than ``minimum`` under normal vision or a simulated
    deficiency, the closest first."""
    found = []
    for vision in VISIONS:
        for (c1, f1), (c2, f2) in itertools.combinations(fills.items(), 2):
            d = seen_difference(f1, f2, vision)
            if d < minimum:
                found.append(ConfusedPair(c1, c2, vision, d))
    return sorted(found, key=lambda p: p.delta_e)


def smallest_difference(fills: Mapping[Colour, str], vision: Deficiency | None) -> float:
    return min(seen_difference(f1, f2, vision)
               for f1, f2 in itertools.combinations(fills.values(), 2))


AUDIENCE_POSTIT_FILLS: dict[Colour, str] = {
    Colour.YELLOW: "#FFED70",
    Colour.PINK: "#FAC5D1",
    Colour.BLUE: "#AFD8FF",
    Colour.GREEN: "#CDE9B1",
    Colour.ORANGE: "#EAA452",
    Colour.PURPLE: "#A89ACF",
}
"""The board's six colours adjusted for the projector: each pair at least ΔE00 12 apart for
normal vision, protanopia, deuteranopia and tritanopia (the board's own palette is not)."""


def shade(colour: str, factor: float) -> str:
    return theme.shade(colour, factor)


# ----------------------------------------------------------------------------- themes


class ThemeName(enum.StrEnum):
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high_contrast"

    @property
    def label(self) -> str:
        return {"light": "Light", "dark": "Dark", "high_contrast": "High contrast"}[self.value]


@dataclass(frozen=True)
class DisplayTheme:
    """Every colour the audience window paints with. Text colours pair with the fill they sit
    on in :meth:`text_pairs`, which the tests hold to 7:1."""

    name: ThemeName
    background: str  # the window
    text: str  # titles and body text on the background
    muted: str  # step caption, counts, hints on the background
    accent: str  # the timer and the discussion card's title
    blank: str  # the whole screen while blanked
    column_fill: str  # behind each board column
    column_text: str  # "No post-its", "+3 more" on a column
    column_outline: str  # round each column ("" for none)
    headings: dict[Column, tuple[str, str]]  # (fill, text) of each column's heading band
    postit_text: str
    postit_edge: float  # how much darker than its fill a post-it's edge is (0: outline colour)
    postit_outline: str  # used when postit_edge is 0
    postit_fills: dict[Colour, str]
    group_fill: str
    group_text: str
    group_line: str
    shared_fill: str
    shared_text: str
    votes_fill: str
    votes_text: str
    sheet: str  # behind the grid and the principles
    sheet_text: str
    sheet_muted: str
    sheet_line: str
    organisation_fill: str  # an organisation's row in the grid
    organisation_text: str
    card_fill: str  # the discussion card
    card_text: str
    card_title: str
    card_border: str
    qr_text: str  # the join address beside the QR code, on the background

    def postit_fill(self, colour: Colour | str) -> str:
        try:
            return self.postit_fills[Colour(colour)]
        except ValueError:
            return self.postit_fills[Colour.YELLOW]

    def postit_border(self, colour: Colour | str) -> str:
        if self.postit_edge <= 0:
            return self.postit_outline
        return theme.shade(self.postit_fill(colour), self.postit_edge)

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(what, text colour, background) for every kind of text the window draws."""
        pairs = [
            ("title", self.text, self.background),
            ("caption", self.muted, self.background),
            ("timer", self.accent, self.background),
            ("join address", self.qr_text, self.background),
            ("column note", self.column_text, self.column_fill),
            ("group", self.group_text, self.group_fill),
            ("shared badge", self.shared_text, self.shared_fill),
            ("votes badge", self.votes_text, self.votes_fill),
            ("sheet", self.sheet_text, self.sheet),
            ("sheet note", self.sheet_muted, self.sheet),
            ("organisation row", self.organisation_text, self.organisation_fill),
            ("card", self.card_text, self.card_fill),
            ("card title", self.card_title, self.card_fill),
        ]
        pairs += [(f"{c.value} heading", ink, fill) for c, (fill, ink) in self.headings.items()]
        pairs += [(f"{c.value} post-it", self.postit_text, fill)
                  for c, fill in self.postit_fills.items()]
        return pairs

    def colours(self) -> set[str]:
        """Every colour the theme uses, post-it fills aside (upper-case #RRGGBB)."""
        values = {v for k, v in vars(self).items() if isinstance(v, str) and v and k != "name"}
        values |= {c for pair in self.headings.values() for c in pair}
        return {v.upper() for v in values}


LIGHT = DisplayTheme(
    name=ThemeName.LIGHT,
    background=theme.BOARD_BACKGROUND, text=theme.TEXT_COLOUR, muted=theme.MUTED_TEXT,
    accent="#0A3A8F", blank="#000000",
    column_fill=theme.COLUMN_BACKGROUND, column_text=theme.MUTED_TEXT, column_outline="",
    headings=dict(theme.COLUMN_HEADER_COLOURS),
    postit_text=theme.TEXT_COLOUR, postit_edge=0.5, postit_outline="#3D4450",
    postit_fills=dict(AUDIENCE_POSTIT_FILLS),
    group_fill=theme.GROUP_HEADER_FILL, group_text=theme.TEXT_COLOUR,
    group_line=theme.GROUP_LINE_COLOUR,
    shared_fill=theme.SHARED_BADGE_FILL, shared_text=theme.SHARED_BADGE_TEXT,
    votes_fill="#0A3A8F", votes_text="#FFFFFF",
    sheet="#FFFFFF", sheet_text=theme.TEXT_COLOUR, sheet_muted=theme.MUTED_TEXT,
    sheet_line="#8A93A3", organisation_fill="#DDE4EF", organisation_text=theme.TEXT_COLOUR,
    card_fill="#FFFDF2", card_text=theme.TEXT_COLOUR, card_title="#5E2A84",
    card_border="#8A8470", qr_text=theme.TEXT_COLOUR,
)

DARK = DisplayTheme(
    name=ThemeName.DARK,
    background="#121417", text="#F2F2F2", muted="#C9CED6", accent="#FFD54F", blank="#000000",
    column_fill="#23272E", column_text="#C9CED6", column_outline="",
    headings={Column.UNIVERSITIES: ("#9CC3F5", "#111111"),
              Column.SHARED: ("#D7B8F2", "#111111"),
              Column.CIVIC: ("#A8DDB5", "#111111")},
    postit_text=theme.TEXT_COLOUR, postit_edge=0.0, postit_outline="#121417",
    postit_fills=dict(AUDIENCE_POSTIT_FILLS),
    group_fill="#2E333B", group_text="#F2F2F2", group_line="#C9CED6",
    shared_fill="#F2F2F2", shared_text="#111111",
    votes_fill="#FFD54F", votes_text="#111111",
    sheet="#1B1E23", sheet_text="#F2F2F2", sheet_muted="#C9CED6", sheet_line="#5A6270",
    organisation_fill="#2E3A4D", organisation_text="#FFFFFF",
    card_fill="#23272E", card_text="#F2F2F2", card_title="#FFD54F", card_border="#FFD54F",
    qr_text="#F2F2F2",
)

HIGH_CONTRAST = DisplayTheme(
    name=ThemeName.HIGH_CONTRAST,
    background="#000000", text="#FFFFFF", muted="#FFFFFF", accent="#FFFF00", blank="#000000",
    column_fill="#000000", column_text="#FFFFFF", column_outline="#FFFFFF",
    headings={column: ("#FFFF00", "#000000") for column in Column},
    postit_text="#000000", postit_edge=0.0, postit_outline="#FFFFFF",
    postit_fills=dict(AUDIENCE_POSTIT_FILLS),
    group_fill="#000000", group_text="#FFFF00", group_line="#FFFFFF",
    shared_fill="#000000", shared_text="#FFFF00",
    votes_fill="#000000", votes_text="#FFFF00",
    sheet="#000000", sheet_text="#FFFFFF", sheet_muted="#FFFFFF", sheet_line="#FFFFFF",
    organisation_fill="#000000", organisation_text="#FFFF00",
    card_fill="#000000", card_text="#FFFFFF", card_title="#FFFF00", card_border="#FFFF00",
    qr_text="#FFFFFF",
)
"""Black, white and yellow only (post-it fills aside, which keep black text at 7:1 or more)."""

THEMES: dict[ThemeName, DisplayTheme] = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}
MIN_CONTRAST = 7.0


def get_theme(name: ThemeName | str) -> DisplayTheme:
    """The theme called ``name``; a ValueError names the choices for anything else."""
    try:
        return THEMES[ThemeName(name)]
    except ValueError:
        choices = ", ".join(t.value for t in ThemeName)
        raise ValueError(f"Unknown display theme {name!r}: use one of {choices}.") from None


def low_contrast_pairs(display: DisplayTheme, minimum: float = MIN_CONTRAST
                       ) -> list[tuple[str, float]]:
    """(what, ratio) for any text in ``display`` below ``minimum``:1 against its background."""
    return [(what, contrast_ratio(fg, bg)) for what, fg, bg in display.text_pairs()
            if contrast_ratio(fg, bg) < minimum]
