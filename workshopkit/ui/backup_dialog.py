"""File > Backups…: the library's rolling backups, and restoring one of them.

Restoring first keeps the library as it is now as a backup, so a restore can itself be undone
by restoring that one. Also the question asked when the library cannot be opened at start.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshopkit.backup import (
    Backup,
    BackupError,
    delete_backups_older_than,
    list_backups,
    restore_into,
)
from workshopkit.store import Store, StoreError
from workshopkit.ui.start_screen import show_error

INTRO_TEXT = (
    "workshopkit keeps a backup of all your workshops each day it is opened (the last 7 days) "
    "and before each upgrade of the file (the last 3). Restoring one replaces every workshop "
    "with the backup's; the workshops as they are now are kept as a backup first."
)
NO_BACKUPS_TEXT = "There are no backups yet: the first is made when workshopkit next opens."
PATH_ROLE = Qt.ItemDataRole.UserRole


class BackupDialog(QDialog):
    """Lists the backups, newest first; Restore puts the chosen one in place of the library."""

    backup_restored = Signal(str)  # where the library as it was before the restore was saved

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")
        layout = QVBoxLayout(self)
        self.intro_label = QLabel(INTRO_TEXT, self)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Backups, newest first")
        self.list.itemActivated.connect(self._on_list_item_activated)
        layout.addWidget(self.list)
        self.empty_label = QLabel(NO_BACKUPS_TEXT, self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.empty_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore this backup", self)
        self.restore_button.setAccessibleName("Restore this backup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for backup in list_backups(self.store.path):
            item = QListWidgetItem(backup.label, self.list)
            item.setData(PATH_ROLE, str(backup.path))
            item.setToolTip(str(backup.path))
        self.empty_label.setVisible(self.list.count() == 0)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def selected_path(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(PATH_ROLE))

    def restore_selected(self) -> str | None:
        """Restore the chosen backup; where the library as it was is now kept (or None)."""
        path = self.selected_path()
        if path is None:
            return None
        try:
            saved = restore_into(self.store, path)
        except (BackupError, StoreError) as exc:
            show_error(self, "Could not restore the backup", str(exc))
            return None
        self.refresh()
        self.backup_restored.emit(str(saved))
        return str(saved)

    def _on_list_item_activated(self, _item: QListWidgetItem) -> None:
        self.restore_selected()

    def _update_buttons(self, *_args: object) -> None:
        self.restore_button.setEnabled(self.list.currentItem() is not None)


def restore_question(parent: QWidget | None, message: str, backup: Backup) -> QMessageBox:
    """The box asking whether to restore ``backup`` when the library cannot be opened."""
    box = QMessageBox(QMessageBox.Icon.Critical, "workshopkit cannot open its workshops",
                      f"{message}\n\nRestore the newest backup ({backup.label})? The file that "
                      "could not be opened is moved aside, not deleted.", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName("workshopkit cannot open its workshops")
    restore = box.addButton("&Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    restore.setAccessibleName("Restore the backup")
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    quit_button.setAccessibleName("Quit")
    box.setDefaultButton(restore)
    box.setEscapeButton(quit_button)
    return box


def ask_to_restore(message: str, backup: Backup) -> bool:
    """Asks (blocking, before any window exists) whether to restore ``backup``."""
    box = restore_question(None, message, backup)
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole


def ask_to_delete_older_backups(parent: QWidget | None, store: Store,
                                title: str) -> QMessageBox | None:
    """After a workshop is deleted: offer to delete the backups that still contain it.

    Only backups written before this moment are deleted; None when there are none to delete.
    For the start screen's Delete (the facilitator asked for the workshop's traces to go).
    """
    if not list_backups(store.path):
        return None
    cutoff = _dt.datetime.now()
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Delete older backups")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Also delete older backups that contain “{title}”?")
    box.setInformativeText("Backups made before now hold every workshop as it was then, so "
                           "they still contain this one. Deleting them also removes the other "
                           "workshops' older versions; today's workshops are not affected.")
    box.setAccessibleName("Delete older backups")
    delete = box.addButton("Delete older backups", QMessageBox.ButtonRole.DestructiveRole)
    delete.setAccessibleName("Delete older backups")
    keep = box.addButton("Keep backups", QMessageBox.ButtonRole.RejectRole)
    keep.setAccessibleName("Keep backups")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def on_finished(_result: int) -> None:
        if box.clickedButton() is delete:
            delete_backups_older_than(store.path, cutoff)

    box.finished.connect(on_finished)
    box.open()
    return box
