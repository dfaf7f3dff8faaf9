"""Merge workshops: the Queen Mary sequence, where each group works alone first and then
everyone meets in a joint workshop that keeps where every post-it, card and answer came from."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import TITLE_MAX_CHARS
from workshopkit.store import Store, StoreError
from workshopkit.ui.guidance_panel import plain_label, scaled_font

SEQUENCE_TEXT = ("The Queen Mary sequence: community partners and university staff each run the "
                 "exercises on their own first, then meet in a joint workshop that brings "
                 "everything together and keeps where each item came from.")
TITLE_PLACEHOLDER = "Joint: community partners + university staff"
_ID_ROLE = Qt.ItemDataRole.UserRole


class MergeDialog(QDialog):
    """Tick two or more workshops, name the joint one, and merge. Emits ``workshops_merged``."""

    workshops_merged = Signal(int)
    """The joint workshop's id."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 selected: Iterable[int] = ()) -> None:
        super().__init__(parent)
        self.store = store
        self.merged_id: int | None = None
        self.message_box: QMessageBox | None = None
        self.setWindowTitle("Merge workshops")
        self.setAccessibleName("Merge workshops")
        self.setFont(scaled_font(self.font(), 1.1))

        layout = QVBoxLayout(self)
        self.sequence_label = plain_label(SEQUENCE_TEXT, self, selectable=False,
                                          name="The Queen Mary sequence")
        layout.addWidget(self.sequence_label)
        layout.addWidget(plain_label("Workshops to merge (tick two or more):", self,
                                     selectable=False))
        self.list = QListWidget(self)
        self.list.setAccessibleName("Workshops to merge")
        self.list.setAccessibleDescription("Space ticks or unticks the current workshop")
        chosen = set(selected)
        for summary in store.list_workshops():
            details = "  ·  ".join(p for p in (summary.date, summary.partnership) if p)
            text = f"{summary.title}  ({details})" if details else summary.title
            item = QListWidgetItem(text, self.list)
            item.setData(_ID_ROLE, summary.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if summary.id in chosen
                               else Qt.CheckState.Unchecked)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemChanged.connect(self._update_button)
        layout.addWidget(self.list, 1)

        layout.addWidget(plain_label("Title of the joint workshop:", self, selectable=False))
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Title of the joint workshop")
        self.title_edit.setPlaceholderText(TITLE_PLACEHOLDER)
        self.title_edit.setMaxLength(TITLE_MAX_CHARS)
        self.title_edit.textChanged.connect(self._update_button)
        layout.addWidget(self.title_edit)
        self.hint_label = plain_label("", self, selectable=False, name="What is missing")
        layout.addWidget(self.hint_label)

        buttons = QDialogButtonBox(self)
        self.merge_button = QPushButton("&Merge and open", self)
        self.merge_button.setAccessibleName("Merge and open")
        self.merge_button.setDefault(True)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_button()
        self.resize(720, 520)

    def checked_ids(self) -> list[int]:
        return [int(self.list.item(row).data(_ID_ROLE)) for row in range(self.list.count())
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def set_checked(self, workshop_ids: Iterable[int]) -> None:
        wanted = set(workshop_ids)
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setCheckState(Qt.CheckState.Checked if int(item.data(_ID_ROLE)) in wanted
                               else Qt.CheckState.Unchecked)

    def _problem(self) -> str:
        if len(self.checked_ids()) < 2:
            return "Tick at least two workshops."
        if not self.title_edit.text().strip():
            return "Give the joint workshop a title."
        return ""

    def _update_button(self, *_args: object) -> None:
        problem = self._problem()
        self.merge_button.setEnabled(not problem)
        self.hint_label.setText(problem)

    def merge(self) -> int | None:
        """Make the joint workshop; a refusal is shown and the dialog stays open."""
        if self._problem():
            return None
        try:
            joint = self.store.merge_workshops(self.checked_ids(), self.title_edit.text())
        except StoreError as error:
            box = QMessageBox(QMessageBox.Icon.Warning, "Could not merge", str(error),
                              QMessageBox.StandardButton.Ok, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setAccessibleName("Could not merge")
            self.message_box = box
            box.open()
            return None
        self.merged_id = joint.id
        self.accept()
        self.workshops_merged.emit(joint.id)
        return joint.id


__all__ = ("SEQUENCE_TEXT", "MergeDialog")
