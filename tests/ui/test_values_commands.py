"""Values alignment undo commands on a bare QUndoStack (no widgets) and a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from tests.conftest import fill_the_disk
from tests.ui.helpers import partner_workshop, undo_round_trip
from workshopkit.model import (
    Column,
    Decision,
    DecisionAnswer,
    Practice,
    Source,
    ValueKind,
)
from workshopkit.store import DiskFullError, NotFoundError, Store, StoreError, ValidationError
from workshopkit.ui.values_commands import (
    AddNoteCommand,
    AddParticipantCommand,
    AddStatedValueCommand,
    DeleteNotesCommand,
    DeleteStatedValuesCommand,
    EditNoteCommand,
    EditStatedValueCommand,
    SetAnswerCommand,
    SetDecisionCommand,
    SetNoteLinksCommand,
)


def values_state(store: Store, workshop_id: int) -> dict[str, Any]:
    """Everything step 2 shows: chips, people, non-empty cells, notes with links, decisions."""
    ex = store.values_exercise(workshop_id)
    return {
        "values": sorted((v.id, v.organisation_id, v.kind, v.text) for v in ex.values),
        "people": sorted((p.id, p.name, p.organisation_id, p.source) for p in ex.participants),
        "answers": sorted((a.question, a.organisation_id or 0, a.participant_id or 0, a.text,
                           a.source) for a in ex.answers if a.text),
        "notes": sorted((n.id, n.text, tuple(sorted(n.value_ids)), tuple(sorted(n.answer_ids)))
                        for n in ex.notes),
        "decisions": {q: (d.answer, d.notes) for q, d in ex.decisions.items()},
    }


def round_trip(stack: QUndoStack, store: Store, workshop_id: int, command) -> dict[str, Any]:
    return undo_round_trip(stack, command, lambda: values_state(store, workshop_id))


@pytest.fixture
def workshop(store):
    return partner_workshop(store, "Values commands")


@pytest.fixture
def orgs(store, workshop):
    return store.list_organisations(workshop.id)


@pytest.fixture
def filled(store, workshop, orgs):
    """Two chips for the university, one 'who we serve' for the CVS, a person, two answers."""
    uni, cvs = orgs
    store.add_stated_value(uni.id, "Inclusive")
    store.add_stated_value(uni.id, "Ambitious")
    store.add_stated_value(cvs.id, "Local residents", ValueKind.SERVES)
    sam = store.add_participant(workshop.id, "Sam Patel", organisation_id=cvs.id)
    store.set_answer(workshop.id, Practice.BUDGET, "Staff salaries", organisation_id=uni.id)
    store.set_answer(workshop.id, Practice.TIME, "Running youth clubs", participant_id=sam.id)
    return workshop


def value_ids(store: Store, workshop_id: int) -> dict[str, int]:
    return {v.text: v.id for v in store.values_exercise(workshop_id).values}


def answer_id(store: Store, workshop_id: int, question: Practice, **who: int) -> int:
    answer = store.values_exercise(workshop_id).answer(question, **who)
    assert answer is not None
    return answer.id


# ----------------------------------------------------------------------------- chips


def test_add_value_round_trips_under_the_same_id(stack, store, workshop, orgs) -> None:
    command = AddStatedValueCommand(store, orgs[0].id, "Collegial")
    after = round_trip(stack, store, workshop.id, command)
    assert [(v[1], v[2], v[3]) for v in after["values"]] == [
        (orgs[0].id, ValueKind.VALUE, "Collegial")]
    assert command.value is not None
    assert after["values"][0][0] == command.value.id
    assert stack.undoText() == "Add value"


def test_add_who_we_serve(stack, store, workshop, orgs) -> None:
    after = round_trip(stack, store, workshop.id,
                       AddStatedValueCommand(store, orgs[1].id, "Older people", "serves"))
    assert store.values_exercise(workshop.id).values_of(orgs[1].id, ValueKind.SERVES)[0].text \
        == "Older people"
    assert after["values"][0][2] is ValueKind.SERVES


def test_edit_value_round_trips(stack, store, filled) -> None:
    ids = value_ids(store, filled.id)
    after = round_trip(stack, store, filled.id, EditStatedValueCommand(
        store, ids["Inclusive"], "Inclusive", "Inclusive of everyone"))
    assert "Inclusive of everyone" in [v[3] for v in after["values"]]


def test_delete_values_restores_them_and_their_note_links(stack, store, filled) -> None:
    ids = value_ids(store, filled.id)
    note = store.add_note(filled.id, "Both value inclusion",
                          value_ids=[ids["Inclusive"], ids["Local residents"]])
    command = DeleteStatedValuesCommand(store, [ids["Inclusive"], ids["Local residents"]])
    after = round_trip(stack, store, filled.id, command)
    assert [v[3] for v in after["values"]] == ["Ambitious"]
    assert stack.undoText() == "Remove 2 values"
    stack.undo()
    (restored,) = store.values_exercise(filled.id).notes
    assert restored.id == note.id
    assert sorted(restored.value_ids) == sorted([ids["Inclusive"], ids["Local residents"]])


def test_empty_or_too_long_value_is_refused_and_dropped(stack, store, workshop, orgs) -> None:
    errors: list[StoreError] = []
    for text in ("   ", "x" * 81):
        command = AddStatedValueCommand(store, orgs[0].id, text, on_error=errors.append)
        stack.push(command)
        assert isinstance(command.error, ValidationError)
    assert len(errors) == 2
    assert stack.count() == 0
    assert store.values_exercise(workshop.id).values == ()


# ----------------------------------------------------------------------------- the grid


def test_set_an_organisations_answer_round_trips(stack, store, filled, orgs) -> None:
    command = SetAnswerCommand(store, filled.id, Practice.BUDGET, "Staff salaries",
                               "Research and teaching", organisation_id=orgs[0].id)
    kept = answer_id(store, filled.id, Practice.BUDGET, organisation_id=orgs[0].id)
    after = round_trip(stack, store, filled.id, command)
    assert (Practice.BUDGET, orgs[0].id, 0, "Research and teaching", Source.FACILITATOR) \
        in after["answers"]
    assert answer_id(store, filled.id, Practice.BUDGET, organisation_id=orgs[0].id) == kept


def test_fill_an_empty_cell_of_a_person_and_undo_empties_it(stack, store, filled) -> None:
    sam = store.list_participants(filled.id)[0]
    command = SetAnswerCommand(store, filled.id, Practice.PRIORITY, "", "Young people first",
                               participant_id=sam.id)
    after = round_trip(stack, store, filled.id, command)
    assert (Practice.PRIORITY, 0, sam.id, "Young people first", Source.FACILITATOR) \
        in after["answers"]
    stack.undo()
    assert store.values_exercise(filled.id).answer(
        Practice.PRIORITY, participant_id=sam.id).text == ""


def test_typing_on_in_the_same_cell_is_one_undo_step(stack, store, filled, orgs) -> None:
    uni = orgs[0].id
    for old, new in (("", "Lab"), ("Lab", "Lab time"), ("Lab time", "Lab time, field time")):
        stack.push(SetAnswerCommand(store, filled.id, Practice.TIME, old, new,
                                    organisation_id=uni))
    assert stack.count() == 1
    assert store.values_exercise(filled.id).answer(
        Practice.TIME, organisation_id=uni).text == "Lab time, field time"
    stack.undo()
    assert store.values_exercise(filled.id).answer(Practice.TIME, organisation_id=uni).text == ""
    # Another cell is its own step.
    stack.redo()
    stack.push(SetAnswerCommand(store, filled.id, Practice.PRIORITY, "", "REF",
                                organisation_id=uni))
    assert stack.count() == 2


def test_typing_a_cell_back_to_its_old_text_leaves_no_step(stack, store, filled, orgs) -> None:
    uni = orgs[0].id
    stack.push(SetAnswerCommand(store, filled.id, Practice.BUDGET, "Staff salaries", "Staff",
                                organisation_id=uni))
    stack.push(SetAnswerCommand(store, filled.id, Practice.BUDGET, "Staff", "Staff salaries",
                                organisation_id=uni))
    assert stack.count() == 0


def test_correcting_or_clearing_a_cell_is_a_step_of_its_own(stack, store, filled, orgs) -> None:
    uni = orgs[0].id
    stack.push(SetAnswerCommand(store, filled.id, Practice.BUDGET, "Staff salaries", "Estates",
                                organisation_id=uni))
    stack.push(SetAnswerCommand(store, filled.id, Practice.BUDGET, "Estates", "",
                                organisation_id=uni))
    assert stack.count() == 2
    stack.undo()
    assert store.values_exercise(filled.id).answer(
        Practice.BUDGET, organisation_id=uni).text == "Estates"


def test_undoing_a_correction_of_a_phone_answer_gives_it_back_to_the_phone(
        stack, store, workshop, orgs) -> None:
    store.update_join_settings(workshop.id, collect_values=True)
    person = store.submit_phone_row(workshop.id, "device-1", "Ana", orgs[1].id,
                                    {Practice.BUDGET: "Rent"})
    before = values_state(store, workshop.id)
    stack.push(SetAnswerCommand(store, workshop.id, Practice.BUDGET, "Rent", "Rent and heating",
                                participant_id=person.id))
    assert store.values_exercise(workshop.id).answer(
        Practice.BUDGET, participant_id=person.id).source is Source.FACILITATOR
    stack.undo()
    assert values_state(store, workshop.id) == before


def test_an_answer_that_is_too_long_is_refused(stack, store, filled, orgs) -> None:
    errors: list[StoreError] = []
    command = SetAnswerCommand(store, filled.id, Practice.BUDGET, "Staff salaries", "x" * 281,
                               organisation_id=orgs[0].id, on_error=errors.append)
    before = values_state(store, filled.id)
    stack.push(command)
    assert isinstance(command.error, ValidationError) and errors == [command.error]
    assert stack.count() == 0
    assert values_state(store, filled.id) == before


def test_add_a_person_and_undo(stack, store, filled, orgs) -> None:
    command = AddParticipantCommand(store, filled.id, "Jo Bloggs", orgs[0].id)
    before = values_state(store, filled.id)
    stack.push(command)
    assert command.error is None and command.participant is not None
    assert ("Jo Bloggs", orgs[0].id) in [(p[1], p[2]) for p in
                                         values_state(store, filled.id)["people"]]
    stack.undo()
    assert values_state(store, filled.id) == before
    stack.redo()
    names = [p.name for p in store.list_participants(filled.id)]
    assert names.count("Jo Bloggs") == 1
    assert command.participant.name == "Jo Bloggs"


def test_undo_and_redo_of_a_new_person_keeps_their_answers_and_notes(stack, store, filled,
                                                                      orgs) -> None:
    """Add a person, fill in their row, link a note; undo all three, redo all three."""
    stack.push(AddParticipantCommand(store, filled.id, "Jo Bloggs", orgs[0].id))
    jo = next(p for p in store.list_participants(filled.id) if p.name == "Jo Bloggs")
    stack.push(SetAnswerCommand(store, filled.id, Practice.TIME, "", "Mentoring",
                                participant_id=jo.id))
    answer = store.values_exercise(filled.id).answer(Practice.TIME, participant_id=jo.id)
    stack.push(AddNoteCommand(store, filled.id, "Mentoring matters", (), [answer.id]))
    done = values_state(store, filled.id)
    for _ in range(3):
        stack.undo()
    assert "Jo Bloggs" not in [p.name for p in store.list_participants(filled.id)]
    for _ in range(3):
        stack.redo()
    assert values_state(store, filled.id) == done
    note = store.values_exercise(filled.id).notes[-1]
    assert note.answer_ids == (answer.id,)
    # Deleting the person and undoing it puts the note's link back too.
    stack.undo()
    stack.undo()
    stack.undo()
    stack.redo()
    assert [p.id for p in store.list_participants(filled.id) if p.name == "Jo Bloggs"] == [jo.id]


def test_add_a_person_with_no_name_is_refused(stack, store, filled) -> None:
    command = AddParticipantCommand(store, filled.id, "  ")
    stack.push(command)
    assert isinstance(command.error, ValidationError)
    assert stack.count() == 0


# ----------------------------------------------------------------------------- notes


def test_add_a_note_linked_to_two_answers_round_trips(stack, store, filled, orgs) -> None:
    sam = store.list_participants(filled.id)[0]
    links = [answer_id(store, filled.id, Practice.BUDGET, organisation_id=orgs[0].id),
             answer_id(store, filled.id, Practice.TIME, participant_id=sam.id)]
    command = AddNoteCommand(store, filled.id, "Both fund people", (), links)
    after = round_trip(stack, store, filled.id, command)
    assert after["notes"] == [(command.note.id, "Both fund people", (), tuple(sorted(links)))]


def test_edit_a_note_round_trips(stack, store, filled) -> None:
    note = store.add_note(filled.id, "First thought")
    after = round_trip(stack, store, filled.id,
                       EditNoteCommand(store, note.id, "First thought", "Second thought"))
    assert after["notes"][0][1] == "Second thought"


def test_relink_a_note_round_trips(stack, store, filled, orgs) -> None:
    ids = value_ids(store, filled.id)
    budget = answer_id(store, filled.id, Practice.BUDGET, organisation_id=orgs[0].id)
    note = store.add_note(filled.id, "Inclusion", value_ids=[ids["Inclusive"]])
    after = round_trip(stack, store, filled.id, SetNoteLinksCommand(
        store, note.id, ([ids["Inclusive"]], []), ([ids["Ambitious"]], [budget])))
    assert after["notes"][0][2:] == ((ids["Ambitious"],), (budget,))


def test_delete_notes_restores_their_links(stack, store, filled, orgs) -> None:
    budget = answer_id(store, filled.id, Practice.BUDGET, organisation_id=orgs[0].id)
    store.add_note(filled.id, "One", answer_ids=[budget])
    store.add_note(filled.id, "Two")
    ids = [n.id for n in store.values_exercise(filled.id).notes]
    command = DeleteNotesCommand(store, ids)
    after = round_trip(stack, store, filled.id, command)
    assert after["notes"] == []
    assert stack.undoText() == "Delete 2 notes"


def test_an_empty_note_is_refused(stack, store, filled) -> None:
    command = AddNoteCommand(store, filled.id, "")
    stack.push(command)
    assert isinstance(command.error, ValidationError)
    assert stack.count() == 0


# ----------------------------------------------------------------------------- decisions


def test_answer_a_decision_round_trips(stack, store, filled) -> None:
    old = store.values_exercise(filled.id).decisions[Decision.HOW]
    command = SetDecisionCommand(store, filled.id, Decision.HOW, old, DecisionAnswer.BOTH,
                                 "Start with the two of us")
    after = round_trip(stack, store, filled.id, command)
    assert after["decisions"][Decision.HOW] == (DecisionAnswer.BOTH, "Start with the two of us")


def test_typing_decision_notes_is_one_step_but_a_new_answer_is_another(stack, store,
                                                                        filled) -> None:
    def record():
        return store.values_exercise(filled.id).decisions[Decision.CONNECTION]

    stack.push(SetDecisionCommand(store, filled.id, Decision.CONNECTION, record(),
                                  DecisionAnswer.YES, ""))
    for notes in ("We", "We share", "We share youth work"):
        stack.push(SetDecisionCommand(store, filled.id, Decision.CONNECTION, record(),
                                      DecisionAnswer.YES, notes))
    assert stack.count() == 2
    assert record().notes == "We share youth work"
    stack.undo()
    assert (record().answer, record().notes) == (DecisionAnswer.YES, "")
    stack.undo()
    assert record().answer is DecisionAnswer.NOT_DISCUSSED


def test_a_decision_answer_of_the_wrong_kind_is_refused(stack, store, filled) -> None:
    old = store.values_exercise(filled.id).decisions[Decision.VALUES]
    command = SetDecisionCommand(store, filled.id, Decision.VALUES, old,
                                 DecisionAnswer.INDIVIDUALS, "")
    stack.push(command)
    assert isinstance(command.error, ValidationError)
    assert stack.count() == 0


# ----------------------------------------------------------------------------- failures


def test_a_full_disk_changes_nothing_and_drops_the_step(stack, store, filled, orgs) -> None:
    fill_the_disk(store, filled.id, Column.SHARED)
    errors: list[StoreError] = []
    for _ in range(200):  # the last free bytes of a page may still take a chip or two
        before = values_state(store, filled.id)
        pushed = stack.count()
        command = AddStatedValueCommand(store, orgs[0].id, "z" * 80, on_error=errors.append)
        stack.push(command)
        if command.error is not None:
            break
    assert isinstance(command.error, DiskFullError) and errors == [command.error]
    assert stack.count() == pushed
    assert values_state(store, filled.id) == before


def test_undo_of_something_deleted_elsewhere_reports_and_drops_the_step(stack, store,
                                                                         filled) -> None:
    ids = value_ids(store, filled.id)
    errors: list[StoreError] = []
    command = EditStatedValueCommand(store, ids["Ambitious"], "Ambitious", "Bold",
                                     on_error=errors.append)
    stack.push(command)
    store.delete_stated_values([ids["Ambitious"]])
    stack.undo()
    assert isinstance(command.error, NotFoundError)
    assert errors == [command.error]
    assert stack.count() == 0
