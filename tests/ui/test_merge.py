"""File > Merge workshops…: the Queen Mary sequence, where a joint workshop keeps where every
post-it, map card, stated value and grid answer came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import CVS, UNI, partner_workshop, show_active
from workshopkit.app import build_main_window
from workshopkit.model import Column, Practice, Status
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow
from workshopkit.ui.merge_dialog import SEQUENCE_TEXT, MergeDialog

COMMUNITY = "Community partners <only>"
STAFF = "University staff"
JOINT = "Joint: community partners + university staff"


def _fill(store: Store, title: str, word: str) -> int:
    """A workshop with a bit of everything, each item naming ``word``."""
    workshop = partner_workshop(store, title)
    orgs = {org.name: org for org in store.list_organisations(workshop.id)}
    store.add_postit(workshop.id, Column.CIVIC, f"{word}: pay us on time")
    store.add_postit(workshop.id, Column.SHARED, f"{word}: shared data")
    held = store.add_postit(workshop.id, Column.UNIVERSITIES, f"{word}: held back")
    store.set_status([held.id], Status.HELD)
    store.add_stakeholder(workshop.id, f"{word} lead", organisation_id=orgs[CVS].id, ring=0)
    store.add_stated_value(orgs[CVS].id, f"{word} value: trust")
    store.set_answer(workshop.id, Practice.BUDGET, f"{word} budget answer",
                     organisation_id=orgs[UNI].id)
    person = store.add_participant(workshop.id, f"{word} person", organisation_id=orgs[CVS].id)
    store.set_answer(workshop.id, Practice.TIME, f"{word} time answer",
                     participant_id=person.id)
    return workshop.id


@pytest.fixture
def two(store: Store) -> tuple[int, int]:
    return _fill(store, COMMUNITY, "Community"), _fill(store, STAFF, "Staff")


@pytest.fixture
def window(qtbot, store: Store, tmp_path: Path, two) -> MainWindow:
    return show_active(qtbot, build_main_window(store, tmp_path / "window.ini"), (1400, 900))


def _open_dialog(qtbot, window: MainWindow) -> MergeDialog:
    """File > Merge workshops…, from the start screen."""
    assert window.stack.currentWidget() is window.start_screen
    assert window.merge_action.isEnabled() and window.merge_action in window.file_menu.actions()
    window.merge_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), MergeDialog),
                    timeout=2000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, MergeDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    return dialog


def _row_of(dialog: MergeDialog, title: str) -> int:
    for row in range(dialog.list.count()):
        if dialog.list.item(row).text().startswith(title):
            return row
    raise AssertionError(title)


def test_merging_two_workshops_keeps_every_item_with_its_origin(qtbot, window, store,
                                                                 two) -> None:
    dialog = _open_dialog(qtbot, window)
    assert dialog.sequence_label.text() == SEQUENCE_TEXT
    assert "Queen Mary" in SEQUENCE_TEXT
    assert dialog.sequence_label.textFormat() == Qt.TextFormat.PlainText
    assert not dialog.merge_button.isEnabled()

    assert dialog.checked_ids() == [window.start_screen.selected_workshop_id()]
    dialog.list.setFocus()
    for title in (COMMUNITY, STAFF):  # Space ticks and unticks
        dialog.list.setCurrentRow(_row_of(dialog, title))
        qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert dialog.checked_ids() == [two[0]]
    dialog.list.setCurrentRow(_row_of(dialog, STAFF))
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert sorted(dialog.checked_ids()) == sorted(two)
    assert dialog.hint_label.text() == "Give the joint workshop a title."
    dialog.title_edit.setFocus()
    qtbot.keyClicks(dialog.title_edit, JOINT)
    assert dialog.merge_button.isEnabled()
    with qtbot.waitSignal(window.workshop_changed, timeout=3000) as opened:
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    joint_id = opened.args[0]
    assert joint_id not in two
    assert window.workshop_id == joint_id
    assert window.windowTitle().startswith(JOINT)

    postits = store.list_postits(joint_id)
    by_text = {p.text: p for p in postits}
    for word, title in (("Community", COMMUNITY), ("Staff", STAFF)):
        for text in (f"{word}: pay us on time", f"{word}: shared data", f"{word}: held back"):
            assert by_text[text].origin == title
        assert by_text[f"{word}: held back"].status == Status.HELD  # still not on show
        cards = {s.label: s for s in store.list_stakeholders(joint_id)}
        assert cards[f"{word} lead"].origin == title
        values = store.values_exercise(joint_id)
        assert {v.text: v.origin for v in values.values}[f"{word} value: trust"] == title
        answers = {a.text: a.origin for a in values.answers}
        assert answers[f"{word} budget answer"] == title
        assert answers[f"{word} time answer"] == title
    assert len(postits) == 6
    # Organisations of the same name become one; the sources are left as they were.
    assert sorted(o.name for o in store.list_organisations(joint_id)) == sorted([CVS, UNI])
    for source in two:
        assert all(p.origin == "" for p in store.list_postits(source))
        assert len(store.list_postits(source)) == 3


def test_merging_needs_two_workshops_in_the_library(qtbot, store, tmp_path: Path) -> None:
    only = partner_workshop(store, "Alone")
    window = show_active(qtbot, build_main_window(store, tmp_path / "w.ini"), (1200, 800))
    assert not window.merge_action.isEnabled()
    store.duplicate_workshop(only.id)
    window.start_screen.refresh()
    assert window.merge_action.isEnabled()


def test_merge_needs_two_workshops_and_a_title(qtbot, window, store, two) -> None:
    before = len(store.list_workshops())
    dialog = _open_dialog(qtbot, window)
    dialog.set_checked([two[0]])
    dialog.title_edit.setText(JOINT)
    assert not dialog.merge_button.isEnabled()
    assert dialog.hint_label.text() == "Tick at least two workshops."
    assert dialog.merge() is None
    dialog.set_checked(two)
    dialog.title_edit.setText("   ")
    assert not dialog.merge_button.isEnabled()
    assert len(store.list_workshops()) == before
    dialog.reject()


def test_the_workshop_selected_on_the_start_screen_starts_ticked(qtbot, window, two) -> None:
    window.start_screen.select_workshop(two[1])
    dialog = _open_dialog(qtbot, window)
    assert dialog.checked_ids() == [two[1]]
    dialog.reject()


def test_a_workshop_deleted_meanwhile_is_refused_with_a_message(qtbot, window, store,
                                                                two) -> None:
    dialog = _open_dialog(qtbot, window)
    dialog.set_checked(two)
    dialog.title_edit.setText(JOINT)
    store.delete_workshop(two[1])
    count = len(store.list_workshops())
    assert dialog.merge() is None
    qtbot.waitUntil(lambda: dialog.message_box is not None and dialog.message_box.isVisible(),
                    timeout=2000)
    assert dialog.message_box.textFormat() == Qt.TextFormat.PlainText
    assert dialog.isVisible() and len(store.list_workshops()) == count
    dialog.message_box.close()
    dialog.reject()
