"""The stakeholder map canvas, driven like a facilitator would: real keys, mouse and drops."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsTextItem,
    QInputDialog,
    QLineEdit,
)

from tests.conftest import fill_the_disk
from tests.ui.helpers import (
    close_message_box,
    partner_workshop,
    show_view,
    shown_tooltip,
    wait_closed,
    wait_dialog,
)
from workshopkit.exercises.stakeholders import LABEL_FONT_SIZE, area_index
from workshopkit.model import Column, InviteStatus, OrgKind
from workshopkit.store import DiskFullError, Store
from workshopkit.ui import theme
from workshopkit.ui.role_palette import ROLE_MIME
from workshopkit.ui.stakeholder_dialog import StakeholderDialog
from workshopkit.ui.stakeholder_items import (
    CARD_FILL,
    MUTED,
    SELECTED_CARD_FILL,
    TEXT,
    CardItem,
    LinkItem,
)
from workshopkit.ui.stakeholder_map import StakeholderMapView

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


# ----------------------------------------------------------------------------- helpers


def make_map(qtbot, store: Store, workshop_id: int | None,
             size=(1600, 900)) -> StakeholderMapView:
    view = show_view(qtbot, StakeholderMapView, store, workshop_id, size)
    view.focus_map()
    qtbot.waitUntil(view.view.hasFocus)
    return view


@pytest.fixture
def workshop(store):
    workshop = partner_workshop(store, "Map test")
    uni, cvs = store.list_organisations(workshop.id)
    finance, _ethics, chief, _volunteers = store.add_stakeholders(workshop.id, [
        {"label": "Finance and procurement", "organisation_id": uni.id, "ring": 1,
         "across": 0.3},
        {"label": "Ethics committee", "organisation_id": uni.id, "ring": 2, "across": 0.7},
        {"label": "Chief executive or director", "organisation_id": cvs.id, "ring": 0,
         "person": "Sam Patel", "status": InviteStatus.AGREED},
        {"label": "Volunteers", "organisation_id": cvs.id, "ring": 2, "across": 0.4},
    ])
    store.add_link(finance.id, chief.id, "funds")
    return workshop


@pytest.fixture
def mapview(qtbot, store, workshop) -> StakeholderMapView:
    return make_map(qtbot, store, workshop.id)


def card_named(view: StakeholderMapView, label: str) -> CardItem:
    for card in view.cards.values():
        if card.stakeholder.label == label:
            return card
    raise AssertionError(f"no card {label!r} on the map")


def viewport_point(view: StakeholderMapView, scene_point: QPointF) -> QPoint:
    return view.view.mapFromScene(scene_point)


def expected_point(view: StakeholderMapView, store: Store, stakeholder_id: int) -> QPointF:
    """Where the map's rules put a card, from what the store holds."""
    s = store.get_stakeholders([stakeholder_id])[0]
    geometry = view.map_geometry
    assert geometry is not None
    return QPointF(*geometry.point(area_index(view.areas, s.organisation_id), s.ring, s.across,
                                   s.depth))


def assert_snapped(view: StakeholderMapView, store: Store, card: CardItem) -> None:
    point = expected_point(view, store, card.stakeholder_id)
    assert math.dist((card.pos().x(), card.pos().y()), (point.x(), point.y())) < 0.01


def click_card(qtbot, view: StakeholderMapView, label: str, modifier=Qt.KeyboardModifier.NoModifier
               ) -> CardItem:
    card = card_named(view, label)
    view.view.ensureVisible(card)
    qtbot.mouseClick(view.view.viewport(), LEFT, modifier, viewport_point(view, card.pos()))
    return card


