"""The board's colours stay readable on a washed-out projector (checked without Qt)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workshopkit.model import Colour, Column
from workshopkit.ui import theme
from workshopkit.ui.theme import contrast_ratio


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # WCAG's own example: #767676 on white is just over 4.5:1.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#fff", "#000") == pytest.approx(21.0)


def test_contrast_ratio_rejects_a_non_colour() -> None:
    with pytest.raises(ValueError):
        contrast_ratio("red", "#FFFFFF")


@pytest.mark.parametrize("colour", list(Colour))
def test_every_postit_fill_passes_7_to_1_with_the_text_colour(colour: Colour) -> None:
    fill = theme.POSTIT_FILLS[colour]
    assert contrast_ratio(theme.TEXT_COLOUR, fill) >= 7.0, (colour, fill)


def test_every_colour_has_a_fill_and_the_fills_differ() -> None:
    assert set(theme.POSTIT_FILLS) == set(Colour)
    assert len(set(theme.POSTIT_FILLS.values())) == len(Colour)


def test_text_colour_is_near_black() -> None:
    assert theme.relative_luminance(theme.TEXT_COLOUR) < 0.01


@pytest.mark.parametrize("colour", list(Colour))
def test_selection_outline_is_visible_on_every_fill(colour: Colour) -> None:
    # WCAG 1.4.11: non-text indicators need 3:1 against what they sit on.
    assert contrast_ratio(theme.SELECTION_COLOUR, theme.POSTIT_FILLS[colour]) >= 3.0
    assert contrast_ratio(theme.postit_border(colour), theme.POSTIT_FILLS[colour]) >= 3.0


def test_selection_and_drop_line_stand_out_on_the_column_background() -> None:
    assert contrast_ratio(theme.SELECTION_COLOUR, theme.COLUMN_BACKGROUND) >= 3.0
    assert contrast_ratio(theme.DROP_INDICATOR_COLOUR, theme.COLUMN_BACKGROUND) >= 3.0
    assert contrast_ratio(theme.GROUP_LINE_COLOUR, theme.COLUMN_BACKGROUND) >= 3.0


@pytest.mark.parametrize("column", list(Column))
def test_column_headings_pass_7_to_1(column: Column) -> None:
    fill, ink = theme.COLUMN_HEADER_COLOURS[column]
    assert contrast_ratio(ink, fill) >= 7.0


def test_other_board_text_passes_7_to_1() -> None:
    assert contrast_ratio(theme.SHARED_BADGE_TEXT, theme.SHARED_BADGE_FILL) >= 7.0
    assert contrast_ratio(theme.TEXT_COLOUR, theme.GROUP_HEADER_FILL) >= 7.0
    assert contrast_ratio(theme.MUTED_TEXT, theme.COLUMN_BACKGROUND) >= 7.0
    assert contrast_ratio(theme.MUTED_TEXT, theme.GROUP_HEADER_FILL) >= 7.0
    assert contrast_ratio(theme.TEXT_COLOUR, theme.PROMPTS_BACKGROUND) >= 7.0
    assert contrast_ratio(theme.TEXT_COLOUR, theme.BOARD_BACKGROUND) >= 7.0


def test_card_text_is_large_enough_for_the_back_of_the_room() -> None:
    # A 1920 px wide window leaves about 500 px per column beside the prompts.
    assert theme.card_font_px(500) >= 24
    assert theme.card_font_px(500, zoom=2.0) > theme.card_font_px(500)
    assert theme.card_font_px(500, zoom=0.5) < theme.card_font_px(500)
    assert theme.card_font_px(100) >= theme.MIN_CARD_PX
    assert theme.heading_font_px(24) > 24


def test_zoom_steps_go_up_and_down_and_stop_at_the_ends() -> None:
    assert theme.next_zoom(1.0, 1) > 1.0
    assert theme.next_zoom(1.0, -1) < 1.0
    assert theme.next_zoom(theme.ZOOM_STEPS[-1], 1) == theme.ZOOM_STEPS[-1]
    assert theme.next_zoom(theme.ZOOM_STEPS[0], -1) == theme.ZOOM_STEPS[0]


def test_theme_imports_without_qt() -> None:
    code = ("import sys\nimport workshopkit.ui.theme\n"
            "print(any(name.startswith('PySide6') for name in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
