"""One board column as a flat list model: group header rows and post-it rows in display order.

Display order: ungrouped post-its first (by position), then each group of the column (by group
position) as a header row followed by its post-its (by position).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from workshopkit.model import Column, Group, PostIt, Source
from workshopkit.ui.guidance_panel import plain_tooltip

PostItRole = int(Qt.ItemDataRole.UserRole) + 1
"""The :class:`PostIt` of a post-it row (``None`` for a group header)."""
GroupRole = int(Qt.ItemDataRole.UserRole) + 2
"""The :class:`Group` of a header row (``None`` for a post-it)."""
MemberCountRole = int(Qt.ItemDataRole.UserRole) + 3
"""How many post-its a group header's group holds."""
GroupNameRole = int(Qt.ItemDataRole.UserRole) + 4
"""The name of the group a post-it row belongs to ("" if none)."""
LastInGroupRole = int(Qt.ItemDataRole.UserRole) + 5
"""True for the last post-it of a group (where the group's line ends)."""

VotesRole = int(Qt.ItemDataRole.UserRole) + 6
"""A post-it's dot-vote tally while tallies are shown, else ``None``."""

AnyIndex = QModelIndex | QPersistentModelIndex


def count_text(count: int) -> str:
    if count == 0:
        return "no post-its"
    return "1 post-it" if count == 1 else f"{count} post-its"


@dataclass(frozen=True, slots=True)
class Row:
    """A header row (``group`` set) or a post-it row (``postit`` set)."""

    postit: PostIt | None = None
    group: Group | None = None
    members: int = 0


def build_rows(
    column: Column, postits: Iterable[PostIt], groups: Iterable[Group]
) -> tuple[list[PostIt], list[Group], list[Row]]:
    """A column's post-its (position order), groups (position order) and rows (display order)."""
    column_postits = sorted(
        (p for p in postits if p.column == column), key=lambda p: (p.position, p.id)
    )
    column_groups = sorted(
        (g for g in groups if g.column == column), key=lambda g: (g.position, g.id)
    )
    members: dict[int, list[PostIt]] = {g.id: [] for g in column_groups}
    ungrouped: list[PostIt] = []
    for postit in column_postits:
        bucket = members.get(postit.group_id) if postit.group_id is not None else None
        if bucket is None:
            ungrouped.append(postit)
        else:
            bucket.append(postit)
    rows = [Row(postit=p) for p in ungrouped]
    for group in column_groups:
        rows.append(Row(group=group, members=len(members[group.id])))
        rows.extend(Row(postit=p) for p in members[group.id])
    return column_postits, column_groups, rows


def is_last_in_group(rows: Sequence[Row], number: int) -> bool:
    """Whether row ``number`` is a grouped post-it with no post-it of its group after it."""
    postit = rows[number].postit
    if postit is None or postit.group_id is None:
        return False
    following = rows[number + 1].postit if number + 1 < len(rows) else None
    return following is None or following.group_id != postit.group_id


