"""The join panel beside the board, driven with real clicks and keys against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from tests.join.helpers import Phone
from tests.ui.helpers import join_panel
from workshopkit.export.qr import qr_matrix
from workshopkit.join.links import format_join_code
from workshopkit.store import Store
from workshopkit.ui.join_panel import JoinPanel

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def panel(qtbot, store: Store, demo_workshop) -> Iterator[JoinPanel]:
    with join_panel(qtbot, store, demo_workshop.id) as panel:
        yield panel


def open_by_click(qtbot, panel: JoinPanel) -> None:
    with qtbot.waitSignal(panel.controller.joining_opened, timeout=5000):
        qtbot.mouseClick(panel.open_button, LEFT)


def test_open_joining_shows_qr_url_and_code_as_plain_text(qtbot, panel, store,
                                                          demo_workshop) -> None:
    assert not panel.qr.isVisible()
    assert panel.open_button.accessibleName() == "Open joining"
    open_by_click(qtbot, panel)
    url = panel.controller.url
    token = store.join_settings(demo_workshop.id).token
    assert url == f"http://127.0.0.1:{panel.controller.server.port}/j/{token}"
    assert panel.qr.isVisible() and panel.qr._matrix == qr_matrix(url)
    assert panel.url_label.text() == url.removeprefix("http://")
    assert format_join_code(token) in panel.code_label.text()
    assert panel.open_button.accessibleName() == "Close joining"
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    image = panel.qr.grab().toImage()
    centre = image.pixelColor(image.width() // 2, 2)
    assert centre.name() in ("#ffffff", "#000000")  # painted black on white, nothing else
    assert Phone(url.split("/j/")[0]).get(f"/j/{token}").status == 200

    qtbot.mouseClick(panel.open_button, LEFT)
    assert not panel.controller.is_open and not panel.qr.isVisible()
    assert panel.open_button.accessibleName() == "Open joining"


def test_rotate_asks_first_and_then_cuts_off_the_old_link(qtbot, panel, store,
                                                           demo_workshop) -> None:
    open_by_click(qtbot, panel)
    old = store.join_settings(demo_workshop.id).token
    qtbot.mouseClick(panel.rotate_button, LEFT)
    box = panel.message_box
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), LEFT)
    qtbot.waitUntil(lambda: panel.message_box is None)
    assert store.join_settings(demo_workshop.id).token == old

    qtbot.mouseClick(panel.rotate_button, LEFT)
    box = panel.message_box
    with qtbot.waitSignal(panel.controller.joining_opened, timeout=5000):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), LEFT)
    new = store.join_settings(demo_workshop.id).token
    assert new != old and new in panel.url_label.text()
    assert panel.qr.text == panel.controller.url
    phone = Phone(f"http://127.0.0.1:{panel.controller.server.port}")
    assert phone.get(f"/j/{old}").status in (403, 404)


def test_check_connection_reports_reachability_and_visits(qtbot, panel, store,
                                                          demo_workshop) -> None:
    open_by_click(qtbot, panel)
    with qtbot.waitSignal(panel.reachability_checked, timeout=5000) as checked:
        qtbot.mouseClick(panel.check_button, LEFT)
    assert checked.args == [True]
    assert "answers on 127.0.0.1" in panel.help_label.text()
    assert "hotspot" in panel.help_label.text()  # no phone yet: the plain guidance is shown
    Phone(f"http://127.0.0.1:{panel.controller.server.port}").get(
        f"/j/{store.join_settings(demo_workshop.id).token}")
    panel._update_visits()
    assert panel.visits_label.text() == "1 phone has opened the page."


def test_join_slide_is_full_screen_and_escape_closes_it(qtbot, panel) -> None:
    open_by_click(qtbot, panel)
    with qtbot.waitSignal(panel.slide_shown, timeout=2000):
        qtbot.mouseClick(panel.slide_button, LEFT)
    slide = panel.slide
    assert slide is not None
    qtbot.waitExposed(slide)
    assert slide.isFullScreen()
    assert slide.qr.text == panel.controller.url
    assert panel.controller.join_code() in slide.code_label.text()
    qtbot.waitUntil(lambda: QApplication.focusWindow() is slide.windowHandle())
    qtbot.keyClick(slide, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.slide is None)


def test_open_is_disabled_without_a_workshop(qtbot, panel) -> None:
    panel.set_workshop(None)
    assert not panel.open_button.isEnabled()
