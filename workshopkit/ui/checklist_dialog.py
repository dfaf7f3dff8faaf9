"""Before the workshop: the toolkit's checklist, ticked and annotated as you go, and printable.

Each tick and each note is saved at once through a thin undoable command (Edit > Undo in the
main window takes it back); the dialog follows changes made elsewhere (an undo, another window).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import NOTE_MAX_CHARS, Change, ChangeKind, ChecklistItem
from workshopkit.store import Store, StoreError
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.commands import ErrorHandler, StoreCommand
from workshopkit.ui.guidance_panel import plain_label, scaled_font
from workshopkit.ui.start_screen import safe_file_name

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

INTRO = ("What the toolkit asks you to arrange before the workshop, so everyone can take part "
         "as an equal. Ticks and notes are saved as you go.")
NOTE_PLACEHOLDER = "Note: who, when, cost…"


class SetChecklistItemCommand(StoreCommand):
    """Tick, untick or annotate one checklist item; undo puts back what it was."""

    def __init__(self, store: Store, workshop_id: int, before: ChecklistItem, done: bool,
                 note: str, *, on_error: ErrorHandler | None = None) -> None:
        verb = "Tick" if done and not before.done else (
            "Untick" if before.done and not done else "Note on")
        super().__init__(store, f"{verb} “{before.label}”", on_error)
        self.workshop_id = workshop_id
        self.before = before
        self.done = done
        self.note = note

    def _redo(self) -> None:
        self.store.set_checklist_item(self.workshop_id, self.before.key, self.done, self.note)

    def _undo(self) -> None:
        self.store.set_checklist_item(self.workshop_id, self.before.key, self.before.done,
                                      self.before.note)


class ChecklistDialog(QDialog):
    """One row per checklist item: a checkbox, what it means, and a note."""

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 workshop_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack
        self.workshop_id = workshop_id
        self.items: dict[str, ChecklistItem] = {}
        self.checks: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.message_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self.saved_path: Path | None = None
        self._syncing = False
        workshop = store.get_workshop(workshop_id)
        self.setWindowTitle(f"Checklist: {workshop.title}")
        self.setAccessibleName("Before the workshop: checklist")
        self.setFont(scaled_font(self.font(), 1.1))

        layout = QVBoxLayout(self)
        heading = plain_label("Before the workshop", self, selectable=False)
        heading.setFont(scaled_font(self.font(), 1.5, bold=True))
        layout.addWidget(heading)
        layout.addWidget(plain_label(INTRO, self, selectable=False, name="About the checklist"))

        rows = QWidget(self)
        grid = QGridLayout(rows)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setVerticalSpacing(4)
        previous: QWidget | None = None
        for index, item in enumerate(store.checklist(workshop_id)):
            check = QCheckBox(item.label, rows)
            check.setAccessibleName(item.label)
            check.setAccessibleDescription(item.detail)
            check.setFont(scaled_font(self.font(), 1.0, bold=True))
            check.toggled.connect(lambda on, key=item.key: self._on_check_toggled(key, on))
            detail = plain_label(item.detail, rows, selectable=False)
            detail.setIndent(28)
            note = QLineEdit(rows)
            note.setAccessibleName(f"Note: {item.label}")
            note.setPlaceholderText(NOTE_PLACEHOLDER)
            note.setMaxLength(NOTE_MAX_CHARS)
            note.editingFinished.connect(lambda key=item.key: self.save_note(key))
            grid.addWidget(check, index * 2, 0)
            grid.addWidget(note, index * 2, 1)
            grid.addWidget(detail, index * 2 + 1, 0, 1, 2)
            for widget in (check, note):
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
            self.checks[item.key] = check
            self.notes[item.key] = note
        scroll = QScrollArea(self)
        scroll.setWidget(rows)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Checklist items")
        layout.addWidget(scroll, 1)

        self.progress_label = plain_label("", self, selectable=False, name="Progress")
        layout.addWidget(self.progress_label)
        self.status_label = plain_label("", self, name="Status")
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox(self)
        self.pdf_button = QPushButton("&Print / save as PDF…", self)
        self.pdf_button.setAccessibleName("Print or save as PDF")
        self.pdf_button.setAutoDefault(False)
        self.pdf_button.clicked.connect(self.save_pdf)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.refresh()
        bridge.changed.connect(self._on_bridge_changed)
        self.resize(fitted_size(self, 880, 680))

    # ----------------------------------------------------------------- state

    def refresh(self) -> None:
        """Show the saved state; a note being typed is left alone."""
        try:
            items = self.store.checklist(self.workshop_id)
        except StoreError as error:
            self._show_error(str(error))
            return
        self._syncing = True
        try:
            for item in items:
                self.items[item.key] = item
                check, note = self.checks.get(item.key), self.notes.get(item.key)
                if check is None or note is None:
                    continue
                check.setChecked(item.done)
                if not note.hasFocus() or not note.isModified():
                    note.setText(item.note)
                    note.setModified(False)
        finally:
            self._syncing = False
        done = sum(item.done for item in items)
        self.progress_label.setText(f"{done} of {len(items)} done.")

    def _on_bridge_changed(self, change: Change) -> None:
        if change.kind == ChangeKind.WORKSHOPS and change.workshop_id in (None, self.workshop_id):
            self.refresh()

    # ----------------------------------------------------------------- saving

    def _set(self, key: str, done: bool, note: str) -> None:
        before = self.items[key]
        if before.done == done and before.note == note.strip():
            return
        command = SetChecklistItemCommand(self.store, self.workshop_id, before, done, note,
                                          on_error=self._on_command_error)
        self.undo_stack.push(command)
        if command.error is not None:
            self.refresh()

    def _on_check_toggled(self, key: str, on: bool) -> None:
        if not self._syncing:
            self._set(key, on, self.notes[key].text())

    def save_note(self, key: str) -> None:
        note = self.notes[key]
        if self._syncing:
            return
        self._set(key, self.checks[key].isChecked(), note.text())
        note.setModified(False)

    def save_all_notes(self) -> None:
        for key in self.notes:
            self.save_note(key)

    def done(self, result: int) -> None:
        self.save_all_notes()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_all_notes()
        super().closeEvent(event)

    # ----------------------------------------------------------------- PDF

    def save_pdf(self) -> QFileDialog:
        """Ask where to save the printable checklist (a PDF that any printer takes)."""
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        self.save_all_notes()
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        title = self.store.get_workshop(self.workshop_id).title
        dialog = QFileDialog(self, "Save the checklist as PDF",
                             str(Path(folder) / f"{safe_file_name(title)} checklist.pdf"),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("pdf")
        dialog.setAccessibleName("Save the checklist as PDF")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_pdf_to)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def save_pdf_to(self, path: str | Path) -> Path | None:
        from workshopkit.export.checklist_pdf import write_checklist_pdf

        self.save_all_notes()
        try:
            written = write_checklist_pdf(self.store, self.workshop_id, path)
        except StoreError as error:
            self._show_error(str(error), "Could not save the checklist")
            return None
        self.saved_path = written
        self.status_label.setText(f"Saved the checklist to {written}")
        return written

    # ----------------------------------------------------------------- errors

    def _on_command_error(self, error: StoreError) -> None:
        self._show_error(str(error))

    def _show_error(self, message: str, title: str = "Nothing was changed") -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(title)
        self.message_box = box
        box.open()


def fitted_size(widget: QWidget, width: int, height: int) -> QSize:
    """A comfortable size that still fits a small laptop or projector screen."""
    screen = widget.screen()
    if screen is None:
        return QSize(width, height)
    area = screen.availableGeometry()
    return QSize(min(width, area.width() * 9 // 10), min(height, area.height() * 9 // 10))


__all__ = ("ChecklistDialog", "SetChecklistItemCommand", "fitted_size")
