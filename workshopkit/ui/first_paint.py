"""Noticing a window's first painted frame (the start-up benchmark times it; the main window
builds what it does not need for that frame just after it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["FirstPaintWatcher"]


class FirstPaintWatcher(QObject):
    """Calls ``on_painted`` once, just after the first frame of ``window`` has been painted.

    A frame paints the window itself first, then its children in the same pass, so watching
    the window's own events is enough. (An application-wide filter would make Qt hand every
    event of every object to Python, which costs more than the frame it is timing.)
    """

    def __init__(self, window: QWidget, on_painted: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._on_painted = on_painted
        self._done = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._on_painted)  # after the rest of this frame is painted
        return False
