"""The facilitator's presenting controls: the Present menu that drives the audience window.

:class:`PresenterControls` owns the actions (and their keys) and the small windows they open:
the countdown timer, the discussion cards, and Help > Keyboard shortcuts. The audience window
(a separate top-level window, on the projector) follows the main window's step; everything it
shows comes from the store, so it never sees more than the room should.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises.guidance import step_by_number
from workshopkit.exercises.presenting import (
    DISCUSSION_CARDS,
    DiscussionCard,
    format_timer,
    timer_remaining,
)
from workshopkit.model import MAX_TIMER_SECONDS, TIMER_LABEL_MAX_CHARS, Change, ChangeKind
from workshopkit.store import Store, StoreError
from workshopkit.ui.checklist_dialog import fitted_size
from workshopkit.ui.guidance_panel import plain_label, scaled_font
from workshopkit.ui.start_screen import show_error

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from workshopkit.ui.audience import AudienceWindow
    from workshopkit.ui.join_controller import JoinController
    from workshopkit.ui.main_window import MainWindow

THEMES: tuple[tuple[str, str], ...] = (("light", "&Light"), ("dark", "&Dark"),
                                       ("high_contrast", "&High contrast"))
DEFAULT_THEME = "light"
TEXT_SCALES: tuple[float, ...] = (0.75, 0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
DEFAULT_TIMER_MINUTES = 5
THEME_KEY = "audience/theme"
TEXT_SCALE_KEY = "audience/text_scale"

# Keys handled by widgets themselves (not actions), listed in Help > Keyboard shortcuts too.
WIDGET_KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Start screen", (("Enter", "Open the selected workshop"),
                      ("Delete", "Delete the selected workshop (after asking)"))),
    ("Moderation queue", (("A or Enter", "Approve the selected post-its"),
                          ("H", "Hide the selected post-its"),
                          ("Delete", "Delete the selected post-its"))),
    ("Join slide", (("Esc or F5", "Close the full-screen join slide"),)),
)


def _plain_text(action: QAction) -> str:
    """An action's text as read: no mnemonic ampersands (a literal "&&" stays "&")."""
    return action.text().split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_text(action: QAction) -> str:
    """Every key of an action, as the platform writes them ("Ctrl+Shift+A or B")."""
    return " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                       for s in action.shortcuts() if not s.isEmpty())


# --------------------------------------------------------------------------- keyboard shortcuts


ShortcutGroup = tuple[str, list[tuple[str, str]]]
"""A group's title and its (keys, command) rows."""


def _is_within(obj: QObject | None, ancestors: Sequence[QObject]) -> bool:
    while obj is not None:
        if any(obj is a for a in ancestors):
            return True
        obj = obj.parent()
    return False


