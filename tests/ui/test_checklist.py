"""File > Checklist…: the toolkit's before-the-workshop list, saved as you go, and printable."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.conftest import require_tool
from tests.ui.helpers import show_active
from workshopkit.app import build_main_window
from workshopkit.exercises.presenting import CHECKLIST
from workshopkit.store import Store
from workshopkit.ui.checklist_dialog import ChecklistDialog
from workshopkit.ui.main_window import MainWindow

MARKUP = "<b>Paid</b> & thanked"


@pytest.fixture
def window(qtbot, store: Store, tmp_path: Path, demo_workshop) -> MainWindow:
    window = show_active(qtbot, build_main_window(store, tmp_path / "window.ini"), (1400, 900))
    assert window.open_workshop(demo_workshop.id)
    return window


def _open_checklist(qtbot, window: MainWindow) -> ChecklistDialog:
    window.checklist_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ChecklistDialog),
                    timeout=2000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ChecklistDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    return dialog


def test_every_toolkit_item_is_listed_with_its_detail(qtbot, window) -> None:
    dialog = _open_checklist(qtbot, window)
    assert [check.text() for check in dialog.checks.values()] == [p.label for p in CHECKLIST]
    for label in ("Pay people for their time", "Interpretation or translation", "Childcare",
                  "Travel", "Internet access for online participants"):
        assert label in [check.accessibleName() for check in dialog.checks.values()]
    assert dialog.progress_label.text() == f"0 of {len(CHECKLIST)} done."
    dialog.reject()


def test_ticks_and_notes_persist_across_reopen_and_undo(qtbot, window, store,
                                                        demo_workshop) -> None:
    dialog = _open_checklist(qtbot, window)
    payment = dialog.checks["payment"]
    payment.setFocus()
    qtbot.keyClick(payment, Qt.Key.Key_Space)  # ticked from the keyboard
    note = dialog.notes["payment"]
    note.setFocus()
    qtbot.keyClicks(note, MARKUP)
    qtbot.keyClick(note, Qt.Key.Key_Tab)  # leaving the field saves it
    childcare = dialog.checks["childcare"]
    qtbot.mouseClick(childcare, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, childcare.height() // 2))  # on the box
    assert dialog.progress_label.text() == f"2 of {len(CHECKLIST)} done."
    saved = {item.key: item for item in store.checklist(demo_workshop.id)}
    assert saved["payment"].done and saved["payment"].note == MARKUP
    assert saved["childcare"].done and not saved["travel"].done
    dialog.notes["travel"].setFocus()
    qtbot.keyClicks(dialog.notes["travel"], "Oyster cards")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closing keeps a note still being typed
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=2000)

    again = _open_checklist(qtbot, window)
    assert again is not dialog
    assert again.checks["payment"].isChecked() and again.checks["childcare"].isChecked()
    assert not again.checks["travel"].isChecked()
    assert again.notes["payment"].text() == MARKUP
    assert again.notes["travel"].text() == "Oyster cards"
    again.reject()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=2000)

    # Each tick is an undoable step of the workshop (Edit > Undo).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the travel note
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # childcare tick
    saved = {item.key: item for item in store.checklist(demo_workshop.id)}
    assert not saved["childcare"].done and saved["travel"].note == ""
    assert saved["payment"].done


def test_the_checklist_follows_an_undo_while_open(qtbot, window, store, demo_workshop) -> None:
    dialog = _open_checklist(qtbot, window)
    dialog.checks["catering"].setChecked(True)
    assert store.checklist(demo_workshop.id)[3].done
    window.undo_stack.undo()
    assert not dialog.checks["catering"].isChecked()
    assert dialog.progress_label.text() == f"0 of {len(CHECKLIST)} done."
    dialog.reject()


def test_print_saves_a_pdf_of_the_list(qtbot, window, store, demo_workshop,
                                       tmp_path: Path) -> None:
    store.set_checklist_item(demo_workshop.id, "interpretation", True, "BSL interpreter booked")
    dialog = _open_checklist(qtbot, window)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog),
                    timeout=2000)
    files = QApplication.activeModalWidget()
    assert isinstance(files, QFileDialog)
    assert files.defaultSuffix() == "pdf"
    target = tmp_path / "out" / "checklist.pdf"
    target.parent.mkdir()
    files.selectFile(str(target))
    files.accept()
    qtbot.waitUntil(target.is_file, timeout=3000)
    assert str(target) in dialog.status_label.text()
    text = subprocess.run([require_tool("pdftotext"), str(target), "-"], capture_output=True,
                          text=True, check=True, timeout=30).stdout
    flow = " ".join(text.split())
    assert demo_workshop.title in flow
    assert "Interpretation or translation" in flow and "BSL interpreter booked" in flow
    assert f"1 of {len(CHECKLIST)} done." in flow
    dialog.reject()


def test_the_checklist_opens_for_the_selected_workshop_on_the_start_screen(
        qtbot, window, demo_workshop) -> None:
    window.close_workshop()
    assert window.checklist_action.isEnabled()
    dialog = _open_checklist(qtbot, window)
    assert dialog.workshop_id == demo_workshop.id
    assert demo_workshop.title in dialog.windowTitle()
    dialog.reject()
