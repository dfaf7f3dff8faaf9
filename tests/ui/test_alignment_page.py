"""Step 4, alignment: side by side, suggestions that mark the answers they link, and the room's
notes, driven with real keys and clicks over a real store."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QTreeWidgetItem

from tests.ui.helpers import show_view, wait_closed, wait_dialog
from workshopkit.model import OrgKind, Practice
from workshopkit.store import Store
from workshopkit.ui.alignment_page import (
    MARK,
    PROJECTOR_PX,
    AlignmentPage,
    LinkDialog,
    NoteDialog,
)

CTRL = Qt.KeyboardModifier.ControlModifier
LOCAL_GROUPS = "Shared: local group"


@dataclass
class ValuesWorkshop:
    """A workshop where two people from different organisations both work with local groups,
    while their organisations' answers share nothing."""

    id: int
    qm: int
    cvs: int
    priya: int
    sam: int
    answers: dict[str, int]  # "priya time", "sam time", "qm budget", "cvs budget"
    values: dict[str, int]


def build_values_workshop(store: Store) -> ValuesWorkshop:
    workshop = store.create_workshop("Values", organisations=[
        ("Queen Mary", OrgKind.UNIVERSITY), ("Tower Hamlets CVS", OrgKind.CIVIC)])
    qm, cvs = (o.id for o in store.list_organisations(workshop.id))
    values = {
        "research": store.add_stated_value(qm, "Research excellence").id,
        "voice": store.add_stated_value(cvs, "Community voice").id,
        "older": store.add_stated_value(cvs, "Older residents", "serves").id,
    }
    answers = {
        "qm budget": store.set_answer(workshop.id, Practice.BUDGET, "Research staff salaries",
                                      organisation_id=qm).id,
        "cvs budget": store.set_answer(workshop.id, Practice.BUDGET,
                                       "Rent and volunteer expenses", organisation_id=cvs).id,
    }
    priya = store.add_participant(workshop.id, "Priya", organisation_id=qm).id
    sam = store.add_participant(workshop.id, "Sam", organisation_id=cvs).id
    answers["priya time"] = store.set_answer(
        workshop.id, Practice.TIME, "Building relationships with local groups",
        participant_id=priya).id
    answers["sam time"] = store.set_answer(workshop.id, Practice.TIME, "Running local groups",
                                           participant_id=sam).id
    return ValuesWorkshop(workshop.id, qm, cvs, priya, sam, answers, values)


@pytest.fixture
def values_workshop(store: Store) -> ValuesWorkshop:
    return build_values_workshop(store)


@pytest.fixture
def page(qtbot, store: Store, values_workshop: ValuesWorkshop) -> AlignmentPage:
    view = show_view(qtbot, AlignmentPage, store, values_workshop.id)
    view.show_message_boxes = False
    return view


# ----------------------------------------------------------------------------- helpers


def top_items(tree) -> list[QTreeWidgetItem]:
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def children(item: QTreeWidgetItem) -> list[str]:
    return [item.child(i).text(0) for i in range(item.childCount())]


def suggestion_item(page: AlignmentPage, title: str) -> QTreeWidgetItem:
    found = [item for item in top_items(page.suggestions_tree) if title in item.text(0)]
    assert len(found) == 1, [item.text(0) for item in top_items(page.suggestions_tree)]
    return found[0]


def click_item(qtbot, tree, item: QTreeWidgetItem) -> None:
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def notes(store: Store, workshop_id: int):
    return store.values_exercise(workshop_id).notes


def focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def add_note_by_keyboard(qtbot, page: AlignmentPage, text: str) -> None:
    focus(qtbot, page.suggestions_tree)
    qtbot.keyClick(page.suggestions_tree, Qt.Key.Key_Insert)
    dialog = wait_dialog(qtbot, page)
    assert isinstance(dialog, NoteDialog)
    qtbot.keyClicks(dialog.text_edit, text)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, page)


# ----------------------------------------------------------------------------- side by side


def test_side_by_side_puts_people_under_their_organisation(page, values_workshop) -> None:
    labels = page.side_by_side.labels
    w = values_workshop
    assert labels[("value", w.values["research"])].text() == "• Research excellence"
    assert labels[("value", w.values["older"])].text() == "• Older residents"
    assert labels[("answer", w.answers["qm budget"])].text() == "Research staff salaries"
    assert labels[("answer", w.answers["sam time"])].text() == "Running local groups"
    qm_block, cvs_block = page.side_by_side.blocks
    assert qm_block.accessibleName() == "Queen Mary (University)"
    assert labels[("answer", w.answers["priya time"])].parent() is qm_block
    assert labels[("answer", w.answers["sam time"])].parent() is cvs_block
    texts = [label.text() for label in cvs_block.findChildren(QLabel)]
    assert "Sam" in texts and "Priya" not in texts
    assert labels[("answer", w.answers["sam time"])].accessibleName() == (
        "Sam, Most time goes on: Running local groups")
    assert not page.highlighted_refs()


