"""Step 4, the draft principles, as a facilitator drives it by keyboard: compile, accept,
reject, edit, merge, split, reorder, add, change a note's theme, review tallies, print."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
)

from tests.conftest import require_tool
from tests.ui.helpers import show_view, shown_tooltip, wait_closed, wait_dialog
from workshopkit.exercises.principles import DEFAULT_REVIEW_DATES
from workshopkit.model import Column, EvidenceKind, PrincipleStatus, Verdict
from workshopkit.store import Store
from workshopkit.ui.principles_view import (
    PROJECTOR_META_PX,
    PrincipleDialog,
    PrinciplesView,
    SplitDialog,
    ThemeDialog,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def press(qtbot, key: Qt.Key, modifier=NONE) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def undo(qtbot) -> None:
    press(qtbot, Qt.Key.Key_Z, CTRL)


def redo(qtbot) -> None:
    press(qtbot, Qt.Key.Key_Y, CTRL)


def stored(store: Store, workshop_id: int) -> list[tuple]:
    return [(p.id, p.lead, p.body, p.status, p.evidence)
            for p in store.list_principles(workshop_id)]


def titles(view: PrinciplesView) -> list[str]:
    return [row.title for row in view.rows()]


def go_to_row(qtbot, view: PrinciplesView, number: int) -> None:
    """Put the keyboard on the list and walk down to row ``number`` with the arrow keys."""
    view.focus_view()
    qtbot.waitUntil(view.list.hasFocus)
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(number):
        press(qtbot, Qt.Key.Key_Down)
    assert view.list.currentIndex().row() == number


@pytest.fixture
def wid(demo_workshop) -> int:
    return demo_workshop.id


@pytest.fixture
def view(qtbot, store, wid) -> PrinciplesView:
    view = show_view(qtbot, PrinciplesView, store, wid)
    view.show_message_boxes = False
    view.focus_view()
    qtbot.waitUntil(view.list.hasFocus)
    return view


@pytest.fixture
def compiled(qtbot, view, store, wid) -> PrinciplesView:
    """The demo's draft compiled by the keyboard (Ctrl+Shift+C)."""
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    assert store.list_principles(wid)
    view.undo_stack.clear()
    return view


# ----------------------------------------------------------------------------- compiling


def test_the_preview_then_compiling_with_the_keyboard(qtbot, view, store, wid) -> None:
    preview = titles(view)
    assert len(preview) == 7 and preview[0].startswith("1. Be honest and transparent")
    assert all(row.preview for row in view.rows())
    assert "preview" in view.note_label.text() and view.note_label.isVisible()
    assert view.compile_button.isDefault()  # shown prominently until there is a draft
    assert store.list_principles(wid) == []
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    draft = stored(store, wid)
    assert [f"{n}. {row[1]}" for n, row in enumerate(draft, start=1)] == preview
    assert titles(view) == preview and not any(row.preview for row in view.rows())
    assert not view.note_label.isVisible() and not view.compile_button.isDefault()
    assert view.status_label.text() == "Draft compiled: 7 principles."
    undo(qtbot)
    assert store.list_principles(wid) == [] and all(row.preview for row in view.rows())
    redo(qtbot)
    assert stored(store, wid) == draft  # the very same principles, ids included


def test_recompiling_an_edited_draft_warns_and_undo_brings_the_edits_back(
        qtbot, compiled, store, wid) -> None:
    view = compiled
    first = store.list_principles(wid)[0]
    store.update_principle(first.id, lead="Tell each other the truth")
    assert "Undo (Ctrl+Z) brings it back" in view.note_label.text()
    assert view.note_label.isVisible()
    edited = stored(store, wid)
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    assert store.list_principles(wid)[0].lead == first.lead
    assert "Undo (Ctrl+Z) brings back the previous draft" in view.status_label.text()
    undo(qtbot)
    assert stored(store, wid) == edited
    assert view.rows()[0].lead == "Tell each other the truth"


def test_compiling_an_unchanged_draft_changes_nothing(qtbot, compiled, store, wid) -> None:
    before = stored(compiled.store, wid)
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    assert stored(store, wid) == before and compiled.undo_stack.count() == 0
    assert "already up to date" in compiled.status_label.text()


# ----------------------------------------------------------------------------- statuses


