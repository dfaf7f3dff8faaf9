"""The stakeholder map's role palette, typed into and clicked like a facilitator would."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import show_active
from workshopkit.exercises.stakeholders import PRESET_GROUPS
from workshopkit.model import OrgKind
from workshopkit.store import Store
from workshopkit.ui.role_palette import ROLE_MIME, USED_BEFORE, RoleLabelRole, RolePalette

UNIVERSITY = PRESET_GROUPS[0].title
CIVIC = PRESET_GROUPS[1].title


def _palette(qtbot, store: Store) -> RolePalette:
    return show_active(qtbot, RolePalette(store), (420, 700))


def _shown(palette: RolePalette) -> dict[str, list[str]]:
    """What the tree shows: each group not hidden, with its roles not hidden, read off the view."""
    tree, model, root = palette.tree, palette.model, QModelIndex()
    shown: dict[str, list[str]] = {}
    for row in range(model.rowCount()):
        if tree.isRowHidden(row, root):
            continue
        group = model.index(row, 0)
        roles = [model.index(r, 0, group).data() for r in range(model.rowCount(group))
                 if not tree.isRowHidden(r, group)]
        assert tree.isExpanded(group) or not roles
        shown[group.data()] = roles
    return shown


def _index_of(palette: RolePalette, role: str) -> QModelIndex:
    model = palette.model
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        for child in range(model.rowCount(group)):
            index = model.index(child, 0, group)
            if index.data(RoleLabelRole) == role:
                return index
    raise AssertionError(f"{role!r} is not in the palette")


def test_every_preset_is_offered_and_used_before_is_hidden_when_empty(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    shown = _shown(palette)
    assert list(shown) == [UNIVERSITY, CIVIC]
    assert shown[UNIVERSITY] == list(PRESET_GROUPS[0].roles)
    assert shown[CIVIC] == list(PRESET_GROUPS[1].roles)
    assert not palette.add_button.isEnabled()


def test_typing_filters_case_insensitively_and_hides_groups_without_a_match(
        qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "FINANCE")
    assert _shown(palette) == {UNIVERSITY: ["Finance and procurement"]}
    palette.search_edit.clear()
    qtbot.keyClicks(palette.search_edit, "volunt")
    assert _shown(palette) == {
        UNIVERSITY: ["Students' Union volunteering team"],
        CIVIC: ["Volunteers"],
    }
    assert "2 matches" in palette.hint_label.text()
    palette.search_edit.clear()
    assert _shown(palette)[CIVIC] == list(PRESET_GROUPS[1].roles)
    assert palette.hint_label.isHidden()


def test_enter_in_the_search_box_adds_the_first_match_and_clears_the_search(
        qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "volunt")
    with qtbot.waitSignal(palette.role_chosen, timeout=2000) as chosen:
        qtbot.keyClick(palette.search_edit, Qt.Key.Key_Return)
    assert chosen.args == ["Students' Union volunteering team"]
    assert palette.search_edit.text() == ""


def test_enter_prefers_a_role_typed_in_full(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "knowledge exchange")
    with qtbot.waitSignal(palette.role_chosen, timeout=2000) as chosen:
        qtbot.keyClick(palette.search_edit, Qt.Key.Key_Enter)
    assert chosen.args == ["Knowledge Exchange"]


def test_a_custom_role_is_added_by_enter_or_by_the_button(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "  Parish   council clerk ")
    assert _shown(palette) == {}
    assert "Press Enter to add “Parish council clerk”" in palette.hint_label.text()
    assert palette.add_button.isEnabled()
    with qtbot.waitSignal(palette.role_chosen, timeout=2000) as chosen:
        qtbot.keyClick(palette.search_edit, Qt.Key.Key_Return)
    assert chosen.args == ["Parish council clerk"]
    assert not palette.add_button.isEnabled()

    # The button adds the text as typed even when presets match it.
    qtbot.keyClicks(palette.search_edit, "Finance")
    with qtbot.waitSignal(palette.role_chosen, timeout=2000) as chosen:
        qtbot.mouseClick(palette.add_button, Qt.MouseButton.LeftButton)
    assert chosen.args == ["Finance"]
    assert palette.search_edit.text() == ""
    assert not palette.add_button.isEnabled()


def test_enter_on_an_empty_search_adds_nothing(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    with qtbot.assertNotEmitted(palette.role_chosen):
        qtbot.keyClicks(palette.search_edit, "   ")
        qtbot.keyClick(palette.search_edit, Qt.Key.Key_Return)
    assert not palette.add_button.isEnabled()


def test_down_arrow_moves_into_the_list_and_enter_adds_the_role(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "volunt")
    qtbot.keyClick(palette.search_edit, Qt.Key.Key_Down)
    assert palette.tree.hasFocus()
    assert palette.tree.currentIndex().data() == "Students' Union volunteering team"
    qtbot.keyClick(palette.tree, Qt.Key.Key_Down)
    assert palette.tree.currentIndex().data() == CIVIC
    qtbot.keyClick(palette.tree, Qt.Key.Key_Down)
    with qtbot.waitSignal(palette.role_chosen, timeout=2000) as chosen:
        qtbot.keyClick(palette.tree, Qt.Key.Key_Return)
    assert chosen.args == ["Volunteers"]
    # Up from the top of the list goes back to the search box.
    for _ in range(4):
        qtbot.keyClick(palette.tree, Qt.Key.Key_Up)
    assert palette.search_edit.hasFocus()


def test_enter_on_a_group_header_adds_nothing(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    palette.tree.setFocus()
    palette.tree.setCurrentIndex(palette.model.index(1, 0))
    with qtbot.assertNotEmitted(palette.role_chosen):
        qtbot.keyClick(palette.tree, Qt.Key.Key_Return)


def test_double_click_on_a_role_adds_it(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "careers")
    index = _index_of(palette, "Careers service")
    rect = palette.tree.visualRect(index)
    assert rect.isValid()
    viewport = palette.tree.viewport()
    with qtbot.assertNotEmitted(palette.role_chosen):
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(palette.role_chosen, timeout=2000) as chosen:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args == ["Careers service"]


def test_used_before_lists_roles_from_earlier_maps_but_not_presets(qtbot, store) -> None:
    earlier = store.create_workshop("Last year's workshop",
                                    organisations=[("Town Council", OrgKind.CIVIC)])
    store.add_stakeholder(earlier.id, "Parish council clerk")
    store.add_stakeholder(earlier.id, "finance and procurement")  # a preset, typed differently
    store.add_stakeholder(earlier.id, "Youth panel")
    palette = _palette(qtbot, store)
    shown = _shown(palette)
    assert list(shown) == [USED_BEFORE, UNIVERSITY, CIVIC]
    assert sorted(shown[USED_BEFORE]) == ["Parish council clerk", "Youth panel"]

    later = store.create_workshop("This year's workshop")
    store.add_stakeholder(later.id, "Cyngor Tref — clerc")
    palette.refresh()
    assert _shown(palette)[USED_BEFORE][0] == "Cyngor Tref — clerc"

    qtbot.keyClicks(palette.search_edit, "clerk")
    assert _shown(palette) == {USED_BEFORE: ["Parish council clerk"]}


def test_a_role_drags_out_as_its_label_and_group_headers_do_not_drag(qtbot, store) -> None:
    earlier = store.create_workshop("Earlier")
    store.add_stakeholder(earlier.id, "Cyngor Tref — clerc ✓ <b>")
    palette = _palette(qtbot, store)
    model = palette.model
    assert set(model.mimeTypes()) == {ROLE_MIME, "text/plain"}
    index = _index_of(palette, "Cyngor Tref — clerc ✓ <b>")
    assert model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    data = model.mimeData([index])
    assert data is not None
    assert bytes(data.data(ROLE_MIME).data()).decode("utf-8") == "Cyngor Tref — clerc ✓ <b>"
    assert data.text() == "Cyngor Tref — clerc ✓ <b>"
    header = model.index(0, 0)
    assert not model.flags(header) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.mimeData([header]) is None
    # Dropping must never take a preset out of the palette.
    assert model.supportedDragActions() == Qt.DropAction.CopyAction
    assert palette.tree.dragEnabled()


def _mouse_drag_from(qtbot, palette: RolePalette, index: QModelIndex) -> list[QDrag]:
    """Press on a row and move past the drag distance; return the drags the view started.

    The offscreen platform ends a QDrag at once (there is nothing to drop on), so the drag the
    view made is read back from its children before Qt deletes it.
    """
    viewport = palette.tree.viewport()
    start = palette.tree.visualRect(index).center()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in (4, QApplication.startDragDistance() + 6):
        qtbot.mouseMove(viewport, start + QPoint(step, 2))
    drags = palette.tree.findChildren(QDrag)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start)
    return drags


def test_a_mouse_drag_on_a_role_starts_a_copy_drag_with_the_label(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    qtbot.keyClicks(palette.search_edit, "estates")
    drags = _mouse_drag_from(qtbot, palette, _index_of(palette, "Estates and facilities"))
    assert len(drags) == 1
    data = drags[0].mimeData()
    assert bytes(data.data(ROLE_MIME).data()).decode("utf-8") == "Estates and facilities"
    assert data.text() == "Estates and facilities"
    assert drags[0].supportedActions() == Qt.DropAction.CopyAction
    palette.search_edit.clear()
    assert _shown(palette)[UNIVERSITY] == list(PRESET_GROUPS[0].roles)


def test_a_mouse_drag_on_a_group_header_drags_nothing(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    header = palette.model.index(1, 0)
    assert header.data() == UNIVERSITY
    assert _mouse_drag_from(qtbot, palette, header) == []


def test_the_roles_model_passes_the_model_tester(qtbot, qtmodeltester, store) -> None:
    earlier = store.create_workshop("Earlier")
    store.add_stakeholder(earlier.id, "Youth panel")
    palette = _palette(qtbot, store)
    qtmodeltester.check(palette.model)


def test_parts_have_accessible_names_and_large_type(qtbot, store) -> None:
    palette = _palette(qtbot, store)
    for widget in (palette, palette.search_edit, palette.tree, palette.add_button):
        assert widget.accessibleName()
    assert palette.search_edit.placeholderText() == "Search roles or type a new one"
    assert palette.tree.font().pointSizeF() > palette.font().pointSizeF()
    index = _index_of(palette, "Careers service")
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "Role: Careers service"