class PostItsModel(QAbstractListModel):
    """The rows of one column. ``reload`` replaces everything in one model reset."""

    def __init__(self, column: Column, parent=None) -> None:
        super().__init__(parent)
        self.column = column
        self._rows: list[Row] = []
        self._postit_rows: dict[int, int] = {}
        self._group_rows: dict[int, int] = {}
        self._groups: dict[int, Group] = {}
        self._postits: list[PostIt] = []
        self._tallies: dict[int, int] | None = None

    # ----------------------------------------------------------------- loading

    def reload(self, postits: Iterable[PostIt], groups: Iterable[Group]) -> None:
        """Show these post-its and groups (others' columns are ignored)."""
        column_postits, column_groups, rows = build_rows(self.column, postits, groups)
        self.beginResetModel()
        self._rows = rows
        self._postits = column_postits
        self._groups = {g.id: g for g in column_groups}
        self._postit_rows = {}
        self._group_rows = {}
        for number, row in enumerate(rows):
            if row.postit is not None:
                self._postit_rows[row.postit.id] = number
            elif row.group is not None:
                self._group_rows[row.group.id] = number
        self.endResetModel()

    def clear(self) -> None:
        self.reload((), ())

    def set_tallies(self, tallies: dict[int, int] | None) -> bool:
        """Show these dot-vote tallies on the cards (``None`` hides them); False if they were
        already shown (nothing to repaint)."""
        if tallies == self._tallies:
            return False
        before, self._tallies = self._tallies, dict(tallies) if tallies is not None else None
        if (before is None) == (tallies is None) and all(
                self.votes_of(i) == (before or {}).get(i, 0) for i in self._postit_rows):
            return False  # only other columns' cards changed
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))
        return True

    def votes_of(self, postit_id: int) -> int | None:
        """The tally shown on a post-it, or ``None`` while tallies are hidden."""
        return None if self._tallies is None else self._tallies.get(postit_id, 0)

    # ----------------------------------------------------------------- Qt model

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        role = int(role)
        if row.postit is not None:
            postit = row.postit
            if role == Qt.ItemDataRole.DisplayRole:
                return postit.text
            if role == PostItRole:
                return postit
            if role == VotesRole:
                return self.votes_of(postit.id)
            if role == GroupNameRole:
                group = self._groups.get(postit.group_id) if postit.group_id else None
                return group.name if group else ""
            if role == LastInGroupRole:
                return is_last_in_group(self._rows, index.row())
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.accessible_text(postit)
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_tooltip(self.tooltip_text(postit))
            return None
        group = row.group
        assert group is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return group.name
        if role == GroupRole:
            return group
        if role == MemberCountRole:
            return row.members
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Group {group.name}, {count_text(row.members)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"Group “{group.name}”, {count_text(row.members)}. "
                                 "Drop post-its here to add them to the group.")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_group_row(index.row()):
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled

    # ----------------------------------------------------------------- lookups

    def accessible_text(self, postit: PostIt) -> str:
        parts = [f"Post-it: {postit.text}."]
        if postit.shared:
            parts.append("Shared.")
        group = self._groups.get(postit.group_id) if postit.group_id else None
        if group is not None:
            parts.append(f"In group {group.name}.")
        parts.append(f"{postit.colour.label}.")
        votes = self.votes_of(postit.id)
        if votes is not None:
            parts.append("1 vote." if votes == 1 else f"{votes} votes.")
        if postit.source == Source.PHONE:
            parts.append("From a phone.")
        return " ".join(parts)

    def tooltip_text(self, postit: PostIt) -> str:
        lines = [postit.text]
        group = self._groups.get(postit.group_id) if postit.group_id else None
        details = [f"{postit.colour.label} post-it"]
        if postit.shared:
            details.append("marked shared")
        if group is not None:
            details.append(f"in group “{group.name}”")
        if postit.author:
            details.append(f"from {postit.author}")
        lines.append(", ".join(details) + ".")
        return "\n".join(lines)

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def postit_at(self, row: int) -> PostIt | None:
        found = self.row_at(row)
        return found.postit if found else None

    def group_at(self, row: int) -> Group | None:
        found = self.row_at(row)
        return found.group if found else None

    def is_group_row(self, row: int) -> bool:
        found = self.row_at(row)
        return found is not None and found.group is not None

    def row_of_postit(self, postit_id: int) -> int:
        return self._postit_rows.get(postit_id, -1)

    def row_of_group(self, group_id: int) -> int:
        return self._group_rows.get(group_id, -1)

    def index_of_postit(self, postit_id: int) -> QModelIndex:
        row = self.row_of_postit(postit_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def index_of_group(self, group_id: int) -> QModelIndex:
        row = self.row_of_group(group_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def postits(self) -> list[PostIt]:
        """This column's post-its in position order (the store's order, not display order)."""
        return list(self._postits)

    def display_postits(self) -> list[PostIt]:
        """This column's post-its in the order they are shown."""
        return [r.postit for r in self._rows if r.postit is not None]

    def groups(self) -> list[Group]:
        return list(self._groups.values())

    def group(self, group_id: int) -> Group | None:
        return self._groups.get(group_id)

    def group_members(self, group_id: int) -> list[PostIt]:
        return [p for p in self._postits if p.group_id == group_id]

    def postit_count(self) -> int:
        return len(self._postits)

    def postit_ids_in_rows(self, rows: Sequence[int]) -> list[int]:
        """Ids of the post-its in these rows, in display order (headers skipped)."""
        ids = []
        for row in sorted(set(rows)):
            postit = self.postit_at(row)
            if postit is not None:
                ids.append(postit.id)
        return ids
