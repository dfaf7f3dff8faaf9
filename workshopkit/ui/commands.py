"""Undo commands for the expectations board: ``redo()`` calls a store verb, ``undo()`` its inverse.

A store verb that refuses (a :class:`StoreError`: empty text, disk full...) changes nothing. The
command then reports the error through ``on_error``, keeps it in ``error`` and marks itself
obsolete, so :class:`QUndoStack` drops it instead of keeping a step that never happened (on
``push`` the stack stays as it was; on a failed undo or redo the step is removed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from workshopkit.model import Colour, Column, Group, PostIt
from workshopkit.store import Store, StoreError

ErrorHandler = Callable[[StoreError], None]
Layout = dict[int, tuple[Column, int, int | None]]


def _count(n: int, noun: str = "post-it") -> str:
    return f"{n} {noun}s" if n != 1 else noun


class StoreCommand(QUndoCommand):
    """Base: catches :class:`StoreError` from the store and turns it into an obsolete step."""

    def __init__(self, store: Store, text: str, on_error: ErrorHandler | None = None) -> None:
        super().__init__(text)
        self.store = store
        self.on_error = on_error
        self.error: StoreError | None = None
        self.done_once = False

    def redo(self) -> None:
        try:
            self._redo()
        except StoreError as error:
            self._fail(error)
            return
        self.done_once = True

    def undo(self) -> None:
        try:
            self._undo()
        except StoreError as error:
            self._fail(error)

    def _fail(self, error: StoreError) -> None:
        self.error = error
        self.setObsolete(True)
        if self.on_error is not None:
            self.on_error(error)

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddPostItCommand(StoreCommand):
    def __init__(
        self,
        store: Store,
        workshop_id: int,
        column: Column,
        text: str,
        *,
        colour: Colour = Colour.YELLOW,
        before_id: int | None = None,
        group_id: int | None = None,
        shared: bool = False,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(store, "Add post-it", on_error)
        self.workshop_id = workshop_id
        self.column = Column(column)
        self.text = text
        self.colour = colour
        self.before_id = before_id
        self.group_id = group_id
        self.shared = shared
        self.postit: PostIt | None = None

    def _redo(self) -> None:
        if self.postit is None:
            self.postit = self.store.add_postit(
                self.workshop_id, self.column, self.text, colour=self.colour,
                before_id=self.before_id, group_id=self.group_id, shared=self.shared,
            )
        else:
            self.store.restore_postits([self.postit])

    def _undo(self) -> None:
        if self.postit is not None:
            self.postit = self.store.delete_postits([self.postit.id])[0]


class EditPostItCommand(StoreCommand):
    """Change a post-it's text (and optionally colour, or column: it then goes last)."""

    def __init__(
        self,
        store: Store,
        postit_id: int,
        text: str | None = None,
        *,
        colour: Colour | None = None,
        column: Column | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(store, "Edit post-it", on_error)
        self.postit_id = postit_id
        self.fields: dict[str, object] = {}
        if text is not None:
            self.fields["text"] = text
        if colour is not None:
            self.fields["colour"] = colour
        self.column = column
        self.before: PostIt | None = None
        self.layout: Layout | None = None

    def _redo(self) -> None:
        current = self.store.get_postit(self.postit_id)
        moving = self.column is not None and self.column != current.column
        layout = self.store.board_layout(current.workshop_id) if moving else None
        before = current
        if self.fields:
            before = self.store.update_postits({self.postit_id: self.fields})[0]
        if moving:
            assert self.column is not None
            try:
                self.store.move_postits([self.postit_id], self.column)
            except StoreError:
                if self.fields:
                    self.store.update_postits({self.postit_id: self._old_fields(before)})
                raise
        self.before = before
        self.layout = layout

    def _old_fields(self, before: PostIt) -> dict[str, object]:
        return {key: getattr(before, key) for key in self.fields}

    def _undo(self) -> None:
        assert self.before is not None
        if self.layout is not None:
            self.store.restore_layout(self.before.workshop_id, self.layout)
        if self.fields:
            self.store.update_postits({self.postit_id: self._old_fields(self.before)})


class DeletePostItsCommand(StoreCommand):
    def __init__(
        self, store: Store, postit_ids: Sequence[int], *, on_error: ErrorHandler | None = None
    ) -> None:
        super().__init__(store, f"Delete {_count(len(postit_ids))}", on_error)
        self.postit_ids = list(postit_ids)
        self.records: list[PostIt] = []

    def _redo(self) -> None:
        self.records = self.store.delete_postits(self.postit_ids)

    def _undo(self) -> None:
        self.store.restore_postits(self.records)


class MovePostItsCommand(StoreCommand):
    """Move post-its (in the given order) into a column before ``before_id``, into a group."""

    def __init__(
        self,
        store: Store,
        workshop_id: int,
        postit_ids: Sequence[int],
        column: Column,
        *,
        before_id: int | None = None,
        group_id: int | None = None,
        text: str | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(store, text or f"Move {_count(len(postit_ids))}", on_error)
        self.workshop_id = workshop_id
        self.postit_ids = list(postit_ids)
        self.column = Column(column)
        self.before_id = before_id
        self.group_id = group_id
        self.layout: Layout = {}

    def _redo(self) -> None:
        layout = self.store.board_layout(self.workshop_id)
        self.store.move_postits(self.postit_ids, self.column, before_id=self.before_id,
                                group_id=self.group_id)
        self.layout = layout

    def _undo(self) -> None:
        self.store.restore_layout(self.workshop_id, self.layout)


class _UpdatePostItsCommand(StoreCommand):
    """Set one field to one value on several post-its; undo puts each one's old value back."""

    field = ""

    def __init__(self, store: Store, postit_ids: Sequence[int], value: object, text: str,
                 on_error: ErrorHandler | None) -> None:
        super().__init__(store, text, on_error)
        self.postit_ids = list(postit_ids)
        self.value = value
        self.before: list[PostIt] = []

    def _redo(self) -> None:
        self.before = self.store.update_postits(
            {postit_id: {self.field: self.value} for postit_id in self.postit_ids}
        )

    def _undo(self) -> None:
        self.store.update_postits(
            {p.id: {self.field: getattr(p, self.field)} for p in self.before}
        )


class RecolourPostItsCommand(_UpdatePostItsCommand):
    field = "colour"

    def __init__(self, store: Store, postit_ids: Sequence[int], colour: Colour, *,
                 on_error: ErrorHandler | None = None) -> None:
        colour = Colour(colour)
        super().__init__(store, postit_ids, colour,
                         f"Colour {_count(len(postit_ids))} {colour.value}", on_error)


class SetSharedCommand(_UpdatePostItsCommand):
    field = "shared"

    def __init__(self, store: Store, postit_ids: Sequence[int], shared: bool, *,
                 on_error: ErrorHandler | None = None) -> None:
        verb = "Mark" if shared else "Unmark"
        super().__init__(store, postit_ids, bool(shared),
                         f"{verb} {_count(len(postit_ids))} as shared", on_error)


class GroupPostItsCommand(StoreCommand):
    """Make a named group of post-its of one column; undo removes it and restores old groups."""

    def __init__(
        self,
        store: Store,
        workshop_id: int,
        column: Column,
        name: str,
        postit_ids: Sequence[int],
        *,
        on_error: ErrorHandler | None = None,
    ) -> None:
        super().__init__(store, f"Group {_count(len(postit_ids))}", on_error)
        self.workshop_id = workshop_id
        self.column = Column(column)
        self.name = name
        self.postit_ids = list(postit_ids)
        self.group_id: int | None = None
        self.layout: Layout = {}

    def _redo(self) -> None:
        layout = self.store.board_layout(self.workshop_id)
        group = self.store.add_group(self.workshop_id, self.column, self.name,
                                     postit_ids=self.postit_ids, group_id=self.group_id)
        self.group_id = group.id
        self.layout = layout

    def _undo(self) -> None:
        assert self.group_id is not None
        self.store.delete_group(self.group_id)
        self.store.restore_layout(self.workshop_id, self.layout)


class UngroupCommand(StoreCommand):
    """Dissolve groups; their post-its stay where they are, ungrouped."""

    verb = "Ungroup"

    def __init__(self, store: Store, group_ids: Sequence[int], *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "", on_error)
        self.group_ids = list(dict.fromkeys(group_ids))
        self.setText(self.verb if len(self.group_ids) == 1
                     else f"{self.verb} {len(self.group_ids)} groups")
        self.removed: list[tuple[Group, list[int]]] = []

    def _redo(self) -> None:
        removed: list[tuple[Group, list[int]]] = []
        try:
            for group_id in self.group_ids:
                removed.append(self.store.delete_group(group_id))
        except StoreError:
            for group, members in reversed(removed):
                self.store.restore_group(group, members)
            raise
        self.removed = removed

    def _undo(self) -> None:
        for group, members in reversed(self.removed):
            self.store.restore_group(group, members)


class DeleteGroupCommand(UngroupCommand):
    """The same as ungrouping, named for the Delete key on a group header."""

    verb = "Delete group"


class RenameGroupCommand(StoreCommand):
    def __init__(self, store: Store, group_id: int, name: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Rename group", on_error)
        self.group_id = group_id
        self.name = name
        self.old_name: str | None = None

    def _redo(self) -> None:
        old = self.store.get_group(self.group_id).name
        self.store.rename_group(self.group_id, self.name)
        self.old_name = old

    def _undo(self) -> None:
        assert self.old_name is not None
        self.store.rename_group(self.group_id, self.old_name)


class RenameHeadingCommand(StoreCommand):
    def __init__(self, store: Store, workshop_id: int, column: Column, heading: str, *,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(store, "Rename column heading", on_error)
        self.workshop_id = workshop_id
        self.column = Column(column)
        self.heading = heading
        self.old_heading: str | None = None

    def _redo(self) -> None:
        old = self.store.get_workshop(self.workshop_id).heading(self.column)
        self.store.set_heading(self.workshop_id, self.column, self.heading)
        self.old_heading = old

    def _undo(self) -> None:
        assert self.old_heading is not None
        self.store.set_heading(self.workshop_id, self.column, self.old_heading)

