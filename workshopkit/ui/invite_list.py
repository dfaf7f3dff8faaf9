"""Who to invite: the stakeholder map's cards ring by ring, with each one's invitation in words.

The order and grouping come from :func:`workshopkit.exercises.stakeholders.invite_list`; this view
only shows it, and gives it as plain text for pasting into an email.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.stakeholders import InviteEntry, InviteRing, invite_list
from workshopkit.model import InviteStatus, StakeholderMap
from workshopkit.ui.guidance_panel import plain_label, plain_tooltip, scaled_font

FONT_SCALE = 1.15
TITLE = "Who to invite"

StakeholderIdRole = Qt.ItemDataRole.UserRole + 1
"""The card's id on an entry row; None on a ring row."""
RingRole = Qt.ItemDataRole.UserRole + 2
"""The ring number (0 is the centre) on every row."""

# How each status is counted in a ring's heading, in the order they are listed.
_COUNT_WORDS: tuple[tuple[InviteStatus, str], ...] = (
    (InviteStatus.AGREED, "agreed"),
    (InviteStatus.INVITED, "invited"),
    (InviteStatus.DECLINED, "declined"),
    (InviteStatus.NOT_INVITED, "not invited yet"),
)


def ring_heading(ring: InviteRing) -> str:
    """E.g. "Must be in the room — 5 (2 agreed, 1 invited, 2 not invited yet)"."""
    total = len(ring.entries)
    if total == 0:
        return f"{ring.name} — nobody yet"
    counts = [f"{ring.count(status)} {words}" for status, words in _COUNT_WORDS
              if ring.count(status)]
    return f"{ring.name} — {total} ({', '.join(counts)})"


def entry_who(entry: InviteEntry) -> str:
    """E.g. "Finance — Jo Bloggs (Queen Mary)", or "Finance (Queen Mary)" with no named person."""
    card = entry.stakeholder
    who = f"{card.label} — {card.person}" if card.person else card.label
    return f"{who} ({entry.organisation})"


def entry_line(entry: InviteEntry) -> str:
    return f"{entry_who(entry)}: {entry.stakeholder.status.label}"


