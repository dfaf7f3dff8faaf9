"""File > Backups… and the offer to restore a backup when the library cannot be opened."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from workshopkit.app import build_main_window, open_library
from workshopkit.backup import Backup, list_backups, make_daily_backup
from workshopkit.model import Column
from workshopkit.store import DB_FILENAME, Store
from workshopkit.ui.backup_dialog import (
    BackupDialog,
    ask_to_delete_older_backups,
    restore_question,
)
from workshopkit.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, store: Store, tmp_path: Path) -> MainWindow:
    window = build_main_window(store, tmp_path / "settings" / "window.ini")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _start_screen_titles(window: MainWindow) -> list[str]:
    model = window.start_screen.model
    return sorted(model.workshop(row).title for row in range(model.rowCount()))


def _dialog(qtbot, window: MainWindow) -> BackupDialog:
    window.backups_action.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(BackupDialog)),
                    timeout=2000)
    (dialog,) = [d for d in window.findChildren(BackupDialog) if d.isVisible()]
    return dialog


def test_the_file_menu_offers_backups_and_says_when_there_are_none(qtbot, window):
    assert window.backups_action in window.file_menu.actions()
    dialog = _dialog(qtbot, window)
    assert dialog.list.count() == 0
    assert dialog.empty_label.isVisible()
    assert not dialog.restore_button.isEnabled()
    assert dialog.list.accessibleName() and dialog.restore_button.accessibleName()
    dialog.close()


def test_restoring_a_backup_from_the_menu_brings_back_the_workshops(qtbot, window, store):
    kept = store.create_workshop("Before the mistake")
    store.add_postit(kept.id, Column.SHARED, "Original")
    assert make_daily_backup(store.path) is not None
    store.add_postit(kept.id, Column.SHARED, "Added later")
    store.create_workshop("Made later")
    assert window.open_workshop(kept.id)

    dialog = _dialog(qtbot, window)
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text().startswith("Daily backup, ")
    with qtbot.waitSignal(dialog.backup_restored, timeout=2000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert window.workshop_id is None
    assert window.stack.currentWidget() is window.start_screen
    assert _start_screen_titles(window) == ["Before the mistake"]
    assert [p.text for p in store.list_postits(kept.id)] == ["Original"]
    assert "Backup restored" in window.statusBar().currentMessage()
    assert {b.kind for b in list_backups(store.path)} == {"daily", "before-restore"}
    assert dialog.list.count() == 2
    dialog.close()


def test_a_damaged_library_with_a_backup_is_restored_when_the_user_agrees(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("Safe in the backup")
        make_daily_backup(store.path)
    db = data_dir / DB_FILENAME
    damaged = b"this is not a database " * 64
    db.write_bytes(damaged)
    errors: list[tuple[str, str]] = []
    asked: list[tuple[str, Backup]] = []

    def agree(message: str, backup: Backup) -> bool:
        asked.append((message, backup))
        return True

    store = open_library(data_dir, lambda t, m: errors.append((t, m)), agree)
    assert store is not None
    try:
        assert [w.title for w in store.list_workshops()] == ["Safe in the backup"]
    finally:
        store.close()
    ((message, backup),) = asked
    assert "damaged" in message and backup.path.name in message
    assert errors == []
    (aside,) = data_dir.glob(f"{DB_FILENAME}.set-aside-*")
    assert aside.read_bytes() == damaged


def test_declining_the_backup_leaves_the_damaged_file_untouched(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("Backed up")
        make_daily_backup(store.path)
    db = data_dir / DB_FILENAME
    db.write_bytes(b"\x00garbage" * 100)
    before = sorted(p.name for p in data_dir.iterdir())
    errors: list[tuple[str, str]] = []

    assert open_library(data_dir, lambda t, m: errors.append((t, m)), lambda m, b: False) is None
    assert db.read_bytes() == b"\x00garbage" * 100
    assert sorted(p.name for p in data_dir.iterdir()) == before
    assert errors == []


def test_opening_the_library_makes_todays_backup(data_dir: Path):
    store = open_library(data_dir, lambda t, m: None, lambda m, b: False)
    assert store is not None
    store.close()
    assert [b.kind for b in list_backups(data_dir / DB_FILENAME)] == ["daily"]


def test_the_restore_question_is_plain_text_and_answers_by_keyboard(qtbot, tmp_path: Path):
    backup = Backup(tmp_path / "daily-2026-01-01.db", "daily", dt.datetime(2026, 1, 1, 9, 30))
    box = restore_question(None, "The file <b>x</b> is damaged.", backup)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<b>x</b>" in box.text() and "2026-01-01 09:30" in box.text()
    box.show()
    qtbot.waitExposed(box)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole


def test_a_read_only_data_folder_is_refused_naming_the_folder(data_dir: Path):
    data_dir.mkdir(parents=True)
    data_dir.chmod(0o555)
    try:
        if os.access(data_dir, os.W_OK):
            pytest.skip("running as root: folder permissions are not enforced here")
        errors: list[tuple[str, str]] = []
        assert open_library(data_dir, lambda t, m: errors.append((t, m)),
                            lambda m, b: False) is None
        ((_title, message),) = errors
        assert str(data_dir) in message and "read-only" in message
    finally:
        data_dir.chmod(0o755)


def test_a_folder_on_a_read_only_file_system_is_refused_naming_it():
    """Root ignores permission bits, but not a read-only mount (here the kernel's /proc/sys)."""
    folder = Path("/proc/sys")
    if not folder.is_dir() or os.access(folder, os.W_OK):
        pytest.skip("no read-only mounted folder to try here")
    errors: list[tuple[str, str]] = []
    assert open_library(folder, lambda t, m: errors.append((t, m)), lambda m, b: False) is None
    ((_title, message),) = errors
    assert "The folder /proc/sys is read-only" in message


def test_after_deleting_a_workshop_its_older_backups_can_be_deleted_too(qtbot, store, tmp_path):
    private = store.create_workshop("Private session")
    assert make_daily_backup(store.path) is not None
    store.delete_workshop(private.id)
    box = ask_to_delete_older_backups(None, store, "Private session")
    assert box is not None
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "Private session" in box.text()
    (delete,) = [b for b in box.buttons() if b.text() == "Delete older backups"]
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert list_backups(store.path) == []
    assert ask_to_delete_older_backups(None, store, "Private session") is None


def test_keeping_backups_is_the_default_answer(qtbot, store):
    store.create_workshop("Kept")
    assert make_daily_backup(store.path) is not None
    box = ask_to_delete_older_backups(None, store, "Kept")
    assert box is not None
    qtbot.addWidget(box)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert [b.kind for b in list_backups(store.path)] == ["daily"]


def test_deleting_a_workshop_offers_to_delete_older_backups(qtbot, store):
    """The start screen's Delete, once confirmed, asks about backups that still hold it."""

    from workshopkit.backup import list_backups, make_daily_backup
    from workshopkit.ui.bridge import StoreBridge
    from workshopkit.ui.start_screen import StartScreen

    workshop = store.create_workshop("Delete me <now>")
    make_daily_backup(store.path)
    assert list_backups(store.path)
    bridge = StoreBridge(store)
    screen = StartScreen(store, bridge)
    bridge.setParent(screen)
    qtbot.addWidget(screen)
    screen.show()
    box = screen.delete_workshop(workshop.id)
    delete = next(b for b in box.buttons() if b.text() == "Delete workshop")
    delete.click()
    qtbot.waitUntil(lambda: getattr(screen, "backup_question", None) is not None)
    question = screen.backup_question
    assert "Delete me <now>" in question.text()
    assert question.textFormat() == Qt.TextFormat.PlainText
    next(b for b in question.buttons() if b.text() == "Delete older backups").click()
    qtbot.waitUntil(lambda: not list_backups(store.path))
    assert [w.title for w in store.list_workshops()] == []
