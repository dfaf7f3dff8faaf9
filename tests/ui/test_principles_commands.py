"""Step 4's undo commands on a bare QUndoStack (no widgets) and a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from tests.ui.helpers import undo_round_trip
from workshopkit.exercises.principles import compile_draft, draft_rows, inputs_from_store
from workshopkit.exercises.themes import theme_by_id
from workshopkit.model import (
    PRINCIPLE_BODY_MAX_CHARS,
    EvidenceKind,
    PrincipleStatus,
)
from workshopkit.store import Store, StoreError, ValidationError
from workshopkit.ui.principles_commands import (
    AddPrincipleCommand,
    CompileDraftCommand,
    DeletePrinciplesCommand,
    EditPrincipleCommand,
    MergePrinciplesCommand,
    ReorderCommand,
    SetReviewDatesCommand,
    SetStatusCommand,
    SetThemeCommand,
    SplitPrincipleCommand,
    moved_order,
)

POSTIT = EvidenceKind.POSTIT


def draft_state(store: Store, workshop_id: int) -> list[tuple[Any, ...]]:
    """The stored draft as a user would notice it, in order: id, lead, text, theme, status,
    evidence."""
    return [(p.id, p.lead, p.body, p.theme_id, p.status, p.evidence)
            for p in store.list_principles(workshop_id)]


def round_trip(stack: QUndoStack, store: Store, workshop_id: int, command) -> list[tuple]:
    return undo_round_trip(stack, command, lambda: draft_state(store, workshop_id))


@pytest.fixture
def wid(demo_workshop) -> int:
    return demo_workshop.id


@pytest.fixture
def compiled(store, stack, wid) -> list:
    """The demo's draft, compiled and stored through the command (the stack is cleared)."""
    rows = draft_rows(compile_draft(inputs_from_store(store, wid)))
    stack.push(CompileDraftCommand(store, wid, rows))
    stack.clear()
    return store.list_principles(wid)


def test_compiling_stores_the_draft_and_undo_takes_it_back(store, stack, wid) -> None:
    draft = compile_draft(inputs_from_store(store, wid))
    after = round_trip(stack, store, wid, CompileDraftCommand(store, wid, draft_rows(draft)))
    assert [row[1] for row in after] == [p.lead for p in draft.principles]
    assert [row[5] for row in after] == [p.refs for p in draft.principles]
    assert stack.undoText() == "Compile the draft"


def test_compiling_again_replaces_an_edited_draft_and_undo_brings_it_back_exactly(
        store, stack, wid, compiled) -> None:
    first = compiled[0]
    store.update_principle(first.id, lead="Tell each other the truth",
                           status=PrincipleStatus.ACCEPTED)
    edited = draft_state(store, wid)
    rows = draft_rows(compile_draft(inputs_from_store(store, wid)))
    after = round_trip(stack, store, wid, CompileDraftCommand(store, wid, rows))
    assert after[0][1] == first.lead and after[0][4] is PrincipleStatus.DRAFT
    stack.undo()
    assert draft_state(store, wid) == edited  # same ids, words, statuses and evidence


def test_accept_reject_and_back_to_draft_each_undo_to_their_own_status(
        store, stack, wid, compiled) -> None:
    a, b, c = (p.id for p in compiled[:3])
    store.update_principle(b, status=PrincipleStatus.REJECTED)
    after = round_trip(stack, store, wid,
                       SetStatusCommand(store, [a, b], PrincipleStatus.ACCEPTED))
    assert [row[4] for row in after[:3]] == [PrincipleStatus.ACCEPTED] * 2 + [
        PrincipleStatus.DRAFT]
    stack.undo()
    assert store.get_principle(b).status is PrincipleStatus.REJECTED
    assert store.get_principle(a).status is PrincipleStatus.DRAFT
    stack.redo()
    round_trip(stack, store, wid, SetStatusCommand(store, [c], PrincipleStatus.REJECTED))
    round_trip(stack, store, wid, SetStatusCommand(store, [a], PrincipleStatus.DRAFT))
    assert stack.undoText() == "Back to draft: principle"


def test_editing_a_principle(store, stack, wid, compiled) -> None:
    target = compiled[1]
    after = round_trip(stack, store, wid, EditPrincipleCommand(
        store, target.id, "  Agree who owns the data  ", "Before we start.\nIn writing."))
    assert after[1][1:3] == ("Agree who owns the data", "Before we start.\nIn writing.")
    assert after[1][5] == target.evidence


def test_an_empty_lead_is_refused_and_nothing_changes(store, stack, wid, compiled) -> None:
    errors: list[StoreError] = []
    before = draft_state(store, wid)
    command = EditPrincipleCommand(store, compiled[0].id, "   ", "text",
                                   on_error=errors.append)
    stack.push(command)
    assert isinstance(command.error, ValidationError) and errors == [command.error]
    assert stack.count() == 0 and draft_state(store, wid) == before


def test_merging_keeps_the_first_with_every_text_and_note(store, stack, wid, compiled) -> None:
    first, second, third = compiled[0], compiled[2], compiled[4]
    after = round_trip(stack, store, wid,
                       MergePrinciplesCommand(store, [first.id, second.id, third.id]))
    assert [row[0] for row in after] == [p.id for p in compiled
                                         if p.id not in (second.id, third.id)]
    merged = after[0]
    assert merged[1] == first.lead and merged[3] == first.theme_id
    assert merged[2] == f"{first.body}\n\n{second.body}\n\n{third.body}"
    assert merged[5] == tuple(dict.fromkeys(first.evidence + second.evidence + third.evidence))
    assert stack.undoText() == "Merge 3 principles"