def test_accept_reject_and_back_to_draft_by_keys(qtbot, compiled, store, wid) -> None:
    view = compiled
    ids = [p.id for p in store.list_principles(wid)]
    go_to_row(qtbot, view, 1)
    press(qtbot, Qt.Key.Key_A)
    assert store.get_principle(ids[1]).status is PrincipleStatus.ACCEPTED
    assert view.rows()[1].meta_lines()[0].startswith("Accepted")
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_R)
    assert store.get_principle(ids[2]).status is PrincipleStatus.REJECTED
    rejected = view.rows()[2]
    assert rejected.number is None and rejected.title == rejected.lead  # not printed
    assert view.rows()[3].title.startswith("3. ")
    press(qtbot, Qt.Key.Key_D)
    assert store.get_principle(ids[2]).status is PrincipleStatus.DRAFT
    undo(qtbot)
    assert store.get_principle(ids[2]).status is PrincipleStatus.REJECTED
    undo(qtbot)
    assert store.get_principle(ids[2]).status is PrincipleStatus.DRAFT
    undo(qtbot)
    assert store.get_principle(ids[1]).status is PrincipleStatus.DRAFT
    redo(qtbot)
    assert store.get_principle(ids[1]).status is PrincipleStatus.ACCEPTED
    assert view.list.currentIndex().row() == 2  # the keyboard stayed where it was


def test_accepting_several_chosen_with_shift(qtbot, compiled, store, wid) -> None:
    go_to_row(qtbot, compiled, 0)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_A)
    statuses = [p.status for p in store.list_principles(wid)]
    assert statuses[:4] == [PrincipleStatus.ACCEPTED] * 3 + [PrincipleStatus.DRAFT]
    undo(qtbot)
    assert {p.status for p in store.list_principles(wid)} == {PrincipleStatus.DRAFT}


# ----------------------------------------------------------------------------- editing


def test_edit_with_enter_then_undo_and_redo(qtbot, compiled, store, wid) -> None:
    view = compiled
    target = store.list_principles(wid)[1]
    go_to_row(qtbot, view, 1)
    press(qtbot, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, view)
    assert isinstance(dialog, PrincipleDialog)
    assert dialog.lead() == target.lead and dialog.body() == target.body
    assert QApplication.focusWidget() is dialog.lead_edit
    qtbot.keyClicks(dialog.lead_edit, "Agree who owns the data")  # replaces the selected lead
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.body_edit
    dialog.body_edit.selectAll()
    qtbot.keyClicks(dialog.body_edit, "Before we start.")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, view)
    edited = store.get_principle(target.id)
    assert (edited.lead, edited.body) == ("Agree who owns the data", "Before we start.")
    assert view.rows()[1].title == "2. Agree who owns the data"
    assert view.list.hasFocus()
    undo(qtbot)
    assert store.get_principle(target.id).lead == target.lead
    redo(qtbot)
    assert store.get_principle(target.id).lead == "Agree who owns the data"


def test_f2_edits_and_the_dialog_refuses_an_empty_or_too_long_lead(qtbot, compiled, store,
                                                                  wid) -> None:
    view = compiled
    before = stored(store, wid)
    go_to_row(qtbot, view, 0)
    press(qtbot, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, view)
    dialog.lead_edit.clear()
    assert not dialog.ok_button.isEnabled() and "cannot be empty" in dialog.problem()
    press(qtbot, Qt.Key.Key_Return)
    assert view.dialog is dialog  # still open, nothing saved
    qtbot.keyClicks(dialog.lead_edit, "x" * 170)
    assert not dialog.ok_button.isEnabled() and "the limit is 160" in dialog.problem()
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, view)
    assert stored(store, wid) == before and view.undo_stack.count() == 0


def test_user_text_is_plain_text(qtbot, compiled, store, wid) -> None:
    view = compiled
    target = store.list_principles(wid)[0]
    go_to_row(qtbot, view, 0)
    press(qtbot, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, view)
    dialog.lead_edit.setText("<b>x</b> & <i>y</i>")
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, view)
    assert store.get_principle(target.id).lead == "<b>x</b> & <i>y</i>"
    row = view.rows()[0]
    assert row.title == "1. <b>x</b> & <i>y</i>"
    index = view.list.principles_model.index(0)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "1. <b>x</b> & <i>y</i>"
    assert shown_tooltip(index.data(Qt.ItemDataRole.ToolTipRole)).startswith(
        "<b>x</b> & <i>y</i>")
    assert view.evidence_heading.textFormat() == Qt.TextFormat.PlainText
    assert "“<b>x</b> & <i>y</i>”" in view.evidence_heading.text()
    postit = store.add_postit(wid, Column.SHARED, "<b>Honest</b> about money")
    assert "<b>Honest</b> about money" in view.unplaced_tree.texts()
    item = view.unplaced_tree.topLevelItem(view.unplaced_tree.texts().index(
        "<b>Honest</b> about money"))
    assert shown_tooltip(item.toolTip(0)).startswith("“<b>Honest</b> about money”")
    assert postit.id


