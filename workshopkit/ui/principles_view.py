"""Step 4, the draft principles: compile them from the room's notes, refine them, print them.

The list shows each principle numbered in large type: its lead in bold, its text, its weight,
its status in words and, once phones have reviewed it, how many agree or suggest a change.
Beside it, the notes behind the current principle (with where each came from and why it is
there), the notes no principle uses yet, and the dates for revisiting the principles.

Keys in the list: Up/Down move, Ctrl+Up/Ctrl+Down reorder, Enter or F2 edits, A accepts,
R rejects, D puts back to draft, M merges the chosen principles, S splits one, Delete removes,
Ins adds one by hand and T offers a toolkit theme nobody raised. Ctrl+Shift+C compiles the draft
again (Undo brings the previous one back); Ctrl+Shift+P turns on projector type. Every edit is
an undo command; the view follows the store, so a phone's review appears without a click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPen,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.principles import (
    DEFAULT_REVIEW_DATES,
    SECOND_THEME_FACTOR,
    Draft,
    Evidence,
    compile_draft,
    draft_rows,
    evidence_index,
    inputs_from_store,
)
from workshopkit.exercises.themes import Theme, load_themes
from workshopkit.model import (
    PRINCIPLE_BODY_MAX_CHARS,
    PRINCIPLE_LEAD_MAX_CHARS,
    Change,
    ChangeKind,
    EvidenceKind,
    EvidenceRef,
    Principle,
    PrincipleStatus,
    ReviewTally,
    Workshop,
)
from workshopkit.store import NotFoundError, Store, StoreError, ValidationError, clean_text
from workshopkit.ui import theme
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.guidance_panel import plain_label, plain_tooltip
from workshopkit.ui.principles_commands import (
    AddPrincipleCommand,
    CompileDraftCommand,
    DeletePrinciplesCommand,
    EditPrincipleCommand,
    MergePrinciplesCommand,
    ReorderCommand,
    SetReviewDatesCommand,
    SetStatusCommand,
    SetThemeCommand,
    SplitPrincipleCommand,
    moved_order,
)
from workshopkit.ui.text_dialog import is_ctrl_enter, problem_label
from workshopkit.ui.view_base import ExerciseView

LEAD_PX = 22
BODY_PX = 18
META_PX = 16
PANEL_PX = 16
PROJECTOR_LEAD_PX = 34
PROJECTOR_BODY_PX = 28
PROJECTOR_META_PX = 24
"""The smallest type in projector mode: at least 24 px, legible from the back of a room."""
PROJECTOR_PANEL_PX = 24

CARD_FILL = "#FFFFFF"
SELECTED_FILL = "#DCE6F8"
REJECTED_FILL = "#ECEDEF"
PREVIEW_FILL = "#FFFDF2"
STATUS_COLOURS = {PrincipleStatus.DRAFT: "#1C4A86", PrincipleStatus.ACCEPTED: "#175632",
                  PrincipleStatus.REJECTED: "#6B7280"}
STRIPE = 10
PAD = 10

NO_WORKSHOP = "Open a workshop to draft its principles."
PREVIEW_NOTE = (
    "This is a preview compiled from the room's notes; nothing is saved yet. Press “Compile "
    "the draft” (Ctrl+Shift+C) to start refining it together."
)
EMPTY_PREVIEW_NOTE = (
    "No theme has enough support for a principle yet: add post-its on the board (step 3), "
    "give notes a theme in “Not yet in a principle”, or add a principle by hand (Ins)."
)
EDITED_NOTE = (
    "Compiling again replaces this draft, your changes included; Undo (Ctrl+Z) brings it back."
)
UNPLACED_INTRO = (
    "Notes no principle uses yet: some matched no theme, others have too little support. "
    "Give one a theme (T), then compile the draft again."
)
SUGGESTED_DATES_NOTE = "Suggested milestones: change any of them to keep the schedule."
NO_THEME = "No theme"
AUTOMATIC_THEME = "Let the app decide again"

RowRole = int(Qt.ItemDataRole.UserRole) + 1
"""A principle row's :class:`PrincipleRow`."""
RefRole = int(Qt.ItemDataRole.UserRole) + 2
"""An evidence item's (kind, id)."""
NoteRole = int(Qt.ItemDataRole.UserRole) + 3
"""An evidence item's :class:`NoteLine`."""


def tally_words(tally: ReviewTally | None) -> str:
    agree, change = (tally.agree, tally.change) if tally is not None else (0, 0)
    return f"{agree} agree · {change} suggest a change"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _mnemonic_safe(text: str) -> str:
    """Menus treat '&' as a shortcut marker; user and toolkit text must show it as written."""
    return text.replace("&", "&&")


@dataclass(frozen=True)
class PrincipleRow:
    """One line of the list: a stored principle, or one of the preview's."""

    key: int | str  # the principle's id, or (preview) its theme id
    principle_id: int | None
    theme_id: str
    number: int | None  # None for a rejected principle (it is not printed)
    lead: str
    body: str
    status: PrincipleStatus
    weight: float
    evidence: tuple[EvidenceRef, ...]
    tally: ReviewTally | None = None
    show_tally: bool = False
    preview: bool = False

    @property
    def title(self) -> str:
        return f"{self.number}. {self.lead}" if self.number is not None else self.lead

    def meta_lines(self) -> list[str]:
        state = "Preview, not saved yet" if self.preview else self.status.label
        lines = [f"{state} · weight {self.weight:g} · {_plural(len(self.evidence), 'note')}"]
        if self.show_tally:
            lines.append(tally_words(self.tally))
            comments = self.tally.comments if self.tally is not None else ()
            lines.extend(f"“{comment}”" for comment in comments[:3])
            if len(comments) > 3:
                lines.append(f"and {_plural(len(comments) - 3, 'more comment')}")
        return lines

    def accessible_text(self) -> str:
        parts = [self.title, self.body, *self.meta_lines()]
        return ". ".join(part for part in parts if part)


@dataclass(frozen=True)
class NoteLine:
    """One note as the side panes show it."""

    text: str
    where: str
    votes: int | None  # None for values and answers, which are not voted on
    why: str

    def card(self) -> str:
        said = f"“{self.text}”" if self.where else self.text
        place = self.where
        if self.votes is not None:
            place = f"{place} · {_plural(self.votes, 'vote')}" if place else _plural(
                self.votes, "vote")
        return "\n".join(part for part in (said, place, self.why) if part)


# ----------------------------------------------------------------------------- the list


