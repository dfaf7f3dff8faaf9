"""Post-it colours stay apart for colour-blind viewers, and the display themes stay readable.

The simulator (Machado et al. 2009, severity 1.0, linear RGB) and CIEDE2000 are pure Python in
``workshopkit.ui.display_theme``; these tests need no Qt.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from workshopkit.model import Colour
from workshopkit.ui import display_theme as dt
from workshopkit.ui import theme
from workshopkit.ui.theme import contrast_ratio

# Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula", table 1.
SHARMA_PAIRS = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_PAIRS)
def test_ciede2000_matches_sharmas_reference_data(lab1, lab2, expected) -> None:
    assert dt.delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert dt.delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_of_white_black_and_red() -> None:
    assert dt.lab("#FFFFFF") == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert dt.lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=0.01)
    assert dt.lab("#FF0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


@pytest.mark.parametrize("deficiency", list(dt.Deficiency))
@pytest.mark.parametrize("grey", ["#FFFFFF", "#808080", "#000000", "#777777"])
def test_greys_look_the_same_to_everyone(deficiency: dt.Deficiency, grey: str) -> None:
    """Each matrix row sums to 1, so black, white and greys are unchanged."""
    assert dt.seen_difference(grey, dt.simulate(grey, deficiency), None) < 0.5


def test_the_simulator_loses_the_right_axis() -> None:
    """Red and green collapse for protanopes and deuteranopes but not for tritanopes; blue and
    green collapse only for tritanopes."""
    red, green = "#FF0000", "#00A000"
    normal = dt.seen_difference(red, green, None)
    assert dt.seen_difference(red, green, dt.Deficiency.PROTANOPIA) < normal / 3
    assert dt.seen_difference(red, green, dt.Deficiency.DEUTERANOPIA) < normal / 10
    assert dt.seen_difference(red, green, dt.Deficiency.TRITANOPIA) > normal * 0.8
    blue, leaf = "#1F77B4", "#2CA02C"
    normal = dt.seen_difference(blue, leaf, None)
    assert dt.seen_difference(blue, leaf, dt.Deficiency.TRITANOPIA) < normal / 4
    assert dt.seen_difference(blue, leaf, dt.Deficiency.PROTANOPIA) > normal * 0.9
    assert dt.seen_difference(blue, leaf, dt.Deficiency.DEUTERANOPIA) > normal * 0.9


def test_the_boards_own_fills_confuse_blue_and_purple() -> None:
    """Why the audience window has its own fills: the board's fail the check."""
    failures = dt.confused_pairs(theme.POSTIT_FILLS)
    worst = failures[0]
    assert {worst.first, worst.second} == {Colour.BLUE, Colour.PURPLE}
    assert worst.deficiency is dt.Deficiency.DEUTERANOPIA
    assert worst.delta_e < 1.0
    assert "Deuteranopia: Blue and Purple" in worst.describe()
    kinds = {p.deficiency for p in failures}
    assert kinds == set(dt.Deficiency)


def test_audience_fills_have_every_colour_once() -> None:
    assert set(dt.AUDIENCE_POSTIT_FILLS) == set(Colour)
    assert len(set(dt.AUDIENCE_POSTIT_FILLS.values())) == len(Colour)


@pytest.mark.parametrize("vision", dt.VISIONS, ids=lambda v: v.value if v else "normal")
def test_audience_fills_stay_apart_for_every_vision(vision: dt.Deficiency | None) -> None:
    fills = dt.AUDIENCE_POSTIT_FILLS
    for (c1, f1), (c2, f2) in itertools.combinations(fills.items(), 2):
        difference = dt.seen_difference(f1, f2, vision)
        assert difference >= dt.MIN_DELTA_E, (vision, c1, c2, round(difference, 2))
    assert dt.smallest_difference(fills, vision) >= 12.0


def test_no_audience_fill_pair_is_reported_confused() -> None:
    assert dt.confused_pairs(dt.AUDIENCE_POSTIT_FILLS) == []


def test_audience_fills_keep_their_names() -> None:
    """Adjusted, not replaced: each fill is still nearest its own board colour."""
    for colour, fill in dt.AUDIENCE_POSTIT_FILLS.items():
        nearest = min(theme.POSTIT_FILLS,
                      key=lambda c: dt.seen_difference(fill, theme.POSTIT_FILLS[c], None))
        assert nearest is colour


@pytest.mark.parametrize("name", list(dt.ThemeName))
def test_every_text_in_every_theme_passes_7_to_1(name: dt.ThemeName) -> None:
    display = dt.get_theme(name)
    assert dt.low_contrast_pairs(display) == []
    for what, fg, bg in display.text_pairs():
        assert contrast_ratio(fg, bg) >= 7.0, (name, what)
    for colour in Colour:
        assert contrast_ratio(display.postit_text, display.postit_fill(colour)) >= 7.0


def test_low_contrast_is_caught() -> None:
    grey = dt.DisplayTheme(**{**vars(dt.LIGHT), "muted": "#9A9A9A"})
    assert [what for what, _ in dt.low_contrast_pairs(grey)] == ["caption"]


def test_high_contrast_is_black_white_and_yellow() -> None:
    assert dt.HIGH_CONTRAST.colours() == {"#000000", "#FFFFFF", "#FFFF00"}
    assert dt.HIGH_CONTRAST.postit_text == "#000000"


@pytest.mark.parametrize("name", list(dt.ThemeName))
def test_every_post_it_stands_out_from_its_column(name: dt.ThemeName) -> None:
    """WCAG 1.4.11: its edge, or else its fill, is 3:1 against the column behind it."""
    display = dt.get_theme(name)
    for colour in Colour:
        edge = contrast_ratio(display.postit_border(colour), display.column_fill)
        fill = contrast_ratio(display.postit_fill(colour), display.column_fill)
        assert max(edge, fill) >= 3.0, (name, colour)


def test_themes_are_found_by_name() -> None:
    assert dt.get_theme("dark") is dt.DARK
    assert dt.get_theme(dt.ThemeName.HIGH_CONTRAST) is dt.HIGH_CONTRAST
    assert [t.label for t in dt.ThemeName] == ["Light", "Dark", "High contrast"]
    with pytest.raises(ValueError, match="light, dark, high_contrast"):
        dt.get_theme("sepia")


def test_text_scale_stays_between_three_quarters_and_double() -> None:
    assert dt.clamp_text_scale(1.3) == 1.3
    assert dt.clamp_text_scale(0.1) == 0.75
    assert dt.clamp_text_scale(9) == 2.0
    assert dt.clamp_text_scale(float("nan")) == 1.0
    assert dt.clamp_text_scale("big") == 1.0  # type: ignore[arg-type]
    assert dt.next_text_scale(1.0, 1) > 1.0
    assert dt.next_text_scale(1.0, -1) < 1.0
    assert dt.next_text_scale(2.0, 1) == 2.0
    assert dt.next_text_scale(0.75, -1) == 0.75


def test_display_theme_imports_without_qt() -> None:
    code = ("import sys\nimport workshopkit.ui.display_theme\n"
            "print(any(name.startswith('PySide6') for name in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