class InviteListView(QWidget):
    """The "who to invite" list. Enter or double-click on a person emits their card's id."""

    stakeholder_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._map: StakeholderMap | None = None
        self._rings: list[InviteRing] = []
        self._collapsed: set[int] = set()
        self._rebuilding = False
        self.setAccessibleName(TITLE)
        big = scaled_font(self.font(), FONT_SCALE)
        self._ring_font = scaled_font(self.font(), FONT_SCALE, bold=True)

        self.title_label = plain_label(TITLE, self, selectable=False)
        self.title_label.setFont(scaled_font(self.font(), FONT_SCALE * 1.15, bold=True))
        self.title_label.setAccessibleName(TITLE)

        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Who", "Invitation"])
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Who to invite, by ring")
        self.tree.setAccessibleDescription(
            "Each ring of the map with the people in it and their invitation. Enter or "
            "double-click shows the card on the map."
        )
        self.tree.setFont(big)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self.copy_button = QPushButton("Copy list", self)
        self.copy_button.setAccessibleName("Copy list")
        self.copy_button.setToolTip("Copy the list as plain text, to paste into an email")
        self.copy_button.setFont(big)
        self.copy_button.setEnabled(False)
        self.copied_label = plain_label("", self, selectable=False)
        self.copied_label.setAccessibleName("Copy result")
        self.copied_label.hide()

        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.copied_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)

        self.tree.activated.connect(self._on_tree_activated)
        self.tree.expanded.connect(self._on_tree_expanded)
        self.tree.collapsed.connect(self._on_tree_collapsed)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)

    # ----------------------------------------------------------------- content

    def set_map(self, stakeholder_map: StakeholderMap | None) -> None:
        """Show a map's invite list (None clears it), keeping open rings and the current row."""
        current = self.tree.currentIndex().siblingAtColumn(0)
        keep = (current.data(RingRole), current.data(StakeholderIdRole)) if current.isValid() \
            else None
        self._map = stakeholder_map
        self._rings = invite_list(stakeholder_map) if stakeholder_map is not None else []
        self._rebuilding = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            restore: QModelIndex | None = None
            for ring in self._rings:
                top = self._ring_row(ring)
                self.model.appendRow(top)
                for entry in ring.entries:
                    top[0].appendRow(self._entry_row(ring.ring, entry))
                    if keep == (ring.ring, entry.stakeholder.id):
                        restore = top[0].child(top[0].rowCount() - 1).index()
                index = top[0].index()
                self.tree.setFirstColumnSpanned(index.row(), QModelIndex(), True)
                self.tree.setExpanded(index, ring.ring not in self._collapsed)
                if keep == (ring.ring, None):
                    restore = index
            if restore is not None:
                self.tree.setCurrentIndex(restore)
        finally:
            self._rebuilding = False
        self.copy_button.setEnabled(any(ring.entries for ring in self._rings))
        self.copied_label.hide()

    def stakeholder_map(self) -> StakeholderMap | None:
        return self._map

    def _ring_row(self, ring: InviteRing) -> list[QStandardItem]:
        heading = ring_heading(ring)
        item = _item(heading)
        item.setData(ring.ring, RingRole)
        item.setFont(self._ring_font)
        item.setData(f"Ring: {heading}", Qt.ItemDataRole.AccessibleTextRole)
        item.setToolTip(plain_tooltip(heading))
        spare = _item("")
        spare.setData(ring.ring, RingRole)
        return [item, spare]

    def _entry_row(self, ring: int, entry: InviteEntry) -> list[QStandardItem]:
        card = entry.stakeholder
        who = entry_who(entry)
        item = _item(who)
        item.setData(ring, RingRole)
        item.setData(card.id, StakeholderIdRole)
        item.setData(entry_line(entry), Qt.ItemDataRole.AccessibleTextRole)
        tip = [who]
        if card.contact:
            tip.append(f"Contact: {card.contact}")
        tip.append(f"Invitation: {card.status.label}")
        item.setToolTip(plain_tooltip("\n".join(tip)))
        status = _item(card.status.short_label)
        status.setData(ring, RingRole)
        status.setData(card.id, StakeholderIdRole)
        status.setData(f"Invitation: {card.status.label}", Qt.ItemDataRole.AccessibleTextRole)
        status.setToolTip(card.status.label)
        return [item, status]

    def as_text(self) -> str:
        """The list as plain text, ring by ring, one person a line (for an email)."""
        if self._map is None:
            return ""
        lines = [TITLE, ""]
        for ring in self._rings:
            lines.append(ring_heading(ring))
            lines.extend(f"- {entry_line(entry)}" for entry in ring.entries)
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"

    # ----------------------------------------------------------------- behaviour

    def _on_tree_activated(self, index: QModelIndex) -> None:
        stakeholder_id = index.data(StakeholderIdRole)
        if stakeholder_id is not None:
            self.stakeholder_activated.emit(int(stakeholder_id))

    def _on_tree_expanded(self, index: QModelIndex) -> None:
        if not self._rebuilding:
            self._collapsed.discard(index.data(RingRole))

    def _on_tree_collapsed(self, index: QModelIndex) -> None:
        if not self._rebuilding:
            self._collapsed.add(index.data(RingRole))

    def _on_copy_button_clicked(self) -> None:
        QApplication.clipboard().setText(self.as_text())
        people = sum(len(ring.entries) for ring in self._rings)
        self.copied_label.setText(
            f"Copied {people} {'person' if people == 1 else 'people'} to the clipboard."
        )
        self.copied_label.show()


def _item(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setDragEnabled(False)
    item.setDropEnabled(False)
    return item