def test_merging_texts_too_long_for_one_principle_is_refused(store, stack, wid,
                                                            compiled) -> None:
    a, b = compiled[0], compiled[1]
    store.update_principle(a.id, body="x" * (PRINCIPLE_BODY_MAX_CHARS - 10))
    before = draft_state(store, wid)
    command = MergePrinciplesCommand(store, [a.id, b.id])
    stack.push(command)
    assert isinstance(command.error, ValidationError)
    assert "Shorten one of them" in str(command.error)
    assert stack.count() == 0 and draft_state(store, wid) == before


def test_splitting_moves_notes_to_a_new_principle_right_after(store, stack, wid,
                                                             compiled) -> None:
    target = compiled[1]
    assert len(target.evidence) == 3
    moved = [target.evidence[2], target.evidence[0]]
    command = SplitPrincipleCommand(store, target.id, moved, "Share the credit")
    after = round_trip(stack, store, wid, command)
    assert len(after) == len(compiled) + 1
    assert after[1][0] == target.id and after[1][5] == (target.evidence[1],)
    new = after[2]
    assert new[0] == command.added.id and new[1] == "Share the credit"
    assert new[3] == target.theme_id and set(new[5]) == set(moved)
    assert [row[0] for row in after[3:]] == [p.id for p in compiled[2:]]


def test_splitting_off_nothing_is_refused(store, stack, wid, compiled) -> None:
    command = SplitPrincipleCommand(store, compiled[0].id, [(POSTIT, 999_999)])
    stack.push(command)
    assert isinstance(command.error, ValidationError) and stack.count() == 0


def test_moved_order_moves_a_block_and_stops_at_the_ends() -> None:
    assert moved_order([1, 2, 3, 4], [3], -1) == [1, 3, 2, 4]
    assert moved_order([1, 2, 3, 4], [2, 3], 1) == [1, 4, 2, 3]
    assert moved_order([1, 2, 3, 4], [1, 2], -1) == [1, 2, 3, 4]
    assert moved_order([1, 2, 3, 4], [4], 1) == [1, 2, 3, 4]


def test_reordering(store, stack, wid, compiled) -> None:
    order = [p.id for p in compiled]
    new = moved_order(order, [order[3]], -1)
    after = round_trip(stack, store, wid, ReorderCommand(store, wid, new))
    assert [row[0] for row in after] == new


def test_adding_by_hand_after_a_principle_and_redo_brings_back_the_same_one(
        store, stack, wid, compiled) -> None:
    command = AddPrincipleCommand(store, wid, "Meet somewhere accessible", "Step-free.",
                                  position=compiled[0].position + 1)
    after = round_trip(stack, store, wid, command)
    assert after[1][:4] == (command.principle.id, "Meet somewhere accessible", "Step-free.", "")
    assert [row[0] for row in after[2:]] == [p.id for p in compiled[1:]]


def test_adding_a_missing_theme_uses_the_toolkit_example(store, stack, wid, compiled) -> None:
    missing = compile_draft(inputs_from_store(store, wid)).missing[0]
    command = AddPrincipleCommand.from_theme(store, wid, missing)
    after = round_trip(stack, store, wid, command)
    assert after[-1][1:4] == (missing.title, missing.template, missing.id)
    assert stack.undoText() == f"Add principle: {missing.title}"


def test_deleting_principles(store, stack, wid, compiled) -> None:
    ids = [compiled[1].id, compiled[3].id]
    after = round_trip(stack, store, wid, DeletePrinciplesCommand(store, ids))
    assert [row[0] for row in after] == [p.id for p in compiled if p.id not in ids]
    assert stack.undoText() == "Delete 2 principles"


def test_choosing_a_theme_by_hand_and_undo_restores_the_previous_choice(store, stack,
                                                                       wid) -> None:
    postit = next(p for p in store.list_postits(wid) if p.text == "Honesty")
    ref = (POSTIT, postit.id)

    def overrides() -> dict:
        return store.theme_overrides(wid)

    after = undo_round_trip(stack, SetThemeCommand(store, wid, POSTIT, postit.id,
                                                   "plain_language"), overrides)
    assert after == {ref: "plain_language"}
    after = undo_round_trip(stack, SetThemeCommand(store, wid, POSTIT, postit.id, ""),
                            overrides)
    assert after == {ref: ""}
    after = undo_round_trip(stack, SetThemeCommand(store, wid, POSTIT, postit.id, None),
                            overrides)
    assert after == {}
    stack.undo()
    assert overrides() == {ref: ""}


def test_an_unknown_theme_is_refused(store, stack, wid) -> None:
    postit = store.list_postits(wid)[0]
    command = SetThemeCommand(store, wid, POSTIT, postit.id, "biscuits")
    stack.push(command)
    assert isinstance(command.error, ValidationError) and store.theme_overrides(wid) == {}


def test_review_dates(store, stack, wid) -> None:
    def dates() -> list[tuple[str, str]]:
        return [(d.label, d.date) for d in store.review_dates(wid)]

    after = undo_round_trip(stack, SetReviewDatesCommand(
        store, wid, [("Three months on", "2025-09-01"), ("End of project", "")]), dates)
    assert after == [("Three months on", "2025-09-01"), ("End of project", "")]
    command = SetReviewDatesCommand(store, wid, [("Soon", "soonish")])
    stack.push(command)
    assert isinstance(command.error, ValidationError) and "YYYY-MM-DD" in str(command.error)
    assert dates() == after


def test_theme_titles_come_from_the_lexicon() -> None:
    assert theme_by_id("plain_language").title.startswith("Use plain language")
