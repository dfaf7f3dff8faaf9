"""Moderation and dot voting, driven by keys and clicks, with real phones posting over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from tests.join.helpers import ROOMY, Phone
from tests.ui.test_board import make_board
from tests.ui.test_join_controller import board_texts
from workshopkit.model import Column, Moderation, Status
from workshopkit.store import Store
from workshopkit.ui.board import BoardView
from workshopkit.ui.join_controller import JoinController
from workshopkit.ui.moderation_panel import ModerationPanel, SetStatusCommand

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def room(qtbot, store: Store, demo_workshop) -> Iterator[tuple[BoardView, ModerationPanel,
                                                               JoinController]]:
    board = make_board(qtbot, store, demo_workshop.id)
    panel = ModerationPanel(store, board.bridge, board.undo_stack)
    qtbot.addWidget(panel)
    panel.set_workshop(demo_workshop.id)
    panel.resize(420, 900)
    panel.show()
    qtbot.waitExposed(panel)
    controller = JoinController(store, board.bridge, board, port=0, limits=ROOMY)
    assert controller.open_joining(demo_workshop.id, "127.0.0.1")
    yield board, panel, controller
    controller.shutdown()


def phone(controller: JoinController) -> Phone:
    p = Phone(f"http://127.0.0.1:{controller.server.port}")
    p.get(f"/j/{controller.token}")
    return p


def toggle(qtbot, check) -> None:
    """Space on a focused check box, as a keyboard user does."""
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)


def send(p: Phone, controller: JoinController, text: str) -> dict:
    reply = p.post_json(f"/api/j/{controller.token}/postits", {"text": text, "column": "shared"})
    assert reply.status == 201, reply.text
    return reply.json()


def test_approval_queue_approve_hide_by_keys_and_undo(qtbot, room, store, demo_workshop) -> None:
    board, panel, controller = room
    panel.mode_combo.setFocus()
    qtbot.keyClick(panel.mode_combo, Qt.Key.Key_Down)
    assert store.join_settings(demo_workshop.id).moderation is Moderation.APPROVAL
    p = phone(controller)
    first = send(p, controller, "<i>Listen first</i>")
    second = send(p, controller, "Share budgets")
    third = send(p, controller, "Spam")
    assert first["status"] == "pending"
    qtbot.waitUntil(lambda: len(panel.queued_ids()) == 3, timeout=3000)
    assert panel.queue.item(0).text().startswith("<i>Listen first</i>")
    assert "<i>Listen first</i>" not in board_texts(board, Column.SHARED)

    panel.queue.setFocus()
    panel.queue.setCurrentRow(0)
    qtbot.keyClick(panel.queue, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.selected_ids() == [first["id"], second["id"]]
    qtbot.keyClick(panel.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: {"<i>Listen first</i>", "Share budgets"}
                    <= set(board_texts(board, Column.SHARED)), timeout=3000)
    assert board.is_highlighted(first["id"])
    assert panel.queued_ids() == [third["id"]]

    panel.queue.setCurrentRow(0)
    qtbot.keyClick(panel.queue, Qt.Key.Key_H)
    assert store.get_postit(third["id"]).status is Status.HIDDEN
    assert panel.queued_ids() == []
    assert any("hidden" in panel.log_list.item(i).text() for i in range(panel.log_list.count()))

    board.undo_stack.undo()  # the hide
    assert panel.queued_ids() == [third["id"]]
    board.undo_stack.undo()  # the approval
    assert "Share budgets" not in board_texts(board, Column.SHARED)
    assert set(panel.queued_ids()) == {first["id"], second["id"], third["id"]}


def test_hold_until_reveal_then_reveal_all(qtbot, room, store, demo_workshop) -> None:
    board, panel, controller = room
    toggle(qtbot, panel.hold_check)
    assert store.join_settings(demo_workshop.id).hold_until_reveal
    p = phone(controller)
    held = [send(p, controller, f"Held {n}") for n in range(3)]
    assert "visible" not in {h["status"] for h in held}
    qtbot.waitUntil(lambda: "(3 waiting)" in panel.reveal_button.text(), timeout=3000)
    assert "Held 0" not in board_texts(board, Column.SHARED)
    qtbot.mouseClick(panel.reveal_button, LEFT)
    assert {"Held 0", "Held 1", "Held 2"} <= set(board_texts(board, Column.SHARED))
    assert "(0 waiting)" in panel.reveal_button.text()


def test_voting_open_close_and_tallies_on_cards(qtbot, room, store, demo_workshop) -> None:
    board, panel, controller = room
    target = store.list_postits(demo_workshop.id, Column.SHARED)[0]
    panel.budget_spin.setValue(2)
    qtbot.mouseClick(panel.open_voting_button, LEFT)
    settings = store.join_settings(demo_workshop.id)
    assert settings.voting_open and settings.vote_budget == 2
    assert "open" in panel.voting_status.text()
    voters = [phone(controller) for _ in range(3)]
    for voter in voters:
        assert voter.post_json(f"/api/j/{controller.token}/votes",
                               {"postit_id": target.id}).status == 201
    qtbot.wait(200)
    assert board.vote_count(target.id) is None  # tallies hidden until shown
    toggle(qtbot, panel.tallies_check)
    assert board.vote_count(target.id) == 3
    model = board.models[Column.SHARED]
    index = model.index_of_postit(target.id)
    assert "3 votes." in index.data(Qt.ItemDataRole.AccessibleTextRole)
    voters[0].post_json(f"/api/j/{controller.token}/votes", {"postit_id": target.id})
    qtbot.waitUntil(lambda: board.vote_count(target.id) == 4, timeout=3000)
    qtbot.mouseClick(panel.close_voting_button, LEFT)
    assert not store.join_settings(demo_workshop.id).voting_open
    assert voters[1].post_json(f"/api/j/{controller.token}/votes",
                               {"postit_id": target.id}).status == 409
    toggle(qtbot, panel.tallies_check)
    assert board.vote_count(target.id) is None


def test_set_status_command_undoes_to_each_previous_status(qtbot, store, demo_workshop) -> None:
    from PySide6.QtGui import QUndoStack

    a = store.add_postit(demo_workshop.id, Column.SHARED, "a", status=Status.PENDING)
    b = store.add_postit(demo_workshop.id, Column.SHARED, "b", status=Status.HELD)
    stack = QUndoStack()
    stack.push(SetStatusCommand(store, [a.id, b.id], Status.VISIBLE, "Approve"))
    assert {store.get_postit(i).status for i in (a.id, b.id)} == {Status.VISIBLE}
    stack.undo()
    assert store.get_postit(a.id).status is Status.PENDING
    assert store.get_postit(b.id).status is Status.HELD


def test_fixing_the_column_sends_every_phone_post_there(qtbot, room, store, demo_workshop) -> None:
    board, panel, controller = room
    assert panel.column_combo.currentData() == ""
    panel.column_combo.setFocus()
    qtbot.keyClick(panel.column_combo, Qt.Key.Key_End)  # the last column: civic partners
    assert store.join_settings(demo_workshop.id).fixed_column is Column.CIVIC
    posted = send(phone(controller), controller, "Fixed by the facilitator")  # asks for shared
    assert store.get_postit(posted["id"]).column is Column.CIVIC
    qtbot.waitUntil(lambda: "Fixed by the facilitator" in board_texts(board, Column.CIVIC))
    panel.column_combo.setFocus()
    qtbot.keyClick(panel.column_combo, Qt.Key.Key_Home)
    assert store.join_settings(demo_workshop.id).fixed_column is None