# ----------------------------------------------------------------------------- suggestions


def test_suggestions_show_their_kind_and_the_answers_they_link(qtbot, page,
                                                               values_workshop) -> None:
    w = values_workshop
    item = suggestion_item(page, LOCAL_GROUPS)
    assert item.text(0) == f"Connection — {LOCAL_GROUPS}"
    assert not item.icon(0).isNull()
    assert children(item) == [
        "Priya, most time goes on: Building relationships with local groups",
        "Sam, most time goes on: Running local groups",
    ]
    gap = suggestion_item(page, "Gap: Community voice")
    assert gap.text(0) == "Gap: Community voice"  # the kind in words, once
    assert "Tower Hamlets CVS values: Community voice" in children(gap)

    click_item(qtbot, page.suggestions_tree, item)
    linked = {("answer", w.answers["priya time"]), ("answer", w.answers["sam time"])}
    qtbot.waitUntil(lambda: page.highlighted_refs() == linked)
    priya = page.side_by_side.labels[("answer", w.answers["priya time"])]
    assert priya.text() == f"{MARK} Building relationships with local groups"
    assert priya.font().bold()
    assert priya.accessibleName().startswith("Linked: Priya")
    other = page.side_by_side.labels[("answer", w.answers["qm budget"])]
    assert other.text() == "Research staff salaries" and not other.font().bold()
    assert "2 answers" in page.status_label.text()

    click_item(qtbot, page.suggestions_tree, gap)
    qtbot.waitUntil(lambda: page.highlighted_refs() == {
        ("value", w.values["voice"]), ("answer", w.answers["cvs budget"])})
    assert priya.text() == "Building relationships with local groups"


def test_suggestions_follow_answers_typed_elsewhere(qtbot, page, store, values_workshop) -> None:
    w = values_workshop
    assert "Connection — Shared: rent" not in [i.text(0) for i in top_items(page.suggestions_tree)]
    store.set_answer(w.id, Practice.PRIORITY, "Paying the rent", participant_id=w.priya)
    item = suggestion_item(page, "Shared: rent")
    assert "Priya, what comes first: Paying the rent" in children(item)
    priority = store.values_exercise(w.id).answer(Practice.PRIORITY, participant_id=w.priya)
    assert page.side_by_side.labels[("answer", priority.id)].text() == "Paying the rent"


def test_a_hidden_page_catches_up_when_shown(qtbot, page, store, values_workshop) -> None:
    w = values_workshop
    page.hide()
    store.add_note(w.id, "Agreed while on another page",
                   answer_ids=[w.answers["sam time"]])
    page.show()
    qtbot.waitExposed(page)
    (item,) = top_items(page.notes_tree)
    assert item.text(0) == "Agreed while on another page"
    assert children(item) == ["Linked: Sam, most time goes on: Running local groups"]


# ----------------------------------------------------------------------------- notes


def test_record_this_links_a_note_to_the_suggestions_answers(qtbot, page, store,
                                                             values_workshop) -> None:
    w = values_workshop
    focus(qtbot, page.suggestions_tree)
    qtbot.keyClick(page.suggestions_tree, Qt.Key.Key_Home)
    while LOCAL_GROUPS not in page.suggestions_tree.currentItem().text(0):
        qtbot.keyClick(page.suggestions_tree, Qt.Key.Key_Down)
    assert page.record_button.isEnabled()
    qtbot.keyClick(page.suggestions_tree, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, page)
    assert isinstance(dialog, NoteDialog)
    assert dialog.text() == LOCAL_GROUPS
    qtbot.keyClicks(dialog.text_edit, ": both run projects with them")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, page)

    (note,) = notes(store, w.id)
    assert note.text == f"{LOCAL_GROUPS}: both run projects with them"
    assert set(note.answer_ids) == {w.answers["priya time"], w.answers["sam time"]}
    assert note.value_ids == ()
    (item,) = top_items(page.notes_tree)
    assert item.text(0) == note.text
    assert children(item) == [
        "Linked: Priya, most time goes on: Building relationships with local groups",
        "Linked: Sam, most time goes on: Running local groups",
    ]
    assert page.selected_note() == note

    page.undo_stack.undo()
    assert notes(store, w.id) == ()
    assert top_items(page.notes_tree) == []
    page.undo_stack.redo()
    assert notes(store, w.id) == (note,)