def drag_card(qtbot, view: StakeholderMapView, card: CardItem, target: QPointF) -> None:
    """Press on a card, move over the target in a few steps, release there."""
    viewport = view.view.viewport()
    start = viewport_point(view, card.pos())
    end = viewport_point(view, target)
    qtbot.mousePress(viewport, LEFT, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(viewport, start + (end - start) * step / 4)
    qtbot.mouseRelease(viewport, LEFT, pos=end)


def answer_input(qtbot, view: StakeholderMapView, text: str) -> None:
    """Type into the open input dialog (replacing what it offers) and press Enter."""
    dialog = wait_dialog(qtbot, view)
    assert isinstance(dialog, QInputDialog)
    editor = dialog.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_closed(qtbot, view)


def role_drop(view: StakeholderMapView, label: str, at: QPoint, *, mime: str = ROLE_MIME):
    """What a drag from the palette delivers: enter, move and drop events on the viewport."""
    data = QMimeData()
    data.setData(mime, label.encode("utf-8"))
    data.setText(label)
    viewport = view.view.viewport()
    copy = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(at, copy, data, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(at, copy, data, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(QPointF(at), copy, data, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    return enter, drop


def map_state(store: Store, workshop_id: int) -> dict:
    m = store.stakeholder_map(workshop_id)
    return {"cards": sorted((s.id, s.label, s.organisation_id, s.ring, round(s.across, 6),
                             round(s.depth, 6), s.person, s.status) for s in m.stakeholders),
            "links": sorted((k.id, k.source_id, k.target_id, k.label) for k in m.links),
            "rings": m.ring_names}


# ----------------------------------------------------------------------------- adding


def test_dropping_a_role_from_the_palette_adds_a_card_where_it_lands(qtbot, mapview, store,
                                                                      workshop) -> None:
    geometry = mapview.map_geometry
    _uni, cvs = store.list_organisations(workshop.id)
    target = QPointF(*geometry.point(1, 1, 0.6, 0.5))  # the CVS's area, middle ring
    at = viewport_point(mapview, target)
    enter, drop = role_drop(mapview, "Link workers", at)
    assert enter.isAccepted() and drop.isAccepted()
    assert drop.dropAction() == Qt.DropAction.CopyAction
    card = card_named(mapview, "Link workers")
    s = store.get_stakeholders([card.stakeholder_id])[0]
    landed = mapview.view.mapToScene(at)
    _area, _ring, across, depth = geometry.locate(landed.x(), landed.y())
    assert (s.organisation_id, s.ring) == (cvs.id, 1)
    assert (s.across, s.depth) == (pytest.approx(across), pytest.approx(depth))
    assert mapview.selected_card_ids() == [s.id]
    assert mapview.status_label.text() == "Link workers, Tower Hamlets CVS, Involve, " \
                                          "Not invited yet"
    assert mapview.undo_stack.undoText() == "Add card"
    assert "Link workers" in mapview.invite_list.as_text()

    qtbot.keyClick(mapview.view, Qt.Key.Key_Z, CTRL)
    assert s.id not in mapview.cards
    assert "Link workers" not in mapview.invite_list.as_text()
    qtbot.keyClick(mapview.view, Qt.Key.Key_Y, CTRL)
    assert card_named(mapview, "Link workers").stakeholder_id == s.id  # the same card again
    assert_snapped(mapview, store, mapview.cards[s.id])


def test_a_drop_of_other_data_is_refused(qtbot, mapview, store, workshop) -> None:
    before = map_state(store, workshop.id)
    enter, drop = role_drop(mapview, "just text", QPoint(300, 300), mime="text/x-other")
    assert not enter.isAccepted() and not drop.isAccepted()
    assert map_state(store, workshop.id) == before


def test_enter_in_the_palette_adds_the_role_to_the_centre_of_the_current_area(
        qtbot, mapview, store, workshop) -> None:
    _uni, cvs = store.list_organisations(workshop.id)
    click_card(qtbot, mapview, "Volunteers")  # the CVS's area is now the current one
    palette = mapview.palette
    palette.search_edit.setFocus()
    qtbot.keyClicks(palette.search_edit, "Gatekeepers")
    qtbot.keyClick(palette.search_edit, Qt.Key.Key_Return)
    card = card_named(mapview, "Gatekeepers")
    s = card.stakeholder
    assert (s.organisation_id, s.ring) == (cvs.id, 0)
    chief = card_named(mapview, "Chief executive or director").stakeholder
    assert (s.across, s.depth) != (chief.across, chief.depth)  # a free spot, not on top
    assert mapview.selected_card_ids() == [s.id]
    assert palette.search_edit.hasFocus()  # ready for the next role


def test_add_card_with_the_dialog(qtbot, mapview, store, workshop) -> None:
    qtbot.keyClick(mapview.view, Qt.Key.Key_N)
    dialog = wait_dialog(qtbot, mapview)
    assert isinstance(dialog, StakeholderDialog)
    qtbot.keyClicks(dialog.label_edit, "Estates and facilities")
    qtbot.keyClicks(dialog.person_edit, "Jo Okafor")
    dialog.ring_combo.setCurrentIndex(2)
    qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)
    wait_closed(qtbot, mapview)
    card = card_named(mapview, "Estates and facilities")
    assert card.stakeholder.ring == 2 and card.stakeholder.person == "Jo Okafor"
    assert mapview.selected_card_ids() == [card.stakeholder_id]
    assert mapview.view.hasFocus()
    assert_snapped(mapview, store, card)


# ----------------------------------------------------------------------------- moving


def test_dragging_a_card_to_another_ring_moves_it_there_and_undo_puts_it_back(
        qtbot, mapview, store, workshop) -> None:
    card = card_named(mapview, "Finance and procurement")
    before = store.get_stakeholders([card.stakeholder_id])[0]
    start = QPointF(card.pos())
    target = QPointF(*mapview.map_geometry.point(0, 0, 0.4, 0.5))  # same area, centre ring
    drag_card(qtbot, mapview, card, target)
    after = store.get_stakeholders([card.stakeholder_id])[0]
    assert (after.ring, after.organisation_id) == (0, before.organisation_id)
    assert mapview.undo_stack.undoText() == "Move card"
    assert mapview.undo_stack.count() == 1
    assert_snapped(mapview, store, card)
    pixel = 1 / mapview.view.scale_factor()  # the mouse lands on whole pixels
    assert math.dist((card.pos().x(), card.pos().y()), (target.x(), target.y())) < 2 * pixel
    link = next(iter(mapview.links.values()))
    assert link.source is card  # the line followed the card
    assert link.boundingRect().contains(card.pos()) or link.shape().intersects(
        card.mapRectToScene(card.card_rect()).adjusted(-2, -2, 2, 2))

    qtbot.keyClick(mapview.view, Qt.Key.Key_Z, CTRL)
    assert store.get_stakeholders([card.stakeholder_id])[0].ring == 1
    assert card.pos() == start
    mapview.undo_stack.redo()
    assert store.get_stakeholders([card.stakeholder_id])[0].ring == 0


def test_dragging_into_another_area_changes_the_organisation(qtbot, mapview, store,
                                                             workshop) -> None:
    _uni, cvs = store.list_organisations(workshop.id)
    card = card_named(mapview, "Ethics committee")
    drag_card(qtbot, mapview, card, QPointF(*mapview.map_geometry.point(1, 2, 0.8, 0.5)))
    s = store.get_stakeholders([card.stakeholder_id])[0]
    assert (s.organisation_id, s.ring) == (cvs.id, 2)
    assert "Ethics committee, Tower Hamlets CVS, Keep informed" in mapview.status_label.text()


def test_dragging_several_selected_cards_is_one_step(qtbot, mapview, store, workshop) -> None:
    finance = click_card(qtbot, mapview, "Finance and procurement")
    ethics = click_card(qtbot, mapview, "Ethics committee", CTRL)
    assert mapview.selected_card_ids() == [finance.stakeholder_id, ethics.stakeholder_id]
    before = {c.stakeholder_id: (c.stakeholder.across, c.stakeholder.depth)
              for c in (finance, ethics)}
    drag_card(qtbot, mapview, finance, finance.pos() + QPointF(0, -40))
    assert mapview.undo_stack.count() == 1
    assert mapview.undo_stack.undoText() == "Move 2 cards"
    after = {c.stakeholder_id: (c.stakeholder.across, c.stakeholder.depth)
             for c in (finance, ethics)}
    assert all(after[i] != before[i] for i in before)
    assert mapview.selected_card_ids() == [finance.stakeholder_id, ethics.stakeholder_id]


def test_a_click_on_a_card_is_not_a_move(qtbot, mapview) -> None:
    click_card(qtbot, mapview, "Volunteers")
    assert mapview.undo_stack.count() == 0


def test_keyboard_re_ring_and_nudge(qtbot, mapview, store) -> None:
    card = click_card(qtbot, mapview, "Finance and procurement")
    sid = card.stakeholder_id
    view = mapview.view
    qtbot.keyClick(view, Qt.Key.Key_BracketRight, CTRL)
    assert store.get_stakeholders([sid])[0].ring == 2
    assert mapview.undo_stack.undoText() == "Move card outward"
    qtbot.keyClick(view, Qt.Key.Key_BracketRight, CTRL)  # already at the edge: nothing
    assert mapview.undo_stack.count() == 1
    assert "already in the outer ring" in mapview.status_label.text()
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft, CTRL)
    assert store.get_stakeholders([sid])[0].ring == 0
    assert_snapped(mapview, store, card)

    steps = mapview.undo_stack.count()
    start = QPointF(card.pos())
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Up, CTRL)
    assert mapview.undo_stack.count() == steps + 1  # three nudges, one step
    assert mapview.undo_stack.undoText() == "Nudge card"
    moved = card.pos() - start
    assert moved.y() < -40 and abs(moved.x()) < abs(moved.y())  # it went up on screen
    assert store.get_stakeholders([sid])[0].ring == 0  # and stayed in its ring
    assert_snapped(mapview, store, card)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert card.pos().x() > start.x() + moved.x()
    assert mapview.undo_stack.count() == steps + 1  # still the same run of nudges

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert card.pos() == start
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert card.pos() != start and store.get_stakeholders([sid])[0].ring == 0
    while mapview.undo_stack.canUndo():
        mapview.undo_stack.undo()
    assert store.get_stakeholders([sid])[0].ring == 1
    mapview.undo_stack.redo()
    assert store.get_stakeholders([sid])[0].ring == 2


def test_tab_and_arrows_go_from_card_to_card_and_the_status_line_says_which(
        qtbot, mapview, store) -> None:
    view = mapview.view
    order = [s.label for ring in range(3) for s in sorted(
        (c.stakeholder for c in mapview.cards.values() if c.stakeholder.ring == ring),
        key=lambda s: (s.organisation_id, s.label))]
    seen = []
    for _ in order:
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        current = mapview.current_card()
        seen.append(current.stakeholder.label)
        assert mapview.selected_card_ids() == [current.stakeholder_id]
        assert current.hasFocus()
    assert seen == order
    assert mapview.status_label.text() == current.description
    assert view.accessibleDescription() == current.description
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert mapview.current_card().stakeholder.label == order[-2]

    click_card(qtbot, mapview, "Chief executive or director")
    assert mapview.status_label.text() == ("Chief executive or director, Sam Patel, "
                                           "Tower Hamlets CVS, Must be in the room, "
                                           "Agreed to take part")
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the nearest card to the left
    assert mapview.current_card().stakeholder.label == "Finance and procurement"
    qtbot.keyClick(view, Qt.Key.Key_Right, SHIFT)
    assert len(mapview.selected_card_ids()) == 2
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL)
    assert len(mapview.selected_card_ids()) == 4
    assert mapview.status_label.text().startswith("4 cards selected")


