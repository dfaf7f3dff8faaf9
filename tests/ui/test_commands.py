"""Board undo commands on a bare QUndoStack (no widgets) and a real SQLite file."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack

from tests.conftest import fill_the_disk
from tests.ui.helpers import undo_round_trip
from workshopkit.model import Colour, Column
from workshopkit.store import DiskFullError, Store, StoreError, ValidationError
from workshopkit.ui.commands import (
    AddPostItCommand,
    DeleteGroupCommand,
    DeletePostItsCommand,
    EditPostItCommand,
    GroupPostItsCommand,
    MovePostItsCommand,
    RecolourPostItsCommand,
    RenameGroupCommand,
    RenameHeadingCommand,
    SetSharedCommand,
    UngroupCommand,
)


def board_state(store: Store, workshop_id: int) -> dict[str, Any]:
    """Everything a user sees on the board, in order."""
    groups = {g.id: g.name for g in store.list_groups(workshop_id)}
    workshop = store.get_workshop(workshop_id)
    return {
        "columns": {
            column: [
                (p.id, p.text, p.colour, p.shared, groups.get(p.group_id) if p.group_id else None)
                for p in store.list_postits(workshop_id, column)
            ]
            for column in Column
        },
        "groups": sorted((g.id, g.column, g.name, g.position)
                         for g in store.list_groups(workshop_id)),
        "headings": {column: workshop.heading(column) for column in Column},
    }


def ids_by_text(store: Store, workshop_id: int) -> dict[str, int]:
    return {p.text: p.id for p in store.list_postits(workshop_id)}


def round_trip(stack: QUndoStack, store: Store, workshop_id: int, command) -> dict[str, Any]:
    return undo_round_trip(stack, command, lambda: board_state(store, workshop_id))


def test_add_round_trip_keeps_the_same_postit(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    honesty = ids_by_text(store, wid)["Honesty"]
    command = AddPostItCommand(store, wid, Column.SHARED, "Fair pay", colour=Colour.PINK,
                               before_id=honesty)
    after = round_trip(stack, store, wid, command)
    assert stack.undoText() == "Add post-it"
    texts = [row[1] for row in after["columns"][Column.SHARED]]
    assert texts.index("Fair pay") == texts.index("Honesty") - 1
    assert command.postit is not None
    assert store.get_postit(command.postit.id).colour == Colour.PINK


def test_a_refused_push_leaves_the_stack_and_the_store_unchanged(stack, store,
                                                                  demo_workshop) -> None:
    before = board_state(store, demo_workshop.id)
    errors: list[StoreError] = []
    command = AddPostItCommand(store, demo_workshop.id, Column.SHARED, "   \n ",
                               on_error=errors.append)
    stack.push(command)
    assert stack.count() == 0
    assert not stack.canUndo()
    assert [type(e) for e in errors] == [ValidationError]
    assert str(errors[0]) == "A post-it cannot be empty."
    assert board_state(store, demo_workshop.id) == before


def test_a_full_disk_on_push_is_reported_and_nothing_is_kept(stack, store,
                                                             demo_workshop) -> None:
    wid = demo_workshop.id
    fill_the_disk(store, wid, Column.CIVIC)
    before = board_state(store, wid)
    errors: list[StoreError] = []
    stack.push(AddPostItCommand(store, wid, Column.CIVIC, "y" * 280, on_error=errors.append))
    assert stack.count() == 0
    assert isinstance(errors[0], DiskFullError)
    assert board_state(store, wid) == before


def test_edit_text_colour_and_column_round_trip(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    respect = ids_by_text(store, wid)["Respect"]
    round_trip(stack, store, wid, EditPostItCommand(store, respect, "Mutual respect"))
    assert stack.undoText() == "Edit post-it"
    after = round_trip(stack, store, wid, EditPostItCommand(
        store, respect, "Respect for all", colour=Colour.ORANGE, column=Column.CIVIC))
    civic = after["columns"][Column.CIVIC]
    assert civic[-1] == (respect, "Respect for all", Colour.ORANGE, False, None)


def test_edit_to_empty_text_is_refused(stack, store, demo_workshop) -> None:
    respect = ids_by_text(store, demo_workshop.id)["Respect"]
    errors: list[StoreError] = []
    stack.push(EditPostItCommand(store, respect, "", on_error=errors.append))
    assert stack.count() == 0
    assert errors and store.get_postit(respect).text == "Respect"


def test_delete_several_round_trip_restores_order_and_groups(stack, store,
                                                             demo_workshop) -> None:
    wid = demo_workshop.id
    ids = ids_by_text(store, wid)
    chosen = [ids["Honesty"], ids["Shared values"], ids["Respect"]]
    command = DeletePostItsCommand(store, chosen)
    after = round_trip(stack, store, wid, command)
    assert stack.undoText() == "Delete 3 post-its"
    assert all(pid not in [row[0] for rows in after["columns"].values() for row in rows]
               for pid in chosen)
    stack.undo()
    assert store.get_postit(ids["Honesty"]).group_id is not None
    assert store.get_postit(ids["Honesty"]).shared


def test_move_between_columns_into_a_group_round_trip(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    ids = ids_by_text(store, wid)
    openness = next(g for g in store.list_groups(wid) if g.name == "Openness")
    moving = [ids["Respect"], ids["Challenge and critique"], ids["To listen"]]
    command = MovePostItsCommand(store, wid, moving, Column.SHARED,
                                 before_id=ids["Transparency"], group_id=openness.id)
    after = round_trip(stack, store, wid, command)
    assert stack.undoText() == "Move 3 post-its"
    shared = after["columns"][Column.SHARED]
    grouped = [row[1] for row in shared if row[4] == "Openness"]
    assert grouped == ["Honesty", "Respect", "Challenge and critique", "To listen",
                       "Transparency"]


def test_move_within_a_column_round_trip(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    ids = ids_by_text(store, wid)
    command = MovePostItsCommand(store, wid, [ids["Respect"]], Column.UNIVERSITIES,
                                 before_id=ids["To provide a safe space for discussions"])
    after = round_trip(stack, store, wid, command)
    assert stack.undoText() == "Move post-it"
    assert after["columns"][Column.UNIVERSITIES][0][1] == "Respect"


def test_recolour_and_shared_round_trip_keep_each_old_value(stack, store,
                                                            demo_workshop) -> None:
    wid = demo_workshop.id
    ids = ids_by_text(store, wid)
    mixed = [ids["Respect"], ids["Honesty"], ids["Challenge and critique"]]  # blue, yellow, green
    round_trip(stack, store, wid, RecolourPostItsCommand(store, mixed, Colour.PURPLE))
    assert stack.undoText() == "Colour 3 post-its purple"
    stack.undo()
    assert [store.get_postit(i).colour for i in mixed] == [Colour.BLUE, Colour.YELLOW,
                                                            Colour.GREEN]
    stack.redo()
    round_trip(stack, store, wid, SetSharedCommand(store, mixed, True))
    assert stack.undoText() == "Mark 3 post-its as shared"
    stack.undo()
    assert [store.get_postit(i).shared for i in mixed] == [False, True, False]


def test_group_round_trip_recreates_the_same_group_and_restores_old_groups(
        stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    ids = ids_by_text(store, wid)
    members = [ids["Honesty"], ids["To listen"]]  # Honesty was in "Openness"
    command = GroupPostItsCommand(store, wid, Column.SHARED, "Trust", members)
    after = round_trip(stack, store, wid, command)
    assert stack.undoText() == "Group 2 post-its"
    group_id = command.group_id
    assert any(g[0] == group_id and g[2] == "Trust" for g in after["groups"])
    stack.undo()
    assert store.get_postit(ids["Honesty"]).group_id == next(
        g.id for g in store.list_groups(wid) if g.name == "Openness")
    stack.redo()
    assert store.get_postit(ids["To listen"]).group_id == group_id


def test_group_with_an_empty_name_is_refused(stack, store, demo_workshop) -> None:
    ids = ids_by_text(store, demo_workshop.id)
    errors: list[StoreError] = []
    stack.push(GroupPostItsCommand(store, demo_workshop.id, Column.SHARED, " ",
                                   [ids["Honesty"]], on_error=errors.append))
    assert stack.count() == 0 and errors


def test_ungroup_and_delete_group_round_trip(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    groups = {g.name: g.id for g in store.list_groups(wid)}
    after = round_trip(stack, store, wid, UngroupCommand(store, [groups["Openness"]]))
    assert stack.undoText() == "Ungroup"
    assert all(row[4] is None for row in after["columns"][Column.SHARED])
    round_trip(stack, store, wid, DeleteGroupCommand(
        store, [groups["Plain language"]]))
    assert stack.undoText() == "Delete group"
    stack.undo()
    stack.undo()
    both = UngroupCommand(store, list(groups.values()))
    round_trip(stack, store, wid, both)
    assert stack.undoText() == "Ungroup 2 groups"


def test_rename_group_and_heading_round_trip(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    openness = next(g for g in store.list_groups(wid) if g.name == "Openness")
    round_trip(stack, store, wid, RenameGroupCommand(store, openness.id, "Being open"))
    assert stack.undoText() == "Rename group"
    after = round_trip(stack, store, wid, RenameHeadingCommand(
        store, wid, Column.CIVIC, "What we expect of <community> partners"))
    assert after["headings"][Column.CIVIC] == "What we expect of <community> partners"
    assert stack.undoText() == "Rename column heading"
    stack.undo()
    assert store.get_workshop(wid).heading(Column.CIVIC) == Column.CIVIC.default_heading


def test_a_long_history_undoes_back_to_the_start(stack, store, demo_workshop) -> None:
    wid = demo_workshop.id
    start = board_state(store, wid)
    ids = ids_by_text(store, wid)
    stack.push(AddPostItCommand(store, wid, Column.CIVIC, "New one"))
    stack.push(MovePostItsCommand(store, wid, [ids["Respect"], ids["Honesty"]], Column.CIVIC))
    stack.push(GroupPostItsCommand(store, wid, Column.CIVIC, "Mixed",
                                   [ids["Respect"], ids["Honesty"]]))
    stack.push(DeletePostItsCommand(store, [ids["Respect"]]))
    stack.push(RecolourPostItsCommand(store, [ids["Honesty"]], Colour.ORANGE))
    end = board_state(store, wid)
    assert stack.count() == 5
    while stack.canUndo():
        stack.undo()
    assert board_state(store, wid) == start
    while stack.canRedo():
        stack.redo()
    assert board_state(store, wid) == end
