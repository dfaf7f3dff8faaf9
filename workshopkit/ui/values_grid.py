"""Steps 2 and 3 of the values exercise: a grid of budget, time and priorities.

One row per organisation, followed by one row per person of that organisation (people without
one come last); one column per :class:`~workshopkit.model.Practice` question. A cell is edited in
place (Enter, F2, double-click or simply typing; Enter keeps the text, Shift+Enter starts a new
line, Escape cancels) and every edit goes through ``commit_answer`` as one undo step. The model
follows store changes row by row, so a phone's row appears on its own and the current cell and
an open editor survive it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.values import INDIVIDUAL_QUESTIONS, ORGANISATION_QUESTIONS
from workshopkit.model import (
    ANSWER_MAX_CHARS,
    PERSON_NAME_MAX_CHARS,
    Organisation,
    Participant,
    Practice,
    Source,
    ValuesExercise,
)
from workshopkit.ui.guidance_panel import plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex

QUESTIONS: tuple[Practice, ...] = tuple(Practice)
"""The grid's columns, in order."""
PHONE_MARKER = "(from a phone)"
NO_ORGANISATION = "no organisation"
INDENT = "\u2003\u2003"
"""Two em spaces before a person's name, under their organisation's row."""
ORGANISATION_FILL = "#DDE4EF"
"""Shading of an organisation's row (dark text on it keeps a contrast above 7:1)."""
TEXT_COLOUR = "#111111"

RowKey = tuple[str, int]
"""("organisation", id) or ("person", id)."""
CommitAnswer = Callable[["GridRow", Practice, str, str], bool]
"""(row, question, old text, new text) -> whether the store took it."""


@dataclass(frozen=True)
class GridRow:
    """One row of the grid: an organisation, or a person (with their organisation's name)."""

    key: RowKey
    name: str
    organisation_id: int | None
    source: Source = Source.FACILITATOR
    organisation_name: str = ""

    @property
    def is_organisation(self) -> bool:
        return self.key[0] == "organisation"

    @property
    def participant_id(self) -> int | None:
        return self.key[1] if self.key[0] == "person" else None

    @property
    def subject(self) -> dict[str, int | None]:
        """Keyword arguments that name this row's cells to the store."""
        if self.is_organisation:
            return {"organisation_id": self.key[1], "participant_id": None}
        return {"organisation_id": None, "participant_id": self.key[1]}

    @property
    def label(self) -> str:
        """The row's heading: an organisation's name, or an indented person's name."""
        if self.is_organisation:
            return self.name
        words = [self.name]
        if self.organisation_id is None:
            words.append(f"— {NO_ORGANISATION}")
        if self.source is Source.PHONE:
            words.append(PHONE_MARKER)
        return INDENT + " ".join(words)

    @property
    def description(self) -> str:
        """The row for a screen reader or a tooltip, e.g. "Sam Patel, of Tower Hamlets CVS"."""
        if self.is_organisation:
            return f"{self.name} (organisation)"
        where = f"of {self.organisation_name}" if self.organisation_name else NO_ORGANISATION
        phone = f", {PHONE_MARKER}" if self.source is Source.PHONE else ""
        return f"{self.name}, {where}{phone}"


def grid_rows(organisations: Sequence[Organisation], participants: Sequence[Participant]
              ) -> list[GridRow]:
    """Each organisation followed by its people; then the people of no organisation."""
    names = {o.id: o.name for o in organisations}
    rows: list[GridRow] = []
    for org in organisations:
        rows.append(GridRow(("organisation", org.id), org.name, org.id))
        rows.extend(GridRow(("person", p.id), p.name, p.organisation_id, p.source, org.name)
                    for p in participants if p.organisation_id == org.id)
    rows.extend(GridRow(("person", p.id), p.name, None, p.source)
                for p in participants if p.organisation_id not in names)
    return rows


def question_tip(question: Practice) -> str:
    return (f"Organisations: {ORGANISATION_QUESTIONS[question]}\n"
            f"People: {INDIVIDUAL_QUESTIONS[question]}")


