"""Step 4 of the values exercise: what each organisation says beside what it does, and what the
room agrees.

Left, "Side by side": a block per organisation with its stated values and who it serves beside
its three practice answers, and each of its people's answers under it, so differences show.
Right, the connections and gaps :func:`workshopkit.exercises.values.suggestions` finds, each with
the answers it links; choosing one marks those answers on the left (a marker and bold type, not
colour alone). Below, the "connections and agreements" the room records as notes, each linked to
the answers behind it. Every edit is an undo command; the page refreshes on store changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFocusEvent,
    QFont,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises import values as rules
from workshopkit.model import (
    NOTE_MAX_CHARS,
    AlignmentNote,
    Change,
    ChangeKind,
    Organisation,
    Participant,
    Practice,
    ValueKind,
    ValuesExercise,
)
from workshopkit.store import Store, StoreError, ValidationError, clean_text
from workshopkit.ui import theme
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.guidance_panel import plain_label, plain_tooltip
from workshopkit.ui.text_dialog import cursor_to_end, is_ctrl_enter
from workshopkit.ui.view_base import ExerciseView

Ref = tuple[str, int]

BODY_PX = 16
PROJECTOR_PX = 26
"""Body text in projector mode: at least 24 px, legible from the back of a room."""
HEADING_SCALE = 1.25

MARK = "►"
"""Put before an answer a chosen suggestion (or note) links, with bold type and a border."""
HIGHLIGHT_FILL = "#FFE27A"
HIGHLIGHT_BORDER = "#111111"
MUTED = theme.MUTED_TEXT

KIND_WORDS = {"connection": "Connection", "gap": "Gap"}
KIND_TIPS = {
    "connection": "Shared words or phrases across these answers",
    "gap": "Nothing in common between these answers",
}

SuggestionRole = Qt.ItemDataRole.UserRole + 1
"""The suggestion's index in :attr:`AlignmentPage.suggestions` (title and linked rows)."""
NoteIdRole = Qt.ItemDataRole.UserRole + 2
"""The note's id, on the note's row and on the rows of the answers it links."""
RefRole = Qt.ItemDataRole.UserRole + 3
"""The ("value" | "answer", id) a row stands for."""


