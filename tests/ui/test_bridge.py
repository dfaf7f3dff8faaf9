"""The store bridge hands changes made on the phone server's thread to the GUI thread."""

from __future__ import annotations

import threading

from workshopkit.model import Column
from workshopkit.store import Store
from workshopkit.ui.bridge import StoreBridge


def _post_from_another_thread(store: Store, workshop_id: int, text: str) -> None:
    worker = threading.Thread(target=store.add_postit, args=(workshop_id, Column.SHARED, text))
    worker.start()
    worker.join()


def test_a_change_from_the_server_thread_arrives_on_the_gui_thread(qtbot, store: Store) -> None:
    workshop = store.create_workshop("Arrivals")
    bridge = StoreBridge(store)
    seen: list[tuple[object, bool]] = []
    gui_thread = threading.current_thread()
    bridge.changed.connect(lambda c: seen.append((c, threading.current_thread() is gui_thread)))
    _post_from_another_thread(store, workshop.id, "Pay people for their time")
    qtbot.waitUntil(lambda: len(seen) == 1)
    change, on_gui_thread = seen[0]
    assert change.workshop_id == workshop.id
    assert on_gui_thread
    bridge.detach()


def test_a_change_queued_before_the_store_closes_is_not_delivered(qtbot, store: Store) -> None:
    """A view must never be asked to read a closed database (a late queued change used to)."""
    workshop = store.create_workshop("Late")
    bridge = StoreBridge(store)
    seen: list[object] = []
    bridge.changed.connect(seen.append)
    _post_from_another_thread(store, workshop.id, "Queued, not yet delivered")
    store.close()  # before the GUI thread's event loop runs the queued delivery
    qtbot.wait(50)
    assert seen == []


def test_after_detach_nothing_more_is_delivered(qtbot, store: Store) -> None:
    workshop = store.create_workshop("Detached")
    bridge = StoreBridge(store)
    seen: list[object] = []
    bridge.changed.connect(seen.append)
    _post_from_another_thread(store, workshop.id, "Before")
    bridge.detach()
    qtbot.wait(50)
    store.add_postit(workshop.id, Column.SHARED, "After, same thread")
    qtbot.wait(20)
    assert seen == []
