"""The main window: opening workshops, steps, menus, About, and window state between runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from workshopkit.app import build_main_window
from workshopkit.exercises.guidance import CREDIT, all_steps
from workshopkit.model import OrgKind
from workshopkit.store import Store
from workshopkit.ui.main_window import MainWindow, window_title
from workshopkit.ui.workshop_dialog import WorkshopDialog


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings" / "window.ini"


def _window(qtbot, store: Store, settings_path: Path) -> MainWindow:
    window = build_main_window(store, settings_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


@pytest.fixture
def window(qtbot, store, settings_path) -> MainWindow:
    return _window(qtbot, store, settings_path)


def _open_with_enter(qtbot, window: MainWindow, workshop_id: int) -> None:
    window.start_screen.select_workshop(workshop_id)
    window.start_screen.table.setFocus()
    with qtbot.waitSignal(window.workshop_changed, timeout=2000):
        qtbot.keyClick(window.start_screen.table, Qt.Key.Key_Return)


def _modal(qtbot, window, kind):
    def find():
        found = [w for w in window.findChildren(kind) if w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: find() is not None, timeout=2000)
    return find()


def test_enter_opens_the_workshop_and_ctrl_digits_switch_steps(qtbot, window, demo_workshop):
    assert window.stack.currentWidget() is window.start_screen
    assert window.windowTitle() == "workshopkit"
    _open_with_enter(qtbot, window, demo_workshop.id)

    assert window.stack.currentWidget() is window.workshop_view
    assert window.windowTitle() == f"{demo_workshop.title} — workshopkit"
    assert window.header_label.text() == demo_workshop.title
    for guidance in reversed(all_steps()):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + guidance.number),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.current_step() == guidance.number
        panel = window.current_guidance_panel()
        assert panel.isVisible()
        assert guidance.title in panel.title_label.text()
        assert window.step_list.currentRow() == guidance.number - 1
        assert window.step_actions[guidance.number].isChecked()


def test_step_4_shows_the_principles_editor_with_the_export_and_print_commands(
        qtbot, window, demo_workshop):
    from workshopkit.ui.principles_view import PrinciplesView

    _open_with_enter(qtbot, window, demo_workshop.id)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    view = window.working_views[4]
    assert isinstance(view, PrinciplesView) and view is window.principles_view
    assert view.isVisible() and window.current_guidance_panel().isVisible()
    file_texts = [a.text().replace("&", "") for a in window.file_menu.actions() if a.isVisible()]
    assert any("PDF" in t for t in file_texts) and any("Print" in t for t in file_texts)
    window.set_step(1)
    assert not any(a.isVisible() for a in view.export_actions)


def test_step_1_shows_the_open_workshops_stakeholder_map(qtbot, window, demo_workshop):
    from workshopkit.ui.stakeholder_map import StakeholderMapView

    _open_with_enter(qtbot, window, demo_workshop.id)
    window.set_step(1)
    view = window.working_views[1]
    assert isinstance(view, StakeholderMapView) and view is window.stakeholder_map
    assert view.isVisible()
    labels = {card.label for card in window.store.list_stakeholders(demo_workshop.id)}
    assert len(labels) >= 12
    assert {item.stakeholder.label for item in view.cards.values()} == labels
    # The map's own commands are in the menus only while step 1 is shown.
    assert all(action.isVisible() for action in view.edit_actions)
    window.set_step(3)
    assert not any(action.isVisible() for action in view.edit_actions)


def test_clicking_a_step_in_the_list_shows_it(qtbot, window, demo_workshop):
    _open_with_enter(qtbot, window, demo_workshop.id)
    item = window.step_list.item(1)
    rect = window.step_list.visualItemRect(item)
    qtbot.mouseClick(window.step_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_step() == 2
    assert "What and who do you value?" in window.current_guidance_panel().title_label.text()


def test_step_shortcuts_do_nothing_on_the_start_screen(qtbot, window, demo_workshop):
    assert not window.step_actions[3].isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.start_screen


def test_about_names_the_toolkit_credit_and_licence(qtbot, window):
    window.about_action.trigger()
    box = _modal(qtbot, window, QMessageBox)
    text = box.text()
    assert CREDIT in text
    for expected in ("Gifford", "Queen Mary University of London", "CC BY-NC 4.0",
                     "non-commercial", "workshopkit 0.1.0"):
        assert expected in text
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_menus_offer_what_a_desktop_user_expects(window):
    def texts(menu):
        return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]

    assert texts(window.file_menu)[:4] == ["New workshop…", "Open workshop…",
                                           "Workshop details…", "Duplicate workshop"]
    assert "Export board as PNG…" in texts(window.file_menu)
    assert texts(window.edit_menu)[:2] == ["Undo", "Redo"]
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert [k.toString() for k in window.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert [window.step_actions[n].shortcut().toString() for n in (1, 2, 3, 4)] == [
        "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    assert window.guidance_action.shortcut().toString() == "F9"
    assert window.full_screen_action.shortcut().toString() == "F11"
    assert window.close_action.shortcut().toString() == "Ctrl+W"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert texts(window.help_menu) == ["Keyboard shortcuts", "About workshopkit", "About Qt"]


def test_the_present_menu_and_its_keys_are_ready_just_after_the_window_first_shows(
        qtbot, store, settings_path):
    """The room's controls are built after the first frame (a quicker start), unasked."""
    window = build_main_window(store, settings_path)
    qtbot.addWidget(window)
    assert window.present_menu.actions() == []  # not yet: nothing built before the first frame
    window.show()
    qtbot.waitUntil(lambda: len(window.present_menu.actions()) > 5, timeout=2000)
    assert window.help_menu.actions()[0].text().replace("&", "") == "Keyboard shortcuts"
    shortcuts = [k.toString() for a in window.presenter.present_actions for k in a.shortcuts()]
    assert "Alt+PgDown" in shortcuts


