"""The stakeholder map on a real SQLite file: cards, links, rings, undo inverses, copies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import fill_the_disk
from workshopkit.model import (
    Change,
    ChangeKind,
    Column,
    InviteStatus,
    OrgKind,
    Part,
    Responsibility,
)
from workshopkit.store import DB_FILENAME, DiskFullError, NotFoundError, Store, ValidationError


@pytest.fixture
def mapped(store: Store) -> tuple[Store, int, list[int]]:
    w = store.create_workshop(
        "Map", organisations=[("Queen Mary", OrgKind.UNIVERSITY), ("Tower Hamlets CVS", OrgKind.CIVIC)])
    return store, w.id, [o.id for o in store.list_organisations(w.id)]


def test_a_card_keeps_every_field_across_a_reopen(mapped, data_dir: Path) -> None:
    store, wid, (uni, _) = mapped
    card = store.add_stakeholder(
        wid, "  Finance and procurement ", organisation_id=uni, ring=1, across=0.2, depth=0.9,
        person="Sam Patel", contact="sam@example.ac.uk", part="enabler",
        responsibilities=["budget", Responsibility.PROCESSES], responsibility_note="Pays partners",
        status="invited",
    )
    store.close()
    with Store.in_data_dir(data_dir) as again:
        (back,) = again.list_stakeholders(wid)
    assert back == card
    assert back.label == "Finance and procurement"
    assert back.part is Part.ENABLER and back.status is InviteStatus.INVITED
    assert back.responsibilities == {Responsibility.BUDGET, Responsibility.PROCESSES}
    assert (back.organisation_id, back.ring, back.across, back.depth) == (uni, 1, 0.2, 0.9)


@pytest.mark.parametrize(("fields", "message"), [
    ({"label": "   "}, "cannot be empty"),
    ({"label": "x" * 121}, "limit is 120"),
    ({"label": "A", "ring": 3}, "ring"),
    ({"label": "A", "part": "boss"}, "not a part"),
    ({"label": "A", "status": "maybe"}, "invitation status"),
    ({"label": "A", "responsibilities": ["coffee"]}, "responsibility"),
    ({"label": "A", "colour": "red"}, "Unknown card field"),
])
def test_bad_cards_are_refused_with_a_clear_message_and_nothing_saved(
        mapped, fields, message) -> None:
    store, wid, _ = mapped
    with pytest.raises(ValidationError, match=message):
        store.add_stakeholders(wid, [{"label": "Kept"}, fields])
    assert store.list_stakeholders(wid) == []


def test_a_card_cannot_belong_to_another_workshops_organisation(mapped) -> None:
    store, wid, _ = mapped
    other = store.create_workshop("Other", organisations=[("Elsewhere", OrgKind.CIVIC)])
    foreign = store.list_organisations(other.id)[0].id
    with pytest.raises(NotFoundError):
        store.add_stakeholder(wid, "Finance", organisation_id=foreign)


def test_positions_are_clamped_to_their_ring(mapped) -> None:
    store, wid, _ = mapped
    card = store.add_stakeholder(wid, "Volunteers", across=-3, depth=float("nan"))
    assert (card.across, card.depth) == (0.0, 0.5)
    (moved,) = store.update_stakeholders({card.id: {"across": 7, "ring": 2}})
    assert (moved.across, moved.ring) == (1.0, 2)


def test_links_connect_cards_and_go_when_a_card_goes(mapped) -> None:
    store, wid, (uni, cvs) = mapped
    a = store.add_stakeholder(wid, "Public Engagement team", organisation_id=uni)
    b = store.add_stakeholder(wid, "Chief executive", organisation_id=cvs)
    c = store.add_stakeholder(wid, "Volunteers", organisation_id=cvs)
    ab = store.add_link(a.id, b.id, "brokers")
    bc = store.add_link(b.id, c.id, "manages")
    assert store.relabel_link(ab.id, " works with ").label == "works with"
    with pytest.raises(ValidationError, match="itself"):
        store.add_link(a.id, a.id)
    cards, links = store.delete_stakeholders([b.id])
    assert [s.id for s in cards] == [b.id]
    assert {link.id for link in links} == {ab.id, bc.id}
    assert store.list_links(wid) == []
    store.restore_stakeholders(cards, links)
    assert store.stakeholder_map(wid).stakeholders == (a, b, c)
    assert [(link.id, link.label) for link in store.list_links(wid)] == [
        (ab.id, "works with"), (bc.id, "manages")]


def test_deleting_links_and_restoring_them(mapped) -> None:
    store, wid, _ = mapped
    a, b = store.add_stakeholders(wid, [{"label": "A"}, {"label": "B"}])
    link = store.add_link(a.id, b.id, "reports to")
    removed = store.delete_links([link.id])
    assert store.list_links(wid) == []
    store.restore_links(removed)
    assert store.list_links(wid) == [link]


def test_a_deleted_organisations_cards_stay_on_the_map_unplaced(mapped) -> None:
    store, wid, (uni, _) = mapped
    card = store.add_stakeholder(wid, "Careers service", organisation_id=uni, ring=2)
    store.delete_organisation(uni)
    (kept,) = store.list_stakeholders(wid)
    assert (kept.id, kept.organisation_id, kept.ring) == (card.id, None, 2)


def test_rings_can_be_renamed_and_reset(mapped) -> None:
    store, wid, _ = mapped
    assert store.get_workshop(wid).ring_name(0) == "Must be in the room"
    assert store.set_ring_name(wid, 1, "Help shape it").ring_name(1) == "Help shape it"
    assert store.stakeholder_map(wid).ring_names == ("", "Help shape it", "")
    assert store.set_ring_name(wid, 1, "").ring_name(1) == "Involve"
    with pytest.raises(ValidationError):
        store.set_ring_name(wid, 5, "Nope")


def test_used_roles_come_from_every_map_most_recent_first(mapped) -> None:
    store, wid, _ = mapped
    other = store.create_workshop("Earlier")
    store.add_stakeholder(other.id, "Ward councillor")
    store.add_stakeholder(wid, "Youth panel")
    assert store.used_roles() == ["Youth panel", "Ward councillor"]


def test_map_verbs_announce_one_change_each(mapped) -> None:
    store, wid, _ = mapped
    seen: list[Change] = []
    store.subscribe(seen.append)
    a, b = store.add_stakeholders(wid, [{"label": "A"}, {"label": "B"}])
    store.update_stakeholders({a.id: {"ring": 1}})
    link = store.add_link(a.id, b.id)
    store.set_ring_name(wid, 0, "Core")
    store.delete_links([link.id])
    assert [c.kind for c in seen] == [ChangeKind.STAKEHOLDERS] * 5
    assert seen[0].ids == (a.id, b.id) and seen[0].workshop_id == wid


def test_duplicate_and_export_carry_the_whole_map(mapped, tmp_path: Path) -> None:
    store, wid, (uni, cvs) = mapped
    a = store.add_stakeholder(wid, "Knowledge Exchange", organisation_id=uni, ring=1, across=0.3)
    b = store.add_stakeholder(wid, "Trustees or board", organisation_id=cvs, status="agreed")
    store.add_link(a.id, b.id, "reports to")
    store.set_ring_name(wid, 2, "Tell them after")

    def picture(s: Store, workshop_id: int) -> tuple:
        m = s.stakeholder_map(workshop_id)
        names = {o.id: o.name for o in m.organisations}
        labels = {c.id: c.label for c in m.stakeholders}
        return (m.ring_names,
                sorted((c.label, names.get(c.organisation_id), c.ring, c.across, c.status)
                       for c in m.stakeholders),
                sorted((labels[link.source_id], labels[link.target_id], link.label)
                       for link in m.links))

    copy = store.duplicate_workshop(wid)
    assert picture(store, copy.id) == picture(store, wid)
    copied_orgs = {o.id for o in store.list_organisations(copy.id)}
    assert {c.organisation_id for c in store.list_stakeholders(copy.id)} <= copied_orgs
    path = store.export_workshop(wid, tmp_path / "map.workshop")
    (imported,) = store.import_workshop(path)
    assert picture(store, imported.id) == picture(store, wid)


def test_a_full_disk_loses_no_card(mapped) -> None:
    store, wid, _ = mapped
    kept = store.add_stakeholder(wid, "Kept")
    fill_the_disk(store, wid, Column.SHARED)
    with pytest.raises(DiskFullError):
        store.add_stakeholders(wid, [{"label": "x" * 120} for _ in range(200)])
    assert [s.label for s in store.list_stakeholders(wid)] == ["Kept"]
    assert store.get_stakeholders([kept.id]) == [kept]


def test_every_card_is_on_disk_when_the_verb_returns(mapped, data_dir: Path) -> None:
    store, wid, _ = mapped
    card = store.add_stakeholder(wid, "Events teams")
    other = sqlite3.connect(data_dir / DB_FILENAME)
    assert other.execute("SELECT label FROM stakeholders WHERE id = ?", [card.id]).fetchone() == (
        "Events teams",)
    other.close()


def test_the_demo_workshop_has_a_plausible_map_for_both_organisations(store, demo_workshop) -> None:
    from workshopkit.exercises.stakeholders import invite_list

    m = store.stakeholder_map(demo_workshop.id)
    orgs = {o.id: o.name for o in m.organisations}
    per_org = {name: sum(1 for c in m.stakeholders if orgs[c.organisation_id] == name)
               for name in orgs.values()}
    assert all(count >= 6 for count in per_org.values()), per_org
    assert {c.ring for c in m.stakeholders} == {0, 1, 2}
    assert len(m.links) >= 4
    rings = invite_list(m)
    assert rings[0].count(InviteStatus.AGREED) >= 2
    assert sum(len(r.entries) for r in rings) == len(m.stakeholders)
