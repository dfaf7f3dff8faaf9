"""The audience window on the projector: the current step, read-only, and nothing private.

Driven through the interface the facilitator's Present menu uses (``show_step``, ``set_blank``,
``set_qr`` …) over a real store in a temporary folder; the store's verbs change the data, as a
facilitator or a phone would, and the window follows through the bridge.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from tests.conftest import require_tool
from workshopkit.exercises.demo import DEMO_TITLE
from workshopkit.exercises.guidance import step_by_number
from workshopkit.exercises.presenting import DISCUSSION_CARDS
from workshopkit.model import Column, Moderation, Status
from workshopkit.ui import display_theme
from workshopkit.ui.audience import AudienceWindow
from workshopkit.ui.bridge import StoreBridge

URL = "http://192.168.1.20:8765/j/abcdefghjkmnp"
SIZE = (1600, 900)


@pytest.fixture
def audience(qtbot, store):
    bridge = StoreBridge(store)
    window = AudienceWindow(store, bridge)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    yield window
    bridge.detach()


def joined(window: AudienceWindow) -> str:
    return "\n".join(window.shown_texts())


def only_colour(image: QImage, colour: str) -> bool:
    """Whether every pixel of ``image`` (sampled on a 20-pixel grid) is ``colour``."""
    want = QColor(colour).rgb()
    return all(image.pixel(x, y) == want for x in range(0, image.width(), 20)
               for y in range(0, image.height(), 20))


# ----------------------------------------------------------------------------- placing


class FakeScreen:
    """A screen as ``place_on`` sees one: something with a geometry."""

    def __init__(self, x: int, y: int, w: int, h: int) -> None:
        self._rect = QRect(x, y, w, h)

    def geometry(self) -> QRect:
        return QRect(self._rect)


def test_one_screen_gives_a_normal_window(qtbot, store) -> None:
    window = AudienceWindow(store, StoreBridge(store))
    qtbot.addWidget(window)
    screens = QGuiApplication.screens()
    assert len(screens) == 1
    assert window.place_on(screens) is None
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert not window.isFullScreen()
    assert window.width() < screens[0].geometry().width() or window.height() < \
        screens[0].geometry().height()


def test_two_screens_fill_the_one_that_is_not_the_main_windows(qtbot, store) -> None:
    window = AudienceWindow(store, StoreBridge(store))
    qtbot.addWidget(window)
    laptop, projector = FakeScreen(0, 0, 1280, 800), FakeScreen(1280, 0, 1920, 1080)
    assert window.place_on([laptop, projector]) is projector
    assert window.isFullScreen()
    window.setWindowState(Qt.WindowState.WindowNoState)
    # The main window is on the second screen: the audience takes the first.
    assert window.place_on([laptop, projector], main_screen=projector) is laptop
    assert window.isFullScreen()
    window.setWindowState(Qt.WindowState.WindowNoState)
    assert window.place_on([projector]) is None
    assert not window.isFullScreen()


SCRIPT = textwrap.dedent("""
    import json, sys
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([])
    from workshopkit.store import Store
    from workshopkit.ui.bridge import StoreBridge
    from workshopkit.ui.audience import AudienceWindow
    store = Store.in_data_dir(sys.argv[1])
    main = QMainWindow()
    main.setGeometry(app.screens()[0].availableGeometry().adjusted(50, 50, -50, -50))
    main.show()
    window = AudienceWindow(store, StoreBridge(store))
    target = window.place_on(app.screens())
    for _ in range(20):
        app.processEvents()
    geometry = window.geometry()
    print(json.dumps({
        "screens": [s.name() for s in app.screens()],
        "main": main.screen().name(),
        "target": target.name() if target is not None else None,
        "full_screen": window.isFullScreen(),
        "on": window.screen().name(),
        "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
    }))
    window.close()
    store.close()
""")


def test_two_real_virtual_screens_full_screen_on_the_projector(tmp_path: Path) -> None:
    """Qt's offscreen platform with two screens (laptop and projector) from a config file."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 800},
        {"name": "projector", "x": 1280, "y": 0, "width": 1920, "height": 1080},
    ]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data")],
                            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["screens"] == ["laptop", "projector"]
    assert found["main"] == "laptop"
    assert found["target"] == "projector"
    assert found["full_screen"] is True
    assert found["on"] == "projector"
    assert found["geometry"] == [1280, 0, 1920, 1080]


def test_the_window_never_takes_the_facilitators_keys(audience) -> None:
    assert audience.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert audience.isWindow()
    assert audience.parent() is None


# ----------------------------------------------------------------------------- the steps