def _menu_actions(menu: QMenu) -> Iterable[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _menu_actions(sub)
        elif not action.isSeparator():
            yield action


def gather_shortcuts(window: MainWindow) -> list[ShortcutGroup]:
    """Every key of the app: the main window's menus, then each step's own keys, then the
    keys some widgets handle themselves."""
    views = [view for _number, view in sorted(window.step_views.items())]
    groups: list[ShortcutGroup] = []
    seen: set[int] = set()

    def add(title: str, actions: Iterable[QAction]) -> None:
        rows: list[tuple[str, str]] = []
        shown: set[tuple[str, str]] = set()
        for action in actions:
            keys = keys_text(action)
            if id(action) in seen or not keys:
                continue
            seen.add(id(action))
            row = (keys, _plain_text(action))
            if row not in shown:
                shown.add(row)
                rows.append(row)
        if rows:
            groups.append((title, rows))

    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            add(_plain_text(menu_action),
                (a for a in _menu_actions(menu) if not _is_within(a, views)))
    add("Other", (a for a in window.actions() if not _is_within(a, views)))
    for number, view in sorted(window.step_views.items()):
        add(f"Step {number}: {step_by_number(number).title}",
            (a for a in view.findChildren(QAction)))
    for title, rows in WIDGET_KEYS:
        groups.append((title, list(rows)))
    return groups


def shortcuts_text(groups: Sequence[ShortcutGroup], *, steps_built: bool = True) -> str:
    """The groups as plain text, keys in a column."""
    width = max((len(keys) for _title, rows in groups for keys, _text in rows), default=0) + 3
    lines: list[str] = []
    for title, rows in groups:
        lines.append(title)
        lines.extend(f"  {keys.ljust(width)}{text}" for keys, text in rows)
        lines.append("")
    if not steps_built:
        lines.append("Each step's own keys are listed here once a workshop has been opened.")
    return "\n".join(lines).rstrip() + "\n"


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: every key of the app, as plain text to read or copy."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.groups = gather_shortcuts(window)
        layout = QVBoxLayout(self)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        self.text_view.setAccessibleName("Keyboard shortcuts")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), self.font().pointSizeF()) * 1.15)
        self.text_view.setFont(font)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_view.setPlainText(shortcuts_text(self.groups,
                                                   steps_built=bool(window.step_views)))
        layout.addWidget(self.text_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(fitted_size(self, 760, 640))

    def text(self) -> str:
        return self.text_view.toPlainText()


# --------------------------------------------------------------------------- the timer


class TimerDialog(QDialog):
    """Minutes and a label; Start runs a countdown on the projector and the phones, Stop ends it.
    Enter starts (and closes the dialog), so Ctrl+Shift+T, 5, Enter is a five-minute timer."""

    def __init__(self, store: Store, workshop_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.workshop_id = workshop_id
        self.setWindowTitle("Countdown timer")
        self.setAccessibleName("Countdown timer")
        self.setFont(scaled_font(self.font(), 1.15))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(1, MAX_TIMER_SECONDS // 60)
        self.minutes_spin.setValue(DEFAULT_TIMER_MINUTES)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Minutes")
        form.addRow(plain_label("&Minutes:", self, selectable=False), self.minutes_spin)
        self.label_edit = QLineEdit(self)
        self.label_edit.setAccessibleName("Label")
        self.label_edit.setMaxLength(TIMER_LABEL_MAX_CHARS)
        self.label_edit.setPlaceholderText("e.g. Write your post-its")
        form.addRow(plain_label("&Label:", self, selectable=False), self.label_edit)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            label.setBuddy(field)  # type: ignore[attr-defined]
        layout.addLayout(form)
        self.status_label = plain_label("", self, selectable=False, name="Timer status")
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox(self)
        self.start_button = QPushButton("&Start", self)
        self.start_button.setAccessibleName("Start the timer")
        self.start_button.setDefault(True)
        self.stop_button = QPushButton("S&top", self)
        self.stop_button.setAccessibleName("Stop the timer")
        self.stop_button.setAutoDefault(False)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        self.refresh()
        self.minutes_spin.setFocus()
        self.minutes_spin.selectAll()

    def refresh(self) -> None:
        try:
            settings = self.store.join_settings(self.workshop_id)
        except StoreError:
            return
        left = timer_remaining(settings.timer_ends_at)
        if settings.timer_ends_at:
            label = f" ({settings.timer_label})" if settings.timer_label else ""
            self.status_label.setText(f"Running: {format_timer(left)} left{label}."
                                      if left else f"Time is up{label}.")
        else:
            self.status_label.setText("No timer is running.")
        self.stop_button.setEnabled(bool(settings.timer_ends_at))

    def start(self) -> bool:
        try:
            self.store.start_timer(self.workshop_id, self.minutes_spin.value() * 60,
                                   self.label_edit.text())
        except StoreError as error:
            show_error(self, "Could not start the timer", str(error))
            return False
        self.accept()
        return True

    def stop(self) -> bool:
        try:
            self.store.stop_timer(self.workshop_id)
        except StoreError as error:
            show_error(self, "Could not stop the timer", str(error))
            return False
        self.accept()
        return True


# --------------------------------------------------------------------------- discussion cards


class DiscussionCardsPanel(QDialog):
    """The current step's discussion cards; one can go up on the projector, large."""

    card_chosen = Signal(object)
    """The card to show on the projector, or None to take it down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Discussion cards")
        self.setAccessibleName("Discussion cards")
        self.setFont(scaled_font(self.font(), 1.15))
        self.cards: tuple[DiscussionCard, ...] = ()
        layout = QVBoxLayout(self)
        self.heading = plain_label("", self, selectable=False, name="Step")
        self.heading.setFont(scaled_font(self.font(), 1.2, bold=True))
        layout.addWidget(self.heading)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Discussion cards for this step")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.list.itemActivated.connect(lambda _item: self.show_current())
        layout.addWidget(self.list, 1)
        self.prompt_label = plain_label("", self, name="Prompt")
        self.prompt_label.setFont(scaled_font(self.font(), 1.1))
        layout.addWidget(self.prompt_label)
        self.source_label = plain_label("", self, name="Source")
        layout.addWidget(self.source_label)
        self.shown_label = plain_label("", self, selectable=False, name="On the projector")
        layout.addWidget(self.shown_label)
        buttons = QDialogButtonBox(self)
        self.show_button = QPushButton("&Show on projector", self)
        self.show_button.setAccessibleName("Show on projector")
        self.show_button.setAutoDefault(False)
        self.hide_button = QPushButton("&Hide card", self)
        self.hide_button.setAccessibleName("Hide card")
        self.hide_button.setAutoDefault(False)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.hide_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.show_button.clicked.connect(self.show_current)
        self.hide_button.clicked.connect(lambda: self.card_chosen.emit(None))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def set_step(self, number: int) -> None:
        self.cards = DISCUSSION_CARDS.get(number, ())
        self.heading.setText(f"Step {number}: {step_by_number(number).title}")
        self.list.clear()
        for card in self.cards:
            item = QListWidgetItem(f"{card.title}: {card.prompt}", self.list)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{card.title}. {card.prompt}")
        if self.cards:
            self.list.setCurrentRow(0)
        else:
            self._on_list_current_row_changed(-1)

    def set_shown(self, card: DiscussionCard | None) -> None:
        self.shown_label.setText(f"On the projector: {card.title}" if card
                                 else "No card on the projector.")
        self.hide_button.setEnabled(card is not None)

    def current_card(self) -> DiscussionCard | None:
        row = self.list.currentRow()
        return self.cards[row] if 0 <= row < len(self.cards) else None

    def show_current(self) -> None:
        card = self.current_card()
        if card is not None:
            self.card_chosen.emit(card)

    def _on_list_current_row_changed(self, _row: int) -> None:
        card = self.current_card()
        self.prompt_label.setText(card.prompt if card else "No cards for this step.")
        self.source_label.setText(f"Source: {card.source}" if card and card.source else "")
        self.show_button.setEnabled(card is not None)


# --------------------------------------------------------------------------- the controls


class PresenterControls(QObject):
    """The Present menu's actions and what they drive: the audience window on the projector,
    the timer, reveal, voting, blank, QR, discussion cards, display theme and text size."""

    audience_opened = Signal(object)
    audience_closed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.store: Store = window.store
        self.bridge = window.bridge
        self.settings = window.settings
        self.audience: AudienceWindow | None = None
        self.timer_dialog: TimerDialog | None = None
        self.cards_panel: DiscussionCardsPanel | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.join_controller: JoinController | None = None
        self.card: DiscussionCard | None = None
        self.error_box: QMessageBox | None = None
        self._values_followed = False
        theme = str(self.settings.value(THEME_KEY, DEFAULT_THEME))
        self.theme = theme if theme in dict(THEMES) else DEFAULT_THEME
        self.text_scale = _nearest_scale(self.settings.value(TEXT_SCALE_KEY, 1.0))
        self._build_actions()
        window.step_changed.connect(self._on_window_step_changed)
        window.workshop_changed.connect(self._on_window_workshop_changed)
        self.bridge.changed.connect(self._on_bridge_changed)
        self.update_actions()

    @property
    def window(self) -> MainWindow:
        """The main window (our parent; not kept in an attribute, so no reference cycle keeps
        a closed window's wrapper alive)."""
        return self.parent()  # type: ignore[return-value]

    # ----------------------------------------------------------------- actions and menu

    def _action(self, text: str, slot: Callable[..., Any], shortcuts: Sequence[str] = (), *,
                tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        keys = keys_text(action)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.audience_action = a("&Audience window", self.set_audience_open, ["Ctrl+Shift+A"],
                                 tip="Open or close the audience window on the projector "
                                     "(the second screen when there is one)", checkable=True)
        self.next_step_action = a("&Next step", lambda: self.step_by(1), ["Alt+PgDown"],
                                  tip="Go to the next step, here and on the projector")
        self.previous_step_action = a("&Previous step", lambda: self.step_by(-1), ["Alt+PgUp"],
                                      tip="Go to the previous step, here and on the projector")
        self.blank_action = a("&Blank the projector", self.set_blank, ["B", "Ctrl+B"],
                              tip="Blank the audience window, or show it again", checkable=True)
        self.qr_action = a("Show the join &QR code", self.set_qr_shown, ["Ctrl+Shift+Q"],
                           tip="Show or hide the join QR code and address on the projector "
                               "(while joining is open)", checkable=True)
        self.qr_action.setChecked(True)
        self.reveal_action = a("&Reveal held post-its", self.reveal_held, ["Ctrl+Shift+R"],
                               tip="Show every post-it held until reveal, all at once")
        self.voting_action = a("&Voting open", self.set_voting_open, ["Ctrl+Shift+V"],
                               tip="Open or close dot voting on the phones", checkable=True)
        self.timer_action = a("Countdown &timer…", self.show_timer_dialog, ["Ctrl+Shift+T"],
                              tip="Start or stop a countdown shown on the projector and the "
                                  "phones")
        self.cards_action = a("&Discussion cards…", self.show_cards_panel, ["Ctrl+Shift+K"],
                              tip="Prompts for the current step; put one on the projector")

        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for name, label in THEMES:
            action = a(label, lambda _checked=False, n=name: self.set_theme(n),
                       tip=f"{label.replace('&', '')} display theme for the audience window",
                       checkable=True)
            self.theme_group.addAction(action)
            self.theme_actions[name] = action
        self.theme_actions[self.theme].setChecked(True)
        self.bigger_action = a("&Bigger text", lambda: self.step_text_scale(1), ["Alt+="],
                               tip="Bigger text in the audience window")
        self.smaller_action = a("&Smaller text", lambda: self.step_text_scale(-1), ["Alt+-"],
                                tip="Smaller text in the audience window")
        self.reset_text_action = a("&Reset text size", lambda: self.set_text_scale(1.0),
                                   ["Alt+0"], tip="The audience window's usual text size")
        self.shortcuts_action = a("&Keyboard shortcuts", self.show_shortcuts, ["F1"],
                                  tip="Every key of the app")

    @property
    def present_actions(self) -> list[QAction]:
        """The Present menu's actions that have keys (for tests and the shortcuts list)."""
        return [self.audience_action, self.next_step_action, self.previous_step_action,
                self.blank_action, self.qr_action, self.reveal_action, self.voting_action,
                self.timer_action, self.cards_action, self.bigger_action, self.smaller_action,
                self.reset_text_action]

    def fill_menu(self, menu: QMenu) -> None:
        """The Present menu, in the order a facilitator reaches for things."""
        menu.addAction(self.audience_action)
        menu.addSeparator()
        menu.addActions([self.next_step_action, self.previous_step_action])
        menu.addSeparator()
        menu.addActions([self.blank_action, self.qr_action, self.cards_action])
        menu.addSeparator()
        menu.addActions([self.reveal_action, self.voting_action, self.timer_action])
        menu.addSeparator()
        self.theme_menu = menu.addMenu("Display t&heme")
        self.theme_menu.addActions(list(self.theme_actions.values()))
        self.text_menu = menu.addMenu("Te&xt size")
        self.text_menu.addActions([self.bigger_action, self.smaller_action,
                                   self.reset_text_action])

    def update_actions(self) -> None:
        is_open = self.window.workshop_id is not None
        for action in (self.audience_action, self.next_step_action, self.previous_step_action,
                       self.reveal_action, self.voting_action, self.timer_action,
                       self.cards_action):
            action.setEnabled(is_open)
        self.audience_action.setChecked(self.audience is not None)
        self._sync_voting()

    def _sync_voting(self) -> None:
        wid = self.window.workshop_id
        voting = False
        if wid is not None:
            try:
                voting = self.store.join_settings(wid).voting_open
            except StoreError:
                voting = False
        self.voting_action.setChecked(voting)

    def _status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 6000)

    # ----------------------------------------------------------------- the audience window

    def set_audience_open(self, on: bool) -> None:
        if on:
            self.open_audience()
        else:
            self.close_audience()

    def open_audience(self) -> AudienceWindow | None:
        """Open the audience window: full screen on a screen other than this window's when
        there is one, else a normal window. It shows this window's workshop and step."""
        if self.window.workshop_id is None:
            self.audience_action.setChecked(False)
            self._status("Open a workshop first.")
            return None
        if self.audience is None:
            from workshopkit.ui.audience import AudienceWindow

            audience = AudienceWindow(self.store, self.bridge)
            audience.closed.connect(self._on_audience_closed)
            audience.error_shown.connect(self._on_audience_error_shown)
            self.audience = audience
            audience.set_theme(self.theme)
            audience.set_text_scale(self.text_scale)
            audience.set_workshop(self.window.workshop_id)
            audience.show_step(self.window.current_step())
            self._apply_qr()
            audience.set_blank(self.blank_action.isChecked())
            audience.show_card(self.card)
            self._follow_values_page()
            audience.place_on(QGuiApplication.screens(), self.window.screen())
            # The facilitator keeps the keyboard (some platforms activate any new window).
            self.window.activateWindow()
            self.audience_opened.emit(audience)
        self.audience_action.setChecked(True)
        return self.audience

    def _follow_values_page(self) -> None:
        """Step 2 on the projector: the alignment suggestions while the facilitator is on that
        page, else the grid."""
        view = self.window.values_view
        if view is None:
            return
        if not self._values_followed:
            view.pages.currentChanged.connect(self._on_values_pages_current_changed)
            self._values_followed = True
        self._on_values_pages_current_changed(view.pages.currentIndex())

    def _on_values_pages_current_changed(self, _index: int) -> None:
        view = self.window.values_view
        if self.audience is None or view is None:
            return
        alignment = view.pages.currentWidget() is getattr(view, "alignment_page", None)
        self.audience.set_values_view("alignment" if alignment else "grid")

    def close_audience(self) -> None:
        audience, self.audience = self.audience, None
        self.audience_action.setChecked(False)
        if audience is not None:
            audience.closed.disconnect(self._on_audience_closed)
            audience.close()
            audience.deleteLater()
            self.audience_closed.emit()

    def _on_audience_closed(self) -> None:
        """Closed from its own window (Alt+F4 on the projector): forget it."""
        QTimer.singleShot(0, self.close_audience)

    def _on_audience_error_shown(self, message: str) -> None:
        """The projector keeps what it showed; the facilitator reads why (one box at a time)."""
        if self.error_box is None or not self.error_box.isVisible():
            self.error_box = show_error(self.window, "The audience window could not refresh",
                                        message)

    def step_by(self, delta: int) -> None:
        if self.window.workshop_id is None:
            return
        self.window.set_step(self.window.current_step() + delta)

    def set_blank(self, on: bool) -> None:
        if self.blank_action.isChecked() != on:
            self.blank_action.setChecked(on)
        if self.audience is not None:
            self.audience.set_blank(on)
        elif on:
            self._status("The audience window is not open (Ctrl+Shift+A opens it).")

    def set_qr_shown(self, on: bool) -> None:
        if self.qr_action.isChecked() != on:
            self.qr_action.setChecked(on)
        self._apply_qr()
        if on and not self._join_url():
            self._status("Open joining first (Ctrl+J) to show the QR code.")

    def _join_url(self) -> str:
        controller = self.join_controller
        return controller.url if controller is not None and controller.is_open else ""

    def _apply_qr(self) -> None:
        if self.audience is None:
            return
        self.audience.set_qr(self._join_url() or None)
        self.audience.set_qr_visible(self.qr_action.isChecked())

    def attach_join_controller(self, controller: JoinController) -> None:
        """The join controller (built when joining is first used) tells us the join URL."""
        self.join_controller = controller
        controller.joining_opened.connect(self._on_join_controller_changed)
        controller.joining_closed.connect(self._on_join_controller_changed)

    def _on_join_controller_changed(self, *_args: object) -> None:
        self._apply_qr()

    def show_card(self, card: DiscussionCard | None) -> None:
        self.card = card
        if self.audience is not None:
            self.audience.show_card(card)
        elif card is not None:
            self._status("The audience window is not open (Ctrl+Shift+A opens it).")
        if self.cards_panel is not None:
            self.cards_panel.set_shown(card)

    def set_theme(self, name: str) -> None:
        if name not in dict(THEMES):
            return
        self.theme = name
        self.theme_actions[name].setChecked(True)
        self.settings.setValue(THEME_KEY, name)
        self.settings.sync()
        if self.audience is not None:
            self.audience.set_theme(name)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = _nearest_scale(scale)
        self.settings.setValue(TEXT_SCALE_KEY, self.text_scale)
        self.settings.sync()
        if self.audience is not None:
            self.audience.set_text_scale(self.text_scale)
        self._status(f"Audience text size: {round(self.text_scale * 100)}%")

    def step_text_scale(self, step: int) -> None:
        index = TEXT_SCALES.index(self.text_scale) + step
        self.set_text_scale(TEXT_SCALES[max(0, min(len(TEXT_SCALES) - 1, index))])

    # ----------------------------------------------------------------- the room's controls

    def _run(self, title: str, verb: Callable[[int], object]) -> object | None:
        """A store verb on the open workshop; a refusal is shown and nothing changes."""
        wid = self.window.workshop_id
        if wid is None:
            return None
        try:
            return verb(wid)
        except StoreError as error:
            show_error(self.window, title, str(error))
            return None
        finally:
            self._sync_voting()

    def reveal_held(self) -> list[int]:
        revealed = self._run("Could not reveal the post-its", self.store.reveal_held)
        if isinstance(revealed, list):
            self._status(f"Revealed {len(revealed)} post-it(s)." if revealed
                         else "No post-its are held for the reveal.")
            return revealed
        return []

    def set_voting_open(self, on: bool) -> None:
        if on:
            done = self._run("Could not open voting", self.store.open_voting)
        else:
            done = self._run("Could not close voting", self.store.close_voting)
        if done is not None:
            self._status("Voting is open." if on else "Voting is closed.")

    def show_timer_dialog(self) -> TimerDialog | None:
        wid = self.window.workshop_id
        if wid is None:
            return None
        if self.timer_dialog is not None:
            self.timer_dialog.close()
        dialog = TimerDialog(self.store, wid, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_timer_dialog_destroyed)
        self.timer_dialog = dialog
        dialog.open()
        return dialog

    def _on_timer_dialog_destroyed(self, *_args: object) -> None:
        self.timer_dialog = None

    def show_cards_panel(self) -> DiscussionCardsPanel | None:
        if self.window.workshop_id is None:
            return None
        if self.cards_panel is None:
            panel = DiscussionCardsPanel(self.window)
            panel.card_chosen.connect(self.show_card)
            self.cards_panel = panel
        self.cards_panel.set_step(self.window.current_step())
        self.cards_panel.set_shown(self.card)
        self.cards_panel.show()
        self.cards_panel.raise_()
        self.cards_panel.activateWindow()
        self.cards_panel.list.setFocus()
        return self.cards_panel

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
        dialog = ShortcutsDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_shortcuts_dialog_destroyed)
        self.shortcuts_dialog = dialog
        dialog.open()
        return dialog

    def _on_shortcuts_dialog_destroyed(self, *_args: object) -> None:
        self.shortcuts_dialog = None

    def shutdown(self) -> None:
        """The main window is closing: close what it opened (the audience window first)."""
        self.close_audience()
        for dialog in (self.timer_dialog, self.cards_panel, self.shortcuts_dialog):
            if dialog is not None:
                dialog.close()

    # ----------------------------------------------------------------- slots

    def _on_window_step_changed(self, number: int) -> None:
        if self.card is not None:
            self.show_card(None)  # a card belongs to the step it was shown at
        if self.audience is not None:
            self.audience.show_step(number)
        if self.cards_panel is not None:
            self.cards_panel.set_step(number)

    def _on_window_workshop_changed(self, workshop_id: int | None) -> None:
        self.card = None
        if self.audience is not None:
            if workshop_id is None:
                self.close_audience()
            else:
                self.audience.set_workshop(workshop_id)
                self.audience.show_step(self.window.current_step())
                self.audience.show_card(None)
                self._apply_qr()
                self._follow_values_page()
        if self.cards_panel is not None:
            if workshop_id is None:
                self.cards_panel.close()
            else:
                self.cards_panel.set_shown(None)
        if workshop_id is None and self.timer_dialog is not None:
            self.timer_dialog.close()
        self.update_actions()

    def _on_bridge_changed(self, change: Change) -> None:
        if change.kind == ChangeKind.JOINING and change.workshop_id == self.window.workshop_id:
            self._sync_voting()


def _nearest_scale(value: object) -> float:
    try:
        scale = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        scale = 1.0
    return min(TEXT_SCALES, key=lambda s: abs(s - scale))


__all__ = ("DiscussionCardsPanel", "PresenterControls", "ShortcutsDialog", "TimerDialog",
           "gather_shortcuts", "keys_text", "shortcuts_text")
