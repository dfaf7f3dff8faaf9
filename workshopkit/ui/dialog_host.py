"""Dialogs and error boxes that never block the event loop, for the exercise views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance


class DialogHost:
    """Mixed into a QWidget view: one open dialog at a time, plain-text warnings, focus back.

    The view defines ``error_shown`` (a ``Signal(str)``), ``error_title`` and
    ``_return_focus()``, and sets ``self.dialog = None`` and ``self.message_box = None``.
    """

    show_message_boxes = True  # tests turn this off and listen to error_shown instead
    error_title = "Nothing was changed"
    dialog: QDialog | None
    message_box: QMessageBox | None
    error_shown: SignalInstance

    def _show_error(self, message: str, title: str | None = None) -> None:
        """Tell the user what went wrong, in a warning box that does not block the event loop."""
        self.error_shown.emit(message)
        if not self.show_message_boxes:
            return
        parent = QApplication.activeModalWidget() or self
        box = QMessageBox(QMessageBox.Icon.Warning, title or self.error_title, message,
                          QMessageBox.StandardButton.Ok, parent)  # type: ignore[arg-type]
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName("Error")
        self.message_box = box
        box.finished.connect(self._on_message_box_finished)
        box.open()

    def _on_message_box_finished(self, _result: int) -> None:
        if self.sender() is self.message_box:  # type: ignore[attr-defined]
            self.message_box = None
        self._return_focus()

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()
        dialog.activateWindow()

    def _on_dialog_finished(self, _result: int) -> None:
        if self.sender() is self.dialog:  # type: ignore[attr-defined]
            self.dialog = None
        self._return_focus()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()

    def _return_focus(self) -> None:
        raise NotImplementedError
