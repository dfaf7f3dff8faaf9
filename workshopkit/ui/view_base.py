"""What the exercise views share: keyed actions, dialogs and warnings that never block."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance


class ExerciseView:
    """Mixed into a QWidget view: keyed actions, one open dialog at a time, plain-text
    warnings, and focus back on the view afterwards.

    The view defines ``error_shown`` (a ``Signal(str)``), ``error_title`` and
    ``_return_focus()``, and sets ``self.dialog = None`` and ``self.message_box = None``.
    """

    show_message_boxes = True  # tests turn this off and listen to error_shown instead
    error_title = "Nothing was changed"
    dialog: QDialog | None
    message_box: QMessageBox | None
    error_shown: SignalInstance

    def _action(self, text: str, shortcuts: Iterable[QKeySequence | QKeySequence.StandardKey | str],
                tip: str, slot: Callable[[], None], widget: QWidget | None = None) -> QAction:
        """An action whose keys work only while focus is in ``widget`` (default: this view)."""
        owner = widget or self
        action = QAction(text, self)  # type: ignore[call-overload]
        sequences = [QKeySequence(s) for s in shortcuts]
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.triggered.connect(lambda _checked=False: self._run_action(slot))
        owner.addAction(action)  # type: ignore[attr-defined]
        return action

    def _run_action(self, slot: Callable[[], None]) -> None:
        """Ignore the view's keys while a dialog is open (a platform may leave focus on it)."""
        if self.dialog is not None or QApplication.activeModalWidget() is not None:
            return
        slot()

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
