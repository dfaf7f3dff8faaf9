"""Small pieces the text-editing dialogs share (post-it, note, principle)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget


def is_ctrl_enter(event: QEvent) -> bool:
    """Ctrl+Enter (or Ctrl+Return) pressed: a multi-line editor's way to say "save"."""
    return (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))


def problem_label(parent: QWidget, name: str) -> QLabel:
    """The dark red line saying why what was typed cannot be saved (plain text)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setStyleSheet("color: #8B0000; font-weight: bold;")
    return label


def cursor_to_end(edit: QPlainTextEdit) -> None:
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    edit.setTextCursor(cursor)
