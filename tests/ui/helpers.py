"""Building an exercise view the way the main window does, for the UI tests."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication

from workshopkit.store import Store
from workshopkit.ui.bridge import StoreBridge


def show_view(qtbot, view_class, store: Store, workshop_id: int | None, size=(1600, 900)):
    """A view over a real store with its own bridge and undo stack (Ctrl+Z / Ctrl+Shift+Z),
    shown, active and showing ``workshop_id``."""
    bridge = StoreBridge(store)
    stack = QUndoStack()
    view = view_class(store, bridge, stack)
    bridge.setParent(view)
    stack.setParent(view)
    undo = stack.createUndoAction(view)
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = stack.createRedoAction(view)
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    view.addActions([undo, redo])
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_workshop(workshop_id)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    return view


def shown_tooltip(tip: str) -> str:
    """The text a user reads in a tooltip: Qt renders text that looks like HTML as rich text."""
    from PySide6 import QtGui

    if not QtGui.Qt.mightBeRichText(tip):
        return tip
    document = QtGui.QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()
