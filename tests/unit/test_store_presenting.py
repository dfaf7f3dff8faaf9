"""Timers, the before-the-workshop checklist and merging workshops, on a real SQLite file."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest

from workshopkit.exercises.presenting import (
    CHECKLIST,
    DISCUSSION_CARDS,
    format_timer,
    timer_remaining,
)
from workshopkit.model import Column, OrgKind, Practice, ValueKind
from workshopkit.store import Store, ValidationError


def test_a_timer_runs_and_stops(store: Store) -> None:
    w = store.create_workshop("Timer")
    settings = store.start_timer(w.id, 300, "Write post-its")
    assert settings.timer_label == "Write post-its"
    assert 298 <= timer_remaining(settings.timer_ends_at) <= 300
    assert store.join_settings(w.id).timer_ends_at == settings.timer_ends_at
    assert store.stop_timer(w.id).timer_ends_at == ""
    for bad in (0, -5, 5 * 3600):
        with pytest.raises(ValidationError):
            store.start_timer(w.id, bad)


def test_timer_arithmetic() -> None:
    now = _dt.datetime(2026, 11, 22, 10, 0, 0, tzinfo=_dt.UTC)
    assert timer_remaining((now + _dt.timedelta(seconds=61.2)).isoformat(), now) == 62
    assert timer_remaining((now - _dt.timedelta(seconds=5)).isoformat(), now) == 0
    assert timer_remaining("", now) == 0 and timer_remaining("nonsense", now) == 0
    assert format_timer(299) == "04:59" and format_timer(3725) == "1:02:05"


def test_the_checklist_keeps_ticks_and_notes_across_a_reopen(store: Store,
                                                             data_dir: Path) -> None:
    w = store.create_workshop("Checklist")
    items = store.checklist(w.id)
    assert [i.key for i in items] == [p.key for p in CHECKLIST]
    assert {"payment", "space", "interpretation", "catering", "childcare", "travel",
            "internet"} <= {i.key for i in items}
    assert not any(i.done for i in items)
    store.set_checklist_item(w.id, "childcare", True, "Crèche booked <Tuesday>")
    with pytest.raises(ValidationError):
        store.set_checklist_item(w.id, "unicorns", True)
    store.close()
    with Store.in_data_dir(data_dir) as again:
        childcare = next(i for i in again.checklist(w.id) if i.key == "childcare")
    assert childcare.done and childcare.note == "Crèche booked <Tuesday>"


def test_discussion_cards_exist_for_every_step() -> None:
    assert set(DISCUSSION_CARDS) == {1, 2, 3, 4}
    assert all(len(cards) >= 3 for cards in DISCUSSION_CARDS.values())


def test_merging_keeps_every_item_and_where_it_came_from(store: Store) -> None:
    community = store.create_workshop(
        "Community partners", organisations=[("Tower Hamlets CVS", OrgKind.CIVIC)])
    staff = store.create_workshop(
        "University staff", organisations=[("Queen Mary", OrgKind.UNIVERSITY),
                                           ("tower hamlets cvs", OrgKind.CIVIC)])
    cvs = store.list_organisations(community.id)[0].id
    qm = store.list_organisations(staff.id)[0].id
    store.add_postits(community.id, [{"column": Column.CIVIC, "text": "Pay us on time"},
                                     {"column": Column.SHARED, "text": "Honesty"}])
    store.add_postit(staff.id, Column.UNIVERSITIES, "Explain REF")
    store.add_stakeholder(community.id, "Trustees", organisation_id=cvs)
    store.add_stakeholder(staff.id, "Finance", organisation_id=qm)
    store.add_stated_value(cvs, "Community voice")
    store.add_stated_value(qm, "Students", ValueKind.SERVES)
    store.set_answer(community.id, Practice.TIME, "Outreach", organisation_id=cvs)
    ana = store.add_participant(staff.id, "Ana", organisation_id=qm)
    store.set_answer(staff.id, Practice.BUDGET, "Grants", participant_id=ana.id)

    joint = store.merge_workshops([community.id, staff.id], "Joint workshop")
    assert joint.title == "Joint workshop"
    posts = {(p.text, p.origin, p.column) for p in store.list_postits(joint.id)}
    assert posts == {("Pay us on time", "Community partners", Column.CIVIC),
                     ("Honesty", "Community partners", Column.SHARED),
                     ("Explain REF", "University staff", Column.UNIVERSITIES)}
    cards = {(c.label, c.origin) for c in store.list_stakeholders(joint.id)}
    assert cards == {("Trustees", "Community partners"), ("Finance", "University staff")}
    ex = store.values_exercise(joint.id)
    assert {(v.text, v.origin) for v in ex.values} == {("Community voice", "Community partners"),
                                                       ("Students", "University staff")}
    assert {(a.text, a.origin) for a in ex.answers} == {("Outreach", "Community partners"),
                                                        ("Grants", "University staff")}
    # Organisations with the same name become one; people keep their organisation.
    assert sorted(o.name for o in ex.organisations) == ["Queen Mary", "Tower Hamlets CVS"]
    (person,) = ex.participants
    assert next(o.name for o in ex.organisations if o.id == person.organisation_id) == (
        "Queen Mary")
    # The sources are untouched.
    assert [p.origin for p in store.list_postits(community.id)] == ["", ""]
    with pytest.raises(ValidationError):
        store.merge_workshops([community.id], "Alone")


def test_undoing_a_delete_keeps_a_merged_post_its_origin(store: Store) -> None:
    a = store.create_workshop("A")
    b = store.create_workshop("B")
    store.add_postit(a.id, Column.SHARED, "Trust")
    store.add_postit(b.id, Column.SHARED, "Respect")
    joint = store.merge_workshops([a.id, b.id], "A + B")
    removed = store.delete_postits([p.id for p in store.list_postits(joint.id)])
    store.restore_postits(removed)
    assert {(p.text, p.origin) for p in store.list_postits(joint.id)} == {("Trust", "A"),
                                                                         ("Respect", "B")}
