"""The dialog that adds or edits one post-it: plain text, a column, a colour."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workshopkit.model import DEFAULT_HEADINGS, POSTIT_MAX_CHARS, Colour, Column
from workshopkit.store import ValidationError, clean_text
from workshopkit.ui import theme
from workshopkit.ui.text_dialog import cursor_to_end, is_ctrl_enter, problem_label


@dataclass(frozen=True, slots=True)
class PostItValues:
    text: str
    column: Column
    colour: Colour


def _mnemonic_safe(text: str) -> str:
    """Buttons treat '&' as a shortcut marker; user text must show it as typed."""
    return text.replace("&", "&&")


def check_postit_text(text: str) -> tuple[int, str]:
    """(characters the store will keep, why it cannot be saved or "")."""
    try:
        kept = clean_text(text, what="A post-it", max_chars=10**9, required=False)
    except ValidationError as error:  # pragma: no cover - only length/emptiness can fail here
        return len(text), str(error)
    if not kept:
        return 0, "Write something on the post-it first."
    if len(kept) > POSTIT_MAX_CHARS:
        over = len(kept) - POSTIT_MAX_CHARS
        return len(kept), (
            f"Too long by {over} character{'s' if over != 1 else ''}: a post-it holds up to "
            f"{POSTIT_MAX_CHARS}. Shorten it to save."
        )
    return len(kept), ""


class PostItDialog(QDialog):
    """Add or edit a post-it. Ctrl+Enter saves; OK is disabled (with a reason) for bad text.

    ``commit`` (optional) is called with the values on OK; if it returns False the dialog stays
    open, so nothing typed is lost when the store refuses (disk full, say).
    """

    def __init__(
        self,
        headings: Mapping[Column, str] | None = None,
        *,
        column: Column = Column.UNIVERSITIES,
        text: str = "",
        colour: Colour = Colour.YELLOW,
        editing: bool = False,
        commit: Callable[[PostItValues], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._commit = commit
        headings = dict(headings or DEFAULT_HEADINGS)
        self.setWindowTitle("Edit post-it" if editing else "Add post-it")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)

        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlainText(text)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAccessibleName("Post-it text")
        self.text_edit.setAccessibleDescription(
            f"Plain text, up to {POSTIT_MAX_CHARS} characters. Ctrl+Enter saves."
        )
        self.text_edit.setPlaceholderText("One expectation per post-it")
        font = self.text_edit.font()
        font.setPixelSize(max(font.pixelSize(), 20))
        self.text_edit.setFont(font)
        self.text_edit.setMinimumHeight(140)
        self.text_edit.installEventFilter(self)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName("Character count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.problem_label = problem_label(self, "Why the post-it cannot be saved")

        self.column_box = QGroupBox("Column", self)
        self.column_box.setAccessibleName("Column")
        column_layout = QVBoxLayout(self.column_box)
        self.column_buttons = QButtonGroup(self)
        self._radios: dict[Column, QRadioButton] = {}
        for number, col in enumerate(Column):
            heading = headings.get(col) or col.default_heading
            radio = QRadioButton(_mnemonic_safe(heading), self.column_box)
            radio.setAccessibleName(f"Column: {heading}")
            radio.setChecked(col == column)
            self.column_buttons.addButton(radio, number)
            column_layout.addWidget(radio)
            self._radios[col] = radio

        self.colour_combo = QComboBox(self)
        self.colour_combo.setAccessibleName("Colour")
        for item in Colour:
            swatch = QPixmap(24, 24)
            swatch.fill(QColor(theme.postit_fill(item)))
            self.colour_combo.addItem(QIcon(swatch), item.label, item.value)
        self.colour_combo.setCurrentIndex(list(Colour).index(Colour(colour)))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if editing else "Add")
        self.ok_button.setAccessibleName("Save post-it" if editing else "Add post-it")
        self.ok_button.setToolTip("Ctrl+Enter")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        text_label = QLabel("&Text (Ctrl+Enter saves)", self)
        text_label.setBuddy(self.text_edit)
        colour_label = QLabel("C&olour", self)
        colour_label.setBuddy(self.colour_combo)
        form = QFormLayout()
        form.addRow(colour_label, self.colour_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.count_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.column_box)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self._on_text_edit_text_changed()
        self.text_edit.setFocus()
        cursor_to_end(self.text_edit)

    # ----------------------------------------------------------------- values

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def column(self) -> Column:
        for col, radio in self._radios.items():
            if radio.isChecked():
                return col
        return Column.UNIVERSITIES

    def colour(self) -> Colour:
        return Colour(self.colour_combo.currentData())

    def values(self) -> PostItValues:
        return PostItValues(self.text(), self.column(), self.colour())

    def problem(self) -> str:
        return check_postit_text(self.text())[1]

    # ----------------------------------------------------------------- behaviour

    def _on_text_edit_text_changed(self) -> None:
        count, problem = check_postit_text(self.text())
        self.count_label.setText(f"{count} / {POSTIT_MAX_CHARS}")
        self.count_label.setAccessibleDescription(
            f"{count} of {POSTIT_MAX_CHARS} characters used"
        )
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
        self.ok_button.setToolTip(problem or "Ctrl+Enter")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text_edit and is_ctrl_enter(event):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if self.problem():
            self.problem_label.setVisible(True)
            return
        if self._commit is not None and not self._commit(self.values()):
            return
        super().accept()
