"""The "who to invite" list: by ring from the centre out, statuses in words, copyable as text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import show_active
from workshopkit.model import OrgKind
from workshopkit.store import Store
from workshopkit.ui.invite_list import InviteListView

EXPECTED_TEXT = """Who to invite

Must be in the room — 3 (1 agreed, 1 invited, 1 not invited yet)
- Research engagement and impact — Dr Kim Osei (Queen Mary): Agreed to take part
- Senior Leadership (Queen Mary): Not invited yet
- Volunteers — <b>Bo</b> & Co (Tower Hamlets CVS): Invited

Bring in later — 2 (1 declined, 1 not invited yet)
- Estates and facilities (Queen Mary): Declined
- Youth panel (Not yet placed): Not invited yet

Keep informed — nobody yet
"""


@pytest.fixture
def mapped(store: Store) -> tuple[Store, int, dict[str, int]]:
    workshop = store.create_workshop(
        "Map", organisations=[("Queen Mary", OrgKind.UNIVERSITY),
                              ("Tower Hamlets CVS", OrgKind.CIVIC)])
    uni, civic = (o.id for o in store.list_organisations(workshop.id))
    store.set_ring_name(workshop.id, 1, "Bring in later")
    cards = store.add_stakeholders(workshop.id, [
        {"label": "Volunteers", "organisation_id": civic, "ring": 0, "person": "<b>Bo</b> & Co",
         "status": "invited"},
        {"label": "Senior Leadership", "organisation_id": uni, "ring": 0},
        {"label": "Research engagement and impact", "organisation_id": uni, "ring": 0,
         "person": "Dr Kim Osei", "contact": "kim@example.ac.uk", "status": "agreed"},
        {"label": "Youth panel", "ring": 1},
        {"label": "Estates and facilities", "organisation_id": uni, "ring": 1,
         "status": "declined"},
    ])
    return store, workshop.id, {card.label: card.id for card in cards}


@pytest.fixture
def view(qtbot) -> InviteListView:
    return show_active(qtbot, InviteListView(), (700, 600))


def _rows(view: InviteListView) -> list[tuple[str, list[tuple[str, str]]]]:
    model = view.model
    rows = []
    for i in range(model.rowCount()):
        top = model.index(i, 0)
        children = [(model.index(j, 0, top).data(), model.index(j, 1, top).data())
                    for j in range(model.rowCount(top))]
        rows.append((top.data(), children))
    return rows


def _ring(view: InviteListView, ring: int) -> QModelIndex:
    return view.model.index(ring, 0)


def _entry(view: InviteListView, text: str) -> QModelIndex:
    model = view.model
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, -1,
                        Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive)
    assert len(found) == 1, text
    return found[0]


def test_rings_from_the_centre_out_with_counts_sorted_entries_and_status_words(
        view, mapped) -> None:
    store, wid, _ids = mapped
    view.set_map(store.stakeholder_map(wid))
    assert _rows(view) == [
        ("Must be in the room — 3 (1 agreed, 1 invited, 1 not invited yet)", [
            ("Research engagement and impact — Dr Kim Osei (Queen Mary)", "Agreed"),
            ("Senior Leadership (Queen Mary)", "Not yet"),
            ("Volunteers — <b>Bo</b> & Co (Tower Hamlets CVS)", "Invited"),
        ]),
        ("Bring in later — 2 (1 declined, 1 not invited yet)", [
            ("Estates and facilities (Queen Mary)", "Declined"),
            ("Youth panel (Not yet placed)", "Not yet"),
        ]),
        ("Keep informed — nobody yet", []),
    ]
    header = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)]
    assert header == ["Who", "Invitation"]
    assert view.tree.isFirstColumnSpanned(0, QModelIndex())
    kim = _entry(view, "Research engagement")
    assert "kim@example.ac.uk" in kim.data(Qt.ItemDataRole.ToolTipRole)
    assert kim.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Research engagement and impact — Dr Kim Osei (Queen Mary): Agreed to take part")


def test_the_list_follows_changes_and_clears_for_no_map(view, mapped) -> None:
    store, wid, ids = mapped
    view.set_map(store.stakeholder_map(wid))
    store.update_stakeholders({ids["Senior Leadership"]: {"status": "agreed", "ring": 2}})
    view.set_map(store.stakeholder_map(wid))
    rows = _rows(view)
    assert rows[0][0] == "Must be in the room — 2 (1 agreed, 1 invited)"
    assert rows[2] == ("Keep informed — 1 (1 agreed)",
                       [("Senior Leadership (Queen Mary)", "Agreed")])
    view.set_map(None)
    assert view.model.rowCount() == 0
    assert view.as_text() == ""
    assert not view.copy_button.isEnabled()


def test_enter_or_double_click_on_a_person_emits_their_card(qtbot, view, mapped) -> None:
    store, wid, ids = mapped
    view.set_map(store.stakeholder_map(wid))
    view.tree.setFocus()
    view.tree.setCurrentIndex(_ring(view, 0))
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)
    assert view.tree.currentIndex().data() == "Senior Leadership (Queen Mary)"
    with qtbot.waitSignal(view.stakeholder_activated, timeout=2000) as activated:
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert activated.args == [ids["Senior Leadership"]]

    rect = view.tree.visualRect(_entry(view, "Youth panel"))
    viewport = view.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.stakeholder_activated, timeout=2000) as activated:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [ids["Youth panel"]]


def test_enter_on_a_ring_heading_emits_nothing(qtbot, view, mapped) -> None:
    store, wid, _ids = mapped
    view.set_map(store.stakeholder_map(wid))
    view.tree.setFocus()
    view.tree.setCurrentIndex(_ring(view, 1))
    with qtbot.assertNotEmitted(view.stakeholder_activated):
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)


def test_as_text_is_a_plain_list_for_an_email(view, mapped) -> None:
    store, wid, _ids = mapped
    view.set_map(store.stakeholder_map(wid))
    assert view.as_text() == EXPECTED_TEXT


def test_copy_list_puts_the_text_on_the_clipboard(qtbot, view, mapped) -> None:
    store, wid, _ids = mapped
    view.set_map(store.stakeholder_map(wid))
    QApplication.clipboard().setText("something else")
    assert view.copy_button.isEnabled()
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == EXPECTED_TEXT
    assert view.copied_label.isVisible()
    assert view.copied_label.text() == "Copied 5 people to the clipboard."


def test_an_empty_map_has_nothing_to_copy(view, store) -> None:
    workshop = store.create_workshop("Empty")
    view.set_map(store.stakeholder_map(workshop.id))
    assert [row[0] for row in _rows(view)] == [
        "Must be in the room — nobody yet", "Involve — nobody yet", "Keep informed — nobody yet"]
    assert not view.copy_button.isEnabled()


def test_collapsed_rings_and_the_current_row_survive_a_refresh(qtbot, view, mapped) -> None:
    store, wid, ids = mapped
    view.set_map(store.stakeholder_map(wid))
    tree = view.tree
    assert all(tree.isExpanded(_ring(view, i)) for i in range(3))
    tree.setFocus()
    tree.setCurrentIndex(_ring(view, 1))
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # collapse "Bring in later"
    assert not tree.isExpanded(_ring(view, 1))
    tree.setCurrentIndex(_entry(view, "Volunteers"))

    store.update_stakeholders({ids["Volunteers"]: {"status": "agreed"}})
    view.set_map(store.stakeholder_map(wid))
    assert tree.isExpanded(_ring(view, 0))
    assert not tree.isExpanded(_ring(view, 1))
    assert tree.isExpanded(_ring(view, 2))
    current = tree.currentIndex()
    assert current.siblingAtColumn(0).data().startswith("Volunteers")
    assert current.siblingAtColumn(1).data() == "Agreed"
    assert current.siblingAtColumn(1).data(Qt.ItemDataRole.ToolTipRole) == "Agreed to take part"

    tree.setCurrentIndex(_ring(view, 1))
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # open it again
    view.set_map(store.stakeholder_map(wid))
    assert tree.isExpanded(_ring(view, 1))
    assert tree.currentIndex() == _ring(view, 1)


def test_the_tree_model_passes_the_model_tester(qtmodeltester, view, mapped) -> None:
    store, wid, _ids = mapped
    view.set_map(store.stakeholder_map(wid))
    qtmodeltester.check(view.model)


def test_parts_have_accessible_names_and_large_type(view) -> None:
    for widget in (view, view.tree, view.copy_button):
        assert widget.accessibleName()
    assert view.tree.font().pointSizeF() > view.font().pointSizeF()
