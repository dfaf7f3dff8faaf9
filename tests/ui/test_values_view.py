"""The values alignment step (exercise 2) as a facilitator drives it: pages, chips, projector."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTabWidget, QWidget

from tests.ui.helpers import CVS, UNI, partner_workshop, show_view
from workshopkit.model import OrgKind, Practice, ValueKind
from workshopkit.store import Store
from workshopkit.ui.values_grid import AnswerEditor
from workshopkit.ui.values_view import (
    PAGE_TITLES,
    PROJECTOR_BODY_PX,
    OrganisationCard,
    ValuesView,
)

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def workshop(store):
    return partner_workshop(store, "Values view")


@pytest.fixture
def view(qtbot, store, workshop) -> ValuesView:
    view = show_view(qtbot, ValuesView, store, workshop.id)
    view.show_message_boxes = False
    view.focus_view()
    return view


def card(view: ValuesView, name: str) -> OrganisationCard:
    return next(c for c in view.values_page.cards.values() if c.organisation.name == name)


def chips_of(view: ValuesView, name: str, kind: ValueKind = ValueKind.VALUE) -> list[str]:
    return card(view, name).chips[kind].texts()


def stored_values(store: Store, workshop_id: int, kind: ValueKind = ValueKind.VALUE
                  ) -> dict[str, list[str]]:
    ex = store.values_exercise(workshop_id)
    return {o.name: [v.text for v in ex.values_of(o.id, kind)] for o in ex.organisations}


def type_text(qtbot, text: str) -> None:
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), char)


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def add_by_typing(qtbot, entry: QLineEdit, text: str) -> None:
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    qtbot.keyClicks(entry, text)
    popup = entry.completer().popup() if entry.completer() is not None else None
    if popup is not None and popup.isVisible():
        popup.hide()  # a person would press Escape or keep typing; the chip is typed in full
    qtbot.keyClick(entry, Qt.Key.Key_Return)


# ----------------------------------------------------------------------------- pages


def test_four_pages_with_the_contracts_titles_and_keys(view, qtbot) -> None:
    assert isinstance(view.pages, QTabWidget)
    assert [view.pages.tabText(i) for i in range(view.pages.count())] == list(PAGE_TITLES)
    assert view.pages.currentIndex() == 0
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert view.pages.currentIndex() == 1
    assert QApplication.focusWidget() is view.grid
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert view.pages.currentWidget() is view.alignment_page
    press(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert view.pages.currentIndex() == 1
    press(qtbot, Qt.Key.Key_4, ALT)
    assert view.pages.currentWidget() is view.decisions_page
    assert view.decisions_page.isAncestorOf(QApplication.focusWidget())
    press(qtbot, Qt.Key.Key_3, ALT)
    assert view.pages.currentWidget() is view.alignment_page
    press(qtbot, Qt.Key.Key_1, ALT)
    assert view.pages.currentIndex() == 0
    assert QApplication.focusWidget() is card(view, UNI).entries[ValueKind.VALUE]
    press(qtbot, Qt.Key.Key_PageUp, CTRL)  # wraps round to the last page
    assert view.pages.currentIndex() == 3


def test_the_tab_labels_are_large(view) -> None:
    assert QFontInfo(view.pages.tabBar().font()).pixelSize() >= 18


def test_actions_for_the_menus(view) -> None:
    edit = [a.text().replace("&", "") for a in view.edit_actions]
    assert edit[:4] == ["Add value", "Remove", "Edit cell…", "Add a person…"]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in view.view_actions}
    assert shortcuts["Projector type"] == "Ctrl+Shift+P"
    assert shortcuts["Next page"] == "Ctrl+PgDown"
    assert shortcuts["Previous page"] == "Ctrl+PgUp"
    for action in view.edit_actions + view.view_actions:
        assert action.toolTip()


# ----------------------------------------------------------------------------- chips


def test_add_chips_by_typing_and_enter_then_undo_and_redo(view, qtbot, store,
                                                         workshop) -> None:
    uni = card(view, UNI)
    add_by_typing(qtbot, uni.entries[ValueKind.VALUE], "Openness")
    add_by_typing(qtbot, uni.entries[ValueKind.VALUE], "Civic duty")
    add_by_typing(qtbot, card(view, CVS).entries[ValueKind.SERVES], "Older residents")
    assert chips_of(view, UNI) == ["Openness", "Civic duty"]
    assert chips_of(view, CVS, ValueKind.SERVES) == ["Older residents"]
    assert stored_values(store, workshop.id) == {UNI: ["Openness", "Civic duty"], CVS: []}
    assert stored_values(store, workshop.id, ValueKind.SERVES)[CVS] == ["Older residents"]
    assert uni.entries[ValueKind.VALUE].text() == ""
    assert QApplication.focusWidget() is card(view, CVS).entries[ValueKind.SERVES]
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert chips_of(view, CVS, ValueKind.SERVES) == []
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert chips_of(view, UNI) == ["Openness"]
    press(qtbot, Qt.Key.Key_Y, CTRL)
    assert chips_of(view, UNI) == ["Openness", "Civic duty"]
    assert stored_values(store, workshop.id)[UNI] == ["Openness", "Civic duty"]


def test_an_empty_entry_adds_nothing_and_a_duplicate_is_chosen_instead(view, qtbot,
                                                                       store) -> None:
    uni = card(view, UNI)
    add_by_typing(qtbot, uni.entries[ValueKind.VALUE], "   ")
    assert chips_of(view, UNI) == [] and view.undo_stack.count() == 0
    add_by_typing(qtbot, uni.entries[ValueKind.VALUE], "Trust")
    add_by_typing(qtbot, uni.entries[ValueKind.VALUE], "trust")
    assert chips_of(view, UNI) == ["Trust"] and view.undo_stack.count() == 1
    assert uni.chips[ValueKind.VALUE].currentItem().text() == "Trust"
    assert "already there" in view.values_page.status_label.text()


def test_remove_chips_with_delete_and_undo_brings_them_back(view, qtbot, store,
                                                            workshop) -> None:
    uni_id = card(view, UNI).organisation.id
    for text in ("Proud", "Inclusive", "Ambitious"):
        store.add_stated_value(uni_id, text)
    chips = card(view, UNI).chips[ValueKind.VALUE]
    assert chips.texts() == ["Proud", "Inclusive", "Ambitious"]
    chips.setFocus()
    qtbot.waitUntil(chips.hasFocus)
    chips.setCurrentRow(1)
    press(qtbot, Qt.Key.Key_Delete)
    assert chips.texts() == ["Proud", "Ambitious"]
    assert stored_values(store, workshop.id)[UNI] == ["Proud", "Ambitious"]
    assert chips.currentItem().text() == "Ambitious"  # the next chip, ready for another Delete
    press(qtbot, Qt.Key.Key_Delete)
    assert chips.texts() == ["Proud"]
    press(qtbot, Qt.Key.Key_Z, CTRL)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert chips.texts() == ["Proud", "Inclusive", "Ambitious"]
    assert stored_values(store, workshop.id)[UNI] == ["Proud", "Inclusive", "Ambitious"]


def test_the_remove_button_removes_the_chosen_chips(view, qtbot, store) -> None:
    cvs = card(view, CVS)
    for text in ("Families", "Schools"):
        store.add_stated_value(cvs.organisation.id, text, ValueKind.SERVES)
    button = cvs.remove_buttons[ValueKind.SERVES]
    assert not button.isEnabled()
    cvs.chips[ValueKind.SERVES].selectAll()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert cvs.chips[ValueKind.SERVES].texts() == []
    assert view.undo_stack.undoText() == "Remove 2 values"


def test_edit_a_chip_with_f2(view, qtbot, store, workshop) -> None:
    store.add_stated_value(card(view, CVS).organisation.id, "Kindnes")
    chips = card(view, CVS).chips[ValueKind.VALUE]
    chips.setFocus()
    chips.setCurrentRow(0)
    qtbot.waitUntil(chips.hasFocus)
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Kindnes"
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, "s")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: chips.texts() == ["Kindness"])  # the list commits after the key
    assert stored_values(store, workshop.id)[CVS] == ["Kindness"]
    assert view.undo_stack.undoText() == "Edit value"
    view.undo_stack.undo()
    assert chips.texts() == ["Kindnes"]


def test_emptying_a_chip_is_refused_and_it_keeps_its_text(view, qtbot, store) -> None:
    store.add_stated_value(card(view, CVS).organisation.id, "Honesty")
    chips = card(view, CVS).chips[ValueKind.VALUE]
    chips.setFocus()
    chips.setCurrentRow(0)
    chips.editItem(chips.item(0))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.clear()
    type_text(qtbot, " ")
    with qtbot.waitSignal(view.error_shown):
        press(qtbot, Qt.Key.Key_Return)
    assert chips.texts() == ["Honesty"]
    assert view.undo_stack.count() == 0


def test_pick_values_from_the_toolkits_lists(view, qtbot, store, workshop) -> None:
    uni = card(view, UNI)
    uni.pick_menu.aboutToShow.emit()
    groups = {a.text(): a.menu() for a in uni.pick_menu.actions()}
    assert "Queen Mary values" in groups and "NCIA values" in groups
    inclusive = next(a for a in groups["Queen Mary values"].actions() if a.text() == "Inclusive")
    inclusive.trigger()
    assert chips_of(view, UNI) == ["Inclusive"]
    uni.pick_menu.aboutToShow.emit()
    groups = {a.text(): a.menu() for a in uni.pick_menu.actions()}
    again = next(a for a in groups["Queen Mary values"].actions() if a.text() == "Inclusive")
    assert again.isChecked() and not again.isEnabled()  # already a chip


def test_the_value_entry_completes_from_the_toolkits_lists(view, qtbot, store,
                                                         workshop) -> None:
    entry = card(view, UNI).entries[ValueKind.VALUE]
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    qtbot.keyClicks(entry, "transp")
    completer = entry.completer()
    popup = completer.popup()
    assert popup.isVisible()
    found = [completer.completionModel().index(i, 0).data()
             for i in range(completer.completionCount())]
    assert "Openness and transparency" in found and "Transparency" in found
    # With the list open, keys go to it: Down picks the first match, Enter adds it.
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert chips_of(view, UNI) == [found[0]]
    assert stored_values(store, workshop.id)[UNI] == [found[0]]
    qtbot.waitUntil(lambda: entry.text() == "")  # the completion written back is taken away
    assert not popup.isVisible()
    # Typing a value in full with the list open adds just what was typed.
    qtbot.keyClicks(entry, "Kind")
    qtbot.keyClicks(popup, "ness to all")
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert chips_of(view, UNI) == [found[0], "Kindness to all"]
    assert entry.text() == ""
    # The line's own typing is undone first; with nothing left to undo, Ctrl+Z undoes a chip.
    qtbot.keyClicks(entry, "Half")
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    assert entry.text() == "" and len(chips_of(view, UNI)) == 2
    qtbot.keyClick(entry, Qt.Key.Key_Z, CTRL)
    assert chips_of(view, UNI) == [found[0]]


def test_chips_are_plain_text(view, qtbot, store) -> None:
    add_by_typing(qtbot, card(view, UNI).entries[ValueKind.VALUE], "<b>x</b>")
    chips = card(view, UNI).chips[ValueKind.VALUE]
    assert chips.texts() == ["<b>x</b>"]
    assert chips.item(0).text() == "<b>x</b>"
    tip = chips.item(0).toolTip()
    document = QTextDocument()
    document.setHtml(tip)
    assert (document.toPlainText() if QtGui.Qt.mightBeRichText(tip) else tip) == "<b>x</b>"
    store.update_organisation(card(view, UNI).organisation.id, name="<i>Uni</i>")
    label = card(view, "<i>Uni</i>").name_label
    assert label.textFormat() == Qt.TextFormat.PlainText and label.text() == "<i>Uni</i>"
    for widget in (view.values_page.findChildren(QLabel)
                   + view.grid_page.findChildren(QLabel)):
        assert widget.textFormat() == Qt.TextFormat.PlainText, widget.text()


def test_chips_change_when_the_store_changes_elsewhere(view, qtbot, store, workshop) -> None:
    cvs_id = card(view, CVS).organisation.id
    value = store.add_stated_value(cvs_id, "Solidarity")
    assert chips_of(view, CVS) == ["Solidarity"]
    store.edit_stated_value(value.id, "Mutual aid")
    assert chips_of(view, CVS) == ["Mutual aid"]
    store.add_organisation(workshop.id, "Local council", OrgKind.OTHER)
    assert [c.organisation.name for c in view.values_page.cards.values()] == [
        UNI, CVS, "Local council"]
    assert chips_of(view, CVS) == ["Mutual aid"]


def test_the_value_chips_grow_to_show_every_chip(view, qtbot, store) -> None:
    chips = card(view, UNI).chips[ValueKind.VALUE]
    empty = chips.height()
    for number in range(30):
        store.add_stated_value(card(view, UNI).organisation.id, f"Value number {number}")
    qtbot.waitUntil(lambda: chips.height() > 3 * empty)
    last = chips.visualItemRect(chips.item(chips.count() - 1))
    assert chips.viewport().rect().contains(last)


def test_insert_goes_to_the_value_entry(view, qtbot) -> None:
    chips = card(view, CVS).chips[ValueKind.SERVES]
    chips.setFocus()
    qtbot.waitUntil(chips.hasFocus)
    press(qtbot, Qt.Key.Key_Insert)
    assert QApplication.focusWidget() is card(view, CVS).entries[ValueKind.VALUE]


# ----------------------------------------------------------------------------- no organisations


def test_no_organisations_offers_to_add_them(qtbot, store) -> None:
    workshop = store.create_workshop("Empty")
    view = show_view(qtbot, ValuesView, store, workshop.id)
    page = view.values_page
    assert page.empty_label.isVisible() and "no organisations" in page.empty_label.text()
    assert not page.scroll.isVisible()
    button = page.organisations_button
    assert button.isVisible() and button.accessibleName()
    with qtbot.waitSignal(view.organisations_requested):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    store.add_organisation(workshop.id, "Food bank", OrgKind.CIVIC)
    assert [c.organisation.name for c in page.cards.values()] == ["Food bank"]
    assert page.scroll.isVisible() and not page.empty_label.isVisible()


def test_no_workshop(qtbot, store) -> None:
    view = show_view(qtbot, ValuesView, store, None)
    assert view.values_page.cards == {}
    assert not view.values_page.organisations_button.isVisible()
    assert not view.add_value_action.isEnabled()


def test_closing_the_workshop_empties_every_page(view, qtbot, store, workshop) -> None:
    store.add_stated_value(card(view, UNI).organisation.id, "Proud")
    view.set_workshop(None)
    assert view.values_page.cards == {}
    assert view.grid.grid_model.rowCount() == 0
    assert view.alignment_page.workshop_id is None


def test_a_deleted_workshop_empties_the_view(view, store, workshop) -> None:
    store.delete_workshop(workshop.id)
    assert view.workshop_id is None
    assert view.values_page.cards == {}


# ----------------------------------------------------------------------------- projector


def pixel_size(widget: QWidget) -> int:
    return QFontInfo(widget.font()).pixelSize()


def test_projector_type_is_large_on_every_page_and_hides_the_editing_boxes(qtbot, store,
                                                                           workshop) -> None:
    uni_id = store.list_organisations(workshop.id)[0].id
    store.add_stated_value(uni_id, "Proud")
    store.set_answer(workshop.id, Practice.BUDGET, "Grants", organisation_id=uni_id)
    view = show_view(qtbot, ValuesView, store, workshop.id, size=(1920, 1080))
    view.focus_view()
    press(qtbot, Qt.Key.Key_P, CTRL | SHIFT)
    assert view.projector and view.projector_action.isChecked()
    uni = card(view, UNI)
    assert pixel_size(uni.chips[ValueKind.VALUE]) >= 24
    assert pixel_size(uni.captions[ValueKind.VALUE]) >= 24
    assert pixel_size(uni.name_label) >= 24
    assert not uni.entries[ValueKind.VALUE].isVisible()
    assert not uni.pick_button.isVisible() and not uni.remove_buttons[ValueKind.VALUE].isVisible()
    assert not view.values_page.intro_label.isVisible()
    visible_labels = [w for w in view.values_page.findChildren(QLabel) if w.isVisible()]
    assert visible_labels and all(pixel_size(w) >= 24 for w in visible_labels)
    assert pixel_size(view.pages.tabBar()) >= 24
    view.show_page(1)
    assert QFontInfo(view.grid.grid_model.index(0, 0).data(Qt.ItemDataRole.FontRole)
                     ).pixelSize() >= 22
    assert not view.add_person_button.isVisible()
    for page in (view.alignment_page, view.decisions_page):
        view.pages.setCurrentWidget(page)
        assert page.projector
        labels = [w for w in page.findChildren(QLabel) if w.isVisible() and w.text()]
        assert labels and all(pixel_size(w) >= 24 for w in labels), [
            (w.text()[:30], pixel_size(w)) for w in labels if pixel_size(w) < 24]
    view.set_projector(False)
    assert not view.projector_action.isChecked() and not view.alignment_page.projector
    view.show_page(0)
    assert uni.entries[ValueKind.VALUE].isVisible()
    assert pixel_size(uni.chips[ValueKind.VALUE]) < PROJECTOR_BODY_PX


# ----------------------------------------------------------------------------- focus & errors


def test_focus_view_puts_the_keyboard_on_the_current_page(view, qtbot) -> None:
    view.pages.setCurrentIndex(1)
    view.focus_view()
    assert QApplication.focusWidget() is view.grid
    view.pages.setCurrentIndex(0)
    view.focus_view()
    assert QApplication.focusWidget() is card(view, UNI).entries[ValueKind.VALUE]
    type_text(qtbot, "Care")
    press(qtbot, Qt.Key.Key_Return)
    assert chips_of(view, UNI) == ["Care"]


def test_a_refused_chip_shows_the_stores_message(view, qtbot, store, workshop) -> None:
    cvs = card(view, CVS)
    other = Store(store.path)  # another copy of the app removes the organisation
    try:
        other.delete_organisation(cvs.organisation.id)
    finally:
        other.close()
    entry = cvs.entries[ValueKind.SERVES]
    with qtbot.waitSignal(view.error_shown) as error:
        add_by_typing(qtbot, entry, "Carers")
    assert "organisation" in error.args[0]
    assert entry.text() == "Carers"  # kept, so nothing typed is lost
    assert view.undo_stack.count() == 0


def test_keys_of_the_grid_do_not_reach_the_chips(view, qtbot, store, workshop) -> None:
    store.add_stated_value(card(view, UNI).organisation.id, "Proud")
    view.show_page(1)
    type_text(qtbot, "Fees")
    assert isinstance(QApplication.focusWidget(), AnswerEditor)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Delete)  # empties the cell, never a chip
    assert chips_of(view, UNI) == ["Proud"]
    assert view.undo_stack.count() == 2


def test_every_control_has_an_accessible_name(view) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit

    for kind in (QAbstractButton, QAbstractItemView, QLineEdit):
        for widget in view.findChildren(kind):
            if widget.isVisible() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                assert widget.accessibleName(), widget

