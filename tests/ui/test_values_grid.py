"""The grid of steps 2-3 (budget, time and priorities), driven by the keyboard like a facilitator,
with phones filling in their own rows through the real store."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontInfo, QTextDocument
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from tests.ui.helpers import CVS, UNI, partner_workshop, show_view
from workshopkit.model import Practice, Source
from workshopkit.store import Store
from workshopkit.ui.values_grid import (
    PHONE_MARKER,
    QUESTIONS,
    AddPersonDialog,
    AnswerEditor,
    ValuesGridModel,
    grid_rows,
)
from workshopkit.ui.values_view import ValuesView

# ----------------------------------------------------------------------------- helpers


@pytest.fixture
def workshop(store):
    workshop = partner_workshop(store, "Values grid")
    _uni, cvs = store.list_organisations(workshop.id)
    store.add_participant(workshop.id, "Sam Patel", organisation_id=cvs.id)
    return workshop


def org_id(store: Store, workshop_id: int, name: str) -> int:
    return next(o.id for o in store.list_organisations(workshop_id) if o.name == name)


def person_id(store: Store, workshop_id: int, name: str) -> int:
    return next(p.id for p in store.list_participants(workshop_id) if p.name == name)


def show_grid(qtbot, store: Store, workshop_id: int | None, size=(1600, 900)) -> ValuesView:
    view = show_view(qtbot, ValuesView, store, workshop_id, size)
    view.show_message_boxes = False
    view.show_page(1)
    qtbot.waitUntil(view.grid.hasFocus)
    return view


@pytest.fixture
def view(qtbot, store, workshop) -> ValuesView:
    return show_grid(qtbot, store, workshop.id)


def go_to(view: ValuesView, key: tuple[str, int], question: Practice) -> QModelIndex:
    index = view.grid.grid_model.index_of(key, question)
    assert index.isValid()
    view.grid.setCurrentIndex(index)
    view.grid.setFocus()
    return index


def type_text(qtbot, text: str) -> None:
    """Type like a person: each key goes to whatever has the keyboard focus."""
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), char)


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def fill_cell(qtbot, view: ValuesView, key: tuple[str, int], question: Practice,
              text: str) -> None:
    """Go to a cell, type (the first key opens the editor) and press Enter."""
    go_to(view, key, question)
    type_text(qtbot, text)
    assert isinstance(QApplication.focusWidget(), AnswerEditor)
    press(qtbot, Qt.Key.Key_Return)
    assert not view.grid.is_editing()


def stored(store: Store, workshop_id: int, question: Practice, **who: int) -> str:
    answer = store.values_exercise(workshop_id).answer(question, **who)
    return answer.text if answer is not None else ""


def shown(view: ValuesView, key: tuple[str, int], question: Practice) -> str:
    return view.grid.grid_model.index_of(key, question).data()


def row_labels(view: ValuesView) -> list[str]:
    model = view.grid.grid_model
    return [model.headerData(r, Qt.Orientation.Vertical).strip()
            for r in range(model.rowCount())]


# ----------------------------------------------------------------------------- rows


def test_rows_are_each_organisation_then_its_people_then_people_of_none(qtbot, store,
                                                                        workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    store.add_participant(workshop.id, "Jo Bloggs", organisation_id=uni)
    store.add_participant(workshop.id, "Kim Lee")
    view = show_grid(qtbot, store, workshop.id)
    assert row_labels(view) == [UNI, "Jo Bloggs", CVS, "Sam Patel",
                                "Kim Lee — no organisation"]
    model = view.grid.grid_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        q.label for q in QUESTIONS]
    org_font = model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.FontRole)
    person_font = model.headerData(1, Qt.Orientation.Vertical, Qt.ItemDataRole.FontRole)
    assert org_font.bold() and not person_font.bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    # A person's row is indented under their organisation's.
    assert model.headerData(1, Qt.Orientation.Vertical).startswith("\u2003")


# ----------------------------------------------------------------------------- typing


def test_fill_three_cells_by_keyboard_for_an_organisation_and_a_person(view, qtbot, store,
                                                                        workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    sam = person_id(store, workshop.id, "Sam Patel")
    fill_cell(qtbot, view, ("organisation", uni), Practice.BUDGET, "Research grants")
    fill_cell(qtbot, view, ("organisation", uni), Practice.TIME, "Teaching")
    fill_cell(qtbot, view, ("person", sam), Practice.PRIORITY, "Young people")
    assert stored(store, workshop.id, Practice.BUDGET, organisation_id=uni) == "Research grants"
    assert stored(store, workshop.id, Practice.TIME, organisation_id=uni) == "Teaching"
    assert stored(store, workshop.id, Practice.PRIORITY, participant_id=sam) == "Young people"
    assert shown(view, ("organisation", uni), Practice.TIME) == "Teaching"
    assert shown(view, ("person", sam), Practice.PRIORITY) == "Young people"
    assert view.undo_stack.count() == 3
    # Still on the last cell, ready for the next.
    assert view.grid.currentIndex() == view.grid.grid_model.index_of(("person", sam),
                                                                     Practice.PRIORITY)


def test_enter_opens_the_editor_shift_enter_adds_a_line_escape_cancels(view, qtbot, store,
                                                                       workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    store.set_answer(workshop.id, Practice.BUDGET, "Salaries", organisation_id=uni)
    go_to(view, ("organisation", uni), Practice.BUDGET)
    press(qtbot, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, AnswerEditor)
    assert editor.toPlainText() == "Salaries"
    press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(qtbot, "Buildings")
    assert editor.toPlainText() == "Salaries\nBuildings"
    press(qtbot, Qt.Key.Key_Return)
    assert stored(store, workshop.id, Practice.BUDGET, organisation_id=uni) == \
        "Salaries\nBuildings"
    # F2 opens it too; Escape leaves the answer as it was.
    press(qtbot, Qt.Key.Key_F2)
    assert isinstance(QApplication.focusWidget(), AnswerEditor)
    type_text(qtbot, "Oops")
    press(qtbot, Qt.Key.Key_Escape)
    assert not view.grid.is_editing()
    assert stored(store, workshop.id, Practice.BUDGET, organisation_id=uni) == \
        "Salaries\nBuildings"
    assert view.undo_stack.count() == 1


def test_the_editor_stops_at_the_longest_answer(view, qtbot, store, workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    go_to(view, ("organisation", uni), Practice.TIME)
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, AnswerEditor)
    editor.insertPlainText("x" * 279)
    type_text(qtbot, "abc")
    assert editor.toPlainText() == "x" * 279 + "a"
    press(qtbot, Qt.Key.Key_Return)
    assert len(stored(store, workshop.id, Practice.TIME, organisation_id=uni)) == 280


def test_delete_empties_a_cell_and_undo_restores_the_old_text(view, qtbot, store,
                                                              workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    fill_cell(qtbot, view, ("organisation", uni), Practice.PRIORITY, "Rankings")
    press(qtbot, Qt.Key.Key_F2)
    press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, " and students")
    press(qtbot, Qt.Key.Key_Return)
    assert view.undo_stack.count() == 1  # typing on in the same cell at once is one step
    fill_cell(qtbot, view, ("organisation", uni), Practice.BUDGET, "Estates")
    go_to(view, ("organisation", uni), Practice.BUDGET)
    press(qtbot, Qt.Key.Key_Delete)
    assert shown(view, ("organisation", uni), Practice.BUDGET) == ""
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(view, ("organisation", uni), Practice.BUDGET) == "Estates"
    assert stored(store, workshop.id, Practice.BUDGET, organisation_id=uni) == "Estates"
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(view, ("organisation", uni), Practice.BUDGET) == ""
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(view, ("organisation", uni), Practice.PRIORITY) == ""
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo
    assert shown(view, ("organisation", uni), Practice.PRIORITY) == "Rankings and students"


def test_an_answer_the_store_refuses_shows_why_and_changes_nothing(view, qtbot, store,
                                                                   workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    other = Store(store.path)  # another copy of the app deletes the organisation
    try:
        other.delete_organisation(uni)
    finally:
        other.close()
    go_to(view, ("organisation", uni), Practice.BUDGET)
    with qtbot.waitSignal(view.error_shown) as error:
        type_text(qtbot, "Grants")
        press(qtbot, Qt.Key.Key_Return)
    assert "no longer" in error.args[0] or "does not belong" in error.args[0]
    assert view.undo_stack.count() == 0
    assert shown(view, ("organisation", uni), Practice.BUDGET) == ""


def test_answers_are_plain_text(view, qtbot, store, workshop) -> None:
    sam = person_id(store, workshop.id, "Sam Patel")
    fill_cell(qtbot, view, ("person", sam), Practice.TIME, "<b>x</b> & <i>y</i>")
    assert stored(store, workshop.id, Practice.TIME, participant_id=sam) == \
        "<b>x</b> & <i>y</i>"
    assert shown(view, ("person", sam), Practice.TIME) == "<b>x</b> & <i>y</i>"
    store.add_participant(workshop.id, "<b>Bold</b> Name")
    assert "<b>Bold</b> Name — no organisation" in row_labels(view)
    # Tooltips would render HTML: they show the characters instead.
    index = view.grid.grid_model.index_of(("person", sam), Practice.TIME)
    assert "<b>x</b> & <i>y</i>" in rendered(index.data(Qt.ItemDataRole.ToolTipRole))
    assert "<b>x</b> & <i>y</i>" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    row = row_labels(view).index("<b>Bold</b> Name — no organisation")
    tip = view.grid.grid_model.headerData(row, Qt.Orientation.Vertical,
                                          Qt.ItemDataRole.ToolTipRole)
    assert "<b>Bold</b> Name" in rendered(tip)


def rendered(tip: str) -> str:
    """What a tooltip shows: Qt renders it as rich text when it looks like HTML."""
    if not QtGui.Qt.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


# ----------------------------------------------------------------------------- phones


def test_a_phones_row_appears_with_its_marker_and_the_current_cell_stays(view, qtbot, store,
                                                                          workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    cvs = org_id(store, workshop.id, CVS)
    store.set_answer(workshop.id, Practice.TIME, "Teaching", organisation_id=uni)
    go_to(view, ("person", person_id(store, workshop.id, "Sam Patel")), Practice.TIME)
    store.update_join_settings(workshop.id, collect_values=True)
    ana = store.submit_phone_row(workshop.id, "phone-key-1", "Ana Silva", uni,
                                 {Practice.BUDGET: "Lab kit", Practice.PRIORITY: "Papers"})
    assert ana.source is Source.PHONE
    assert row_labels(view) == [UNI, f"Ana Silva {PHONE_MARKER}", CVS, "Sam Patel"]
    assert shown(view, ("person", ana.id), Practice.BUDGET) == "Lab kit"
    assert shown(view, ("person", ana.id), Practice.PRIORITY) == "Papers"
    current = view.grid.currentIndex()
    assert view.grid.grid_model.row_at(current.row()).name == "Sam Patel"
    assert QUESTIONS[current.column()] is Practice.TIME
    # The same phone corrects its row and moves to the other organisation: same row, moved.
    store.submit_phone_row(workshop.id, "phone-key-1", "Ana Silva", cvs,
                           {Practice.BUDGET: "Rent"})
    assert row_labels(view) == [UNI, CVS, "Sam Patel", f"Ana Silva {PHONE_MARKER}"]
    assert shown(view, ("person", ana.id), Practice.BUDGET) == "Rent"
    assert view.grid.grid_model.row_at(view.grid.currentIndex().row()).name == "Sam Patel"


def test_an_open_editor_survives_a_phones_row_arriving(view, qtbot, store, workshop) -> None:
    cvs = org_id(store, workshop.id, CVS)
    go_to(view, ("organisation", cvs), Practice.BUDGET)
    type_text(qtbot, "Youth")
    editor = QApplication.focusWidget()
    assert isinstance(editor, AnswerEditor)
    store.update_join_settings(workshop.id, collect_values=True)
    store.submit_phone_row(workshop.id, "phone-key-2", "Bo", None, {Practice.TIME: "Cooking"})
    assert view.grid.is_editing() and QApplication.focusWidget() is editor
    type_text(qtbot, " work")
    press(qtbot, Qt.Key.Key_Return)
    assert stored(store, workshop.id, Practice.BUDGET, organisation_id=cvs) == "Youth work"
    assert f"Bo — no organisation {PHONE_MARKER}" in row_labels(view)


def test_a_person_deleted_elsewhere_leaves_the_grid(view, store, workshop) -> None:
    sam = person_id(store, workshop.id, "Sam Patel")
    store.delete_participant(sam)
    assert row_labels(view) == [UNI, CVS]


# ----------------------------------------------------------------------------- people


def test_add_a_person_then_fill_their_row(view, qtbot, store, workshop) -> None:
    cvs = org_id(store, workshop.id, CVS)
    go_to(view, ("organisation", cvs), Practice.TIME)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)
    dialog = view.dialog
    assert isinstance(dialog, AddPersonDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.name_edit)
    assert dialog.organisation_id() == cvs  # the current row's organisation
    type_text(qtbot, "Dee Khan")
    press(qtbot, Qt.Key.Key_Return)
    assert view.dialog is None
    dee = person_id(store, workshop.id, "Dee Khan")
    assert row_labels(view) == [UNI, CVS, "Sam Patel", "Dee Khan"]
    qtbot.waitUntil(view.grid.hasFocus)
    assert view.grid.currentIndex() == view.grid.grid_model.index_of(("person", dee),
                                                                     Practice.BUDGET)
    type_text(qtbot, "Bus fares")
    press(qtbot, Qt.Key.Key_Return)
    assert stored(store, workshop.id, Practice.BUDGET, participant_id=dee) == "Bus fares"
    view.undo_stack.undo()
    view.undo_stack.undo()
    assert "Dee Khan" not in row_labels(view)


def test_a_person_needs_a_name(view, qtbot, store, workshop) -> None:
    view.add_person_button.click()
    dialog = view.dialog
    assert isinstance(dialog, AddPersonDialog)
    with qtbot.waitSignal(view.error_shown):
        dialog.buttons.accepted.emit()
    assert view.dialog is dialog and dialog.isVisible()
    dialog.reject()
    assert [p.name for p in store.list_participants(workshop.id)] == ["Sam Patel"]


# ----------------------------------------------------------------------------- the whole grid


def test_the_grid_is_the_same_after_reopening(view, qtbot, store, workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    sam = person_id(store, workshop.id, "Sam Patel")
    fill_cell(qtbot, view, ("organisation", uni), Practice.BUDGET, "Research")
    fill_cell(qtbot, view, ("person", sam), Practice.TIME, "Youth clubs")
    model = view.grid.grid_model

    def contents(m: ValuesGridModel) -> list[list[str]]:
        return [[m.headerData(r, Qt.Orientation.Vertical)]
                + [m.index(r, c).data() for c in range(m.columnCount())]
                for r in range(m.rowCount())]

    expected = contents(model)
    reopened = Store(store.path)
    try:
        again = show_grid(qtbot, reopened, workshop.id)
        assert contents(again.grid.grid_model) == expected
        assert again.grid.grid_model.index_of(("organisation", uni), Practice.BUDGET).data() \
            == "Research"
    finally:
        reopened.close()


def test_rows_grow_with_their_answers(view, qtbot, store, workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    row = view.grid.grid_model.row_of(("organisation", uni))
    short = view.grid.rowHeight(row)
    store.set_answer(workshop.id, Practice.BUDGET, "word " * 50, organisation_id=uni)
    qtbot.waitUntil(lambda: view.grid.rowHeight(row) > 2 * short)


def test_projector_type_makes_cells_at_least_22_px(view, qtbot, store, workshop) -> None:
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)
    assert view.projector
    model = view.grid.grid_model
    cell_font = model.index(0, 0).data(Qt.ItemDataRole.FontRole)
    assert isinstance(cell_font, QFont) and QFontInfo(cell_font).pixelSize() >= 22
    header_font = model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.FontRole)
    assert QFontInfo(header_font).pixelSize() >= 22
    assert not view.add_person_button.isVisible()
    assert not view.grid_intro.isVisible()
    sam = person_id(store, workshop.id, "Sam Patel")
    go_to(view, ("person", sam), Practice.TIME)
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, AnswerEditor) and QFontInfo(editor.font()).pixelSize() >= 22
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)
    assert not view.projector and view.add_person_button.isVisible()


def test_no_message_box_blocks_when_boxes_are_on(view, qtbot, store, workshop) -> None:
    view.show_message_boxes = True
    uni = org_id(store, workshop.id, UNI)
    index = go_to(view, ("organisation", uni), Practice.BUDGET)
    view.grid.grid_model.setData(index, "y" * 400)
    box = view.message_box
    assert isinstance(box, QMessageBox) and box.textFormat() == Qt.TextFormat.PlainText
    box.close()


# ----------------------------------------------------------------------------- the model


def test_qtmodeltester_on_the_grid_model(qtmodeltester, store, workshop) -> None:
    uni = org_id(store, workshop.id, UNI)
    store.set_answer(workshop.id, Practice.BUDGET, "Grants", organisation_id=uni)
    model = ValuesGridModel()
    model.set_exercise(store.values_exercise(workshop.id))
    qtmodeltester.check(model, force_py=True)
    # Rows inserted, moved and removed in place, with the tester watching every signal.
    store.add_participant(workshop.id, "Kim Lee")
    store.update_join_settings(workshop.id, collect_values=True)
    ana = store.submit_phone_row(workshop.id, "k", "Ana", uni, {Practice.TIME: "Lab"})
    model.set_exercise(store.values_exercise(workshop.id))
    assert model.row_of(("person", ana.id)) == 1
    store.submit_phone_row(workshop.id, "k", "Ana", None, {Practice.TIME: "Lab"})
    model.set_exercise(store.values_exercise(workshop.id))
    assert model.row_of(("person", ana.id)) == model.rowCount() - 1
    store.delete_participant(ana.id)
    store.delete_organisation(uni)
    model.set_exercise(store.values_exercise(workshop.id))
    assert [r.name for r in model.rows()] == [CVS, "Sam Patel", "Kim Lee"]
    model.set_exercise(None)
    assert model.rowCount() == 0


def test_qtmodeltester_on_an_empty_grid_model(qtmodeltester) -> None:
    qtmodeltester.check(ValuesGridModel(), force_py=True)


def test_a_model_without_a_commit_handler_does_not_pretend_to_save(store, workshop) -> None:
    model = ValuesGridModel()
    model.set_exercise(store.values_exercise(workshop.id))
    assert not model.setData(model.index(0, 0), "Grants")
    assert model.index(0, 0).data() == ""


def test_grid_rows_order(store, workshop) -> None:
    exercise = store.values_exercise(workshop.id)
    rows = grid_rows(exercise.organisations, exercise.participants)
    assert [r.name for r in rows] == [UNI, CVS, "Sam Patel"]
    assert rows[2].description == f"Sam Patel, of {CVS}"
    assert rows[0].subject == {"organisation_id": rows[0].key[1], "participant_id": None}


def test_no_workshop_shows_an_empty_grid(qtbot, store) -> None:
    view = show_view(qtbot, ValuesView, store, None)
    view.show_page(1)
    assert view.grid.grid_model.rowCount() == 0
    assert view.grid_empty.isVisible()
    assert not view.add_person_action.isEnabled()
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
