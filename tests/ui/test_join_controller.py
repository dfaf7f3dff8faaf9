"""The app's side of joining: a real phone server on 127.0.0.1, real HTTP posts, the real board."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.join.helpers import ROOMY, Phone
from tests.ui.test_board import make_board
from workshopkit.model import Column, Moderation, Status
from workshopkit.store import Store
from workshopkit.ui.board import BoardView
from workshopkit.ui.join_controller import JoinController


def make_controller(store: Store, board: BoardView) -> JoinController:
    controller = JoinController(store, board.bridge, board, port=0, limits=ROOMY)
    return controller


@pytest.fixture
def board(qtbot, store, demo_workshop) -> BoardView:
    return make_board(qtbot, store, demo_workshop.id)


@pytest.fixture
def controller(store, board, demo_workshop, qtbot) -> Iterator[JoinController]:
    c = make_controller(store, board)
    with qtbot.waitSignal(c.joining_opened, timeout=5000):
        assert c.open_joining(demo_workshop.id, "127.0.0.1")
    yield c
    c.shutdown()


def phone_for(controller: JoinController) -> Phone:
    assert controller.server is not None
    return Phone(f"http://127.0.0.1:{controller.server.port}")


def post(controller: JoinController, text: str, column: str = "shared") -> dict:
    reply = phone_for(controller).post_json(f"/api/j/{controller.token}/postits",
                                            {"text": text, "column": column})
    assert reply.status == 201, reply.text
    return reply.json()


def board_texts(board: BoardView, column: Column) -> list[str]:
    return [p.text for p in board.models[column].display_postits()]


def refused(url: str) -> bool:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=2):
            return False
    except urllib.error.HTTPError:
        return False
    except (urllib.error.URLError, ConnectionError):
        return True


def test_opening_serves_the_page_and_closing_refuses_connections(controller, qtbot) -> None:
    url = controller.url
    assert url.startswith("http://127.0.0.1:") and f"/j/{controller.token}" in url
    assert phone_for(controller).get(f"/j/{controller.token}").status == 200
    thread = controller.server._thread  # the server's worker thread
    with qtbot.waitSignal(controller.joining_closed, timeout=5000):
        controller.close_joining()
    assert not controller.is_open and controller.url == ""
    assert thread is not None and not thread.is_alive()
    assert refused(url)


def test_rotating_the_link_makes_the_old_url_404(controller, qtbot) -> None:
    old_token = controller.token
    phone = phone_for(controller)
    with qtbot.waitSignal(controller.joining_opened, timeout=5000) as opened:
        assert controller.rotate_link()
    new_url = opened.args[0]
    assert old_token not in new_url and controller.token in new_url
    assert phone.get(f"/j/{old_token}").status in (403, 404)
    assert phone.get(f"/j/{controller.token}").status == 200


def test_a_phone_post_appears_on_the_board_without_a_click_and_is_highlighted(
        controller, board, qtbot) -> None:
    board.highlight_ms = 1500
    count = board.models[Column.CIVIC].postit_count()
    created = post(controller, "<b>Pay partners</b> on time 🙂", "civic")
    assert created["status"] == "visible"
    qtbot.waitUntil(lambda: "<b>Pay partners</b> on time 🙂" in board_texts(board, Column.CIVIC),
                    timeout=3000)
    assert board.is_highlighted(created["id"])
    assert board.models[Column.CIVIC].postit_count() == count + 1
    assert board.headings[Column.CIVIC].count.text().startswith(f"{count + 1} post-its")
    qtbot.waitUntil(lambda: not board.is_highlighted(created["id"]), timeout=3000)
    qtbot.waitUntil(lambda: not board._highlight_timer.isActive(), timeout=1000)


def test_posts_from_many_phone_threads_all_arrive(controller, board, qtbot) -> None:
    texts = [f"Idea {n}" for n in range(12)]
    threads = [threading.Thread(target=post, args=(controller, text)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    qtbot.waitUntil(lambda: set(texts) <= set(board_texts(board, Column.SHARED)), timeout=5000)


def test_the_gui_own_edits_do_not_echo_back(controller, store, demo_workshop, qtbot) -> None:
    seen = []
    controller.bridge.changed.connect(seen.append)
    store.add_postit(demo_workshop.id, Column.SHARED, "From the laptop")
    qtbot.wait(200)
    assert len(seen) == 1 and seen[0].origin == ""


def test_approval_mode_queues_phone_posts_until_approved(controller, store, board, demo_workshop,
                                                         qtbot) -> None:
    store.update_join_settings(demo_workshop.id, moderation=Moderation.APPROVAL)
    created = post(controller, "Wait for me")
    assert created["status"] == "pending"
    qtbot.wait(300)
    assert "Wait for me" not in board_texts(board, Column.SHARED)
    store.set_status([created["id"]], Status.VISIBLE)
    qtbot.waitUntil(lambda: "Wait for me" in board_texts(board, Column.SHARED), timeout=3000)
    assert board.is_highlighted(created["id"])


def test_an_unreachable_address_shows_an_error(store, board, demo_workshop, qtbot) -> None:
    controller = make_controller(store, board)
    with qtbot.waitSignal(controller.error_shown, timeout=5000) as shown:
        assert not controller.open_joining(demo_workshop.id, "192.0.2.123")
    assert "192.0.2.123" in shown.args[0]
    assert controller.server is None and not controller.is_open


def test_a_busy_room_setting_is_undone_when_joining_closes(store, board, demo_workshop,
                                                           qtbot) -> None:
    """While phones can post, the window waits at most 1 ms for the interpreter lock and the
    app's long-lived objects are out of the collector's way; closing joining puts both back."""
    import gc
    import sys

    before = sys.getswitchinterval()
    controller = make_controller(store, board)
    try:
        assert controller.open_joining(demo_workshop.id, "127.0.0.1")
        assert sys.getswitchinterval() == pytest.approx(0.001)
        assert gc.get_freeze_count() > 0
    finally:
        controller.shutdown()
    assert sys.getswitchinterval() == pytest.approx(before)
    assert gc.get_freeze_count() == 0


def test_a_phone_post_waiting_to_be_shown_when_the_library_closes_is_dropped_quietly(
        store, board, demo_workshop, qtbot) -> None:
    """The app quits (its library closes) between a phone's post and the board's next refresh:
    the post is saved, and the late refresh reads nothing from the closed library (this was an
    error in Qt's event loop)."""
    controller = make_controller(store, board)
    try:
        assert controller.open_joining(demo_workshop.id, "127.0.0.1")
        created = post(controller, "Posted just before closing")
        qtbot.waitUntil(lambda: bool(controller._pending), timeout=3000)
    finally:
        controller.shutdown()
    store.close()
    qtbot.wait(2 * 100 + 50)  # past the controller's coalescing wait: no error may surface
    assert not controller._flush_timer.isActive()
    with Store(store.path) as reopened:
        assert reopened.get_postit(created["id"]).text == "Posted just before closing"
