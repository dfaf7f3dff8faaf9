"""The Present menu: the facilitator drives the audience window on the projector by keyboard.

Real store, real main window, real audience window (one offscreen screen: a normal window).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QMenuBar, QWidget

from tests.join.helpers import ROOMY
from tests.ui.helpers import show_active
from workshopkit.app import build_main_window
from workshopkit.exercises.guidance import all_steps
from workshopkit.exercises.presenting import DISCUSSION_CARDS
from workshopkit.model import Column, Status
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow
from workshopkit.ui.presenter import (
    THEME_KEY,
    DiscussionCardsPanel,
    ShortcutsDialog,
    TimerDialog,
    gather_shortcuts,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
PENDING_TEXT = "Pending <b>secret</b> from a phone"
HELD_TEXT = "Held until the reveal"
HIDDEN_TEXT = "Hidden by the facilitator"


def _window(qtbot, store: Store, settings: Path) -> MainWindow:
    window = build_main_window(store, settings)
    window.join_port = 0
    window.join_limits = ROOMY
    return show_active(qtbot, window, (1400, 900))


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings" / "window.ini"


@pytest.fixture
def window(qtbot, store: Store, settings_path: Path, demo_workshop) -> MainWindow:
    window = _window(qtbot, store, settings_path)
    assert window.open_workshop(demo_workshop.id)
    window.set_step(3)
    yield window
    if window.join_controller is not None:
        window.join_controller.shutdown()


def _activate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def _open_audience(qtbot, window: MainWindow):
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_A, CTRL | SHIFT)
    audience = window.presenter.audience
    assert audience is not None
    qtbot.addWidget(audience)
    qtbot.waitExposed(audience)
    # The facilitator keeps the keyboard: the projector's window never takes it.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return audience


def _shown(audience) -> str:
    return "\n".join(audience.shown_texts())


# ----------------------------------------------------------------- the audience window


def test_with_one_screen_the_audience_is_a_normal_window_that_follows_the_step(
        qtbot, window, demo_workshop) -> None:
    assert len(QApplication.screens()) == 1
    audience = _open_audience(qtbot, window)
    assert window.presenter.audience_action.isChecked()
    assert audience.isWindow() and audience.parent() is None  # never inside the main window
    assert audience.isVisible() and not audience.isFullScreen()
    assert audience.current_step == 3
    for key, expected in ((Qt.Key.Key_PageDown, 4), (Qt.Key.Key_PageUp, 3),
                          (Qt.Key.Key_PageUp, 2), (Qt.Key.Key_PageUp, 1),
                          (Qt.Key.Key_PageUp, 1)):  # no step before the first
        qtbot.keyClick(window, key, ALT)
        assert window.current_step() == expected
        assert audience.current_step == expected
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)  # any way of changing step is followed
    assert audience.current_step == 3
    assert all_steps()[2].title in _shown(audience)

    qtbot.keyClick(window, Qt.Key.Key_A, CTRL | SHIFT)
    assert window.presenter.audience is None
    assert not window.presenter.audience_action.isChecked()
    qtbot.waitUntil(lambda: not shiboken6.isValid(audience), timeout=2000)


def test_the_moderation_queue_never_reaches_the_projector(qtbot, window, store,
                                                          demo_workshop) -> None:
    wid = demo_workshop.id
    pending = store.add_postit(wid, Column.CIVIC, PENDING_TEXT)
    held = store.add_postit(wid, Column.SHARED, HELD_TEXT)
    hidden = store.add_postit(wid, Column.UNIVERSITIES, HIDDEN_TEXT)
    store.set_status([pending.id], Status.PENDING)
    store.set_status([held.id], Status.HELD)
    store.set_status([hidden.id], Status.HIDDEN)
    window.set_moderation_visible(True)  # the queue is on the facilitator's screen
    queue = window.moderation_panel.queue
    assert any(PENDING_TEXT in queue.item(i).text() for i in range(queue.count()))
    audience = _open_audience(qtbot, window)
    shown = _shown(audience)
    assert "Shared ownership of data" in shown  # the board is there...
    for private in (PENDING_TEXT, HELD_TEXT, HIDDEN_TEXT, "Waiting for approval",
                    "Moderation log"):
        assert private not in shown  # ...but nothing waiting, held or hidden

    qtbot.keyClick(window, Qt.Key.Key_R, CTRL | SHIFT)  # reveal held post-its
    assert store.get_postit(held.id).status == Status.VISIBLE
    qtbot.waitUntil(lambda: HELD_TEXT in _shown(audience), timeout=2000)
    assert PENDING_TEXT not in _shown(audience)
    assert "Revealed 1 post-it" in window.statusBar().currentMessage()


def test_blank_toggles_with_b_and_ctrl_b_but_not_while_typing(qtbot, window) -> None:
    audience = _open_audience(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert audience.is_blank and window.presenter.blank_action.isChecked()
    assert "Shared ownership of data" not in _shown(audience)
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert not audience.is_blank
    assert "Shared ownership of data" in _shown(audience)
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL)
    assert audience.is_blank
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL)
    assert not audience.is_blank

    window.set_step(1)  # the roles palette has a search box
    edit = next(e for e in window.stakeholder_map.findChildren(QLineEdit) if e.isVisible())
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    qtbot.keyClicks(edit, "bb")
    assert edit.text().endswith("bb")
    assert not audience.is_blank


def test_the_qr_code_shows_the_join_address_and_toggles(qtbot, window) -> None:
    window.ensure_join_panel().set_address("127.0.0.1")
    window.toggle_joining()
    url = window.join_controller.url
    assert url
    audience = _open_audience(qtbot, window)
    assert audience.qr_visible
    assert any(url in text or url.split("//")[1] in text for text in audience.shown_texts())
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL | SHIFT)
    assert not audience.qr_visible and not window.presenter.qr_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL | SHIFT)
    assert audience.qr_visible
    window.join_controller.close_joining()
    assert not audience.qr_visible  # no link to show once joining has closed


def test_the_timer_dialog_starts_a_countdown_on_the_projector(qtbot, window, store,
                                                              demo_workshop) -> None:
    audience = _open_audience(qtbot, window)
    assert audience.timer_text() == ""
    qtbot.keyClick(window, Qt.Key.Key_T, CTRL | SHIFT)
    dialog = window.presenter.timer_dialog
    assert isinstance(dialog, TimerDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    assert dialog.minutes_spin.hasFocus()
    qtbot.keyClicks(dialog.minutes_spin, "2")
    dialog.label_edit.setFocus()
    qtbot.keyClicks(dialog.label_edit, "Write <your> post-its")
    qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)  # Start
    settings = store.join_settings(demo_workshop.id)
    assert settings.timer_ends_at and settings.timer_label == "Write <your> post-its"
    qtbot.waitUntil(lambda: audience.timer_text() in ("02:00", "01:59", "01:58"), timeout=3000)
    qtbot.waitUntil(lambda: window.presenter.timer_dialog is None, timeout=2000)

    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_T, CTRL | SHIFT)
    dialog = window.presenter.timer_dialog
    assert dialog.stop_button.isEnabled()
    assert dialog.status_label.text().startswith("Running: 0")
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert store.join_settings(demo_workshop.id).timer_ends_at == ""
    qtbot.waitUntil(lambda: audience.timer_text() == "", timeout=3000)


def test_voting_toggles_and_follows_the_moderation_panel(qtbot, window, store,
                                                         demo_workshop) -> None:
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL | SHIFT)
    assert store.join_settings(demo_workshop.id).voting_open
    assert window.presenter.voting_action.isChecked()
    store.close_voting(demo_workshop.id)  # closed elsewhere (the moderation panel)
    assert not window.presenter.voting_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL | SHIFT)
    assert store.join_settings(demo_workshop.id).voting_open
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL | SHIFT)
    assert not store.join_settings(demo_workshop.id).voting_open


def test_discussion_cards_go_up_on_the_projector_and_come_down_with_the_step(
        qtbot, window) -> None:
    audience = _open_audience(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL | SHIFT)
    panel = window.presenter.cards_panel
    assert isinstance(panel, DiscussionCardsPanel) and panel.isVisible()
    assert not panel.isModal()  # the facilitator keeps working beside it
    cards = DISCUSSION_CARDS[3]
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == [
        f"{c.title}: {c.prompt}" for c in cards]
    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cards[1].prompt in _shown(audience), timeout=2000)
    assert panel.shown_label.text() == f"On the projector: {cards[1].title}"
    qtbot.mouseClick(panel.hide_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cards[1].prompt not in _shown(audience), timeout=2000)

    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cards[1].prompt in _shown(audience), timeout=2000)
    window.set_step(4)
    assert cards[1].prompt not in _shown(audience)
    assert panel.list.item(0).text().startswith(DISCUSSION_CARDS[4][0].title)


def test_theme_and_text_size_reach_the_audience_and_are_kept(qtbot, store, settings_path,
                                                             demo_workshop) -> None:
    window = _window(qtbot, store, settings_path)
    window.open_workshop(demo_workshop.id)
    presenter = window.presenter
    presenter.theme_actions["high_contrast"].trigger()
    audience = _open_audience(qtbot, window)
    assert audience.theme_name == "high_contrast"
    qtbot.keyClick(window, Qt.Key.Key_Equal, ALT)
    qtbot.keyClick(window, Qt.Key.Key_Equal, ALT)
    assert presenter.text_scale == 1.3
    assert audience.text_scale == pytest.approx(1.3)
    qtbot.keyClick(window, Qt.Key.Key_Minus, ALT)
    assert presenter.text_scale == 1.15
    presenter.theme_actions["dark"].trigger()
    assert audience.theme_name == "dark"
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(THEME_KEY) == "dark"
    window.close()

    again = _window(qtbot, store, settings_path)
    assert again.presenter.theme == "dark" and again.presenter.theme_actions["dark"].isChecked()
    assert again.presenter.text_scale == 1.15
    _activate(qtbot, again)
    qtbot.keyClick(again, Qt.Key.Key_0, ALT)
    assert again.presenter.text_scale == 1.0


def test_closing_the_main_window_or_the_workshop_closes_the_audience(qtbot, window) -> None:
    audience = _open_audience(qtbot, window)
    window.close_workshop()
    assert window.presenter.audience is None
    assert not window.presenter.audience_action.isEnabled()
    qtbot.waitUntil(lambda: not shiboken6.isValid(audience), timeout=2000)
    window.open_workshop(window.start_screen.selected_workshop_id())
    audience = _open_audience(qtbot, window)
    window.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(audience), timeout=2000)


def test_closing_the_audience_window_itself_unticks_the_menu(qtbot, window) -> None:
    audience = _open_audience(qtbot, window)
    audience.close()
    qtbot.waitUntil(lambda: window.presenter.audience is None, timeout=2000)
    assert not window.presenter.audience_action.isChecked()


# ----------------------------------------------------------------- keys


def _overlap(a: tuple[Qt.ShortcutContext, QWidget], b: tuple[Qt.ShortcutContext, QWidget]
             ) -> bool:
    """Could both shortcuts be live for one focus widget (Qt would then call them ambiguous)?"""
    (context_a, widget_a), (context_b, widget_b) = a, b
    if Qt.ShortcutContext.ApplicationShortcut in (context_a, context_b):
        return True
    if widget_a.window() is not widget_b.window():
        return False
    if Qt.ShortcutContext.WindowShortcut in (context_a, context_b):
        return True

    def within(child: QWidget, parent: QWidget) -> bool:
        return child is parent or parent.isAncestorOf(child)

    if context_a == Qt.ShortcutContext.WidgetShortcut and (
            context_b == Qt.ShortcutContext.WidgetShortcut):
        return widget_a is widget_b
    if context_a == Qt.ShortcutContext.WidgetShortcut:
        return within(widget_a, widget_b)
    if context_b == Qt.ShortcutContext.WidgetShortcut:
        return within(widget_b, widget_a)
    return within(widget_a, widget_b) or within(widget_b, widget_a)


def shortcut_clashes(window: QWidget) -> list[str]:
    """Keys that two visible actions share where both could be live at once."""
    live: dict[str, list[tuple[QAction, Qt.ShortcutContext, QWidget]]] = defaultdict(list)
    for action in window.findChildren(QAction):
        if not action.isVisible():
            continue
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            for owner in action.associatedObjects():
                if isinstance(owner, QWidget) and not isinstance(owner, (QMenu, QMenuBar)):
                    live[key].append((action, action.shortcutContext(), owner))
    clashes = []
    for key, entries in live.items():
        for i, (action_a, context_a, widget_a) in enumerate(entries):
            for action_b, context_b, widget_b in entries[i + 1:]:
                if action_a is not action_b and _overlap((context_a, widget_a),
                                                         (context_b, widget_b)):
                    clashes.append(f"{key}: {action_a.text()!r} and {action_b.text()!r}")
    return sorted(set(clashes))


def test_no_two_commands_share_a_key_where_both_could_fire(qtbot, window) -> None:
    window.set_moderation_visible(True)
    window.set_join_panel_visible(True)
    for step in (1, 2, 3, 4):
        window.set_step(step)
        assert shortcut_clashes(window) == [], step
    window.close_workshop()
    assert shortcut_clashes(window) == []

    # The check finds a real clash: a step-3 key that is also window-wide.
    window.open_workshop(window.start_screen.selected_workshop_id())
    window.set_step(3)
    intruder = QAction("Intruder", window.board)
    intruder.setShortcut(QKeySequence("Ctrl+Shift+T"))
    intruder.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    window.board.addAction(intruder)
    assert shortcut_clashes(window) == ["Ctrl+Shift+T: 'Countdown &timer…' and 'Intruder'"]


def test_help_lists_every_shortcut_by_menu_and_step(qtbot, window) -> None:
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.presenter.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog)
    assert window.presenter.shortcuts_action in window.help_menu.actions()
    text = dialog.text()
    titles = [title for title, _rows in dialog.groups]
    assert titles[:6] == ["File", "Edit", "View", "Joining", "Present", "Help"]
    for step in all_steps():
        assert f"Step {step.number}: {step.title}" in titles
    for action in window.presenter.present_actions:
        keys = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                           for s in action.shortcuts())
        assert f"{keys}" in text and action.text().replace("&", "") in text
    for expected in ("Ctrl+Shift+A", "Alt+PgDown", "B or Ctrl+B", "Ctrl+Shift+T", "F5",
                     "Ctrl+J", "Ctrl+Shift+P", "Add post-it…", "Compile the draft",
                     "Moderation queue"):
        assert expected in text
    # Everything with a key in the window is listed, under exactly one heading.
    listed = [keys for _title, rows in dialog.groups for keys, _text in rows]
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            native = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            assert any(native in keys.split(" or ") for keys in listed), action.text()
    assert gather_shortcuts(window) == dialog.groups
    dialog.reject()


TWO_SCREENS_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from workshopkit.app import build_main_window
    from workshopkit.exercises.demo import create_demo_workshop
    from workshopkit.store import Store
    store = Store.in_data_dir(sys.argv[1])
    workshop = create_demo_workshop(store)
    window = build_main_window(store, Path(sys.argv[1]) / "window.ini")
    laptop = next(s for s in app.screens() if s.name() == "laptop")
    window.setGeometry(laptop.availableGeometry().adjusted(40, 40, -40, -40))
    window.show()
    window.activateWindow()
    for _ in range(20):
        app.processEvents()
    window.open_workshop(workshop.id)
    QTest.keyClick(window, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    for _ in range(20):
        app.processEvents()
    audience = window.presenter.audience
    print(json.dumps({
        "main": window.screen().name(),
        "audience": audience.screen().name(),
        "full_screen": audience.isFullScreen(),
        "main_active": window.isActiveWindow(),
    }))
    window.close()
    store.close()
""")


def test_with_two_screens_the_audience_fills_the_other_one(tmp_path: Path) -> None:
    """Qt's offscreen platform with two screens: whichever the facilitator's window is on, the
    audience window goes full screen on the other, and the facilitator keeps the keyboard."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "projector", "x": 0, "y": 0, "width": 1920, "height": 1080},
        {"name": "laptop", "x": 1920, "y": 0, "width": 1440, "height": 900},
    ]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    result = subprocess.run([sys.executable, "-c", TWO_SCREENS_SCRIPT, str(tmp_path / "data")],
                            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {"main": "laptop", "audience": "projector", "full_screen": True,
                     "main_active": True}
