"""Exercise 2, "What and who do you value?": the values alignment step in four pages.

1. Stated values: a card per organisation with chips for what it values and whom it serves.
2–3. The grid of budget, time and priorities, for each organisation and each person
   (:mod:`workshopkit.ui.values_grid`); people may fill in their own row from their phones.
4. Alignment and 5. Decide come from :mod:`workshopkit.ui.alignment_page` and
   :mod:`workshopkit.ui.decisions_page`.

Ctrl+PgUp/PgDn or Alt+1..4 switch pages; Ctrl+Shift+P turns on projector type (at least 24 px,
editing chrome hidden). Every edit is an undo command; the pages follow the store's changes, so
a phone's answers appear without a click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCompleter,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.values import GUIDANCE, VALUE_PRESETS
from workshopkit.model import (
    VALUE_MAX_CHARS,
    Change,
    ChangeKind,
    Organisation,
    Practice,
    StatedValue,
    ValueKind,
    ValuesExercise,
)
from workshopkit.store import NotFoundError, Store, StoreError
from workshopkit.ui import theme
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.commands import StoreCommand
from workshopkit.ui.guidance_panel import plain_label, plain_tooltip
from workshopkit.ui.values_commands import (
    AddParticipantCommand,
    AddStatedValueCommand,
    DeleteStatedValuesCommand,
    EditStatedValueCommand,
    SetAnswerCommand,
)
from workshopkit.ui.values_grid import AddPersonDialog, GridRow, ValuesGrid
from workshopkit.ui.view_base import ExerciseView

PAGE_TITLES = ("1. Stated values", "2–3. Budget, time and priorities", "4. Alignment",
               "5. Decide")
BODY_PX = 16
HEADING_PX = 20
NAME_PX = 24
TAB_PX = 20
GRID_PX = 16
PROJECTOR_BODY_PX = 26
"""Body text in projector mode: at least 24 px, legible from the back of a room."""
PROJECTOR_HEADING_PX = 30
PROJECTOR_NAME_PX = 38
PROJECTOR_TAB_PX = 28
PROJECTOR_GRID_PX = 24
"""Grid cells in projector mode (at least 22 px)."""

CHIP_FILL = "#FFFFFF"
CHIP_BORDER = "#3D4450"
CHIP_SELECTED_FILL = theme.SELECTION_COLOUR
CHIP_SELECTED_TEXT = "#FFFFFF"
CARD_FILL = "#F4F5F7"
MUTED = theme.MUTED_TEXT

KIND_CAPTIONS = {ValueKind.VALUE: "What we value", ValueKind.SERVES: "Who we serve"}
KIND_PLACEHOLDERS = {ValueKind.VALUE: "Type a value and press Enter",
                     ValueKind.SERVES: "Type who you serve and press Enter"}
EMPTY_CHIPS = {ValueKind.VALUE: "No values yet", ValueKind.SERVES: "Nobody yet"}
STEP1_INTRO = (
    "For each organisation, note what it says it values and who it exists to serve. Type and "
    "press Enter to add a chip (or pick from the toolkit's lists); Delete removes the chosen "
    "chip, F2 or a double-click edits it."
)
GRID_INTRO = (
    "For each organisation and each person: what most of the budget goes on, what most time "
    "goes on and what comes first. Type in a cell (Enter keeps it, Shift+Enter starts a new "
    "line). People can fill in their own row from their phones when joining is open."
)
NO_ORGANISATIONS = (
    "This workshop has no organisations yet. Add the partner organisations to note what each "
    "one values."
)
NO_WORKSHOP = "Open a workshop to work on its values."
ValueIdRole = int(Qt.ItemDataRole.UserRole) + 1
"""A chip's stated value id."""


_plain = partial(plain_label, selectable=False, top=True, height=QSizePolicy.Policy.Maximum)
"""A caption of the page: plain text at the top left, never taller than its text."""


def _page_fonts(*, projector: bool) -> tuple[QFont, QFont, QFont]:
    """Body, heading and organisation-name fonts of the stated values page."""
    if projector:
        body, heading, name = PROJECTOR_BODY_PX, PROJECTOR_HEADING_PX, PROJECTOR_NAME_PX
    else:
        body, heading, name = BODY_PX, HEADING_PX, NAME_PX
    return (theme.board_font(body), theme.board_font(heading, bold=True),
            theme.board_font(name, bold=True))


def preset_values() -> list[str]:
    """Every value of the toolkit's lists, once each, in list order."""
    return list(dict.fromkeys(v for group in VALUE_PRESETS for v in group.values))


