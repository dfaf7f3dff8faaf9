"""The stakeholder map's palette: preset roles and teams to drag onto the map, with search.

Presets come from :mod:`workshopkit.exercises.stakeholders` (the toolkit's lists); "Used before"
holds roles this facilitator typed on earlier maps. Everything works from the keyboard: type to
filter, Down to reach the list, Enter to add.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.stakeholders import PRESET_GROUPS, is_preset
from workshopkit.model import STAKEHOLDER_LABEL_MAX_CHARS
from workshopkit.store import Store
from workshopkit.ui.guidance_panel import plain_label, plain_tooltip, scaled_font

ROLE_MIME = "application/x-workshopkit-role"
USED_BEFORE = "Used before"
FONT_SCALE = 1.15

RoleLabelRole = Qt.ItemDataRole.UserRole + 1
"""The role's label on a role row; None on a group header."""

def clean_role(text: str) -> str:
    """A role as the store will keep it: one line, single spaces, no outer space."""
    return " ".join(text.split())


class RolesModel(QStandardItemModel):
    """Group headers with role rows under them. Roles drag out as ROLE_MIME and plain text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(1)

    def add_group(self, title: str, roles: Sequence[str]) -> QStandardItem:
        group = QStandardItem(title)
        group.setEditable(False)
        group.setDragEnabled(False)
        group.setDropEnabled(False)
        self._describe_group(group, len(roles))
        for role in roles:
            group.appendRow(self._role_item(role))
        self.appendRow(group)
        return group

    def set_group_roles(self, group: QStandardItem, roles: Sequence[str]) -> None:
        group.removeRows(0, group.rowCount())
        for role in roles:
            group.appendRow(self._role_item(role))
        self._describe_group(group, len(roles))

    @staticmethod
    def _describe_group(group: QStandardItem, count: int) -> None:
        text = f"Group: {group.text()}, {count} role{'s' if count != 1 else ''}"
        group.setData(text, Qt.ItemDataRole.AccessibleTextRole)
        group.setData(plain_tooltip(text), Qt.ItemDataRole.ToolTipRole)

    @staticmethod
    def _role_item(role: str) -> QStandardItem:
        item = QStandardItem(role)
        item.setEditable(False)
        item.setDropEnabled(False)
        item.setDragEnabled(True)
        item.setData(role, RoleLabelRole)
        item.setData(plain_tooltip(role), Qt.ItemDataRole.ToolTipRole)
        item.setData(f"Role: {role}", Qt.ItemDataRole.AccessibleTextRole)
        return item

    def mimeTypes(self) -> list[str]:
        return [ROLE_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:  # type: ignore[override]
        roles = [i.data(RoleLabelRole) for i in indexes if i.isValid() and i.data(RoleLabelRole)]
        if not roles:
            return None
        data = QMimeData()
        data.setData(ROLE_MIME, roles[0].encode("utf-8"))
        data.setText(roles[0])
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        # Copy only: a "move" drop would make the view delete the preset from the palette.
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.IgnoreAction


class _RoleTree(QTreeView):
    """A tree that reports Enter on a row (double-click comes from ``doubleClicked``)."""

    enter_pressed = Signal(QModelIndex)
    up_from_top = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit(self.currentIndex())
            event.accept()
            return
        if event.key() == Qt.Key.Key_Up and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            above = self.indexAbove(self.currentIndex())
            if not above.isValid():
                self.up_from_top.emit()
                event.accept()
                return
        super().keyPressEvent(event)


class RolePalette(QWidget):
    """Preset and used-before roles to drag onto the map, or to add with Enter.

    ``role_chosen(label)`` is emitted for Enter or double-click on a role, for Enter in the
    search box (the first match, else the typed text) and for "Add custom role".
    """

    role_chosen = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setAccessibleName("Roles to add to the map")
        big = scaled_font(self.font(), FONT_SCALE)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search roles or type a new one")
        self.search_edit.setAccessibleName("Search roles or type a new one")
        self.search_edit.setAccessibleDescription(
            "Type to filter the roles. Enter adds the first match, or what you typed as a new "
            "role. Down arrow moves into the list."
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaxLength(STAKEHOLDER_LABEL_MAX_CHARS)
        self.search_edit.setFont(big)
        self.search_edit.installEventFilter(self)
        search_label = QLabel("Find or add a role:", self)
        search_label.setTextFormat(Qt.TextFormat.PlainText)
        search_label.setBuddy(self.search_edit)
        search_label.setFont(big)

        self.add_button = QPushButton("Add custom role", self)
        self.add_button.setAccessibleName("Add custom role")
        self.add_button.setToolTip("Add what you typed in the search box as a new role")
        self.add_button.setFont(big)
        self.add_button.setEnabled(False)

        self.model = RolesModel(self)
        self._used_group = self.model.add_group(USED_BEFORE, [])
        self._groups: list[QStandardItem] = [self._used_group]
        for preset in PRESET_GROUPS:
            self._groups.append(self.model.add_group(preset.title, preset.roles))
        bold = scaled_font(self.font(), FONT_SCALE, bold=True)
        for group in self._groups:
            group.setFont(bold)

        self.tree = _RoleTree(self)
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Roles")
        self.tree.setAccessibleDescription(
            "Drag a role onto the map, or press Enter or double-click to add it."
        )
        self.tree.setHeaderHidden(True)
        self.tree.setFont(big)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.expandAll()

        self.hint_label = plain_label("", self, selectable=False)
        self.hint_label.setAccessibleName("Search result")
        self.hint_label.setFont(big)
        self.hint_label.hide()

        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(search_label)
        layout.addWidget(self.search_edit)
        layout.addLayout(row)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.tree, 1)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.tree.enter_pressed.connect(self._on_tree_enter_pressed)
        self.tree.doubleClicked.connect(self._on_tree_double_clicked)
        self.tree.up_from_top.connect(self.search_edit.setFocus)
        self.refresh()

    # ----------------------------------------------------------------- content

    def refresh(self) -> None:
        """Reload "Used before" from the store (roles on earlier maps that are not presets)."""
        used = [label for label in self.store.used_roles() if not is_preset(label)]
        self.model.set_group_roles(self._used_group, used)
        self._apply_filter()

    def groups(self) -> list[str]:
        """Titles of the groups on show, top to bottom."""
        root = QModelIndex()
        return [
            self.model.index(row, 0).data()
            for row in range(self.model.rowCount())
            if not self.tree.isRowHidden(row, root)
        ]

    def visible_roles(self) -> list[str]:
        """Roles on show (matching the search), top to bottom."""
        return [index.data(RoleLabelRole) for index in self._visible_role_indexes()]

    def _visible_role_indexes(self) -> list[QModelIndex]:
        found = []
        root = QModelIndex()
        for row in range(self.model.rowCount()):
            if self.tree.isRowHidden(row, root):
                continue
            group = self.model.index(row, 0)
            for child in range(self.model.rowCount(group)):
                if not self.tree.isRowHidden(child, group):
                    found.append(self.model.index(child, 0, group))
        return found

    # ----------------------------------------------------------------- filtering

    def _apply_filter(self) -> None:
        needle = clean_role(self.search_edit.text()).casefold()
        root = QModelIndex()
        matches = 0
        for row in range(self.model.rowCount()):
            group = self.model.index(row, 0)
            shown = 0
            for child in range(self.model.rowCount(group)):
                role = str(self.model.index(child, 0, group).data(RoleLabelRole))
                hit = not needle or needle in role.casefold()
                self.tree.setRowHidden(child, group, not hit)
                shown += hit
            empty = self.model.rowCount(group) == 0
            self.tree.setRowHidden(row, root, empty or (bool(needle) and shown == 0))
            if needle and shown:
                self.tree.expand(group)
            matches += shown
        text = clean_role(self.search_edit.text())
        self.add_button.setEnabled(bool(text))
        if text and matches == 0:
            self.hint_label.setText(f"No preset matches. Press Enter to add “{text}” as a new role.")
        elif text:
            self.hint_label.setText(
                f"{matches} match{'es' if matches != 1 else ''}. Enter adds the first; "
                "Down arrow to choose another."
            )
        self.hint_label.setVisible(bool(text))
        current = self.tree.currentIndex()
        if current.isValid() and not self._is_shown(current):
            self.tree.setCurrentIndex(QModelIndex())

    def _is_shown(self, index: QModelIndex) -> bool:
        while index.isValid():
            if self.tree.isRowHidden(index.row(), index.parent()):
                return False
            index = index.parent()
        return True

    # ----------------------------------------------------------------- choosing

    def _choose(self, role: str) -> None:
        role = clean_role(role)
        if role:
            self.role_chosen.emit(role)

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._apply_filter()

    def _on_search_edit_return_pressed(self) -> None:
        text = clean_role(self.search_edit.text())
        if not text:
            return
        roles = self.visible_roles()
        exact = [r for r in roles if r.casefold() == text.casefold()]
        self._choose(exact[0] if exact else roles[0] if roles else text)
        self.search_edit.clear()

    def _on_add_button_clicked(self) -> None:
        text = clean_role(self.search_edit.text())
        if not text:
            return
        self._choose(text)
        self.search_edit.clear()
        self.search_edit.setFocus()

    def _on_tree_enter_pressed(self, index: QModelIndex) -> None:
        role = index.data(RoleLabelRole)
        if role:
            self._choose(role)
        else:
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

    def _on_tree_double_clicked(self, index: QModelIndex) -> None:
        role = index.data(RoleLabelRole)
        if role:
            self._choose(role)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            roles = self._visible_role_indexes()
            if roles:
                self.tree.setFocus(Qt.FocusReason.TabFocusReason)
                self.tree.setCurrentIndex(roles[0])
                self.tree.scrollTo(roles[0])
            return True
        return super().eventFilter(watched, event)

