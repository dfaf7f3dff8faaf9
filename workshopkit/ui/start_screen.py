"""The library of workshops: pick one to run, or create, copy, delete, import and export them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import Change, WorkshopSummary
from workshopkit.store import WORKSHOP_SUFFIX, Store, StoreError
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.guidance_panel import plain_label, plain_tooltip, scaled_font

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from workshopkit.ui.workshop_dialog import WorkshopDialog

EMPTY_TEXT = (
    "No workshops yet.\n\n"
    "Click New workshop (Ctrl+N) to set one up, or run  workshopkit demo  in a terminal to "
    "add a demo workshop filled with the toolkit's worked example."
)

KEYBOARD_HINT = (
    "Enter opens the selected workshop.  Delete deletes it (after asking).  "
    "Ctrl+N starts a new one."
)

_Index = QModelIndex | QPersistentModelIndex


class WorkshopsModel(QAbstractTableModel):
    """One row per workshop, most recently changed first (as :meth:`Store.list_workshops`)."""

    HEADERS = ("Title", "Date", "Partnership", "Organisations", "People", "Post-its")
    ID_ROLE = Qt.ItemDataRole.UserRole

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self._rows: list[WorkshopSummary] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = self.store.list_workshops()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def workshop(self, row: int) -> WorkshopSummary:
        return self._rows[row]

    def row_of(self, workshop_id: int) -> int:
        for row, summary in enumerate(self._rows):
            if summary.id == workshop_id:
                return row
        return -1

    def _cell(self, summary: WorkshopSummary, column: int) -> str:
        values = (
            summary.title,
            summary.date,
            summary.partnership,
            str(summary.organisations),
            str(summary.participants),
            str(summary.postits),
        )
        return values[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(summary, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._cell(summary, column))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[column]}: {self._cell(summary, column) or 'none'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ID_ROLE:
            return summary.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


class WorkshopsTable(QTableView):
    """Enter opens the selected workshop, Delete asks to delete it (ahead of any menu shortcut)."""

    open_requested = Signal()
    delete_requested = Signal()

    _OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (*self._OPEN_KEYS, Qt.Key.Key_Delete)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in self._OPEN_KEYS:
            self.open_requested.emit()
            event.accept()
        elif event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
            event.accept()
        else:
            super().keyPressEvent(event)


class StartScreen(QWidget):
    """Recent workshops and what you can do with them. Emits ``workshop_opened(id)``."""

    workshop_opened = Signal(int)
    workshop_deleted = Signal(int)
    workshops_imported = Signal(list)  # the new workshops' titles

    def __init__(self, store: Store, bridge: StoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._dirty = False
        self.setAccessibleName("Start screen")

        heading = plain_label("Your workshops", self, selectable=False)
        heading.setFont(scaled_font(self.font(), 2.0, bold=True))
        heading.setAccessibleName("Your workshops")

        self.table = WorkshopsTable(self)
        # Fonts before the model, so rows and header are measured once, in their final font.
        self.table.setFont(scaled_font(self.font(), 1.25))
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() * 2)
        self.table.horizontalHeader().setFont(scaled_font(self.font(), 1.15, bold=True))
        self.model = WorkshopsModel(store, self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Workshops")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.open_requested.connect(self.open_selected)
        self.table.delete_requested.connect(lambda: self.delete_workshop())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        self.empty_label = plain_label(EMPTY_TEXT, self, selectable=False)
        self.empty_label.setFont(scaled_font(self.font(), 1.5))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No workshops yet")
        self.empty_label.setObjectName("emptyState")

        self._list_stack = QStackedWidget(self)
        self._list_stack.addWidget(self.table)
        self._list_stack.addWidget(self.empty_label)

        self.new_button = self._button("&New workshop", "New workshop", self.new_workshop)
        self.open_button = self._button("&Open", "Open workshop", self.open_selected)
        self.duplicate_button = self._button("D&uplicate", "Duplicate workshop",
                                             lambda: self.duplicate_workshop())
        self.delete_button = self._button("&Delete…", "Delete workshop",
                                          lambda: self.delete_workshop())
        self.import_button = self._button("&Import…", "Import workshop", self.import_workshop)
        self.export_button = self._button("E&xport…", "Export workshop",
                                          lambda: self.export_workshop())
        self.new_button.setDefault(False)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.duplicate_button,
                       self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addWidget(self._list_stack, 1)
        self.hint_label = plain_label(KEYBOARD_HINT, self, selectable=False)
        self.hint_label.setFont(scaled_font(self.font(), 1.1))
        self.hint_label.setAccessibleName("Keyboard hint")
        layout.addWidget(self.hint_label)
        layout.addLayout(buttons)

        bridge.changed.connect(self._on_bridge_changed)
        self._update_buttons()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setFont(scaled_font(self.font(), 1.2))
        button.setMinimumHeight(40)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # ----------------------------------------------------------------- selection

    def selected_workshop_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.model.workshop(rows[0].row()).id)

    def select_workshop(self, workshop_id: int) -> bool:
        self.refresh_if_needed()
        row = self.model.row_of(workshop_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def focus_list(self) -> None:
        self.refresh_if_needed()
        if self.model.rowCount():
            if self.selected_workshop_id() is None:
                self.table.selectRow(0)
            self.table.setFocus()
        else:
            self.new_button.setFocus()

    def _update_buttons(self) -> None:
        has_rows = self.model.rowCount() > 0
        self._list_stack.setCurrentWidget(self.table if has_rows else self.empty_label)
        self.hint_label.setVisible(has_rows)
        selected = self.selected_workshop_id() is not None
        for button in (self.open_button, self.duplicate_button, self.delete_button,
                       self.export_button):
            button.setEnabled(selected)

    # ----------------------------------------------------------------- refresh

    def refresh(self) -> None:
        keep = self.selected_workshop_id()
        self.model.refresh()
        self._dirty = False
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select_workshop(keep)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def refresh_if_needed(self) -> None:
        if self._dirty:
            self.refresh()

    def _on_bridge_changed(self, change: Change) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True  # counts change with every post-it: refresh when next shown

    def showEvent(self, event: Any) -> None:
        self.refresh_if_needed()
        super().showEvent(event)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.workshop_opened.emit(self.model.workshop(index.row()).id)

    # ----------------------------------------------------------------- actions

    def open_selected(self) -> None:
        workshop_id = self.selected_workshop_id()
        if workshop_id is not None:
            self.workshop_opened.emit(workshop_id)

    def new_workshop(self) -> WorkshopDialog:
        from workshopkit.ui.workshop_dialog import WorkshopDialog

        dialog = WorkshopDialog(self.store, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.workshop_saved.connect(self._on_new_dialog_workshop_saved)
        dialog.open()
        return dialog

    def _on_new_dialog_workshop_saved(self, workshop_id: int) -> None:
        self.refresh()
        self.select_workshop(workshop_id)
        self.workshop_opened.emit(workshop_id)

    def duplicate_workshop(self, workshop_id: int | None = None) -> int | None:
        """Copy a workshop with everything in it; returns the copy's id and selects it."""
        workshop_id = workshop_id if workshop_id is not None else self.selected_workshop_id()
        if workshop_id is None:
            return None
        try:
            copy = self.store.duplicate_workshop(workshop_id)
        except StoreError as exc:
            show_error(self, "Could not duplicate the workshop", str(exc))
            return None
        self.refresh()
        self.select_workshop(copy.id)
        return copy.id

    def delete_workshop(self, workshop_id: int | None = None) -> QMessageBox | None:
        """Ask first, naming the workshop; only an explicit Delete removes it."""
        from PySide6.QtWidgets import QMessageBox

        workshop_id = workshop_id if workshop_id is not None else self.selected_workshop_id()
        if workshop_id is None:
            return None
        row = self.model.row_of(workshop_id)
        if row < 0:
            return None
        summary = self.model.workshop(row)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Delete workshop")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Delete the workshop “{summary.title}”?")
        box.setInformativeText(
            f"Its {summary.organisations} organisations, {summary.participants} people and "
            f"{summary.postits} post-its will be deleted too. This cannot be undone."
        )
        box.setAccessibleName("Delete workshop")
        delete = box.addButton("Delete workshop", QMessageBox.ButtonRole.DestructiveRole)
        delete.setAccessibleName("Delete workshop")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda _result: self._on_delete_box_finished(box.clickedButton() is delete, workshop_id,
                                                         summary.title)
        )
        box.open()
        return box

    def _on_delete_box_finished(self, confirmed: bool, workshop_id: int, title: str = "") -> None:
        if not confirmed:
            return
        row = self.model.row_of(workshop_id)
        try:
            self.store.delete_workshop(workshop_id)
        except StoreError as exc:
            show_error(self, "Could not delete the workshop", str(exc))
            return
        self.refresh()
        if self.model.rowCount():
            self.table.selectRow(min(max(row, 0), self.model.rowCount() - 1))
        self.workshop_deleted.emit(workshop_id)
        self.focus_list()
        # The facilitator may want the workshop's traces gone from older backups too.
        from workshopkit.ui.backup_dialog import ask_to_delete_older_backups

        self.backup_question = ask_to_delete_older_backups(self, self.store, title)

    def _file_dialog(self, caption: str, save: bool, name_filter: str,
                     suggested: str = "") -> QFileDialog:
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        dialog = QFileDialog(self, caption, str(Path(folder) / suggested) if suggested else folder,
                             name_filter)
        dialog.setAcceptMode(
            QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
        )
        dialog.setFileMode(
            QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAccessibleName(caption)
        return dialog

    def import_workshop(self) -> QFileDialog:
        dialog = self._file_dialog("Import workshop", False,
                                   f"Workshop files (*{WORKSHOP_SUFFIX});;All files (*)")
        dialog.fileSelected.connect(self.import_from)
        dialog.open()
        return dialog

    def import_from(self, path: str) -> list[int]:
        try:
            workshops = self.store.import_workshop(Path(path))
        except StoreError as exc:
            show_error(self, "Could not import", str(exc))
            return []
        self.refresh()
        if workshops:
            self.select_workshop(workshops[0].id)
            self.workshops_imported.emit([w.title for w in workshops])
        return [w.id for w in workshops]

    def export_workshop(self, workshop_id: int | None = None) -> QFileDialog | None:
        workshop_id = workshop_id if workshop_id is not None else self.selected_workshop_id()
        if workshop_id is None:
            return None
        try:
            title = self.store.get_workshop(workshop_id).title
        except StoreError as exc:
            show_error(self, "Could not export", str(exc))
            return None
        dialog = self._file_dialog("Export workshop", True,
                                   f"Workshop files (*{WORKSHOP_SUFFIX})",
                                   safe_file_name(title) + WORKSHOP_SUFFIX)
        dialog.setDefaultSuffix(WORKSHOP_SUFFIX.lstrip("."))
        dialog.fileSelected.connect(lambda path: self.export_to(workshop_id, path))
        dialog.open()
        return dialog

    def export_to(self, workshop_id: int, path: str) -> Path | None:
        try:
            return self.store.export_workshop(workshop_id, Path(path))
        except StoreError as exc:
            show_error(self, "Could not export", str(exc))
            return None


def safe_file_name(title: str) -> str:
    """A file name suggestion from a title: letters, digits, spaces, dashes."""
    kept = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in title)
    return " ".join(kept.split())[:80] or "workshop"


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A critical message in plain text (the dialogs' module loads only when one is needed)."""
    from workshopkit.ui.workshop_dialog import show_error as show

    return show(parent, title, message)