def kind_icon(kind: str, size: int = 32) -> QIcon:
    """Two rings that overlap (a connection) or stand apart with a break (a gap)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(theme.TEXT_COLOUR))
    pen.setWidthF(size / 12)
    painter.setPen(pen)
    r = size * 0.24
    if kind == "connection":
        painter.drawEllipse(QPointF(size * 0.38, size / 2), r, r)
        painter.drawEllipse(QPointF(size * 0.62, size / 2), r, r)
    else:
        painter.drawEllipse(QPointF(size * 0.24, size / 2), r * 0.8, r * 0.8)
        painter.drawEllipse(QPointF(size * 0.76, size / 2), r * 0.8, r * 0.8)
    painter.end()
    return QIcon(pixmap)


_plain = partial(plain_label, selectable=False, top=True)
"""A caption of the page: plain text at the top left of its cell."""


def _muted(label: QLabel) -> QLabel:
    """Secondary text in a darker grey (a palette, so the label keeps the page's type size)."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(MUTED))
    label.setPalette(palette)
    return label


def safe_describe(exercise: ValuesExercise | None, ref: Ref) -> str:
    """How :func:`rules.describe` names an answer (it has words for one gone meanwhile)."""
    if exercise is None:
        return "An answer that is no longer there"
    return rules.describe(exercise, ref)


def suggestion_heading(suggestion: rules.Suggestion) -> str:
    """The suggestion's kind in words, then its title ("Connection — Shared: local group")."""
    words = KIND_WORDS.get(suggestion.kind, suggestion.kind.capitalize())
    if suggestion.title.casefold().startswith(words.casefold()):
        return suggestion.title
    return f"{words} — {suggestion.title}"


def note_refs(note: AlignmentNote) -> list[Ref]:
    return [("value", i) for i in note.value_ids] + [("answer", i) for i in note.answer_ids]


def all_refs(exercise: ValuesExercise) -> list[tuple[str, list[Ref]]]:
    """Every answer a note can link, as (heading, refs) per organisation, then the unlinked people.

    An organisation's stated values and who it serves come first, then its answers, then its
    people's answers; empty answers are left out.
    """
    groups: list[tuple[str, list[Ref]]] = []
    people_by_org = _people_by_organisation(exercise)
    for org in exercise.organisations:
        refs: list[Ref] = [("value", v.id) for kind in ValueKind
                           for v in exercise.values_of(org.id, kind)]
        refs += _answer_refs(exercise, organisation_id=org.id)
        for person in people_by_org.get(org.id, []):
            refs += _answer_refs(exercise, participant_id=person.id)
        groups.append((org.name, refs))
    loose: list[Ref] = []
    for person in people_by_org.get(None, []):
        loose += _answer_refs(exercise, participant_id=person.id)
    if loose:
        groups.append((NO_ORGANISATION, loose))
    return [(heading, refs) for heading, refs in groups if refs]


NO_ORGANISATION = "People not linked to an organisation"


def _answer_refs(exercise: ValuesExercise, *, organisation_id: int | None = None,
                 participant_id: int | None = None) -> list[Ref]:
    refs: list[Ref] = []
    for question in Practice:
        answer = exercise.answer(question, organisation_id=organisation_id,
                                 participant_id=participant_id)
        if answer is not None and answer.text.strip():
            refs.append(("answer", answer.id))
    return refs


def _people_by_organisation(exercise: ValuesExercise) -> dict[int | None, list[Participant]]:
    known = {o.id for o in exercise.organisations}
    people: dict[int | None, list[Participant]] = {}
    for person in exercise.participants:
        key = person.organisation_id if person.organisation_id in known else None
        people.setdefault(key, []).append(person)
    return people


class WrapDelegate(QStyledItemDelegate):
    """Gives each row the height its text needs when wrapped to the column's width (a tree
    view otherwise measures rows as one unbroken line and elides them)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        if self.view.rootIsDecorated():
            depth += 1
        width = self.view.viewport().width() - self.view.indentation() * depth - 4
        opt.rect = QRect(0, 0, max(80, width), 100_000)
        opt.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        size = self.view.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, opt,
                                                  QSize(), self.view)
        return QSize(max(80, width), size.height() + 4)


class WrappingTree(QTreeWidget):
    """A one-column tree whose rows wrap long text instead of cutting it off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(WrapDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Arriving by keyboard chooses the current row, so Enter acts on what is outlined."""
        super().focusInEvent(event)
        current = self.currentItem()
        if (event.reason() != Qt.FocusReason.MouseFocusReason and current is not None
                and not self.selectedItems()):
            self.setCurrentItem(current)


# ----------------------------------------------------------------------------- side by side


class RefLabel(QLabel):
    """One answer (or stated value) in the side-by-side blocks; it can be marked as linked."""

    def __init__(self, ref: Ref | None, text: str, context: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ref = ref
        self.base_text = text
        self.context = context
        self.highlighted = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setContentsMargins(4, 2, 4, 2)
        self.set_highlighted(False)

    def set_highlighted(self, on: bool) -> None:
        self.highlighted = on
        self.setText(f"{MARK} {self.base_text}" if on else self.base_text)
        font = self.font()
        font.setBold(on)
        self.setFont(font)
        self.setStyleSheet(
            f"background: {HIGHLIGHT_FILL}; color: {theme.TEXT_COLOUR}; "
            f"border: 2px solid {HIGHLIGHT_BORDER};" if on else "")
        shown = self.base_text if self.ref is not None else "no answer yet"
        prefix = "Linked: " if on else ""
        self.setAccessibleName(f"{prefix}{self.context}: {shown}")


class SideBySide(QScrollArea):
    """Each organisation's stated values and who it serves beside its practice, its people below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Side by side: stated values and practice")
        self.setAccessibleDescription(
            "For each organisation, what it says it values and who it serves beside where its "
            "budget, time and priorities go, and each of its people's answers under it.")
        self.labels: dict[Ref, RefLabel] = {}
        self.blocks: list[QFrame] = []
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.setSpacing(14)
        self.setWidget(self._body)
        self.empty_label = _plain("", self._body, name="Side by side is empty")
        self._heading_px = round(BODY_PX * HEADING_SCALE)

    def set_exercise(self, exercise: ValuesExercise | None, heading_px: int) -> None:
        self._heading_px = heading_px
        self.labels = {}
        self.blocks = []
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.empty_label:
                widget.hide()
                widget.deleteLater()
        if exercise is None or not (exercise.organisations or exercise.participants):
            self.empty_label.setText(
                "No organisations yet. Add the partner organisations in the workshop details, "
                "then fill in steps 1 to 3." if exercise is not None else "No workshop is open.")
            self._layout.addWidget(self.empty_label)
            self.empty_label.show()
            self._layout.addStretch(1)
            return
        self.empty_label.hide()
        people = _people_by_organisation(exercise)
        for org in exercise.organisations:
            self._layout.addWidget(self._block(exercise, org, people.get(org.id, [])))
        if people.get(None):
            self._layout.addWidget(self._block(exercise, None, people[None]))
        self._layout.addStretch(1)

    def _block(self, exercise: ValuesExercise, org: Organisation | None,
               people: Sequence[Participant]) -> QFrame:
        block = QFrame(self._body)
        block.setFrameShape(QFrame.Shape.StyledPanel)
        title = f"{org.name} ({org.kind.label})" if org is not None else NO_ORGANISATION
        block.setAccessibleName(title)
        grid = QGridLayout(block)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        heading = _plain(title, block, name=title)
        heading.setFont(theme.board_font(self._heading_px, bold=True))
        grid.addWidget(heading, 0, 0, 1, 5)
        captions = ["", "Says it values, and serves", *(q.label for q in Practice)]
        for column, caption in enumerate(captions):
            if caption:
                label = _plain(caption, block)
                bold = QFont(self.font())
                bold.setBold(True)
                label.setFont(bold)
                grid.addWidget(label, 1, column)
        row = 2
        if org is not None:
            grid.addWidget(_plain("The organisation", block), row, 0)
            grid.addWidget(self._stated(exercise, org, block), row, 1)
            self._answers(grid, row, exercise, org.name, block, organisation_id=org.id)
            row += 1
        for person in people:
            who = f"{person.name} ({person.role})" if person.role else person.name
            grid.addWidget(_plain(who, block, name=f"Person: {who}"), row, 0)
            self._answers(grid, row, exercise, person.name, block, participant_id=person.id)
            row += 1
        if org is not None and not people:
            hint = _plain("Nobody from this organisation has answered for themselves yet.",
                          block)
            _muted(hint)
            grid.addWidget(hint, row, 0, 1, 5)
        grid.setColumnStretch(0, 2)
        for column in range(1, 5):
            grid.setColumnStretch(column, 3)
        self.blocks.append(block)
        return block

    def _stated(self, exercise: ValuesExercise, org: Organisation, parent: QWidget) -> QWidget:
        cell = QWidget(parent)
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for kind, caption in ((ValueKind.VALUE, "Values"), (ValueKind.SERVES, "Serves")):
            layout.addWidget(_plain(f"{caption}:", cell))
            chips = exercise.values_of(org.id, kind)
            if not chips:
                layout.addWidget(RefLabel(None, "—", f"{org.name}, {caption.lower()}", cell))
            for value in chips:
                label = RefLabel(("value", value.id), f"• {value.text}",
                                 f"{org.name}, {caption.lower()}", cell)
                layout.addWidget(label)
                self.labels[("value", value.id)] = label
        return cell

    def _answers(self, grid: QGridLayout, row: int, exercise: ValuesExercise, who: str,
                 parent: QWidget, *, organisation_id: int | None = None,
                 participant_id: int | None = None) -> None:
        for column, question in enumerate(Practice, start=2):
            answer = exercise.answer(question, organisation_id=organisation_id,
                                     participant_id=participant_id)
            has_text = answer is not None and bool(answer.text.strip())
            ref: Ref | None = ("answer", answer.id) if answer is not None and has_text else None
            label = RefLabel(ref, answer.text if answer is not None and has_text else "—",
                             f"{who}, {question.label}", parent)
            grid.addWidget(label, row, column)
            if ref is not None:
                self.labels[ref] = label

    def set_highlighted(self, refs: Iterable[Ref]) -> None:
        wanted = set(refs)
        first: RefLabel | None = None
        for ref, label in self.labels.items():
            on = ref in wanted
            if on != label.highlighted:
                label.set_highlighted(on)
            if on and first is None:
                first = label
        if first is not None:
            self.ensureWidgetVisible(first, 20, 20)

    def highlighted_refs(self) -> set[Ref]:
        return {ref for ref, label in self.labels.items() if label.highlighted}


# ----------------------------------------------------------------------------- dialogs


def check_note_text(text: str) -> str:
    """Why a note cannot be saved, or ""."""
    try:
        clean_text(text, what="A note", max_chars=NOTE_MAX_CHARS)
    except ValidationError as error:
        return str(error) if text.strip() else "Write the connection or agreement first."
    return ""


class NoteDialog(QDialog):
    """Write or edit a note's text. Ctrl+Enter saves; ``commit`` False keeps the dialog open."""

    def __init__(self, title: str, text: str = "", *, links: Sequence[str] = (),
                 commit: Callable[[str], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(560)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlainText(text)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAccessibleName("Note text")
        self.text_edit.setAccessibleDescription(
            f"Plain text, up to {NOTE_MAX_CHARS} characters. Ctrl+Enter saves.")
        self.text_edit.setPlaceholderText("A connection or agreement, in the room's words")
        self.text_edit.setFont(theme.board_font(20))
        self.text_edit.setMinimumHeight(120)
        self.text_edit.installEventFilter(self)
        self.problem_label = _plain("", self, name="Why the note cannot be saved")
        self.problem_label.setStyleSheet("color: #8B0000; font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save")
        self.ok_button.setAccessibleName("Save note")
        self.ok_button.setToolTip("Ctrl+Enter")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        caption = QLabel("&Note (Ctrl+Enter saves)", self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setBuddy(self.text_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.text_edit)
        if links:
            layout.addWidget(_plain("Linked to:", self))
            for line in links:
                layout.addWidget(_plain(f"• {line}", self))
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self._on_text_edit_text_changed()
        self.text_edit.setFocus()
        cursor_to_end(self.text_edit)

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def _on_text_edit_text_changed(self) -> None:
        problem = check_note_text(self.text())
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem) and bool(self.text().strip()))
        self.ok_button.setEnabled(not problem)
        self.ok_button.setToolTip(problem or "Ctrl+Enter")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text_edit and is_ctrl_enter(event):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if check_note_text(self.text()):
            self.problem_label.setVisible(True)
            return
        if self._commit is not None and not self._commit(self.text()):
            return
        super().accept()


class LinkDialog(QDialog):
    """Tick the answers behind a note: every stated value and grid answer, by organisation.

    Space ticks the current row; typing in the filter narrows the list; Enter saves.
    """

    def __init__(self, exercise: ValuesExercise, note: AlignmentNote, *,
                 commit: Callable[[list[Ref]], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self.setWindowTitle("Link answers to the note")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumSize(640, 520)
        linked = set(note_refs(note))
        self.note_label = _plain(note.text, self, name="The note")
        self.note_label.setFont(theme.board_font(18, bold=True))
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setAccessibleName("Filter answers")
        self.filter_edit.setPlaceholderText("Type to find an answer")
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Answers to link")
        self.list.setAccessibleDescription("Space ticks or unticks the current answer.")
        self.list.setFont(theme.board_font(17))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.items: dict[Ref, QListWidgetItem] = {}
        self._groups: list[tuple[QListWidgetItem, list[QListWidgetItem]]] = []
        for heading, refs in all_refs(exercise):
            # Headings take no part in keyboard moves; dark text keeps them legible anyway.
            head = QListWidgetItem(heading)
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            head.setFont(theme.board_font(17, bold=True))
            head.setForeground(QColor(theme.TEXT_COLOUR))
            head.setData(Qt.ItemDataRole.AccessibleTextRole, f"Group: {heading}")
            self.list.addItem(head)
            members: list[QListWidgetItem] = []
            self._groups.append((head, members))
            for ref in refs:
                text = safe_describe(exercise, ref)
                item = QListWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if ref in linked
                                   else Qt.CheckState.Unchecked)
                item.setData(RefRole, ref)
                item.setToolTip(plain_tooltip(text))
                self.list.addItem(item)
                self.items[ref] = item
                members.append(item)
        # Links to answers that are not in the list (emptied since) stay as they are.
        self._kept = [ref for ref in linked if ref not in self.items]
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Save links")
        ok.setAccessibleName("Save links")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        filter_caption = QLabel("&Find:", self)
        filter_caption.setTextFormat(Qt.TextFormat.PlainText)
        filter_caption.setBuddy(self.filter_edit)
        row = QHBoxLayout()
        row.addWidget(filter_caption)
        row.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note_label)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.filter_edit.installEventFilter(self)
        first = next(iter(self.items.values()), None)
        if first is not None:
            self.list.setCurrentItem(first)
        self.list.setFocus()

    def checked_refs(self) -> list[Ref]:
        ticked = [ref for ref, item in self.items.items()
                  if item.checkState() == Qt.CheckState.Checked]
        return ticked + self._kept

    def set_checked(self, ref: Ref, on: bool) -> None:
        self.items[ref].setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _on_filter_edit_text_changed(self, text: str) -> None:
        words = text.casefold().split()
        for head, members in self._groups:
            for item in members:
                item.setHidden(not all(w in item.text().casefold() for w in words))
            head.setHidden(all(item.isHidden() for item in members))
        current = self.list.currentItem()
        if current is None or current.isHidden():
            for ref_item in self.items.values():
                if not ref_item.isHidden():
                    self.list.setCurrentItem(ref_item)
                    break

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the filter goes to the list, so it works by keyboard alone."""
        if (watched is self.filter_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            self.list.setFocus()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if self._commit is not None and not self._commit(self.checked_refs()):
            return
        super().accept()


# ----------------------------------------------------------------------------- the page


class AlignmentPage(ExerciseView, QWidget):
    """Step 4: side by side, suggestions, and the connections and agreements the room records."""

    error_shown = Signal(str)
    """Every error shown to the user (also in a warning box unless turned off)."""
    error_title = "The notes were not changed"

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, bridge, undo_stack, parent)
        self.exercise: ValuesExercise | None = None
        self.suggestions: list[rules.Suggestion] = []
        self._highlight_from = "suggestion"
        self._rebuilding = False
        self._stale = False
        self.setAccessibleName("Step 4: alignment")
        self._build_ui()
        self._create_actions()
        self._apply_fonts()
        self.bridge.changed.connect(self._on_bridge_changed)
        self._refresh()

    # ----------------------------------------------------------------- building

    def _build_ui(self) -> None:
        self.side_title = self._heading("Side by side")
        self.side_by_side = SideBySide(self)

        self.suggestions_title = self._heading("Suggestions")
        self.suggestions_hint = _plain(
            "Connections and gaps the app found in the answers. Choose one to mark the answers "
            "it links; Enter records it as a note.", self, name="About the suggestions")
        self.suggestions_tree = WrappingTree(self)
        self.suggestions_tree.setAccessibleName("Suggestions: connections and gaps")
        self.suggestions_tree.setAccessibleDescription(
            "Each suggestion says whether it is a connection or a gap, with the answers it "
            "links under it. Enter records it as a note.")
        self.suggestions_empty = _plain("", self, name="No suggestions")

        self.notes_title = self._heading("Connections and agreements")
        self.notes_tree = WrappingTree(self)
        self.notes_tree.setAccessibleName("Connections and agreements")
        self.notes_tree.setAccessibleDescription(
            "The notes the room recorded, each with the answers it is linked to under it. "
            "Insert adds a note, Enter edits, Ctrl+L links answers, Delete deletes.")
        self.notes_empty = _plain(
            "No notes yet. Record the connections and agreements the room finds: choose a "
            "suggestion and press Record this, or add a note of your own.", self,
            name="No notes yet")

        self.status_label = _plain("", self, name="Alignment status")
        _muted(self.status_label)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.side_title)
        left_layout.addWidget(self.side_by_side, 1)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.suggestions_title)
        right_layout.addWidget(self.suggestions_hint)
        right_layout.addWidget(self.suggestions_tree, 1)
        right_layout.addWidget(self.suggestions_empty)
        self.suggestion_buttons = QWidget(self)
        self.suggestion_buttons_layout = QHBoxLayout(self.suggestion_buttons)
        self.suggestion_buttons_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.suggestion_buttons)

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.top_splitter.addWidget(left)
        self.top_splitter.addWidget(right)
        self.top_splitter.setStretchFactor(0, 3)
        self.top_splitter.setStretchFactor(1, 2)
        self.top_splitter.setChildrenCollapsible(False)
        self.top_splitter.setSizes([600, 400])

        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.notes_title)
        bottom_layout.addWidget(self.notes_tree, 1)
        bottom_layout.addWidget(self.notes_empty)
        self.note_buttons = QWidget(self)
        self.note_buttons_layout = QHBoxLayout(self.note_buttons)
        self.note_buttons_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.note_buttons)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.top_splitter)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([650, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status_label)

        self.suggestions_tree.itemSelectionChanged.connect(
            self._on_suggestions_tree_item_selection_changed)
        self.notes_tree.itemSelectionChanged.connect(self._on_notes_tree_item_selection_changed)
        self.notes_tree.itemDoubleClicked.connect(self._on_notes_tree_item_double_clicked)
        self.suggestions_tree.itemDoubleClicked.connect(
            self._on_suggestions_tree_item_double_clicked)
        self.suggestions_tree.installEventFilter(self)
        self.notes_tree.installEventFilter(self)
        self.setFocusProxy(self.suggestions_tree)

    def _heading(self, text: str) -> QLabel:
        label = _plain(text, self, name=text)
        label.setProperty("heading", True)
        return label

    def _create_actions(self) -> None:
        a = self._action
        self.record_action = a("Re&cord this…", ["Return", "Enter"],
                               "Record the chosen suggestion as a note linked to its answers",
                               self.record_suggestion, self.suggestions_tree)
        self.add_action = a("Add &note…", ["Ins"],
                            "Add a connection or agreement of your own", self.add_note)
        self.edit_action = a("Edi&t note…", ["Return", "Enter", "F2"],
                             "Edit the chosen note's text", self.edit_note, self.notes_tree)
        self.link_action = a("&Link answers…", ["Ctrl+L"],
                             "Choose the answers behind the chosen note", self.link_note,
                             self.notes_tree)
        self.delete_action = a("&Delete note", [QKeySequence.StandardKey.Delete, "Backspace"],
                               "Delete the chosen note", self.delete_note, self.notes_tree)
        self.edit_actions: list[QAction] = [self.record_action, self.add_action,
                                            self.edit_action, self.link_action,
                                            self.delete_action]
        self.record_button = self._button(self.record_action, self.suggestion_buttons_layout,
                                          "Record this suggestion as a note")
        self.suggestion_buttons_layout.addStretch(1)
        self.add_button = self._button(self.add_action, self.note_buttons_layout, "Add note")
        self.edit_button = self._button(self.edit_action, self.note_buttons_layout, "Edit note")
        self.link_button = self._button(self.link_action, self.note_buttons_layout,
                                        "Link answers to the note")
        self.delete_button = self._button(self.delete_action, self.note_buttons_layout,
                                          "Delete note")
        self.note_buttons_layout.addStretch(1)

    def _button(self, action: QAction, layout: QHBoxLayout, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAccessibleName(name)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(button)
        return button

    # ----------------------------------------------------------------- public interface

    def set_workshop(self, workshop_id: int | None) -> None:
        self._close_dialog()
        self._workshop_id = workshop_id
        self.suggestions_tree.clearSelection()
        self.notes_tree.clearSelection()
        self._refresh(keep_selection=False)

    def set_projector(self, on: bool) -> None:
        """Large type for the back of the room; the editing buttons step aside."""
        self._projector = bool(on)
        self.note_buttons.setVisible(not self._projector)
        self.suggestion_buttons.setVisible(not self._projector)
        self.suggestions_hint.setVisible(not self._projector)
        self._apply_fonts()
        self._refresh()

    def body_px(self) -> int:
        return PROJECTOR_PX if self._projector else BODY_PX

    def focus_view(self) -> None:
        self.suggestions_tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_suggestion(self) -> rules.Suggestion | None:
        selected = self.suggestions_tree.selectedItems()
        if not selected:
            return None
        index = selected[0].data(0, SuggestionRole)
        if index is None or not 0 <= index < len(self.suggestions):
            return None
        return self.suggestions[index]

    def select_suggestion(self, index: int) -> None:
        item = self.suggestions_tree.topLevelItem(index)
        if item is not None:
            self.suggestions_tree.setCurrentItem(item)

    def selected_note(self) -> AlignmentNote | None:
        selected = self.notes_tree.selectedItems()
        if not selected or self.exercise is None:
            return None
        note_id = selected[0].data(0, NoteIdRole)
        return next((n for n in self.exercise.notes if n.id == note_id), None)

    def select_note(self, note_id: int) -> None:
        for index in range(self.notes_tree.topLevelItemCount()):
            item = self.notes_tree.topLevelItem(index)
            if item is not None and item.data(0, NoteIdRole) == note_id:
                self.notes_tree.setCurrentItem(item)
                return

    # ----------------------------------------------------------------- refreshing

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        if change.kind in (ChangeKind.VALUES, ChangeKind.PARTICIPANTS,
                           ChangeKind.ORGANISATIONS):
            if self.isVisible():
                self._refresh()
            else:
                self._stale = True  # rebuilt when shown: typing in the grid stays quick

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh()

    def _refresh(self, *, keep_selection: bool = True) -> None:
        self._stale = False
        exercise: ValuesExercise | None = None
        if self._workshop_id is not None:
            try:
                exercise = self.store.values_exercise(self._workshop_id)
            except StoreError:
                exercise = None
        self.exercise = exercise
        heading_px = round(self.body_px() * HEADING_SCALE)
        self.side_by_side.set_exercise(exercise, heading_px)
        chosen = self.selected_suggestion() if keep_selection else None
        note = self.selected_note() if keep_selection else None
        self._rebuilding = True
        try:
            self._fill_suggestions(exercise, chosen)
            self._fill_notes(exercise, note.id if note is not None else None)
        finally:
            self._rebuilding = False
        self._update_highlight()
        self._update_actions()

    def _fill_suggestions(self, exercise: ValuesExercise | None,
                          chosen: rules.Suggestion | None) -> None:
        tree = self.suggestions_tree
        tree.clear()
        self.suggestions = list(rules.suggestions(exercise)) if exercise is not None else []
        px = self.body_px()
        restore: QTreeWidgetItem | None = None
        for index, suggestion in enumerate(self.suggestions):
            words = KIND_WORDS.get(suggestion.kind, suggestion.kind.capitalize())
            top = QTreeWidgetItem([suggestion_heading(suggestion)])
            top.setIcon(0, kind_icon(suggestion.kind))
            top.setFont(0, theme.board_font(px, bold=True))
            top.setData(0, SuggestionRole, index)
            lines = [safe_describe(exercise, ref) for ref in suggestion.refs]
            spoken = f"{words}: {suggestion.title}."
            if suggestion.detail:
                spoken += f" {suggestion.detail}."
            top.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                        f"{spoken} Links {len(lines)} answer{'s' if len(lines) != 1 else ''}.")
            top.setToolTip(0, plain_tooltip("\n".join(
                part for part in (KIND_TIPS.get(suggestion.kind, ""), suggestion.detail) if part)))
            for ref, line in zip(suggestion.refs, lines, strict=True):
                child = QTreeWidgetItem([line])
                child.setData(0, SuggestionRole, index)
                child.setData(0, RefRole, ref)
                child.setToolTip(0, plain_tooltip(line))
                top.addChild(child)
            tree.addTopLevelItem(top)
            top.setExpanded(True)
            if chosen is not None and (suggestion.kind, suggestion.title) == (chosen.kind,
                                                                             chosen.title):
                restore = top
        if restore is not None:
            tree.setCurrentItem(restore)
        if exercise is None:
            empty = "No workshop is open."
        else:
            empty = ("No suggestions yet. They appear as the organisations and people fill in "
                     "their values and the grid in steps 1 to 3.")
        self.suggestions_empty.setText(empty)
        self.suggestions_empty.setVisible(not self.suggestions)

    def _fill_notes(self, exercise: ValuesExercise | None, keep_id: int | None) -> None:
        tree = self.notes_tree
        tree.clear()
        px = self.body_px()
        notes = exercise.notes if exercise is not None else ()
        restore: QTreeWidgetItem | None = None
        for note in notes:
            top = QTreeWidgetItem([note.text])
            top.setData(0, NoteIdRole, note.id)
            top.setFont(0, theme.board_font(px))
            refs = note_refs(note)
            lines = [safe_describe(exercise, ref) for ref in refs]
            top.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                        f"Note: {note.text}. " + (f"Linked to {len(lines)} answer"
                                                  f"{'s' if len(lines) != 1 else ''}."
                                                  if lines else "Not linked to any answer."))
            top.setToolTip(0, plain_tooltip(note.text))
            for ref, line in zip(refs, lines, strict=True):
                child = QTreeWidgetItem([f"Linked: {line}"])
                child.setData(0, NoteIdRole, note.id)
                child.setData(0, RefRole, ref)
                child.setToolTip(0, plain_tooltip(line))
                top.addChild(child)
            if not refs:
                child = QTreeWidgetItem(["Not linked to any answer yet (Ctrl+L links)"])
                child.setData(0, NoteIdRole, note.id)
                child.setFont(0, theme.board_font(px, italic=True))
                top.addChild(child)
            tree.addTopLevelItem(top)
            top.setExpanded(True)
            if note.id == keep_id:
                restore = top
        if restore is not None:
            tree.setCurrentItem(restore)
        self.notes_empty.setVisible(exercise is not None and not notes)
        tree.setVisible(bool(notes))

    def _apply_fonts(self) -> None:
        px = self.body_px()
        self.setFont(theme.board_font(px))
        for label in (self.side_title, self.suggestions_title, self.notes_title):
            label.setFont(theme.board_font(round(px * HEADING_SCALE), bold=True))
        self.suggestions_tree.setIconSize(QSize(round(px * 1.5), round(px * 1.5)))

    # ----------------------------------------------------------------- highlight

    def _on_suggestions_tree_item_selection_changed(self) -> None:
        if self._rebuilding:
            return
        if self.suggestions_tree.selectedItems():
            self._highlight_from = "suggestion"
        self._update_highlight()
        self._update_actions()

    def _on_notes_tree_item_selection_changed(self) -> None:
        if self._rebuilding:
            return
        if self.notes_tree.selectedItems():
            self._highlight_from = "note"
        self._update_highlight()
        self._update_actions()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Coming back to a list marks its chosen item's answers again."""
        if event.type() == QEvent.Type.FocusIn:
            if watched is self.suggestions_tree and self.selected_suggestion() is not None:
                self._highlight_from = "suggestion"
                self._update_highlight()
            elif watched is self.notes_tree and self.selected_note() is not None:
                self._highlight_from = "note"
                self._update_highlight()
        return super().eventFilter(watched, event)

    def _update_highlight(self) -> None:
        refs: list[Ref] = []
        if self._highlight_from == "note":
            note = self.selected_note()
            if note is not None:
                refs = note_refs(note)
                self._announce(f"Marked {MARK} on the left: the {len(refs)} answer"
                               f"{'s' if len(refs) != 1 else ''} linked to this note.")
        else:
            suggestion = self.selected_suggestion()
            if suggestion is not None:
                refs = list(suggestion.refs)
                self._announce(f"Marked {MARK} on the left: the {len(refs)} answer"
                               f"{'s' if len(refs) != 1 else ''} behind “{suggestion.title}”.")
        if not refs:
            self._announce("")
        self.side_by_side.set_highlighted(refs)

    def highlighted_refs(self) -> set[Ref]:
        return self.side_by_side.highlighted_refs()

    def _announce(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        self.side_by_side.setAccessibleDescription(text or "Stated values and practice")

    def _update_actions(self) -> None:
        has_workshop = self.exercise is not None
        has_note = self.selected_note() is not None
        self.record_action.setEnabled(self.selected_suggestion() is not None)
        self.add_action.setEnabled(has_workshop)
        for action in (self.edit_action, self.link_action, self.delete_action):
            action.setEnabled(has_note)

    # ----------------------------------------------------------------- commands

    def _focus_after_dialog(self) -> None:
        target = self.notes_tree if self._highlight_from == "note" else self.suggestions_tree
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _note_ids(self) -> set[int]:
        return {n.id for n in self.exercise.notes} if self.exercise is not None else set()

    def _add(self, text: str, refs: Sequence[Ref]) -> bool:
        from workshopkit.ui.values_commands import AddNoteCommand

        if self._workshop_id is None:
            return False
        before = self._note_ids()
        value_ids = tuple(i for kind, i in refs if kind == "value")
        answer_ids = tuple(i for kind, i in refs if kind == "answer")
        if not self._push(AddNoteCommand(self.store, self._workshop_id, text, value_ids,
                                         answer_ids)):
            return False
        added = sorted(self._note_ids() - before)
        if added:
            self._highlight_from = "note"
            self.select_note(added[-1])
        return True

    def add_note(self) -> None:
        """Ask for a note of the room's own, not linked to anything yet."""
        if self._workshop_id is None:
            return
        self._open_dialog(NoteDialog("Add a connection or agreement",
                                     commit=lambda text: self._add(text, ()), parent=self))

    def record_suggestion(self) -> None:
        """Record the chosen suggestion: its title as the note's text, linked to its answers."""
        suggestion = self.selected_suggestion()
        if suggestion is None or self.exercise is None:
            return
        refs = list(suggestion.refs)
        lines = [safe_describe(self.exercise, ref) for ref in refs]
        self._open_dialog(NoteDialog(
            "Record this suggestion", suggestion.title, links=lines,
            commit=lambda text: self._add(text, refs), parent=self))

    def edit_note(self) -> None:
        note = self.selected_note()
        if note is None or self.exercise is None:
            return
        lines = [safe_describe(self.exercise, ref) for ref in note_refs(note)]
        self._open_dialog(NoteDialog(
            "Edit note", note.text, links=lines,
            commit=partial(self._edit, note), parent=self))

    def _edit(self, note: AlignmentNote, text: str) -> bool:
        from workshopkit.ui.values_commands import EditNoteCommand

        if text == note.text:
            return True
        return self._push(EditNoteCommand(self.store, note.id, note.text, text))

    def link_note(self) -> None:
        note = self.selected_note()
        if note is None or self.exercise is None:
            return
        self._open_dialog(LinkDialog(self.exercise, note,
                                     commit=partial(self.set_links, note.id),
                                     parent=self))

    def set_links(self, note_id: int, refs: Sequence[Ref]) -> bool:
        """Link a note to exactly these answers (one undo step)."""
        from workshopkit.ui.values_commands import SetNoteLinksCommand

        note = next((n for n in self.exercise.notes if n.id == note_id), None) \
            if self.exercise is not None else None
        if note is None:
            return False
        new = (tuple(dict.fromkeys(i for kind, i in refs if kind == "value")),
               tuple(dict.fromkeys(i for kind, i in refs if kind == "answer")))
        old = (note.value_ids, note.answer_ids)
        if (set(new[0]), set(new[1])) == (set(old[0]), set(old[1])):
            return True
        return self._push(SetNoteLinksCommand(self.store, note_id, old, new))

    def delete_note(self) -> None:
        from workshopkit.ui.values_commands import DeleteNotesCommand

        note = self.selected_note()
        if note is None:
            return
        selected = self.notes_tree.selectedItems()
        item = selected[0] if selected else None
        while item is not None and item.parent() is not None:
            item = item.parent()
        index = self.notes_tree.indexOfTopLevelItem(item) if item is not None else 0
        if self._push(DeleteNotesCommand(self.store, [note.id])):
            count = self.notes_tree.topLevelItemCount()
            nearest = self.notes_tree.topLevelItem(min(max(index, 0), count - 1)) if count \
                else None
            if nearest is not None:
                self.notes_tree.setCurrentItem(nearest)
            self._announce("Note deleted (Ctrl+Z brings it back).")

    def _on_notes_tree_item_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._run_action(self.edit_note)

    def _on_suggestions_tree_item_double_clicked(self, _item: QTreeWidgetItem,
                                                 _column: int) -> None:
        self._run_action(self.record_suggestion)
