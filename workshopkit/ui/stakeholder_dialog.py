"""The dialog that adds or edits one stakeholder card: who, where on the map, what part they play.

It only collects values; :meth:`StakeholderDialog.fields` gives them ready for
``store.add_stakeholder`` / ``store.update_stakeholders``, and the caller writes them through an
undo command. All user text is shown and returned as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.stakeholders import area_name
from workshopkit.model import (
    DEFAULT_RING_NAMES,
    RING_COUNT,
    STAKEHOLDER_FIELD_MAX_CHARS,
    STAKEHOLDER_LABEL_MAX_CHARS,
    InviteStatus,
    Organisation,
    Part,
    Responsibility,
    Stakeholder,
)
from workshopkit.store import clean_text

# Alt+key for each box, clear of the form's other shortcuts and of Cancel's Alt+C.
_MNEMONICS = {
    Responsibility.PROCESSES: "Pro&cesses",
    Responsibility.SYSTEMS: "S&ystems",
    Responsibility.SPACES: "Spac&es",
    Responsibility.BUDGET: "&Budget",
}


def _one_line(text: str) -> str:
    """Text as the store keeps a one-line field (control characters out, single spaces)."""
    return clean_text(text, what="Text", max_chars=10**9, required=False, multiline=False)


class StakeholderDialog(QDialog):
    """Add a card (``stakeholder`` None, prefilled from ``label``/``area``/``ring``) or edit one.

    OK stays disabled while the team or role is blank. ``commit`` (optional) is called with
    :meth:`fields` on OK; if it returns False the dialog stays open so nothing typed is lost.
    """

    def __init__(
        self,
        areas: Sequence[Organisation | None],
        ring_names: Sequence[str],
        stakeholder: Stakeholder | None = None,
        *,
        label: str = "",
        area: int = 0,
        ring: int = 0,
        commit: Callable[[dict[str, Any]], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._commit = commit
        editing = stakeholder is not None
        self.setWindowTitle("Edit stakeholder" if editing else "Add stakeholder")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(560)

        self.label_edit = self._line_edit("Team or role (required)", STAKEHOLDER_LABEL_MAX_CHARS,
                                          "For example: Finance and procurement")
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName("Character count")
        label_row = QHBoxLayout()
        label_row.addWidget(self.label_edit, 1)
        label_row.addWidget(self.count_label)

        self.person_edit = self._line_edit("Named person", STAKEHOLDER_LABEL_MAX_CHARS,
                                           "Optional: a name")
        self.contact_edit = self._line_edit("Contact", STAKEHOLDER_FIELD_MAX_CHARS,
                                            "Optional: email or phone")

        self.organisation_combo = self._combo("Organisation")
        for option in areas:
            self.organisation_combo.addItem(area_name(option),
                                            option.id if option is not None else None)
        if not areas:
            self.organisation_combo.addItem(area_name(None), None)

        self.ring_combo = self._combo("Ring")
        for index in range(RING_COUNT):
            name = ring_names[index] if index < len(ring_names) else ""
            self.ring_combo.addItem(name or DEFAULT_RING_NAMES[index], index)

        self.part_combo = self._combo("Part they play")
        for part in Part:
            self.part_combo.addItem(part.label, part.value)
        self.part_note_edit = self._line_edit("Describe the part they play",
                                              STAKEHOLDER_LABEL_MAX_CHARS,
                                              "Describe the part they play")
        part_row = QHBoxLayout()
        part_row.addWidget(self.part_combo)
        part_row.addWidget(self.part_note_edit, 1)

        self.responsibility_box = QGroupBox("Responsible for", self)
        self.responsibility_box.setAccessibleName("Responsible for")
        grid = QGridLayout(self.responsibility_box)
        self.responsibility_checks: dict[Responsibility, QCheckBox] = {}
        for number, item in enumerate(Responsibility):
            check = QCheckBox(_MNEMONICS.get(item, item.label), self.responsibility_box)
            check.setAccessibleName(f"Responsible for {item.label.lower()}")
            grid.addWidget(check, 0, number)
            self.responsibility_checks[item] = check
        self.responsibility_note_edit = self._line_edit(
            "Also responsible for", STAKEHOLDER_FIELD_MAX_CHARS, "Anything else, in a few words")
        note_label = self._buddy("&Also:", self.responsibility_note_edit)
        grid.addWidget(note_label, 1, 0)
        grid.addWidget(self.responsibility_note_edit, 1, 1, 1, len(Responsibility) - 1)

        self.status_combo = self._combo("Invitation")
        for status in InviteStatus:
            self.status_combo.addItem(status.label, status.value)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if editing else "Add")
        self.ok_button.setAccessibleName("Save stakeholder" if editing else "Add stakeholder")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self._buddy("&Team or role (required):", self.label_edit), label_row)
        form.addRow(self._buddy("Named &person:", self.person_edit), self.person_edit)
        form.addRow(self._buddy("Co&ntact:", self.contact_edit), self.contact_edit)
        form.addRow(self._buddy("&Organisation:", self.organisation_combo),
                    self.organisation_combo)
        form.addRow(self._buddy("&Ring:", self.ring_combo), self.ring_combo)
        form.addRow(self._buddy("Part they p&lay:", self.part_combo), part_row)
        form.addRow(self.responsibility_box)
        form.addRow(self._buddy("&Invitation:", self.status_combo), self.status_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        if stakeholder is not None:
            self._load(areas, stakeholder)
        else:
            self.label_edit.setText(label)
            self.organisation_combo.setCurrentIndex(
                min(max(area, 0), self.organisation_combo.count() - 1))
            self.ring_combo.setCurrentIndex(min(max(ring, 0), RING_COUNT - 1))
            self.part_combo.setCurrentIndex(list(Part).index(Part.OTHER))

        self.label_edit.textChanged.connect(self._on_label_edit_text_changed)
        self.part_combo.currentIndexChanged.connect(self._on_part_combo_current_index_changed)
        self._on_label_edit_text_changed()
        self._on_part_combo_current_index_changed()
        self.label_edit.setFocus()
        self.label_edit.selectAll()

    # ----------------------------------------------------------------- building

    def _line_edit(self, name: str, max_chars: int, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setMaxLength(max_chars)
        edit.setPlaceholderText(placeholder)
        return edit

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        return combo

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(widget)
        return label

    def _load(self, areas: Sequence[Organisation | None], stakeholder: Stakeholder) -> None:
        self.label_edit.setText(stakeholder.label)
        self.person_edit.setText(stakeholder.person)
        self.contact_edit.setText(stakeholder.contact)
        index = self.organisation_combo.findData(stakeholder.organisation_id)
        if stakeholder.organisation_id is None or index < 0:
            # The card's organisation is not an area of this map: it is not yet placed.
            index = next((i for i, a in enumerate(areas) if a is None), -1)
            if index < 0:
                self.organisation_combo.addItem(area_name(None), None)
                index = self.organisation_combo.count() - 1
        self.organisation_combo.setCurrentIndex(index)
        self.ring_combo.setCurrentIndex(min(max(stakeholder.ring, 0), RING_COUNT - 1))
        self.part_combo.setCurrentIndex(list(Part).index(stakeholder.part))
        self.part_note_edit.setText(stakeholder.part_note)
        for item, check in self.responsibility_checks.items():
            check.setChecked(item in stakeholder.responsibilities)
        self.responsibility_note_edit.setText(stakeholder.responsibility_note)
        self.status_combo.setCurrentIndex(list(InviteStatus).index(stakeholder.status))

    # ----------------------------------------------------------------- values

    def fields(self) -> dict[str, Any]:
        """The card's values, ready for ``add_stakeholder`` or ``update_stakeholders``."""
        return {
            "label": _one_line(self.label_edit.text()),
            "person": _one_line(self.person_edit.text()),
            "contact": _one_line(self.contact_edit.text()),
            "organisation_id": self.organisation_combo.currentData(),
            "ring": int(self.ring_combo.currentData()),
            "part": str(self.part_combo.currentData()),
            "part_note": _one_line(self.part_note_edit.text()),
            "responsibilities": [item.value for item, check in self.responsibility_checks.items()
                                 if check.isChecked()],
            "responsibility_note": _one_line(self.responsibility_note_edit.text()),
            "status": str(self.status_combo.currentData()),
        }

    # ----------------------------------------------------------------- behaviour

    def _on_label_edit_text_changed(self, _text: str = "") -> None:
        count = len(self.label_edit.text())
        self.count_label.setText(f"{count} / {STAKEHOLDER_LABEL_MAX_CHARS}")
        self.count_label.setAccessibleDescription(
            f"{count} of {STAKEHOLDER_LABEL_MAX_CHARS} characters used")
        blank = not _one_line(self.label_edit.text())
        self.ok_button.setEnabled(not blank)
        self.ok_button.setToolTip("Type a team or role first." if blank else "")

    def _on_part_combo_current_index_changed(self, _index: int = 0) -> None:
        self.part_note_edit.setEnabled(self.part_combo.currentData() == Part.OTHER.value)

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        if self._commit is not None and not self._commit(self.fields()):
            return
        super().accept()