# ----------------------------------------------------------------------------- merge, split


def test_merge_the_chosen_principles_with_m(qtbot, compiled, store, wid) -> None:
    view = compiled
    before = store.list_principles(wid)
    go_to_row(qtbot, view, 1)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    assert len(view.list.selected_rows()) == 2
    press(qtbot, Qt.Key.Key_M)
    after = store.list_principles(wid)
    assert [p.id for p in after] == [p.id for p in before if p.id != before[2].id]
    merged = after[1]
    assert merged.lead == before[1].lead
    assert merged.body == before[1].body + "\n\n" + before[2].body
    assert set(merged.evidence) == set(before[1].evidence) | set(before[2].evidence)
    assert view.list.current_row().principle_id == merged.id
    assert len(view.evidence_tree.texts()) == len(merged.evidence)
    undo(qtbot)
    assert stored(store, wid) == [(p.id, p.lead, p.body, p.status, p.evidence)
                                  for p in before]
    redo(qtbot)
    assert len(store.list_principles(wid)) == len(before) - 1


def test_m_with_one_principle_says_how_to_choose_several(qtbot, compiled, store, wid) -> None:
    go_to_row(qtbot, compiled, 0)
    press(qtbot, Qt.Key.Key_M)
    assert len(store.list_principles(wid)) == 7 and compiled.undo_stack.count() == 0


def test_split_with_s_ticking_notes_with_space(qtbot, compiled, store, wid) -> None:
    view = compiled
    target = store.list_principles(wid)[1]
    assert len(target.evidence) == 3
    go_to_row(qtbot, view, 1)
    press(qtbot, Qt.Key.Key_S)
    dialog = wait_dialog(qtbot, view)
    assert isinstance(dialog, SplitDialog)
    assert dialog.notes.count() == 3 and not dialog.ok_button.isEnabled()
    assert QApplication.focusWidget() is dialog.notes
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    assert dialog.chosen() == [target.evidence[1]] and dialog.ok_button.isEnabled()
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, view)
    after = store.list_principles(wid)
    assert len(after) == 8
    assert after[1].id == target.id and target.evidence[1] not in after[1].evidence
    assert after[2].evidence == (target.evidence[1],) and after[2].lead == target.lead
    assert view.list.current_row().principle_id == after[2].id
    moved_text = "Contribute to a case study to showcase our partnership"
    assert view.evidence_tree.texts() == [moved_text]
    undo(qtbot)
    assert store.list_principles(wid)[1].evidence == target.evidence
    assert len(store.list_principles(wid)) == 7
    redo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == [p.id for p in after]


# ----------------------------------------------------------------------------- order, add


def test_reorder_with_ctrl_up_and_down(qtbot, compiled, store, wid) -> None:
    view = compiled
    ids = [p.id for p in store.list_principles(wid)]
    go_to_row(qtbot, view, 2)
    press(qtbot, Qt.Key.Key_Down, CTRL)
    moved = [ids[0], ids[1], ids[3], ids[2], *ids[4:]]
    assert [p.id for p in store.list_principles(wid)] == moved
    assert view.list.current_row().principle_id == ids[2]  # the keyboard moved with it
    assert view.rows()[3].title.startswith("4. ")
    press(qtbot, Qt.Key.Key_Up, CTRL)
    press(qtbot, Qt.Key.Key_Up, CTRL)
    assert [p.id for p in store.list_principles(wid)][:3] == [ids[0], ids[2], ids[1]]
    undo(qtbot)
    undo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == moved
    undo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == ids
    redo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == moved


