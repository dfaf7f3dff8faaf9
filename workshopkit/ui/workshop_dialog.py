"""New workshop / Workshop details: the workshop's facts, its organisations and its people.

Saving walks the form through store verbs. A verb that refuses (an empty name, a full disk)
leaves the dialog open with the reason in plain text and every field as typed; rows already
saved remember their ids, so saving again finishes the job without duplicating anything.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import TITLE_MAX_CHARS, OrgKind
from workshopkit.store import Store, StoreError

_ID_ROLE = Qt.ItemDataRole.UserRole
_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
NO_ORGANISATION = "(no organisation)"


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A critical message in plain text, opened window-modal so nothing blocks the event loop."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setAccessibleName(title)
    box.open()
    return box


@dataclass
class _OrgRow:
    key: int
    id: int | None = None
    saved: tuple[str, OrgKind] | None = None


@dataclass
class _PersonRow:
    id: int | None = None
    saved: tuple[str, int | None, str] | None = None


class _EditableTable(QTableWidget):
    """A table whose open cell editor can be committed on demand (Save while typing)."""

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item at a cell, created empty if the cell has none yet."""
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem("")
            self.setItem(row, column, item)
        return item

    def commit_editing(self) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            return
        for editor in self.viewport().findChildren(QLineEdit):
            if editor.isVisible():
                self.commitData(editor)
                self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)


