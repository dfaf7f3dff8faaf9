"""Undo commands for the stakeholder map: ``redo()`` calls a store verb, ``undo()`` its inverse.

They share :class:`~workshopkit.ui.commands.StoreCommand` with the board: a store verb that refuses
(a :class:`StoreError`) changes nothing, is reported through ``on_error`` and marks the command
obsolete so the stack drops it. Undoing an addition or a deletion keeps the records whole, so a
redo (or undo) puts back the very same cards and lines, under the same ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from workshopkit.model import Stakeholder, StakeholderLink
from workshopkit.store import Store, StoreError
from workshopkit.ui.commands import ErrorHandler, StoreCommand

NUDGE_COMMAND_ID = 0x5354_4B01
"""``QUndoCommand.id()`` of keyboard nudges, so a run of nudges of the same cards is one step."""

Changes = dict[int, dict[str, Any]]


def _cards(n: int) -> str:
    return f"{n} cards" if n != 1 else "card"


def _lines(n: int) -> str:
    return f"{n} lines" if n != 1 else "line"


class AddStakeholdersCommand(StoreCommand):
    """Add cards; undo deletes them, redo puts the same cards back under the same ids."""

    def __init__(self, store: Store, workshop_id: int, cards: Sequence[Mapping[str, Any]], *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, f"Add {_cards(len(cards))}", on_error)
        self.workshop_id = workshop_id
        self.cards = [dict(card) for card in cards]
        self.stakeholders: list[Stakeholder] = []
        self._links: list[StakeholderLink] = []

    @property
    def ids(self) -> list[int]:
        return [s.id for s in self.stakeholders]

    def _redo(self) -> None:
        if not self.stakeholders:
            self.stakeholders = self.store.add_stakeholders(self.workshop_id, self.cards)
        else:
            self.store.restore_stakeholders(self.stakeholders, self._links)

    def _undo(self) -> None:
        self.stakeholders, self._links = self.store.delete_stakeholders(self.ids)


class UpdateStakeholdersCommand(StoreCommand):
    """Change fields of several cards (edit, move, re-ring, invite status); undo puts back each
    card's old values. ``nudge=True`` merges consecutive nudges of the same cards into one step.
    """

    def __init__(self, store: Store, changes: Mapping[int, Mapping[str, Any]], *,
                 text: str | None = None, nudge: bool = False,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, text or f"Change {_cards(len(changes))}", on_error)
        self.changes: Changes = {int(i): dict(f) for i, f in changes.items()}
        self.old: Changes = {}
        self.nudge = nudge

    def id(self) -> int:
        return NUDGE_COMMAND_ID if self.nudge else -1

    def _redo(self) -> None:
        current = self.store.get_stakeholders(self.changes)
        old = {s.id: {key: getattr(s, key) for key in self.changes[s.id]} for s in current}
        self.store.update_stakeholders(self.changes)
        self.old = old

    def _undo(self) -> None:
        self.store.update_stakeholders(self.old)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, UpdateStakeholdersCommand) and self.nudge and other.nudge
                and other.error is None and self.error is None
                and set(other.changes) == set(self.changes)):
            return False
        for stakeholder_id, fields in other.changes.items():
            self.changes[stakeholder_id].update(fields)
            for key, value in other.old[stakeholder_id].items():
                self.old[stakeholder_id].setdefault(key, value)
        if self.changes == self.old:
            self.setObsolete(True)  # nudged back to where it started: nothing to undo
        return True


class DeleteStakeholdersCommand(StoreCommand):
    """Delete cards (their lines go too) and, optionally, other lines; undo restores them all."""

    def __init__(self, store: Store, stakeholder_ids: Sequence[int],
                 link_ids: Sequence[int] = (), *, on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "", on_error)
        self.stakeholder_ids = list(dict.fromkeys(stakeholder_ids))
        self.link_ids = list(dict.fromkeys(link_ids))
        if self.stakeholder_ids:
            self.setText(f"Delete {_cards(len(self.stakeholder_ids))}")
        else:
            self.setText(f"Delete {_lines(len(self.link_ids))}")
        self.cards: list[Stakeholder] = []
        self.links: list[StakeholderLink] = []

    def _redo(self) -> None:
        cards_now = set(self.stakeholder_ids)
        # Lines of deleted cards go with them; only the other chosen lines are deleted first.
        own = [i for i in self.link_ids if not self._touches(i, cards_now)]
        lines = self.store.delete_links(own) if own else []
        try:
            cards, card_links = (self.store.delete_stakeholders(self.stakeholder_ids)
                                 if self.stakeholder_ids else ([], []))
        except StoreError:
            if lines:
                self.store.restore_links(lines)
            raise
        self.cards = cards
        self.links = sorted([*card_links, *lines], key=lambda link: link.id)

    def _touches(self, link_id: int, cards: set[int]) -> bool:
        try:
            link = self.store.get_link(link_id)
        except StoreError:
            return False
        return link.source_id in cards or link.target_id in cards

    def _undo(self) -> None:
        self.store.restore_stakeholders(self.cards, self.links)


class AddLinkCommand(StoreCommand):
    """Connect two cards with a labelled line; redo after undo restores the same line."""

    def __init__(self, store: Store, source_id: int, target_id: int, label: str = "", *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Connect cards", on_error)
        self.source_id = source_id
        self.target_id = target_id
        self.label = label
        self.link: StakeholderLink | None = None

    def _redo(self) -> None:
        if self.link is None:
            self.link = self.store.add_link(self.source_id, self.target_id, self.label)
        else:
            self.store.restore_links([self.link])

    def _undo(self) -> None:
        if self.link is not None:
            self.link = self.store.delete_links([self.link.id])[0]


class RelabelLinkCommand(StoreCommand):
    def __init__(self, store: Store, link_id: int, label: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Relabel line", on_error)
        self.link_id = link_id
        self.label = label
        self.old_label: str | None = None

    def _redo(self) -> None:
        old = self.store.get_link(self.link_id).label
        self.store.relabel_link(self.link_id, self.label)
        self.old_label = old

    def _undo(self) -> None:
        assert self.old_label is not None
        self.store.relabel_link(self.link_id, self.old_label)


class DeleteLinksCommand(StoreCommand):
    def __init__(self, store: Store, link_ids: Sequence[int], *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, f"Delete {_lines(len(link_ids))}", on_error)
        self.link_ids = list(link_ids)
        self.links: list[StakeholderLink] = []

    def _redo(self) -> None:
        self.links = self.store.delete_links(self.link_ids)

    def _undo(self) -> None:
        self.store.restore_links(self.links)


class RenameRingCommand(StoreCommand):
    """Rename one ring of the map; an empty name means the default name."""

    def __init__(self, store: Store, workshop_id: int, ring: int, name: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Rename ring", on_error)
        self.workshop_id = workshop_id
        self.ring = ring
        self.name = name
        self.old_name: str | None = None

    def _redo(self) -> None:
        workshop = self.store.get_workshop(self.workshop_id)
        old = workshop.ring_names[self.ring] if 0 <= self.ring < len(workshop.ring_names) else ""
        self.store.set_ring_name(self.workshop_id, self.ring, self.name)
        self.old_name = old

    def _undo(self) -> None:
        assert self.old_name is not None
        self.store.set_ring_name(self.workshop_id, self.ring, self.old_name)