def test_add_by_hand_with_ins_after_the_current_principle(qtbot, compiled, store,
                                                         wid) -> None:
    view = compiled
    ids = [p.id for p in store.list_principles(wid)]
    go_to_row(qtbot, view, 0)
    press(qtbot, Qt.Key.Key_Insert)
    dialog = wait_dialog(qtbot, view)
    assert dialog.windowTitle() == "Add a principle" and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.lead_edit, "Meet somewhere step-free")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.body_edit, "Check the venue with everyone first.")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    wait_closed(qtbot, view)
    after = store.list_principles(wid)
    added = after[1]
    assert (added.lead, added.body, added.theme_id) == (
        "Meet somewhere step-free", "Check the venue with everyone first.", "")
    assert [p.id for p in after] == [ids[0], added.id, *ids[1:]]
    assert view.list.current_row().principle_id == added.id
    assert view.rows()[1].title == "2. Meet somewhere step-free"
    undo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == ids
    redo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == [p.id for p in after]


def test_add_a_missing_theme_with_t(qtbot, compiled, store, wid) -> None:
    view = compiled
    missing = view.missing_themes()
    assert [t.title for t in missing] == [
        "Agree ways of communicating that are timely, clear and work for everyone",
        "Recognise when things don't go to plan, adapt, and review together"]
    go_to_row(qtbot, view, 6)
    press(qtbot, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert [a.text() for a in menu.actions()] == [t.title for t in missing]
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    after = store.list_principles(wid)
    added = after[-1]
    assert (added.lead, added.body, added.theme_id) == (
        missing[1].title, missing[1].template, missing[1].id)
    assert [t.id for t in view.missing_themes()] == [missing[0].id]
    assert view.rows()[-1].title == f"8. {missing[1].title}"
    undo(qtbot)
    assert len(store.list_principles(wid)) == 7 and len(view.missing_themes()) == 2
    redo(qtbot)
    assert store.list_principles(wid)[-1].id == added.id


def test_delete_with_the_delete_key(qtbot, compiled, store, wid) -> None:
    view = compiled
    ids = [p.id for p in store.list_principles(wid)]
    go_to_row(qtbot, view, 3)
    press(qtbot, Qt.Key.Key_Delete)
    assert [p.id for p in store.list_principles(wid)] == ids[:3] + ids[4:]
    assert view.list.currentIndex().row() == 3  # on the next principle
    undo(qtbot)
    assert [p.id for p in store.list_principles(wid)] == ids


# ----------------------------------------------------------------------------- notes


def choose_theme(qtbot, view: PrinciplesView, title: str) -> None:
    """In the open theme dialog, walk to ``title`` with the arrow keys and press Enter."""
    dialog = wait_dialog(qtbot, view)
    assert isinstance(dialog, ThemeDialog)
    names = [dialog.choices.item(n).text() for n in range(dialog.choices.count())]
    target = names.index(title)
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(target):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, view)


def test_change_a_notes_theme_then_recompile_moves_it_and_it_stays(qtbot, compiled, store,
                                                                  wid) -> None:
    view = compiled
    honesty = next(p for p in store.list_principles(wid) if p.theme_id == "honesty_transparency")
    plain = next(p for p in store.list_principles(wid) if p.theme_id == "plain_language")
    postit = next(p for p in store.list_postits(wid) if p.text == "Honesty")
    go_to_row(qtbot, view, 0)
    assert view.evidence_tree.texts() == ["Honesty", "Transparency"]
    assert "\nMatched “honest" in view.evidence_tree.lines()[0].why
    view.evidence_tree.setFocus()
    qtbot.waitUntil(view.evidence_tree.hasFocus)
    view.evidence_tree.setCurrentItem(view.evidence_tree.topLevelItem(0))
    press(qtbot, Qt.Key.Key_T)
    choose_theme(qtbot, view, "Use plain language and explain unfamiliar terms")
    ref = (EvidenceKind.POSTIT, postit.id)
    assert store.theme_overrides(wid) == {ref: "plain_language"}
    assert view.evidence_tree.lines()[0].why == (
        "Theme chosen by hand: Use plain language and explain unfamiliar terms")
    assert ref in store.get_principle(honesty.id).evidence  # moves when compiled again
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    by_theme = {p.theme_id: p for p in store.list_principles(wid)}
    assert ref in by_theme["plain_language"].evidence
    assert ref not in by_theme["honesty_transparency"].evidence
    assert by_theme["plain_language"].id != plain.id
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)  # and again: the choice is kept
    by_theme = {p.theme_id: p for p in store.list_principles(wid)}
    assert ref in by_theme["plain_language"].evidence
    undo(qtbot)  # the recompile
    undo(qtbot)  # the theme
    assert store.theme_overrides(wid) == {}