class WorkshopDialog(QDialog):
    """Create a workshop (``workshop_id=None``) or edit one. Emits ``workshop_saved(id)``."""

    workshop_saved = Signal(int)

    def __init__(
        self, store: Store, workshop_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.workshop_id = workshop_id
        self._keys = itertools.count(1)
        self._saved_fields: dict[str, str] = {}
        self._removed_orgs: list[int] = []
        self._removed_people: list[int] = []
        self.setWindowTitle("New workshop" if workshop_id is None else "Workshop details")
        self.setAccessibleName(self.windowTitle())
        self.resize(820, 640)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Workshop sections")
        self.tabs.addTab(self._build_details(), "&Details")
        self.tabs.addTab(self._build_people(), "&Organisations and people")

        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #a00000; font-weight: bold;")
        self.error_label.setAccessibleName("Problem")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Create workshop" if workshop_id is None else "Save")
        save.setAccessibleName(save.text())
        save.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        if workshop_id is not None:
            self._load(workshop_id)
        self.title_edit.setFocus()

    # ----------------------------------------------------------------- building

    def _line_edit(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _build_details(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.title_edit = self._line_edit("Title", "For example: Partnership principles workshop")
        self.title_edit.setMaxLength(TITLE_MAX_CHARS)
        self.partnership_edit = self._line_edit("Partnership name",
                                                "Which partnership or project is this for?")
        self.date_edit = self._line_edit("Date", "YYYY-MM-DD")
        today = QPushButton("&Today", page)
        today.setAccessibleName("Set the date to today")
        today.clicked.connect(
            lambda: self.date_edit.setText(_dt.date.today().isoformat())
        )
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit, 1)
        date_row.addWidget(today)
        self.place_edit = self._line_edit("Place")
        self.facilitator_edit = self._line_edit("Facilitator")
        self.notes_edit = QPlainTextEdit(page)
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setTabChangesFocus(True)
        form.addRow(self._buddy("&Title (required):", self.title_edit), self.title_edit)
        form.addRow(self._buddy("&Partnership:", self.partnership_edit), self.partnership_edit)
        form.addRow(self._buddy("D&ate:", self.date_edit), date_row)
        form.addRow(self._buddy("P&lace:", self.place_edit), self.place_edit)
        form.addRow(self._buddy("&Facilitator:", self.facilitator_edit), self.facilitator_edit)
        form.addRow(self._buddy("&Notes:", self.notes_edit), self.notes_edit)
        return page

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(widget)
        return label

    def _build_people(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)

        layout.addWidget(self._buddy("Organisations in the partnership:", page))
        self.org_table = _EditableTable(0, 2, page)
        self.org_table.setHorizontalHeaderLabels(["Name", "Kind"])
        self.org_table.setAccessibleName("Organisations")
        self._setup_table(self.org_table)
        self.org_table.itemChanged.connect(self._on_org_table_item_changed)
        layout.addWidget(self.org_table, 1)
        row = QHBoxLayout()
        self.add_org_button = QPushButton("Add or&ganisation", page)
        self.add_org_button.setAccessibleName("Add organisation")
        self.add_org_button.clicked.connect(self._on_add_org_button_clicked)
        self.remove_org_button = QPushButton("Remove organisation", page)
        self.remove_org_button.setAccessibleName("Remove organisation")
        self.remove_org_button.clicked.connect(self.remove_selected_organisation)
        row.addWidget(self.add_org_button)
        row.addWidget(self.remove_org_button)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(self._buddy("People taking part:", page))
        self.people_table = _EditableTable(0, 3, page)
        self.people_table.setHorizontalHeaderLabels(["Name", "Organisation", "Role"])
        self.people_table.setAccessibleName("Participants")
        self._setup_table(self.people_table)
        layout.addWidget(self.people_table, 1)
        row = QHBoxLayout()
        self.add_person_button = QPushButton("Add &person", page)
        self.add_person_button.setAccessibleName("Add person")
        self.add_person_button.clicked.connect(self._on_add_person_button_clicked)
        self.remove_person_button = QPushButton("Remove person", page)
        self.remove_person_button.setAccessibleName("Remove person")
        self.remove_person_button.clicked.connect(self.remove_selected_participant)
        row.addWidget(self.add_person_button)
        row.addWidget(self.remove_person_button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _setup_table(self, table: QTableWidget) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        table.setTabKeyNavigation(False)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # The combo box column is sized for its longest choice (cell widgets have no hint).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        sample = QComboBox()
        sample.addItems([kind.label for kind in OrgKind] + ["(unnamed organisation)"])
        header.resizeSection(1, max(sample.sizeHint().width() + 24, 160))
        sample.deleteLater()
        table.verticalHeader().setDefaultSectionSize(sample.sizeHint().height() + 6)

    # ----------------------------------------------------------------- rows

    def add_organisation_row(
        self, name: str = "", kind: OrgKind = OrgKind.CIVIC, *, org_id: int | None = None
    ) -> int:
        """Append an organisation row and return its index."""
        row_info = _OrgRow(key=next(self._keys), id=org_id,
                           saved=(name, kind) if org_id is not None else None)
        table = self.org_table
        row = table.rowCount()
        table.blockSignals(True)
        table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setData(_ID_ROLE, row_info)
        table.setItem(row, 0, item)
        table.blockSignals(False)
        combo = QComboBox(table)
        combo.setAccessibleName("Kind of organisation")
        for option in OrgKind:
            combo.addItem(option.label, option.value)
        combo.setCurrentIndex(list(OrgKind).index(kind))
        table.setCellWidget(row, 1, combo)
        self._refresh_person_org_choices()
        if org_id is None:
            table.setCurrentCell(row, 0)
        return row

    def add_participant_row(
        self,
        name: str = "",
        organisation_key: int | None = None,
        role: str = "",
        *,
        participant_id: int | None = None,
    ) -> int:
        info = _PersonRow(id=participant_id)
        table = self.people_table
        row = table.rowCount()
        table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setData(_ID_ROLE, info)
        table.setItem(row, 0, item)
        combo = QComboBox(table)
        combo.setAccessibleName("Organisation of this person")
        table.setCellWidget(row, 1, combo)
        self._fill_org_combo(combo, organisation_key)
        table.setItem(row, 2, QTableWidgetItem(role))
        if participant_id is not None:
            info.saved = (name, self._org_id_for_key(organisation_key), role)
        else:
            table.setCurrentCell(row, 0)
        return row

    def _on_add_org_button_clicked(self) -> None:
        row = self.add_organisation_row()
        self.org_table.setFocus()
        self.org_table.editItem(self.org_table.cell(row, 0))

    def _on_add_person_button_clicked(self) -> None:
        row = self.add_participant_row()
        self.people_table.setFocus()
        self.people_table.editItem(self.people_table.cell(row, 0))

    def remove_selected_organisation(self) -> None:
        row = self.org_table.currentRow()
        if row < 0:
            return
        info = self._org_info(row)
        if info.id is not None:
            self._removed_orgs.append(info.id)
        self.org_table.removeRow(row)
        self._refresh_person_org_choices()

    def remove_selected_participant(self) -> None:
        row = self.people_table.currentRow()
        if row < 0:
            return
        info = self._person_info(row)
        if info.id is not None:
            self._removed_people.append(info.id)
        self.people_table.removeRow(row)

    def _org_info(self, row: int) -> _OrgRow:
        info: _OrgRow = self.org_table.cell(row, 0).data(_ID_ROLE)
        return info

    def _person_info(self, row: int) -> _PersonRow:
        info: _PersonRow = self.people_table.cell(row, 0).data(_ID_ROLE)
        return info

    def _org_rows(self) -> list[tuple[_OrgRow, str, OrgKind]]:
        rows = []
        for row in range(self.org_table.rowCount()):
            combo = self.org_table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            rows.append((self._org_info(row), self.org_table.cell(row, 0).text(),
                         OrgKind(combo.currentData())))
        return rows

    def _org_id_for_key(self, key: int | None) -> int | None:
        if key is None:
            return None
        for info, _name, _kind in self._org_rows():
            if info.key == key:
                return info.id
        return None

    def _fill_org_combo(self, combo: QComboBox, selected_key: int | None) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(NO_ORGANISATION, None)
        for info, name, _kind in self._org_rows():
            combo.addItem(name.strip() or "(unnamed organisation)", info.key)
        index = combo.findData(selected_key) if selected_key is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _refresh_person_org_choices(self) -> None:
        for row in range(self.people_table.rowCount()):
            combo = self.people_table.cellWidget(row, 1)
            if isinstance(combo, QComboBox):
                self._fill_org_combo(combo, combo.currentData())

    def _on_org_table_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self._refresh_person_org_choices()

    # ----------------------------------------------------------------- load / save

    def _fields(self) -> dict[str, str]:
        return {
            "title": self.title_edit.text(),
            "partnership": self.partnership_edit.text(),
            "date": self.date_edit.text().strip(),
            "place": self.place_edit.text(),
            "facilitator": self.facilitator_edit.text(),
            "notes": self.notes_edit.toPlainText(),
        }

    def _load(self, workshop_id: int) -> None:
        workshop = self.store.get_workshop(workshop_id)
        self.title_edit.setText(workshop.title)
        self.partnership_edit.setText(workshop.partnership)
        self.date_edit.setText(workshop.date)
        self.place_edit.setText(workshop.place)
        self.facilitator_edit.setText(workshop.facilitator)
        self.notes_edit.setPlainText(workshop.notes)
        self._saved_fields = self._fields()
        keys: dict[int, int] = {}
        for org in self.store.list_organisations(workshop_id):
            row = self.add_organisation_row(org.name, org.kind, org_id=org.id)
            keys[org.id] = self._org_info(row).key
        for person in self.store.list_participants(workshop_id):
            key = keys.get(person.organisation_id) if person.organisation_id else None
            self.add_participant_row(person.name, key, person.role, participant_id=person.id)
        self.org_table.clearSelection()
        self.people_table.clearSelection()

    def show_problem(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def save(self) -> None:
        """Write the form through store verbs; on a refusal keep the dialog open and explain."""
        self.show_problem("")
        self.org_table.commit_editing()
        self.people_table.commit_editing()
        fields = self._fields()
        if not fields["title"].strip():
            self.tabs.setCurrentIndex(0)
            self.title_edit.setFocus()
            self.show_problem("The workshop needs a title. Type one in the Title box.")
            return
        if fields["date"] and fields["date"] != self._saved_fields.get("date"):
            try:
                _dt.date.fromisoformat(fields["date"])
            except ValueError:
                self.tabs.setCurrentIndex(0)
                self.date_edit.setFocus()
                self.show_problem(
                    f"The date {fields['date']!r} is not a date written as YYYY-MM-DD, "
                    "for example 2025-03-14. Correct it or leave it empty."
                )
                return
        try:
            self._save_details(fields)
            self._save_organisations()
            self._save_participants()
        except StoreError as exc:
            self.show_problem(str(exc))
            return
        assert self.workshop_id is not None
        self.workshop_saved.emit(self.workshop_id)
        self.accept()

    def _save_details(self, fields: dict[str, str]) -> None:
        if self.workshop_id is None:
            workshop = self.store.create_workshop(
                fields["title"], partnership=fields["partnership"], date=fields["date"],
                place=fields["place"], facilitator=fields["facilitator"], notes=fields["notes"],
            )
            self.workshop_id = workshop.id
        else:
            changed = {k: v for k, v in fields.items() if self._saved_fields.get(k) != v}
            if changed:
                self.store.update_workshop(self.workshop_id, **changed)
        self._saved_fields = dict(fields)

    def _save_organisations(self) -> None:
        assert self.workshop_id is not None
        while self._removed_orgs:
            self.store.delete_organisation(self._removed_orgs[0])
            self._removed_orgs.pop(0)
        for number, (info, name, kind) in enumerate(self._org_rows(), start=1):
            try:
                if info.id is None:
                    if not name.strip():
                        continue
                    org = self.store.add_organisation(self.workshop_id, name, kind)
                    info.id = org.id
                    info.saved = (org.name, org.kind)
                elif info.saved != (name, kind):
                    org = self.store.update_organisation(info.id, name=name, kind=kind)
                    info.saved = (org.name, org.kind)
            except StoreError as exc:
                self.tabs.setCurrentIndex(1)
                self.org_table.setCurrentCell(number - 1, 0)
                raise type(exc)(f"Organisation {number}: {exc}") from exc

    def _save_participants(self) -> None:
        assert self.workshop_id is not None
        while self._removed_people:
            self.store.delete_participant(self._removed_people[0])
            self._removed_people.pop(0)
        for row in range(self.people_table.rowCount()):
            info = self._person_info(row)
            name = self.people_table.cell(row, 0).text()
            role = self.people_table.cell(row, 2).text()
            combo = self.people_table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            org_id = self._org_id_for_key(combo.currentData())
            try:
                if info.id is None:
                    if not name.strip() and not role.strip():
                        continue
                    person = self.store.add_participant(
                        self.workshop_id, name, organisation_id=org_id, role=role
                    )
                    info.id = person.id
                    info.saved = (person.name, person.organisation_id, person.role)
                elif info.saved != (name, org_id, role):
                    person = self.store.update_participant(
                        info.id, name=name, role=role, organisation_id=org_id
                    )
                    info.saved = (person.name, person.organisation_id, person.role)
            except StoreError as exc:
                self.tabs.setCurrentIndex(1)
                self.people_table.setCurrentCell(row, 0)
                raise type(exc)(f"Person {row + 1}: {exc}") from exc
