"""Step 5, deciding together: three questions answered by keyboard, notes saved as you go, and
the risk banner when people align but their organisations do not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton

from tests.ui.helpers import show_view
from tests.ui.test_alignment_page import ValuesWorkshop, build_values_workshop
from workshopkit.exercises.values import DECISION_QUESTIONS, RISK_TEXT
from workshopkit.model import Decision, DecisionAnswer, OrgKind
from workshopkit.store import Store
from workshopkit.ui import decisions_page
from workshopkit.ui.decisions_page import DecisionsPage

CTRL = Qt.KeyboardModifier.ControlModifier
ORDER = list(Decision)


@pytest.fixture
def values_workshop(store: Store) -> ValuesWorkshop:
    return build_values_workshop(store)


@pytest.fixture
def quiet_workshop(store: Store) -> int:
    """Two organisations, nobody's answers yet: no sign of the risk."""
    return store.create_workshop("Quiet", organisations=[
        ("Queen Mary", OrgKind.UNIVERSITY), ("Tower Hamlets CVS", OrgKind.CIVIC)]).id


def make_page(qtbot, store: Store, workshop_id: int) -> DecisionsPage:
    page = show_view(qtbot, DecisionsPage, store, workshop_id, size=(1400, 1000))
    page.show_message_boxes = False
    return page


def decisions(store: Store, workshop_id: int) -> dict[Decision, tuple[DecisionAnswer, str]]:
    found = store.values_exercise(workshop_id).decisions
    return {q: (found[q].answer, found[q].notes) for q in Decision}


def focused() -> object:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def tab_to(qtbot, page: DecisionsPage, widget) -> None:
    """Press Tab until ``widget`` has the focus (a facilitator's way round the page)."""
    for _ in range(20):
        if widget.hasFocus():
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.accessibleName()!r}")


# ----------------------------------------------------------------------------- answers