def test_notes_not_yet_in_a_principle_get_a_theme_and_join_one(qtbot, compiled, store,
                                                              wid) -> None:
    view = compiled
    tree = view.unplaced_tree
    assert tree.texts()[:2] == ["Collegial", "Equity"]
    assert tree.lines()[0].why == "Why: no theme matched"
    assert view.side_tabs.tabText(1) == f"Not yet in a principle ({len(tree.texts())})"
    view.side_tabs.setCurrentWidget(view.unplaced_page)
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    tree.setCurrentItem(tree.topLevelItem(0))
    press(qtbot, Qt.Key.Key_F2)
    choose_theme(qtbot, view, ("Be honest and transparent about policies, processes and "
                               "working practices"))
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    assert "Collegial" not in tree.texts()
    honesty = next(p for p in store.list_principles(wid) if p.theme_id == "honesty_transparency")
    value = next(v for v in store.values_exercise(wid).values if v.text == "Collegial")
    assert (EvidenceKind.VALUE, value.id) in honesty.evidence


def test_evidence_says_where_each_note_came_from_and_its_votes(qtbot, compiled, store,
                                                              wid) -> None:
    view = compiled
    store.open_voting(wid)
    postit = next(p for p in store.list_postits(wid) if p.text == "Transparency")
    store.cast_vote(wid, "phone-1", postit.id)
    store.cast_vote(wid, "phone-2", postit.id)
    go_to_row(qtbot, view, 0)
    lines = view.evidence_tree.lines()
    assert (lines[1].text, lines[1].where, lines[1].votes) == (
        "Transparency", "Shared expectations", 2)
    assert "Shared expectations · 2 votes" in view.evidence_tree.topLevelItem(1).text(0)
    go_to_row(qtbot, view, 1)
    answer = view.evidence_tree.lines()[2]
    assert answer.where == "Queen Mary University of London, most time goes on"
    assert answer.votes is None


# ----------------------------------------------------------------------------- the room


def test_review_tallies_appear_as_phones_review(qtbot, compiled, store, wid) -> None:
    view = compiled
    first, second = store.list_principles(wid)[:2]
    go_to_row(qtbot, view, 1)
    assert view.tally_text(first.id) == "0 agree · 0 suggest a change"
    assert "agree" not in " ".join(view.rows()[0].meta_lines())
    store.update_join_settings(wid, review_open=True)
    store.cast_review(wid, "phone-1", first.id, Verdict.AGREE)
    store.cast_review(wid, "phone-2", first.id, Verdict.AGREE)
    store.cast_review(wid, "phone-3", first.id, Verdict.CHANGE, "Say <who> decides")
    assert view.tally_text(first.id) == "2 agree · 1 suggest a change"
    assert view.rows()[0].meta_lines()[1:] == ["2 agree · 1 suggest a change",
                                               "“Say <who> decides”"]
    assert view.rows()[1].meta_lines()[1] == "0 agree · 0 suggest a change"
    index = view.list.principles_model.index(0)
    assert "2 agree · 1 suggest a change" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert view.list.current_row().principle_id == second.id  # the keyboard stayed


def test_the_preview_follows_the_board(qtbot, view, store, wid) -> None:
    assert not any("communicating" in t for t in titles(view))
    go_to_row(qtbot, view, 2)
    current = view.list.current_row().theme_id
    store.add_postit(wid, Column.SHARED, "Regular communication and updates")
    assert any("communicating" in t for t in titles(view))
    assert view.list.current_row().theme_id == current


def test_reopening_the_store_finds_the_same_draft(qtbot, compiled, store, wid,
                                                  data_dir) -> None:
    go_to_row(qtbot, compiled, 0)
    press(qtbot, Qt.Key.Key_A)
    before = stored(store, wid)
    path = store.path
    store.close()
    with Store(path) as again:
        other = show_view(qtbot, PrinciplesView, again, wid)
        assert stored(again, wid) == before
        assert [(r.principle_id, r.lead, r.status) for r in other.rows()] == [
            (row[0], row[1], row[3]) for row in before]
        assert "Undo (Ctrl+Z) brings it back" in other.note_label.text()  # edited since
        other.set_workshop(None)


