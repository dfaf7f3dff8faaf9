"""The New workshop / Workshop details dialog, typed into like a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QTableWidget,
)

from workshopkit.model import OrgKind
from workshopkit.store import Store
from workshopkit.ui.workshop_dialog import NO_ORGANISATION, WorkshopDialog


def _dialog(qtbot, store: Store, workshop_id: int | None = None) -> WorkshopDialog:
    dialog = WorkshopDialog(store, workshop_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _save_button(dialog: WorkshopDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def _type_into_new_row(qtbot, table: QTableWidget, text: str) -> None:
    """After Add …, the name cell is open for typing: type, then Enter commits it."""
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the new row's name cell should open for typing"
    editor = editors[0]
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Qt commits the cell on a queued call, as the event loop of the running app would run it.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState, timeout=2000)


def _choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry by keyboard, with the arrow keys on the combo box."""
    combo.setFocus()
    index = combo.findText(text)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert index >= 0, f"{text!r} not offered in {offered}"
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_new_workshop_typed_in_is_saved_with_organisations_and_people(qtbot, store, data_dir):
    dialog = _dialog(qtbot, store)
    qtbot.keyClicks(dialog.title_edit, "Spring partnership workshop")
    qtbot.keyClicks(dialog.partnership_edit, "QM and Tower Hamlets CVS")
    qtbot.keyClicks(dialog.date_edit, "2025-04-02")
    qtbot.keyClicks(dialog.place_edit, "Mile End")
    qtbot.keyClicks(dialog.facilitator_edit, "Sam")
    qtbot.keyClicks(dialog.notes_edit, "Bring pens")
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.notes_edit, "and tea")

    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.add_org_button, Qt.MouseButton.LeftButton)
    _type_into_new_row(qtbot, dialog.org_table, "Queen Mary University of London")
    _choose(qtbot, dialog.org_table.cellWidget(0, 1), OrgKind.UNIVERSITY.label)
    qtbot.mouseClick(dialog.add_org_button, Qt.MouseButton.LeftButton)
    _type_into_new_row(qtbot, dialog.org_table, "Tower Hamlets CVS")

    qtbot.mouseClick(dialog.add_person_button, Qt.MouseButton.LeftButton)
    _type_into_new_row(qtbot, dialog.people_table, "Ayesha")
    _choose(qtbot, dialog.people_table.cellWidget(0, 1), "Tower Hamlets CVS")

    with qtbot.waitSignal(dialog.workshop_saved, timeout=2000) as saved:
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    with Store.in_data_dir(data_dir) as reopened:  # what is on disk, not what is cached
        (summary,) = reopened.list_workshops()
        assert saved.args == [summary.id]
        workshop = reopened.get_workshop(summary.id)
        assert (workshop.title, workshop.partnership, workshop.date, workshop.place,
                workshop.facilitator, workshop.notes) == (
            "Spring partnership workshop", "QM and Tower Hamlets CVS", "2025-04-02", "Mile End",
            "Sam", "Bring pens\nand tea")
        orgs = reopened.list_organisations(summary.id)
        assert [(o.name, o.kind) for o in orgs] == [
            ("Queen Mary University of London", OrgKind.UNIVERSITY),
            ("Tower Hamlets CVS", OrgKind.CIVIC),
        ]
        (person,) = reopened.list_participants(summary.id)
        assert person.name == "Ayesha"
        assert person.organisation_id == orgs[1].id


def test_a_title_is_required_and_the_reason_is_shown_in_the_dialog(qtbot, store):
    dialog = _dialog(qtbot, store)
    qtbot.keyClicks(dialog.partnership_edit, "Kept as typed")
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "title" in dialog.error_label.text().lower()
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.partnership_edit.text() == "Kept as typed"
    assert store.list_workshops() == []


def test_a_date_that_is_not_iso_is_refused_in_plain_words(qtbot, store):
    dialog = _dialog(qtbot, store)
    qtbot.keyClicks(dialog.title_edit, "Workshop")
    qtbot.keyClicks(dialog.date_edit, "next <b>Tuesday</b>")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # Enter presses the default button
    assert dialog.isVisible()
    assert "YYYY-MM-DD" in dialog.error_label.text()
    assert "next <b>Tuesday</b>" in dialog.error_label.text()
    assert store.list_workshops() == []