def test_each_step_shows_its_question_and_content(audience, demo_workshop) -> None:
    audience.set_workshop(demo_workshop.id)
    expected = {
        1: ["Public Engagement team", "Must be in the room", "Queen Mary University of London",
            "brokers", "Agreed to take part"],
        2: ["Most of the budget goes on", "Research staff salaries and laboratories",
            "Tower Hamlets CVS", "Community development lead"],
        3: ["Shared expectations", "Honesty", "Openness", "★ Shared", "6 post-its"],
        4: ["1. Be honest and transparent about policies, processes and working practices"],
    }
    for step, texts in expected.items():
        audience.show_step(step)
        assert audience.current_step == step
        shown = audience.shown_texts()
        assert audience.title_label.text() == step_by_number(step).title
        assert step_by_number(step).title in shown
        assert f"Step {step} of 4 · {DEMO_TITLE}" in shown
        for text in texts:
            assert text in shown, (step, text)
    audience.show_step(1)
    assert "Honesty" not in audience.shown_texts()


def test_step_two_can_show_the_alignment_suggestions(audience, demo_workshop) -> None:
    audience.set_workshop(demo_workshop.id)
    audience.show_step(2)
    audience.set_values_view("alignment")
    shown = joined(audience)
    assert "Shared:" in shown or "Gap:" in shown
    assert "Research staff salaries and laboratories" not in audience.shown_texts()
    audience.set_values_view("grid")
    assert "Research staff salaries and laboratories" in audience.shown_texts()


def test_an_unknown_step_is_refused(audience) -> None:
    with pytest.raises(ValueError, match="steps are 1 to 4"):
        audience.show_step(5)


def test_principles_show_the_stored_draft_numbered_without_rejected_ones(
        audience, store, demo_workshop) -> None:
    wid = demo_workshop.id
    store.add_principle(wid, "Pay people for their time")
    rejected = store.add_principle(wid, "Meet only at the university")
    store.add_principle(wid, "Use plain language")
    store.update_principle(rejected.id, status="rejected")
    audience.set_workshop(wid)
    audience.show_step(4)
    shown = audience.shown_texts()
    assert "1. Pay people for their time" in shown
    assert "2. Use plain language" in shown
    assert not any("Meet only at the university" in t for t in shown)


def test_the_board_follows_the_store_live(audience, store, demo_workshop) -> None:
    wid = demo_workshop.id
    audience.set_workshop(wid)
    audience.show_step(3)
    store.add_postit(wid, Column.CIVIC, "Pay for childcare")
    assert "Pay for childcare" in audience.shown_texts()
    assert "4 post-its" in audience.shown_texts()
    store.rename_group(store.list_groups(wid, Column.SHARED)[0].id, "Being open")
    assert "Being open" in audience.shown_texts()


def test_tallies_appear_only_while_shown(audience, store, demo_workshop) -> None:
    wid = demo_workshop.id
    audience.set_workshop(wid)
    audience.show_step(3)
    honesty = next(p for p in store.list_postits(wid) if p.text == "Honesty")
    store.open_voting(wid)
    store.cast_vote(wid, "phone-a", honesty.id)
    store.cast_vote(wid, "phone-b", honesty.id)
    assert "● 2" not in audience.shown_texts()
    store.update_join_settings(wid, tallies_shown=True)
    assert "● 2" in audience.shown_texts()
    assert "● 0" in audience.shown_texts()
    store.update_join_settings(wid, tallies_shown=False)
    assert "● 2" not in audience.shown_texts()


def test_a_crowded_column_shrinks_then_says_how_many_more(audience, store) -> None:
    wid = store.create_workshop("Crowded").id
    store.add_postits(wid, [{"column": Column.SHARED, "text": f"Idea number {n}"}
                            for n in range(120)])
    audience.set_workshop(wid)
    audience.show_step(3)
    shown = audience.shown_texts()
    more = [t for t in shown if t.startswith("+") and t.endswith(" more")]
    assert len(more) == 1
    placed = [t for t in shown if t.startswith("Idea number ")]
    assert len(placed) + int(more[0].split()[0][1:]) == 120
    assert audience.board_page.card_px < audience.board_page._start_px(
        audience.board_page.rect().toRectF())


# ----------------------------------------------------------------------------- privacy