# ----------------------------------------------------------------------------- review dates


def test_review_dates_are_suggested_then_kept_when_changed(qtbot, compiled, store,
                                                           wid) -> None:
    view = compiled
    editor = view.dates_editor
    view.side_tabs.setCurrentWidget(editor)
    assert editor.dates() == [(label, "") for label in DEFAULT_REVIEW_DATES]
    assert editor.note.isVisible() and store.review_dates(wid) == []
    editor.table.setFocus()
    editor.table.setCurrentCell(0, 1)
    press(qtbot, Qt.Key.Key_F2)
    qtbot.keyClicks(QApplication.focusWidget(), "2025-09-30")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.review_dates(wid) != [])  # the table commits after Enter
    saved = [(d.label, d.date) for d in store.review_dates(wid)]
    assert saved == [(DEFAULT_REVIEW_DATES[0], "2025-09-30"),
                     *((label, "") for label in DEFAULT_REVIEW_DATES[1:])]
    assert not editor.note.isVisible()
    errors: list[str] = []
    view.error_shown.connect(errors.append)
    editor.table.setCurrentCell(1, 1)
    press(qtbot, Qt.Key.Key_F2)
    qtbot.keyClicks(QApplication.focusWidget(), "next spring")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(errors))
    assert "YYYY-MM-DD" in errors[0]
    assert [(d.label, d.date) for d in store.review_dates(wid)] == saved
    assert editor.dates() == saved  # the table shows what is kept
    editor.table.setFocus()
    press(qtbot, Qt.Key.Key_Insert)
    assert [d.label for d in store.review_dates(wid)][-1] == "New review"
    assert isinstance(QApplication.focusWidget(), QLineEdit)  # typing the milestone's name
    press(qtbot, Qt.Key.Key_Escape)
    undo(qtbot)
    assert [(d.label, d.date) for d in store.review_dates(wid)] == saved
    undo(qtbot)
    assert store.review_dates(wid) == [] and editor.note.isVisible()


# ----------------------------------------------------------------------------- print, export