def test_f9_hides_and_shows_the_guidance(qtbot, window, demo_workshop):
    _open_with_enter(qtbot, window, demo_workshop.id)
    panel = window.current_guidance_panel()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert not panel.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert panel.isVisible()


def test_ctrl_w_closes_the_workshop_and_selects_it_on_the_start_screen(qtbot, window, store,
                                                                       demo_workshop):
    store.create_workshop("Other")
    _open_with_enter(qtbot, window, demo_workshop.id)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.start_screen
    assert window.workshop_id is None
    assert window.windowTitle() == "workshopkit"
    assert window.start_screen.selected_workshop_id() == demo_workshop.id


def test_new_workshop_from_the_menu_opens_it(qtbot, window, store):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = _modal(qtbot, window, WorkshopDialog)
    qtbot.keyClicks(dialog.title_edit, "Typed in the menu dialog")
    with qtbot.waitSignal(window.workshop_changed, timeout=2000):
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    (summary,) = store.list_workshops()
    assert window.workshop_id == summary.id
    assert window.windowTitle() == "Typed in the menu dialog — workshopkit"


def test_workshop_details_edit_updates_the_title_bar(qtbot, window, demo_workshop):
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.details_action.trigger()
    dialog = _modal(qtbot, window, WorkshopDialog)
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Better title")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert window.windowTitle() == "Better title — workshopkit"
    assert window.header_label.text() == "Better title"


def test_duplicate_from_the_workshop_view_opens_the_copy(qtbot, window, store, demo_workshop):
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.duplicate_action.trigger()
    assert window.workshop_id != demo_workshop.id
    assert window.windowTitle() == f"{demo_workshop.title} (copy) — workshopkit"
    assert len(store.list_postits(window.workshop_id)) == 15


class _AddPostItCommand(QUndoCommand):
    """A thin store-verb command, as the board's are, to put something on the undo stack."""

    def __init__(self, store: Store, workshop_id: int) -> None:
        super().__init__("Add post-it")
        self.store, self.workshop_id, self.postit_id = store, workshop_id, None

    def redo(self) -> None:
        self.postit_id = self.store.add_postit(self.workshop_id, "shared", "Undo me").id

    def undo(self) -> None:
        self.store.delete_postits([self.postit_id])


def test_undo_redo_shortcuts_and_the_stack_is_cleared_for_another_workshop(qtbot, window, store,
                                                                          demo_workshop):
    other = store.create_workshop("Other")
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.undo_stack.push(_AddPostItCommand(store, demo_workshop.id))
    assert len(store.list_postits(demo_workshop.id)) == 16
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(store.list_postits(demo_workshop.id)) == 15
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(store.list_postits(demo_workshop.id)) == 16
    assert window.undo_action.isEnabled()

    window.close_workshop()
    _open_with_enter(qtbot, window, other.id)
    assert window.undo_stack.count() == 0
    assert not window.undo_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(store.list_postits(demo_workshop.id)) == 16