# ----------------------------------------------------------------------------- the model


class ValuesGridModel(QAbstractTableModel):
    """Rows of :func:`grid_rows`, columns :data:`QUESTIONS`, cells the answers' text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[GridRow] = []
        self._cells: dict[tuple[RowKey, Practice], str] = {}
        self.commit_answer: CommitAnswer | None = None
        self.cell_font = QFont()
        self.header_font = QFont()

    # -- loading

    def set_exercise(self, exercise: ValuesExercise | None) -> None:
        """Show this exercise, changing only the rows and cells that differ (so the current
        cell, the selection and an open editor stay where they are)."""
        if exercise is None:
            new_rows: list[GridRow] = []
            cells: dict[tuple[RowKey, Practice], str] = {}
        else:
            new_rows = grid_rows(exercise.organisations, exercise.participants)
            cells = {}
            for answer in exercise.answers:
                key: RowKey = (("organisation", answer.organisation_id)
                               if answer.organisation_id is not None
                               else ("person", answer.participant_id or 0))
                cells[(key, answer.question)] = answer.text
        self._sync_rows(new_rows)
        old_rows = {row.key: row for row in self._rows}
        old_cells = self._cells
        self._cells = cells
        changed_labels = []
        for number, row in enumerate(new_rows):
            if old_rows.get(row.key) != row:
                changed_labels.append(number)
            self._rows[number] = row
            columns = [c for c, q in enumerate(QUESTIONS)
                       if old_cells.get((row.key, q), "") != cells.get((row.key, q), "")]
            if columns:
                self.dataChanged.emit(self.index(number, min(columns)),
                                      self.index(number, max(columns)))
        for number in changed_labels:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, number, number)
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(QUESTIONS) - 1))

    def _sync_rows(self, new_rows: list[GridRow]) -> None:
        """Remove, reorder, then insert rows until the keys match ``new_rows``'s."""
        wanted = [row.key for row in new_rows]
        wanted_set = set(wanted)
        for number in range(len(self._rows) - 1, -1, -1):
            if self._rows[number].key not in wanted_set:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number]
                self.endRemoveRows()
        present = {row.key for row in self._rows}
        order = [key for key in wanted if key in present]
        if [row.key for row in self._rows] != order:
            self.layoutAboutToBeChanged.emit()
            by_key = {row.key: row for row in self._rows}
            new_number = {key: n for n, key in enumerate(order)}
            old_keys = [row.key for row in self._rows]
            before = self.persistentIndexList()
            after = [self.index(new_number[old_keys[i.row()]], i.column()) for i in before]
            self._rows = [by_key[key] for key in order]
            self.changePersistentIndexList(before, after)
            self.layoutChanged.emit()
        for number, row in enumerate(new_rows):
            if number >= len(self._rows) or self._rows[number].key != row.key:
                self.beginInsertRows(QModelIndex(), number, number)
                self._rows.insert(number, row)
                self.endInsertRows()

    def set_fonts(self, cell_font: QFont, header_font: QFont) -> None:
        self.cell_font = QFont(cell_font)
        self.header_font = QFont(header_font)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(QUESTIONS) - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(QUESTIONS) - 1)

    # -- lookups

    def rows(self) -> list[GridRow]:
        return list(self._rows)

    def row_at(self, number: int) -> GridRow | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def row_of(self, key: RowKey) -> int:
        for number, row in enumerate(self._rows):
            if row.key == key:
                return number
        return -1

    def index_of(self, key: RowKey, question: Practice) -> QModelIndex:
        number = self.row_of(key)
        return self.index(number, QUESTIONS.index(question)) if number >= 0 else QModelIndex()

    def text(self, key: RowKey, question: Practice) -> str:
        return self._cells.get((key, question), "")

    # -- Qt model

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(QUESTIONS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(QUESTIONS):
            return None
        row = self._rows[index.row()]
        question = QUESTIONS[index.column()]
        text = self._cells.get((row.key, question), "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            said = f"{row.description}. {question.label}: {text or '(not filled in yet)'}"
            return plain_tooltip(said) if role == Qt.ItemDataRole.ToolTipRole else said
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(self.cell_font)
            font.setBold(row.is_organisation)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(ORGANISATION_FILL)) if row.is_organisation else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(TEXT_COLOUR))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(QUESTIONS):
                return None
            question = QUESTIONS[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return question.label
            if role == Qt.ItemDataRole.ToolTipRole:
                return question_tip(question)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont(self.header_font)
                font.setBold(True)
                return font
            return None
        if not 0 <= section < len(self._rows):
            return None
        row = self._rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.description)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(self.header_font)
            font.setBold(row.is_organisation)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def setData(self, index: AnyIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand the edit to ``commit_answer`` (an undo command); the store's change then
        updates the cell. Nothing is written here."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(QUESTIONS):
            return False
        question = QUESTIONS[index.column()]
        old = self._cells.get((row.key, question), "")
        new = "" if value is None else str(value)
        if new.strip() == old.strip():
            return True
        if self.commit_answer is None:
            return False
        return self.commit_answer(row, question, old, new)


# ----------------------------------------------------------------------------- editing


class AnswerEditor(QPlainTextEdit):
    """A cell's editor: several lines allowed, never more than ``ANSWER_MAX_CHARS``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setAccessibleDescription(
            "Enter keeps the answer, Shift+Enter starts a new line, Escape cancels.")
        self.textChanged.connect(self._on_text_changed)

    def _on_text_changed(self) -> None:
        text = self.toPlainText()
        if len(text) <= ANSWER_MAX_CHARS:
            return
        cursor = self.textCursor()
        position = min(cursor.position(), ANSWER_MAX_CHARS)
        self.blockSignals(True)
        try:
            self.setPlainText(text[:ANSWER_MAX_CHARS])
        finally:
            self.blockSignals(False)
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)


class AnswerDelegate(QStyledItemDelegate):
    """Opens :class:`AnswerEditor` over a cell (taller than the cell when it is short)."""

    MIN_LINES = 3

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = AnswerEditor(parent)
        font = index.data(Qt.ItemDataRole.FontRole)
        editor.setFont(font if isinstance(font, QFont) else option.font)
        model = index.model()
        row = model.row_at(index.row()) if isinstance(model, ValuesGridModel) else None
        column = model.headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(f"{row.description} — {column}" if row is not None
                                 else str(column))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
                      ) -> None:
        if isinstance(editor, AnswerEditor):
            text = str(index.data(Qt.ItemDataRole.EditRole) or "")
            if editor.toPlainText() != text:
                editor.setPlainText(text)
            editor.selectAll()  # typing replaces the answer, as in a spreadsheet
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: object,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, AnswerEditor):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]
            return
        super().setModelData(editor, model, index)  # type: ignore[arg-type]

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        rect = option.rect
        lines = editor.fontMetrics().lineSpacing() * self.MIN_LINES + 12
        if rect.height() < lines:
            rect.setHeight(lines)
        parent = editor.parentWidget()
        if parent is not None and rect.bottom() > parent.height():
            rect.moveBottom(max(rect.height() - 1, parent.height() - 1))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, AnswerEditor) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers == Qt.KeyboardModifier.NoModifier:
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                return True
            if modifiers in (Qt.KeyboardModifier.ShiftModifier,
                             Qt.KeyboardModifier.ControlModifier):
                cursor = watched.textCursor()
                cursor.insertText("\n")
                watched.setTextCursor(cursor)
                return True
        return super().eventFilter(watched, event)


# ----------------------------------------------------------------------------- the view


class ValuesGrid(QTableView):
    """The grid: word-wrapped cells, rows as tall as their answers, Enter or F2 to edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_model = ValuesGridModel(self)
        self.setModel(self.grid_model)
        self.setItemDelegate(AnswerDelegate(self))
        self.setAccessibleName("Budget, time and priorities")
        self.setAccessibleDescription(
            "One row for each organisation, then one for each of its people; one column for "
            "each question. Type, or press Enter or F2, to fill in a cell.")
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setCornerButtonEnabled(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                   | Qt.TextFlag.TextWordWrap)
        header.setHighlightSections(False)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        rows.setHighlightSections(True)
        rows.setMaximumWidth(520)
        self.grid_model.modelReset.connect(self._on_grid_model_reset)
        self.grid_model.headerDataChanged.connect(self._on_grid_model_header_data_changed)
        header.sectionResized.connect(self._on_header_section_resized)

    def edit_current(self) -> bool:
        """Open the editor on the current cell (the first cell if there is none)."""
        index = self.currentIndex()
        if not index.isValid():
            index = self.model().index(0, 0)
            if not index.isValid():
                return False
            self.setCurrentIndex(index)
        if self.state() == QAbstractItemView.State.EditingState:
            return False
        return self.edit(index, QAbstractItemView.EditTrigger.AllEditTriggers, None)

    def is_editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not self.is_editing()
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self.edit_current()):
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        if not self.currentIndex().isValid() and self.model().rowCount() > 0:
            self.setCurrentIndex(self.model().index(0, 0))

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self.fit_header()

    def _on_grid_model_reset(self) -> None:
        self.resizeRowsToContents()

    def _on_grid_model_header_data_changed(self, orientation: Qt.Orientation, _first: int,
                                           _last: int) -> None:
        if orientation == Qt.Orientation.Horizontal:
            self.fit_header()

    def _on_header_section_resized(self, _section: int, _old: int, _new: int) -> None:
        self.fit_header()

    def fit_header(self) -> None:
        """Make the column headings tall enough for their wrapped questions."""
        header = self.horizontalHeader()
        tallest = 0
        for column in range(self.grid_model.columnCount()):
            font = self.grid_model.headerData(column, Qt.Orientation.Horizontal,
                                              Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else header.font())
            text = str(self.grid_model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(20, header.sectionSize(column) - 12)
            rect = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), text)
            tallest = max(tallest, rect.height())
        height = tallest + 10
        if header.minimumHeight() != height:
            header.setMinimumHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(900, 400)


