"""Turns store announcements into a Qt signal, so views refresh on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from workshopkit.store import Store


class StoreBridge(QObject):
    """Re-emits every committed :class:`Change` as ``changed``.

    Emitted from another thread (the phone server), the signal is queued to the GUI thread.
    """

    changed = Signal(object)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._unsubscribe = store.subscribe(self.changed.emit)

    def detach(self) -> None:
        self._unsubscribe()
