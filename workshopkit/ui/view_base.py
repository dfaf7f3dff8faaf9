"""What the exercise views share: the store plumbing, keyed actions, dialogs and warnings
that never block."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QUndoStack

    from workshopkit.store import Store, StoreError
    from workshopkit.ui.bridge import StoreBridge
    from workshopkit.ui.commands import StoreCommand


class ExerciseView:
    """Mixed in before QWidget (``class BoardView(ExerciseView, QWidget)``): the store, bridge
    and undo stack, edits pushed as undoable commands, keyed actions, one open dialog at a
    time, plain-text warnings, and focus back on the view afterwards.

    The view defines ``error_shown`` (a ``Signal(str)``) and ``error_title``, and overrides
    ``_focus_after_dialog()`` to say where its keys work.
    """

    show_message_boxes = True  # tests turn this off and listen to error_shown instead
    error_title = "Nothing was changed"
    dialog: QDialog | None
    message_box: QMessageBox | None
    error_shown: SignalInstance

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)  # type: ignore[call-arg]
        self.store = store
        self.bridge = bridge
        self.undo_stack = undo_stack
        self._workshop_id: int | None = None
        self._projector = False
        self.dialog = None
        """The dialog currently open (non-modal to the app, modal to the view)."""
        self.message_box = None

    @property
    def workshop_id(self) -> int | None:
        return self._workshop_id

    @property
    def projector(self) -> bool:
        """Large type for the back of the room (the views that have a projector mode)."""
        return self._projector

    def _push(self, command: StoreCommand) -> bool:
        """Run a command through the undo stack; False (error shown) if the store refused."""
        command.on_error = self._on_command_error
        self.undo_stack.push(command)
        return command.error is None

    def _on_command_error(self, error: StoreError) -> None:
        self._show_error(str(error))

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

    def _ask_text(self, title: str, label: str, value: str, done: Callable[[str], None],
                  max_chars: int | None = None) -> None:
        """Ask for one line of text in a dialog; ``done`` gets it when the user presses OK."""
        dialog = QInputDialog(self)  # type: ignore[call-overload]
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextValue(value)
        dialog.setAccessibleName(title)
        editor = dialog.findChild(QLineEdit)
        if editor is not None:
            editor.setAccessibleName(label.rstrip(":"))
            if max_chars is not None:
                editor.setMaxLength(max_chars)
        dialog.textValueSelected.connect(done)
        self._open_dialog(dialog)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.reject()

    def _return_focus(self) -> None:
        """Back to the view after a dialog or a warning, so its keys work at once (some
        platforms forget)."""
        visible = self.isVisible()  # type: ignore[attr-defined]
        if QApplication.activeModalWidget() is not None or not visible:
            return
        self.window().activateWindow()  # type: ignore[attr-defined]
        self._focus_after_dialog()

    def _focus_after_dialog(self) -> None:
        """Where the view's keys work; its window is already active."""
