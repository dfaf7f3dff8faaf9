"""Owns the phone server's life for the open workshop and carries changes both ways.

Phone posts are committed by the server on its own thread; there it only emits a Qt signal,
which Qt queues to the GUI thread, where the change is re-announced on the StoreBridge so the
board refreshes like for any other edit. The GUI's own edits are passed to the server so the
phones' live pages update. The server modules are imported only when joining first opens.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from workshopkit.model import Change, ChangeKind
from workshopkit.store import Store, StoreError
from workshopkit.ui.bridge import StoreBridge

if TYPE_CHECKING:
    from workshopkit.join.limits import Limits
    from workshopkit.join.runner import JoinServer

PHONE_ORIGIN = "phone"
COALESCE_MS = 100
"""Phone changes arriving within this many ms reach the board as one refresh: in a busy room
(hundreds of phones) each refresh reloads whole columns, so they must not come every few ms."""
_FORWARDED_KINDS = frozenset({ChangeKind.POSTITS, ChangeKind.GROUPS, ChangeKind.JOINING,
                              ChangeKind.ORGANISATIONS,
                              ChangeKind.VOTES, ChangeKind.PRINCIPLES})


BUSY_SWITCH_INTERVAL_S = 0.001
"""While the phone server runs on its thread, the GUI thread waits at most this long for the
interpreter lock after each Qt or SQLite call (Python's default is 5 ms: a window doing a few
dozen such calls while the server is busy could stall for a noticeable fraction of a second)."""


def _prepare_for_a_busy_room() -> None:
    """Before hundreds of phones arrive: keep the GUI thread's pauses short.

    The app's long-lived objects (modules, widgets, the server) are collected once and frozen
    out of the garbage collector, so a full collection later scans only what the room adds,
    not everything the app ever made (measured: 50-75 ms pauses otherwise, on either thread,
    and either holds the interpreter lock the window needs). The switch interval is shortened.
    """
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(BUSY_SWITCH_INTERVAL_S)


def _room_is_quiet(previous_switch_interval: float) -> None:
    gc.unfreeze()
    sys.setswitchinterval(previous_switch_interval)


def default_port() -> int:
    from workshopkit.join.links import DEFAULT_PORT

    return DEFAULT_PORT


class JoinController(QObject):
    """Open joining, close it, rotate the link; phone changes reach the GUI by queued signal."""

    joining_opened = Signal(str)
    """The join URL phones should open (also after the link was rotated)."""
    joining_closed = Signal()
    error_shown = Signal(str)
    """A plain sentence for the facilitator when joining could not open or change."""
    phone_changed = Signal(object)
    """Emitted on the server's thread for every change a phone committed (queued to the GUI)."""

    def __init__(self, store: Store, bridge: StoreBridge, parent: QObject | None = None, *,
                 port: int | None = None, limits: Limits | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.bridge = bridge
        self.port = port
        self.limits = limits
        self.server: JoinServer | None = None
        self.workshop_id: int | None = None
        self.address: str = ""
        self._url = ""
        self._pending: list[Change] = []
        self._switch_interval = sys.getswitchinterval()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(COALESCE_MS)
        self._flush_timer.timeout.connect(self._on_flush_timer_timeout)
        self.phone_changed.connect(self._on_phone_changed)
        bridge.changed.connect(self._on_bridge_changed)

    # ----------------------------------------------------------------- state

    @property
    def is_open(self) -> bool:
        return self.server is not None and self.server.running and self.workshop_id is not None

    @property
    def url(self) -> str:
        """The join URL while joining is open, else ""."""
        return self._url if self.is_open else ""

    @property
    def token(self) -> str:
        if self.workshop_id is None:
            return ""
        return self.store.join_settings(self.workshop_id).token

    def join_code(self) -> str:
        from workshopkit.join.links import format_join_code

        return format_join_code(self.token) if self.workshop_id is not None else ""

    def visits(self) -> int:
        """How many phones have opened this workshop's page since joining opened."""
        if self.server is None or self.workshop_id is None:
            return 0
        return self.server.visits(self.workshop_id)

    def check_reachable(self) -> bool:
        """Does the server answer on the address the QR code shows? (asks only this laptop)"""
        if not self.is_open or self.server is None:
            return False
        from workshopkit.join.net import check_reachable

        return check_reachable(self.address, self.server.port, timeout=2.0)

    # ----------------------------------------------------------------- verbs

    def open_joining(self, workshop_id: int, address: str) -> bool:
        """Serve the phone page for this workshop on ``address``; False (and error_shown) if not."""
        from workshopkit.join.runner import JoinServer, JoinServerError

        if self.is_open and (self.workshop_id != workshop_id or self.address != address):
            self.close_joining()
        try:
            settings = self.store.join_settings(workshop_id)
            if self.server is None or not self.server.running:
                port = self.port if self.port is not None else default_port()
                kwargs: dict[str, Any] = {"host": address, "port": port,
                                          "on_change": self.phone_changed.emit}
                if self.limits is not None:
                    kwargs["limits"] = self.limits
                server = JoinServer(self.store.path, **kwargs)
                server.start()
                self.server = server
                self._switch_interval = sys.getswitchinterval()
                _prepare_for_a_busy_room()
            self.server.open_workshop(workshop_id)
        except (JoinServerError, StoreError) as error:
            self._stop_server()
            self.error_shown.emit(str(error))
            return False
        self.workshop_id = workshop_id
        self.address = address
        self._url = self.server.url(address, settings.token)
        self.joining_opened.emit(self._url)
        return True

    def close_joining(self) -> None:
        """Stop serving: phones get "joining is closed", then the port is let go."""
        was_open = self.server is not None
        if self.server is not None and self.workshop_id is not None:
            self.server.close_workshop(self.workshop_id)
        self._stop_server()
        self._url = ""
        if was_open:
            self.joining_closed.emit()

    def rotate_link(self) -> bool:
        """A new join token: links and QR codes shown before stop working at once."""
        if self.workshop_id is None:
            return False
        try:
            settings = self.store.rotate_join_token(self.workshop_id)
        except StoreError as error:
            self.error_shown.emit(str(error))
            return False
        if self.is_open and self.server is not None:
            self._url = self.server.url(self.address, settings.token)
            self.joining_opened.emit(self._url)
        return True

    def shutdown(self) -> None:
        """Stop everything (the app is quitting or the workshop closed); no thread left."""
        self.close_joining()
        self.workshop_id = None

    def _stop_server(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
            _room_is_quiet(self._switch_interval)

    # ----------------------------------------------------------------- slots

    def _on_phone_changed(self, change: Change) -> None:
        """On the GUI thread: queue a phone's change; a burst is announced as one."""
        self._pending.append(change)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _on_flush_timer_timeout(self) -> None:
        """Announce the phones' changes like any other committed edit, merged by kind."""
        merged: dict[tuple[ChangeKind, int | None], Change] = {}
        for change in self._pending:
            key = (change.kind, change.workshop_id)
            seen = merged.get(key)
            if seen is None:
                merged[key] = dataclasses.replace(change, origin=PHONE_ORIGIN)
            else:
                ids = tuple(dict.fromkeys(seen.ids + change.ids))
                every = not seen.columns or not change.columns  # empty means "any column"
                columns = frozenset() if every else seen.columns | change.columns
                merged[key] = dataclasses.replace(seen, ids=ids, columns=columns)
        self._pending.clear()
        for change in merged.values():
            self.bridge.announce(change)

    def _on_bridge_changed(self, change: Change) -> None:
        if change.origin == PHONE_ORIGIN or change.kind not in _FORWARDED_KINDS:
            return
        if self.server is not None and change.workshop_id == self.workshop_id:
            self.server.notify(change)
