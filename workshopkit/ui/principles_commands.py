"""Undo commands for step 4 (the draft principles): ``redo()`` calls a store verb, ``undo()`` its
inverse.

They share :class:`~workshopkit.ui.commands.StoreCommand` with the other steps: a verb that
refuses (a :class:`StoreError`) changes nothing, is reported through ``on_error`` and marks the
command obsolete, so the stack drops it. Removing keeps whole records, so undo puts back the very
same principles under the same ids, places and evidence; redo after an undo restores the records
it made the first time rather than making new ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from workshopkit.exercises.themes import Theme
from workshopkit.model import (
    PRINCIPLE_BODY_MAX_CHARS,
    EvidenceKind,
    EvidenceRef,
    Principle,
    PrincipleStatus,
)
from workshopkit.store import Store, StoreError, ValidationError
from workshopkit.ui.commands import ErrorHandler, StoreCommand

MERGED_BODY_SEPARATOR = "\n\n"


def _count(n: int, noun: str = "principle") -> str:
    return noun if n == 1 else f"{n} {noun}s"


def _refs(evidence: Sequence[EvidenceRef | tuple[str, int]]) -> tuple[EvidenceRef, ...]:
    return tuple(dict.fromkeys((EvidenceKind(kind), int(item)) for kind, item in evidence))


# ----------------------------------------------------------------------------- the whole draft


class CompileDraftCommand(StoreCommand):
    """Replace the stored draft by a freshly compiled one (rows from ``draft_rows``).

    Undo puts the previous draft back exactly; redo puts back the very draft it compiled.
    """

    def __init__(self, store: Store, workshop_id: int, rows: Sequence[Mapping[str, Any]], *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Compile the draft", on_error)
        self.workshop_id = workshop_id
        self.rows = [dict(row) for row in rows]
        self.old: list[Principle] = []
        self.new: list[Principle] | None = None

    def _redo(self) -> None:
        if self.new is None:
            self.old, self.new = self.store.replace_principles(self.workshop_id, self.rows)
        else:
            self.store.restore_draft(self.workshop_id, self.new)

    def _undo(self) -> None:
        self.store.restore_draft(self.workshop_id, self.old)


# ----------------------------------------------------------------------------- one principle


class SetStatusCommand(StoreCommand):
    """Accept, reject or put back to draft one or more principles; undo restores each one's
    own status."""

    VERBS: ClassVar[dict[PrincipleStatus, str]] = {
        PrincipleStatus.ACCEPTED: "Accept", PrincipleStatus.REJECTED: "Reject",
        PrincipleStatus.DRAFT: "Back to draft:"}

    def __init__(self, store: Store, principle_ids: Sequence[int],
                 status: PrincipleStatus | str, *, on_error: ErrorHandler | None = None) -> None:
        self.status = PrincipleStatus(status)
        self.principle_ids = list(dict.fromkeys(principle_ids))
        super().__init__(store, f"{self.VERBS[self.status]} "
                                f"{_count(len(self.principle_ids))}", on_error)
        self.before: dict[int, PrincipleStatus] = {}

    def _redo(self) -> None:
        before = {i: self.store.get_principle(i).status for i in self.principle_ids}
        done: list[int] = []
        try:
            for principle_id in self.principle_ids:
                self.store.update_principle(principle_id, status=self.status)
                done.append(principle_id)
        except StoreError:
            for principle_id in done:
                self.store.update_principle(principle_id, status=before[principle_id])
            raise
        self.before = before

    def _undo(self) -> None:
        for principle_id, status in self.before.items():
            self.store.update_principle(principle_id, status=status)


class EditPrincipleCommand(StoreCommand):
    """Reword a principle's lead and text."""

    def __init__(self, store: Store, principle_id: int, lead: str, body: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Edit principle", on_error)
        self.principle_id = principle_id
        self.lead = lead
        self.body = body
        self.before: Principle | None = None

    def _redo(self) -> None:
        before = self.store.get_principle(self.principle_id)
        self.store.update_principle(self.principle_id, lead=self.lead, body=self.body)
        self.before = before

    def _undo(self) -> None:
        assert self.before is not None
        self.store.update_principle(self.principle_id, lead=self.before.lead,
                                    body=self.before.body)


def merged_body(principles: Sequence[Principle]) -> str:
    """The texts of merged principles, one paragraph each, none repeated."""
    bodies = dict.fromkeys(p.body.strip() for p in principles if p.body.strip())
    return MERGED_BODY_SEPARATOR.join(bodies)


class MergePrinciplesCommand(StoreCommand):
    """Merge principles into the first: its lead, every text joined, every piece of evidence
    (once each). The others go; undo puts them all back as they were."""

    def __init__(self, store: Store, principle_ids: Sequence[int], *,
                 on_error: ErrorHandler | None = None) -> None:
        self.principle_ids = list(dict.fromkeys(principle_ids))
        super().__init__(store, f"Merge {_count(len(self.principle_ids))}", on_error)
        self.kept: Principle | None = None
        self.removed: list[Principle] = []

    def _redo(self) -> None:
        if len(self.principle_ids) < 2:
            raise ValidationError("Choose two or more principles to merge.")
        principles = [self.store.get_principle(i) for i in self.principle_ids]
        first, others = principles[0], principles[1:]
        body = merged_body(principles)
        if len(body) > PRINCIPLE_BODY_MAX_CHARS:
            raise ValidationError(
                f"Together their texts are {len(body)} characters, more than a principle holds "
                f"({PRINCIPLE_BODY_MAX_CHARS}). Shorten one of them first.")
        evidence = _refs([ref for p in principles for ref in p.evidence])
        self.store.update_principle(first.id, body=body, evidence=evidence)
        try:
            removed = self.store.delete_principles([p.id for p in others])
        except StoreError:
            self.store.update_principle(first.id, body=first.body, evidence=first.evidence)
            raise
        self.kept, self.removed = first, removed

    def _undo(self) -> None:
        assert self.kept is not None
        self.store.restore_principles(self.removed)
        self.store.update_principle(self.kept.id, lead=self.kept.lead, body=self.kept.body,
                                    evidence=self.kept.evidence)


class SplitPrincipleCommand(StoreCommand):
    """Move some of a principle's evidence to a new principle placed right after it; undo
    removes the new one and gives the evidence back."""

    def __init__(self, store: Store, principle_id: int, moved: Sequence[EvidenceRef],
                 lead: str | None = None, body: str = "", *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Split principle", on_error)
        self.principle_id = principle_id
        self.moved = _refs(moved)
        self.lead = lead
        self.body = body
        self.before: Principle | None = None
        self.added: Principle | None = None

    def _redo(self) -> None:
        before = self.store.get_principle(self.principle_id)
        moved = [ref for ref in self.moved if ref in before.evidence]
        if not moved:
            raise ValidationError("Choose at least one note of this principle to move to the "
                                  "new one.")
        kept = [ref for ref in before.evidence if ref not in moved]
        self.store.update_principle(self.principle_id, evidence=kept)
        try:
            if self.added is None:
                self.added = self.store.add_principle(
                    before.workshop_id, self.lead or before.lead, self.body,
                    theme_id=before.theme_id, evidence=moved, position=before.position + 1)
            else:
                self.store.restore_principles([self.added])
        except StoreError:
            self.store.update_principle(self.principle_id, evidence=before.evidence)
            raise
        self.before = before

    def _undo(self) -> None:
        assert self.before is not None and self.added is not None
        self.added = self.store.delete_principles([self.added.id])[0]
        self.store.update_principle(self.principle_id, evidence=self.before.evidence)


def moved_order(order: Sequence[int], chosen: Sequence[int], step: int) -> list[int]:
    """``order`` with the ``chosen`` ids each moved one place up (``step`` -1) or down (1);
    a chosen id already at the end stays, and so do the ones behind it."""
    result = list(order)
    picked = set(chosen)
    indices = range(1, len(result)) if step < 0 else range(len(result) - 2, -1, -1)
    for i in indices:
        j = i + (-1 if step < 0 else 1)
        if result[i] in picked and result[j] not in picked:
            result[i], result[j] = result[j], result[i]
    return result


class ReorderCommand(StoreCommand):
    """Put the principles in a new order; undo puts back the old one."""

    def __init__(self, store: Store, workshop_id: int, order: Sequence[int], *,
                 text: str = "Reorder principles", on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, text, on_error)
        self.workshop_id = workshop_id
        self.order = list(order)
        self.before: list[int] = []

    def _redo(self) -> None:
        before = [p.id for p in self.store.list_principles(self.workshop_id)]
        self.store.reorder_principles(self.workshop_id, self.order)
        self.before = before

    def _undo(self) -> None:
        self.store.reorder_principles(self.workshop_id, self.before)


class AddPrincipleCommand(StoreCommand):
    """Add a principle by hand, or from a toolkit theme nobody raised; undo removes it and
    redo brings back the same one."""

    def __init__(self, store: Store, workshop_id: int, lead: str, body: str = "", *,
                 theme_id: str = "", position: int | None = None,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Add principle", on_error)
        self.workshop_id = workshop_id
        self.lead = lead
        self.body = body
        self.theme_id = theme_id
        self.position = position
        self.principle: Principle | None = None

    @classmethod
    def from_theme(cls, store: Store, workshop_id: int, theme: Theme, *,
                   position: int | None = None,
                   on_error: ErrorHandler | None = None) -> AddPrincipleCommand:
        """The toolkit's example principle for a theme: its title as lead, its template as
        text."""
        command = cls(store, workshop_id, theme.title, theme.template, theme_id=theme.id,
                      position=position, on_error=on_error)
        command.setText(f"Add principle: {theme.title}")
        return command

    def _redo(self) -> None:
        if self.principle is None:
            self.principle = self.store.add_principle(
                self.workshop_id, self.lead, self.body, theme_id=self.theme_id,
                position=self.position)
        else:
            self.store.restore_principles([self.principle])

    def _undo(self) -> None:
        if self.principle is not None:
            self.principle = self.store.delete_principles([self.principle.id])[0]


class DeletePrinciplesCommand(StoreCommand):
    """Remove principles; undo restores them with their ids, places and evidence."""

    def __init__(self, store: Store, principle_ids: Sequence[int], *,
                 on_error: ErrorHandler | None = None) -> None:
        self.principle_ids = list(dict.fromkeys(principle_ids))
        super().__init__(store, f"Delete {_count(len(self.principle_ids))}", on_error)
        self.removed: list[Principle] = []

    def _redo(self) -> None:
        self.removed = self.store.delete_principles(self.principle_ids)

    def _undo(self) -> None:
        self.store.restore_principles(self.removed)


# ----------------------------------------------------------------------------- notes and dates


class SetThemeCommand(StoreCommand):
    """Choose a note's theme by hand ("" keeps it unclassified, None lets the classifier
    decide again); undo restores the previous choice."""

    def __init__(self, store: Store, workshop_id: int, kind: EvidenceKind | str, item_id: int,
                 theme_id: str | None, *, on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Change theme", on_error)
        self.workshop_id = workshop_id
        self.kind = EvidenceKind(kind)
        self.item_id = int(item_id)
        self.theme_id = theme_id
        self.previous: str | None = None

    def _redo(self) -> None:
        self.previous = self.store.set_theme(self.workshop_id, self.kind, self.item_id,
                                             self.theme_id)

    def _undo(self) -> None:
        self.store.set_theme(self.workshop_id, self.kind, self.item_id, self.previous)


class SetReviewDatesCommand(StoreCommand):
    """Replace the schedule for revisiting the principles; undo puts the old one back."""

    def __init__(self, store: Store, workshop_id: int, dates: Sequence[tuple[str, str]], *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Change review dates", on_error)
        self.workshop_id = workshop_id
        self.dates = [(str(label), str(date)) for label, date in dates]
        self.before: list[tuple[str, str]] = []

    def _redo(self) -> None:
        before = [(d.label, d.date) for d in self.store.review_dates(self.workshop_id)]
        self.store.set_review_dates(self.workshop_id, self.dates)
        self.before = before

    def _undo(self) -> None:
        self.store.set_review_dates(self.workshop_id, self.before)


__all__ = [
    "AddPrincipleCommand",
    "CompileDraftCommand",
    "DeletePrinciplesCommand",
    "EditPrincipleCommand",
    "MergePrinciplesCommand",
    "ReorderCommand",
    "SetReviewDatesCommand",
    "SetStatusCommand",
    "SetThemeCommand",
    "SplitPrincipleCommand",
    "merged_body",
    "moved_order",
]