def test_pending_held_and_hidden_post_its_never_appear(audience, store, demo_workshop) -> None:
    wid = demo_workshop.id
    store.update_join_settings(wid, moderation=Moderation.APPROVAL)
    pending = store.add_phone_postit(wid, Column.SHARED, "PENDING from a phone",
                                     author="Sam Phone")
    store.update_join_settings(wid, moderation=Moderation.OFF, hold_until_reveal=True)
    held = store.add_phone_postit(wid, Column.CIVIC, "HELD until the reveal")
    hidden = store.add_postit(wid, Column.UNIVERSITIES, "HIDDEN by the facilitator")
    store.set_status([hidden.id], Status.HIDDEN)
    assert store.get_postit(pending.id).status is Status.PENDING
    assert store.get_postit(held.id).status is Status.HELD
    audience.set_workshop(wid)
    audience.set_qr(URL)
    for step in (1, 2, 3, 4):
        audience.show_step(step)
        for card in DISCUSSION_CARDS[step][:1]:
            audience.show_card(card)
        shown = joined(audience)
        for secret in ("PENDING", "HELD", "HIDDEN", "Sam Phone"):
            assert secret not in shown, (step, secret)
        # Facilitator-only things: the workshop's notes and the moderation queue.
        assert demo_workshop.notes not in shown
        assert "Moderation" not in shown and "queue" not in shown
    audience.show_card(None)
    audience.show_step(3)
    store.set_status([pending.id], Status.VISIBLE)
    shown = audience.shown_texts()
    assert "PENDING from a phone" in shown
    assert not any("Sam Phone" in t for t in shown)  # who sent it stays private
    store.reveal_held(wid)
    assert "HELD until the reveal" in audience.shown_texts()


def test_user_text_is_shown_as_plain_text(audience, store) -> None:
    wid = store.create_workshop("<i>Joint</i> & co").id
    store.add_postit(wid, Column.SHARED, "<b>hi</b> &amp; <img src=x>")
    audience.set_workshop(wid)
    audience.show_step(3)
    shown = audience.shown_texts()
    assert "<b>hi</b> &amp; <img src=x>" in shown
    assert "Step 3 of 4 · <i>Joint</i> & co" in shown
    for label in (audience.step_label, audience.title_label, audience.timer_label,
                  audience.timer_caption, audience.qr_url_label, audience.qr_hint):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_deleted_workshop_leaves_an_empty_screen(audience, store) -> None:
    wid = store.create_workshop("Soon gone").id
    store.add_postit(wid, Column.SHARED, "Gone with it")
    audience.set_workshop(wid)
    audience.show_step(3)
    store.delete_workshop(wid)
    assert audience.workshop_id is None
    assert audience.shown_texts() == ["No workshop is open"]


# ----------------------------------------------------------------------------- controls


def test_blank_hides_everything(audience, demo_workshop) -> None:
    audience.set_workshop(demo_workshop.id)
    audience.set_qr(URL)
    audience.show_card(DISCUSSION_CARDS[3][0])
    assert audience.shown_texts()
    audience.set_blank(True)
    assert audience.is_blank
    assert audience.shown_texts() == []
    assert not audience.root.isVisible()
    assert not audience.card_overlay.isVisible()
    assert only_colour(audience.grab().toImage(), display_theme.LIGHT.blank)
    audience.set_blank(False)
    assert not audience.is_blank
    assert "Honesty" in audience.shown_texts()
    assert not only_colour(audience.grab().toImage(), display_theme.LIGHT.blank)


def test_qr_shows_the_join_address(audience, demo_workshop) -> None:
    from workshopkit.export.qr import qr_matrix

    audience.set_workshop(demo_workshop.id)
    assert not audience.qr_visible
    assert not audience.qr_panel.isVisible()
    audience.set_qr(URL)
    assert audience.qr_visible
    assert audience.qr_panel.isVisible()
    assert audience.qr_code.text == URL
    assert audience.qr_code._matrix == qr_matrix(URL)
    assert "192.168.1.20:8765/j/abcdefghjkmnp" in audience.shown_texts()
    # The code is square, whole and on screen beside the step.
    code = audience.qr_code
    assert code.width() == code.height() >= 120
    assert audience.rect().contains(QRect(code.mapTo(audience, code.rect().topLeft()),
                                          code.size()))
    audience.set_qr_visible(False)
    assert not audience.qr_visible
    assert "192.168.1.20:8765/j/abcdefghjkmnp" not in audience.shown_texts()
    assert not audience.qr_panel.isVisible()
    audience.set_qr_visible(True)
    audience.set_qr(None)
    assert not audience.qr_visible
    assert not audience.qr_panel.isVisible()