def test_titles_with_markup_are_shown_literally(qtbot, window, store):
    workshop = store.create_workshop("<b>x</b> [*]", partnership="<i>y</i>")
    _open_with_enter(qtbot, window, workshop.id)
    assert window.windowHandle().title() == "<b>x</b> [*] — workshopkit"  # as the title bar shows
    assert window.header_label.text() == "<b>x</b> [*]"
    assert window.subheader_label.text() == "<i>y</i>"
    labels = window.findChildren(QLabel)
    assert labels
    for label in labels:
        if label.text() and label.window() is window:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


def test_export_csv_through_the_file_menu(qtbot, window, demo_workshop, tmp_path):
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.export_csv_action.trigger()
    dialog = _modal(qtbot, window, QFileDialog)
    target = tmp_path / "postits.csv"
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(target.is_file, timeout=2000)
    text = target.read_text(encoding="utf-8-sig")
    assert "Shared ownership of data" in text
    assert str(target) in window.statusBar().currentMessage()


def test_window_state_persists_between_runs(qtbot, store, demo_workshop, settings_path):
    first = _window(qtbot, store, settings_path)
    first.resize(QSize(700, 520))  # inside the offscreen platform's 800x600 screen
    first.move(QPoint(40, 30))
    _open_with_enter(qtbot, first, demo_workshop.id)
    qtbot.keyClick(first, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first, Qt.Key.Key_F9)
    first.main_splitter.setSizes([250, 600])
    sizes = first.main_splitter.sizes()
    first.close()
    assert settings_path.is_file()

    second = _window(qtbot, store, settings_path)
    assert second.size() == QSize(700, 520)
    assert second.pos() == QPoint(40, 30)
    assert second.current_step() == 3
    assert second.start_screen.selected_workshop_id() == demo_workshop.id
    assert not second.guidance_visible()
    _open_with_enter(qtbot, second, demo_workshop.id)
    assert second.current_step() == 3
    assert second.main_splitter.sizes() == sizes
    assert not second.current_guidance_panel().isVisible()


def test_a_closed_window_stops_listening_to_the_store(qtbot, store, settings_path):
    window = _window(qtbot, store, settings_path)
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=2000)
    store.create_workshop("After the window went")  # would raise if the dead bridge heard it


def test_window_title_escapes_the_modified_marker():
    assert window_title(None) == "workshopkit"
    assert window_title("a [*] b") == "a [*][*] b — workshopkit"


# ----------------------------------------------------------------- the board at step 3


def _postit_count(board) -> int:
    return sum(len(model.postit_ids_in_rows(range(model.rowCount())))
               for model in board.models.values())


def test_the_demo_workshop_shows_its_board_at_step_3(qtbot, window, demo_workshop):
    from workshopkit.ui.board import BoardView

    _open_with_enter(qtbot, window, demo_workshop.id)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    board = window.working_views[3]
    assert isinstance(board, BoardView)
    assert board is window.board
    assert board.isVisible()
    assert board.workshop_id == demo_workshop.id
    assert _postit_count(board) == 15
    assert window.guidance_panels[3].isVisible()
    assert "What are your expectations?" in window.guidance_panels[3].title_label.text()
    assert window.export_png_action.isEnabled()


def test_board_commands_are_in_the_menus_only_at_step_3(qtbot, window, demo_workshop):
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.set_step(3)
    board = window.board
    assert board.add_action in window.edit_menu.actions()
    assert board.zoom_in_action in window.view_menu.actions()
    assert board.add_action.isVisible() and board.zoom_in_action.isVisible()
    window.set_step(1)
    assert not board.add_action.isVisible()
    assert not board.zoom_in_action.isVisible()
    window.set_step(3)
    window.close_workshop()
    assert not board.add_action.isVisible()