class AddPersonDialog(QDialog):
    """A person's name and organisation, for a new row of the grid."""

    def __init__(self, organisations: Sequence[Organisation],
                 commit: Callable[[str, int | None], bool], *,
                 organisation_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.setWindowTitle("Add a person")
        self.setAccessibleName("Add a person")
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(PERSON_NAME_MAX_CHARS)
        self.name_edit.setAccessibleName("Name")
        self.organisation_box = QComboBox(self)
        self.organisation_box.setAccessibleName("Organisation")
        for org in organisations:
            self.organisation_box.addItem(org.name, org.id)
        self.organisation_box.addItem("No organisation", None)
        if organisation_id is not None:
            found = self.organisation_box.findData(organisation_id)
            if found >= 0:
                self.organisation_box.setCurrentIndex(found)
        form = QFormLayout()
        name_label = QLabel("&Name:", self)
        name_label.setTextFormat(Qt.TextFormat.PlainText)
        name_label.setBuddy(self.name_edit)
        org_label = QLabel("&Organisation:", self)
        org_label.setTextFormat(Qt.TextFormat.PlainText)
        org_label.setBuddy(self.organisation_box)
        form.addRow(name_label, self.name_edit)
        form.addRow(org_label, self.organisation_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel("They get their own row of the grid, under their organisation.", self)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus()

    def organisation_id(self) -> int | None:
        data = self.organisation_box.currentData()
        return int(data) if data is not None else None

    def _on_buttons_accepted(self) -> None:
        if self._commit(self.name_edit.text(), self.organisation_id()):
            self.accept()
        else:
            self.name_edit.setFocus()


__all__ = [
    "NO_ORGANISATION", "PHONE_MARKER", "QUESTIONS", "AddPersonDialog", "AnswerDelegate",
    "AnswerEditor", "GridRow", "ValuesGrid", "ValuesGridModel", "grid_rows",
    "question_tip",
]
