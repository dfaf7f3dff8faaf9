"""The start screen: the workshop list, its buttons and its keyboard use."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from workshopkit.store import Store
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.start_screen import StartScreen, WorkshopsModel
from workshopkit.ui.workshop_dialog import WorkshopDialog


@pytest.fixture
def screen(qtbot, store: Store) -> StartScreen:
    bridge = StoreBridge(store)
    widget = StartScreen(store, bridge)
    bridge.setParent(widget)
    widget.destroyed.connect(lambda *_: None)
    qtbot.addWidget(widget, before_close_func=lambda _w: bridge.detach())
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _titles(screen: StartScreen) -> list[str]:
    model = screen.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def _modal_box(qtbot, parent) -> QMessageBox:
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox) is not None, timeout=2000)
    box = parent.findChild(QMessageBox)
    qtbot.waitExposed(box)
    return box


def _button(box: QMessageBox, text: str):
    for button in box.buttons():
        if button.text().replace("&", "") == text:
            return button
    raise AssertionError(f"no {text!r} button in {[b.text() for b in box.buttons()]}")


def test_model_passes_qtmodeltester_empty_and_filled(qtmodeltester, store, demo_workshop):
    with Store(Path(store.path).with_name("empty.db")) as empty:
        qtmodeltester.check(WorkshopsModel(empty))
    model = WorkshopsModel(store)
    store.duplicate_workshop(demo_workshop.id)
    model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def test_model_shows_title_date_partnership_and_counts(store, demo_workshop):
    model = WorkshopsModel(store)
    row = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert row == [demo_workshop.title, demo_workshop.date, demo_workshop.partnership,
                   "2", "2", "15"]
    assert model.data(model.index(0, 0), WorkshopsModel.ID_ROLE) == demo_workshop.id


def test_empty_library_tells_the_user_how_to_start(screen):
    assert screen.empty_label.isVisible()
    assert not screen.table.isVisible()
    assert "New workshop" in screen.empty_label.text()
    assert "workshopkit demo" in screen.empty_label.text()
    assert not screen.open_button.isEnabled()
    assert not screen.delete_button.isEnabled()


def test_new_workshop_typed_in_the_dialog_appears_in_the_list(qtbot, screen):
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.findChild(WorkshopDialog) is not None, timeout=2000)
    dialog = screen.findChild(WorkshopDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title_edit, "Community partners session")
    with qtbot.waitSignal(screen.workshop_opened, timeout=2000) as opened:
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert _titles(screen) == ["Community partners session"]
    assert screen.table.isVisible()
    assert opened.args == [screen.selected_workshop_id()]


def test_enter_opens_the_selected_workshop(qtbot, screen, store, demo_workshop):
    other = store.create_workshop("Another")
    screen.select_workshop(demo_workshop.id)
    with qtbot.waitSignal(screen.workshop_opened, timeout=2000) as opened:
        qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert opened.args == [demo_workshop.id]
    screen.select_workshop(other.id)
    with qtbot.waitSignal(screen.workshop_opened, timeout=2000) as opened:
        qtbot.keyClick(screen.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened.args == [other.id]


def test_double_click_opens_a_workshop(qtbot, screen, demo_workshop):
    rect = screen.table.visualRect(screen.model.index(0, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(screen.workshop_opened, timeout=2000) as opened:
        qtbot.mouseDClick(screen.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert opened.args == [demo_workshop.id]


def test_delete_key_asks_first_and_cancel_keeps_the_workshop(qtbot, screen, store,
                                                              demo_workshop):
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    box = _modal_box(qtbot, screen)
    assert demo_workshop.title in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible() if _alive(box) else True, timeout=2000)
    assert [w.id for w in store.list_workshops()] == [demo_workshop.id]
    assert _titles(screen) == [demo_workshop.title]


def test_delete_confirmed_removes_the_workshop(qtbot, screen, store, demo_workshop):
    keep = store.create_workshop("Keep me")
    screen.select_workshop(demo_workshop.id)
    qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    box = _modal_box(qtbot, screen)
    assert "15 post-its" in box.informativeText()
    with qtbot.waitSignal(screen.workshop_deleted, timeout=2000) as deleted:
        qtbot.mouseClick(_button(box, "Delete workshop"), Qt.MouseButton.LeftButton)
    assert deleted.args == [demo_workshop.id]
    assert [w.id for w in store.list_workshops()] == [keep.id]
    assert _titles(screen) == ["Keep me"]
    assert screen.selected_workshop_id() == keep.id


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_duplicate_copies_the_workshop_with_its_post_its(qtbot, screen, store, demo_workshop):
    screen.select_workshop(demo_workshop.id)
    qtbot.mouseClick(screen.duplicate_button, Qt.MouseButton.LeftButton)
    titles = _titles(screen)
    assert sorted(titles) == sorted([demo_workshop.title, f"{demo_workshop.title} (copy)"])
    copy_id = screen.selected_workshop_id()
    assert copy_id != demo_workshop.id
    assert len(store.list_postits(copy_id)) == 15


def test_titles_with_markup_show_literally(qtbot, screen, store):
    store.create_workshop("<b>x</b>", partnership="<i>p</i>")
    assert _titles(screen) == ["<b>x</b>"]
    assert screen.model.data(screen.model.index(0, 2)) == "<i>p</i>"
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    box = _modal_box(qtbot, screen)
    assert "<b>x</b>" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert len(store.list_workshops()) == 1


def test_list_follows_store_changes(qtbot, screen, store, demo_workshop):
    store.add_postit(demo_workshop.id, "shared", "New idea")
    assert screen.model.data(screen.model.index(0, 5)) == "16"
    store.update_workshop(demo_workshop.id, title="Renamed")
    assert _titles(screen) == ["Renamed"]


def _open_file_dialog(parent) -> QFileDialog | None:
    found = [d for d in parent.findChildren(QFileDialog) if d.isVisible()]
    return found[0] if found else None


def _choose_file(qtbot, parent, path: Path) -> None:
    """Pick ``path`` in the file dialog the app opened, as a user would, and press its button."""
    qtbot.waitUntil(lambda: _open_file_dialog(parent) is not None, timeout=2000)
    dialog = _open_file_dialog(parent)
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.waitUntil(lambda: _open_file_dialog(parent) is None, timeout=2000)


def test_export_then_import_through_the_file_dialogs(qtbot, screen, store, demo_workshop,
                                                     tmp_path):
    target = tmp_path / "partners.workshop"
    screen.select_workshop(demo_workshop.id)
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    _choose_file(qtbot, screen, target)
    assert target.is_file()

    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    _choose_file(qtbot, screen, target)
    assert _titles(screen).count(demo_workshop.title) == 2
    imported = screen.selected_workshop_id()
    assert imported != demo_workshop.id
    assert len(store.list_postits(imported)) == 15


def test_importing_a_damaged_file_shows_why_and_changes_nothing(qtbot, screen, store,
                                                                 demo_workshop, tmp_path):
    bad = tmp_path / "bad.workshop"
    bad.write_bytes(b"not a workshop at all")
    screen.import_from(str(bad))
    box = _modal_box(qtbot, screen)
    assert box.icon() == QMessageBox.Icon.Critical
    assert "damaged" in box.text()
    assert [w.id for w in store.list_workshops()] == [demo_workshop.id]
    box.close()


def test_buttons_have_accessible_names(screen):
    for button in (screen.new_button, screen.open_button, screen.duplicate_button,
                   screen.delete_button, screen.import_button, screen.export_button,
                   screen.table):
        assert button.accessibleName()


def test_new_dialog_cancel_adds_nothing(qtbot, screen, store):
    dialog = screen.new_workshop()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title_edit, "Never mind")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert store.list_workshops() == []
    assert QApplication.activeModalWidget() is None
