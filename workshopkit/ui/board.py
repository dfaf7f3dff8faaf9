"""The expectations board (toolkit step 3): three columns of post-its for the projector.

Everything works by keyboard (see each action's tooltip) and by mouse: cards are dragged between
and within columns by a drag implemented here (press, move past the drag distance, release), not
``QDrag.exec``, so it never blocks in a nested event loop. Every edit is an undo command; the view
refreshes only the columns a store :class:`Change` names.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.expectations import PROMPTS
from workshopkit.model import (
    HEADING_MAX_CHARS,
    Change,
    ChangeKind,
    Colour,
    Column,
    PostIt,
    Source,
    Status,
    Workshop,
)
from workshopkit.store import NotFoundError, Store, StoreError
from workshopkit.ui import theme
from workshopkit.ui.board_image import render_board_image, save_png
from workshopkit.ui.board_model import PostItRole, PostItsModel, VotesRole, count_text
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.commands import (
    AddPostItCommand,
    DeleteGroupCommand,
    DeletePostItsCommand,
    EditPostItCommand,
    GroupPostItsCommand,
    MovePostItsCommand,
    RecolourPostItsCommand,
    RenameGroupCommand,
    RenameHeadingCommand,
    SetSharedCommand,
    UngroupCommand,
)
from workshopkit.ui.postit_delegate import CardPainter, PostItDelegate
from workshopkit.ui.postit_dialog import PostItDialog, PostItValues
from workshopkit.ui.view_base import ExerciseView

COLUMNS: tuple[Column, ...] = tuple(Column)
_EDGE_SCROLL = 40
HIGHLIGHT_MS = 4000
"""How long a post-it that just arrived from a phone stays highlighted (fading out)."""
_HIGHLIGHT_TICK_MS = 100


def _column_count_label(count: int) -> str:
    return count_text(count).capitalize()


# ----------------------------------------------------------------------------- drop targets


@dataclass(frozen=True, slots=True)
class DropTarget:
    """Where dropped (or keyboard-moved) post-its land, and where to draw the insertion line."""

    column: Column
    before_id: int | None
    group_id: int | None
    line_y: int | None = None
    header_group_id: int | None = None


@dataclass(slots=True)
class _DragState:
    view: BoardListView
    column: Column
    press_global: QPoint
    pressed_id: int
    active: bool = False
    ids: list[int] = field(default_factory=list)
    target: DropTarget | None = None


def _first_not_moving(order: Sequence[int], start: int, moving: set[int]) -> int | None:
    for postit_id in order[start:]:
        if postit_id not in moving:
            return postit_id
    return None


def place_before(model: PostItsModel, postit: PostIt, moving: set[int]) -> tuple[int | None,
                                                                                 int | None]:
    """(before_id, group_id) that puts ``moving`` just before ``postit`` in its group."""
    order = [p.id for p in model.postits()]
    start = order.index(postit.id) if postit.id in order else len(order)
    return _first_not_moving(order, start, moving), postit.group_id


def place_after(model: PostItsModel, postit: PostIt, moving: set[int]) -> tuple[int | None,
                                                                                int | None]:
    """(before_id, group_id) that puts ``moving`` just after ``postit`` in its group."""
    order = [p.id for p in model.postits()]
    start = order.index(postit.id) + 1 if postit.id in order else len(order)
    return _first_not_moving(order, start, moving), postit.group_id


# ----------------------------------------------------------------------------- widgets


class _SizeCachingDelegate(PostItDelegate):
    """Remembers each card's size: a busy room reloads whole columns many times a second, and
    Qt asks every card of a reloaded column for its size again."""

    _LIMIT = 20_000

    def __init__(self, parent: QObject | None = None, painter: CardPainter | None = None) -> None:
        super().__init__(parent, painter)
        self._sizes: dict[tuple[object, ...], QSize] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # Straight from the model, not through index.data(): each of those Qt calls gives up
        # the interpreter lock, which a busy phone server thread may then hold for a while.
        model = index.model()
        if isinstance(model, PostItsModel):
            postit = model.postit_at(index.row())
            votes = model.votes_of(postit.id) if postit is not None else None
        else:
            postit, votes = index.data(PostItRole), index.data(VotesRole)
        if postit is None:
            return super().sizeHint(option, index)
        key = (postit, self._row_width(option), self.font_px, votes)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > self._LIMIT:
                self._sizes.clear()
            size = self._sizes[key] = super().sizeHint(option, index)
        return QSize(size)


LAYOUT_BATCH = 40
"""Cards a column lays out per pass of the event loop (see ``BoardListView``)."""
SCROLL_TRIES = 500
"""Passes of the event loop a scroll to a card waits for the layout to reach it."""


class BoardListView(QListView):
    """One column's cards. Left/Right ask the board to focus the neighbouring column."""

    focus_step_requested = Signal(int)
    focused = Signal()

    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.drop_line_y: int | None = None
        self.cards: CardPainter | None = None
        self.font_px = 24
        self.placeholder = "No post-its yet. Press N to add one."
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Lay a reloaded column out a few dozen cards at a time, between other events: a busy
        # room reloads whole columns many times a second, and asking every card for its size
        # in one go kept the window from answering for too long.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(LAYOUT_BATCH)
        self._scroll_target: QPersistentModelIndex | None = None
        self._scroll_tries = 0
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)
        self.setSpacing(0)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(theme.COLUMN_BACKGROUND))
        self.setPalette(palette)
        self.viewport().setAutoFillBackground(True)

    def relayout(self) -> None:
        self.scheduleDelayedItemsLayout()

    def scroll_to_card(self, index: QModelIndex) -> None:
        """Scroll a card into view, once the batched layout has reached it (until then Qt
        does not know where it is, and would not scroll at all)."""
        self._scroll_target = QPersistentModelIndex(index)
        self._scroll_tries = SCROLL_TRIES
        self._scroll_when_laid_out()

    def _scroll_when_laid_out(self) -> None:
        target = self._scroll_target
        if target is None or not target.isValid():
            self._scroll_target = None
            return
        index = self.model().index(target.row(), 0)
        if self.visualRect(index).isValid():
            self._scroll_target = None
            self.scrollTo(index)
            return
        self._scroll_tries -= 1
        if self._scroll_tries > 0:
            QTimer.singleShot(0, self._scroll_when_laid_out)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # QListView re-lays out on a width change only when it wraps; cards wrap their text,
        # so their heights depend on the width and must be measured again.
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()

    def set_drop_line(self, y: int | None) -> None:
        if y != self.drop_line_y:
            self.drop_line_y = y
            self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and event.key() in (
            Qt.Key.Key_Left, Qt.Key.Key_Right
        ):
            self.focus_step_requested.emit(-1 if event.key() == Qt.Key.Key_Left else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.cards is None or (model is not None and model.rowCount() > 0
                                  and self.drop_line_y is None):
            return
        painter = QPainter(self.viewport())
        try:
            if model is None or model.rowCount() == 0:
                self.cards.paint_placeholder(painter, self.viewport().rect(), self.placeholder,
                                             self.font_px)
            if self.drop_line_y is not None:
                self.cards.paint_drop_line(painter, self.viewport().rect(), self.drop_line_y,
                                           self.font_px)
        finally:
            painter.end()


class ColumnHeading(QFrame):
    """A column's heading band: the heading (double-click or F2 to rename) and its count."""

    rename_requested = Signal(str)
    needed_height_changed = Signal()

    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self._heading = column.default_heading
        self._editing = False
        self._needed_height = 0
        fill, ink = theme.COLUMN_HEADER_COLOURS[column]
        self._ink = ink
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(fill))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ink))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip("Double-click, or press F2 or Enter, to rename this column")

        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setPalette(palette)
        self.editor = QLineEdit(self)
        self.editor.setMaxLength(HEADING_MAX_CHARS)
        self.editor.setAccessibleName("Column heading")
        self.editor.setAccessibleDescription("Enter saves, Escape cancels")
        self.editor.installEventFilter(self)
        self.editor.editingFinished.connect(self._on_editor_editing_finished)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.title)
        self.stack.addWidget(self.editor)
        self.stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.stack)
        layout.addStretch(1)
        layout.addWidget(self.count)
        self._update_accessible_name()

    @property
    def heading(self) -> str:
        return self._heading

    @property
    def editing(self) -> bool:
        return self._editing

    def set_heading(self, heading: str) -> None:
        self._heading = heading
        self.title.setText(heading)
        self._update_accessible_name()
        self._fit_stack()

    def set_count(self, count: int) -> None:
        self.count.setText(_column_count_label(count))

    def set_font_px(self, heading_px: int, count_px: int) -> None:
        self.title.setFont(theme.board_font(heading_px, bold=True))
        self.editor.setFont(theme.board_font(heading_px, bold=True))
        self.count.setFont(theme.board_font(count_px))
        self._fit_stack()

    def _fit_stack(self) -> None:
        """Size the heading for its wrapped text; the board then evens out the three bands."""
        margins = self.layout().contentsMargins()
        width = max(50, self.width() - margins.left() - margins.right())
        title_h = (self.title.heightForWidth(width) if self.title.hasHeightForWidth()
                   else self.title.sizeHint().height())
        height = max(title_h, self.editor.sizeHint().height())
        if self.stack.height() != height:
            self.stack.setFixedHeight(height)
        needed = (margins.top() + margins.bottom() + height + self.layout().spacing()
                  + self.count.sizeHint().height())
        if needed != self._needed_height:
            self._needed_height = needed
            self.needed_height_changed.emit()

    def needed_height(self) -> int:
        return self._needed_height

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_stack()

    def _update_accessible_name(self) -> None:
        self.setAccessibleName(f"Column heading: {self._heading}")
        self.setAccessibleDescription("Press F2 or Enter, or double-click, to rename")

    def start_editing(self) -> None:
        if self._editing:
            return
        self._editing = True
        self.editor.setText(self._heading)
        self.stack.setCurrentWidget(self.editor)
        self._fit_stack()
        self.editor.selectAll()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _finish(self, commit: bool) -> None:
        if not self._editing:
            return
        self._editing = False
        text = self.editor.text()
        had_focus = self.editor.hasFocus()
        self.stack.setCurrentWidget(self.title)
        self._fit_stack()
        if had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        if commit and text != self._heading:
            self.rename_requested.emit(text)

    def _on_editor_editing_finished(self) -> None:
        self._finish(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.ShortcutOverride and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            ):
                event.accept()  # typing keys (Return, Delete, letters) belong to the editor
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self._finish(False)
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return,
                                                                         Qt.Key.Key_Enter):
                self._finish(True)
                return True
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.accept()  # on the heading these keys rename it, not the selected post-it
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            not self._editing
        ):
            self.start_editing()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.start_editing()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            pen = QPen(QColor(self._ink), 3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(self.rect().adjusted(2, 2, -3, -3))
            painter.end()


class PromptsPanel(QFrame):
    """The discussion prompts beside the board; collapses to a narrow strip."""

    expanded_changed = Signal(bool)

    def __init__(self, prompts: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promptsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.PROMPTS_BACKGROUND))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.TEXT_COLOUR))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self._expanded = True
        self.expanded_width = 320

        self.toggle = QToolButton(self)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toggle.clicked.connect(self._on_toggle_clicked)
        self.title = QLabel("Discuss", self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.labels: list[QLabel] = []
        self.content = QWidget(self)
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(16)
        content_layout.addWidget(self.title)
        for prompt in prompts:
            label = QLabel(prompt, self.content)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setAccessibleName(f"Prompt: {prompt}")
            content_layout.addWidget(label)
            self.labels.append(label)
        content_layout.addStretch(1)
        header = QHBoxLayout()
        header.addStretch(1)
        header.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 14)
        layout.addLayout(header)
        layout.addWidget(self.content, 1)
        self._sync()

    @property
    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        if expanded != self._expanded:
            self._expanded = expanded
            self._sync()
            self.expanded_changed.emit(expanded)

    def set_font_px(self, px: int) -> None:
        for label in self.labels:
            label.setFont(theme.board_font(px))
        self.title.setFont(theme.board_font(px, bold=True, scale=1.1))
        self.toggle.setFont(theme.board_font(px, scale=0.75))
        self._sync()

    def _on_toggle_clicked(self) -> None:
        self.set_expanded(not self._expanded)

    def _sync(self) -> None:
        self.content.setVisible(self._expanded)
        if self._expanded:
            self.toggle.setText("Hide prompts ▸")
            self.toggle.setAccessibleName("Hide discussion prompts")
            self.setFixedWidth(self.expanded_width)
        else:
            self.toggle.setText("◂")
            self.toggle.setAccessibleName("Show discussion prompts")
            self.setFixedWidth(self.toggle.sizeHint().width() + 30)
        self.toggle.setToolTip(self.toggle.accessibleName())


