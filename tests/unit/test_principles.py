"""Compiling the draft principles: weighting, ordering, evidence, nothing lost."""

from __future__ import annotations

import pytest

from workshopkit.exercises.principles import (
    MIN_SUPPORT,
    compile_draft,
    draft_rows,
    inputs_from_store,
)
from workshopkit.model import (
    Column,
    EvidenceKind,
    OrgKind,
    Practice,
    PrincipleStatus,
    Status,
    Verdict,
)
from workshopkit.store import NotFoundError, ReviewClosedError, Store, ValidationError


@pytest.fixture
def room(store: Store):
    w = store.create_workshop("Principles", organisations=[("Queen Mary", OrgKind.UNIVERSITY),
                                                           ("Tower Hamlets CVS", OrgKind.CIVIC)])
    return store, w.id


def add(store: Store, wid: int, column: Column, *texts: str) -> list[int]:
    return store.add_postits(wid, [{"column": column, "text": t} for t in texts])


def test_a_theme_needs_weighted_support_of_two(room) -> None:
    store, wid = room
    add(store, wid, Column.CIVIC, "Pay invoices on time")  # weight 1: not enough alone
    add(store, wid, Column.SHARED, "Honesty")  # shared column weighs 2: enough alone
    draft = compile_draft(inputs_from_store(store, wid))
    assert [p.theme_id for p in draft.principles] == ["honesty_transparency"]
    assert [e.text for e in draft.unused] == ["Pay invoices on time"]
    add(store, wid, Column.UNIVERSITIES, "Pay people for their time")
    draft = compile_draft(inputs_from_store(store, wid))
    assert {p.theme_id for p in draft.principles} == {"honesty_transparency", "fair_payment"}
    assert draft.unused == ()


def test_votes_and_values_add_weight_and_order_is_by_weight_then_toolkit_order(room) -> None:
    store, wid = room
    uni, _ = (o.id for o in store.list_organisations(wid))
    pay = add(store, wid, Column.CIVIC, "Pay people for their time")[0]
    add(store, wid, Column.CIVIC, "Be honest with us")
    add(store, wid, Column.UNIVERSITIES, "Be transparent about processes")
    store.add_stated_value(uni, "Fair pay for partners")
    store.open_voting(wid, budget=5)
    for voter in ("a", "b"):
        store.cast_vote(wid, voter, pay)
    draft = compile_draft(inputs_from_store(store, wid))
    weights = {p.theme_id: p.weight for p in draft.principles}
    assert weights == {"fair_payment": 1 + 2 * 0.5 + 1.0, "honesty_transparency": 2.0}
    assert [p.theme_id for p in draft.principles] == ["fair_payment", "honesty_transparency"]
    # On a tie, the toolkit's own order decides (honesty is theme 8, payment theme 7).
    store.withdraw_vote(wid, "a", pay)
    store.withdraw_vote(wid, "b", pay)
    store.delete_stated_values([v.id for v in store.values_exercise(wid).values])
    add(store, wid, Column.CIVIC, "Pay invoices promptly")
    tied = compile_draft(inputs_from_store(store, wid))
    assert [p.theme_id for p in tied.principles] == ["fair_payment", "honesty_transparency"]


def test_each_principle_lists_every_note_behind_it_and_quotes_the_room(room) -> None:
    store, wid = room
    ids = add(store, wid, Column.SHARED, "No jargon please", "Explain acronyms")
    draft = compile_draft(inputs_from_store(store, wid))
    (principle,) = draft.principles
    assert principle.lead == "Use plain language and explain unfamiliar terms"
    assert set(principle.refs) == {(EvidenceKind.POSTIT, i) for i in ids}
    assert "“No jargon please”" in principle.body and principle.body.startswith("We will")
    assert all(e.column is Column.SHARED and e.where == "Shared expectations"
               for e in principle.evidence)


def test_nothing_is_lost_noise_and_weak_themes_are_listed(room) -> None:
    store, wid = room
    add(store, wid, Column.CIVIC, "Biscuits!!", "Build trust slowly")
    draft = compile_draft(inputs_from_store(store, wid))
    assert draft.principles == ()
    assert [e.text for e in draft.unclassified] == ["Biscuits!!"]
    assert [e.text for e in draft.unused] == ["Build trust slowly"]
    assert len(draft.all_evidence) == 2
    assert "long_term_trust" not in {t.id for t in draft.missing}
    assert "communicate_well" in {t.id for t in draft.missing}


def test_only_post_its_on_the_board_count(room) -> None:
    store, wid = room
    (held,) = add(store, wid, Column.SHARED, "Honesty")
    store.set_status([held], Status.HIDDEN)
    assert compile_draft(inputs_from_store(store, wid)).all_evidence == ()


def test_the_facilitators_choice_of_theme_wins_and_is_kept(room) -> None:
    store, wid = room
    (note,) = add(store, wid, Column.SHARED, "Biscuits!!")
    assert store.set_theme(wid, EvidenceKind.POSTIT, note, "safe_inclusive_space") is None
    draft = compile_draft(inputs_from_store(store, wid))
    assert [p.theme_id for p in draft.principles] == ["safe_inclusive_space"]
    assert draft.principles[0].evidence[0].chosen_by_hand
    assert store.set_theme(wid, "postit", note, "") == "safe_inclusive_space"
    assert [e.text for e in compile_draft(inputs_from_store(store, wid)).unclassified] == [
        "Biscuits!!"]
    with pytest.raises(ValidationError):
        store.set_theme(wid, "postit", note, "not_a_theme")


