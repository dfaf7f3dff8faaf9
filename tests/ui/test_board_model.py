"""PostItsModel: one board column as group header rows and post-it rows, in display order."""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, Qt

from workshopkit.model import Colour, Column, Group, PostIt
from workshopkit.ui.board_model import (
    GroupRole,
    LastInGroupRole,
    MemberCountRole,
    PostItRole,
    PostItsModel,
)

DISPLAY = Qt.ItemDataRole.DisplayRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


def _postit(pid: int, text: str, position: int, *, column: Column = Column.SHARED,
            group_id: int | None = None, shared: bool = False) -> PostIt:
    return PostIt(id=pid, workshop_id=1, column=column, text=text, position=position,
                  group_id=group_id, shared=shared, colour=Colour.BLUE)


def _rows(model: PostItsModel) -> list[str]:
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        prefix = "G:" if index.data(GroupRole) is not None else ""
        out.append(prefix + index.data(DISPLAY))
    return out


def test_display_order_is_ungrouped_first_then_each_group_with_its_postits(qapp) -> None:
    model = PostItsModel(Column.SHARED)
    groups = [Group(20, 1, Column.SHARED, "Second", position=1),
              Group(10, 1, Column.SHARED, "First", position=0)]
    postits = [
        _postit(1, "a", 4, group_id=20),
        _postit(2, "b", 0),
        _postit(3, "c", 3, group_id=10),
        _postit(4, "d", 1, group_id=10),
        _postit(5, "e", 2),
        _postit(6, "other column", 0, column=Column.CIVIC),
    ]
    model.reload(postits, groups)
    assert _rows(model) == ["b", "e", "G:First", "d", "c", "G:Second", "a"]
    assert model.postit_count() == 5
    assert [p.id for p in model.postits()] == [2, 4, 5, 3, 1]  # position order
    assert model.row_of_postit(3) == 4
    assert model.row_of_group(20) == 5
    assert model.index(2, 0).data(MemberCountRole) == 2
    assert model.index(4, 0).data(LastInGroupRole) is True
    assert model.index(3, 0).data(LastInGroupRole) is False
    assert model.index(0, 0).data(LastInGroupRole) is False


def test_roles_give_records_accessible_text_and_tooltips(qapp) -> None:
    model = PostItsModel(Column.SHARED)
    model.reload([_postit(1, "Honesty", 0, group_id=7, shared=True), _postit(2, "Trust", 1)],
                 [Group(7, 1, Column.SHARED, "Openness")])
    honesty = model.index(model.row_of_postit(1), 0)
    header = model.index(model.row_of_group(7), 0)
    assert honesty.data(PostItRole).id == 1
    assert honesty.data(GroupRole) is None
    assert header.data(GroupRole).name == "Openness"
    assert header.data(PostItRole) is None
    assert honesty.data(ACCESSIBLE) == "Post-it: Honesty. Shared. In group Openness. Blue."
    assert header.data(ACCESSIBLE) == "Group Openness, 1 post-it"
    assert "marked shared" in honesty.data(Qt.ItemDataRole.ToolTipRole)
    assert "Openness" in header.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data(ACCESSIBLE) == "Post-it: Trust. Blue."


def test_markup_is_kept_as_plain_characters(qapp) -> None:
    model = PostItsModel(Column.SHARED)
    model.reload([_postit(1, "<b>hi</b> & <i>", 0)], [])
    assert model.index(0, 0).data(DISPLAY) == "<b>hi</b> & <i>"


def test_postits_drag_but_headers_only_take_drops(qapp) -> None:
    model = PostItsModel(Column.SHARED)
    model.reload([_postit(1, "x", 0, group_id=7)], [Group(7, 1, Column.SHARED, "G")])
    header = model.flags(model.index(0, 0))
    card = model.flags(model.index(1, 0))
    assert card & Qt.ItemFlag.ItemIsDragEnabled
    assert card & Qt.ItemFlag.ItemIsSelectable
    assert not header & Qt.ItemFlag.ItemIsDragEnabled
    assert header & Qt.ItemFlag.ItemIsDropEnabled
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(5, 0)) is None


def test_qtmodeltester_passes_on_a_real_workshop(qtmodeltester, store, demo_workshop) -> None:
    model = PostItsModel(Column.SHARED)
    model.reload(store.list_postits(demo_workshop.id), store.list_groups(demo_workshop.id))
    assert model.rowCount() == 7  # 6 post-its and the "Openness" header
    qtmodeltester.check(model, force_py=True)
    model.clear()
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


def test_reload_emits_one_reset_and_handles_a_thousand_postits_fast(qtbot, qapp) -> None:
    model = PostItsModel(Column.CIVIC)
    postits = [_postit(i, f"post-it {i}", i, column=Column.CIVIC,
                       group_id=(i % 5) + 1 if i % 2 else None) for i in range(1, 1001)]
    groups = [Group(g, 1, Column.CIVIC, f"Theme {g}", position=g) for g in range(1, 6)]
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        start = time.perf_counter()
        model.reload(postits, groups)
        elapsed = time.perf_counter() - start
    assert model.rowCount() == 1005
    assert elapsed < 0.5
    assert model.index(0, 0).data(DISPLAY) == "post-it 2"