def test_arrow_keys_pan_when_nothing_is_selected(qtbot, mapview) -> None:
    view = mapview.view
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)  # zoom in so there is somewhere to pan
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)
    assert not mapview.selected_card_ids()
    bar = view.horizontalScrollBar()
    before = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert bar.value() > before
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.verticalScrollBar().value() > view.verticalScrollBar().minimum()
    assert not mapview.selected_card_ids()


def test_escape_clears_the_selection_and_then_arrows_pan(qtbot, mapview) -> None:
    view = mapview.view
    mapview.zoom(2.0)
    click_card(qtbot, mapview, "Volunteers")
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not mapview.selected_card_ids() and mapview.current_card() is None
    bar = view.verticalScrollBar()
    before = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert bar.value() < before
    assert not mapview.selected_card_ids()


def test_ctrl_wheel_zooms_and_the_wheel_alone_scrolls(qtbot, mapview) -> None:
    view = mapview.view
    viewport = view.viewport()
    middle = QPointF(viewport.width() / 2, viewport.height() / 2)

    def wheel(steps: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        event = QWheelEvent(middle, QPointF(viewport.mapToGlobal(middle.toPoint())), QPoint(),
                            QPoint(0, 120 * steps), Qt.MouseButton.NoButton, modifiers,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, event)

    scale = view.scale_factor()
    wheel(1, CTRL)
    assert view.scale_factor() == pytest.approx(scale * 1.25)
    wheel(-2, CTRL)
    assert view.scale_factor() == pytest.approx(scale / 1.25)
    zoomed = view.scale_factor()
    before = view.verticalScrollBar().value()
    wheel(-1)
    assert view.scale_factor() == zoomed
    assert view.verticalScrollBar().value() > before


def test_choosing_someone_in_the_invite_list_shows_their_card(qtbot, mapview) -> None:
    from workshopkit.ui.invite_list import StakeholderIdRole

    volunteers = card_named(mapview, "Volunteers")
    tree = mapview.invite_list.tree
    model = tree.model()
    matches = model.match(model.index(0, 0), StakeholderIdRole, volunteers.stakeholder_id, 1,
                          Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    assert matches
    tree.setFocus()
    tree.setCurrentIndex(matches[0])
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert mapview.selected_card_ids() == [volunteers.stakeholder_id]
    assert mapview.view.hasFocus() and volunteers.hasFocus()
    assert mapview.status_label.text().startswith("Volunteers, Tower Hamlets CVS")


def test_dragging_empty_space_pans_and_shift_drag_selects(qtbot, mapview) -> None:
    view = mapview.view
    viewport = view.viewport()
    mapview.zoom(2.0)
    empty = QPoint(30, viewport.height() // 2)
    assert view.card_at(empty) is None
    bar = view.horizontalScrollBar()
    before = bar.value()
    qtbot.mousePress(viewport, LEFT, pos=empty)
    qtbot.mouseMove(viewport, empty + QPoint(60, 0))
    qtbot.mouseMove(viewport, empty + QPoint(120, 0))
    qtbot.mouseRelease(viewport, LEFT, pos=empty + QPoint(120, 0))
    assert bar.value() < before  # the map followed the mouse to the right
    assert mapview.undo_stack.count() == 0

    mapview.fit_to_screen()
    corner = QPoint(2, 2)
    qtbot.mousePress(viewport, LEFT, SHIFT, corner)
    qtbot.mouseMove(viewport, QPoint(viewport.width() - 2, viewport.height() - 2))
    qtbot.mouseRelease(viewport, LEFT, SHIFT, QPoint(viewport.width() - 2,
                                                     viewport.height() - 2))
    assert len(mapview.selected_card_ids()) == 4


# ----------------------------------------------------------------------------- lines


def test_connect_two_cards_with_a_labelled_line_undo_and_redo(qtbot, mapview, store,
                                                              workshop) -> None:
    ethics = click_card(qtbot, mapview, "Ethics committee")
    volunteers = click_card(qtbot, mapview, "Volunteers", CTRL)
    assert mapview.connect_action.isEnabled()
    qtbot.keyClick(mapview.view, Qt.Key.Key_L, CTRL)
    answer_input(qtbot, mapview, "advises")
    links = [k for k in store.list_links(workshop.id) if k.label == "advises"]
    assert [(k.source_id, k.target_id) for k in links] == [
        (ethics.stakeholder_id, volunteers.stakeholder_id)]
    item = mapview.links[links[0].id]
    assert isinstance(item, LinkItem) and item.label_text == "advises"
    assert item.zValue() < ethics.zValue()  # lines are drawn under the cards
    assert mapview.undo_stack.undoText() == "Connect cards"
    mapview.undo_stack.undo()
    assert links[0].id not in mapview.links
    mapview.undo_stack.redo()
    assert mapview.links[links[0].id].label_text == "advises"

    # Double-click the line's label to relabel it.
    label_point = viewport_point(mapview, item.label_rect().center())
    qtbot.mouseDClick(mapview.view.viewport(), LEFT, pos=label_point)
    answer_input(qtbot, mapview, "<i>advises</i> & checks")
    assert store.get_link(links[0].id).label == "<i>advises</i> & checks"
    assert mapview.links[links[0].id].label_text == "<i>advises</i> & checks"
    mapview.undo_stack.undo()
    assert mapview.links[links[0].id].label_text == "advises"


def test_connect_needs_two_cards(qtbot, mapview) -> None:
    click_card(qtbot, mapview, "Volunteers")
    assert not mapview.connect_action.isEnabled()
    qtbot.keyClick(mapview.view, Qt.Key.Key_L, CTRL)
    assert mapview.dialog is None


def test_delete_a_card_and_undo_restores_it_with_its_line(qtbot, mapview, store,
                                                          workshop) -> None:
    before = map_state(store, workshop.id)
    finance = click_card(qtbot, mapview, "Finance and procurement")
    sid = finance.stakeholder_id
    qtbot.keyClick(mapview.view, Qt.Key.Key_Delete)
    assert sid not in mapview.cards and not mapview.links
    assert mapview.undo_stack.undoText() == "Delete card"
    assert not any(isinstance(i, LinkItem) for i in mapview.scene.items())
    qtbot.keyClick(mapview.view, Qt.Key.Key_Z, CTRL)
    assert map_state(store, workshop.id) == before
    restored = mapview.cards[sid]
    link = next(iter(mapview.links.values()))
    assert link.source is restored and link.label_text == "funds"
    assert_snapped(mapview, store, restored)
    qtbot.keyClick(mapview.view, Qt.Key.Key_Y, CTRL)
    assert sid not in mapview.cards and not mapview.links


def test_delete_a_selected_line_only(qtbot, mapview, store, workshop) -> None:
    link = next(iter(mapview.links.values()))
    mapview.scene.clearSelection()
    link.setSelected(True)
    assert "Line “funds” from Finance and procurement to Chief executive or director" in \
        mapview.status_label.text()
    qtbot.keyClick(mapview.view, Qt.Key.Key_Delete)
    assert store.list_links(workshop.id) == [] and len(mapview.cards) == 4
    assert mapview.undo_stack.undoText() == "Delete line"


# ----------------------------------------------------------------------------- editing


def test_enter_edits_the_card_and_double_click_too(qtbot, mapview, store) -> None:
    card = click_card(qtbot, mapview, "Volunteers")
    qtbot.keyClick(mapview.view, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, mapview)
    assert isinstance(dialog, StakeholderDialog) and dialog.label_edit.text() == "Volunteers"
    qtbot.keyClicks(dialog.person_edit, "Ana Silva")
    dialog.status_combo.setCurrentIndex(list(InviteStatus).index(InviteStatus.INVITED))
    qtbot.keyClick(dialog.person_edit, Qt.Key.Key_Return)
    wait_closed(qtbot, mapview)
    s = store.get_stakeholders([card.stakeholder_id])[0]
    assert (s.person, s.status, s.ring) == ("Ana Silva", InviteStatus.INVITED, 2)
    assert card.status_text == "Invited" and "Ana Silva" in card.summary
    assert mapview.undo_stack.undoText() == "Edit card"
    assert "Ana Silva" in mapview.status_label.text()

    qtbot.mouseDClick(mapview.view.viewport(), LEFT, pos=viewport_point(mapview, card.pos()))
    dialog = wait_dialog(qtbot, mapview)
    assert dialog.person_edit.text() == "Ana Silva"
    dialog.reject()
    wait_closed(qtbot, mapview)
    assert mapview.undo_stack.count() == 1


def test_rename_a_ring_by_double_clicking_its_name(qtbot, mapview, store, workshop) -> None:
    backdrop = mapview.backdrop
    where = viewport_point(mapview, backdrop.mapToScene(backdrop.ring_rects[1].center()))
    assert mapview.view.card_at(where) is None
    qtbot.mouseDClick(mapview.view.viewport(), LEFT, pos=where)
    answer_input(qtbot, mapview, "Work <closely> with")
    assert store.get_workshop(workshop.id).ring_names[1] == "Work <closely> with"
    assert backdrop.ring_names[1] == "Work <closely> with"
    assert "Work <closely> with" in mapview.invite_list.as_text()
    assert mapview.undo_stack.undoText() == "Rename ring"
    mapview.undo_stack.undo()
    assert backdrop.ring_names[1] == "Involve"


def test_rename_rings_dialog_is_one_step(qtbot, mapview, store, workshop) -> None:
    mapview.rename_rings_action.trigger()
    dialog = wait_dialog(qtbot, mapview)
    dialog.edits[0].setText("Core team")
    dialog.edits[2].setText("Tell")
    dialog.accept()
    wait_closed(qtbot, mapview)
    assert store.get_workshop(workshop.id).ring_names == ("Core team", "", "Tell")
    assert mapview.undo_stack.count() == 1
    mapview.undo_stack.undo()
    assert store.get_workshop(workshop.id).ring_names == ("", "", "")


# ----------------------------------------------------------------------------- errors


def test_a_full_disk_shows_the_error_and_the_map_keeps_its_state(qtbot, mapview, store,
                                                                 workshop) -> None:
    fill_the_disk(store, workshop.id, Column.CIVIC)
    with pytest.raises(DiskFullError):  # and the cards' table too (its pages still had room)
        for _ in range(200):
            store.add_stakeholder(workshop.id, "z" * 120)
    before = map_state(store, workshop.id)
    cards = set(mapview.cards)
    with qtbot.waitSignal(mapview.error_shown) as shown_error:
        role_drop(mapview, "Careers service " + "x" * 100, QPoint(400, 400))
    assert "disk is full" in shown_error.args[0]
    assert close_message_box() == shown_error.args[0]
    assert set(mapview.cards) == cards
    assert map_state(store, workshop.id) == before
    assert mapview.undo_stack.count() == 0


def test_moving_a_card_deleted_elsewhere_says_so(qtbot, mapview, store, workshop) -> None:
    volunteers = card_named(mapview, "Volunteers")
    chief = card_named(mapview, "Chief executive or director")
    chief_at = QPointF(chief.pos())
    other = Store(store.path)  # another copy of the app, which this window does not hear
    try:
        other.delete_stakeholders([volunteers.stakeholder_id])
    finally:
        other.close()
    with qtbot.waitSignal(mapview.error_shown) as shown_error:
        drag_card(qtbot, mapview, volunteers, volunteers.pos() + QPointF(-60, -30))
    assert shown_error.args[0] == "That card is no longer on the map."
    close_message_box()
    assert volunteers.stakeholder_id not in mapview.cards  # the map shows what is stored
    assert chief.pos() == chief_at
    assert mapview.undo_stack.count() == 0


def test_changes_from_elsewhere_refresh_and_keep_the_selection(qtbot, mapview, store,
                                                               workshop) -> None:
    card = click_card(qtbot, mapview, "Volunteers")
    store.update_stakeholders({card.stakeholder_id: {"ring": 1}})
    assert_snapped(mapview, store, card)
    assert mapview.selected_card_ids() == [card.stakeholder_id]
    store.add_stakeholder(workshop.id, "Schools")  # no organisation: a "Not yet placed" area
    assert [a.name if a else None for a in mapview.areas] == [
        "Queen Mary University of London", "Tower Hamlets CVS", None]
    assert "Not yet placed" in mapview.backdrop.area_names
    assert card_named(mapview, "Schools").stakeholder.organisation_id is None
    store.delete_workshop(workshop.id)
    assert mapview.cards == {} and mapview.workshop_id is None
    assert not mapview.add_action.isEnabled()


# ----------------------------------------------------------------------------- the whole map


def test_the_map_is_the_same_after_reopening(qtbot, store, demo_workshop) -> None:
    view = make_map(qtbot, store, demo_workshop.id)
    assert len(view.cards) >= 10 and view.links
    card = next(iter(view.cards.values()))
    drag_card(qtbot, view, card, card.pos() + QPointF(30, 30))
    expected = {i: (c.stakeholder.label, round(c.pos().x(), 3), round(c.pos().y(), 3))
                for i, c in view.cards.items()}
    links = {i: (k.link.source_id, k.link.target_id, k.label_text)
             for i, k in view.links.items()}
    reopened = Store(store.path)
    try:
        again = make_map(qtbot, reopened, demo_workshop.id)
        assert {i: (c.stakeholder.label, round(c.pos().x(), 3), round(c.pos().y(), 3))
                for i, c in again.cards.items()} == expected
        assert {i: (k.link.source_id, k.link.target_id, k.label_text)
                for i, k in again.links.items()} == links
    finally:
        reopened.close()


def test_labels_are_plain_text(qtbot, mapview, store, workshop) -> None:
    store.add_stakeholder(workshop.id, "<b>Finance & co</b>", person="<i>Ann</i>")
    card = card_named(mapview, "<b>Finance & co</b>")
    assert " ".join(card.label_lines) == "<b>Finance & co</b>"
    assert card.summary == "<i>Ann</i>"
    assert shown_tooltip(card.toolTip()).startswith("<b>Finance & co</b>, <i>Ann</i>")
    assert not any(isinstance(item, QGraphicsTextItem) for item in mapview.scene.items())
    mapview.select_cards([card.stakeholder_id])
    assert mapview.status_label.textFormat() == Qt.TextFormat.PlainText
    assert mapview.status_label.text().startswith("<b>Finance & co</b>")


def test_long_labels_wrap_to_three_lines_and_end_in_an_ellipsis(qtbot, mapview, store,
                                                                workshop) -> None:
    long = "Public Engagement Managers, Coordinators, Officers, teams and many more besides"
    store.add_stakeholder(workshop.id, long)
    store.add_stakeholder(workshop.id, "Communications")
    card = card_named(mapview, long)
    assert len(card.label_lines) == 3 and card.label_lines[-1].endswith("…")
    assert card.label_lines[0].startswith("Public")
    assert card_named(mapview, "Communications").label_lines == ["Communications"]


def test_cards_read_well_and_mark_their_invitation_without_colour_alone(qtbot, mapview) -> None:
    for fill in (CARD_FILL, SELECTED_CARD_FILL):
        assert theme.contrast_ratio(TEXT, fill) >= 7
        assert theme.contrast_ratio(MUTED, fill) >= 7
    agreed = card_named(mapview, "Chief executive or director")
    assert agreed.status_text == "Agreed to take part"
    image = QImage(300, 200, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    painter = QPainter(image)
    painter.translate(150, 100)
    agreed.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    inks = {image.pixelColor(x, y).name() for x in range(300) for y in range(200)}
    assert QColor("#175632").name() in inks  # the tick is drawn in its own ink


def test_forty_cards_are_readable_at_fit_to_screen_on_1920_by_1080(qtbot, store) -> None:
    workshop = partner_workshop(store, "Forty")
    orgs = store.list_organisations(workshop.id)
    store.add_stakeholders(workshop.id, [
        {"label": f"Role {i}", "organisation_id": orgs[i % 2].id, "ring": i % 3,
         "across": (i // 6) / 6, "depth": 1.0 if i % 5 == 0 else 0.4} for i in range(40)])
    view = make_map(qtbot, store, workshop.id, size=(1920, 1080))
    qtbot.keyClick(view.view, Qt.Key.Key_P, CTRL | SHIFT)  # side panels away: the projector view
    assert not view.palette.isVisible() and not view.invite_list.isVisible()
    qtbot.waitUntil(lambda: view.view.viewport().width() == 1920)
    qtbot.keyClick(view.view, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(view.view, Qt.Key.Key_0, CTRL)  # fit to screen
    viewport = view.view.viewport().rect()
    shown = view.view.mapFromScene(view.content_rect()).boundingRect()
    assert viewport.adjusted(-1, -1, 1, 1).contains(shown)  # the whole map is on screen
    assert LABEL_FONT_SIZE * view.view.transform().m11() >= 18
    assert view.label_pixel_size() >= 18
    qtbot.keyClick(view.view, Qt.Key.Key_P, CTRL | SHIFT)
    assert view.palette.isVisible()


def test_export_png_has_the_scene_aspect_and_is_wide_enough(qtbot, mapview,
                                                            tmp_path: Path) -> None:
    target = mapview.export_png(tmp_path / "map.png")
    image = QImage(str(target))
    assert not image.isNull() and image.width() >= 1600
    rect = mapview.content_rect()
    assert image.width() / image.height() == pytest.approx(
        (rect.width() + 60) / (rect.height() + 60), rel=0.01)
    colours = {image.pixelColor(x, image.height() // 2).name()
               for x in range(0, image.width(), 4)}
    assert QColor("#cfe1f2").name() in colours  # the centre ring is drawn


def test_export_png_to_a_missing_folder_gives_a_plain_error(mapview, tmp_path: Path) -> None:
    from workshopkit.store import StoreError

    with pytest.raises(StoreError, match="could not be saved"):
        mapview.export_png(tmp_path / "missing" / "map.png")


def test_exports_through_the_file_dialog(qtbot, mapview, tmp_path: Path) -> None:
    for kind in ("svg", "pdf", "csv"):
        dialog = mapview.export_as(kind)
        assert isinstance(dialog, QFileDialog)
        target = tmp_path / f"map.{kind}"
        dialog.selectFile(str(target))
        dialog.accept()
        qtbot.waitUntil(target.is_file, timeout=2000)
        assert target.stat().st_size > 100
        assert mapview.status_label.text() == f"Saved map.{kind} to {tmp_path}"
    assert "Volunteers" in (tmp_path / "map.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "map.pdf").read_bytes().startswith(b"%PDF")


def test_actions_have_shortcuts_tips_and_a_local_context(mapview) -> None:
    for action in [*mapview.edit_actions, *mapview.view_actions, *mapview.export_actions]:
        assert action.statusTip()
        if action.menu() is None:
            assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    assert mapview.view.accessibleName() == "Stakeholder map"
    assert "Shift+drag" in mapview.view.toolTip()
    for button in mapview.toolbar.findChildren(type(mapview.export_button)):
        if button.isVisible():
            assert button.accessibleName(), button.text()


def test_an_empty_map_and_no_workshop(qtbot, store) -> None:
    workshop = store.create_workshop("Empty")
    view = make_map(qtbot, store, workshop.id)
    assert view.cards == {} and view.areas == [None]
    assert view.status_label.text().startswith("No organisations yet")
    store.add_organisation(workshop.id, "Tower Hamlets CVS", OrgKind.CIVIC)
    assert view.status_label.text().startswith("No cards yet")
    qtbot.keyClick(view.view, Qt.Key.Key_Tab)  # nothing to visit: focus may leave, no error
    view.set_workshop(None)
    assert not view.add_action.isEnabled() and not view.backdrop.isVisible()