def test_a_refused_row_keeps_everything_and_saving_again_does_not_duplicate(qtbot, store):
    dialog = _dialog(qtbot, store)
    qtbot.keyClicks(dialog.title_edit, "Autumn workshop")
    dialog.add_organisation_row("Civic group", OrgKind.CIVIC)
    dialog.add_participant_row("x" * 250)
    qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "Person 1" in dialog.error_label.text()
    assert "limit is 200" in dialog.error_label.text()
    assert dialog.title_edit.text() == "Autumn workshop"
    assert dialog.people_table.item(0, 0).text() == "x" * 250

    dialog.people_table.item(0, 0).setText("Jo")
    with qtbot.waitSignal(dialog.workshop_saved, timeout=2000):
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    (summary,) = store.list_workshops()
    assert (summary.title, summary.organisations, summary.participants) == ("Autumn workshop", 1, 1)


def test_details_edits_persist_after_reopening_the_store(qtbot, store, demo_workshop, data_dir):
    dialog = _dialog(qtbot, store, demo_workshop.id)
    assert dialog.title_edit.text() == demo_workshop.title
    assert dialog.org_table.rowCount() == 2
    assert dialog.people_table.rowCount() == 2

    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Renamed <i>workshop</i>")
    dialog.tabs.setCurrentIndex(1)
    dialog.org_table.item(1, 0).setText("Tower Hamlets Council for Voluntary Service")
    _choose(qtbot, dialog.org_table.cellWidget(0, 1), OrgKind.OTHER.label)
    dialog.people_table.setCurrentCell(0, 0)
    qtbot.mouseClick(dialog.remove_person_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_person_button, Qt.MouseButton.LeftButton)
    _type_into_new_row(qtbot, dialog.people_table, "Ravi")
    assert dialog.people_table.cellWidget(1, 1).currentText() == NO_ORGANISATION

    with qtbot.waitSignal(dialog.workshop_saved, timeout=2000):
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)

    with Store(Path(store.path)) as reopened:
        assert reopened.get_workshop(demo_workshop.id).title == "Renamed <i>workshop</i>"
        orgs = reopened.list_organisations(demo_workshop.id)
        assert [(o.name, o.kind) for o in orgs] == [
            ("Queen Mary University of London", OrgKind.OTHER),
            ("Tower Hamlets Council for Voluntary Service", OrgKind.CIVIC),
        ]
        people = reopened.list_participants(demo_workshop.id)
        assert [(p.name, p.organisation_id) for p in people] == [
            ("Community development lead", orgs[1].id),
            ("Ravi", None),
        ]


def test_removing_an_organisation_unlinks_its_people(qtbot, store, demo_workshop):
    dialog = _dialog(qtbot, store, demo_workshop.id)
    dialog.tabs.setCurrentIndex(1)
    dialog.org_table.setCurrentCell(0, 0)
    qtbot.mouseClick(dialog.remove_org_button, Qt.MouseButton.LeftButton)
    assert dialog.people_table.cellWidget(0, 1).currentText() == NO_ORGANISATION
    assert dialog.people_table.cellWidget(1, 1).currentText() == "Tower Hamlets CVS"
    with qtbot.waitSignal(dialog.workshop_saved, timeout=2000):
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    assert [o.name for o in store.list_organisations(demo_workshop.id)] == ["Tower Hamlets CVS"]
    assert [p.organisation_id is None for p in store.list_participants(demo_workshop.id)] == [
        True, False]


def test_cancel_changes_nothing(qtbot, store, demo_workshop):
    dialog = _dialog(qtbot, store, demo_workshop.id)
    dialog.title_edit.setText("Not saved")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert store.get_workshop(demo_workshop.id).title == demo_workshop.title


@pytest.mark.parametrize("field", ["title_edit", "partnership_edit", "date_edit", "place_edit",
                                   "facilitator_edit", "notes_edit", "org_table", "people_table",
                                   "add_org_button", "remove_org_button", "add_person_button",
                                   "remove_person_button"])
def test_every_control_has_an_accessible_name(qtbot, store, field):
    dialog = _dialog(qtbot, store)
    assert getattr(dialog, field).accessibleName()
