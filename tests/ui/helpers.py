"""Building views and windows the way the main window does, for the UI tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.join.helpers import ROOMY
from workshopkit.model import OrgKind, Workshop
from workshopkit.store import Store
from workshopkit.ui.bridge import StoreBridge

if TYPE_CHECKING:
    from workshopkit.ui.join_panel import JoinPanel
    from workshopkit.ui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)
State = TypeVar("State")

UNI = "Queen Mary University of London"
CVS = "Tower Hamlets CVS"


def partner_workshop(store: Store, title: str) -> Workshop:
    """A workshop of two partners: a university (``UNI``) and a civic organisation (``CVS``)."""
    return store.create_workshop(title, organisations=[(UNI, OrgKind.UNIVERSITY),
                                                       (CVS, OrgKind.CIVIC)])


def show_active(qtbot, widget: W, size: tuple[int, int] | None = None) -> W:
    """Show ``widget`` (closed after the test) and wait until it is the active window, as a
    desktop user would find it."""
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


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
    view.resize(*size)
    view.set_workshop(workshop_id)
    return show_active(qtbot, view)


def wait_dialog(qtbot, view):
    """The dialog the view just opened, once it is the active window (as on a desktop)."""
    qtbot.waitUntil(lambda: view.dialog is not None
                    and QApplication.activeWindow() is view.dialog)
    return view.dialog


def wait_closed(qtbot, view) -> None:
    """The view's dialog has closed and the view is the active window again."""
    qtbot.waitUntil(lambda: view.dialog is None and QApplication.activeWindow() is view)


def close_message_box() -> str:
    """Close the warning box on screen (it must show plain text); returns what it said."""
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox), box
    text = box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()
    return text


def undo_round_trip(stack: QUndoStack, command, state: Callable[[], State]) -> State:
    """Push ``command``, then undo and redo it twice: each undo gives back the ``state()``
    from before, each redo the one after. Returns the state after."""
    before = state()
    stack.push(command)
    assert command.error is None
    after = state()
    assert after != before
    for _ in range(2):
        stack.undo()
        assert state() == before
        stack.redo()
        assert state() == after
    return after


def joining_window(qtbot, store: Store, settings_path: Path, workshop_id: int, step: int, *,
                   active: bool = False) -> MainWindow:
    """The real main window on ``step`` of a workshop, its joining on a free port with limits
    no test reaches (shut joining down after the test)."""
    from workshopkit.app import build_main_window

    window = build_main_window(store, settings_path)
    window.join_port = 0
    window.join_limits = ROOMY
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    qtbot.waitExposed(window)
    if active:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert window.open_workshop(workshop_id)
    window.set_step(step)
    return window


@contextmanager
def join_panel(qtbot, store: Store, workshop_id: int, height: int = 820) -> Iterator[JoinPanel]:
    """The join panel of a workshop on its own, over a real server on a free port; the server
    stops afterwards."""
    from workshopkit.ui.join_controller import JoinController
    from workshopkit.ui.join_panel import JoinPanel

    bridge = StoreBridge(store)
    controller = JoinController(store, bridge, port=0, limits=ROOMY)
    panel = JoinPanel(controller)
    bridge.setParent(panel)
    controller.setParent(panel)
    qtbot.addWidget(panel)
    panel.set_workshop(workshop_id)
    panel.set_address("127.0.0.1")
    panel.resize(420, height)
    panel.show()
    qtbot.waitExposed(panel)
    try:
        yield panel
    finally:
        controller.shutdown()


def shown_tooltip(tip: str) -> str:
    """The text a user reads in a tooltip: Qt renders text that looks like HTML as rich text."""
    from PySide6 import QtGui

    if not QtGui.Qt.mightBeRichText(tip):
        return tip
    document = QtGui.QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()
