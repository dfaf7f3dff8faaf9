"""Undo commands for step 2 (values alignment): ``redo()`` calls a store verb, ``undo()`` its
inverse.

They share :class:`~workshopkit.ui.commands.StoreCommand` with the board and the map: a verb that
refuses (a :class:`StoreError`) changes nothing, is reported through ``on_error`` and marks the
command obsolete, so the stack drops it. Deleting keeps whole records, so undo puts back the very
same chips and notes under the same ids (and notes stay linked to them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QUndoCommand

from workshopkit.model import (
    AlignmentNote,
    Decision,
    DecisionAnswer,
    DecisionRecord,
    Participant,
    Practice,
    PracticeAnswer,
    Source,
    StatedValue,
    ValueKind,
)
from workshopkit.store import Store
from workshopkit.ui.commands import ErrorHandler, StoreCommand

ANSWER_COMMAND_ID = 0x5641_4C01
"""``QUndoCommand.id()`` of cell edits, so typing on in the same cell at once is one step."""
DECISION_COMMAND_ID = 0x5641_4C02
"""``QUndoCommand.id()`` of decisions, so typing a decision's notes is one step."""

Links = tuple[Sequence[int], Sequence[int]]
"""A note's links: (stated value ids, practice answer ids)."""


def _count(n: int, noun: str) -> str:
    return noun if n == 1 else f"{n} {noun}s"


def _kind_noun(kind: ValueKind) -> str:
    return "value" if kind is ValueKind.VALUE else "'who we serve'"


# ----------------------------------------------------------------------------- step 1: chips


class AddStatedValueCommand(StoreCommand):
    """Add a chip; undo deletes it, redo puts the same chip back under the same id."""

    def __init__(self, store: Store, organisation_id: int, text: str,
                 kind: ValueKind | str = ValueKind.VALUE, *,
                 on_error: ErrorHandler | None = None) -> None:
        self.kind = ValueKind(kind)
        super().__init__(store, f"Add {_kind_noun(self.kind)}", on_error)
        self.organisation_id = organisation_id
        self.text = text
        self.value: StatedValue | None = None

    def _redo(self) -> None:
        if self.value is None:
            self.value = self.store.add_stated_value(self.organisation_id, self.text, self.kind)
        else:
            self.store.restore_stated_values([self.value])

    def _undo(self) -> None:
        if self.value is not None:
            self.value = self.store.delete_stated_values([self.value.id])[0]