class ColumnPanel(QFrame):
    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.heading = ColumnHeading(column, self)
        self.view = BoardListView(column, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)


# ----------------------------------------------------------------------------- the board


class BoardView(ExerciseView, QWidget):
    """The three-column expectations board of one workshop."""

    error_shown = Signal(str)
    """Every error shown to the user (also shown in a warning box unless turned off)."""

    error_title = "The board was not changed"
    """Set False to only emit ``error_shown`` (the box is non-blocking either way)."""

    def __init__(
        self,
        store: Store,
        bridge: StoreBridge,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(store, bridge, undo_stack, parent)
        self._workshop: Workshop | None = None
        self._zoom = 1.0
        self._current_column = Column.UNIVERSITIES
        self._drag: _DragState | None = None
        self._restoring = False

        self.setAccessibleName("Expectations board")
        self.cards = CardPainter()
        self.delegate = _SizeCachingDelegate(self, self.cards)
        self.models: dict[Column, PostItsModel] = {}
        self.views: dict[Column, BoardListView] = {}
        self.headings: dict[Column, ColumnHeading] = {}
        self.panels: dict[Column, ColumnPanel] = {}
        self._build_ui()
        self._create_actions()
        self._highlights: dict[int, float] = {}
        self.highlight_ms = HIGHLIGHT_MS
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setInterval(_HIGHLIGHT_TICK_MS)
        self._highlight_timer.timeout.connect(self._on_highlight_timer_timeout)
        self.delegate.highlight_of = self.highlight_strength
        self.bridge.changed.connect(self._on_bridge_changed)
        self._apply_font_size()
        self._refresh_all()

    # ----------------------------------------------------------------- building

    def _build_ui(self) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.BOARD_BACKGROUND))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        self.columns_area = QWidget(self)
        columns_layout = QHBoxLayout(self.columns_area)
        columns_layout.setContentsMargins(0, 0, 0, 0)
        columns_layout.setSpacing(14)
        for column in COLUMNS:
            panel = ColumnPanel(column, self.columns_area)
            model = PostItsModel(column, self)
            view = panel.view
            view.cards = self.cards
            view.setModel(model)
            view.setItemDelegate(self.delegate)
            view.viewport().installEventFilter(self)
            view.installEventFilter(self)
            view.focus_step_requested.connect(self._on_view_focus_step_requested)
            view.focused.connect(self._on_view_focused)
            view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
            view.doubleClicked.connect(self._on_view_double_clicked)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
            panel.heading.rename_requested.connect(self._on_heading_rename_requested)
            panel.heading.needed_height_changed.connect(self._on_heading_needed_height_changed)
            columns_layout.addWidget(panel, 1)
            self.models[column] = model
            self.views[column] = view
            self.headings[column] = panel.heading
            self.panels[column] = panel
        self.columns_area.installEventFilter(self)

        self.prompts = PromptsPanel(PROMPTS, self)
        self.prompts.expanded_changed.connect(self._on_prompts_expanded_changed)

        self.drag_label = QLabel(self)
        self.drag_label.setTextFormat(Qt.TextFormat.PlainText)
        self.drag_label.setStyleSheet(
            f"background: {theme.DROP_INDICATOR_COLOUR}; color: #FFFFFF; padding: 6px 10px;"
            "border-radius: 6px; font-weight: bold;"
        )
        self.drag_label.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(14)
        layout.addWidget(self.columns_area, 1)
        layout.addWidget(self.prompts)

        # Tab goes through the columns first, then the headings; the board's focus is a column.
        chain = [self.views[c] for c in COLUMNS] + [self.headings[c] for c in COLUMNS]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.views[COLUMNS[0]])

    def _create_actions(self) -> None:
        a = self._action
        self.add_action = a("&Add post-it…", ["N", "Ins"],
                            "Add a post-it to the current column", self._on_add_triggered)
        self.edit_action = a("&Edit post-it…", ["Return", "Enter", "F2"],
                             "Edit the selected post-it, or rename the selected group",
                             self._on_edit_triggered)
        self.delete_action = a("&Delete", [QKeySequence.StandardKey.Delete, "Backspace"],
                               "Delete the selected post-its (or the selected group, keeping "
                               "its post-its)", self._on_delete_triggered)
        self.cycle_colour_action = a("Next &colour", ["C"],
                                     "Give the selected post-its the next colour",
                                     self._on_cycle_colour_triggered)
        self.colour_menu = QMenu("Post-it c&olour", self)
        self.colour_actions: dict[Colour, QAction] = {}
        for colour in Colour:
            action = QAction(colour.label, self)
            action.setStatusTip(f"Make the selected post-its {colour.value}")
            action.triggered.connect(lambda _checked=False, c=colour: self.recolour(c))
            self.colour_menu.addAction(action)
            self.colour_actions[colour] = action
        self.colour_menu.menuAction().setStatusTip("Choose a colour for the selected post-its")
        self.shared_action = a("Mark/unmark &shared", ["S"],
                               "Mark the selected post-its as shared by the room, or unmark them",
                               self._on_shared_triggered)
        self.group_action = a("&Group selected…", ["G"],
                              "Gather the selected post-its of one column into a named group",
                              self._on_group_triggered)
        self.ungroup_action = a("&Ungroup", ["Shift+G"],
                                "Dissolve the groups of the selected post-its; the post-its stay",
                                self._on_ungroup_triggered)
        self.move_left_action = a("Move to column &left", ["Ctrl+Shift+Left"],
                                  "Move the selected post-its to the end of the column on the left",
                                  lambda: self._move_to_neighbour(-1))
        self.move_right_action = a("Move to column &right", ["Ctrl+Shift+Right"],
                                   "Move the selected post-its to the end of the column on the "
                                   "right", lambda: self._move_to_neighbour(1))
        self.move_up_action = a("Move &up", ["Ctrl+Shift+Up"],
                                "Move the selected post-its up one place (into the group above "
                                "at a group's edge)", lambda: self._move_within(-1))
        self.move_down_action = a("Move do&wn", ["Ctrl+Shift+Down"],
                                  "Move the selected post-its down one place (into the group "
                                  "below at a group's edge)", lambda: self._move_within(1))
        self.focus_previous_action = a("Previous column", ["Ctrl+Left"],
                                       "Go to the column on the left (Left also works in a "
                                       "column)", lambda: self.focus_column_step(-1))
        self.focus_next_action = a("Next column", ["Ctrl+Right"],
                                   "Go to the column on the right (Right also works in a column)",
                                   lambda: self.focus_column_step(1))
        self.rename_heading_action = a("Rename column &heading", ["Shift+F2"],
                                       "Rename the current column's heading (or double-click it, "
                                       "or press F2 on it)", self._on_rename_heading_triggered)
        self.context_menu = QMenu(self)
        for action in (self.edit_action, self.delete_action, None, self.shared_action,
                       self.cycle_colour_action, self.colour_menu.menuAction(), None,
                       self.group_action, self.ungroup_action, None, self.add_action):
            if action is None:
                self.context_menu.addSeparator()
            else:
                self.context_menu.addAction(action)
        self.edit_actions: list[QAction] = [
            self.add_action, self.edit_action, self.delete_action, self.cycle_colour_action,
            self.colour_menu.menuAction(), self.shared_action, self.group_action,
            self.ungroup_action, self.move_left_action, self.move_right_action,
            self.move_up_action, self.move_down_action, self.focus_previous_action,
            self.focus_next_action, self.rename_heading_action,
        ]

        self.zoom_in_action = a("Zoom &in", ["Ctrl+=", "Ctrl++"], "Make the board text bigger",
                                lambda: self.set_zoom(theme.next_zoom(self._zoom, 1)))
        self.zoom_out_action = a("Zoom &out", ["Ctrl+-"], "Make the board text smaller",
                                 lambda: self.set_zoom(theme.next_zoom(self._zoom, -1)))
        self.zoom_reset_action = a("&Reset zoom", ["Ctrl+0"],
                                   "Size the board text to the window again",
                                   lambda: self.set_zoom(1.0))
        self.prompts_action = a("Show discussion &prompts", ["Ctrl+Shift+P"],
                                "Show or hide the discussion prompts beside the board",
                                lambda: None)
        self.prompts_action.setCheckable(True)
        self.prompts_action.setChecked(True)
        self.prompts_action.toggled.connect(self.prompts.set_expanded)
        self.view_actions: list[QAction] = [
            self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action,
            self.prompts_action,
        ]

    # ----------------------------------------------------------------- public interface

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def font_px(self) -> int:
        return self.delegate.font_px

    @property
    def current_column(self) -> Column:
        return self._current_column

    def set_workshop(self, workshop_id: int | None) -> None:
        """Show this workshop's board (``None`` shows an empty board)."""
        self._cancel_drag()
        self._workshop_id = workshop_id
        self._workshop = None
        self._highlights.clear()
        self._highlight_timer.stop()
        for view in self.views.values():
            view.selectionModel().clear()
        self._refresh_all()

    def export_png(self, path: Path | str) -> Path:
        """Save the whole board (every card of every column) as a PNG; returns the path."""
        if self._workshop is None:
            raise StoreError("Open a workshop first: there is no board to save as a picture.")
        image = render_board_image(
            self._workshop.title,
            {c: self._workshop.heading(c) for c in COLUMNS},
            {c: self.models[c].rows() for c in COLUMNS},
            cards=CardPainter(),
        )
        return save_png(image, path)

    def set_zoom(self, zoom: float) -> None:
        self._zoom = max(theme.ZOOM_STEPS[0], min(theme.ZOOM_STEPS[-1], zoom))
        self._apply_font_size()

    def focus_column(self, column: Column) -> None:
        view = self.views[column]
        self._current_column = column
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not view.currentIndex().isValid() and view.model().rowCount() > 0:
            view.setCurrentIndex(view.model().index(0, 0))

    def focus_column_step(self, step: int) -> None:
        index = COLUMNS.index(self._current_column) + step
        if 0 <= index < len(COLUMNS):
            self.focus_column(COLUMNS[index])

    def selected_postit_ids(self, column: Column | None = None) -> list[int]:
        """Selected post-its of a column (default: the current one), in display order."""
        column = column or self._current_column
        rows = [index.row() for index in self.views[column].selectionModel().selectedRows()]
        return self.models[column].postit_ids_in_rows(rows)

    def selected_group_ids(self, column: Column | None = None) -> list[int]:
        column = column or self._current_column
        model = self.models[column]
        ids = []
        for index in sorted(self.views[column].selectionModel().selectedRows(),
                            key=lambda i: i.row()):
            group = model.group_at(index.row())
            if group is not None:
                ids.append(group.id)
        return ids

    def select_postits(self, ids: Iterable[int], *, scroll: bool = True,
                       focus: bool = False) -> None:
        """Select these post-its (all in one column), make the first current and show it."""
        wanted = list(ids)
        for column in COLUMNS:
            model = self.models[column]
            rows = [model.row_of_postit(i) for i in wanted if model.row_of_postit(i) >= 0]
            if not rows:
                continue
            view = self.views[column]
            self._current_column = column
            self._select_rows(view, rows, current_row=rows[0])
            if scroll:
                view.scroll_to_card(model.index(rows[0], 0))
            if focus:
                view.setFocus(Qt.FocusReason.OtherFocusReason)
            for other in COLUMNS:
                if other != column:
                    self.views[other].selectionModel().clearSelection()
            break
        self._update_actions()

    # ----------------------------------------------------------------- refreshing

    def highlight_strength(self, postit_id: int) -> float:
        """1.0 for a post-it that has just arrived from a phone, fading to 0 over a few seconds."""
        started = self._highlights.get(postit_id)
        if started is None:
            return 0.0
        elapsed = (time.monotonic() - started) * 1000
        return max(0.0, 1.0 - elapsed / max(1, self.highlight_ms))

    def is_highlighted(self, postit_id: int) -> bool:
        return self.highlight_strength(postit_id) > 0

    def vote_count(self, postit_id: int) -> int | None:
        """The tally shown on a post-it's card, or ``None`` while tallies are hidden."""
        for model in self.models.values():
            if model.row_of_postit(postit_id) >= 0:
                return model.votes_of(postit_id)
        return None

    def _highlight(self, ids: Iterable[int]) -> None:
        now = time.monotonic()
        for postit_id in ids:
            self._highlights[postit_id] = now
        if self._highlights and not self._highlight_timer.isActive():
            self._highlight_timer.start()

    def _on_highlight_timer_timeout(self) -> None:
        faded = [i for i in self._highlights if not self.is_highlighted(i)]
        # repaint only the columns with a glowing card (or one that just faded)
        glowing = [*self._highlights]
        for postit_id in faded:
            del self._highlights[postit_id]
        for column, model in self.models.items():
            if any(model.row_of_postit(i) >= 0 for i in glowing):
                self.views[column].viewport().update()
        if not self._highlights:
            self._highlight_timer.stop()

    def _visible_ids(self) -> set[int]:
        return {p.id for model in self.models.values() for p in model.postits()}

    def _refresh_tallies(self) -> None:
        """Show dot-vote tallies on the cards while the facilitator has them shown."""
        tallies: dict[int, int] | None = None
        if self._workshop_id is not None:
            try:
                if self.store.join_settings(self._workshop_id).tallies_shown:
                    tallies = self.store.vote_tallies(self._workshop_id)
            except StoreError as error:
                self._show_error(str(error))
                return
        for column in COLUMNS:
            if self.models[column].set_tallies(tallies):
                self.views[column].relayout()

    def _refresh_all(self) -> None:
        self._refresh_headings()
        for column in COLUMNS:
            self._reload_column(column)
        self._refresh_tallies()
        self._update_actions()

    def _refresh_headings(self) -> None:
        workshop: Workshop | None = None
        if self._workshop_id is not None:
            try:
                workshop = self.store.get_workshop(self._workshop_id)
            except NotFoundError:
                self._workshop_id = None
            except StoreError as error:
                self._show_error(str(error))
                return
        self._workshop = workshop
        for column in COLUMNS:
            heading = workshop.heading(column) if workshop else column.default_heading
            self.headings[column].set_heading(heading)
            self._update_count(column)

    def _reload_column(self, column: Column) -> None:
        model = self.models[column]
        view = self.views[column]
        selected_ids = set(self.selected_postit_ids(column))
        selected_groups = set(self.selected_group_ids(column))
        current = view.currentIndex()
        current_row = current.row() if current.isValid() else -1
        current_postit = model.postit_at(current_row)
        current_group = model.group_at(current_row)
        postits: list[PostIt] = []
        groups = []
        if self._workshop_id is not None:
            try:
                postits = [p for p in self.store.list_postits(self._workshop_id, column)
                           if p.status == Status.VISIBLE]
                groups = self.store.list_groups(self._workshop_id, column)
            except StoreError as error:
                self._show_error(str(error))
                return
        self._restoring = True
        try:
            model.reload(postits, groups)
            rows = [model.row_of_postit(i) for i in selected_ids]
            rows += [model.row_of_group(i) for i in selected_groups]
            rows = [r for r in rows if r >= 0]
            new_current = -1
            if current_postit is not None:
                new_current = model.row_of_postit(current_postit.id)
            elif current_group is not None:
                new_current = model.row_of_group(current_group.id)
            if new_current < 0 and current_row >= 0 and model.rowCount() > 0:
                new_current = min(current_row, model.rowCount() - 1)
            self._select_rows(view, rows, current_row=new_current)
        finally:
            self._restoring = False
        self._update_count(column)

    def _select_rows(self, view: BoardListView, rows: Sequence[int], current_row: int) -> None:
        model = view.model()
        if rows or view.selectionModel().hasSelection():  # clearing nothing costs a lot per reload
            selection = QItemSelection()
            for row in sorted(set(rows)):
                index = model.index(row, 0)
                selection.select(index, index)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            view.selectionModel().select(selection, flags)
        if 0 <= current_row < model.rowCount():
            view.selectionModel().setCurrentIndex(
                model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _update_count(self, column: Column) -> None:
        count = self.models[column].postit_count()
        heading = self.headings[column]
        heading.set_count(count)
        self.views[column].setAccessibleName(f"{heading.heading}, {count_text(count)}")
        self.views[column].setAccessibleDescription(
            "Post-its in this column. N adds, Enter edits, Delete deletes, Left and Right go to "
            "the neighbouring column."
        )

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        if change.kind == ChangeKind.WORKSHOPS:
            self._refresh_headings()
            if self._workshop_id is None:
                self._refresh_all()
        elif change.kind in (ChangeKind.POSTITS, ChangeKind.GROUPS):
            before = self._visible_ids()
            columns = change.columns or frozenset(COLUMNS)
            for column in COLUMNS:
                if column in columns:
                    self._reload_column(column)
            if change.kind == ChangeKind.POSTITS:
                arrived = [p.id for column in columns for p in self.models[column].postits()
                           if p.id not in before and p.source == Source.PHONE]
                self._highlight(arrived)
            self._update_actions()
        elif change.kind in (ChangeKind.JOINING, ChangeKind.VOTES):
            self._refresh_tallies()

    # ----------------------------------------------------------------- sizes

    def _apply_font_size(self) -> None:
        column_width = max(120, self.columns_area.width() // len(COLUMNS))
        px = theme.card_font_px(column_width, self._zoom)
        changed = self.delegate.set_font_px(px)
        heading_px = theme.heading_font_px(px)
        for column in COLUMNS:
            self.headings[column].set_font_px(heading_px, max(12, round(px * 0.75)))
            self.views[column].font_px = px
        self.prompts.set_font_px(max(14, round(px * 0.85)))
        if changed:
            for view in self.views.values():
                view.relayout()

    def _on_heading_needed_height_changed(self) -> None:
        height = max(h.needed_height() for h in self.headings.values())
        for heading in self.headings.values():
            if heading.height() != height or heading.minimumHeight() != height:
                heading.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.prompts.expanded_width = max(240, min(440, round(self.width() * 0.2)))
        if self.prompts.expanded:
            self.prompts.setFixedWidth(self.prompts.expanded_width)
        super().resizeEvent(event)

    # ----------------------------------------------------------------- selection and focus

    def _column_of_view(self, view: QObject | None) -> Column | None:
        for column, candidate in self.views.items():
            if candidate is view:
                return column
        return None

    def _on_view_focused(self) -> None:
        column = self._column_of_view(self.sender())
        if column is None:
            return
        self._current_column = column
        for other in COLUMNS:
            if other != column:
                self.views[other].selectionModel().clearSelection()
        self._update_actions()

    def _on_view_selection_changed(self, *_args: object) -> None:
        if self._restoring:
            return
        model = self.sender()
        for column, view in self.views.items():
            if view.selectionModel() is model and model.hasSelection():
                self._current_column = column
                for other in COLUMNS:
                    if other != column:
                        self.views[other].selectionModel().clearSelection()
                break
        self._update_actions()

    def _on_view_focus_step_requested(self, step: int) -> None:
        column = self._column_of_view(self.sender())
        if column is not None:
            self._current_column = column
        self.focus_column_step(step)

    def _update_actions(self) -> None:
        has_workshop = self._workshop_id is not None
        postits = self.selected_postit_ids() if has_workshop else []
        groups = self.selected_group_ids() if has_workshop else []
        model = self.models[self._current_column]
        grouped = any((p := model.postit_at(model.row_of_postit(i))) is not None
                      and p.group_id is not None for i in postits)
        index = COLUMNS.index(self._current_column)
        self.add_action.setEnabled(has_workshop)
        self.edit_action.setEnabled(bool(postits or groups))
        self.delete_action.setEnabled(bool(postits or groups))
        for action in (self.cycle_colour_action, self.shared_action, self.group_action,
                       self.move_up_action, self.move_down_action):
            action.setEnabled(bool(postits))
        self.colour_menu.menuAction().setEnabled(bool(postits))
        self.ungroup_action.setEnabled(bool(groups) or grouped)
        self.move_left_action.setEnabled(bool(postits) and index > 0)
        self.move_right_action.setEnabled(bool(postits) and index < len(COLUMNS) - 1)
        self.rename_heading_action.setEnabled(has_workshop)
        for column in COLUMNS:
            self.headings[column].setEnabled(has_workshop)

    # ----------------------------------------------------------------- commands

    def _focus_after_dialog(self) -> None:
        view = self.views[self._current_column]
        if not any(h.editing for h in self.headings.values()):
            view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _headings(self) -> dict[Column, str]:
        if self._workshop is None:
            return {c: c.default_heading for c in COLUMNS}
        return {c: self._workshop.heading(c) for c in COLUMNS}

    # -- add / edit

    def _on_add_triggered(self) -> None:
        if self._workshop_id is None:
            return
        column = self._current_column
        existing = self.models[column].postits()
        colour = existing[-1].colour if existing else Colour.YELLOW
        dialog = PostItDialog(self._headings(), column=column, colour=colour,
                              commit=self._commit_add, parent=self)
        self._open_dialog(dialog)

    def _commit_add(self, values: PostItValues) -> bool:
        if self._workshop_id is None:
            return False
        command = AddPostItCommand(self.store, self._workshop_id, values.column, values.text,
                                   colour=values.colour)
        if not self._push(command):
            return False
        if command.postit is not None:
            self.select_postits([command.postit.id], focus=True)
        return True

    def _current_row_item(self) -> tuple[Column, int]:
        column = self._current_column
        view = self.views[column]
        current = view.currentIndex()
        selected = sorted(i.row() for i in view.selectionModel().selectedRows())
        if current.isValid() and current.row() in selected:
            return column, current.row()
        return column, selected[0] if selected else -1

    def _on_edit_triggered(self) -> None:
        column, row = self._current_row_item()
        model = self.models[column]
        postit = model.postit_at(row)
        if postit is not None:
            dialog = PostItDialog(self._headings(), column=postit.column, text=postit.text,
                                  colour=postit.colour, editing=True,
                                  commit=lambda values, p=postit: self._commit_edit(p, values),
                                  parent=self)
            self._open_dialog(dialog)
            return
        group = model.group_at(row)
        if group is not None:
            self._ask_text("Rename group", "New name for the group:", group.name,
                           lambda name, g=group.id: self._rename_group(g, name))

    def _commit_edit(self, postit: PostIt, values: PostItValues) -> bool:
        text = values.text if values.text != postit.text else None
        colour = values.colour if values.colour != postit.colour else None
        column = values.column if values.column != postit.column else None
        if text is None and colour is None and column is None:
            return True
        command = EditPostItCommand(self.store, postit.id, text, colour=colour, column=column)
        if not self._push(command):
            return False
        self.select_postits([postit.id], focus=True)
        return True

    def _rename_group(self, group_id: int, name: str) -> None:
        self._push(RenameGroupCommand(self.store, group_id, name))

    # -- delete, colour, shared

    def _on_delete_triggered(self) -> None:
        column = self._current_column
        postits = self.selected_postit_ids(column)
        groups = self.selected_group_ids(column)
        view = self.views[column]
        rows = sorted(i.row() for i in view.selectionModel().selectedRows())
        if postits:
            ok = self._push(DeletePostItsCommand(self.store, postits))
        elif groups:
            ok = self._push(DeleteGroupCommand(self.store, groups))
        else:
            return
        if ok and rows and self.models[column].rowCount() > 0:
            row = min(rows[0], self.models[column].rowCount() - 1)
            self._select_rows(view, [row], current_row=row)
            view.scroll_to_card(self.models[column].index(row, 0))

    def recolour(self, colour: Colour) -> None:
        ids = self.selected_postit_ids()
        if ids:
            self._push(RecolourPostItsCommand(self.store, ids, colour))

    def _on_cycle_colour_triggered(self) -> None:
        ids = self.selected_postit_ids()
        if not ids:
            return
        model = self.models[self._current_column]
        first = model.postit_at(model.row_of_postit(ids[0]))
        colours = list(Colour)
        current = first.colour if first is not None else Colour.YELLOW
        self.recolour(colours[(colours.index(current) + 1) % len(colours)])

    def _on_shared_triggered(self) -> None:
        ids = self.selected_postit_ids()
        if not ids:
            return
        model = self.models[self._current_column]
        postits = [model.postit_at(model.row_of_postit(i)) for i in ids]
        shared = not all(p is not None and p.shared for p in postits)
        self._push(SetSharedCommand(self.store, ids, shared))

    # -- groups

    def _on_group_triggered(self) -> None:
        if self._workshop_id is None:
            return
        column = self._current_column
        ids = self.selected_postit_ids(column)
        if not ids:
            return
        label = f"Name for the group of {count_text(len(ids))}:"
        self._ask_text("Group post-its", label, "",
                       lambda name, c=column, i=tuple(ids): self._group(c, list(i), name))

    def _group(self, column: Column, ids: list[int], name: str) -> None:
        if self._workshop_id is None:
            return
        if self._push(GroupPostItsCommand(self.store, self._workshop_id, column, name, ids)):
            self.select_postits(ids, focus=True)

    def _on_ungroup_triggered(self) -> None:
        column = self._current_column
        model = self.models[column]
        groups = self.selected_group_ids(column)
        for postit_id in self.selected_postit_ids(column):
            postit = model.postit_at(model.row_of_postit(postit_id))
            if postit is not None and postit.group_id is not None:
                groups.append(postit.group_id)
        if groups:
            ids = self.selected_postit_ids(column)
            if self._push(UngroupCommand(self.store, groups)) and ids:
                self.select_postits(ids)

    # -- headings

    def _on_rename_heading_triggered(self) -> None:
        if self._workshop_id is not None:
            self.headings[self._current_column].start_editing()

    def _on_heading_rename_requested(self, text: str) -> None:
        heading = self.sender()
        if self._workshop_id is None or not isinstance(heading, ColumnHeading):
            return
        if not self._push(RenameHeadingCommand(self.store, self._workshop_id, heading.column,
                                               text)):
            heading.set_heading(heading.heading)

    # -- moves

    def move_postits(self, ids: Sequence[int], target: DropTarget) -> bool:
        """One undoable move of ``ids`` to ``target``; False if nothing moved."""
        if self._workshop_id is None or not ids:
            return False
        if self._is_no_op(ids, target):
            return False
        command = MovePostItsCommand(self.store, self._workshop_id, ids, target.column,
                                     before_id=target.before_id, group_id=target.group_id)
        if not self._push(command):
            return False
        self.select_postits(ids, focus=True)
        return True

    def _is_no_op(self, ids: Sequence[int], target: DropTarget) -> bool:
        model = self.models[target.column]
        order = [p.id for p in model.postits()]
        moving = set(ids)
        if not moving.issubset(order):
            return False
        if any(p.group_id != target.group_id for p in model.postits() if p.id in moving):
            return False
        new = [i for i in order if i not in moving]
        at = new.index(target.before_id) if target.before_id in new else len(new)
        new[at:at] = list(ids)
        return new == order

    def _move_to_neighbour(self, step: int) -> None:
        index = COLUMNS.index(self._current_column) + step
        ids = self.selected_postit_ids()
        if ids and 0 <= index < len(COLUMNS):
            self.move_postits(ids, DropTarget(COLUMNS[index], None, None))

    def _move_within(self, step: int) -> None:
        column = self._current_column
        model = self.models[column]
        ids = self.selected_postit_ids(column)
        if not ids:
            return
        moving = set(ids)
        rows = model.rows()
        selected_rows = [model.row_of_postit(i) for i in ids]

        def is_moving(r: int) -> bool:
            p = rows[r].postit
            return p is not None and p.id in moving

        placement: tuple[int | None, int | None]
        if step < 0:
            r = min(selected_rows) - 1
            while r >= 0 and is_moving(r):
                r -= 1
            if r < 0:
                return
            above = rows[r]
            if above.postit is not None:
                placement = place_before(model, above.postit, moving)
            else:
                r -= 1
                while r >= 0 and is_moving(r):
                    r -= 1
                if r < 0:
                    placement = (None, None)
                elif rows[r].postit is not None:
                    placement = place_after(model, rows[r].postit, moving)  # type: ignore[arg-type]
                else:
                    placement = (None, rows[r].group.id)  # type: ignore[union-attr]
        else:
            r = max(selected_rows) + 1
            while r < len(rows) and is_moving(r):
                r += 1
            if r >= len(rows):
                return
            below = rows[r]
            if below.postit is not None:
                placement = place_after(model, below.postit, moving)
            else:
                assert below.group is not None
                members = [p for p in model.group_members(below.group.id) if p.id not in moving]
                if members:
                    placement = place_before(model, members[0], moving)
                else:
                    placement = (None, below.group.id)
        before_id, group_id = placement
        self.move_postits(ids, DropTarget(column, before_id, group_id))

    # ----------------------------------------------------------------- mouse drag and drop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.columns_area and kind == QEvent.Type.Resize:
            self._apply_font_size()
            return False
        if (kind == QEvent.Type.KeyPress and self._drag is not None and self._drag.active
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape):
            self._cancel_drag()
            return True
        if not isinstance(event, QMouseEvent):
            return False
        view = next((v for v in self.views.values() if v.viewport() is watched), None)
        if view is None:
            return False
        if kind == QEvent.Type.MouseButtonPress:
            return self._on_viewport_pressed(view, event)
        if kind == QEvent.Type.MouseMove:
            return self._on_viewport_moved(event)
        if kind == QEvent.Type.MouseButtonRelease:
            return self._on_viewport_released(event)
        return False

    def _on_viewport_pressed(self, view: BoardListView, event: QMouseEvent) -> bool:
        self._cancel_drag()
        if event.button() != Qt.MouseButton.LeftButton or event.modifiers() & (
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
        ):
            return False
        index = view.indexAt(event.position().toPoint())
        model = self.models[view.column]
        postit = model.postit_at(index.row()) if index.isValid() else None
        if postit is not None:
            self._drag = _DragState(view, view.column, event.globalPosition().toPoint(),
                                    postit.id)
        return False

    def _on_viewport_moved(self, event: QMouseEvent) -> bool:
        drag = self._drag
        if drag is None:
            return False
        global_pos = event.globalPosition().toPoint()
        if not drag.active:
            distance = (global_pos - drag.press_global).manhattanLength()
            if distance < QApplication.startDragDistance():
                return True
            self._start_drag(drag)
        self._autoscroll(global_pos)
        self._update_drop_target(drag, global_pos)
        return True

    def _on_viewport_released(self, event: QMouseEvent) -> bool:
        drag = self._drag
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        if not drag.active:
            self._drag = None
            return False
        self._update_drop_target(drag, event.globalPosition().toPoint())
        target = drag.target
        ids = list(drag.ids)
        self._cancel_drag()
        if target is not None:
            self.move_postits(ids, target)
        return True

    def _start_drag(self, drag: _DragState) -> None:
        selected = self.selected_postit_ids(drag.column)
        drag.ids = selected if drag.pressed_id in selected else [drag.pressed_id]
        drag.active = True
        self.delegate.dragging_ids = frozenset(drag.ids)
        drag.view.viewport().update()
        self.drag_label.setText(f"Moving {count_text(len(drag.ids))}")
        self.drag_label.adjustSize()
        self.drag_label.show()
        self.drag_label.raise_()
        QApplication.setOverrideCursor(Qt.CursorShape.ClosedHandCursor)

    def _cancel_drag(self) -> None:
        drag = self._drag
        self._drag = None
        if drag is None or not drag.active:
            return
        QApplication.restoreOverrideCursor()
        self.delegate.dragging_ids = frozenset()
        self.delegate.drop_group_id = None
        self.drag_label.hide()
        for view in self.views.values():
            view.set_drop_line(None)
            view.viewport().update()

    def _autoscroll(self, global_pos: QPoint) -> None:
        for view in self.views.values():
            local = view.viewport().mapFromGlobal(global_pos)
            rect = view.viewport().rect()
            if not rect.adjusted(0, -_EDGE_SCROLL, 0, _EDGE_SCROLL).contains(local):
                continue
            bar = view.verticalScrollBar()
            if local.y() < _EDGE_SCROLL:
                bar.setValue(bar.value() - max(8, _EDGE_SCROLL - local.y()))
            elif local.y() > rect.height() - _EDGE_SCROLL:
                bar.setValue(bar.value() + max(8, local.y() - rect.height() + _EDGE_SCROLL))

    def _update_drop_target(self, drag: _DragState, global_pos: QPoint) -> None:
        target = self.drop_target_at(global_pos, drag.ids)
        drag.target = target
        for column, view in self.views.items():
            line = target.line_y if target is not None and target.column == column else None
            view.set_drop_line(line)
        group_id = target.header_group_id if target is not None else None
        if group_id != self.delegate.drop_group_id:
            self.delegate.drop_group_id = group_id
            for view in self.views.values():
                view.viewport().update()
        label_pos = self.mapFromGlobal(global_pos) + QPoint(18, 18)
        self.drag_label.move(label_pos)

    def drop_target_at(self, global_pos: QPoint, ids: Sequence[int]) -> DropTarget | None:
        """Where post-its dropped at ``global_pos`` would go (``None``: outside the columns)."""
        moving = set(ids)
        for column, panel in self.panels.items():
            if not QRect(QPoint(0, 0), panel.size()).contains(panel.mapFromGlobal(global_pos)):
                continue
            view = self.views[column]
            model = self.models[column]
            local = view.viewport().mapFromGlobal(global_pos)
            if local.y() < 0:
                return self._end_target(column, view, model, moving)
            index = view.indexAt(local)
            if not index.isValid():
                return self._end_target(column, view, model, moving)
            rect = view.visualRect(index)
            row = model.row_at(index.row())
            assert row is not None
            if row.group is not None:
                members = model.group_members(row.group.id)
                last_row = max([model.row_of_postit(p.id) for p in members] + [index.row()])
                line = view.visualRect(model.index(last_row, 0)).bottom() + 1
                return DropTarget(column, None, row.group.id, line, row.group.id)
            postit = row.postit
            assert postit is not None
            if local.y() <= rect.center().y():
                before_id, group_id = place_before(model, postit, moving)
                return DropTarget(column, before_id, group_id, rect.top())
            before_id, group_id = place_after(model, postit, moving)
            return DropTarget(column, before_id, group_id, rect.bottom() + 1)
        return None

    def _end_target(self, column: Column, view: BoardListView, model: PostItsModel,
                    moving: set[int]) -> DropTarget:
        """Below the last card: last of the ungrouped post-its (which are shown first)."""
        ungrouped_rows = [r for r, row in enumerate(model.rows())
                          if row.postit is not None and row.postit.group_id is None
                          and row.postit.id not in moving]
        if ungrouped_rows:
            line = view.visualRect(model.index(ungrouped_rows[-1], 0)).bottom() + 1
        elif model.rowCount() > 0:
            line = view.visualRect(model.index(0, 0)).top() + 2
        else:
            line = 4
        return DropTarget(column, None, None, line)

    # ----------------------------------------------------------------- misc

    def _on_view_double_clicked(self, index: object) -> None:
        column = self._column_of_view(self.sender())
        if column is not None:
            self._current_column = column
            self._run_action(self._on_edit_triggered)

    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        view = self.sender()
        column = self._column_of_view(view)
        if column is None or self._workshop_id is None:
            return
        self._current_column = column
        self._update_actions()
        self.context_menu.popup(self.views[column].viewport().mapToGlobal(pos))

    def _on_prompts_expanded_changed(self, expanded: bool) -> None:
        self.prompts_action.setChecked(expanded)