def test_the_three_questions_and_their_choices(qtbot, store, quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    headings = [page.question_labels[q].text() for q in ORDER]
    assert headings == [f"{n}. {DECISION_QUESTIONS[q]}" for n, q in enumerate(ORDER, start=1)]
    labels = {q: [r.text() for r in page.radios[q].values()] for q in ORDER}
    assert labels[Decision.CONNECTION] == ["Not yet discussed", "Yes", "Partly", "No"]
    assert labels[Decision.HOW] == ["Not yet discussed", "As organisations", "As individuals",
                                    "Both"]
    assert all(page.answer(q) is DecisionAnswer.NOT_DISCUSSED for q in ORDER)
    for question in ORDER:
        for radio in page.radios[question].values():
            assert radio.accessibleName() and radio.accessibleDescription().endswith("?")
        assert page.notes_edits[question].accessibleName()
    assert not page.risk_shown()


def test_answer_the_three_questions_by_keyboard_and_undo_one(qtbot, store,
                                                             quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    page.focus_view()
    qtbot.waitUntil(lambda: focused() is page.radios[Decision.CONNECTION][
        DecisionAnswer.NOT_DISCUSSED])
    press(qtbot, Qt.Key.Key_Right)  # Yes
    assert focused() is page.radios[Decision.CONNECTION][DecisionAnswer.YES]

    tab_to(qtbot, page, page.radios[Decision.VALUES][DecisionAnswer.NOT_DISCUSSED])
    press(qtbot, Qt.Key.Key_Down)  # Yes
    press(qtbot, Qt.Key.Key_Down)  # Partly

    tab_to(qtbot, page, page.radios[Decision.HOW][DecisionAnswer.NOT_DISCUSSED])
    press(qtbot, Qt.Key.Key_Left)  # wraps round to Both
    assert focused() is page.radios[Decision.HOW][DecisionAnswer.BOTH]

    assert decisions(store, quiet_workshop) == {
        Decision.CONNECTION: (DecisionAnswer.YES, ""),
        Decision.VALUES: (DecisionAnswer.PARTLY, ""),
        Decision.HOW: (DecisionAnswer.BOTH, ""),
    }
    assert page.answer(Decision.VALUES) is DecisionAnswer.PARTLY
    assert page.undo_stack.count() == 4  # each choice is its own step

    page.undo_stack.undo()
    assert decisions(store, quiet_workshop)[Decision.HOW] == (DecisionAnswer.NOT_DISCUSSED, "")
    assert page.radios[Decision.HOW][DecisionAnswer.NOT_DISCUSSED].isChecked()
    assert page.answer(Decision.VALUES) is DecisionAnswer.PARTLY
    page.undo_stack.undo()
    assert page.answer(Decision.VALUES) is DecisionAnswer.YES
    page.undo_stack.redo()
    assert page.answer(Decision.VALUES) is DecisionAnswer.PARTLY


def test_notes_are_saved_when_the_box_loses_focus(qtbot, store, quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    edit = page.notes_edits[Decision.CONNECTION]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "Both want <b>local</b> impact")
    assert decisions(store, quiet_workshop)[Decision.CONNECTION][1] == ""  # not yet
    press(qtbot, Qt.Key.Key_Tab)
    assert decisions(store, quiet_workshop)[Decision.CONNECTION] == (
        DecisionAnswer.NOT_DISCUSSED, "Both want <b>local</b> impact")
    assert page.undo_stack.count() == 1
    assert edit.toPlainText() == "Both want <b>local</b> impact"  # plain text, as typed

    # Choosing an answer keeps the notes; undo takes back only the answer.
    page.radios[Decision.CONNECTION][DecisionAnswer.PARTLY].click()
    assert decisions(store, quiet_workshop)[Decision.CONNECTION] == (
        DecisionAnswer.PARTLY, "Both want <b>local</b> impact")
    page.undo_stack.undo()
    assert page.answer(Decision.CONNECTION) is DecisionAnswer.NOT_DISCUSSED
    assert edit.toPlainText() == "Both want <b>local</b> impact"
    page.undo_stack.undo()
    assert edit.toPlainText() == ""
    assert decisions(store, quiet_workshop)[Decision.CONNECTION] == (
        DecisionAnswer.NOT_DISCUSSED, "")


def test_notes_are_saved_after_a_short_pause(qtbot, store, quiet_workshop, monkeypatch) -> None:
    monkeypatch.setattr(decisions_page, "NOTES_PAUSE_MS", 50)
    page = make_page(qtbot, store, quiet_workshop)
    edit = page.notes_edits[Decision.HOW]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "Start as individuals ")
    qtbot.waitUntil(lambda: decisions(store, quiet_workshop)[Decision.HOW][1]
                    == "Start as individuals")
    assert edit.hasFocus()
    store.set_decision(quiet_workshop, Decision.CONNECTION, "yes")  # a change from elsewhere
    assert page.answer(Decision.CONNECTION) is DecisionAnswer.YES
    qtbot.keyClicks(edit, "then bring in both boards")  # typing on where the cursor was
    qtbot.waitUntil(lambda: decisions(store, quiet_workshop)[Decision.HOW][1]
                    == "Start as individuals then bring in both boards")
    assert page.undo_stack.count() == 1  # typing the same notes on is one step
    page.undo_stack.undo()
    assert edit.toPlainText() == ""


def test_too_long_notes_are_refused_once_and_kept(qtbot, store, quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    errors: list[str] = []
    page.error_shown.connect(errors.append)
    edit = page.notes_edits[Decision.VALUES]
    edit.setPlainText("x" * 501)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    press(qtbot, Qt.Key.Key_Tab)
    assert len(errors) == 1 and "limit is 500" in errors[0]
    assert edit.toPlainText() == "x" * 501  # nothing typed is lost
    assert decisions(store, quiet_workshop)[Decision.VALUES] == (
        DecisionAnswer.NOT_DISCUSSED, "")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    press(qtbot, Qt.Key.Key_Tab)
    assert len(errors) == 1  # told once, not at every Tab


# ----------------------------------------------------------------------------- the risk


def test_risk_banner_when_people_align_and_their_organisations_do_not(
        qtbot, store, values_workshop) -> None:
    w = values_workshop
    page = make_page(qtbot, store, w.id)
    assert page.risk_shown()
    assert page.risk_label.text() == RISK_TEXT
    assert page.risk_label.textFormat() == Qt.TextFormat.PlainText
    assert page.risk_heading.text().startswith("Risk:")  # in words, not colour alone
    assert RISK_TEXT in page.risk_banner.accessibleDescription()
    assert page.risk_banner.accessibleName() == "Risk warning"
    assert "people from different organisations" in page.risk_reason_label.text()
    button = page.record_risk_button
    assert button.isEnabled() and button.accessibleName() == "Record this risk"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (note,) = store.values_exercise(w.id).notes
    assert note.text == RISK_TEXT
    assert not button.isEnabled()
    assert button.text() == "Risk recorded in step 4"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(store.values_exercise(w.id).notes) == 1

    page.undo_stack.undo()
    assert store.values_exercise(w.id).notes == ()
    assert button.isEnabled()


def test_risk_banner_follows_the_choice_to_work_as_individuals(qtbot, store,
                                                               quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    assert not page.risk_shown()
    page.radios[Decision.HOW][DecisionAnswer.NOT_DISCUSSED].setFocus()
    qtbot.waitUntil(page.radios[Decision.HOW][DecisionAnswer.NOT_DISCUSSED].hasFocus)
    press(qtbot, Qt.Key.Key_Right)  # As organisations
    assert not page.risk_shown()
    press(qtbot, Qt.Key.Key_Right)  # As individuals
    assert page.answer(Decision.HOW) is DecisionAnswer.INDIVIDUALS
    assert page.risk_shown()
    assert page.risk_reason_label.text() == (
        "Why this shows: the room chose to work together as individuals.")
    press(qtbot, Qt.Key.Key_Right)  # Both
    assert not page.risk_shown()


def test_risk_banner_appears_when_answers_arrive(qtbot, store, quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    assert not page.risk_shown()
    qm, cvs = store.list_organisations(quiet_workshop)
    a = store.add_participant(quiet_workshop, "Ana", organisation_id=qm.id)
    b = store.add_participant(quiet_workshop, "Ben", organisation_id=cvs.id)
    store.set_answer(quiet_workshop, "time", "Youth football coaching", participant_id=a.id)
    assert not page.risk_shown()
    store.set_answer(quiet_workshop, "time", "Coaching youth football", participant_id=b.id)
    assert page.risk_shown()


# ----------------------------------------------------------------------------- the room


def test_projector_mode_is_large(qtbot, store, quiet_workshop) -> None:
    page = make_page(qtbot, store, quiet_workshop)
    page.set_projector(True)
    widgets = [*page.findChildren(QRadioButton), *page.notes_edits.values(),
               *page.findChildren(QLabel), page.record_risk_button]
    assert min(QFontInfo(w.font()).pixelSize() for w in widgets) >= 24
    page.set_projector(False)
    assert QFontInfo(page.notes_edits[Decision.HOW].font()).pixelSize() < 24


def test_decisions_and_notes_are_there_after_reopening(qtbot, store, values_workshop) -> None:
    w = values_workshop
    page = make_page(qtbot, store, w.id)
    page.radios[Decision.HOW][DecisionAnswer.INDIVIDUALS].setFocus()
    page.radios[Decision.HOW][DecisionAnswer.INDIVIDUALS].click()
    edit = page.notes_edits[Decision.HOW]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "Priya and Sam lead for now")
    page.record_risk_button.setFocus()  # leaving the box saves it
    qtbot.mouseClick(page.record_risk_button, Qt.MouseButton.LeftButton)
    page.set_workshop(None)
    path = store.path
    store.close()

    reopened = Store(path)
    try:
        exercise = reopened.values_exercise(w.id)
        assert exercise.decisions[Decision.HOW].answer is DecisionAnswer.INDIVIDUALS
        assert exercise.decisions[Decision.HOW].notes == "Priya and Sam lead for now"
        assert [n.text for n in exercise.notes] == [RISK_TEXT]
        again = make_page(qtbot, reopened, w.id)
        assert again.answer(Decision.HOW) is DecisionAnswer.INDIVIDUALS
        assert again.notes_edits[Decision.HOW].toPlainText() == "Priya and Sam lead for now"
        assert again.risk_shown() and not again.record_risk_button.isEnabled()
    finally:
        reopened.close()