def pdf_text(path: Path) -> str:
    tool = require_tool("pdftotext")
    out = subprocess.run([tool, "-layout", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return " ".join(out.split())


def test_printing_to_pdf_holds_every_principle_lead(qtbot, compiled, store, wid,
                                                    tmp_path) -> None:
    view = compiled
    principles = store.list_principles(wid)
    store.update_principle(principles[0].id, lead="<b>x</b> & be honest")
    store.update_principle(principles[1].id, status=PrincipleStatus.REJECTED)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert view.print_to(printer)
    text = pdf_text(tmp_path / "printed.pdf")
    assert "1. <b>x</b> & be honest" in text
    for number, p in enumerate(principles[2:], start=2):
        assert f"{number}. {p.lead}" in text
    assert principles[1].lead not in text.split("Appendix")[0]  # rejected: not printed
    assert "not a contract" in text
    for postit in store.list_postits(wid):
        assert " ".join(postit.text.split()) in text
    assert DEFAULT_REVIEW_DATES[0] in text


def test_print_opens_a_print_dialog_that_does_not_block(qtbot, compiled) -> None:
    view = compiled
    press(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: view.print_dialog is not None and view.print_dialog.isVisible())
    assert view.print_dialog.accessibleName() == "Print principles"
    view.print_dialog.reject()
    qtbot.waitUntil(lambda: view.print_dialog is None)


def test_export_pdf_offers_a_save_dialog(qtbot, compiled, tmp_path) -> None:
    view = compiled
    assert [a.text().replace("&", "") for a in view.export_actions] == [
        "Export principles as PDF…", "Print principles…"]
    dialog = view.export_pdf_as()
    assert dialog is not None and dialog.isVisible() and view.file_dialog is dialog
    assert dialog.selectedFiles()[0].endswith(".pdf")
    dialog.reject()
    qtbot.waitUntil(lambda: view.file_dialog is None)


def test_export_pdf_writes_the_file(qtbot, compiled, store, wid, tmp_path) -> None:
    pytest.importorskip("workshopkit.export.principles_pdf")
    written = compiled.export_pdf_to(tmp_path / "principles.pdf")
    assert written is not None and written.read_bytes().startswith(b"%PDF")
    text = pdf_text(written)
    for p in store.list_principles(wid):
        assert p.lead in text


# ----------------------------------------------------------------------------- the view


def test_projector_type_is_at_least_24_px(qtbot, compiled) -> None:
    view = compiled
    press(qtbot, Qt.Key.Key_P, CTRL | SHIFT)
    assert view.projector
    delegate = view.list.delegate
    for font in (delegate.lead_font, delegate.body_font, delegate.meta_font):
        assert QFontInfo(font).pixelSize() >= 24
    assert QFontInfo(delegate.meta_font).pixelSize() == PROJECTOR_META_PX
    assert QFontInfo(view.evidence_tree.font()).pixelSize() >= 24
    assert not view.side_tabs.isTabVisible(view.side_tabs.indexOf(view.dates_editor))
    press(qtbot, Qt.Key.Key_P, CTRL | SHIFT)
    assert not view.projector and QFontInfo(delegate.meta_font).pixelSize() < 24


def test_the_list_model(qtmodeltester, compiled) -> None:
    qtmodeltester.check(compiled.list.principles_model)


def test_actions_and_accessible_names(compiled) -> None:
    view = compiled
    keys = {a.text().replace("&", ""): a.shortcut().toString() for a in view.edit_actions}
    assert keys["Compile the draft"] == "Ctrl+Shift+C"
    assert keys["Accept"] == "A" and keys["Reject"] == "R" and keys["Back to draft"] == "D"
    assert keys["Merge"] == "M" and keys["Split…"] == "S" and keys["Move up"] == "Ctrl+Up"
    assert "Add a missing theme" in keys
    assert [a.shortcut().toString() for a in view.view_actions] == ["Ctrl+Shift+P"]
    for action in view.edit_actions + view.view_actions + view.export_actions:
        assert action.toolTip() or action.statusTip()
    widgets = view.findChildren(QAbstractButton) + view.findChildren(QAbstractItemView) + \
        view.findChildren(QLineEdit) + view.findChildren(QPlainTextEdit)
    unnamed = [w for w in widgets if w.isVisibleTo(view) and not w.accessibleName()
               and w.parent() is not None and not w.objectName().startswith("qt_")]
    assert unnamed == []


def test_no_workshop_shows_an_empty_view(qtbot, store) -> None:
    view = show_view(qtbot, PrinciplesView, store, None)
    assert view.rows() == [] and not view.compile_action.isEnabled()
    assert view.note_label.text() == "Open a workshop to draft its principles."


def test_a_hidden_view_catches_up_when_shown_or_asked(qtbot, compiled, store, wid) -> None:
    view = compiled
    first = store.list_principles(wid)[0]
    view.hide()
    store.update_join_settings(wid, review_open=True)
    store.cast_review(wid, "phone-1", first.id, Verdict.AGREE)
    store.update_principle(first.id, lead="Be open with each other")
    assert view.tally_text(first.id) == "1 agree · 0 suggest a change"
    store.update_principle(first.id, lead="Be open with each other, always")
    view.show()
    qtbot.waitExposed(view)
    assert view.list.principles_model.rows[0].lead == "Be open with each other, always"


def test_a_note_removed_from_the_board_is_shown_as_gone(qtbot, compiled, store, wid) -> None:
    view = compiled
    postit = next(p for p in store.list_postits(wid) if p.text == "Transparency")
    weight = view.rows()[0].weight
    store.delete_postits([postit.id])
    go_to_row(qtbot, view, 0)
    assert view.evidence_tree.texts() == ["Honesty", "(no longer on the board)"]
    assert view.rows()[0].weight == weight - 2  # a shared post-it counted 2


def test_splitting_a_principle_without_notes_explains_why_not(qtbot, compiled, store,
                                                              wid) -> None:
    view = compiled
    errors: list[str] = []
    view.error_shown.connect(errors.append)
    store.add_principle(wid, "Meet somewhere step-free")
    go_to_row(qtbot, view, 7)
    press(qtbot, Qt.Key.Key_S)
    assert errors == ["This principle has no notes behind it to move to a new one."]
    assert view.dialog is None and len(store.list_principles(wid)) == 8


def test_a_failed_export_is_reported(qtbot, compiled, tmp_path) -> None:
    pytest.importorskip("workshopkit.export.principles_pdf")
    errors: list[str] = []
    compiled.error_shown.connect(errors.append)
    assert compiled.export_pdf_to(tmp_path) is None  # a folder, not a file
    assert len(errors) == 1 and errors[0]
