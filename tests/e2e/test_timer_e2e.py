"""End to end, issue 7: the facilitator's countdown reaches zero on a phone (headless Chromium)
and on the projector.

The facilitator opens joining with Ctrl+J in the real main window and starts a 3-second timer
through its store (the Present menu's timer dialog counts in whole minutes); the phone, already
on the page, shows it without a reload, counts down second by second by itself and says "Time's
up"; screen readers hear when it starts and when it ends, not every second. The projector (the
audience window over the same store) counts down to 00:00 too. axe-core checks the page with the
timer shown, counting and up, with and without JavaScript; a phone whose clock is two hours out
still counts from the laptop's seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.e2e.test_phone_page import _browser, _run_axe, _wait
from tests.join.conftest import Joining, start_joining
from tests.ui.helpers import joining_window
from workshopkit.store import Store
from workshopkit.ui.audience import AudienceWindow
from workshopkit.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e

BOARD_STEP = 3
TIME_UP = "Time's up"
LABEL = "Write your post-its"

RECORD = """
window.__said = []; window.__shown = [];
function watch(id, into, repeats) {
  var node = document.getElementById(id);
  new MutationObserver(function () {
    var text = node.textContent;
    if (text && (repeats || into[into.length - 1] !== text)) { into.push(text); }
  }).observe(node, {childList: true, characterData: true, subtree: true});
}
watch('timer-announce', window.__said, true);
watch('timer-time', window.__shown, false);
"""
"""Keeps, in the page, every announcement the polite status region makes and every time the
timer shows, so a test can say what was read out and what was seen."""

WRONG_CLOCK = """
(function () {
  var RealDate = Date, shift = (2 * 3600 + 17 * 60) * 1000;
  function WrongDate() {
    if (!(this instanceof WrongDate)) { return new RealDate(RealDate.now() + shift).toString(); }
    if (arguments.length === 0) { return new RealDate(RealDate.now() + shift); }
    var args = [null].concat(Array.prototype.slice.call(arguments));
    return new (Function.prototype.bind.apply(RealDate, args))();
  }
  WrongDate.now = function () { return RealDate.now() + shift; };
  WrongDate.UTC = RealDate.UTC;
  WrongDate.parse = RealDate.parse;
  WrongDate.prototype = RealDate.prototype;
  window.Date = WrongDate;
}());
"""
"""A phone whose clock is 2 h 17 min fast."""


@pytest.fixture(scope="module")
def phone() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture
def app_window(qtbot, store: Store, tmp_path: Path, demo_workshop) -> Iterator[MainWindow]:
    window = joining_window(qtbot, store, tmp_path / "window.ini", demo_workshop.id, BOARD_STEP)
    yield window
    if window.join_controller is not None:
        window.join_controller.shutdown()


@pytest.fixture
def room(store: Store) -> Iterator[Joining]:
    j = start_joining(store, title="Partnership day")
    yield j
    j.server.stop()


def open_live(driver, url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    driver.execute_script(RECORD)


def timer_shown(driver) -> bool:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "timer").is_displayed()


def timer_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "timer-time").text


def said(driver) -> list[str]:
    return driver.execute_script("return window.__said.slice();")


def seen(driver) -> list[str]:
    return driver.execute_script("return window.__shown.slice();")


def test_a_three_second_timer_reaches_zero_on_a_phone_and_the_projector(
        qtbot, app_window: MainWindow, phone, store: Store, demo_workshop) -> None:
    from selenium.webdriver.common.by import By

    wid = demo_workshop.id
    panel = app_window.ensure_join_panel()
    panel.set_address("127.0.0.1")
    qtbot.keyClick(app_window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    controller = app_window.join_controller
    assert controller is not None and controller.is_open

    # The projector: the audience window over the main window's store, for the same workshop.
    audience = AudienceWindow(app_window.store, app_window.bridge)
    qtbot.addWidget(audience)
    audience.set_workshop(wid)
    audience.show()
    qtbot.waitExposed(audience)
    assert audience.timer_text() == ""

    open_live(phone, controller.url)
    assert not timer_shown(phone)

    # The facilitator starts a 3-second timer through the main window's store; the phone and
    # the projector both count down to zero (Qt's events run while the phone is watched).
    projector: list[str] = []

    def both_at_zero() -> bool:
        text = audience.timer_text()
        if not projector or projector[-1] != text:
            projector.append(text)
        return text == "00:00" and timer_shown(phone) and timer_text(phone) == TIME_UP

    app_window.store.start_timer(wid, 3, LABEL)
    qtbot.waitUntil(lambda: timer_shown(phone), timeout=5000)
    assert phone.find_element(By.ID, "timer-heading").text == LABEL
    assert not phone.find_element(By.ID, "timer-hint").is_displayed()  # it counts by itself
    qtbot.waitUntil(both_at_zero, timeout=8000)
    assert phone.find_element(By.ID, "timer").get_attribute("data-state") == "up"
    assert LABEL in audience.shown_texts()
    counted_there = [t for t in ["", "00:03", "00:02", "00:01", "00:00"] if t in projector]
    assert projector == counted_there and len(projector) >= 4, projector

    # Counted down on the phone, second by second, to zero.
    shown = seen(phone)
    assert shown[-1] == TIME_UP
    counted = [t for t in ["Time left: 0:03", "Time left: 0:02", "Time left: 0:01", TIME_UP]
               if t in shown]
    assert shown == counted and len(shown) >= 3, shown
    # Read out when it started and when it ended, not every second.
    _wait(phone, lambda d: len(said(d)) == 2)
    start, end = said(phone)
    assert start in (f"{LABEL}: 3 seconds left", f"{LABEL}: 2 seconds left"), start
    assert end == f"{LABEL}: {TIME_UP}"

    # The facilitator stops it: gone from the phone and the projector.
    app_window.store.stop_timer(wid)
    qtbot.waitUntil(lambda: not timer_shown(phone) and audience.timer_text() == "",
                    timeout=5000)
    assert store.join_settings(wid).timer_ends_at == ""


def test_the_page_with_a_timer_passes_axe_with_and_without_javascript(phone,
                                                                      room: Joining) -> None:
    from selenium.webdriver.common.by import By

    wid = room.workshop.id
    label = "<b>Vote</b> شراكة"
    room.store.start_timer(wid, 5 * 60, label)
    room.server.notify()
    open_live(phone, room.base + room.page)
    _wait(phone, timer_shown)
    assert phone.find_element(By.ID, "timer-heading").text == label  # plain text
    assert timer_text(phone) in ("Time left: 5:00", "Time left: 4:59")
    assert phone.find_element(By.ID, "timer-time").get_attribute("role") == "timer"
    assert _run_axe(phone) == []
    sizes = phone.execute_script(
        "var out = []; var all = document.querySelectorAll('#timer h2, #timer p');"
        "for (var i = 0; i < all.length; i++) { out.push(parseFloat("
        "getComputedStyle(all[i]).fontSize)); } return out;")
    assert sizes and min(sizes) >= 16
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390

    room.store.start_timer(wid, 1, label)  # no notify: the server notices within a second
    _wait(phone, lambda d: timer_text(d) == TIME_UP, timeout=6)
    assert _run_axe(phone) == []

    # Without JavaScript: the time left when the page loaded, and how to see it now.
    room.store.start_timer(wid, 90)
    room.server.notify()
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/phone.js"]})
    try:
        phone.get(room.base + room.page)
        assert phone.find_element(By.TAG_NAME, "body").get_attribute("data-live") is None
        assert timer_shown(phone)
        assert phone.find_element(By.ID, "timer-heading").text == "Timer"
        assert timer_text(phone) in ("Time left: 1:30", "Time left: 1:29")
        hint = phone.find_element(By.ID, "timer-hint")
        assert hint.is_displayed() and "Reload the page" in hint.text
        assert _run_axe(phone) == []
    finally:
        phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_a_phone_with_a_wrong_clock_counts_right_and_speaks_at_whole_minutes(
        phone, room: Joining) -> None:
    from selenium.webdriver.common.by import By

    wid = room.workshop.id
    script = phone.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                   {"source": WRONG_CLOCK})
    try:
        open_live(phone, room.base + room.page)
        assert phone.execute_script("return Math.abs(Date.now() - arguments[0])",
                                    time.time() * 1000) > 3600 * 1000
        room.store.start_timer(wid, 62, "Pairs")
        room.server.notify()
        _wait(phone, timer_shown)
        assert timer_text(phone) in ("Time left: 1:02", "Time left: 1:01")
        # Past the whole minute: read out once; the seconds in between are not.
        _wait(phone, lambda d: len(said(d)) == 2, timeout=5)
        start, minute = said(phone)
        assert start in ("Pairs: 1 minute 2 seconds left", "Pairs: 1 minute 1 second left")
        assert minute == "Pairs: 1 minute left"
        assert timer_text(phone) in ("Time left: 1:00", "Time left: 0:59")
        assert seen(phone)[:2] in (["Time left: 1:02", "Time left: 1:01"],
                                   ["Time left: 1:01", "Time left: 1:00"])

        # The facilitator stops it early: hidden, and said so.
        room.store.stop_timer(wid)
        room.server.notify()
        _wait(phone, lambda d: not timer_shown(d))
        _wait(phone, lambda d: said(d)[-1] == "The facilitator stopped the timer.")
        assert len(said(phone)) == 3
        assert not phone.find_element(By.ID, "timer").is_displayed()
    finally:
        phone.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                              {"identifier": script["identifier"]})
