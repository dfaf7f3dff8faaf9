"""The main window: the start screen, or one workshop's four steps with guidance beside each.

It owns menus, window state and which workshop is open; each step's working view owns its own
editing. Objects it needs (store, bridge, undo stack, the board) are handed in by ``app.py``.
The first screen is the start screen, so the workshop view is built when it is first needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from workshopkit import APP_NAME, __version__
from workshopkit.exercises.guidance import CREDIT, LICENCE_NAME, Guidance, all_steps
from workshopkit.model import Change, ChangeKind
from workshopkit.store import NotFoundError, Store, StoreError
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.guidance_panel import scaled_font
from workshopkit.ui.start_screen import StartScreen, safe_file_name, show_error

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

    from workshopkit.ui.backup_dialog import BackupDialog
    from workshopkit.ui.checklist_dialog import ChecklistDialog
    from workshopkit.ui.guidance_panel import GuidancePanel
    from workshopkit.ui.join_controller import JoinController
    from workshopkit.ui.join_panel import JoinPanel
    from workshopkit.ui.merge_dialog import MergeDialog
    from workshopkit.ui.moderation_panel import ModerationPanel
    from workshopkit.ui.presenter import PresenterControls
    from workshopkit.ui.workshop_dialog import WorkshopDialog

MAP_STEP = 1
VALUES_STEP = 2
PRINCIPLES_STEP = 4
BOARD_STEP = 3
BoardFactory = Callable[[], Any]

ABOUT_TEXT = (
    f"{APP_NAME} {__version__}\n\n"
    "Run equitable-partnership workshops between universities and civic partners: who needs "
    "to be in the room, what and who you value, what you expect of each other, and the "
    "principles you draft together.\n\n"
    "Free for non-commercial use. The toolkit content it is built on is licensed "
    f"{LICENCE_NAME}, which does not allow commercial use.\n\n"
    f"{CREDIT}"
)


def window_title(workshop_title: str | None) -> str:
    """The title bar text; a literal "[*]" in a title is escaped so Qt shows it as typed."""
    if not workshop_title:
        return APP_NAME
    return f"{workshop_title.replace('[*]', '[*][*]')} — {APP_NAME}"


def _to_bool(value: object, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _to_int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


class WorkshopView(QWidget):
    """One workshop: its title, the list of steps, and each step's guidance and working view.

    Built when a workshop is first opened; what only it uses is imported then.
    """

    def __init__(self, steps: tuple[Guidance, ...], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSplitter, QVBoxLayout

        from workshopkit.ui.guidance_panel import GuidancePanel, plain_label

        super().__init__(parent)
        self.setAccessibleName("Workshop")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 4)

        self.header_label = plain_label("", self)
        self.header_label.setObjectName("workshopHeader")
        self.header_label.setFont(scaled_font(self.font(), 1.6, bold=True))
        self.header_label.setAccessibleName("Workshop title")
        self.header_label.setWordWrap(False)
        self.subheader_label = plain_label("", self)
        self.subheader_label.setFont(scaled_font(self.font(), 1.15))
        self.subheader_label.setAccessibleName("Workshop details")
        layout.addWidget(self.header_label)
        layout.addWidget(self.subheader_label)

        self.step_list = QListWidget(self)
        self.step_list.setAccessibleName("Steps")
        self.step_list.setFont(scaled_font(self.font(), 1.35))
        self.step_list.setWordWrap(True)
        self.step_list.setSpacing(4)
        self.step_list.setMinimumWidth(160)
        for guidance in steps:
            item = QListWidgetItem(f"{guidance.number}.  {guidance.title}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"Step {guidance.number}: {guidance.title}")
            item.setToolTip(f"Step {guidance.number} (Ctrl+{guidance.number})")
            self.step_list.addItem(item)

        self.pages = QStackedWidget(self)
        self.guidance_panels: dict[int, GuidancePanel] = {}
        self.page_splitters: dict[int, QSplitter] = {}
        self.working_views: dict[int, QWidget] = {}
        for guidance in steps:
            splitter = QSplitter(Qt.Orientation.Horizontal, self.pages)
            splitter.setChildrenCollapsible(False)
            splitter.setAccessibleName(f"Step {guidance.number}")
            panel = GuidancePanel(guidance, splitter)
            # Stands in until the step's view is built, when the first workshop opens.
            working = QWidget(splitter)
            working.setAccessibleName(guidance.title)
            splitter.addWidget(panel)
            splitter.addWidget(working)
            splitter.setStretchFactor(0, 0)
            splitter.setStretchFactor(1, 1)
            splitter.setSizes([460, 900])
            self.pages.addWidget(splitter)
            self.guidance_panels[guidance.number] = panel
            self.page_splitters[guidance.number] = splitter
            self.working_views[guidance.number] = working

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.addWidget(self.step_list)
        self.main_splitter.addWidget(self.pages)
        self.main_splitter.setStretchFactor(0, 0)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([300, 1000])
        layout.addWidget(self.main_splitter, 1)

    def show_step(self, number: int) -> None:
        self.pages.setCurrentWidget(self.page_splitters[number])
        if self.step_list.currentRow() != number - 1:
            self.step_list.setCurrentRow(number - 1)


def _workshop_view_part(name: str) -> Any:
    """A window attribute that is a part of the workshop view, built on first access."""

    def get(window: MainWindow) -> Any:
        return getattr(window.workshop_view, name)

    return property(get, doc=f"The workshop view's ``{name}`` (building the view if needed).")


class MainWindow(QMainWindow):
    """Start screen and workshop view in one window, with the menus a desktop user expects."""

    workshop_changed = Signal(object)  # the open workshop's id, or None
    step_changed = Signal(int)

    header_label = _workshop_view_part("header_label")
    subheader_label = _workshop_view_part("subheader_label")
    step_list = _workshop_view_part("step_list")
    pages = _workshop_view_part("pages")
    guidance_panels = _workshop_view_part("guidance_panels")
    page_splitters = _workshop_view_part("page_splitters")
    working_views = _workshop_view_part("working_views")
    main_splitter = _workshop_view_part("main_splitter")

    def __init__(
        self,
        store: Store,
        bridge: StoreBridge,
        undo_stack: QUndoStack,
        settings_path: Path | str,
        board_factory: BoardFactory | None = None,
        parent: QWidget | None = None,
        *,
        view_factories: Mapping[int, BoardFactory] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.bridge = bridge
        self.undo_stack = undo_stack
        self.settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        self._view_factories: dict[int, BoardFactory] = dict(view_factories or {})
        if board_factory is not None:
            self._view_factories[BOARD_STEP] = board_factory
        self.step_views: dict[int, Any] = {}
        """Each step's working view once built (1: the stakeholder map, 3: the board)."""
        self._step_menu_actions: dict[int, list[QAction]] = {}
        self.workshop_id: int | None = None
        self._step = 1
        self._shown_once = False
        self._needs_default_layout = True
        self._was_maximized = False
        self._steps: tuple[Guidance, ...] = all_steps()
        self._step_numbers = frozenset(guidance.number for guidance in self._steps)
        self._workshop_view: WorkshopView | None = None
        self._saved_splitter_states: tuple[QByteArray, QByteArray] | None = None
        self.join_port: int | None = None
        """The phone server's port (None: the default, with fallback); tests use 0."""
        self.join_limits: Any = None
        self.join_controller: JoinController | None = None
        self.join_panel: JoinPanel | None = None
        self.join_dock: QDockWidget | None = None
        self.moderation_panel: ModerationPanel | None = None
        self.moderation_dock: QDockWidget | None = None
        self.setWindowTitle(window_title(None))
        self.setAccessibleName(APP_NAME)

        self.start_screen = StartScreen(store, bridge, self)
        self.start_screen.workshop_opened.connect(self.open_workshop)
        self.start_screen.workshop_deleted.connect(self._on_start_screen_workshop_deleted)
        self.start_screen.workshops_imported.connect(self._on_start_screen_workshops_imported)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start_screen)
        self.setCentralWidget(self.stack)
        self.statusBar().setFont(scaled_font(self.font(), 1.1))

        self._build_actions()
        self._presenter: PresenterControls | None = None
        self._build_menus()
        from workshopkit.ui.first_paint import FirstPaintWatcher

        FirstPaintWatcher(self, self._build_presenter)
        selection = self.start_screen.table.selectionModel()
        selection.selectionChanged.connect(self._update_actions)
        self.start_screen.model.modelReset.connect(self._update_actions)
        bridge.changed.connect(self._on_bridge_changed)
        self.destroyed.connect(_detacher(bridge))

        self._restore_settings()
        self._show_step(self._step)
        self._update_actions()

    # ----------------------------------------------------------------- building

    @property
    def workshop_view(self) -> WorkshopView:
        """The workshop view, built the first time it is needed (not for the start screen)."""
        return self._ensure_workshop_view()

    def _ensure_workshop_view(self) -> WorkshopView:
        if self._workshop_view is None:
            self._workshop_view = self._build_workshop_view()
        return self._workshop_view

    def _build_workshop_view(self) -> WorkshopView:
        view = WorkshopView(self._steps, self.stack)
        self.stack.addWidget(view)
        # Settle the window's layout now, as if the view had been there from the start: the
        # window's minimum size counts the view as built, not as it grows later (the board is
        # wide), so opening a workshop never resizes the window.
        self.stack.layout().activate()
        self.layout().activate()
        if self._saved_splitter_states is not None:
            main_state, page_state = self._saved_splitter_states
            view.main_splitter.restoreState(main_state)
            for splitter in view.page_splitters.values():
                splitter.restoreState(page_state)
        visible = self.guidance_visible()
        for panel in view.guidance_panels.values():
            panel.setVisible(visible)
        view.show_step(self._step)
        view.step_list.currentRowChanged.connect(self._on_step_list_current_row_changed)
        for splitter in view.page_splitters.values():
            splitter.splitterMoved.connect(self._on_page_splitter_moved)
        return view

    def _action(self, text: str, slot: Callable[..., Any], shortcut: str | None = None,
                *, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("&New workshop…", self.new_workshop, "Ctrl+N",
                                       tip="Set up a new workshop")
        self.open_action = self._action("&Open workshop…", self.show_start_screen, "Ctrl+O",
                                        tip="Go to the start screen to pick a workshop")
        self.details_action = self._action("Workshop &details…", self.edit_details,
                                           tip="Title, date, organisations and people")
        self.duplicate_action = self._action("D&uplicate workshop", self.duplicate_workshop,
                                             tip="Copy the workshop with everything in it")
        self.checklist_action = self._action("Chec&klist…", self.show_checklist,
                                             tip="Before the workshop: pay, access, "
                                                 "interpretation, food, childcare, travel…")
        self.merge_action = self._action("&Merge workshops…", self.merge_workshops,
                                         tip="Bring two or more workshops together in a joint "
                                             "one (the Queen Mary sequence)")
        self.import_action = self._action("&Import workshop…", self.start_screen.import_workshop,
                                          tip="Add workshops from a .workshop file")
        self.export_action = self._action("&Export workshop…", self.export_workshop,
                                          tip="Save the workshop as a .workshop file")
        self.export_csv_action = self._action("Export post-its as &CSV…", self.export_csv,
                                              tip="Every post-it as a spreadsheet row")
        self.export_png_action = self._action("Export board as &PNG…", self.export_png,
                                              tip="A picture of the expectations board")
        self.backups_action = self._action("&Backups…", self.show_backups,
                                           tip="The daily backups of all workshops, and "
                                               "restoring one")
        self.close_action = self._action("&Close workshop", self.close_workshop, "Ctrl+W",
                                         tip="Back to the start screen")
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)

        self.step_actions: dict[int, QAction] = {}
        self._step_group = QActionGroup(self)
        self._step_group.setExclusive(True)
        for guidance in self._steps:
            number = guidance.number
            action = self._action(f"&{number}  {guidance.title}",
                                  lambda _checked=False, n=number: self.set_step(n),
                                  f"Ctrl+{number}")
            action.setCheckable(True)
            self._step_group.addAction(action)
            self.step_actions[number] = action

        self.guidance_action = self._action("Show &guidance", self.set_guidance_visible, "F9",
                                            tip="Show or hide the guidance beside each step")
        self.guidance_action.setCheckable(True)
        self.guidance_action.setChecked(True)
        self.full_screen_action = self._action("&Full screen", self.set_full_screen, "F11")
        self.full_screen_action.setCheckable(True)

        self.joining_action = self._action("&Open joining", self.toggle_joining, "Ctrl+J",
                                           tip="Let phones add post-its (opens or closes)")
        self.join_slide_action = self._action("Show join &slide", self.show_join_slide, "F5",
                                              tip="A full-screen QR code and join address")
        self.join_panel_action = self._action("Show join &panel", self.set_join_panel_visible,
                                              "Ctrl+Shift+J",
                                              tip="The QR code and joining controls beside "
                                                  "the board")
        self.join_panel_action.setCheckable(True)
        self.moderation_action = self._action("&Moderation and voting…",
                                              self.set_moderation_visible, "Ctrl+Shift+M",
                                              tip="Approve phone post-its, reveal, dot voting")
        self.moderation_action.setCheckable(True)

        self.about_action = self._action("&About workshopkit", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action("About &Qt", QApplication.aboutQt)
        self.about_qt_action.setMenuRole(QAction.MenuRole.AboutQtRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addActions([self.new_action, self.open_action, self.details_action,
                                   self.duplicate_action, self.checklist_action,
                                   self.merge_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.import_action, self.export_action,
                                   self.export_csv_action, self.export_png_action])
        self.file_export_anchor = self.file_menu.addSeparator()
        """Steps' own export commands go just before this separator."""
        self.file_menu.addAction(self.backups_action)
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.close_action, self.quit_action])

        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addActions([self.undo_action, self.redo_action])

        self.view_menu = bar.addMenu("&View")
        self.view_menu.addActions(list(self.step_actions.values()))
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.guidance_action, self.full_screen_action])

        self.joining_menu = bar.addMenu("&Joining")
        self.joining_menu.addActions([self.joining_action, self.join_slide_action])
        self.joining_menu.addSeparator()
        self.joining_menu.addActions([self.join_panel_action, self.moderation_action])

        # Filled when the presenter's controls are built, just after the window first shows.
        self.present_menu = bar.addMenu("&Present")

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addActions([self.about_action, self.about_qt_action])

    @property
    def presenter(self) -> PresenterControls:
        """The Present menu: the audience window on the projector and the room's controls.

        Built just after the window first shows (or on first use), not before: the window
        paints sooner, and the room's controls are there before anyone can reach for them.
        """
        if self._presenter is None:
            from workshopkit.ui.presenter import PresenterControls

            presenter = self._presenter = PresenterControls(self)
            presenter.fill_menu(self.present_menu)
            self.help_menu.insertAction(self.about_action, presenter.shortcuts_action)
            if self.join_controller is not None:
                presenter.attach_join_controller(self.join_controller)
            presenter.update_actions()
        return self._presenter

    def _build_presenter(self) -> None:
        _ = self.presenter

    @property
    def board(self) -> Any:
        """The expectations board (step 3), or None before a workshop is first opened."""
        return self.step_views.get(BOARD_STEP)

    @property
    def stakeholder_map(self) -> Any:
        """The stakeholder map (step 1), or None before a workshop is first opened."""
        return self.step_views.get(MAP_STEP)

    @property
    def values_view(self) -> Any:
        """The values alignment view (step 2), or None before a workshop is first opened."""
        return self.step_views.get(VALUES_STEP)

    @property
    def principles_view(self) -> Any:
        """The principles editor (step 4), or None before a workshop is first opened."""
        return self.step_views.get(PRINCIPLES_STEP)

    def _ensure_step_views(self) -> None:
        """Build the steps' working views the first time a workshop opens, so startup stays quick."""
        for number in sorted(self._view_factories):
            view = self._view_factories.pop(number)()
            if view is None:
                continue
            self.step_views[number] = view
            if hasattr(view, "organisations_requested"):
                view.organisations_requested.connect(self.edit_details)
            splitter = self.page_splitters[number]
            sizes = splitter.sizes()
            old = self.working_views[number]
            splitter.replaceWidget(1, view)
            old.deleteLater()
            splitter.setSizes(sizes)
            self.working_views[number] = view
            actions = [self.edit_menu.addSeparator()]
            self.edit_menu.addActions(view.edit_actions)
            actions.append(self.view_menu.addSeparator())
            self.view_menu.addActions(view.view_actions)
            actions += [*view.edit_actions, *view.view_actions]
            export_actions = list(getattr(view, "export_actions", ()))
            if export_actions:
                actions.append(self.file_menu.insertSeparator(self.file_export_anchor))
                self.file_menu.insertActions(self.file_export_anchor, export_actions)
                actions += export_actions
            self._step_menu_actions[number] = actions
        self._update_board_actions()

    def _update_board_actions(self) -> None:
        """A step's commands are in the menus (and their keys work) only while it is shown."""
        for number, actions in self._step_menu_actions.items():
            shown = self.workshop_id is not None and self._step == number
            for action in actions:
                action.setVisible(shown)

    # ----------------------------------------------------------------- workshops

    def open_workshop(self, workshop_id: int) -> bool:
        try:
            workshop = self.store.get_workshop(workshop_id)
        except StoreError as exc:
            show_error(self, "Could not open the workshop", str(exc))
            return False
        if workshop_id != self.workshop_id:
            self.undo_stack.clear()
            if self.join_controller is not None:
                self.join_controller.shutdown()
        self.workshop_id = workshop_id
        self.settings.setValue("workshop/last_id", workshop_id)
        self._ensure_workshop_view()
        self._ensure_step_views()
        for view in self.step_views.values():
            view.set_workshop(workshop_id)
        self._show_workshop_header(workshop.title, workshop.partnership, workshop.date)
        for part in (self.join_panel, self.moderation_panel):
            if part is not None:
                part.set_workshop(workshop_id)
        self.stack.setCurrentWidget(self.workshop_view)
        if self._needs_default_layout:
            self._apply_default_layout()
        self._show_step(self._step)
        self._update_actions()
        self._focus_working_view()
        self.workshop_changed.emit(workshop_id)
        return True

    def _show_workshop_header(self, title: str, partnership: str, date: str) -> None:
        self.setWindowTitle(window_title(title))
        self.header_label.setText(title)
        self.subheader_label.setText("  ·  ".join(part for part in (partnership, date) if part))
        self.subheader_label.setVisible(bool(self.subheader_label.text()))

    def close_workshop(self) -> None:
        closing = self.workshop_id
        self.workshop_id = None
        self.undo_stack.clear()
        if self.join_controller is not None:
            self.join_controller.shutdown()
        for part in (self.join_panel, self.moderation_panel):
            if part is not None:
                part.set_workshop(None)
        for dock in (self.join_dock, self.moderation_dock):
            if dock is not None:
                dock.hide()
        for view in self.step_views.values():
            view.set_workshop(None)
        self.setWindowTitle(window_title(None))
        self.stack.setCurrentWidget(self.start_screen)
        if closing is not None:
            self.start_screen.select_workshop(closing)
        self.start_screen.focus_list()
        self._update_actions()
        if closing is not None:
            self.workshop_changed.emit(None)

    def show_start_screen(self) -> None:
        self.close_workshop()

    def target_workshop_id(self) -> int | None:
        """The open workshop, or on the start screen the selected one."""
        if self.workshop_id is not None:
            return self.workshop_id
        return self.start_screen.selected_workshop_id()

    def new_workshop(self) -> WorkshopDialog:
        if self.workshop_id is not None:
            self.close_workshop()
        return self.start_screen.new_workshop()

    def edit_details(self) -> WorkshopDialog | None:
        workshop_id = self.target_workshop_id()
        if workshop_id is None:
            return None
        from workshopkit.ui.workshop_dialog import WorkshopDialog

        try:
            dialog = WorkshopDialog(self.store, workshop_id, self)
        except StoreError as exc:
            show_error(self, "Could not open the workshop details", str(exc))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def duplicate_workshop(self) -> int | None:
        """Copy the target workshop; from the workshop view, the copy is opened."""
        workshop_id = self.target_workshop_id()
        if workshop_id is None:
            return None
        was_open = self.workshop_id is not None
        copy_id = self.start_screen.duplicate_workshop(workshop_id)
        if copy_id is not None:
            if was_open:
                self.open_workshop(copy_id)
            self.statusBar().showMessage("Made a copy of the workshop.", 6000)
        return copy_id

    def show_checklist(self) -> ChecklistDialog | None:
        """Before the workshop: the toolkit's checklist for the open (or selected) workshop."""
        workshop_id = self.target_workshop_id()
        if workshop_id is None:
            return None
        from workshopkit.ui.checklist_dialog import ChecklistDialog

        try:
            dialog = ChecklistDialog(self.store, self.bridge, self.undo_stack, workshop_id, self)
        except StoreError as exc:
            show_error(self, "Could not open the checklist", str(exc))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_backups(self) -> BackupDialog:
        """File > Backups…: the library's rolling backups; restoring one closes the workshop."""
        from workshopkit.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.backup_restored.connect(self._on_backup_dialog_backup_restored)
        dialog.open()
        return dialog

    def _on_backup_dialog_backup_restored(self, saved: str) -> None:
        self.close_workshop()
        self.undo_stack.clear()
        self.statusBar().showMessage(
            f"Backup restored. The workshops as they were are kept in {saved}.", 15000)

    def merge_workshops(self) -> MergeDialog:
        """Choose workshops to merge into a joint one, which then opens."""
        from workshopkit.ui.merge_dialog import MergeDialog

        target = self.target_workshop_id()
        dialog = MergeDialog(self.store, self, selected=[] if target is None else [target])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.workshops_merged.connect(self._on_merge_dialog_workshops_merged)
        dialog.open()
        return dialog

    def _on_merge_dialog_workshops_merged(self, workshop_id: int) -> None:
        self.start_screen.refresh()
        if self.open_workshop(workshop_id):
            self.statusBar().showMessage(
                "Merged into a joint workshop: each post-it, card, value and answer keeps "
                "where it came from.", 8000)

    def export_workshop(self) -> QFileDialog | None:
        workshop_id = self.target_workshop_id()
        if workshop_id is None:
            return None
        return self.start_screen.export_workshop(workshop_id)

    def _save_dialog(self, caption: str, name_filter: str, suggested: str,
                     suffix: str) -> QFileDialog:
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        dialog = QFileDialog(self, caption, str(Path(folder) / suggested), name_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(suffix)
        dialog.setAccessibleName(caption)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    def _suggested_name(self, workshop_id: int) -> str:
        try:
            return safe_file_name(self.store.get_workshop(workshop_id).title)
        except StoreError:
            return "workshop"

    def export_csv(self) -> QFileDialog | None:
        workshop_id = self.target_workshop_id()
        if workshop_id is None:
            return None
        dialog = self._save_dialog("Export post-its as CSV", "CSV files (*.csv)",
                                   self._suggested_name(workshop_id) + " post-its.csv", "csv")
        dialog.fileSelected.connect(lambda path: self.export_csv_to(workshop_id, path))
        dialog.open()
        return dialog

    def export_csv_to(self, workshop_id: int, path: str) -> Path | None:
        from workshopkit.export.csvfile import write_postits_csv

        try:
            written = write_postits_csv(self.store, workshop_id, path)
        except StoreError as exc:
            show_error(self, "Could not export the post-its", str(exc))
            return None
        self.statusBar().showMessage(f"Saved the post-its to {written}", 8000)
        return written

    def export_png(self) -> QFileDialog | None:
        if self.board is None or self.workshop_id is None:
            return None
        dialog = self._save_dialog("Export board as PNG", "PNG images (*.png)",
                                   self._suggested_name(self.workshop_id) + " board.png", "png")
        dialog.fileSelected.connect(self.export_png_to)
        dialog.open()
        return dialog

    def export_png_to(self, path: str) -> Path | None:
        if self.board is None:
            return None
        try:
            written = Path(self.board.export_png(Path(path)))
        except (StoreError, OSError) as exc:
            show_error(self, "Could not export the board", str(exc))
            return None
        self.statusBar().showMessage(f"Saved the board picture to {written}", 8000)
        return written

    def _on_start_screen_workshops_imported(self, titles: list[str]) -> None:
        names = ", ".join(f"“{title}”" for title in titles)
        where = " It is on the start screen (Ctrl+O)." if self.workshop_id is not None else ""
        self.statusBar().showMessage(f"Imported {names}.{where}", 10000)

    def _on_start_screen_workshop_deleted(self, workshop_id: int) -> None:
        if workshop_id == self.workshop_id:
            self.close_workshop()

    def _on_bridge_changed(self, change: Change) -> None:
        if change.kind != ChangeKind.WORKSHOPS or self.workshop_id is None:
            return
        if change.workshop_id not in (None, self.workshop_id):
            return
        try:
            workshop = self.store.get_workshop(self.workshop_id)
        except NotFoundError:
            self.close_workshop()
            return
        self._show_workshop_header(workshop.title, workshop.partnership, workshop.date)

    # ----------------------------------------------------------------- steps and view

    def current_step(self) -> int:
        return self._step

    def set_step(self, number: int) -> None:
        if number not in self._step_numbers:
            return
        self._show_step(number)
        if self.workshop_id is not None:
            self._focus_working_view()

    def _show_step(self, number: int) -> None:
        changed = number != self._step
        self._step = number
        if self._workshop_view is not None:
            self._workshop_view.show_step(number)
        self.step_actions[number].setChecked(True)
        self._update_board_actions()
        if changed:
            self.step_changed.emit(number)

    def _focus_working_view(self) -> None:
        view = self.step_views.get(self._step)
        if view is None:
            self.step_list.setFocus()
        elif self._step == BOARD_STEP:
            view.focus_column(view.current_column)
        elif self._step == MAP_STEP:
            view.focus_map()
        else:
            view.focus_view()

    def _on_step_list_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self._show_step(row + 1)

    def current_guidance_panel(self) -> GuidancePanel:
        return self.guidance_panels[self._step]

    def set_guidance_visible(self, visible: bool) -> None:
        if self.guidance_action.isChecked() != visible:
            self.guidance_action.setChecked(visible)
        if self._workshop_view is not None:
            for panel in self._workshop_view.guidance_panels.values():
                panel.setVisible(visible)

    def guidance_visible(self) -> bool:
        return self.guidance_action.isChecked()

    def set_full_screen(self, on: bool) -> None:
        if self.full_screen_action.isChecked() != on:
            self.full_screen_action.setChecked(on)
        if on and not self.isFullScreen():
            self._was_maximized = self.isMaximized()
            self.showFullScreen()
        elif not on and self.isFullScreen():
            if self._was_maximized:
                self.showMaximized()
            else:
                self.showNormal()

    def _on_page_splitter_moved(self, _pos: int, _index: int) -> None:
        sizes = self.page_splitters[self._step].sizes()
        for number, splitter in self.page_splitters.items():
            if number != self._step:
                splitter.setSizes(sizes)

    def _update_actions(self, *_args: object) -> None:
        is_open = self.workshop_id is not None
        has_target = self.target_workshop_id() is not None
        for action in (self.details_action, self.duplicate_action, self.export_action,
                       self.export_csv_action, self.checklist_action):
            action.setEnabled(has_target)
        self.merge_action.setEnabled(self.start_screen.model.rowCount() >= 2)
        self.close_action.setEnabled(is_open)
        self.export_png_action.setEnabled(is_open and self.board is not None)
        for action in self.step_actions.values():
            action.setEnabled(is_open)
        for action in (self.joining_action, self.join_panel_action, self.moderation_action):
            action.setEnabled(is_open)
        self._update_joining_actions()
        self._update_board_actions()
        if self._presenter is not None:
            self._presenter.update_actions()

    # ----------------------------------------------------------------- joining from phones

    def _ensure_join_controller(self) -> JoinController:
        """The phone server's controller, built (and the server code imported) on first use."""
        if self.join_controller is None:
            from workshopkit.ui.join_controller import JoinController

            controller = JoinController(self.store, self.bridge, self, port=self.join_port,
                                        limits=self.join_limits)
            controller.joining_opened.connect(self._on_join_controller_joining_opened)
            controller.joining_closed.connect(self._update_joining_actions)
            controller.error_shown.connect(self._on_join_controller_error_shown)
            self.join_controller = controller
            if self._presenter is not None:
                self._presenter.attach_join_controller(controller)
        return self.join_controller

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def ensure_join_panel(self) -> JoinPanel:
        if self.join_panel is None:
            from workshopkit.ui.join_panel import JoinPanel

            panel = JoinPanel(self._ensure_join_controller())
            panel.set_workshop(self.workshop_id)
            self.join_panel = panel
            self.join_dock = self._dock("Join from phones", "join_dock", panel)
            self.resizeDocks([self.join_dock], [max(360, self.width() // 4)],
                             Qt.Orientation.Horizontal)
            if self.moderation_dock is not None:
                self.tabifyDockWidget(self.moderation_dock, self.join_dock)
            self.join_dock.visibilityChanged.connect(self._on_join_dock_visibility_changed)
        return self.join_panel

    def ensure_moderation_panel(self) -> ModerationPanel:
        if self.moderation_panel is None:
            from workshopkit.ui.moderation_panel import ModerationPanel

            panel = ModerationPanel(self.store, self.bridge, self.undo_stack)
            panel.set_workshop(self.workshop_id)
            self.moderation_panel = panel
            self.moderation_dock = self._dock("Moderation and voting", "moderation_dock", panel)
            if self.join_dock is not None:
                # Tabs, not stacked: the window never grows past the screen, the QR stays large.
                self.tabifyDockWidget(self.join_dock, self.moderation_dock)
            self.moderation_dock.visibilityChanged.connect(
                self._on_moderation_dock_visibility_changed)
        return self.moderation_panel

    def set_join_panel_visible(self, visible: bool) -> None:
        if self.join_panel_action.isChecked() != visible:
            self.join_panel_action.setChecked(visible)
        if visible:
            if self.workshop_id is None:
                return
            self.ensure_join_panel()
        if self.join_dock is not None:
            self.join_dock.setVisible(visible)
            if visible:
                self.join_dock.raise_()

    def set_moderation_visible(self, visible: bool) -> None:
        if self.moderation_action.isChecked() != visible:
            self.moderation_action.setChecked(visible)
        if visible:
            if self.workshop_id is None:
                return
            self.ensure_moderation_panel()
        if self.moderation_dock is not None:
            self.moderation_dock.setVisible(visible)
            if visible:
                self.moderation_dock.raise_()

    def toggle_joining(self) -> None:
        """Open joining for the open workshop (showing the QR panel), or close it."""
        if self.workshop_id is None:
            return
        controller = self._ensure_join_controller()
        if controller.is_open:
            controller.close_joining()
            return
        panel = self.ensure_join_panel()
        self.set_join_panel_visible(True)
        panel.open_joining()

    def show_join_slide(self) -> None:
        if self.join_controller is None or not self.join_controller.is_open:
            self.statusBar().showMessage("Open joining first (Ctrl+J) to show the join slide.",
                                         6000)
            return
        self.ensure_join_panel().show_slide()

    def _update_joining_actions(self) -> None:
        is_open = self.join_controller is not None and self.join_controller.is_open
        self.joining_action.setText("Close &joining" if is_open else "&Open joining")
        self.join_slide_action.setEnabled(is_open)

    def _on_join_controller_joining_opened(self, url: str) -> None:
        self._update_joining_actions()
        self.statusBar().showMessage(f"Joining is open: {url}", 8000)

    def _on_join_controller_error_shown(self, message: str) -> None:
        self._update_joining_actions()
        self.join_error_box = show_error(self, "Joining could not open", message)

    def _on_join_dock_visibility_changed(self, _visible: bool) -> None:
        self.join_panel_action.setChecked(self.join_dock is not None
                                          and not self.join_dock.isHidden())

    def _on_moderation_dock_visibility_changed(self, _visible: bool) -> None:
        self.moderation_action.setChecked(self.moderation_dock is not None
                                          and not self.moderation_dock.isHidden())

    # ----------------------------------------------------------------- about

    def show_about(self) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(ABOUT_TEXT)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setAccessibleName(f"About {APP_NAME}")
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # ----------------------------------------------------------------- window state

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            if self.windowState() & Qt.WindowState.WindowFullScreen:
                self.setWindowState(self.windowState() & ~Qt.WindowState.WindowFullScreen)
        else:
            self._fit_to_screen()
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        main_splitter = s.value("window/main_splitter")
        page_splitter = s.value("window/page_splitter")
        if (
            isinstance(main_splitter, QByteArray) and not main_splitter.isEmpty()
            and isinstance(page_splitter, QByteArray) and not page_splitter.isEmpty()
        ):
            self._saved_splitter_states = (main_splitter, page_splitter)  # for the workshop view
            self._needs_default_layout = False
        step = _to_int(s.value("workshop/step"), 1)
        self._step = step if step in self._step_numbers else 1
        self.set_guidance_visible(_to_bool(s.value("window/guidance_visible"), True))
        last = s.value("workshop/last_id")
        if last is not None:
            self.start_screen.select_workshop(_to_int(last, -1))

    def _fit_to_screen(self) -> None:
        """First run: a comfortable size that fits small laptop and projector screens."""
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        self.resize(min(1280, available.width() * 9 // 10),
                    min(800, available.height() * 9 // 10))
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def _apply_default_layout(self) -> None:
        """Until the user drags the splitters: steps narrow, guidance readable, the rest work."""
        self._needs_default_layout = False
        total = max(self.stack.width() - 24, 800)
        steps = max(170, min(240, total // 7))
        rest = total - steps
        guidance = max(280, min(420, rest * 3 // 10))
        self.main_splitter.setSizes([steps, rest])
        for splitter in self.page_splitters.values():
            splitter.setSizes([guidance, rest - guidance])

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        # Only sizes the user has actually seen; unbuilt, the view left the saved ones as they were.
        if not self._needs_default_layout and self._workshop_view is not None:
            s.setValue("window/main_splitter", self.main_splitter.saveState())
            s.setValue("window/page_splitter", self.page_splitters[self._step].saveState())
        s.setValue("workshop/step", self._step)
        s.setValue("window/guidance_visible", self.guidance_visible())
        s.sync()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.start_screen.focus_list)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shown_once:
            self.save_settings()
        event.accept()
        if self._presenter is not None:
            self._presenter.shutdown()
        if self.join_controller is not None:
            self.join_controller.shutdown()
        self.bridge.detach()
        super().closeEvent(event)


def _detacher(bridge: StoreBridge) -> Callable[..., None]:
    """Stop the store calling a bridge whose window has gone (Python-only, safe in teardown)."""
    unsubscribe = bridge.detach

    def detach(*_args: object) -> None:
        unsubscribe()

    return detach
