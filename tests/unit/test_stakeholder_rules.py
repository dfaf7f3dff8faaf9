"""The stakeholder map's rules with no Qt: areas, rings, placement and the invite list."""

from __future__ import annotations

import itertools

import pytest

from workshopkit.exercises.stakeholders import (
    LABEL_FONT_SIZE,
    PRESET_GROUPS,
    RING_EDGES,
    UNASSIGNED_AREA,
    area_index,
    area_name,
    card_summary,
    free_spot,
    invite_list,
    is_preset,
    map_areas,
    map_geometry,
)
from workshopkit.model import (
    DEFAULT_RING_NAMES,
    InviteStatus,
    Organisation,
    OrgKind,
    Part,
    Stakeholder,
    StakeholderMap,
)

UNI = Organisation(1, 1, "Queen Mary", OrgKind.UNIVERSITY, 0)
CVS = Organisation(2, 1, "Tower Hamlets CVS", OrgKind.CIVIC, 1)


def card(id_: int, label: str, org: int | None, ring: int, **kw: object) -> Stakeholder:
    return Stakeholder(id=id_, workshop_id=1, label=label, organisation_id=org, ring=ring, **kw)


@pytest.mark.parametrize("areas", [1, 2, 3, 5])
def test_every_placed_card_is_found_again_in_its_area_and_ring(areas: int) -> None:
    geometry = map_geometry(areas, 40)
    steps = (0.0, 0.25, 0.5, 0.9, 1.0)
    for area, ring, across, depth in itertools.product(range(areas), range(3), steps, steps):
        x, y = geometry.point(area, ring, across, depth)
        found = geometry.locate(x, y)
        assert found[:2] == (area, ring)
        assert found[3] == pytest.approx(depth, abs=1e-9)
        assert geometry.point(*found) == pytest.approx((x, y))
        if areas <= 3:  # a slice of a five-way split can be too narrow to move across near the middle
            assert found[2] == pytest.approx(across, abs=1e-9)


@pytest.mark.parametrize("cards", [5, 40, 300])
def test_cards_keep_clear_of_the_line_between_two_organisations(cards: int) -> None:
    from workshopkit.exercises.stakeholders import CARD_WIDTH

    geometry = map_geometry(2, cards)
    steps = (0.0, 0.1, 0.5, 0.9, 1.0)
    for area, ring, across, depth in itertools.product(range(2), range(3), steps, steps):
        x, _ = geometry.point(area, ring, across, depth)
        assert abs(x) >= CARD_WIDTH / 2, (area, ring, across, depth)
        assert (x < 0) == (area == 0)


def test_two_organisations_share_the_map_left_and_right() -> None:
    geometry = map_geometry(2, 10)
    first_x, _ = geometry.point(0, 1, 0.5, 0.5)
    second_x, _ = geometry.point(1, 1, 0.5, 0.5)
    assert first_x < 0 < second_x


def test_rings_run_from_the_centre_out() -> None:
    geometry = map_geometry(2, 10)
    assert geometry.locate(0, 0)[1] == 0
    assert geometry.locate(-geometry.rx * (RING_EDGES[0] + 0.05), 0)[1] == 1
    assert geometry.locate(-geometry.rx * 0.95, 0)[1] == 2
    # A drop beyond the outer edge still lands on the map, in the outer ring.
    assert geometry.locate(-geometry.rx * 3, geometry.ry)[:2] == (0, 2)


def test_cards_stay_inside_their_ring_band() -> None:
    geometry = map_geometry(2, 30)
    for ring in range(3):
        inner, outer = geometry.ring_band(ring)
        for depth in (0.0, 1.0):
            x, y = geometry.point(0, ring, 0.5, depth)
            radius = ((x / geometry.rx) ** 2 + (y / geometry.ry) ** 2) ** 0.5
            assert inner < radius < outer


def test_the_map_grows_with_its_cards_and_keeps_labels_legible_at_forty() -> None:
    small, forty, many = (map_geometry(2, n) for n in (5, 40, 300))
    assert small.rx == map_geometry(2, 16).rx  # a near-empty map is not a dot
    assert small.rx < forty.rx < many.rx
    *_, width, height = forty.bounds()
    scale = min(1920 / width, 1080 / height)
    assert LABEL_FONT_SIZE * scale >= 18


def test_areas_follow_organisation_order_and_add_an_unplaced_area_when_needed() -> None:
    assert map_areas([CVS, UNI]) == [UNI, CVS]
    assert map_areas([]) == [None]
    orphan = card(1, "Volunteers", None, 0)
    areas = map_areas([UNI, CVS], [orphan])
    assert areas == [UNI, CVS, None]
    assert area_name(areas[2]) == UNASSIGNED_AREA
    assert area_index(areas, CVS.id) == 1
    assert area_index(areas, None) == 2


def test_free_spot_avoids_cards_already_there() -> None:
    assert free_spot([]) == (0.5, 0.5)
    spot = free_spot([(0.5, 0.5)])
    assert abs(spot[0] - 0.5) + abs(spot[1] - 0.5) > 0.3
    taken = [(0.5, 0.5)]
    for _ in range(6):
        spot = free_spot(taken)
        assert spot not in taken
        taken.append(spot)


def test_invite_list_goes_ring_by_ring_then_by_organisation_and_label() -> None:
    cards = (
        card(1, "Volunteers", CVS.id, 1, status=InviteStatus.INVITED),
        card(2, "Finance and procurement", UNI.id, 0, status=InviteStatus.AGREED),
        card(3, "Chief executive", CVS.id, 0, person="Ana Silva"),
        card(4, "Estates and facilities", UNI.id, 2),
        card(5, "Communications teams", UNI.id, 0, status=InviteStatus.DECLINED),
    )
    rings = invite_list(StakeholderMap(1, ("", "Help shape it", ""), (UNI, CVS), cards, ()))
    assert [r.name for r in rings] == [DEFAULT_RING_NAMES[0], "Help shape it",
                                        DEFAULT_RING_NAMES[2]]
    assert [e.stakeholder.label for e in rings[0].entries] == [
        "Communications teams", "Finance and procurement", "Chief executive"]
    assert [e.organisation for e in rings[0].entries] == [UNI.name, UNI.name, CVS.name]
    assert rings[0].count(InviteStatus.AGREED) == 1
    assert rings[0].count(InviteStatus.NOT_INVITED) == 1
    assert [e.stakeholder.id for e in rings[1].entries] == [1]
    assert [e.stakeholder.id for e in rings[2].entries] == [4]


def test_card_summary_names_the_person_and_their_part() -> None:
    assert card_summary(card(1, "CEO", None, 0, person="Ana", part=Part.DECISION_MAKER)) == (
        "Ana · Decision-maker")
    assert card_summary(card(1, "CEO", None, 0, part_note="Gatekeeper")) == "Gatekeeper"
    assert card_summary(card(1, "CEO", None, 0)) == ""


def test_presets_hold_the_toolkits_roles_and_civic_roles() -> None:
    titles = [group.title for group in PRESET_GROUPS]
    assert titles == ["University roles and teams", "Civic and community roles"]
    assert "Finance and procurement" in PRESET_GROUPS[0].roles
    assert "Trustees or board" in PRESET_GROUPS[1].roles
    assert is_preset("  finance AND procurement ")
    assert not is_preset("Our own role")