class PrinciplesModel(QAbstractListModel):
    """The principles in order, one row each (rebuilt from the store on every refresh)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PrincipleRow] = []

    def set_rows(self, rows: Sequence[PrincipleRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()  # noqa: B008
                 ) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row.accessible_text()
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip("\n".join(p for p in (row.lead, row.body) if p))
        if role == RowRole:
            return row
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def row_of(self, key: int | str) -> int:
        for number, row in enumerate(self.rows):
            if row.key == key:
                return number
        return -1


class PrincipleDelegate(QStyledItemDelegate):
    """Paints a principle as a card: a status stripe, the numbered lead in bold, the text,
    then weight, status and the room's review in smaller type. Text is drawn as plain text."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.lead_font = theme.board_font(LEAD_PX, bold=True)
        self.body_font = theme.board_font(BODY_PX)
        self.meta_font = theme.board_font(META_PX)

    def set_fonts(self, lead: QFont, body: QFont, meta: QFont) -> None:
        self.lead_font, self.body_font, self.meta_font = lead, body, meta

    def _text_width(self) -> int:
        return max(120, self._view.viewport().width() - 2 * self._view.spacing() - STRIPE
                   - 2 * PAD - 8)

    def _parts(self, row: PrincipleRow) -> list[tuple[QFont, str]]:
        lead = QFont(self.lead_font)
        lead.setStrikeOut(row.status is PrincipleStatus.REJECTED)
        parts = [(lead, row.title)]
        if row.body:
            parts.append((self.body_font, row.body))
        parts.extend((self.meta_font, line) for line in row.meta_lines())
        return parts

    @staticmethod
    def _height(font: QFont, text: str, width: int) -> int:
        flags = int(Qt.TextFlag.TextWordWrap)
        return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), flags, text).height()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        row = index.data(RowRole)
        if not isinstance(row, PrincipleRow):
            return super().sizeHint(option, index)
        width = self._text_width()
        height = sum(self._height(font, text, width) + 4 for font, text in self._parts(row))
        return QSize(width + STRIPE + 2 * PAD, height + 2 * PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(RowRole)
        if not isinstance(row, PrincipleRow):
            super().paint(painter, option, index)
            return
        state = option.state  # type: ignore[attr-defined]
        rect: QRect = option.rect.adjusted(2, 2, -2, -2)  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        fill = (SELECTED_FILL if selected else REJECTED_FILL
                if row.status is PrincipleStatus.REJECTED else PREVIEW_FILL if row.preview
                else CARD_FILL)
        painter.fillRect(rect, QColor(fill))
        painter.fillRect(QRect(rect.left(), rect.top(), STRIPE, rect.height()),
                         QColor(STATUS_COLOURS[row.status]))
        if selected:
            painter.setPen(QPen(QColor(theme.SELECTION_COLOUR), 3))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        else:
            painter.setPen(QPen(QColor(theme.COLUMN_BACKGROUND), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if state & QStyle.StateFlag.State_HasFocus:
            pen = QPen(QColor(theme.FOCUS_COLOUR), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(STRIPE + 3, 4, -5, -5))
        width = self._text_width()
        y = rect.top() + PAD
        x = rect.left() + STRIPE + PAD
        for number, (font, text) in enumerate(self._parts(row)):
            height = self._height(font, text, width)
            muted = number > (1 if row.body else 0)
            painter.setFont(font)
            painter.setPen(QColor(theme.MUTED_TEXT if muted else theme.TEXT_COLOUR))
            painter.drawText(QRect(x, y, width, height),
                             int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
                                 | Qt.AlignmentFlag.AlignTop), text)
            y += height + 4
        painter.restore()


class PrinciplesList(QListView):
    """The principles, one card each, several of which may be chosen (Shift+Up/Down)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.principles_model = PrinciplesModel(self)
        self.setModel(self.principles_model)
        self.delegate = PrincipleDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(3)
        self.setAccessibleName("Draft principles")
        self.setStyleSheet(f"QListView {{ background: {theme.BOARD_BACKGROUND}; }}")

    def rows(self) -> list[PrincipleRow]:
        return list(self.principles_model.rows)

    def current_row(self) -> PrincipleRow | None:
        index = self.currentIndex()
        row = index.data(RowRole) if index.isValid() else None
        return row if isinstance(row, PrincipleRow) else None

    def selected_rows(self) -> list[PrincipleRow]:
        """The chosen principles in list order (the current one if none is chosen)."""
        numbers = sorted(index.row() for index in self.selectionModel().selectedRows())
        rows = [self.principles_model.rows[n] for n in numbers]
        if not rows and self.current_row() is not None:
            rows = [self.current_row()]  # type: ignore[list-item]
        return rows

    def select_keys(self, keys: Sequence[int | str], current: int | str | None) -> None:
        model = self.principles_model
        selection = QItemSelection()
        for key in keys:
            number = model.row_of(key)
            if number >= 0:
                index = model.index(number)
                selection.select(index, index)
        chooser = self.selectionModel()
        chooser.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        number = model.row_of(current) if current is not None else -1
        if number >= 0:
            chooser.setCurrentIndex(model.index(number),
                                    QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(model.index(number))

    def relayout(self) -> None:
        """Measure the cards again (after a change of type size)."""
        self.doItemsLayout()
        self.viewport().update()


# ----------------------------------------------------------------------------- dialogs


def lead_problem(lead: str) -> str:
    try:
        clean_text(lead, what="The lead", max_chars=PRINCIPLE_LEAD_MAX_CHARS, multiline=False)
    except ValidationError as error:
        return str(error)
    return ""


def body_problem(body: str) -> str:
    try:
        clean_text(body, what="The text", max_chars=PRINCIPLE_BODY_MAX_CHARS, required=False)
    except ValidationError as error:
        return str(error)
    return ""


class PrincipleDialog(QDialog):
    """Write or reword a principle: a short lead and a sentence or two. Enter in the lead or
    Ctrl+Enter saves; Save is disabled, with the reason shown, for text the store would refuse.

    ``commit(lead, body)`` returns False when the store refused, and the dialog stays open.
    """

    def __init__(self, title: str, lead: str, body: str, commit: Callable[[str, str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(620)
        font = theme.board_font(20)

        self.lead_edit = QLineEdit(lead, self)
        self.lead_edit.setMaxLength(PRINCIPLE_LEAD_MAX_CHARS + 40)
        self.lead_edit.setFont(theme.board_font(20, bold=True))
        self.lead_edit.setAccessibleName("Lead")
        self.lead_edit.setAccessibleDescription(
            f"A short imperative sentence, up to {PRINCIPLE_LEAD_MAX_CHARS} characters.")
        self.lead_edit.setPlaceholderText("A short imperative: “Agree ownership of data early”")
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setPlainText(body)
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setFont(font)
        self.body_edit.setMinimumHeight(160)
        self.body_edit.setAccessibleName("Text")
        self.body_edit.setAccessibleDescription(
            f"One or two sentences for this partnership, up to {PRINCIPLE_BODY_MAX_CHARS} "
            "characters. Ctrl+Enter saves.")
        self.body_edit.installEventFilter(self)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName("Character count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.problem_label = problem_label(self, "Why the principle cannot be saved")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save")
        self.ok_button.setAccessibleName("Save principle")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        lead_label = QLabel("&Lead (a short imperative)", self)
        lead_label.setBuddy(self.lead_edit)
        body_label = QLabel("&Text (Ctrl+Enter saves)", self)
        body_label.setBuddy(self.body_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(lead_label)
        layout.addWidget(self.lead_edit)
        layout.addWidget(body_label)
        layout.addWidget(self.body_edit)
        layout.addWidget(self.count_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.lead_edit.textChanged.connect(self._on_text_changed)
        self.body_edit.textChanged.connect(self._on_text_changed)
        self._on_text_changed()
        self.lead_edit.setFocus()
        self.lead_edit.selectAll()

    def lead(self) -> str:
        return self.lead_edit.text()

    def body(self) -> str:
        return self.body_edit.toPlainText()

    def problem(self) -> str:
        return lead_problem(self.lead()) or body_problem(self.body())

    def _on_text_changed(self) -> None:
        problem = self.problem()
        self.count_label.setText(f"Lead {len(self.lead().strip())} / {PRINCIPLE_LEAD_MAX_CHARS}"
                                 f" · text {len(self.body().strip())} / "
                                 f"{PRINCIPLE_BODY_MAX_CHARS}")
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
        self.ok_button.setToolTip(problem or "Enter or Ctrl+Enter")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.body_edit and is_ctrl_enter(event):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if self.problem():
            self.problem_label.setVisible(True)
            return
        if not self._commit(self.lead(), self.body()):
            return
        super().accept()


class SplitDialog(QDialog):
    """Split a principle: tick the notes that go to a new principle (Space ticks), name it,
    Enter splits."""

    def __init__(self, principle: PrincipleRow, evidence: Sequence[tuple[EvidenceRef, str]],
                 commit: Callable[[list[EvidenceRef], str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.setWindowTitle("Split principle")
        self.setAccessibleName("Split principle")
        self.setMinimumWidth(620)
        intro = plain_label(f"Tick the notes to move from “{principle.lead}” to a new principle "
                            "placed right after it.", self, selectable=False,
                            name="How to split")
        self.notes = QListWidget(self)
        self.notes.setAccessibleName("Notes behind the principle")
        self.notes.setFont(theme.board_font(18))
        self.notes.setWordWrap(True)
        for ref, text in evidence:
            item = QListWidgetItem(text)
            item.setData(RefRole, ref)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(plain_tooltip(text))
            self.notes.addItem(item)
        if self.notes.count():
            self.notes.setCurrentRow(0)
        self.lead_edit = QLineEdit(principle.lead, self)
        self.lead_edit.setMaxLength(PRINCIPLE_LEAD_MAX_CHARS + 40)
        self.lead_edit.setAccessibleName("Lead of the new principle")
        self.problem_label = problem_label(self, "Why the principle cannot be split")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Split")
        self.ok_button.setAccessibleName("Split principle")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lead_label = QLabel("&Lead of the new principle", self)
        lead_label.setBuddy(self.lead_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.notes, 1)
        layout.addWidget(lead_label)
        layout.addWidget(self.lead_edit)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.notes.itemChanged.connect(self._update)
        self.lead_edit.textChanged.connect(self._update)
        self._update()
        self.notes.setFocus()

    def chosen(self) -> list[EvidenceRef]:
        return [self.notes.item(n).data(RefRole) for n in range(self.notes.count())
                if self.notes.item(n).checkState() == Qt.CheckState.Checked]

    def problem(self) -> str:
        if not self.chosen():
            return "Tick at least one note (Space) to move to the new principle."
        return lead_problem(self.lead_edit.text())

    def _update(self, *_args: object) -> None:
        problem = self.problem()
        self.problem_label.setText(problem)
        self.ok_button.setEnabled(not problem)
        self.ok_button.setToolTip(problem or "Enter")

    def accept(self) -> None:
        if self.problem():
            return
        if not self._commit(self.chosen(), self.lead_edit.text()):
            return
        super().accept()


class ThemeDialog(QDialog):
    """Choose a note's theme: one of the toolkit's themes, or none. Enter chooses."""

    def __init__(self, note: str, themes: Sequence[Theme], current: str | None,
                 by_hand: bool, commit: Callable[[str | None], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.setWindowTitle("Change theme")
        self.setAccessibleName("Change theme")
        self.setMinimumSize(620, 520)
        intro = plain_label(f"Which theme is “{note}” about? Your choice is kept when the "
                            "draft is compiled again.", self, selectable=False,
                            name="The note")
        self.choices = QListWidget(self)
        self.choices.setAccessibleName("Themes")
        self.choices.setFont(theme.board_font(18))
        self.choices.setWordWrap(True)
        options: list[tuple[str, str | None]] = [(NO_THEME, "")]
        options += [(t.title, t.id) for t in themes]
        if by_hand:
            options.append((AUTOMATIC_THEME, None))
        for text, theme_id in options:
            item = QListWidgetItem(text)
            item.setData(RefRole, theme_id)
            self.choices.addItem(item)
            if theme_id == (current or "") and theme_id is not None:
                self.choices.setCurrentItem(item)
        if self.choices.currentRow() < 0:
            self.choices.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Choose")
        ok.setAccessibleName("Choose theme")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.choices.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.choices, 1)
        layout.addWidget(buttons)
        self.choices.setFocus()

    def chosen(self) -> str | None:
        item = self.choices.currentItem()
        return item.data(RefRole) if item is not None else ""

    def accept(self) -> None:
        if not self._commit(self.chosen()):
            return
        super().accept()


# ----------------------------------------------------------------------------- side panes


class WrappingDelegate(QStyledItemDelegate):
    """Measures a note's card wrapped to the width of its pane, so long lines wrap rather than
    run off the edge."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = max(80, self._view.viewport().width() - 16)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = QFontMetrics(self._view.font())
        height = metrics.boundingRect(QRect(0, 0, width, 100_000),
                                      int(Qt.TextFlag.TextWordWrap), text).height()
        return QSize(width, height + 10)


class EvidenceTree(QTreeWidget):
    """Notes, one card each: what was said, where and with how many votes, and why it is here
    (its themes and the words that matched, or a theme chosen by hand)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setColumnCount(1)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.header().setStretchLastSection(True)
        self.setItemDelegate(WrappingDelegate(self))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()  # wrap the cards again at the new width

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.doItemsLayout()

    def set_notes(self, notes: Sequence[tuple[EvidenceRef, NoteLine]]) -> None:
        current = self.current_ref()
        self.clear()
        for ref, line in notes:
            item = QTreeWidgetItem([line.card()])
            item.setData(0, RefRole, ref)
            item.setData(0, NoteRole, line)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, line.card().replace("\n", ". "))
            item.setToolTip(0, plain_tooltip(line.card()))
            self.addTopLevelItem(item)
        for number in range(self.topLevelItemCount()):
            if self.topLevelItem(number).data(0, RefRole) == current:
                self.setCurrentItem(self.topLevelItem(number))
                break

    def current_ref(self) -> EvidenceRef | None:
        item = self.currentItem()
        if item is None:
            return None
        ref = item.data(0, RefRole)
        return (EvidenceKind(ref[0]), int(ref[1])) if ref else None

    def lines(self) -> list[NoteLine]:
        return [self.topLevelItem(n).data(0, NoteRole) for n in range(self.topLevelItemCount())]

    def texts(self) -> list[str]:
        """What each note says, in order."""
        return [line.text for line in self.lines()]

    def select_ref(self, ref: EvidenceRef) -> bool:
        for number in range(self.topLevelItemCount()):
            if self.topLevelItem(number).data(0, RefRole) == ref:
                self.setCurrentItem(self.topLevelItem(number))
                return True
        return False


class ReviewDatesEditor(QWidget):
    """When to revisit the principles: a milestone and a date (YYYY-MM-DD, or blank) per row.
    Every change is one undo step; ``commit(dates)`` returns False when the store refused."""

    def __init__(self, commit: Callable[[list[tuple[str, str]]], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self._dates: list[tuple[str, str]] = []
        self._filling = False
        self.setAccessibleName("Review dates")
        self.intro = plain_label("When will the partners revisit the principles? These dates "
                                 "are printed with them.", self, selectable=False,
                                 name="About review dates")
        self.note = plain_label(SUGGESTED_DATES_NOTE, self, selectable=False,
                                name="Suggested dates")
        self.note.setStyleSheet(f"color: {theme.MUTED_TEXT}; font-style: italic;")
        self.table = QTableWidget(0, 2, self)
        self.table.setAccessibleName("Review dates table")
        self.table.setHorizontalHeaderLabels(["Milestone", "Date (YYYY-MM-DD, or blank)"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.add_button = QPushButton("Add a review &date", self)
        self.add_button.setAccessibleName("Add a review date")
        self.add_button.setToolTip("Add a milestone for revisiting the principles (Ins)")
        self.add_button.clicked.connect(self.add_date)
        self.remove_button = QPushButton("Re&move date", self)
        self.remove_button.setAccessibleName("Remove the review date")
        self.remove_button.setToolTip("Remove the current milestone (Delete)")
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.intro)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_dates(self, dates: Sequence[tuple[str, str]], *, suggested: bool) -> None:
        """Show these dates (``suggested``: the toolkit's milestones, not saved yet)."""
        self.note.setVisible(suggested)
        wanted = [(label, date) for label, date in dates]
        if wanted == self._dates and wanted == self.dates():
            return
        self._dates = wanted
        self._filling = True
        try:
            self.table.setRowCount(len(wanted))
            for number, (label, date) in enumerate(wanted):
                for column, text in enumerate((label, date)):
                    item = self.table.item(number, column)
                    if item is None:
                        item = QTableWidgetItem(text)
                        self.table.setItem(number, column, item)
                    elif item.text() != text:
                        item.setText(text)
                    item.setToolTip(plain_tooltip(text) if text else "")
            self.table.resizeRowsToContents()
        finally:
            self._filling = False
        self.remove_button.setEnabled(bool(wanted))

    def dates(self) -> list[tuple[str, str]]:
        rows = []
        for number in range(self.table.rowCount()):
            label, date = (self.table.item(number, c) for c in (0, 1))
            rows.append((label.text() if label else "", date.text() if date else ""))
        return rows

    def _save(self, dates: list[tuple[str, str]]) -> bool:
        if self._commit(dates):
            return True
        self._revert()
        return False

    def _revert(self) -> None:
        previous, self._dates = self._dates, []
        self.set_dates(previous, suggested=self.note.isVisible())

    def _on_table_item_changed(self, _item: QTableWidgetItem) -> None:
        if self._filling:
            return
        dates = self.dates()
        if dates != self._dates:
            self._save(dates)

    def add_date(self) -> None:
        if self._save([*self.dates(), ("New review", "")]):
            row = self.table.rowCount() - 1
            item = self.table.item(row, 0)
            if item is not None:
                self.table.setCurrentItem(item)
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                self.table.editItem(item)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        dates = self.dates()
        if not 0 <= row < len(dates):
            return
        del dates[row]
        if self._save(dates) and self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), 0)


# ----------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class _Snapshot:
    """Everything the view shows, read from the store in one refresh."""

    workshop: Workshop
    principles: tuple[Principle, ...]
    draft: Draft
    tallies: dict[int, ReviewTally]
    dates: tuple[tuple[str, str], ...]


class PrinciplesView(ExerciseView, QWidget):
    """Step 4: compile the draft principles from the room's notes, refine them, print them."""

    error_shown = Signal(str)
    """Every error shown to the user (also in a warning box unless turned off)."""
    error_title = "The principles were not changed"

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, bridge, undo_stack, parent)
        self._snapshot: _Snapshot | None = None
        self._evidence: dict[EvidenceRef, Evidence] = {}
        self._dirty = False
        self._themes = load_themes()
        self._theme_titles = {t.id: t.title for t in self._themes}
        self.file_dialog: QFileDialog | None = None
        self.print_dialog: QDialog | None = None
        self._printer: Any = None
        self.setAccessibleName("Step 4: draft principles")
        self._build_ui()
        self._create_actions()
        self._apply_fonts()
        self.bridge.changed.connect(self._on_bridge_changed)
        self._refresh()

    # ----------------------------------------------------------------- building

    def _build_ui(self) -> None:
        self.compile_button = QPushButton("&Compile the draft", self)
        self.compile_button.setAccessibleName("Compile the draft")
        self.compile_button.setToolTip(
            "Compile the draft principles from the room's post-its, values and answers "
            "(Ctrl+Shift+C)")
        self.compile_button.clicked.connect(self.compile_draft)
        self.add_button = QPushButton("&Add by hand…", self)
        self.add_button.setAccessibleName("Add a principle by hand")
        self.add_button.setToolTip("Write a principle of your own (Ins)")
        self.add_button.clicked.connect(self.add_by_hand)
        self.missing_menu = QMenu("Add a &missing theme", self)
        self.missing_menu.setAccessibleName("Themes nobody raised")
        self.missing_button = QToolButton(self)
        self.missing_button.setText("Add a missing theme ▸")
        self.missing_button.setAccessibleName("Add a missing theme")
        self.missing_button.setToolTip("Offer one of the toolkit's example principles that the "
                                       "room did not raise (T)")
        self.missing_button.setMenu(self.missing_menu)
        self.missing_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button = QPushButton("Export &PDF…", self)
        self.export_button.setAccessibleName("Export principles as PDF")
        self.export_button.setToolTip("Save the principles as a PDF to share")
        self.export_button.clicked.connect(self.export_pdf_as)
        self.print_button = QPushButton("P&rint…", self)
        self.print_button.setAccessibleName("Print principles")
        self.print_button.setToolTip("Print the principles (Ctrl+P)")
        self.print_button.clicked.connect(self.print_principles)
        top = QHBoxLayout()
        top.setContentsMargins(8, 8, 8, 0)
        for button in (self.compile_button, self.add_button, self.missing_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)

        self.note_label = plain_label("", self, selectable=False, name="About the draft",
                                      height=QSizePolicy.Policy.Maximum)
        self.note_label.setContentsMargins(8, 2, 8, 2)

        self.list = PrinciplesList(self)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        self.list.doubleClicked.connect(lambda _index: self.edit_current())

        self.side_tabs = QTabWidget(self)
        self.side_tabs.setAccessibleName("Notes and review dates")
        self.evidence_page = QWidget(self)
        self.evidence_heading = plain_label("", self.evidence_page, selectable=False,
                                            name="The principle these notes are behind")
        self.evidence_tree = EvidenceTree("Notes behind this principle", self.evidence_page)
        self.evidence_theme_button = QPushButton("Change &theme…", self.evidence_page)
        self.evidence_theme_button.setAccessibleName("Change the theme of the note")
        self.evidence_theme_button.setToolTip("Choose the theme of the current note (T)")
        self.evidence_theme_button.clicked.connect(lambda: self.change_theme(self.evidence_tree))
        evidence_layout = QVBoxLayout(self.evidence_page)
        evidence_layout.setContentsMargins(8, 8, 8, 8)
        evidence_layout.addWidget(self.evidence_heading)
        evidence_layout.addWidget(self.evidence_tree, 1)
        evidence_layout.addWidget(self.evidence_theme_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.unplaced_page = QWidget(self)
        self.unplaced_intro = plain_label(UNPLACED_INTRO, self.unplaced_page, selectable=False,
                                          name="About notes not yet in a principle")
        self.unplaced_tree = EvidenceTree("Notes not yet in a principle", self.unplaced_page)
        self.unplaced_theme_button = QPushButton("Change &theme…", self.unplaced_page)
        self.unplaced_theme_button.setAccessibleName("Change the theme of the unplaced note")
        self.unplaced_theme_button.setToolTip("Choose the theme of the current note (T)")
        self.unplaced_theme_button.clicked.connect(
            lambda: self.change_theme(self.unplaced_tree))
        unplaced_layout = QVBoxLayout(self.unplaced_page)
        unplaced_layout.setContentsMargins(8, 8, 8, 8)
        unplaced_layout.addWidget(self.unplaced_intro)
        unplaced_layout.addWidget(self.unplaced_tree, 1)
        unplaced_layout.addWidget(self.unplaced_theme_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.dates_editor = ReviewDatesEditor(self._commit_dates, self)
        self.side_tabs.addTab(self.evidence_page, "Behind this principle")
        self.side_tabs.addTab(self.unplaced_page, "Not yet in a principle")
        self.side_tabs.addTab(self.dates_editor, "Review dates")
        for tree in (self.evidence_tree, self.unplaced_tree):
            tree.itemDoubleClicked.connect(lambda _item, _col, t=tree: self.change_theme(t))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([900, 600])

        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Principles status")
        self.status_label.setContentsMargins(8, 2, 8, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.note_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status_label)
        self.setFocusProxy(self.list)

    def _create_actions(self) -> None:
        a = self._action
        lst = self.list
        self.compile_action = a("&Compile the draft", ["Ctrl+Shift+C"],
                                "Compile the draft principles from the room's notes (Undo "
                                "brings back the previous draft)", self.compile_draft)
        self.edit_action = a("&Edit principle…", ["Return", "Enter", "F2"],
                             "Reword the current principle's lead and text", self.edit_current,
                             lst)
        self.accept_action = a("&Accept", ["A"], "Accept the chosen principles",
                               lambda: self.set_status(PrincipleStatus.ACCEPTED), lst)
        self.reject_action = a("&Reject", ["R"], "Reject the chosen principles (they are not "
                               "printed)", lambda: self.set_status(PrincipleStatus.REJECTED),
                               lst)
        self.draft_action = a("Back to &draft", ["D"], "Put the chosen principles back to draft",
                              lambda: self.set_status(PrincipleStatus.DRAFT), lst)
        self.merge_action = a("&Merge", ["M"], "Merge the chosen principles into the first "
                              "(Shift+Up/Down chooses several)", self.merge_selected, lst)
        self.split_action = a("&Split…", ["S"], "Move some notes of the current principle to a "
                              "new one", self.split_current, lst)
        self.move_up_action = a("Move &up", ["Ctrl+Up"], "Move the chosen principles up",
                                lambda: self.move(-1), lst)
        self.move_down_action = a("Move do&wn", ["Ctrl+Down"], "Move the chosen principles "
                                  "down", lambda: self.move(1), lst)
        self.add_action = a("Add a principle by &hand…", ["Ins"],
                            "Write a principle of your own, placed after the current one",
                            self.add_by_hand, lst)
        self.missing_action = a("Add a missing t&heme…", ["T"],
                                "Offer one of the toolkit's example principles the room did "
                                "not raise", self.show_missing_menu, lst)
        self.delete_action = a("De&lete", [QKeySequence.StandardKey.Delete],
                               "Remove the chosen principles", self.delete_selected, lst)
        self.theme_actions = [
            a("Change &theme…", ["T", "F2"], "Choose the theme of the current note",
              lambda t=tree: self.change_theme(t), tree)
            for tree in (self.evidence_tree, self.unplaced_tree)]
        self.add_date_action = a("Add a review date", ["Ins"], "Add a milestone",
                                 self.dates_editor.add_date, self.dates_editor.table)
        self.remove_date_action = a("Remove review date", [QKeySequence.StandardKey.Delete],
                                    "Remove the current milestone",
                                    self.dates_editor.remove_current, self.dates_editor.table)
        self.missing_menu.menuAction().setStatusTip(
            "Offer one of the toolkit's example principles the room did not raise")
        self.edit_actions: list[QAction] = [
            self.compile_action, self.edit_action, self.accept_action, self.reject_action,
            self.draft_action, self.merge_action, self.split_action, self.move_up_action,
            self.move_down_action, self.add_action, self.missing_menu.menuAction(),
            self.delete_action, self.theme_actions[0],
        ]

        self.projector_action = a("&Projector type", ["Ctrl+Shift+P"],
                                  "Large type for the back of the room", lambda: None)
        self.projector_action.setCheckable(True)
        self.projector_action.toggled.connect(self.set_projector)
        self.view_actions: list[QAction] = [self.projector_action]

        self.export_pdf_action = a("Export principles as P&DF…", [],
                                   "Save the principles as a PDF to share", self.export_pdf_as)
        self.print_action = a("&Print principles…", [QKeySequence.StandardKey.Print],
                              "Print the principles", self.print_principles)
        self.export_actions: list[QAction] = [self.export_pdf_action, self.print_action]

    # ----------------------------------------------------------------- public interface

    def set_workshop(self, workshop_id: int | None) -> None:
        """Show this workshop's draft principles (``None`` shows an empty view)."""
        self._close_dialog()
        self._workshop_id = workshop_id
        self.list.principles_model.set_rows([])
        self._refresh()

    def focus_view(self) -> None:
        """Put the keyboard on the list of principles."""
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.list.currentIndex().isValid() and self.list.principles_model.rows:
            self.list.setCurrentIndex(self.list.principles_model.index(0))

    def has_stored_draft(self) -> bool:
        return bool(self._snapshot and self._snapshot.principles)

    def draft(self) -> Draft | None:
        """The draft compiled from the room's notes as they are now."""
        self._ensure_fresh()
        return self._snapshot.draft if self._snapshot is not None else None

    def tally_text(self, principle_id: int) -> str:
        """The room's review of a principle, e.g. "2 agree · 1 suggest a change"."""
        self._ensure_fresh()
        tallies = self._snapshot.tallies if self._snapshot is not None else {}
        return tally_words(tallies.get(principle_id))

    def rows(self) -> list[PrincipleRow]:
        self._ensure_fresh()
        return self.list.rows()

    def set_projector(self, on: bool) -> None:
        """Large type everywhere (at least 24 px); the review dates tab is hidden."""
        on = bool(on)
        if self.projector_action.isChecked() != on:
            self.projector_action.setChecked(on)
            return
        self._projector = on
        self._apply_fonts()
        self.side_tabs.setTabVisible(self.side_tabs.indexOf(self.dates_editor), not on)

    def _apply_fonts(self) -> None:
        on = self._projector
        lead = theme.board_font(PROJECTOR_LEAD_PX if on else LEAD_PX, bold=True)
        body = theme.board_font(PROJECTOR_BODY_PX if on else BODY_PX)
        meta = theme.board_font(PROJECTOR_META_PX if on else META_PX)
        panel = theme.board_font(PROJECTOR_PANEL_PX if on else PANEL_PX)
        self.list.delegate.set_fonts(lead, body, meta)
        self.list.relayout()
        for widget in (self.evidence_tree, self.unplaced_tree, self.dates_editor.table,
                       self.note_label, self.status_label, self.evidence_heading,
                       self.unplaced_intro, self.side_tabs.tabBar(), self.compile_button,
                       self.add_button, self.missing_button, self.export_button,
                       self.print_button, self.evidence_theme_button,
                       self.unplaced_theme_button):
            widget.setFont(panel)
        heading = theme.board_font(PROJECTOR_PANEL_PX if on else PANEL_PX + 2, bold=True)
        self.evidence_heading.setFont(heading)
        self._style_compile_button()

    def _style_compile_button(self) -> None:
        prominent = self._workshop_id is not None and not self.has_stored_draft()
        font = QFont(self.compile_button.font())
        font.setBold(prominent)
        self.compile_button.setFont(font)
        self.compile_button.setDefault(prominent)
        self.compile_button.setStyleSheet(
            f"QPushButton {{ background: {theme.SELECTION_COLOUR}; color: #FFFFFF; "
            "padding: 6px 16px; border-radius: 4px; }" if prominent else "")

    # ----------------------------------------------------------------- refreshing

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        if change.kind in (ChangeKind.PRINCIPLES, ChangeKind.POSTITS, ChangeKind.VOTES,
                           ChangeKind.VALUES, ChangeKind.GROUPS, ChangeKind.WORKSHOPS,
                           ChangeKind.ORGANISATIONS, ChangeKind.PARTICIPANTS):
            if self.isVisible():
                self._refresh()
            else:
                self._dirty = True  # compiled when the step is shown again

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ensure_fresh()

    def _ensure_fresh(self) -> None:
        if self._dirty:
            self._refresh()

    def _read(self) -> _Snapshot | None:
        if self._workshop_id is None:
            return None
        wid = self._workshop_id
        return _Snapshot(
            workshop=self.store.get_workshop(wid),
            principles=tuple(self.store.list_principles(wid)),
            draft=compile_draft(inputs_from_store(self.store, wid)),
            tallies=self.store.review_tallies(wid),
            dates=tuple((d.label, d.date) for d in self.store.review_dates(wid)),
        )

    def _refresh(self) -> None:
        self._dirty = False
        try:
            snapshot = self._read()
        except NotFoundError:
            self._workshop_id = None
            snapshot = None
        except StoreError as error:
            self._show_error(str(error))
            return
        self._snapshot = snapshot
        self._evidence = evidence_index(snapshot.draft.all_evidence) if snapshot else {}
        current = self.list.current_row()
        chosen = [row.key for row in self.list.selected_rows()] if self.list.rows() else []
        old_rows = self.list.rows()
        rows = self._rows(snapshot)
        self.list.principles_model.set_rows(rows)
        self._restore_current(current, chosen, old_rows)
        self._show_evidence()
        self._show_unplaced()
        self._fill_missing_menu()
        if snapshot is not None:
            stored = [(label, date) for label, date in snapshot.dates]
            self.dates_editor.set_dates(stored or [(label, "") for label in DEFAULT_REVIEW_DATES],
                                        suggested=not stored)
        else:
            self.dates_editor.set_dates([], suggested=False)
        self._show_note()
        self._update_actions()

    def _weight(self, theme_id: str, refs: Sequence[EvidenceRef]) -> float:
        """Support from these notes, as the compiler counts it (a second theme counts half)."""
        total = 0.0
        for ref in refs:
            item = self._evidence.get(ref)
            if item is None:
                continue
            share = (SECOND_THEME_FACTOR if theme_id and theme_id in item.themes[1:]
                     else 1.0)
            total += item.weight * share
        return round(total, 2)

    def _rows(self, snapshot: _Snapshot | None) -> list[PrincipleRow]:
        if snapshot is None:
            return []
        if not snapshot.principles:
            return [PrincipleRow(p.theme_id, None, p.theme_id, n, p.lead, p.body,
                                 PrincipleStatus.DRAFT, p.weight, p.refs, preview=True)
                    for n, p in enumerate(snapshot.draft.principles, start=1)]
        show_tally = bool(snapshot.tallies)
        rows = []
        number = 0
        for p in snapshot.principles:
            shown_number = None
            if p.status is not PrincipleStatus.REJECTED:
                number += 1
                shown_number = number
            rows.append(PrincipleRow(p.id, p.id, p.theme_id, shown_number, p.lead, p.body,
                                     p.status, self._weight(p.theme_id, p.evidence),
                                     p.evidence, snapshot.tallies.get(p.id), show_tally))
        return rows

    def _restore_current(self, current: PrincipleRow | None, chosen: Sequence[int | str],
                         old_rows: Sequence[PrincipleRow]) -> None:
        rows = self.list.rows()
        if not rows:
            return
        key: int | str | None = None
        keys = {row.key for row in rows}
        if current is not None:
            if current.key in keys:
                key = current.key
            else:
                same_theme = [r for r in rows if current.theme_id and r.theme_id ==
                              current.theme_id]
                if same_theme:
                    key = same_theme[0].key
                else:
                    old = [r.key for r in old_rows].index(current.key) if current in old_rows \
                        else 0
                    key = rows[min(old, len(rows) - 1)].key
        chosen = [k for k in chosen if k in keys] or ([key] if key is not None else [])
        self.list.select_keys(chosen, key)

    def _theme_title(self, theme_id: str) -> str:
        return self._theme_titles.get(theme_id, theme_id)

    def _why(self, item: Evidence) -> str:
        """Why a note is where it is: the theme chosen by hand, or the themes it matched and
        the words that matched them."""
        if item.chosen_by_hand:
            if item.themes:
                return f"Theme chosen by hand: {self._theme_title(item.themes[0])}"
            return "Kept without a theme, by hand"
        if not item.themes:
            return "Why: no theme matched"
        why = "Theme: " + self._theme_title(item.themes[0])
        if len(item.themes) > 1:
            why += "; also " + "; ".join(self._theme_title(t) for t in item.themes[1:])
        if item.cues:
            why += "\nMatched " + ", ".join(f"“{c}”" for c in item.cues)
        return why

    def _note_line(self, ref: EvidenceRef) -> tuple[EvidenceRef, NoteLine]:
        item = self._evidence.get(ref)
        if item is None:
            return ref, NoteLine("(no longer on the board)", "", None,
                                 "removed or hidden since the draft was compiled")
        votes = item.votes if item.ref[0] is EvidenceKind.POSTIT else None
        return ref, NoteLine(item.text, item.where, votes, self._why(item))

    def _show_evidence(self) -> None:
        row = self.list.current_row()
        if row is None:
            self.evidence_heading.setText("Choose a principle to see the notes behind it."
                                          if self._workshop_id is not None else NO_WORKSHOP)
            self.evidence_tree.set_notes([])
        else:
            self.evidence_heading.setText(
                f"Behind “{row.lead}”: {_plural(len(row.evidence), 'note')}")
            self.evidence_tree.set_notes([self._note_line(ref) for ref in row.evidence])
        self.evidence_theme_button.setEnabled(self.evidence_tree.topLevelItemCount() > 0)

    def unplaced_refs(self) -> list[EvidenceRef]:
        """Notes no principle uses yet (the preview's unclassified and unused notes, or, with a
        stored draft, every note no principle that is not rejected rests on)."""
        snapshot = self._snapshot
        if snapshot is None:
            return []
        if not snapshot.principles:
            return [e.ref for e in (*snapshot.draft.unclassified, *snapshot.draft.unused)]
        used = {ref for p in snapshot.principles if p.status is not PrincipleStatus.REJECTED
                for ref in p.evidence}
        notes = [e for e in snapshot.draft.all_evidence if e.ref not in used]
        notes.sort(key=lambda e: bool(e.themes))  # no theme first, as in the preview
        return [e.ref for e in notes]

    def _show_unplaced(self) -> None:
        refs = self.unplaced_refs()
        self.unplaced_tree.set_notes([self._note_line(ref) for ref in refs])
        self.unplaced_theme_button.setEnabled(bool(refs))
        self.side_tabs.setTabText(self.side_tabs.indexOf(self.unplaced_page),
                                  f"Not yet in a principle ({len(refs)})")

    def missing_themes(self) -> list[Theme]:
        """Toolkit themes nobody raised and no principle covers yet."""
        snapshot = self._snapshot
        if snapshot is None:
            return []
        covered = {p.theme_id for p in snapshot.principles}
        return [t for t in snapshot.draft.missing if t.id not in covered]

    def _fill_missing_menu(self) -> None:
        self.missing_menu.clear()
        missing = self.missing_themes()
        for item in missing:
            action = self.missing_menu.addAction(_mnemonic_safe(item.title))
            action.setStatusTip(item.template)
            action.triggered.connect(lambda _checked=False, t=item: self.add_theme(t))
        if not missing:
            none = self.missing_menu.addAction("Every toolkit theme is already covered")
            none.setEnabled(False)

    def _show_note(self) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            text = NO_WORKSHOP
        elif not snapshot.principles:
            text = PREVIEW_NOTE if snapshot.draft.principles else EMPTY_PREVIEW_NOTE
        elif self._draft_changed():
            text = EDITED_NOTE
        else:
            text = ""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))
        self._style_compile_button()

    def _draft_changed(self) -> bool:
        """Whether the stored draft differs from what compiling now would give."""
        snapshot = self._snapshot
        if snapshot is None:
            return False
        stored = [(p.lead, p.body, p.theme_id, tuple(p.evidence), p.status)
                  for p in snapshot.principles]
        compiled = [(p.lead, p.body, p.theme_id, p.refs, PrincipleStatus.DRAFT)
                    for p in snapshot.draft.principles]
        return stored != compiled

    def _update_actions(self) -> None:
        has = self._workshop_id is not None and self._snapshot is not None
        stored = self.has_stored_draft()
        rows = self.list.selected_rows() if stored else []
        current = self.list.current_row() if stored else None
        empty_preview = has and not stored and not (
            self._snapshot and self._snapshot.draft.principles)
        self.compile_action.setEnabled(has)
        self.compile_button.setEnabled(has)
        for action in (self.edit_action, self.split_action):
            action.setEnabled(current is not None)
        for action in (self.accept_action, self.reject_action, self.draft_action,
                       self.delete_action, self.move_up_action, self.move_down_action):
            action.setEnabled(bool(rows))
        self.merge_action.setEnabled(len(rows) >= 2)
        can_add = has and (stored or empty_preview)
        self.add_action.setEnabled(can_add)
        self.add_button.setEnabled(can_add)
        self.missing_action.setEnabled(can_add and bool(self.missing_themes()))
        self.missing_button.setEnabled(can_add)
        self.missing_menu.menuAction().setEnabled(can_add)
        for action in (self.export_pdf_action, self.print_action):
            action.setEnabled(has)
        self.export_button.setEnabled(has)
        self.print_button.setEnabled(has)
        self.dates_editor.setEnabled(has)

    def _on_list_current_changed(self, *_args: object) -> None:
        self._show_evidence()
        self._update_actions()

    def _on_list_selection_changed(self, *_args: object) -> None:
        self._update_actions()

    def _announce(self, text: str) -> None:
        self.status_label.setText(text)
        self.list.setAccessibleDescription(text)

    def _focus_after_dialog(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----------------------------------------------------------------- compiling

    def compile_draft(self) -> bool:
        """Replace the stored draft by one compiled from the room's notes (one undo step)."""
        if self._workshop_id is None:
            return False
        self._refresh()
        snapshot = self._snapshot
        if snapshot is None:
            return False
        if snapshot.principles and not self._draft_changed():
            self._announce("The draft is already up to date with the room's notes.")
            return True
        replacing = bool(snapshot.principles)
        command = CompileDraftCommand(self.store, self._workshop_id,
                                      draft_rows(snapshot.draft))
        if not self._push(command):
            return False
        count = _plural(len(command.new or []), "principle")
        self._announce(f"Draft compiled again: {count}. Undo (Ctrl+Z) brings back the previous "
                       "draft." if replacing else f"Draft compiled: {count}.")
        if self.list.principles_model.rows and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.list.principles_model.index(0))
        return True

    # ----------------------------------------------------------------- editing

    def _chosen_ids(self) -> list[int]:
        return [r.principle_id for r in self.list.selected_rows() if r.principle_id is not None]

    def set_status(self, status: PrincipleStatus) -> bool:
        ids = self._chosen_ids()
        if not ids or self._workshop_id is None:
            return False
        if not self._push(SetStatusCommand(self.store, ids, status)):
            return False
        what = (f"“{self.list.selected_rows()[0].lead}”" if len(ids) == 1
                else _plural(len(ids), "principle"))
        self._announce(f"{status.label}: {what}.")
        return True

    def edit_current(self) -> None:
        row = self.list.current_row()
        if row is None or row.principle_id is None or self.dialog is not None:
            return
        principle_id = row.principle_id

        def commit(lead: str, body: str) -> bool:
            if lead.strip() == row.lead and body.strip() == row.body:
                return True
            return self._push(EditPrincipleCommand(self.store, principle_id, lead, body))

        self._open_dialog(PrincipleDialog("Edit principle", row.lead, row.body, commit, self))

    def add_by_hand(self) -> None:
        if self._workshop_id is None or self.dialog is not None:
            return
        self._open_dialog(PrincipleDialog("Add a principle", "", "", self._commit_add, self))

    def _position_after_current(self) -> int | None:
        row = self.list.current_row()
        if row is None or row.principle_id is None or self._snapshot is None:
            return None
        for p in self._snapshot.principles:
            if p.id == row.principle_id:
                return p.position + 1
        return None

    def _commit_add(self, lead: str, body: str) -> bool:
        if self._workshop_id is None:
            return False
        command = AddPrincipleCommand(self.store, self._workshop_id, lead, body,
                                      position=self._position_after_current())
        return self._added(command)

    def _added(self, command: AddPrincipleCommand) -> bool:
        if not self._push(command) or command.principle is None:
            return False
        self.list.select_keys([command.principle.id], command.principle.id)
        self._announce(f"Added “{command.principle.lead}”.")
        return True

    def show_missing_menu(self) -> None:
        """Pop up the toolkit themes nobody raised, beside the current principle."""
        index = self.list.currentIndex()
        rect = self.list.visualRect(index) if index.isValid() else QRect(0, 0, 0, 0)
        self.missing_menu.popup(self.list.viewport().mapToGlobal(rect.bottomLeft()))
        actions = [action for action in self.missing_menu.actions() if action.isEnabled()]
        if actions:
            self.missing_menu.setActiveAction(actions[0])

    def add_theme(self, item: Theme) -> bool:
        """Add the toolkit's example principle for a theme nobody raised."""
        if self._workshop_id is None:
            return False
        command = AddPrincipleCommand.from_theme(self.store, self._workshop_id, item,
                                                 position=self._position_after_current())
        return self._added(command)

    def merge_selected(self) -> bool:
        rows = self.list.selected_rows()
        ids = [r.principle_id for r in rows if r.principle_id is not None]
        if len(ids) < 2:
            self._announce("Choose two or more principles to merge (Shift+Up or Shift+Down).")
            return False
        if not self._push(MergePrinciplesCommand(self.store, ids)):
            return False
        self.list.select_keys([ids[0]], ids[0])
        self._announce(f"Merged {len(ids)} principles into “{rows[0].lead}”.")
        return True

    def split_current(self) -> None:
        row = self.list.current_row()
        if row is None or row.principle_id is None or self.dialog is not None:
            return
        if not row.evidence:
            self._show_error("This principle has no notes behind it to move to a new one.",
                             "The principle was not split")
            return
        notes = []
        for ref in row.evidence:
            line = self._note_line(ref)[1]
            notes.append((ref, f"{line.text} ({line.where})" if line.where else line.text))
        principle_id = row.principle_id

        def commit(moved: list[EvidenceRef], lead: str) -> bool:
            command = SplitPrincipleCommand(self.store, principle_id, moved, lead)
            if not self._push(command) or command.added is None:
                return False
            self.list.select_keys([command.added.id], command.added.id)
            self._announce(f"Split: {_plural(len(moved), 'note')} moved to a new principle.")
            return True

        self._open_dialog(SplitDialog(row, notes, commit, self))

    def move(self, step: int) -> bool:
        if self._workshop_id is None or not self.has_stored_draft():
            return False
        chosen = self._chosen_ids()
        order = [r.principle_id for r in self.list.rows() if r.principle_id is not None]
        new = moved_order(order, chosen, step)
        if new == order:
            return False
        text = "Move principle up" if step < 0 else "Move principle down"
        return self._push(ReorderCommand(self.store, self._workshop_id, new, text=text))

    def delete_selected(self) -> bool:
        ids = self._chosen_ids()
        if not ids:
            return False
        if not self._push(DeletePrinciplesCommand(self.store, ids)):
            return False
        self._announce(f"Removed {_plural(len(ids), 'principle')}. Undo (Ctrl+Z) brings "
                       f"{'it' if len(ids) == 1 else 'them'} back.")
        return True

    # -- themes and dates

    def change_theme(self, tree: EvidenceTree) -> None:
        ref = tree.current_ref()
        if ref is None and tree.topLevelItemCount():
            tree.setCurrentItem(tree.topLevelItem(0))
            ref = tree.current_ref()
        if ref is None or self._workshop_id is None or self.dialog is not None:
            return
        item = self._evidence.get(ref)
        if item is None:
            self._show_error("That note is no longer on the board.", "The theme was not changed")
            return
        current = item.themes[0] if item.themes else ""
        workshop_id = self._workshop_id

        def commit(theme_id: str | None) -> bool:
            unchanged = (theme_id is None and not item.chosen_by_hand) or (
                theme_id is not None and item.chosen_by_hand and theme_id == current)
            if unchanged:
                return True
            command = SetThemeCommand(self.store, workshop_id, ref[0], ref[1], theme_id)
            if not self._push(command):
                return False
            words = (NO_THEME.lower() if theme_id == "" else "the app's choice"
                     if theme_id is None else f"“{self._theme_title(theme_id)}”")
            self._announce(f"Theme of “{item.text}” set to {words}. Compile the draft again "
                           "(Ctrl+Shift+C) to move it.")
            return True

        self._open_dialog(ThemeDialog(item.text, self._themes, current, item.chosen_by_hand,
                                      commit, self))

    def _commit_dates(self, dates: list[tuple[str, str]]) -> bool:
        if self._workshop_id is None:
            return False
        import datetime

        for _label, date in dates:
            try:
                if date.strip():
                    datetime.date.fromisoformat(date.strip())
            except ValueError:
                self._show_error(f"“{date.strip()}” is not a date; write it as YYYY-MM-DD "
                                 "(2025-09-30), or leave it blank.",
                                 "The review dates were not changed")
                return False
        return self._push(SetReviewDatesCommand(self.store, self._workshop_id,
                                                [(label, date.strip()) for label, date in dates]))

    # ----------------------------------------------------------------- export and print

    def export_pdf_to(self, path: str | Path) -> Path | None:
        """Write the principles PDF to ``path``; None (error shown) if that failed."""
        if self._workshop_id is None:
            return None
        try:
            from workshopkit.export.principles_pdf import write_principles_pdf

            written = Path(write_principles_pdf(self.store, self._workshop_id, path))
        except ImportError:
            self._show_error("Saving the principles as a PDF is not available in this "
                             "version.", "Could not export the principles")
            return None
        except (StoreError, OSError) as error:
            self._show_error(str(error), "Could not export the principles")
            return None
        self._announce(f"Saved {written.name} to {written.parent}")
        return written

    def export_pdf_as(self) -> QFileDialog | None:
        """Ask where to save (a non-blocking file dialog), then write the PDF."""
        if self._workshop_id is None or self._snapshot is None:
            return None
        from PySide6.QtCore import QStandardPaths

        from workshopkit.ui.start_screen import safe_file_name

        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        name = safe_file_name(f"{self._snapshot.workshop.title} principles") + ".pdf"
        caption = "Export principles as PDF"
        dialog = QFileDialog(self, caption, str(Path(folder) / name), "PDF documents (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("pdf")
        dialog.setAccessibleName(caption)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_pdf_to)
        dialog.finished.connect(self._on_file_dialog_finished)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _on_file_dialog_finished(self, _result: int) -> None:
        if self.sender() is self.file_dialog:
            self.file_dialog = None

    def print_to(self, printer: Any) -> bool:
        """Print the principles on ``printer`` (a QPrinter); False (error shown) on failure."""
        if self._workshop_id is None:
            return False
        from workshopkit.ui.principles_print import print_principles

        try:
            print_principles(self.store, self._workshop_id, printer)
        except StoreError as error:
            self._show_error(str(error), "Could not print the principles")
            return False
        self._announce("Sent the principles to the printer.")
        return True

    def print_principles(self) -> QDialog | None:
        """Ask which printer (a non-blocking print dialog), then print."""
        if self._workshop_id is None:
            return None
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(self._printer, self)
        dialog.setWindowTitle("Print principles")
        dialog.setAccessibleName("Print principles")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.print_to(self._printer))
        dialog.finished.connect(self._on_print_dialog_finished)
        self.print_dialog = dialog
        dialog.show()
        return dialog

    def _on_print_dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        if dialog is self.print_dialog:
            self.print_dialog = None
        if isinstance(dialog, QDialog):
            dialog.deleteLater()


__all__ = ["PrincipleDialog", "PrincipleRow", "PrinciplesList", "PrinciplesModel",
           "PrinciplesView", "SplitDialog", "ThemeDialog", "tally_words"]
