"""Composition root: the one place that builds the objects of the desktop app and wires them.

Heavy or optional parts (the board, exports, the phone server, PDFs) are imported only when
first used, so the first window appears quickly.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QApplication

from workshopkit import APP_NAME, __version__
from workshopkit.paths import assets_dir
from workshopkit.paths import data_dir as resolve_data_dir
from workshopkit.store import Store, StoreError
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.first_paint import FirstPaintWatcher
from workshopkit.ui.main_window import MainWindow

if TYPE_CHECKING:
    from workshopkit.backup import Backup

QUIT_AFTER_PAINT_ENV = "WORKSHOPKIT_QUIT_AFTER_PAINT"
SETTINGS_FILENAME = "window.ini"
ICON_FILENAME = "workshopkit.png"
PAINTED_MARKER = "painted"
HEADLESS_PLATFORMS = ("offscreen", "minimal")

ErrorShower = Callable[[str, str], object]
"""``show_error(title, message)``: tells the user why the app cannot start."""
RestoreAsker = Callable[[str, "Backup"], bool]
"""``ask_restore(message, newest_backup)``: True when the user wants the backup restored."""

_IMPORTED_AT = time.perf_counter()


def app_icon() -> QIcon:
    path = assets_dir() / ICON_FILENAME
    return QIcon(str(path)) if path.is_file() else QIcon()


def _show_critical(title: str, message: str) -> None:
    """A blocking plain-text box; also on stderr, and only there when no screen can show it."""
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    if QApplication.platformName() in HEADLESS_PLATFORMS:
        return
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def _board_factory(store: Store, bridge: StoreBridge, undo_stack: QUndoStack) -> Callable[[], Any]:
    """Builds the expectations board on first use (it is the heaviest view)."""

    def build() -> Any:
        from workshopkit.ui.board import BoardView

        return BoardView(store, bridge, undo_stack)

    return build


def _map_factory(store: Store, bridge: StoreBridge, undo_stack: QUndoStack) -> Callable[[], Any]:
    """Builds the stakeholder map (step 1) on first use."""

    def build() -> Any:
        from workshopkit.ui.stakeholder_map import StakeholderMapView

        return StakeholderMapView(store, bridge, undo_stack)

    return build


def _values_factory(store: Store, bridge: StoreBridge,
                    undo_stack: QUndoStack) -> Callable[[], Any]:
    """Builds the values alignment view (step 2) on first use."""

    def build() -> Any:
        from workshopkit.ui.values_view import ValuesView

        return ValuesView(store, bridge, undo_stack)

    return build


def _principles_factory(store: Store, bridge: StoreBridge,
                        undo_stack: QUndoStack) -> Callable[[], Any]:
    """Builds the principles editor (step 4) on first use."""

    def build() -> Any:
        from workshopkit.ui.principles_view import PrinciplesView

        return PrinciplesView(store, bridge, undo_stack)

    return build


def build_main_window(store: Store, settings_path: Path) -> MainWindow:
    """The main window with its bridge, undo stack and step views, all owned by the window."""
    bridge = StoreBridge(store)
    undo_stack = QUndoStack()
    window = MainWindow(store, bridge, undo_stack, settings_path,
                        board_factory=_board_factory(store, bridge, undo_stack),
                        view_factories={1: _map_factory(store, bridge, undo_stack),
                                        2: _values_factory(store, bridge, undo_stack),
                                        4: _principles_factory(store, bridge, undo_stack)})
    bridge.setParent(window)
    undo_stack.setParent(window)
    return window


def seconds_since_process_start() -> float:
    """Wall time since this process started (Linux /proc), else since this module loaded."""
    try:
        with open("/proc/self/stat", encoding="utf-8") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="utf-8") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED_AT


def _quit_after_paint(app: QApplication) -> None:
    print(f"{PAINTED_MARKER} {seconds_since_process_start():.3f}", flush=True)
    app.exit(0)


def _ask_restore(message: str, backup: Backup) -> bool:
    """Offer the newest backup; with no screen to ask on, say so on stderr and decline."""
    if QApplication.platformName() in HEADLESS_PLATFORMS:
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        return False
    from workshopkit.ui.backup_dialog import ask_to_restore

    return ask_to_restore(message, backup)


def open_library(folder: Path, show_error: ErrorShower,
                 ask_restore: RestoreAsker) -> Store | None:
    """The library in ``folder``, or None after telling the user why it cannot be opened.

    A damaged or too-new file is left as it is; if there is a backup the user may restore it
    (the file is then moved aside, never overwritten). Once open, today's backup is made.
    """
    from workshopkit.backup import (
        BackupError,
        make_daily_backup,
        newest_backup,
        read_only_problem,
        restore_file,
    )
    from workshopkit.store import DB_FILENAME, CorruptDatabaseError, DatabaseTooNewError

    title = f"{APP_NAME} cannot open its workshops"
    problem = read_only_problem(folder, DB_FILENAME)
    if problem is not None:
        show_error(title, problem)
        return None
    try:
        store = Store.in_data_dir(folder)
    except (CorruptDatabaseError, DatabaseTooNewError) as exc:
        newest = newest_backup(folder / DB_FILENAME)
        if newest is None:
            show_error(title, str(exc))
            return None
        if not ask_restore(str(exc), newest):
            return None
        try:
            restore_file(folder / DB_FILENAME, newest.path)
            store = Store.in_data_dir(folder)
        except (BackupError, StoreError) as again:
            show_error(title, str(again))
            return None
    except StoreError as exc:
        show_error(title, str(exc))
        return None
    try:
        make_daily_backup(store.path)
    except BackupError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
    return store


def run_app(data_dir: str | None = None, *, show_error: ErrorShower | None = None,
            ask_restore: RestoreAsker | None = None) -> int:
    """Open the library in ``data_dir`` and run the window until it closes; the exit status."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)

    folder = resolve_data_dir(data_dir)
    store = open_library(folder, show_error or _show_critical, ask_restore or _ask_restore)
    if store is None:
        return 1
    try:
        window = build_main_window(store, folder / SETTINGS_FILENAME)
        if os.environ.get(QUIT_AFTER_PAINT_ENV) == "1":
            FirstPaintWatcher(window, lambda: _quit_after_paint(app))
        window.show()
        status = int(app.exec())
        window.close()
        window.deleteLater()
        return status
    finally:
        store.close()