def test_grid_answers_count_at_half_weight(room) -> None:
    store, wid = room
    uni, cvs = (o.id for o in store.list_organisations(wid))
    store.set_answer(wid, Practice.PRIORITY, "Building trust", organisation_id=uni)
    store.set_answer(wid, Practice.PRIORITY, "Trust with local groups", organisation_id=cvs)
    draft = compile_draft(inputs_from_store(store, wid))
    assert draft.principles == ()  # 0.5 + 0.5 < 2
    assert {e.where for e in draft.unused} == {"Queen Mary, what comes first",
                                               "Tower Hamlets CVS, what comes first"}
    assert compile_draft(inputs_from_store(store, wid), min_support=1).principles[0].theme_id \
        == "long_term_trust"


def test_the_demo_gives_a_typical_draft(store, demo_workshop) -> None:
    draft = compile_draft(inputs_from_store(store, demo_workshop.id))
    assert 6 <= len(draft.principles) <= 12
    assert all(p.weight >= MIN_SUPPORT for p in draft.principles)
    weights = [p.weight for p in draft.principles]
    assert weights == sorted(weights, reverse=True)


def test_the_stored_draft_round_trips_and_can_be_restored(room) -> None:
    store, wid = room
    add(store, wid, Column.SHARED, "Honesty", "No jargon")
    old, new = store.replace_principles(wid, draft_rows(compile_draft(inputs_from_store(store,
                                                                                          wid))))
    assert old == []
    assert [p.theme_id for p in new] == ["honesty_transparency", "plain_language"]
    assert all(p.evidence for p in new)
    edited = store.update_principle(new[0].id, lead="Be straight with each other",
                                    status=PrincipleStatus.ACCEPTED)
    assert (edited.lead, edited.status) == ("Be straight with each other",
                                            PrincipleStatus.ACCEPTED)
    store.reorder_principles(wid, [new[1].id, new[0].id])
    assert [p.id for p in store.list_principles(wid)] == [new[1].id, new[0].id]
    before = store.list_principles(wid)
    replaced, _ = store.replace_principles(wid, [])
    assert replaced == before and store.list_principles(wid) == []
    store.restore_draft(wid, replaced)
    assert store.list_principles(wid) == before


def test_phones_review_principles_only_while_open(room) -> None:
    store, wid = room
    add(store, wid, Column.SHARED, "Honesty")
    _, (principle,) = store.replace_principles(
        wid, draft_rows(compile_draft(inputs_from_store(store, wid))))
    with pytest.raises(ReviewClosedError):
        store.cast_review(wid, "phone-a", principle.id, Verdict.AGREE)
    store.update_join_settings(wid, review_open=True)
    store.cast_review(wid, "phone-a", principle.id, "agree")
    store.cast_review(wid, "phone-b", principle.id, "change", "Say who checks")
    store.cast_review(wid, "phone-a", principle.id, "change", "Actually, add dates")
    tally = store.review_tallies(wid)[principle.id]
    assert (tally.agree, tally.change) == (0, 2)
    assert tally.comments == ("Say who checks", "Actually, add dates")
    assert store.reviews_of(wid, "phone-b") == {principle.id: (Verdict.CHANGE, "Say who checks")}
    with pytest.raises(ValidationError, match="cannot be empty"):
        store.cast_review(wid, "phone-c", principle.id, "change", "  ")
    with pytest.raises(NotFoundError):
        store.cast_review(wid, "phone-c", principle.id + 99, "agree")


def test_review_dates_are_checked_and_replaced(room) -> None:
    store, wid = room
    dates = store.set_review_dates(wid, [("First check-in", "2027-02-01"), ("End", "")])
    assert [(d.label, d.date) for d in dates] == [("First check-in", "2027-02-01"), ("End", "")]
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        store.set_review_dates(wid, [("Bad", "1 Feb")])
    assert [d.label for d in store.review_dates(wid)] == ["First check-in", "End"]


def test_reviews_survive_undoing_a_delete_and_follow_a_recompiled_theme(room) -> None:
    store, wid = room
    add(store, wid, Column.SHARED, "Honesty", "No jargon")
    _, (honesty, jargon) = store.replace_principles(
        wid, draft_rows(compile_draft(inputs_from_store(store, wid))))
    store.update_join_settings(wid, review_open=True)
    store.cast_review(wid, "phone-a", honesty.id, "agree")
    store.cast_review(wid, "phone-b", jargon.id, "change", "Give examples")
    removed = store.delete_principles([jargon.id])
    assert jargon.id not in store.review_tallies(wid)
    store.restore_principles(removed)
    assert store.review_tallies(wid)[jargon.id].comments == ("Give examples",)
    # Recompiling gives new principles; one on the same theme keeps the room's reviews.
    old, new = store.replace_principles(
        wid, draft_rows(compile_draft(inputs_from_store(store, wid))))
    by_theme = {p.theme_id: p.id for p in new}
    tallies = store.review_tallies(wid)
    assert tallies[by_theme["honesty_transparency"]].agree == 1
    assert tallies[by_theme["plain_language"]].change == 1
    store.restore_draft(wid, old)
    assert store.review_tallies(wid)[honesty.id].agree == 1
    assert set(store.review_tallies(wid)) == {honesty.id, jargon.id}


def test_a_review_date_that_is_not_a_date_says_how_to_write_it(room) -> None:
    store, wid = room
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        store.set_review_dates(wid, [("Later", "next spring")])