def test_link_a_note_to_two_answers_with_the_link_dialog(qtbot, page, store,
                                                         values_workshop) -> None:
    w = values_workshop
    add_note_by_keyboard(qtbot, page, "We both care about local groups")
    (note,) = notes(store, w.id)
    assert note.answer_ids == () and note.value_ids == ()
    item = top_items(page.notes_tree)[0]
    assert children(item) == ["Not linked to any answer yet (Ctrl+L links)"]

    focus(qtbot, page.notes_tree)
    qtbot.keyClick(page.notes_tree, Qt.Key.Key_L, CTRL)
    dialog = wait_dialog(qtbot, page)
    assert isinstance(dialog, LinkDialog)
    assert len(dialog.items) == 7  # three stated values and four answers
    qtbot.keyClicks(dialog.filter_edit, "local groups")
    visible = [ref for ref, it in dialog.items.items() if not it.isHidden()]
    assert visible == [("answer", w.answers["priya time"]), ("answer", w.answers["sam time"])]
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Down)
    assert dialog.list.hasFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    wait_closed(qtbot, page)

    (note,) = notes(store, w.id)
    assert set(note.answer_ids) == {w.answers["priya time"], w.answers["sam time"]}
    assert [line for line in children(top_items(page.notes_tree)[0])] == [
        "Linked: Priya, most time goes on: Building relationships with local groups",
        "Linked: Sam, most time goes on: Running local groups",
    ]
    # Choosing the note marks its answers on the left.
    click_item(qtbot, page.notes_tree, top_items(page.notes_tree)[0])
    qtbot.waitUntil(lambda: page.highlighted_refs() == {
        ("answer", w.answers["priya time"]), ("answer", w.answers["sam time"])})

    # Unlink one (and link a stated value) in the same dialog: one undo step.
    qtbot.keyClick(page.notes_tree, Qt.Key.Key_L, CTRL)
    dialog = wait_dialog(qtbot, page)
    dialog.set_checked(("answer", w.answers["sam time"]), False)
    dialog.set_checked(("value", w.values["research"]), True)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    wait_closed(qtbot, page)
    (note,) = notes(store, w.id)
    assert note.answer_ids == (w.answers["priya time"],)
    assert note.value_ids == (w.values["research"],)
    assert "Linked: Queen Mary values: Research excellence" in children(
        top_items(page.notes_tree)[0])

    page.undo_stack.undo()
    (note,) = notes(store, w.id)
    assert set(note.answer_ids) == {w.answers["priya time"], w.answers["sam time"]}
    assert note.value_ids == ()
    page.undo_stack.undo()
    assert notes(store, w.id)[0].answer_ids == ()


def test_edit_delete_and_undo_notes(qtbot, page, store, values_workshop) -> None:
    w = values_workshop
    add_note_by_keyboard(qtbot, page, "First draft")
    add_note_by_keyboard(qtbot, page, "Keep this one")
    first, second = notes(store, w.id)
    page.select_note(first.id)
    focus(qtbot, page.notes_tree)

    qtbot.keyClick(page.notes_tree, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, page)
    assert isinstance(dialog, NoteDialog) and dialog.text() == "First draft"
    dialog.text_edit.selectAll()
    qtbot.keyClicks(dialog.text_edit, "Both serve older residents")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, page)
    assert notes(store, w.id)[0].text == "Both serve older residents"
    assert top_items(page.notes_tree)[0].text(0) == "Both serve older residents"

    qtbot.waitUntil(page.notes_tree.hasFocus)
    assert page.selected_note().id == first.id
    qtbot.keyClick(page.notes_tree, Qt.Key.Key_Delete)
    assert [n.text for n in notes(store, w.id)] == ["Keep this one"]
    assert [i.text(0) for i in top_items(page.notes_tree)] == ["Keep this one"]

    qtbot.keyClick(page.notes_tree, Qt.Key.Key_Z, CTRL)
    assert [n.text for n in notes(store, w.id)] == ["Both serve older residents",
                                                    "Keep this one"]
    qtbot.keyClick(page.notes_tree, Qt.Key.Key_Z, CTRL)
    assert [n.text for n in notes(store, w.id)] == ["First draft", "Keep this one"]
    assert [i.text(0) for i in top_items(page.notes_tree)] == ["First draft", "Keep this one"]
    assert notes(store, w.id)[1] == second