# ----------------------------------------------------------------------------- chips


class ChipDelegate(QStyledItemDelegate):
    """Edits a chip in a one-line box; the edit goes to ``edited`` (an undo command), never
    straight into the list."""

    def __init__(self, edited: Callable[[int, str, str], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._edited = edited

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setMaxLength(VALUE_MAX_CHARS)
        editor.setFont(option.font)
        editor.setAccessibleName("Edit chip")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
                      ) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if not isinstance(editor, QLineEdit):
            return
        old = str(index.data(Qt.ItemDataRole.EditRole) or "")
        value_id = index.data(ValueIdRole)
        if value_id is not None and editor.text().strip() != old.strip():
            self._edited(int(value_id), old, editor.text())

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.fontMetrics().averageCharWidth() * 24))
        editor.setGeometry(rect)


class ChipList(QListWidget):
    """One organisation's chips of one kind, laid out left to right and wrapping, as tall as
    its chips (so the page, not the list, scrolls)."""

    def __init__(self, organisation: Organisation, kind: ValueKind,
                 edited: Callable[[int, str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.organisation_id = organisation.id
        self.kind = kind
        self._values: list[tuple[int, str]] = []
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setSpacing(4)
        self.setUniformItemSizes(False)
        self.setWordWrap(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setItemDelegate(ChipDelegate(edited, self))
        self.setStyleSheet(
            f"QListWidget {{ background: transparent; }}"
            f"QListWidget::item {{ background: {CHIP_FILL}; color: {theme.TEXT_COLOUR};"
            f" border: 2px solid {CHIP_BORDER}; border-radius: 10px; padding: 2px 10px; }}"
            f"QListWidget::item:selected {{ background: {CHIP_SELECTED_FILL};"
            f" color: {CHIP_SELECTED_TEXT}; }}")
        self.set_organisation_name(organisation.name)

    def set_organisation_name(self, name: str) -> None:
        self.setAccessibleName(f"What {name} values" if self.kind is ValueKind.VALUE
                               else f"Who {name} serves")

    def set_values(self, values: Sequence[StatedValue]) -> None:
        """Show these chips, keeping the current and chosen chips by id."""
        wanted = [(v.id, v.text) for v in values]
        if wanted == self._values:
            return
        current = self.current_value_id()
        chosen = set(self.selected_value_ids())
        row = self.currentRow()
        self._values = wanted
        self.blockSignals(True)
        try:
            self.clear()
            for value_id, text in wanted:
                item = QListWidgetItem(text)
                item.setData(ValueIdRole, value_id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(plain_tooltip(text))
                self.addItem(item)
            ids = [value_id for value_id, _text in wanted]
            if current in ids:
                self.setCurrentRow(ids.index(current), QItemSelectionModel.SelectionFlag.NoUpdate)
            elif ids and row >= 0 and self.hasFocus():
                self.setCurrentRow(min(row, len(ids) - 1))
            for number, value_id in enumerate(ids):
                if value_id in chosen:
                    self.item(number).setSelected(True)
        finally:
            self.blockSignals(False)
        self.updateGeometry()
        self.viewport().update()

    def value_ids(self) -> list[int]:
        return [value_id for value_id, _text in self._values]

    def texts(self) -> list[str]:
        return [text for _value_id, text in self._values]

    def current_value_id(self) -> int | None:
        item = self.currentItem()
        return int(item.data(ValueIdRole)) if item is not None else None

    def selected_value_ids(self) -> list[int]:
        return [int(item.data(ValueIdRole)) for item in self.selectedItems()]

    def item_of(self, value_id: int) -> QListWidgetItem | None:
        for number in range(self.count()):
            item = self.item(number)
            if item.data(ValueIdRole) == value_id:
                return item
        return None

    def _content_height(self, width: int) -> int:
        """How tall the chips are when wrapped into ``width`` pixels: as laid out, once the
        list has laid them out at that width, else an estimate."""
        frame = 2 * self.frameWidth()
        if self.count() == 0:
            return self.fontMetrics().lineSpacing() + 2 * self.spacing() + 8 + frame
        laid_out = self.contentsSize()
        if laid_out.height() > 0 and abs(self.viewport().width() + frame - width) <= 1:
            return laid_out.height() + frame
        spacing = self.spacing()
        x = y = line = 0
        for number in range(self.count()):
            size = self.sizeHintForIndex(self.model().index(number, 0))
            step = size.width() + 2 * spacing
            if x and x + step > width - frame:
                y += line
                x = line = 0
            x += step
            line = max(line, size.height() + 2 * spacing)
        return y + line + frame

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 50 else 400
        return QSize(width, self._content_height(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self._content_height(max(60, self.width())))

    def updateGeometries(self) -> None:
        """After each layout of the chips, ask for the height they now need."""
        super().updateGeometries()
        if self.height() != self._content_height(self.width()):
            self.updateGeometry()

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(MUTED))
            font = QFont(self.font())
            font.setItalic(True)
            painter.setFont(font)
            painter.drawText(self.viewport().rect().adjusted(8, 0, 0, 0),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             EMPTY_CHIPS[self.kind])
            painter.end()


class ChipEntry(QLineEdit):
    """The entry line under a card's chips. With nothing of its own to undo or redo, it lets
    Ctrl+Z and Ctrl+Y through to the app, so a chip just added can be taken back from here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._taken: str | None = None
        self.setMaxLength(VALUE_MAX_CHARS)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and ((event.matches(QKeySequence.StandardKey.Undo)
                      and not self.isUndoAvailable())
                     or (event.matches(QKeySequence.StandardKey.Redo)
                         and not self.isRedoAvailable()))):
            event.ignore()
            return False
        return super().event(event)

    def complete_from(self, values: Sequence[str]) -> None:
        """Offer these values as the user types (any part of a value matches)."""
        completer = QCompleter(list(values), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        completer.activated[str].connect(self._on_completer_activated)

    def take_text(self) -> None:
        """Empty the line once its text became a chip (the line's own undo history goes
        too: Ctrl+Z now takes the chip back)."""
        self._taken = self.text()
        self.setText("")

    def _on_completer_activated(self, text: str) -> None:
        # Enter on a completion reaches the line first (the chip is added and the line
        # emptied), then the completer writes the completion back: empty it again after.
        if self._taken is not None and text.casefold() == self._taken.casefold():
            QTimer.singleShot(0, self, lambda: self._clear_if(text))
        self._taken = None

    def _clear_if(self, text: str) -> None:
        if self.text() == text:
            self.setText("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._taken = None  # typing again: a completion chosen now is a new chip
        super().keyPressEvent(event)


class OrganisationCard(QGroupBox):
    """One organisation: its name, then what it values and whom it serves, each with chips
    and an entry line."""

    def __init__(self, organisation: Organisation, page: StatedValuesPage) -> None:
        super().__init__(page.cards_widget)
        self.organisation = organisation
        self.page = page
        self.setAccessibleName(organisation.name)
        self.setObjectName("organisationCard")
        self.setStyleSheet(f"QGroupBox#organisationCard {{ background: {CARD_FILL};"
                           f" border: 1px solid {CHIP_BORDER}; border-radius: 6px;"
                           f" margin-top: 0px; }}")
        self.name_label = _plain(organisation.name, self, name=organisation.name)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.captions: dict[ValueKind, QLabel] = {}
        self.chips: dict[ValueKind, ChipList] = {}
        self.entries: dict[ValueKind, ChipEntry] = {}
        self.remove_buttons: dict[ValueKind, QPushButton] = {}
        self.pick_button = QToolButton(self)
        self.pick_button.setText("Pick from the toolkit's lists…")
        self.pick_button.setAccessibleName(f"Pick values for {organisation.name} from the "
                                           "toolkit's lists")
        self.pick_button.setToolTip("Values from the lists the toolkit cites (Queen Mary, "
                                    "NCIA, UKCPN)")
        self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pick_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pick_menu = QMenu(self)
        self.pick_menu.aboutToShow.connect(self._on_pick_menu_about_to_show)
        self.pick_button.setMenu(self.pick_menu)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        for kind in ValueKind:
            column = QVBoxLayout()
            caption = _plain(KIND_CAPTIONS[kind], self, name=KIND_CAPTIONS[kind])
            self.captions[kind] = caption
            chips = ChipList(organisation, kind, page.edit_value, self)
            self.chips[kind] = chips
            entry = ChipEntry(self)
            entry.setPlaceholderText(KIND_PLACEHOLDERS[kind])
            entry.setAccessibleName(
                f"Add a value for {organisation.name}" if kind is ValueKind.VALUE
                else f"Add who {organisation.name} serves")
            entry.returnPressed.connect(lambda k=kind: self._on_entry_return_pressed(k))
            self.entries[kind] = entry
            if kind is ValueKind.VALUE:
                entry.complete_from(preset_values())
            remove = QPushButton("Remove", self)
            remove.setAccessibleName(f"Remove the chosen chips of {organisation.name}")
            remove.setToolTip("Remove the chosen chips (Delete)")
            remove.setEnabled(False)
            remove.clicked.connect(lambda _checked=False, k=kind: self.remove_selected(k))
            chips.itemSelectionChanged.connect(
                lambda k=kind: self.remove_buttons[k].setEnabled(
                    bool(self.chips[k].selectedItems())))
            self.remove_buttons[kind] = remove
            entry_row = QHBoxLayout()
            entry_row.addWidget(entry, 1)
            if kind is ValueKind.VALUE:
                entry_row.addWidget(self.pick_button)
            entry_row.addWidget(remove)
            column.addWidget(caption)
            column.addWidget(chips)
            column.addLayout(entry_row)
            column.addStretch(1)
            columns.addLayout(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.addWidget(self.name_label)
        layout.addLayout(columns)
        self.setTabOrder(self.chips[ValueKind.VALUE], self.entries[ValueKind.VALUE])
        self.setTabOrder(self.entries[ValueKind.VALUE], self.pick_button)
        self.setTabOrder(self.pick_button, self.remove_buttons[ValueKind.VALUE])
        self.setTabOrder(self.remove_buttons[ValueKind.VALUE], self.chips[ValueKind.SERVES])
        self.setTabOrder(self.chips[ValueKind.SERVES], self.entries[ValueKind.SERVES])
        self.setTabOrder(self.entries[ValueKind.SERVES], self.remove_buttons[ValueKind.SERVES])

    def set_organisation(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.name_label.setText(organisation.name)
        self.name_label.setAccessibleName(organisation.name)
        self.setAccessibleName(organisation.name)
        for chips in self.chips.values():
            chips.set_organisation_name(organisation.name)

    def set_exercise(self, exercise: ValuesExercise) -> None:
        for kind, chips in self.chips.items():
            chips.set_values(exercise.values_of(self.organisation.id, kind))

    def set_editing_visible(self, visible: bool) -> None:
        for widget in (*self.entries.values(), *self.remove_buttons.values(), self.pick_button):
            widget.setVisible(visible)

    def apply_fonts(self, body: QFont, heading: QFont, name: QFont) -> None:
        self.name_label.setFont(name)
        for caption in self.captions.values():
            caption.setFont(heading)
        for widget in (*self.chips.values(), *self.entries.values(),
                       *self.remove_buttons.values(), self.pick_button, self.pick_menu):
            widget.setFont(body)

    def _on_entry_return_pressed(self, kind: ValueKind) -> None:
        entry = self.entries[kind]
        if self.page.add_value(self.organisation.id, kind, entry.text()):
            entry.take_text()

    def remove_selected(self, kind: ValueKind) -> None:
        self.page.remove_values(self.chips[kind])

    def _on_pick_menu_about_to_show(self) -> None:
        self.pick_menu.clear()
        have = {text.casefold() for text in self.chips[ValueKind.VALUE].texts()}
        for group in VALUE_PRESETS:
            menu = self.pick_menu.addMenu(group.title)
            for value in group.values:
                action = menu.addAction(value)
                if value.casefold() in have:
                    action.setCheckable(True)
                    action.setChecked(True)
                    action.setEnabled(False)
                else:
                    action.triggered.connect(
                        lambda _checked=False, v=value: self.page.add_value(
                            self.organisation.id, ValueKind.VALUE, v))


class StatedValuesPage(QWidget):
    """Page 1: a card per organisation, or a way to add organisations when there are none."""

    organisations_requested = Signal()

    def __init__(self, store: Store, push: Callable[[StoreCommand], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._push = push
        self.exercise: ValuesExercise | None = None
        self.cards: dict[int, OrganisationCard] = {}
        self._editing_visible = True
        self._fonts = _page_fonts(projector=False)
        self.setAccessibleName(PAGE_TITLES[0])

        self.intro_label = _plain(STEP1_INTRO, self, name="How to fill in this page")
        self.adapted_label = _plain(f"Adapted step: {GUIDANCE.inferred_note}", self,
                                    name="About this step")
        self.adapted_label.setStyleSheet(f"color: {MUTED};")

        self.empty_box = QWidget(self)
        empty_layout = QVBoxLayout(self.empty_box)
        self.empty_label = _plain(NO_ORGANISATIONS, self.empty_box, name="No organisations")
        self.organisations_button = QPushButton("Organisations…", self.empty_box)
        self.organisations_button.setAccessibleName("Organisations…")
        self.organisations_button.setToolTip("Add or rename the partner organisations")
        self.organisations_button.clicked.connect(self.organisations_requested.emit)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.organisations_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setAccessibleName("Organisations' stated values")
        self.cards_widget = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_widget)
        self.cards_layout.setContentsMargins(0, 0, 6, 0)
        self.cards_layout.setSpacing(12)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.cards_widget)

        self.status_label = _plain("", self, name="Stated values status")
        self.status_label.setStyleSheet(f"color: {MUTED};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.adapted_label)
        layout.addWidget(self.empty_box)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status_label)
        self._has_workshop = False
        self.set_projector(False)
        self.set_exercise(None, has_workshop=False)

    # -- content

    def set_exercise(self, exercise: ValuesExercise | None, *, has_workshop: bool = True
                     ) -> None:
        self.exercise = exercise
        organisations = list(exercise.organisations) if exercise is not None else []
        if [o.id for o in organisations] != list(self.cards):
            self._rebuild_cards(organisations)
        for org in organisations:
            card = self.cards[org.id]
            if card.organisation != org:
                card.set_organisation(org)
            assert exercise is not None
            card.set_exercise(exercise)
        empty = not organisations
        self.empty_box.setVisible(empty)
        self.scroll.setVisible(not empty)
        self.empty_label.setText(NO_ORGANISATIONS if has_workshop else NO_WORKSHOP)
        self._has_workshop = has_workshop
        self.organisations_button.setVisible(has_workshop and self._editing_visible)

    def _rebuild_cards(self, organisations: Sequence[Organisation]) -> None:
        focus = QApplication.focusWidget()
        focused_org = next((org_id for org_id, card in self.cards.items()
                            if focus is not None and card.isAncestorOf(focus)), None)
        for card in self.cards.values():
            self.cards_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = {}
        for number, org in enumerate(organisations):
            card = OrganisationCard(org, self)
            card.set_editing_visible(self._editing_visible)
            card.apply_fonts(*self._fonts)
            self.cards_layout.insertWidget(number, card)
            self.cards[org.id] = card
        if focused_org is not None and focused_org in self.cards:
            self.cards[focused_org].entries[ValueKind.VALUE].setFocus()

    def set_projector(self, on: bool) -> None:
        self._editing_visible = not on
        self._fonts = _page_fonts(projector=on)
        body = self._fonts[0]
        for label in (self.intro_label, self.empty_label, self.status_label,
                      self.organisations_button):
            label.setFont(body)
        self.adapted_label.setFont(theme.board_font(body.pixelSize(), italic=True))
        for widget in (self.intro_label, self.adapted_label, self.status_label):
            widget.setVisible(not on)
        self.organisations_button.setVisible(not on and self._has_workshop)
        for card in self.cards.values():
            card.apply_fonts(*self._fonts)
            card.set_editing_visible(not on)

    # -- where the keyboard is

    def current_card(self) -> OrganisationCard | None:
        focus = QApplication.focusWidget()
        for card in self.cards.values():
            if focus is not None and card.isAncestorOf(focus):
                return card
        return None

    def focused_chips(self) -> ChipList | None:
        focus = QApplication.focusWidget()
        while focus is not None and focus is not self:
            if isinstance(focus, ChipList):
                return focus
            focus = focus.parentWidget()
        return None

    def main_widget(self) -> QWidget:
        """Where the keyboard goes when the page is shown: the first entry line."""
        if self.cards:
            card = next(iter(self.cards.values()))
            if card.entries[ValueKind.VALUE].isVisible():
                return card.entries[ValueKind.VALUE]
            return card.chips[ValueKind.VALUE]
        return self.organisations_button if self.organisations_button.isVisible() else self

    def focus_entry(self, organisation_id: int | None = None,
                    kind: ValueKind = ValueKind.VALUE) -> QLineEdit | None:
        card = (self.cards.get(organisation_id) if organisation_id is not None
                else self.current_card())
        if card is None and self.cards:
            card = next(iter(self.cards.values()))
        if card is None:
            return None
        entry = card.entries[kind]
        self.scroll.ensureWidgetVisible(card, 0, 0)
        entry.setFocus(Qt.FocusReason.OtherFocusReason)
        return entry

    # -- edits (each one undo command)

    def add_value(self, organisation_id: int, kind: ValueKind, text: str) -> bool:
        """Add a chip; True if added (or already there, then it is chosen instead)."""
        text = " ".join(text.split())
        if not text:
            return False
        card = self.cards.get(organisation_id)
        if card is not None:
            chips = card.chips[kind]
            for value_id, existing in zip(chips.value_ids(), chips.texts(), strict=True):
                if existing.casefold() == text.casefold():
                    item = chips.item_of(value_id)
                    if item is not None:
                        chips.setCurrentItem(item)
                    self.status_label.setText(f"“{existing}” is already there.")
                    return True
        if not self._push(AddStatedValueCommand(self.store, organisation_id, text, kind)):
            return False
        self.status_label.setText(f"Added “{text}”.")
        return True

    def edit_value(self, value_id: int, old: str, new: str) -> None:
        self._push(EditStatedValueCommand(self.store, value_id, old, new))

    def remove_values(self, chips: ChipList) -> bool:
        ids = chips.selected_value_ids()
        if not ids:
            current = chips.current_value_id()
            ids = [current] if current is not None else []
        if not ids:
            return False
        row = chips.currentRow()
        if not self._push(DeleteStatedValuesCommand(self.store, ids)):
            return False
        if chips.count():
            chips.setCurrentRow(min(max(row, 0), chips.count() - 1))
        self.status_label.setText("Removed." if len(ids) == 1 else f"Removed {len(ids)} chips.")
        return True


# ----------------------------------------------------------------------------- the view


class ValuesView(ExerciseView, QWidget):
    """Exercise 2 in four pages: stated values, the grid, alignment and the decisions."""

    error_shown = Signal(str)
    """Every error shown to the user (also in a warning box unless turned off)."""
    organisations_requested = Signal()
    """The facilitator wants to add or rename organisations (the workshop's details)."""
    error_title = "The values were not changed"

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, bridge, undo_stack, parent)
        self.exercise: ValuesExercise | None = None
        self._show_boxes = True
        self.setAccessibleName("Step 2: what and who do you value?")
        self._build_ui()
        self._create_actions()
        self._apply_fonts()
        self.bridge.changed.connect(self._on_bridge_changed)
        self._refresh()

    # ----------------------------------------------------------------- building

    def _build_ui(self) -> None:
        self.pages = QTabWidget(self)
        self.pages.setAccessibleName("Pages of step 2")
        self.pages.setDocumentMode(True)
        self.pages.setUsesScrollButtons(True)

        self.values_page = StatedValuesPage(self.store, self._push, self)
        self.values_page.organisations_requested.connect(self.organisations_requested.emit)

        self.grid_page = QWidget(self)
        self.grid_page.setAccessibleName(PAGE_TITLES[1])
        self.grid_intro = _plain(GRID_INTRO, self.grid_page, name="How to fill in the grid")
        self.grid = ValuesGrid(self.grid_page)
        self.grid.grid_model.commit_answer = self._commit_answer
        self.grid_empty = _plain("", self.grid_page, name="The grid is empty")
        self.grid_empty.setStyleSheet(f"color: {MUTED};")
        self.add_person_button = QPushButton("Add a person…", self.grid_page)
        self.add_person_button.setAccessibleName("Add a person")
        self.add_person_button.setToolTip("Add a row for someone who is not on a phone")
        self.add_person_button.clicked.connect(self.add_person)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_person_button)
        buttons.addStretch(1)
        grid_layout = QVBoxLayout(self.grid_page)
        grid_layout.setContentsMargins(8, 8, 8, 8)
        grid_layout.addWidget(self.grid_intro)
        grid_layout.addWidget(self.grid_empty)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addLayout(buttons)

        self.alignment_page = self._external_page("workshopkit.ui.alignment_page",
                                                  "AlignmentPage", PAGE_TITLES[2])
        self.decisions_page = self._external_page("workshopkit.ui.decisions_page",
                                                  "DecisionsPage", PAGE_TITLES[3])

        for page, title in zip((self.values_page, self.grid_page, self.alignment_page,
                                self.decisions_page), PAGE_TITLES, strict=True):
            self.pages.addTab(page, title)
        for number, title in enumerate(PAGE_TITLES):
            self.pages.setTabToolTip(number, f"{title} (Alt+{number + 1})")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.pages)
        self.pages.currentChanged.connect(self._on_pages_current_changed)

    def _external_page(self, module: str, name: str, title: str) -> Any:
        """Steps 4 and 5 come from their own modules, imported only when the view is built."""
        import importlib

        page_class = getattr(importlib.import_module(module), name)
        page = page_class(self.store, self.bridge, self.undo_stack, self)
        page.setAccessibleName(title)
        page.error_shown.connect(self.error_shown.emit)
        return page

    def _create_actions(self) -> None:
        a = self._action
        self.add_value_action = a("Add &value", ["Ins"],
                                  "Type a new value for the current organisation (step 1)",
                                  self._on_add_value_triggered, self.values_page)
        self.remove_action = a("&Remove", [QKeySequence.StandardKey.Delete],
                               "Remove the chosen chips, or empty the current cell of the grid",
                               self._on_remove_triggered, self.values_page)
        self.grid.addAction(self.remove_action)
        self.edit_cell_action = a("&Edit cell…", ["F2"],
                                  "Edit the current cell of the grid, or the chosen chip",
                                  self._on_edit_triggered, self.values_page)
        self.grid.addAction(self.edit_cell_action)
        self.add_person_action = a("Add a &person…", ["Ctrl+Shift+N"],
                                   "Add a row to the grid for someone who is not on a phone",
                                   self.add_person)
        self.edit_actions: list[QAction] = [self.add_value_action, self.remove_action,
                                            self.edit_cell_action, self.add_person_action]
        for page in (self.alignment_page, self.decisions_page):
            self.edit_actions.extend(getattr(page, "edit_actions", ()))

        self.projector_action = a("&Projector type", ["Ctrl+Shift+P"],
                                  "Large type for the back of the room, editing boxes hidden",
                                  lambda: None)
        self.projector_action.setCheckable(True)
        self.projector_action.toggled.connect(self.set_projector)
        self.next_page_action = a("&Next page", ["Ctrl+PgDown"], "Show the next page of step 2",
                                  lambda: self.step_page(1))
        self.previous_page_action = a("Pre&vious page", ["Ctrl+PgUp"],
                                      "Show the previous page of step 2",
                                      lambda: self.step_page(-1))
        self.page_menu = QMenu("&Go to page", self)
        self.page_actions: list[QAction] = []
        for number, title in enumerate(PAGE_TITLES):
            action = a(title, [f"Alt+{number + 1}"], f"Show page {title}",
                       lambda n=number: self.show_page(n))
            self.page_menu.addAction(action)
            self.page_actions.append(action)
        self.view_actions: list[QAction] = [self.projector_action, self.next_page_action,
                                            self.previous_page_action,
                                            self.page_menu.menuAction()]

    # ----------------------------------------------------------------- public interface

    @property
    def show_message_boxes(self) -> bool:  # type: ignore[override]
        return self._show_boxes

    @show_message_boxes.setter
    def show_message_boxes(self, on: bool) -> None:
        self._show_boxes = on
        for page in (getattr(self, "alignment_page", None), getattr(self, "decisions_page", None)):
            if page is not None:
                page.show_message_boxes = on

    def set_workshop(self, workshop_id: int | None) -> None:
        """Show this workshop's values exercise (``None`` shows empty pages)."""
        self._close_dialog()
        self._workshop_id = workshop_id
        self.grid.setCurrentIndex(QModelIndex())
        self._refresh()
        for page in (self.alignment_page, self.decisions_page):
            page.set_workshop(workshop_id)

    def set_projector(self, on: bool) -> None:
        """Large type everywhere (body text at least 24 px), editing chrome hidden."""
        on = bool(on)
        if self.projector_action.isChecked() != on:
            self.projector_action.setChecked(on)  # comes back here through toggled
            return
        self._projector = on
        self._apply_fonts()
        self.values_page.set_projector(on)
        for widget in (self.grid_intro, self.add_person_button):
            widget.setVisible(not on)
        for page in (self.alignment_page, self.decisions_page):
            page.set_projector(on)

    def show_page(self, number: int) -> None:
        if 0 <= number < self.pages.count():
            self.pages.setCurrentIndex(number)
            self.focus_view()

    def step_page(self, step: int) -> None:
        self.show_page((self.pages.currentIndex() + step) % self.pages.count())

    def focus_view(self) -> None:
        """Put the keyboard on the current page's main widget."""
        page = self.pages.currentWidget()
        if page is self.values_page:
            self.values_page.main_widget().setFocus(Qt.FocusReason.OtherFocusReason)
        elif page is self.grid_page:
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
        elif hasattr(page, "focus_view"):
            page.focus_view()
        else:
            page.setFocus(Qt.FocusReason.OtherFocusReason)

    def body_px(self) -> int:
        return PROJECTOR_BODY_PX if self._projector else BODY_PX

    def grid_px(self) -> int:
        return PROJECTOR_GRID_PX if self._projector else GRID_PX

    # ----------------------------------------------------------------- fonts

    def _apply_fonts(self) -> None:
        body = theme.board_font(self.body_px())
        tab_px = PROJECTOR_TAB_PX if self._projector else TAB_PX
        self.pages.tabBar().setFont(theme.board_font(tab_px, bold=True))
        for widget in (self.grid_intro, self.grid_empty, self.add_person_button):
            widget.setFont(body)
        cell = theme.board_font(self.grid_px())
        self.grid.setFont(cell)
        self.grid.grid_model.set_fonts(cell, theme.board_font(self.grid_px(), bold=False))
        self.grid.horizontalHeader().setFont(cell)
        self.grid.verticalHeader().setFont(cell)
        self.grid.resizeRowsToContents()

    # ----------------------------------------------------------------- refreshing

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        if change.kind in (ChangeKind.VALUES, ChangeKind.PARTICIPANTS, ChangeKind.ORGANISATIONS,
                           ChangeKind.WORKSHOPS):
            self._refresh()

    def _refresh(self) -> None:
        exercise: ValuesExercise | None = None
        if self._workshop_id is not None:
            try:
                exercise = self.store.values_exercise(self._workshop_id)
            except NotFoundError:
                self._workshop_id = None
            except StoreError as error:
                self._show_error(str(error))
                return
        self.exercise = exercise
        self.values_page.set_exercise(exercise, has_workshop=self._workshop_id is not None)
        self.grid.grid_model.set_exercise(exercise)
        if exercise is None:
            self.grid_empty.setText(NO_WORKSHOP)
        elif not exercise.organisations and not exercise.participants:
            self.grid_empty.setText("No organisations or people yet: add the organisations in "
                                    "the workshop's details, or add a person below.")
        else:
            self.grid_empty.setText("")
        self.grid_empty.setVisible(bool(self.grid_empty.text()))
        self._update_actions()

    def _update_actions(self) -> None:
        has = self._workshop_id is not None
        self.add_value_action.setEnabled(has and bool(self.values_page.cards))
        self.add_person_action.setEnabled(has)
        self.add_person_button.setEnabled(has)

    # ----------------------------------------------------------------- commands

    def _commit_answer(self, row: GridRow, question: Practice, old: str, new: str) -> bool:
        if self._workshop_id is None:
            return False
        return self._push(SetAnswerCommand(self.store, self._workshop_id, question, old, new,
                                           **row.subject))

    def _focus_after_dialog(self) -> None:
        self.focus_view()

    # -- actions

    def _on_add_value_triggered(self) -> None:
        if self.pages.currentWidget() is not self.values_page:
            self.pages.setCurrentWidget(self.values_page)
        self.values_page.focus_entry()

    def _on_remove_triggered(self) -> None:
        if self.grid.hasFocus() and not self.grid.is_editing():
            self.clear_cell()
            return
        chips = self.values_page.focused_chips()
        if chips is not None:
            self.values_page.remove_values(chips)

    def clear_cell(self) -> bool:
        """Empty the grid's current cell (one undo step)."""
        index = self.grid.currentIndex()
        if not index.isValid() or not index.data(Qt.ItemDataRole.EditRole):
            return False
        return self.grid.grid_model.setData(index, "", Qt.ItemDataRole.EditRole)

    def _on_edit_triggered(self) -> None:
        if self.grid.hasFocus() or self.pages.currentWidget() is self.grid_page:
            self.pages.setCurrentWidget(self.grid_page)
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
            self.grid.edit_current()
            return
        chips = self.values_page.focused_chips()
        if chips is not None and chips.currentItem() is not None:
            chips.editItem(chips.currentItem())

    def add_person(self) -> None:
        if self._workshop_id is None or self.dialog is not None:
            return
        organisations = self.exercise.organisations if self.exercise is not None else ()
        current = self.grid.grid_model.row_at(self.grid.currentIndex().row())
        dialog = AddPersonDialog(organisations, self._commit_person,
                                 organisation_id=current.organisation_id if current else None,
                                 parent=self)
        self._open_dialog(dialog)

    def _commit_person(self, name: str, organisation_id: int | None) -> bool:
        if self._workshop_id is None:
            return False
        command = AddParticipantCommand(self.store, self._workshop_id, name, organisation_id)
        if not self._push(command) or command.participant is None:
            return False
        if self.pages.currentWidget() is not self.grid_page:
            self.pages.setCurrentWidget(self.grid_page)
        index = self.grid.grid_model.index_of(("person", command.participant.id), Practice.BUDGET)
        if index.isValid():
            self.grid.setCurrentIndex(index)
            self.grid.scrollTo(index)
        return True

    def _on_pages_current_changed(self, _number: int) -> None:
        if self.isVisible() and self.pages.currentWidget() is self.grid_page:
            self.grid.resizeRowsToContents()


__all__ = ["PAGE_TITLES", "ChipList", "OrganisationCard", "StatedValuesPage", "ValuesView"]