class EditStatedValueCommand(StoreCommand):
    def __init__(self, store: Store, value_id: int, old: str, new: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Edit value", on_error)
        self.value_id = value_id
        self.old = old
        self.new = new

    def _redo(self) -> None:
        self.store.edit_stated_value(self.value_id, self.new)

    def _undo(self) -> None:
        self.store.edit_stated_value(self.value_id, self.old)


class DeleteStatedValuesCommand(StoreCommand):
    """Delete chips; undo restores them with their ids (and the notes' links to them)."""

    def __init__(self, store: Store, ids: Sequence[int], *,
                 on_error: ErrorHandler | None = None) -> None:
        self.ids = list(dict.fromkeys(ids))
        super().__init__(store, f"Remove {_count(len(self.ids), 'value')}", on_error)
        self.values: list[StatedValue] = []

    def _redo(self) -> None:
        self.values = self.store.delete_stated_values(self.ids)

    def _undo(self) -> None:
        self.store.restore_stated_values(self.values)


# ----------------------------------------------------------------------------- steps 2-3: grid


class SetAnswerCommand(StoreCommand):
    """Fill in one cell of the grid; undo puts the old text back (the cell keeps its id, so
    notes stay linked). Typing on at the end of the same cell at once merges into this step."""

    def __init__(self, store: Store, workshop_id: int, question: Practice | str, old_text: str,
                 new_text: str, *, organisation_id: int | None = None,
                 participant_id: int | None = None, on_error: ErrorHandler | None = None
                 ) -> None:
        super().__init__(store, "Edit answer", on_error)
        self.workshop_id = workshop_id
        self.question = Practice(question)
        self.old_text = old_text
        self.new_text = new_text
        self.organisation_id = organisation_id
        self.participant_id = participant_id
        self.old_source: Source | None = None

    @property
    def cell(self) -> tuple[Practice, int | None, int | None]:
        return self.question, self.organisation_id, self.participant_id

    def id(self) -> int:
        return ANSWER_COMMAND_ID

    def _set(self, text: str, source: Source) -> None:
        self.store.set_answer(self.workshop_id, self.question, text,
                              organisation_id=self.organisation_id,
                              participant_id=self.participant_id, source=source)

    def _redo(self) -> None:
        if self.old_source is None:
            # A phone's answer that the facilitator corrects goes back to being the phone's.
            answer = self.store.values_exercise(self.workshop_id).answer(
                self.question, organisation_id=self.organisation_id,
                participant_id=self.participant_id)
            old_source = answer.source if answer is not None else Source.FACILITATOR
            self._set(self.new_text, Source.FACILITATOR)
            self.old_source = old_source
        else:
            self._set(self.new_text, Source.FACILITATOR)

    def _undo(self) -> None:
        self._set(self.old_text, self.old_source or Source.FACILITATOR)

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Only typing on at the end of the same cell merges: a correction or a clearing is a
        # step of its own, so Ctrl+Z brings back what was there before it.
        if not (isinstance(other, SetAnswerCommand) and other.cell == self.cell
                and other.error is None and self.error is None
                and other.new_text.startswith(self.new_text)):
            return False
        self.new_text = other.new_text
        if self.new_text == self.old_text:
            self.setObsolete(True)  # typed back to where it started: nothing to undo
        return True


class AddParticipantCommand(StoreCommand):
    """Add a person (a row of the grid); undo deletes them, and redo puts them back under the
    same id, so later steps that filled in their row still apply."""

    def __init__(self, store: Store, workshop_id: int, name: str,
                 organisation_id: int | None = None, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Add a person", on_error)
        self.workshop_id = workshop_id
        self.name = name
        self.organisation_id = organisation_id
        self.participant: Participant | None = None
        self._removed: tuple[Participant, list[PracticeAnswer], str] | None = None

    def _redo(self) -> None:
        if self._removed is not None:
            self.store.restore_participant(*self._removed)
            self._removed = None
        else:
            self.participant = self.store.add_participant(
                self.workshop_id, self.name, organisation_id=self.organisation_id)

    def _undo(self) -> None:
        if self.participant is not None:
            self._removed = self.store.delete_participant(self.participant.id)


# ----------------------------------------------------------------------------- step 4: notes


class AddNoteCommand(StoreCommand):
    """Record a connection or agreement; redo after undo restores the same note and links."""

    def __init__(self, store: Store, workshop_id: int, text: str, value_ids: Iterable[int] = (),
                 answer_ids: Iterable[int] = (), *, on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Add note", on_error)
        self.workshop_id = workshop_id
        self.text = text
        self.value_ids = tuple(value_ids)
        self.answer_ids = tuple(answer_ids)
        self.note: AlignmentNote | None = None

    def _redo(self) -> None:
        if self.note is None:
            self.note = self.store.add_note(self.workshop_id, self.text,
                                            value_ids=self.value_ids, answer_ids=self.answer_ids)
        else:
            self.store.restore_notes([self.note])

    def _undo(self) -> None:
        if self.note is not None:
            self.note = self.store.delete_notes([self.note.id])[0]


class EditNoteCommand(StoreCommand):
    def __init__(self, store: Store, note_id: int, old: str, new: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Edit note", on_error)
        self.note_id = note_id
        self.old = old
        self.new = new

    def _redo(self) -> None:
        self.store.edit_note(self.note_id, self.new)

    def _undo(self) -> None:
        self.store.edit_note(self.note_id, self.old)


class SetNoteLinksCommand(StoreCommand):
    """Change which answers a note links to; ``links`` are (value ids, answer ids)."""

    def __init__(self, store: Store, note_id: int, old_links: Links, new_links: Links, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Link note", on_error)
        self.note_id = note_id
        self.old_links = (tuple(old_links[0]), tuple(old_links[1]))
        self.new_links = (tuple(new_links[0]), tuple(new_links[1]))

    def _redo(self) -> None:
        self.store.set_note_links(self.note_id, *self.new_links)

    def _undo(self) -> None:
        self.store.set_note_links(self.note_id, *self.old_links)


class DeleteNotesCommand(StoreCommand):
    def __init__(self, store: Store, ids: Sequence[int], *,
                 on_error: ErrorHandler | None = None) -> None:
        self.ids = list(dict.fromkeys(ids))
        super().__init__(store, f"Delete {_count(len(self.ids), 'note')}", on_error)
        self.notes: list[AlignmentNote] = []

    def _redo(self) -> None:
        self.notes = self.store.delete_notes(self.ids)

    def _undo(self) -> None:
        self.store.restore_notes(self.notes)


# ----------------------------------------------------------------------------- step 5: decide


class SetDecisionCommand(StoreCommand):
    """Answer one of step 5's questions (with notes); undo puts ``old`` back. Typing more of the
    same question's notes at once merges into this step."""

    def __init__(self, store: Store, workshop_id: int, question: Decision | str,
                 old: DecisionRecord, new_answer: DecisionAnswer | str, new_notes: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Answer question", on_error)
        self.workshop_id = workshop_id
        self.question = Decision(question)
        self.old = old
        self.new_answer = DecisionAnswer(new_answer)
        self.new_notes = new_notes
        if self.new_answer == old.answer:
            self.setText("Edit decision notes")

    def id(self) -> int:
        return DECISION_COMMAND_ID

    def _redo(self) -> None:
        self.store.set_decision(self.workshop_id, self.question, self.new_answer,
                                self.new_notes)

    def _undo(self) -> None:
        self.store.set_decision(self.workshop_id, self.question, self.old.answer,
                                self.old.notes)

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Only notes typed after notes merge: a change of answer is always its own step.
        if not (isinstance(other, SetDecisionCommand) and other.question is self.question
                and other.error is None and self.error is None
                and self.new_answer is self.old.answer
                and other.new_answer is self.new_answer):
            return False
        self.new_notes = other.new_notes
        if self.new_notes == self.old.notes:
            self.setObsolete(True)
        return True


__all__ = [
    "AddNoteCommand", "AddParticipantCommand", "AddStatedValueCommand", "DeleteNotesCommand",
    "DeleteStatedValuesCommand", "EditNoteCommand", "EditStatedValueCommand",
    "SetAnswerCommand", "SetDecisionCommand", "SetNoteLinksCommand",
]
