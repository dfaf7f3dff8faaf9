"""The Joining menu of the main window: keys open and close joining; nothing keeps running."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.join.helpers import Phone
from tests.ui.helpers import joining_window
from tests.ui.test_join_controller import board_texts
from workshopkit.model import Column
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def join_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "workshopkit-join" and t.is_alive()]


@pytest.fixture
def window(qtbot, store: Store, tmp_path: Path, demo_workshop) -> MainWindow:
    return joining_window(qtbot, store, tmp_path / "window.ini", demo_workshop.id, 3,
                          active=True)


def test_ctrl_j_opens_joining_shows_the_panel_and_phone_posts_reach_the_board(
        qtbot, window) -> None:
    assert window.join_controller is None and window.join_panel is None  # built lazily
    assert window.joining_menu.title() == "&Joining"
    window.ensure_join_panel().set_address("127.0.0.1")
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    controller = window.join_controller
    assert controller is not None and controller.is_open
    assert window.join_dock.isVisible() and window.join_panel.qr.isVisible()
    assert window.joining_action.text() == "Close &joining"
    reply = Phone(controller.url.split("/j/")[0]).post_json(
        f"/api/j/{controller.token}/postits", {"text": "From a phone", "column": "civic"})
    assert reply.status == 201
    qtbot.waitUntil(lambda: "From a phone" in board_texts(window.board, Column.CIVIC),
                    timeout=3000)
    assert window.board.is_highlighted(reply.json()["id"])

    qtbot.keyClick(window, Qt.Key.Key_F5)
    slide = window.join_panel.slide
    assert slide is not None
    qtbot.waitExposed(slide)
    qtbot.keyClick(slide, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.join_panel.slide is None)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    assert not controller.is_open and not join_threads()
    assert window.joining_action.text() == "&Open joining"


def test_panel_and_moderation_toggle_with_keys(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL | SHIFT)
    assert window.join_dock is not None and window.join_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL | SHIFT)
    assert not window.join_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL | SHIFT)
    assert window.moderation_dock is not None and window.moderation_dock.isVisible()
    assert window.moderation_panel.workshop_id == window.workshop_id


def test_closing_the_workshop_or_the_window_stops_the_server(qtbot, window,
                                                             demo_workshop) -> None:
    window.ensure_join_panel().set_address("127.0.0.1")
    window.toggle_joining()
    assert join_threads()
    window.close_workshop()
    assert not join_threads() and not window.join_dock.isVisible()
    window.open_workshop(demo_workshop.id)
    window.toggle_joining()
    assert join_threads()
    window.close()
    assert not join_threads()


def test_an_error_opening_joining_is_shown_in_a_message_box(qtbot, window) -> None:
    window.ensure_join_panel().set_address("192.0.2.55")
    window.toggle_joining()
    box = window.join_error_box
    qtbot.waitUntil(box.isVisible)
    assert "192.0.2.55" in box.text() and box.textFormat() == Qt.TextFormat.PlainText
    assert not window.join_controller.is_open
    box.close()


def test_the_server_code_is_not_imported_at_startup(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from workshopkit.app import build_main_window\n"
        "from workshopkit.store import Store\n"
        f"store = Store({str(tmp_path / 'lib.db')!r})\n"
        f"w = build_main_window(store, {str(tmp_path / 'w.ini')!r})\n"
        "w.show()\n"
        "print(sorted(m for m in ('aiohttp', 'workshopkit.join.runner', 'qrcode',\n"
        "      'workshopkit.ui.join_panel', 'workshopkit.ui.join_controller') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            timeout=60, env={"QT_QPA_PLATFORM": "offscreen",
                                             "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert QApplication.instance() is not None
