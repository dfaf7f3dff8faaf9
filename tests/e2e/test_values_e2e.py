"""End to end, step 2: two phones (headless Chromium, each its own profile and cookies) fill in
their own rows of the values grid, and the facilitator's grid in the real main window shows them.

The facilitator opens joining with Ctrl+J and ticks "Phones fill in their own row (step 2)" in
the join panel; one phone already has the page open and sees the form appear live, the other
opens it afterwards. axe-core checks the page with the form shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.e2e.test_phone_page import _browser, _run_axe, _wait
from tests.ui.helpers import joining_window
from workshopkit.model import Practice, Source
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e

SAVED = "Saved. Your answers are in the grid."
VALUES_STEP = 2


@pytest.fixture(scope="module")
def first_phone() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture(scope="module")
def second_phone() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture
def app_window(qtbot, store: Store, tmp_path: Path, demo_workshop) -> Iterator[MainWindow]:
    window = joining_window(qtbot, store, tmp_path / "window.ini", demo_workshop.id, VALUES_STEP)
    yield window
    if window.join_controller is not None:
        window.join_controller.shutdown()


def fill_in_row(driver, name: str, organisation: str, answers: dict[Practice, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    box = driver.find_element(By.ID, "values-name")
    box.clear()
    box.send_keys(name)
    Select(driver.find_element(By.ID, "values-organisation")).select_by_visible_text(organisation)
    for question, text in answers.items():
        area = driver.find_element(By.ID, f"answer-{question.value}")
        area.clear()
        area.send_keys(text)
    driver.find_element(By.ID, "values-send").click()
    _wait(driver, lambda d: d.find_element(By.ID, "values-notice").text == SAVED)


def phone_rows(store: Store, workshop_id: int) -> dict[str, dict[Practice, str]]:
    """The phones' rows as the store has them: name -> question -> answer."""
    exercise = store.values_exercise(workshop_id)
    rows: dict[str, dict[Practice, str]] = {}
    for person in exercise.participants:
        if person.source is Source.PHONE:
            rows[person.name] = {q: a.text for q in Practice
                                 if (a := exercise.answer(q, participant_id=person.id))}
    return rows


def facilitators_grid(qtbot, window: MainWindow, workshop_id: int) -> object:
    """The grid of step 2 in the main window, showing the open workshop."""
    from workshopkit.ui.values_view import ValuesView

    window.set_step(VALUES_STEP)
    view = window.working_views[VALUES_STEP]
    assert isinstance(view, ValuesView) and view.isVisible()
    assert window.workshop_id == workshop_id
    return view.grid


def grid_lines(grid) -> list[str]:
    """What the facilitator's grid shows: each row's heading and its cells, as one line."""
    model = grid.model()
    display = Qt.ItemDataRole.DisplayRole
    lines = []
    for row in range(model.rowCount()):
        cells = [str(model.headerData(row, Qt.Orientation.Vertical, display) or "")]
        cells += [str(model.data(model.index(row, column), display) or "")
                  for column in range(model.columnCount())]
        lines.append(" | ".join(cells))
    return lines


def grid_shows(grid, name: str, answers: dict[Practice, str]) -> bool:
    return any(name in line and all(text in line for text in answers.values())
               for line in grid_lines(grid))


def wait_for_grid(qtbot, grid, rows: dict[str, dict[Practice, str]]) -> None:
    """The facilitator's grid shows these rows, without anyone clicking."""
    qtbot.waitUntil(lambda: all(grid_shows(grid, name, answers)
                                for name, answers in rows.items()), timeout=10000)


def test_two_phones_fill_in_their_rows_and_the_grid_shows_them(
        qtbot, app_window: MainWindow, first_phone, second_phone, store: Store,
        demo_workshop) -> None:
    from selenium.webdriver.common.by import By

    wid = demo_workshop.id
    grid = facilitators_grid(qtbot, app_window, wid)
    assert not any("Ana Researcher" in line for line in grid_lines(grid))
    panel = app_window.ensure_join_panel()
    panel.set_address("127.0.0.1")
    qtbot.keyClick(app_window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    controller = app_window.join_controller
    assert controller is not None and controller.is_open
    url = controller.url

    # The second phone is already on the page before the facilitator opens the step.
    second_phone.get(url)
    _wait(second_phone, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    assert not second_phone.find_element(By.ID, "values").is_displayed()

    check = panel.collect_values_check
    assert check.accessibleName() == "Phones fill in their own row (step 2)"
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert store.join_settings(wid).collect_values
    _wait(second_phone, lambda d: d.find_element(By.ID, "values").is_displayed())

    first_phone.get(url)
    _wait(first_phone, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live"))
    assert first_phone.find_element(By.ID, "values").is_displayed()

    ana = {Practice.BUDGET: "Research assistants 🎉", Practice.TIME: "Writing grant bids",
           Practice.PRIORITY: "Papers <b>first</b>"}
    bea = {Practice.BUDGET: "Room hire for groups", Practice.TIME: "Talking to local groups",
           Practice.PRIORITY: "Being heard locally"}
    fill_in_row(first_phone, "Ana Researcher", "Queen Mary University of London", ana)
    fill_in_row(second_phone, "Bea Organiser", "Not listed", bea)

    rows = phone_rows(store, wid)
    assert rows == {"Ana Researcher": ana, "Bea Organiser": bea}
    exercise = store.values_exercise(wid)
    orgs = {p.name: p.organisation_id for p in exercise.participants}
    assert orgs["Bea Organiser"] is None
    assert orgs["Ana Researcher"] == next(o.id for o in exercise.organisations
                                          if o.name == "Queen Mary University of London")

    wait_for_grid(qtbot, grid, {"Ana Researcher": ana, "Bea Organiser": bea})

    # The first phone corrects its own row; the grid follows, and it is still one row.
    first_phone.get(url)
    _wait(first_phone, lambda d: d.find_element(By.ID, "values-name").get_attribute("value")
          == "Ana Researcher")
    assert first_phone.find_element(By.ID, "answer-time").get_attribute("value") == \
        "Writing grant bids"
    ana[Practice.TIME] = "Writing grant bids with partners"
    fill_in_row(first_phone, "Ana Researcher", "Queen Mary University of London", ana)
    assert phone_rows(store, wid) == {"Ana Researcher": ana, "Bea Organiser": bea}
    wait_for_grid(qtbot, grid, {"Ana Researcher": ana})
    assert sum("Ana Researcher" in line for line in grid_lines(grid)) == 1

    # The second phone's page never showed the first phone's answers.
    assert "Research assistants" not in second_phone.page_source

    violations = _run_axe(first_phone)
    assert violations == [], violations

    # Unticking the box hides the form on the phones, live.
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert not store.join_settings(wid).collect_values
    _wait(second_phone, lambda d: not d.find_element(By.ID, "values").is_displayed())
    assert "closed step 2" in second_phone.find_element(By.ID, "values-closed").text