def test_a_refused_edit_keeps_the_dialog_open(qtbot, page, store, values_workshop) -> None:
    w = values_workshop
    errors: list[str] = []
    page.error_shown.connect(errors.append)
    add_note_by_keyboard(qtbot, page, "Shared ground")
    (note,) = notes(store, w.id)
    focus(qtbot, page.notes_tree)
    qtbot.keyClick(page.notes_tree, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, page)
    store.delete_notes([note.id])  # someone else removed it meanwhile
    qtbot.keyClicks(dialog.text_edit, " and more")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    assert errors == ["That note is no longer there."]
    assert page.dialog is dialog and dialog.isVisible()
    assert dialog.text() == "Shared ground and more"
    assert notes(store, w.id) == ()
    assert page.undo_stack.count() == 1  # only the note's adding
    dialog.reject()
    wait_closed(qtbot, page)


def test_note_dialog_refuses_empty_and_over_long_text(qtbot, page) -> None:
    focus(qtbot, page.suggestions_tree)
    qtbot.keyClick(page.suggestions_tree, Qt.Key.Key_Insert)
    dialog = wait_dialog(qtbot, page)
    assert not dialog.ok_button.isEnabled()
    dialog.text_edit.setPlainText("x" * 501)
    assert not dialog.ok_button.isEnabled()
    assert "limit is 500" in dialog.problem_label.text()
    dialog.reject()
    wait_closed(qtbot, page)


# ----------------------------------------------------------------------------- the room


def test_projector_mode_is_large_and_hides_editing_buttons(qtbot, page) -> None:
    assert page.add_button.isVisible() and page.record_button.isVisible()
    page.set_projector(True)
    assert not page.add_button.isVisible() and not page.delete_button.isVisible()
    assert not page.record_button.isVisible()
    sizes = [QFontInfo(label.font()).pixelSize() for label in page.side_by_side.labels.values()]
    sizes += [QFontInfo(block.font()).pixelSize() for block in page.side_by_side.blocks]
    sizes.append(QFontInfo(page.suggestions_tree.font()).pixelSize())
    sizes.append(QFontInfo(page.notes_tree.font()).pixelSize())
    assert min(sizes) >= 24 and PROJECTOR_PX >= 24
    page.set_projector(False)
    assert page.add_button.isVisible()
    assert QFontInfo(page.suggestions_tree.font()).pixelSize() < 24


def test_user_text_is_plain(qtbot, page, store, values_workshop) -> None:
    w = values_workshop
    answer = store.set_answer(w.id, Practice.PRIORITY, "<b>Not bold</b> & <i>kept</i>",
                              organisation_id=w.qm)
    label = page.side_by_side.labels[("answer", answer.id)]
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<b>Not bold</b> & <i>kept</i>"
    add_note_by_keyboard(qtbot, page, "<script>alert(1)</script>")
    assert top_items(page.notes_tree)[0].text(0) == "<script>alert(1)</script>"
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in page.findChildren(QLabel) if label.window() is page)


def test_notes_are_there_after_reopening_the_library(qtbot, store, values_workshop) -> None:
    w = values_workshop
    page = show_view(qtbot, AlignmentPage, store, w.id)
    page.select_suggestion(0)
    qtbot.waitUntil(lambda: page.selected_suggestion() is not None)
    assert page.selected_suggestion().title == LOCAL_GROUPS
    focus(qtbot, page.suggestions_tree)
    qtbot.keyClick(page.suggestions_tree, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, page)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, page)
    page.set_workshop(None)
    path = store.path
    store.close()

    reopened = Store(path)
    try:
        (note,) = reopened.values_exercise(w.id).notes
        assert note.text == LOCAL_GROUPS
        assert set(note.answer_ids) == {w.answers["priya time"], w.answers["sam time"]}
        again = show_view(qtbot, AlignmentPage, reopened, w.id)
        (item,) = top_items(again.notes_tree)
        assert item.text(0) == LOCAL_GROUPS and item.childCount() == 2
    finally:
        reopened.close()


def test_keys_and_buttons_have_accessible_names(page) -> None:
    for widget in (page.suggestions_tree, page.notes_tree, page.side_by_side, page.add_button,
                   page.edit_button, page.link_button, page.delete_button, page.record_button):
        assert widget.accessibleName()
    assert not page.edit_action.isEnabled()  # nothing chosen yet
    assert not page.record_action.isEnabled()
