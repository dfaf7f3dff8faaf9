"""Join tokens, moderation and dot voting in the store (the phone server stands on these)."""

from __future__ import annotations

import pytest

from workshopkit.model import ChangeKind, Column, Moderation, Source, Status
from workshopkit.store import (
    JOIN_TOKEN_ALPHABET,
    JOIN_TOKEN_LENGTH,
    NotFoundError,
    Store,
    ValidationError,
    VoteBudgetSpentError,
    VotingClosedError,
)


def test_join_token_is_unguessable_and_stable(store: Store) -> None:
    w = store.create_workshop("Join")
    token = store.join_settings(w.id).token
    assert len(token) == JOIN_TOKEN_LENGTH
    assert len(set(JOIN_TOKEN_ALPHABET)) ** JOIN_TOKEN_LENGTH >= 2**64
    assert store.join_settings(w.id).token == token
    other = store.create_workshop("Other")
    assert store.join_settings(other.id).token != token
    assert store.workshop_for_token(token) == w.id
    assert store.workshop_for_token(token.upper()) is None
    assert store.workshop_for_token("x' OR 1=1 --") is None


def test_rotating_the_token_cuts_off_old_links(store: Store) -> None:
    w = store.create_workshop("Rotate")
    old = store.join_settings(w.id).token
    new = store.rotate_join_token(w.id).token
    assert new != old
    assert store.workshop_for_token(old) is None
    assert store.workshop_for_token(new) == w.id
    assert store.moderation_log(w.id)[-1].action == "rotated join link"


def test_phone_posts_follow_the_moderation_mode(store: Store) -> None:
    w = store.create_workshop("Moderate")
    seen = []
    store.subscribe(seen.append)
    shown = store.add_phone_postit(w.id, Column.SHARED, "Straight on", author="")
    assert (shown.status, shown.source, shown.author) == (Status.VISIBLE, Source.PHONE, "")
    store.update_join_settings(w.id, moderation=Moderation.APPROVAL)
    queued = store.add_phone_postit(w.id, Column.CIVIC, "Needs a look", author="Mo")
    assert queued.status is Status.PENDING and queued.author == "Mo"
    store.update_join_settings(w.id, moderation=Moderation.OFF, hold_until_reveal=True)
    held = store.add_phone_postit(w.id, Column.CIVIC, "Hold me")
    assert held.status is Status.HELD
    store.set_status([queued.id], Status.VISIBLE)
    assert store.reveal_held(w.id) == [held.id]
    assert {p.status for p in store.list_postits(w.id)} == {Status.VISIBLE}
    actions = [entry.action for entry in store.moderation_log(w.id)]
    assert "approved" in actions and "revealed" in actions
    assert ChangeKind.JOINING in {c.kind for c in seen}


def test_a_rotated_token_cannot_add_a_postit(store: Store) -> None:
    w = store.create_workshop("Race")
    old = store.join_settings(w.id).token
    assert store.add_phone_postit(w.id, Column.SHARED, "In time", token=old).text == "In time"
    store.rotate_join_token(w.id)
    with pytest.raises(NotFoundError, match="no longer valid"):
        store.add_phone_postit(w.id, Column.SHARED, "Too late", token=old)
    assert [p.text for p in store.list_postits(w.id)] == ["In time"]


def test_data_version_moves_when_another_connection_commits(store: Store, data_dir) -> None:
    w = store.create_workshop("Versions")
    before = store.data_version()
    with Store.in_data_dir(data_dir) as other:
        other.add_postit(w.id, Column.SHARED, "From elsewhere")
    assert store.data_version() != before


def test_fixed_column_overrides_the_phone_choice(store: Store) -> None:
    w = store.create_workshop("Fixed")
    store.update_join_settings(w.id, fixed_column=Column.CIVIC)
    p = store.add_phone_postit(w.id, Column.UNIVERSITIES, "Goes to civic")
    assert p.column is Column.CIVIC
    store.update_join_settings(w.id, fixed_column=None)
    assert store.join_settings(w.id).fixed_column is None


def test_bad_settings_are_refused(store: Store) -> None:
    w = store.create_workshop("Settings")
    with pytest.raises(ValidationError):
        store.update_join_settings(w.id, vote_budget=0)
    with pytest.raises(ValueError):
        store.update_join_settings(w.id, moderation="maybe")


def test_dot_voting_budget_and_rounds(store: Store) -> None:
    w = store.create_workshop("Votes")
    a = store.add_phone_postit(w.id, Column.SHARED, "A")
    b = store.add_phone_postit(w.id, Column.SHARED, "B")
    with pytest.raises(VotingClosedError):
        store.cast_vote(w.id, "phone-1", a.id)
    store.open_voting(w.id, budget=2)
    assert store.cast_vote(w.id, "phone-1", a.id) == 1
    assert store.cast_vote(w.id, "phone-1", a.id) == 0
    with pytest.raises(VoteBudgetSpentError, match="all 2"):
        store.cast_vote(w.id, "phone-1", b.id)
    assert store.withdraw_vote(w.id, "phone-1", a.id) == 1
    assert store.cast_vote(w.id, "phone-1", b.id) == 0
    assert store.cast_vote(w.id, "phone-2", b.id) == 1
    assert store.vote_tallies(w.id) == {a.id: 1, b.id: 2}
    assert store.votes_of(w.id, "phone-1") == {a.id: 1, b.id: 1}
    store.close_voting(w.id)
    with pytest.raises(VotingClosedError):
        store.cast_vote(w.id, "phone-3", a.id)
    store.open_voting(w.id)
    assert store.vote_tallies(w.id) == {}
    assert store.cast_vote(w.id, "phone-1", a.id) == 1


def test_votes_only_on_revealed_postits(store: Store) -> None:
    w = store.create_workshop("Hidden votes")
    store.update_join_settings(w.id, moderation=Moderation.APPROVAL)
    pending = store.add_phone_postit(w.id, Column.SHARED, "Not yet")
    store.open_voting(w.id)
    with pytest.raises(NotFoundError):
        store.cast_vote(w.id, "phone-1", pending.id)


def test_export_gives_no_join_token_to_the_copy(store: Store, tmp_path) -> None:
    w = store.create_workshop("Copy me")
    p = store.add_phone_postit(w.id, Column.SHARED, "Voted")
    store.open_voting(w.id)
    store.cast_vote(w.id, "phone-1", p.id)
    token = store.join_settings(w.id).token
    path = store.export_workshop(w.id, tmp_path / "x.workshop")
    other = Store(tmp_path / "other.db")
    [copy] = other.import_workshop(path)
    assert other.join_settings(copy.id).token != token
    assert other.workshop_for_token(token) is None
    assert len(other.moderation_log(copy.id)) == len(store.moderation_log(w.id))
    other.close()
