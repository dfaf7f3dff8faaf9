"""End to end through the app: the join panel's QR code -> zbarimg -> Chromium -> the board.

The pytest-qt app renders its join panel offscreen; ``zbarimg`` decodes the QR code from that
picture; headless Chromium (Selenium, Debian's chromium-driver) opens the decoded URL, sends a
post-it, and the post-it appears on the app's board without a click. axe-core runs on the page.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import require_tool
from tests.e2e.test_phone_page import _browser, _fill_and_send, _mine_texts, _run_axe, _wait
from tests.ui.helpers import joining_window
from tests.ui.test_join_controller import board_texts
from workshopkit.model import Column
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture
def app_window(qtbot, store: Store, tmp_path: Path, demo_workshop) -> Iterator[MainWindow]:
    window = joining_window(qtbot, store, tmp_path / "window.ini", demo_workshop.id, 3)
    yield window
    if window.join_controller is not None:
        window.join_controller.shutdown()


def decode_qr(png: Path) -> str:
    zbarimg = require_tool("zbarimg")
    result = subprocess.run([zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True, check=False,
                            timeout=30)
    assert result.returncode == 0, f"zbarimg found no QR code in {png}: {result.stderr}"
    return result.stdout.strip()


def test_scan_the_panel_post_from_chromium_and_see_it_on_the_board(
        qtbot, app_window: MainWindow, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    panel = app_window.ensure_join_panel()
    panel.set_address("127.0.0.1")
    qtbot.keyClick(app_window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert app_window.join_controller is not None and app_window.join_controller.is_open
    qtbot.waitUntil(panel.qr.isVisible)

    png = tmp_path / "join-panel.png"
    assert panel.grab().save(str(png))
    url = decode_qr(png)
    assert url == app_window.join_controller.url

    driver = browser
    driver.get(url)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    text = "Answer emails within a week <b>please</b> 🙂"
    _fill_and_send(driver, "civic", text)
    qtbot.waitUntil(lambda: text in board_texts(app_window.board, Column.CIVIC), timeout=10000)
    postit = next(p for p in app_window.board.models[Column.CIVIC].postits() if p.text == text)
    assert app_window.board.is_highlighted(postit.id)
    _wait(driver, lambda d: any("On the board" in t for t in _mine_texts(d)))
    assert panel.controller.visits() >= 1

    violations = _run_axe(driver)
    assert violations == [], violations