def test_a_phone_can_scan_the_qr_code_on_screen(audience, demo_workshop, tmp_path: Path) -> None:
    audience.set_workshop(demo_workshop.id)
    audience.set_qr(URL)
    shot = tmp_path / "audience.png"
    assert audience.grab().save(str(shot))
    result = subprocess.run([require_tool("zbarimg"), "--quiet", "--raw", str(shot)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == URL


def test_the_timer_counts_down_to_zero(qtbot, audience, store, demo_workshop) -> None:
    wid = demo_workshop.id
    audience.set_workshop(wid)
    assert audience.timer_text() == ""
    seen: set[str] = set()
    store.start_timer(wid, 2, "Write your post-its")
    seen.add(audience.timer_text())
    assert audience.timer_text() in ("00:02", "00:01")
    assert "Write your post-its" in audience.shown_texts()

    def reached_zero() -> bool:
        seen.add(audience.timer_text())
        return audience.timer_text() == "00:00"

    qtbot.waitUntil(reached_zero, timeout=4000)
    assert "00:01" in seen
    assert "00:00" in audience.shown_texts()
    store.stop_timer(wid)
    assert audience.timer_text() == ""
    assert not audience.timer_label.isVisible()
    assert "Write your post-its" not in audience.shown_texts()


def test_a_timer_already_running_shows_when_the_workshop_opens(audience, store,
                                                               demo_workshop) -> None:
    store.start_timer(demo_workshop.id, 300)
    audience.set_workshop(demo_workshop.id)
    assert audience.timer_text() in ("05:00", "04:59")
    assert audience.timer_label.isVisible()


def test_a_discussion_card_goes_up_in_large_type(audience, demo_workshop) -> None:
    audience.set_workshop(demo_workshop.id)
    audience.set_qr(URL)
    card = DISCUSSION_CARDS[3][1]
    audience.show_card(card)
    assert audience.card is card
    shown = audience.shown_texts()
    assert card.title in shown and card.prompt in shown and card.source in shown
    overlay = audience.card_overlay
    assert overlay.isVisible()
    prompt = next(op for op in overlay.ops if getattr(op, "text", "") == card.prompt)
    assert prompt.font.pixelSize() > audience.title_label.font().pixelSize() * 0.6
    # It covers the step, not the QR code.
    qr = QRect(audience.qr_code.mapTo(audience, audience.qr_code.rect().topLeft()),
               audience.qr_code.size())
    assert not overlay.geometry().intersects(qr)
    audience.show_card(None)
    assert not overlay.isVisible()
    assert card.prompt not in audience.shown_texts()


def test_text_size_scales_the_type_within_limits(audience, store) -> None:
    wid = store.create_workshop("Two post-its").id
    store.add_postits(wid, [{"column": Column.SHARED, "text": "Listen"},
                            {"column": Column.CIVIC, "text": "Pay people"}])
    audience.set_workshop(wid)
    audience.show_step(3)
    normal = audience.title_label.font().pixelSize()
    card_px = audience.board_page.card_px
    audience.set_text_scale(1.5)
    assert audience.text_scale == 1.5
    assert audience.title_label.font().pixelSize() == pytest.approx(normal * 1.5, abs=1)
    assert audience.board_page.card_px > card_px
    audience.set_text_scale(7)
    assert audience.text_scale == 2.0
    audience.set_text_scale(0.1)
    assert audience.text_scale == 0.75
    assert audience.title_label.font().pixelSize() < normal


@pytest.mark.parametrize("name", list(display_theme.ThemeName))
def test_screenshot_in_each_theme(audience, demo_workshop, tmp_path: Path,
                                  name: display_theme.ThemeName) -> None:
    """A screenshot per theme (kept in the test's folder) with the theme's own colours."""
    colours = display_theme.get_theme(name)
    audience.set_workshop(demo_workshop.id)
    audience.set_qr(URL)
    audience.show_step(3)
    audience.set_theme(name)
    assert audience.theme_name == name.value
    image = audience.grab().toImage()
    path = tmp_path / f"audience-{name.value}.png"
    assert image.save(str(path))
    assert path.stat().st_size > 10_000
    assert image.pixelColor(4, 4) == QColor(colours.background)
    heading = audience.board_page.mapTo(audience, audience.board_page.rect().topLeft())
    assert image.pixelColor(heading.x() + 30, heading.y() + 6) == \
        QColor(colours.headings[Column.UNIVERSITIES][0])
    title = audience.title_label.palette().color(audience.title_label.foregroundRole())
    assert title == QColor(colours.text)
    fill = QColor(colours.postit_fill("yellow"))
    assert any(image.pixelColor(x, y) == fill for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7))
    shots = os.environ.get("WORKSHOPKIT_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(shots) / path.name))


def test_an_unknown_theme_is_refused(audience) -> None:
    with pytest.raises(ValueError, match="Unknown display theme"):
        audience.set_theme("neon")
    assert audience.theme_name == "light"


def test_closing_tells_the_facilitators_window(qtbot, audience) -> None:
    with qtbot.waitSignal(audience.closed, timeout=1000):
        audience.close()
