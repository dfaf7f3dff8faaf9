"""Stakeholder map undo commands on a bare QUndoStack (no widgets) and a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from tests.ui.helpers import partner_workshop, undo_round_trip
from workshopkit.model import InviteStatus, Part, Responsibility
from workshopkit.store import NotFoundError, Store, StoreError, ValidationError
from workshopkit.ui.map_commands import (
    AddLinkCommand,
    AddStakeholdersCommand,
    DeleteLinksCommand,
    DeleteStakeholdersCommand,
    RelabelLinkCommand,
    RenameRingCommand,
    UpdateStakeholdersCommand,
)


def map_state(store: Store, workshop_id: int) -> dict[str, Any]:
    """Everything the map shows: every card field, every line, the ring names."""
    stakeholder_map = store.stakeholder_map(workshop_id)
    return {
        "cards": sorted(
            (s.id, s.label, s.organisation_id, s.ring, round(s.across, 6), round(s.depth, 6),
             s.person, s.contact, s.part, s.part_note, tuple(sorted(s.responsibilities)),
             s.responsibility_note, s.status)
            for s in stakeholder_map.stakeholders
        ),
        "links": sorted((k.id, k.source_id, k.target_id, k.label)
                        for k in stakeholder_map.links),
        "rings": stakeholder_map.ring_names,
    }


def round_trip(stack: QUndoStack, store: Store, workshop_id: int, command) -> dict[str, Any]:
    return undo_round_trip(stack, command, lambda: map_state(store, workshop_id))


@pytest.fixture
def workshop(store):
    return partner_workshop(store, "Map commands")


@pytest.fixture
def orgs(store, workshop):
    return store.list_organisations(workshop.id)


@pytest.fixture
def cards(store, workshop, orgs):
    """Three cards and one line "funds" from Finance to the CVS chief executive."""
    finance, ethics, chief = store.add_stakeholders(workshop.id, [
        {"label": "Finance and procurement", "organisation_id": orgs[0].id, "ring": 1},
        {"label": "Ethics committee", "organisation_id": orgs[0].id, "ring": 2,
         "across": 0.2, "depth": 0.9},
        {"label": "Chief executive or director", "organisation_id": orgs[1].id, "ring": 0,
         "person": "Sam", "part": Part.DECISION_MAKER,
         "responsibilities": [Responsibility.BUDGET], "status": InviteStatus.AGREED},
    ])
    link = store.add_link(finance.id, chief.id, "funds")
    return finance, ethics, chief, link


def test_add_round_trip_restores_the_same_ids(stack, store, workshop, orgs) -> None:
    command = AddStakeholdersCommand(store, workshop.id, [
        {"label": "Careers service", "organisation_id": orgs[0].id, "ring": 2,
         "across": 0.25, "depth": 0.75},
        {"label": "Volunteers", "organisation_id": orgs[1].id, "person": "Ali"},
    ])
    after = round_trip(stack, store, workshop.id, command)
    assert stack.undoText() == "Add 2 cards"
    ids = command.ids
    assert [row[0] for row in after["cards"]] == ids
    assert [row[1] for row in after["cards"]] == ["Careers service", "Volunteers"]
    assert after["cards"][0][3:6] == (2, 0.25, 0.75)
    stack.undo()
    with pytest.raises(NotFoundError):
        store.get_stakeholders(ids)
    stack.redo()
    assert [s.id for s in store.get_stakeholders(ids)] == ids


def test_adding_a_card_without_a_label_is_refused(stack, store, workshop) -> None:
    errors: list[StoreError] = []
    stack.push(AddStakeholdersCommand(store, workshop.id, [{"label": "   "}],
                                      on_error=errors.append))
    assert stack.count() == 0
    assert [type(e) for e in errors] == [ValidationError]
    assert store.list_stakeholders(workshop.id) == []


def test_update_moves_re_rings_edits_and_undo_restores_old_values(stack, store, workshop,
                                                                  orgs, cards) -> None:
    finance, ethics, _chief, _link = cards
    command = UpdateStakeholdersCommand(store, {
        finance.id: {"organisation_id": orgs[1].id, "ring": 0, "across": 0.1, "depth": 0.3},
        ethics.id: {"label": "Research ethics", "status": InviteStatus.INVITED,
                    "responsibilities": ["processes", "systems"]},
    }, text="Move 2 cards")
    round_trip(stack, store, workshop.id, command)
    assert stack.undoText() == "Move 2 cards"
    moved, renamed = store.get_stakeholders([finance.id, ethics.id])
    assert (moved.organisation_id, moved.ring, moved.across, moved.depth) == (
        orgs[1].id, 0, 0.1, 0.3)
    assert renamed.label == "Research ethics"
    assert renamed.responsibilities == {Responsibility.PROCESSES, Responsibility.SYSTEMS}
    stack.undo()
    assert store.get_stakeholders([finance.id])[0].organisation_id == orgs[0].id
    assert store.get_stakeholders([ethics.id])[0].status is InviteStatus.NOT_INVITED


def test_update_to_an_unknown_ring_is_refused_and_not_kept(stack, store, workshop,
                                                           cards) -> None:
    finance = cards[0]
    before = map_state(store, workshop.id)
    errors: list[StoreError] = []
    stack.push(UpdateStakeholdersCommand(store, {finance.id: {"ring": 3}},
                                         on_error=errors.append))
    assert stack.count() == 0 and isinstance(errors[0], ValidationError)
    assert map_state(store, workshop.id) == before


def test_consecutive_nudges_of_the_same_cards_are_one_step(stack, store, workshop,
                                                           cards) -> None:
    finance, ethics, _chief, _link = cards
    start = map_state(store, workshop.id)
    for across in (0.55, 0.6, 0.65):
        stack.push(UpdateStakeholdersCommand(store, {finance.id: {"across": across}},
                                             text="Nudge card", nudge=True))
    assert stack.count() == 1
    assert store.get_stakeholders([finance.id])[0].across == pytest.approx(0.65)
    stack.push(UpdateStakeholdersCommand(store, {finance.id: {"depth": 0.2}}, nudge=True))
    assert stack.count() == 1  # a nudge in another direction of the same card merges too
    stack.push(UpdateStakeholdersCommand(store, {ethics.id: {"across": 0.3}}, nudge=True))
    assert stack.count() == 2  # another card: a new step
    stack.undo()
    stack.undo()
    assert map_state(store, workshop.id) == start
    stack.redo()
    card = store.get_stakeholders([finance.id])[0]
    assert (card.across, card.depth) == (pytest.approx(0.65), pytest.approx(0.2))


def test_a_plain_update_never_merges(stack, store, workshop, cards) -> None:
    finance = cards[0]
    stack.push(UpdateStakeholdersCommand(store, {finance.id: {"across": 0.1}}))
    stack.push(UpdateStakeholdersCommand(store, {finance.id: {"across": 0.2}}))
    assert stack.count() == 2


def test_nudging_back_to_the_start_leaves_no_step(stack, store, workshop, cards) -> None:
    finance = cards[0]
    stack.push(UpdateStakeholdersCommand(store, {finance.id: {"across": 0.6}}, nudge=True))
    stack.push(UpdateStakeholdersCommand(store, {finance.id: {"across": 0.5}}, nudge=True))
    assert stack.count() == 0


def test_delete_cards_keeps_their_lines_for_undo(stack, store, workshop, cards) -> None:
    finance, _ethics, _chief, link = cards
    after = round_trip(stack, store, workshop.id,
                       DeleteStakeholdersCommand(store, [finance.id]))
    assert stack.undoText() == "Delete card"
    assert after["links"] == []
    stack.undo()
    assert store.list_links(workshop.id) == [link]
    assert store.get_stakeholders([finance.id])[0] == finance


def test_delete_cards_and_other_lines_in_one_step(stack, store, workshop, cards) -> None:
    finance, ethics, chief, link = cards
    other = store.add_link(ethics.id, chief.id, "advises")
    command = DeleteStakeholdersCommand(store, [finance.id], [link.id, other.id])
    after = round_trip(stack, store, workshop.id, command)
    assert stack.undoText() == "Delete card"
    assert after["links"] == [] and len(after["cards"]) == 2
    stack.undo()
    assert store.list_links(workshop.id) == [link, other]


def test_links_add_relabel_delete_round_trip(stack, store, workshop, cards) -> None:
    _finance, ethics, chief, link = cards
    add = AddLinkCommand(store, ethics.id, chief.id, "reports to")
    after = round_trip(stack, store, workshop.id, add)
    assert stack.undoText() == "Connect cards"
    assert add.link is not None
    assert (add.link.id, ethics.id, chief.id, "reports to") in after["links"]
    round_trip(stack, store, workshop.id, RelabelLinkCommand(store, link.id, "<b>pays</b>"))
    assert stack.undoText() == "Relabel line"
    assert store.get_link(link.id).label == "<b>pays</b>"
    after = round_trip(stack, store, workshop.id,
                       DeleteLinksCommand(store, [link.id, add.link.id]))
    assert stack.undoText() == "Delete 2 lines"
    assert after["links"] == []


def test_connecting_a_card_to_itself_is_refused(stack, store, workshop, cards) -> None:
    errors: list[StoreError] = []
    stack.push(AddLinkCommand(store, cards[0].id, cards[0].id, on_error=errors.append))
    assert stack.count() == 0 and isinstance(errors[0], ValidationError)


def test_rename_ring_round_trip_and_empty_restores_the_default(stack, store, workshop) -> None:
    after = round_trip(stack, store, workshop.id,
                       RenameRingCommand(store, workshop.id, 1, "Work closely with"))
    assert stack.undoText() == "Rename ring"
    assert after["rings"] == ("", "Work closely with", "")
    round_trip(stack, store, workshop.id, RenameRingCommand(store, workshop.id, 1, ""))
    assert store.get_workshop(workshop.id).ring_name(1) == "Involve"
    errors: list[StoreError] = []
    stack.push(RenameRingCommand(store, workshop.id, 1, "x" * 200, on_error=errors.append))
    assert errors and store.get_workshop(workshop.id).ring_names[1] == ""


def test_an_undo_the_store_refuses_is_reported_and_dropped(stack, store, workshop,
                                                           cards) -> None:
    _finance, _ethics, _chief, link = cards
    errors: list[StoreError] = []
    stack.push(RelabelLinkCommand(store, link.id, "pays", on_error=errors.append))
    store.delete_links([link.id])  # removed behind the stack's back (e.g. another window)
    stack.undo()
    assert isinstance(errors[0], NotFoundError)
    assert stack.count() == 0


def test_a_long_history_undoes_back_to_the_start(stack, store, workshop, orgs, cards) -> None:
    _finance, _ethics, chief, _link = cards
    start = map_state(store, workshop.id)
    add = AddStakeholdersCommand(store, workshop.id, [{"label": "Schools",
                                                       "organisation_id": orgs[1].id}])
    stack.push(add)
    stack.push(AddLinkCommand(store, add.ids[0], chief.id, "works with"))
    stack.push(UpdateStakeholdersCommand(store, {add.ids[0]: {"ring": 2}}))
    stack.push(DeleteStakeholdersCommand(store, [chief.id]))
    stack.push(RenameRingCommand(store, workshop.id, 0, "Core team"))
    end = map_state(store, workshop.id)
    assert stack.count() == 5
    while stack.canUndo():
        stack.undo()
    assert map_state(store, workshop.id) == start
    while stack.canRedo():
        stack.redo()
    assert map_state(store, workshop.id) == end
