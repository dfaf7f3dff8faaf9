"""End to end, step 4: a phone (headless Chromium) reviews the draft principles and the
facilitator's tally in the real main window counts it.

The facilitator opens joining with Ctrl+J and ticks "Phones review the draft principles (step 4)"
in the join panel while the phone already has the page open: the section appears, empty, and
fills in live once the draft is compiled. The phone taps "Agree" on one principle and suggests a
change to another; step 4's tally shows both without anyone clicking. Unticking the box hides the
section on the phone again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.e2e.test_phone_page import _browser, _click, _wait
from tests.ui.helpers import joining_window
from workshopkit.exercises.principles import compile_draft, draft_rows, inputs_from_store
from workshopkit.model import ReviewTally
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e

REVIEW_STEP = 4
SAVED = "Thanks: your review is in."


@pytest.fixture(scope="module")
def phone() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture
def app_window(qtbot, store: Store, tmp_path: Path, demo_workshop) -> Iterator[MainWindow]:
    window = joining_window(qtbot, store, tmp_path / "window.ini", demo_workshop.id, REVIEW_STEP)
    yield window
    if window.join_controller is not None:
        window.join_controller.shutdown()


def facilitators_view(window: MainWindow, workshop_id: int) -> object:
    """Step 4 in the main window, showing the open workshop."""
    view = window.step_views[REVIEW_STEP]
    assert window.current_step() == REVIEW_STEP and view.isVisible()
    assert window.workshop_id == workshop_id
    return view


def lead_text(driver, principle_id: int) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, f"principle-{principle_id}-lead").text


def test_a_phones_agree_reaches_the_facilitators_tally(qtbot, app_window: MainWindow, phone,
                                                       store: Store, demo_workshop) -> None:
    from selenium.webdriver.common.by import By

    wid = demo_workshop.id
    view = facilitators_view(app_window, wid)
    panel = app_window.ensure_join_panel()
    panel.set_address("127.0.0.1")
    qtbot.keyClick(app_window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    controller = app_window.join_controller
    assert controller is not None and controller.is_open

    # The phone is on the page before the facilitator opens the review.
    phone.get(controller.url)
    _wait(phone, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    assert not phone.find_element(By.ID, "review").is_displayed()

    check = panel.review_open_check
    assert check.accessibleName() == "Phones review the draft principles (step 4)"
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert store.join_settings(wid).review_open
    _wait(phone, lambda d: d.find_element(By.ID, "review").is_displayed())
    assert phone.find_element(By.ID, "review-empty").is_displayed()

    # The facilitator compiles the draft; it appears on the phone, numbered, without a reload.
    _old, draft = store.replace_principles(
        wid, draft_rows(compile_draft(inputs_from_store(store, wid))))
    assert len(draft) >= 3
    _wait(phone, lambda d: lead_text(d, draft[-1].id) == f"{len(draft)}. {draft[-1].lead}")
    assert lead_text(phone, draft[0].id) == f"1. {draft[0].lead}"
    assert not phone.find_element(By.ID, "review-empty").is_displayed()
    target, other = draft[1], draft[2]
    assert view.tally_text(target.id).startswith("0 agree")

    # The phone taps "Agree": the facilitator's tally shows it.
    _click(phone, f"#principle-{target.id} button[data-verdict='agree']")
    _wait(phone, lambda d: SAVED in d.find_element(By.ID, f"review-{target.id}-notice").text)
    assert phone.find_element(By.ID, f"review-{target.id}-mine").text == "Your review: Agree"
    qtbot.waitUntil(lambda: view.tally_text(target.id).startswith("1 agree"), timeout=10000)
    assert store.review_tallies(wid) == {target.id: ReviewTally(target.id, agree=1)}

    # A suggested change, with its comment, is counted apart.
    box = phone.find_element(By.ID, f"comment-{other.id}")
    box.send_keys("Say who decides")
    _click(phone, f"#principle-{other.id} button[data-verdict='change']")
    _wait(phone, lambda d: SAVED in d.find_element(By.ID, f"review-{other.id}-notice").text)
    qtbot.waitUntil(lambda: view.tally_text(other.id) == "0 agree · 1 suggest a change",
                    timeout=10000)
    assert store.review_tallies(wid)[other.id].comments == ("Say who decides",)
    assert view.tally_text(target.id).startswith("1 agree")

    # The facilitator edits a lead in step 4's store while the phone is typing a comment: the
    # phone follows, keeping its reviews, the unsent comment and where the keyboard was.
    typing = phone.find_element(By.ID, f"comment-{draft[0].id}")
    typing.send_keys("Half typed")
    store.update_principle(target.id, lead="Agree who owns the data, in writing")
    _wait(phone, lambda d: lead_text(d, target.id) == "2. Agree who owns the data, in writing")
    assert phone.find_element(By.ID, f"review-{target.id}-mine").text == "Your review: Agree"
    assert phone.find_element(By.ID, f"comment-{other.id}").get_attribute("value") == \
        "Say who decides"
    assert phone.find_element(By.ID, f"comment-{draft[0].id}").get_attribute("value") == \
        "Half typed"
    assert phone.switch_to.active_element.get_attribute("id") == f"comment-{draft[0].id}"
    phone.switch_to.active_element.send_keys(", then sent")
    assert phone.find_element(By.ID, f"comment-{draft[0].id}").get_attribute("value") == \
        "Half typed, then sent"

    # Unticking the box hides the section on the phone, live.
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert not store.join_settings(wid).review_open
    _wait(phone, lambda d: not d.find_element(By.ID, "review").is_displayed())
    assert "closed the review" in phone.find_element(By.ID, "review-closed").text
