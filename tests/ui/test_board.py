"""The expectations board, driven like a facilitator would: real keys and real mouse drags."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.conftest import fill_the_disk
from tests.ui.helpers import close_message_box, show_view, wait_closed, wait_dialog
from workshopkit.model import POSTIT_MAX_CHARS, Colour, Column
from workshopkit.store import Store, StoreError
from workshopkit.ui import theme
from workshopkit.ui.board import BoardView
from workshopkit.ui.board_model import GroupRole, PostItRole
from workshopkit.ui.postit_delegate import CardPainter
from workshopkit.ui.postit_dialog import PostItDialog

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


# ----------------------------------------------------------------------------- helpers


def make_board(qtbot, store: Store, workshop_id: int | None, size=(1600, 900)) -> BoardView:
    return show_view(qtbot, BoardView, store, workshop_id, size)


@pytest.fixture
def board(qtbot, store, demo_workshop) -> Iterator[BoardView]:
    yield make_board(qtbot, store, demo_workshop.id)


def shown(board: BoardView, column: Column) -> list[str]:
    """The rows of a column as the board shows them: "[Group]" headers and card texts."""
    model = board.models[column]
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        group = index.data(GroupRole)
        out.append(f"[{group.name}]" if group is not None else index.data())
    return out


def postit_id(board: BoardView, text: str) -> int:
    for model in board.models.values():
        for postit in model.postits():
            if postit.text == text:
                return postit.id
    raise AssertionError(f"no post-it {text!r} on the board")


def card_center(board: BoardView, text: str) -> tuple[Column, QPoint]:
    pid = postit_id(board, text)
    for column, model in board.models.items():
        index = model.index_of_postit(pid)
        if index.isValid():
            view = board.views[column]
            view.scrollTo(index)
            return column, view.visualRect(index).center()
    raise AssertionError(text)


def focus(qtbot, board: BoardView, column: Column) -> None:
    view = board.views[column]
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)


def click_card(qtbot, board: BoardView, text: str, modifier=Qt.KeyboardModifier.NoModifier):
    column, center = card_center(board, text)
    qtbot.mouseClick(board.views[column].viewport(), LEFT, modifier, center)
    return column


def drag(qtbot, board: BoardView, text: str, target_column: Column, target: QPoint,
         check_line: bool = True) -> None:
    """Press on a card, move past the drag distance, move over the target, release."""
    column, start = card_center(board, text)
    source = board.views[column].viewport()
    qtbot.mousePress(source, LEFT, pos=start)
    qtbot.mouseMove(source, start + QPoint(0, QApplication.startDragDistance() + 4))
    destination = board.views[target_column].viewport()
    qtbot.mouseMove(destination, target)
    if check_line:
        line = board.views[target_column].drop_line_y
        assert line is not None, "no insertion line while dragging"
        image = destination.grab().toImage()
        colour = QColor(theme.DROP_INDICATOR_COLOUR).rgb()
        assert any(image.pixel(x, min(max(line, 0), image.height() - 1)) == colour
                   for x in range(image.width())), "insertion line not painted"
    qtbot.mouseRelease(destination, LEFT, pos=target)


def all_texts(store: Store, workshop_id: int) -> dict[Column, list[str]]:
    return {c: [p.text for p in store.list_postits(workshop_id, c)] for c in Column}


# ----------------------------------------------------------------------------- the main story


def test_add_by_keyboard_drag_undo_redo_and_find_it_all_after_reopening(
        qtbot, store, demo_workshop, data_dir: Path) -> None:
    board = make_board(qtbot, store, demo_workshop.id)
    wid = demo_workshop.id
    focus(qtbot, board, Column.SHARED)

    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_N)
    dialog = wait_dialog(qtbot, board)
    assert isinstance(dialog, PostItDialog)
    assert dialog.column() == Column.SHARED  # the current column is preselected
    qtbot.keyClicks(dialog.text_edit, "Fair pay for everyone's time")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, board)

    assert shown(board, Column.SHARED)[4] == "Fair pay for everyone's time"  # last ungrouped
    new_id = postit_id(board, "Fair pay for everyone's time")
    assert board.selected_postit_ids() == [new_id]
    assert board.headings[Column.SHARED].count.text() == "7 post-its"
    assert board.views[Column.SHARED].accessibleName() == "Shared expectations, 7 post-its"

    # Drag "Respect" onto the upper half of "Help us recruit..." in the civic column.
    civic = board.views[Column.CIVIC]
    target_rect = civic.visualRect(board.models[Column.CIVIC].index(1, 0))
    drag(qtbot, board, "Respect", Column.CIVIC, target_rect.center())
    after_drag = ["Challenge and critique", "Respect",
                  "Help us recruit interpreter support from our local area",
                  "Contribute to a case study to showcase our partnership"]
    assert shown(board, Column.CIVIC) == after_drag
    assert "Respect" not in shown(board, Column.UNIVERSITIES)
    assert board.headings[Column.UNIVERSITIES].count.text() == "5 post-its"
    assert board.undo_stack.undoText() == "Move post-it"
    assert board.selected_postit_ids(Column.CIVIC) == [postit_id(board, "Respect")]

    qtbot.keyClick(civic, Qt.Key.Key_Z, CTRL)  # Edit > Undo
    assert "Respect" in shown(board, Column.UNIVERSITIES)
    assert "Respect" not in shown(board, Column.CIVIC)
    board.undo_stack.redo()
    assert shown(board, Column.CIVIC) == after_drag

    expected = {c: shown(board, c) for c in Column}
    reopened_store = Store(store.path)
    try:
        again = make_board(qtbot, reopened_store, wid)
        assert {c: shown(again, c) for c in Column} == expected
        assert again.headings[Column.CIVIC].count.text() == "4 post-its"
    finally:
        reopened_store.close()


def test_markup_is_stored_and_shown_as_the_characters_typed(qtbot, board, store) -> None:
    focus(qtbot, board, Column.CIVIC)
    qtbot.keyClick(board.views[Column.CIVIC], Qt.Key.Key_Insert)
    dialog = wait_dialog(qtbot, board)
    qtbot.keyClicks(dialog.text_edit, "<b>hi</b>")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    model = board.models[Column.CIVIC]
    index = model.index_of_postit(postit_id(board, "<b>hi</b>"))
    assert index.data() == "<b>hi</b>"
    assert index.data(PostItRole).text == "<b>hi</b>"
    assert store.get_postit(index.data(PostItRole).id).text == "<b>hi</b>"
    assert "<b>hi</b>" in index.data(Qt.ItemDataRole.AccessibleTextRole)

    # Painted as plain text: the literal tags take far more ink than a bold "hi" would.
    def ink(text: str) -> int:
        postit = index.data(PostItRole).__class__(id=1, workshop_id=1, column=Column.CIVIC,
                                                  text=text)
        image = QImage(500, 120, QImage.Format.Format_RGB32)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        CardPainter().paint_postit(painter, image.rect(), postit, 24)
        painter.end()
        dark = QColor(theme.TEXT_COLOUR).rgb()
        return sum(1 for y in range(image.height()) for x in range(image.width())
                   if image.pixel(x, y) == dark)

    assert ink("<b>hi</b>") > 2.5 * ink("hi")


# ----------------------------------------------------------------------------- editing


def test_multi_select_delete_and_undo(qtbot, board, store, demo_workshop) -> None:
    before = shown(board, Column.UNIVERSITIES)
    click_card(qtbot, board, "Respect")
    click_card(qtbot, board, "To not use jargon and acronyms where possible", CTRL)
    view = board.views[Column.UNIVERSITIES]
    assert len(board.selected_postit_ids()) == 2
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "Respect" not in shown(board, Column.UNIVERSITIES)
    assert "To not use jargon and acronyms where possible" not in shown(board,
                                                                        Column.UNIVERSITIES)
    assert board.headings[Column.UNIVERSITIES].count.text() == "4 post-its"
    assert board.undo_stack.undoText() == "Delete 2 post-its"
    assert len(store.list_postits(demo_workshop.id, Column.UNIVERSITIES)) == 4
    board.undo_stack.undo()
    assert shown(board, Column.UNIVERSITIES) == before
    assert board.headings[Column.UNIVERSITIES].count.text() == "6 post-its"


def test_select_all_in_a_column_with_ctrl_a(qtbot, board) -> None:
    focus(qtbot, board, Column.SHARED)
    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_A, CTRL)
    assert len(board.selected_postit_ids()) == 6


def test_edit_with_enter_changes_the_text(qtbot, board, store) -> None:
    column = click_card(qtbot, board, "Respect")
    qtbot.keyClick(board.views[column], Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, board)
    assert isinstance(dialog, PostItDialog)
    assert dialog.text() == "Respect"
    qtbot.keyClicks(dialog.text_edit, " for lived experience")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    assert "Respect for lived experience" in shown(board, Column.UNIVERSITIES)
    assert board.undo_stack.undoText() == "Edit post-it"
    assert board.selected_postit_ids() == [postit_id(board, "Respect for lived experience")]


def test_double_click_edits_a_card_and_cancel_changes_nothing(qtbot, board, store) -> None:
    column, center = card_center(board, "Shared values")
    viewport = board.views[column].viewport()
    qtbot.mouseClick(viewport, LEFT, pos=center)  # a real double-click starts with a click
    qtbot.mouseDClick(viewport, LEFT, pos=center)
    dialog = wait_dialog(qtbot, board)
    assert dialog.text() == "Shared values"
    assert dialog.windowTitle() == "Edit post-it"
    qtbot.keyClicks(dialog.text_edit, "!")
    dialog.reject()
    wait_closed(qtbot, board)
    assert "Shared values" in shown(board, Column.SHARED)
    assert board.undo_stack.count() == 0


def test_editing_to_empty_text_is_blocked_in_the_dialog(qtbot, board, store) -> None:
    column = click_card(qtbot, board, "Respect")
    qtbot.keyClick(board.views[column], Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, board)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Delete)
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem_label.text() == "Write something on the post-it first."
    assert dialog.count_label.text() == f"0 / {POSTIT_MAX_CHARS}"
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    assert board.dialog is dialog and dialog.isVisible()
    qtbot.keyClicks(dialog.text_edit, "x" * (POSTIT_MAX_CHARS + 1))
    assert not dialog.ok_button.isEnabled()
    assert "Too long by 1 character" in dialog.problem_label.text()
    dialog.reject()
    assert "Respect" in shown(board, Column.UNIVERSITIES)
    assert board.undo_stack.count() == 0


def test_a_full_disk_shows_the_error_and_the_board_keeps_its_state(
        qtbot, board, store, demo_workshop) -> None:
    fill_the_disk(store, demo_workshop.id, Column.CIVIC)
    before = {c: shown(board, c) for c in Column}
    counts = {c: board.headings[c].count.text() for c in Column}
    focus(qtbot, board, Column.CIVIC)
    qtbot.keyClick(board.views[Column.CIVIC], Qt.Key.Key_N)
    dialog = wait_dialog(qtbot, board)
    qtbot.keyClicks(dialog.text_edit, "y" * 280)
    with qtbot.waitSignal(board.error_shown) as shown_error:
        qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    assert "disk is full" in shown_error.args[0]
    assert close_message_box() == shown_error.args[0]
    assert {c: shown(board, c) for c in Column} == before
    assert {c: board.headings[c].count.text() for c in Column} == counts
    assert board.dialog is dialog and dialog.text() == "y" * 280  # nothing typed is lost
    assert board.undo_stack.count() == 0
    dialog.reject()


def test_an_undo_the_store_refuses_is_reported_and_dropped(qtbot, board, store,
                                                          demo_workshop) -> None:
    store.add_postit(demo_workshop.id, Column.CIVIC, "w" * 280)
    store.add_postit(demo_workshop.id, Column.CIVIC, "newest")  # so no id is reused
    click_card(qtbot, board, "w" * 280)
    qtbot.keyClick(board.views[Column.CIVIC], Qt.Key.Key_Delete)
    assert board.undo_stack.count() == 1
    fill_the_disk(store, demo_workshop.id, Column.UNIVERSITIES)
    before = {c: shown(board, c) for c in Column}
    with qtbot.waitSignal(board.error_shown) as shown_error:
        board.undo_stack.undo()
    assert "disk is full" in shown_error.args[0]
    assert close_message_box() == shown_error.args[0]
    assert board.undo_stack.count() == 0  # the step that could not be undone is gone
    assert {c: shown(board, c) for c in Column} == before


def test_mark_shared_and_recolour_by_keyboard(qtbot, board, store) -> None:
    column = click_card(qtbot, board, "Respect")
    view = board.views[column]
    pid = postit_id(board, "Respect")
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert store.get_postit(pid).shared
    assert board.models[column].index_of_postit(pid).data(PostItRole).shared
    assert "Shared." in board.models[column].index_of_postit(pid).data(
        Qt.ItemDataRole.AccessibleTextRole)
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert not store.get_postit(pid).shared

    assert store.get_postit(pid).colour == Colour.BLUE
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert store.get_postit(pid).colour == Colour.GREEN  # the next colour after blue
    assert board.undo_stack.undoText() == "Colour post-it green"
    board.colour_actions[Colour.PINK].trigger()
    assert board.models[column].index_of_postit(pid).data(PostItRole).colour == Colour.PINK
    board.undo_stack.undo()
    assert store.get_postit(pid).colour == Colour.GREEN
    assert board.selected_postit_ids() == [pid]  # the selection stays on the same card


def test_group_and_ungroup_by_keyboard(qtbot, board, store, demo_workshop) -> None:
    click_card(qtbot, board, "Respect")
    click_card(qtbot, board, "To provide a safe space for discussions", CTRL)
    view = board.views[Column.UNIVERSITIES]
    qtbot.keyClick(view, Qt.Key.Key_G)
    editor = wait_dialog(qtbot, board).findChild(QLineEdit)
    qtbot.keyClicks(editor, "Care")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_closed(qtbot, board)
    assert shown(board, Column.UNIVERSITIES)[-3:] == [
        "[Care]", "To provide a safe space for discussions", "Respect"]
    assert board.undo_stack.undoText() == "Group 2 post-its"
    assert len(board.selected_postit_ids()) == 2
    qtbot.keyClick(view, Qt.Key.Key_G, SHIFT)
    assert "[Care]" not in shown(board, Column.UNIVERSITIES)
    assert [g.name for g in store.list_groups(demo_workshop.id, Column.UNIVERSITIES)] == [
        "Plain language"]
    board.undo_stack.undo()
    assert "[Care]" in shown(board, Column.UNIVERSITIES)


def test_rename_a_group_from_its_header(qtbot, board, store) -> None:
    model = board.models[Column.SHARED]
    view = board.views[Column.SHARED]
    header = model.index(model.row_of_group(model.groups()[0].id), 0)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(header).center())
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = wait_dialog(qtbot, board).findChild(QLineEdit)
    assert editor.text() == "Openness"
    editor.clear()
    qtbot.keyClicks(editor, "Being open")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "[Being open]" in shown(board, Column.SHARED)


def test_rename_a_column_heading_with_f2_and_undo(qtbot, board, store, demo_workshop) -> None:
    click_card(qtbot, board, "Challenge and critique")  # Return must not edit this card
    heading = board.headings[Column.CIVIC]
    heading.setFocus()
    qtbot.waitUntil(heading.hasFocus)
    qtbot.keyClick(heading, Qt.Key.Key_F2)
    assert heading.editing
    heading.editor.clear()
    qtbot.keyClicks(heading.editor, "What we expect of <partners>s")
    qtbot.keyClick(heading.editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(heading.editor, Qt.Key.Key_Return)
    assert board.dialog is None
    assert not heading.editing
    assert heading.title.text() == "What we expect of <partners>"
    assert heading.title.textFormat() == Qt.TextFormat.PlainText
    assert store.get_workshop(demo_workshop.id).heading(Column.CIVIC) == (
        "What we expect of <partners>")
    assert board.views[Column.CIVIC].accessibleName() == "What we expect of <partners>, 3 post-its"
    assert board.undo_stack.undoText() == "Rename column heading"
    board.undo_stack.undo()
    assert heading.title.text() == Column.CIVIC.default_heading


def test_rename_heading_with_the_action_and_an_empty_heading_restores_the_default(
        qtbot, board, store, demo_workshop) -> None:
    store.set_heading(demo_workshop.id, Column.SHARED, "What we share")
    focus(qtbot, board, Column.SHARED)
    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_F2, SHIFT)
    heading = board.headings[Column.SHARED]
    assert heading.editing and heading.editor.hasFocus()
    heading.editor.clear()
    qtbot.keyClick(heading.editor, Qt.Key.Key_Enter)
    assert heading.title.text() == "Shared expectations"
    assert board.views[Column.SHARED].hasFocus() or heading.hasFocus()


def test_rename_heading_by_double_click_and_escape_cancels(qtbot, board, store,
                                                           demo_workshop) -> None:
    heading = board.headings[Column.SHARED]
    qtbot.mouseDClick(heading, LEFT, pos=heading.rect().center())
    assert heading.editing
    qtbot.keyClicks(heading.editor, "Nope")
    qtbot.keyClick(heading.editor, Qt.Key.Key_Escape)
    assert not heading.editing
    assert heading.title.text() == "Shared expectations"
    assert board.undo_stack.count() == 0


# ----------------------------------------------------------------------------- moving


def test_drop_on_a_group_header_joins_the_group(qtbot, board, store) -> None:
    model = board.models[Column.SHARED]
    view = board.views[Column.SHARED]
    header = model.index(model.row_of_group(model.groups()[0].id), 0)
    drag(qtbot, board, "Respect", Column.SHARED, view.visualRect(header).center())
    assert shown(board, Column.SHARED)[-4:] == ["[Openness]", "Honesty", "Transparency",
                                                "Respect"]
    assert store.get_postit(postit_id(board, "Respect")).group_id == model.groups()[0].id


def test_drop_below_the_last_card_appends_ungrouped(qtbot, board, store) -> None:
    view = board.views[Column.SHARED]
    below = QPoint(view.viewport().width() // 2, view.viewport().height() - 10)
    drag(qtbot, board, "Honesty", Column.SHARED, below)
    rows = shown(board, Column.SHARED)
    assert rows.index("Honesty") == 4 and rows[5] == "[Openness]"
    assert store.get_postit(postit_id(board, "Honesty")).group_id is None


def test_drag_several_selected_cards_keeps_their_order(qtbot, board, store) -> None:
    click_card(qtbot, board, "Respect")
    click_card(qtbot, board, "They can make things happen which would not otherwise be possible",
               CTRL)
    civic = board.views[Column.CIVIC]
    first = civic.visualRect(board.models[Column.CIVIC].index(0, 0))
    drag(qtbot, board, "Respect", Column.CIVIC, QPoint(first.center().x(), first.top() + 3))
    assert shown(board, Column.CIVIC)[:3] == [
        "Respect", "They can make things happen which would not otherwise be possible",
        "Challenge and critique"]
    assert board.undo_stack.undoText() == "Move 2 post-its"
    assert board.undo_stack.count() == 1


def test_a_short_click_is_not_a_drag(qtbot, board) -> None:
    column, center = card_center(board, "Respect")
    viewport = board.views[column].viewport()
    qtbot.mousePress(viewport, LEFT, pos=center)
    qtbot.mouseMove(viewport, center + QPoint(1, 1))
    qtbot.mouseRelease(viewport, LEFT, pos=center + QPoint(1, 1))
    assert board.undo_stack.count() == 0
    assert board.selected_postit_ids() == [postit_id(board, "Respect")]


def test_escape_cancels_a_drag(qtbot, board) -> None:
    column, start = card_center(board, "Respect")
    viewport = board.views[column].viewport()
    qtbot.mousePress(viewport, LEFT, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(0, 40))
    assert board.views[column].drop_line_y is not None
    qtbot.keyClick(board.views[column], Qt.Key.Key_Escape)
    assert board.views[column].drop_line_y is None
    qtbot.mouseRelease(viewport, LEFT, pos=start + QPoint(0, 40))
    assert board.undo_stack.count() == 0


def test_keyboard_moves_between_and_within_columns(qtbot, board, store) -> None:
    column = click_card(qtbot, board, "Respect")
    view = board.views[column]
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL | SHIFT)
    assert shown(board, Column.SHARED)[4:6] == ["Respect", "[Openness]"]  # last ungrouped
    assert board.current_column == Column.SHARED
    shared = board.views[Column.SHARED]
    assert shared.hasFocus()
    assert board.selected_postit_ids() == [postit_id(board, "Respect")]
    qtbot.keyClick(shared, Qt.Key.Key_Up, CTRL | SHIFT)
    assert shown(board, Column.SHARED)[3:5] == ["Respect", "Shared values"]
    qtbot.keyClick(shared, Qt.Key.Key_Down, CTRL | SHIFT)
    qtbot.keyClick(shared, Qt.Key.Key_Down, CTRL | SHIFT)  # crosses into the group below
    assert shown(board, Column.SHARED)[4:7] == ["[Openness]", "Respect", "Honesty"]
    assert store.get_postit(postit_id(board, "Respect")).group_id is not None
    qtbot.keyClick(shared, Qt.Key.Key_Up, CTRL | SHIFT)  # and back out of it
    assert shown(board, Column.SHARED)[4:6] == ["Respect", "[Openness]"]
    assert store.get_postit(postit_id(board, "Respect")).group_id is None
    qtbot.keyClick(shared, Qt.Key.Key_Left, CTRL | SHIFT)
    assert shown(board, Column.UNIVERSITIES)[3:5] == ["Respect", "[Plain language]"]
    assert board.undo_stack.count() == 6
    for _ in range(6):
        board.undo_stack.undo()
    assert shown(board, Column.UNIVERSITIES)[1] == "Respect"
    assert "Respect" not in shown(board, Column.SHARED)


def test_left_right_and_ctrl_arrows_move_focus_between_columns(qtbot, board) -> None:
    focus(qtbot, board, Column.UNIVERSITIES)
    qtbot.keyClick(board.views[Column.UNIVERSITIES], Qt.Key.Key_Right)
    assert board.views[Column.SHARED].hasFocus()
    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_Right, CTRL)
    assert board.views[Column.CIVIC].hasFocus()
    qtbot.keyClick(board.views[Column.CIVIC], Qt.Key.Key_Right)  # stays at the edge
    assert board.views[Column.CIVIC].hasFocus()
    qtbot.keyClick(board.views[Column.CIVIC], Qt.Key.Key_Left, CTRL)
    assert board.views[Column.SHARED].hasFocus()
    assert board.current_column == Column.SHARED


# ----------------------------------------------------------------------------- refreshing


def test_changes_from_elsewhere_refresh_only_their_column(qtbot, board, store,
                                                          demo_workshop) -> None:
    click_card(qtbot, board, "Honesty")
    resets = {c: 0 for c in Column}
    for column, model in board.models.items():
        model.modelReset.connect(lambda c=column: resets.__setitem__(c, resets[c] + 1))
    store.add_postit(demo_workshop.id, Column.SHARED, "Posted from a phone")
    assert resets == {Column.UNIVERSITIES: 0, Column.SHARED: 1, Column.CIVIC: 0}
    assert "Posted from a phone" in shown(board, Column.SHARED)
    assert board.headings[Column.SHARED].count.text() == "7 post-its"
    assert board.selected_postit_ids() == [postit_id(board, "Honesty")]


def test_other_workshops_and_hidden_postits_do_not_show(qtbot, board, store,
                                                        demo_workshop) -> None:
    other = store.create_workshop("Another workshop")
    store.add_postit(other.id, Column.SHARED, "Elsewhere")
    store.add_postit(demo_workshop.id, Column.SHARED, "Waiting for approval", status="pending")
    assert "Elsewhere" not in shown(board, Column.SHARED)
    assert "Waiting for approval" not in shown(board, Column.SHARED)
    board.set_workshop(other.id)
    assert board.workshop_id == other.id
    assert shown(board, Column.SHARED) == ["Elsewhere"]
    assert board.headings[Column.CIVIC].count.text() == "No post-its"
    board.set_workshop(None)
    assert all(shown(board, c) == [] for c in Column)
    assert not board.add_action.isEnabled()


def test_deleting_the_workshop_empties_the_board(qtbot, board, store, demo_workshop) -> None:
    store.delete_workshop(demo_workshop.id)
    assert board.workshop_id is None
    assert all(shown(board, c) == [] for c in Column)


# ----------------------------------------------------------------------------- sizes


def test_card_text_scales_with_the_window_and_zoom(qtbot, store, demo_workshop) -> None:
    board = make_board(qtbot, store, demo_workshop.id, size=(1920, 1080))
    qtbot.waitUntil(lambda: board.font_px >= 24)
    big = board.font_px
    heading_font = board.headings[Column.SHARED].title.font()
    assert heading_font.bold() and heading_font.pixelSize() > big
    board.resize(1000, 700)
    qtbot.waitUntil(lambda: board.font_px < big)
    small = board.font_px
    focus(qtbot, board, Column.SHARED)
    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_Equal, CTRL)
    assert board.font_px > small
    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_0, CTRL)
    assert board.font_px == small
    qtbot.keyClick(board.views[Column.SHARED], Qt.Key.Key_Minus, CTRL)
    assert board.font_px < small


def test_prompts_panel_shows_the_prompts_and_collapses(qtbot, board) -> None:
    from workshopkit.exercises.expectations import PROMPTS

    assert [label.text() for label in board.prompts.labels] == list(PROMPTS)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in board.prompts.labels)
    wide = board.columns_area.width()
    qtbot.mouseClick(board.prompts.toggle, LEFT)
    assert not board.prompts.content.isVisible()
    assert not board.prompts_action.isChecked()
    qtbot.waitUntil(lambda: board.columns_area.width() > wide)
    board.prompts_action.trigger()
    assert board.prompts.content.isVisible()


def test_actions_have_shortcuts_status_tips_and_the_right_context(board) -> None:
    for action in board.edit_actions + board.view_actions:
        assert action.statusTip(), action.text()
    keyed = [a for a in board.edit_actions + board.view_actions if a.shortcuts()]
    assert len(keyed) >= 15
    for action in keyed:
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    add = board.add_action.shortcuts()
    assert QKeySequence("N") in add and QKeySequence("Ins") in add
    assert board.colour_menu.menuAction() in board.edit_actions
    assert {a.text() for a in board.colour_menu.actions()} == {c.label for c in Colour}


def test_the_board_handles_a_thousand_postits(qtbot, store) -> None:
    workshop = store.create_workshop("Big")
    store.add_postits(workshop.id, [
        {"column": list(Column)[i % 3], "text": f"Post-it number {i} " + "word " * (i % 12)}
        for i in range(1000)
    ])
    board = make_board(qtbot, store, workshop.id)
    assert board.models[Column.UNIVERSITIES].rowCount() == 334
    view = board.views[Column.UNIVERSITIES]
    focus(qtbot, board, Column.UNIVERSITIES)
    qtbot.keyClick(view, Qt.Key.Key_N)
    dialog = wait_dialog(qtbot, board)
    qtbot.keyClicks(dialog.text_edit, "The newest one")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, board)
    new = board.models[Column.UNIVERSITIES].index(334, 0)
    assert new.data() == "The newest one"
    assert board.selected_postit_ids() == [new.data(PostItRole).id]
    # Selected and scrolled into view, far below the first screen.
    qtbot.waitUntil(lambda: view.viewport().rect().contains(view.visualRect(new)))
    assert view.verticalScrollBar().value() > 0


# ----------------------------------------------------------------------------- export


def _colour_pixels(image: QImage, colour: str) -> int:
    wanted = QColor(colour).rgb()
    return sum(1 for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
               if image.pixel(x, y) == wanted)


def test_export_png_draws_every_card_of_the_whole_board(qtbot, board, store, demo_workshop,
                                                        tmp_path: Path) -> None:
    first = board.export_png(tmp_path / "board.png")
    assert first == tmp_path / "board.png"
    image = QImage(str(first))
    assert not image.isNull()
    assert image.width() == 1920
    assert _colour_pixels(image, theme.POSTIT_FILLS[Colour.BLUE]) > 1000
    assert _colour_pixels(image, theme.POSTIT_FILLS[Colour.GREEN]) > 500
    assert _colour_pixels(image, theme.COLUMN_HEADER_COLOURS[Column.SHARED][0]) > 500

    store.add_postits(demo_workshop.id, [
        {"column": Column.CIVIC, "text": f"Extra expectation {i}", "colour": Colour.PURPLE}
        for i in range(40)
    ])
    view = board.views[Column.CIVIC]
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)  # most are out of view
    second = QImage(str(board.export_png(tmp_path / "bigger.png")))
    assert second.height() > image.height() + 40 * 40
    purple = _colour_pixels(second, theme.POSTIT_FILLS[Colour.PURPLE])
    assert purple > 40 * 300  # every one of the 40 cards, not just the visible ones


def test_export_png_to_a_missing_folder_gives_a_plain_error(board, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        board.export_png(tmp_path / "no such folder" / "board.png")
    assert "could not be saved" in str(raised.value)
    assert str(tmp_path / "no such folder" / "board.png") in str(raised.value)


def test_screenshot_of_the_demo_board_reads_well(qtbot, board) -> None:
    image = board.grab().toImage()
    assert image.width() == 1600
    # Headings in their colours, cards in theirs, text near-black.
    assert _colour_pixels(image, theme.COLUMN_HEADER_COLOURS[Column.UNIVERSITIES][0]) > 500
    assert _colour_pixels(image, theme.POSTIT_FILLS[Colour.YELLOW]) > 1000
    assert _colour_pixels(image, theme.TEXT_COLOUR) > 100

