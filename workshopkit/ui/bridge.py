"""Turns store announcements into a Qt signal, so views refresh on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from workshopkit.store import Store


class StoreBridge(QObject):
    """Re-emits every committed :class:`Change` as ``changed``.

    Emitted from another thread (the phone server), the signal is queued to the GUI thread.
    """

    changed = Signal(object)
    # Crosses from the committing thread to this object's thread (queued when they differ).
    _incoming = Signal(object)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._detached = False
        self._incoming.connect(self._deliver)
        self._unsubscribe = store.subscribe(self._incoming.emit)

    def _deliver(self, change: object) -> None:
        # A change queued before the window closed (or the store was closed) arrives late:
        # views must not then read from a closed database.
        if self._detached or self.store.closed:
            return
        self.changed.emit(change)

    def announce(self, change: object) -> None:
        """Tell the views about a change now (on this object's thread), unless they are gone:
        the join controller's coalesced phone changes go this way, often after a short wait."""
        self._deliver(change)

    def detach(self) -> None:
        self._detached = True
        self._unsubscribe()