def test_a_board_edit_is_undone_and_redone_from_the_keyboard(qtbot, window, store, demo_workshop):
    _open_with_enter(qtbot, window, demo_workshop.id)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    board = window.board
    first = store.list_postits(demo_workshop.id)[0]
    board.select_postits([first.id], focus=True)
    view = board.views[first.column]
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(store.list_postits(demo_workshop.id)) == 14
    assert _postit_count(board) == 14
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(store.list_postits(demo_workshop.id)) == 15
    assert _postit_count(board) == 15
    qtbot.keyClick(view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(store.list_postits(demo_workshop.id)) == 14


def test_opening_another_workshop_shows_its_board(qtbot, window, store, demo_workshop):
    other = store.create_workshop("Empty board")
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.set_step(3)
    window.close_workshop()
    assert window.board.workshop_id is None
    _open_with_enter(qtbot, window, other.id)
    assert window.current_step() == 3
    assert window.board.workshop_id == other.id
    assert _postit_count(window.board) == 0


def test_export_board_as_png_through_the_file_menu(qtbot, window, demo_workshop, tmp_path):
    _open_with_enter(qtbot, window, demo_workshop.id)
    window.export_png_action.trigger()
    dialog = _modal(qtbot, window, QFileDialog)
    target = tmp_path / "board.png"
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(target.is_file, timeout=5000)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_and_import_from_the_workshop_view(qtbot, window, store, demo_workshop, tmp_path):
    _open_with_enter(qtbot, window, demo_workshop.id)
    target = tmp_path / "copy.workshop"
    window.export_action.trigger()
    dialog = _modal(qtbot, window, QFileDialog)
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(target.is_file, timeout=2000)

    window.import_action.trigger()
    qtbot.waitUntil(lambda: not dialog.isVisible() if shiboken6.isValid(dialog) else True)
    dialog = _modal(qtbot, window, QFileDialog)
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: len(store.list_workshops()) == 2, timeout=2000)
    assert window.workshop_id == demo_workshop.id  # the open workshop stays open
    assert demo_workshop.title in window.statusBar().currentMessage()
    assert "Ctrl+O" in window.statusBar().currentMessage()


def test_f11_toggles_full_screen(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    assert window.full_screen_action.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=2000)
    assert not window.full_screen_action.isChecked()


def test_a_forty_card_map_is_legible_on_a_1080p_projector(qtbot, window, store):
    """Projecting step 1 full screen at 1920x1080, with the guidance (F9) and the map's side
    panel (Ctrl+Shift+P) put away, every card label is at least 18 px tall at fit to screen."""
    from workshopkit.exercises.stakeholders import free_spot

    workshop = store.create_workshop("Forty", organisations=[
        ("Queen Mary University of London", OrgKind.UNIVERSITY),
        ("Tower Hamlets CVS", OrgKind.CIVIC)])
    orgs = store.list_organisations(workshop.id)
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    cards = []
    for i in range(40):
        org, ring = orgs[i % 2].id, (0, 0, 1, 1, 2)[i % 5]
        spot = free_spot(cells.setdefault((org, ring), []))
        cells[org, ring].append(spot)
        cards.append({"label": f"Partnership role {i}", "organisation_id": org, "ring": ring,
                      "across": spot[0], "depth": spot[1], "person": "Named contact"})
    store.add_stakeholders(workshop.id, cards)
    window.resize(1920, 1080)
    _open_with_enter(qtbot, window, workshop.id)
    window.set_step(1)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert not window.guidance_visible()
    view = window.stakeholder_map
    qtbot.keyClick(view.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert not view.side_tabs.isVisible()
    qtbot.waitUntil(lambda: view.view.viewport().width() > 1600)
    qtbot.keyClick(view.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    viewport = view.view.viewport().rect()
    assert viewport.adjusted(-1, -1, 1, 1).contains(
        view.view.mapFromScene(view.content_rect()).boundingRect())
    assert view.label_pixel_size() >= 18, (view.label_pixel_size(), viewport)


def test_a_map_with_no_organisations_leads_to_the_workshop_details(qtbot, window, store):
    workshop = store.create_workshop("No partners yet")
    _open_with_enter(qtbot, window, workshop.id)
    window.set_step(1)
    view = window.stakeholder_map
    assert "No organisations yet" in view.status_label.text()
    view.organisations_action.trigger()
    dialog = _modal(qtbot, window, WorkshopDialog)
    assert dialog.isVisible()
    dialog.reject()
    store.add_organisation(workshop.id, "Newham FE College", OrgKind.CIVIC)
    qtbot.waitUntil(lambda: "Newham FE College" in view.backdrop.area_names)
    assert "No organisations yet" not in view.status_label.text()


def test_step_2_shows_the_values_exercise_of_the_open_workshop(qtbot, window, demo_workshop):
    from workshopkit.ui.values_view import ValuesView

    _open_with_enter(qtbot, window, demo_workshop.id)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.working_views[2]
    assert isinstance(view, ValuesView) and view is window.values_view
    assert view.isVisible()
    assert all(action.isVisible() for action in view.edit_actions)
    people = {p.name for p in window.store.list_participants(demo_workshop.id)}
    shown = {view.grid.model().index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole) or
             view.grid.model().headerData(row, Qt.Orientation.Vertical)
             for row in range(view.grid.model().rowCount())}
    assert any(name in str(label) for name in people for label in shown), shown
    window.set_step(3)
    assert not any(action.isVisible() for action in view.edit_actions)
