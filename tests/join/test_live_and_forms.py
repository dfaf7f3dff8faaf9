"""Live updates (server-sent events), the no-JavaScript form path and dot voting."""

from __future__ import annotations

import re

from tests.join.conftest import Joining
from tests.join.helpers import EventStream
from workshopkit.model import Change, ChangeKind, Column, Moderation, Status


def _events(joining: Joining) -> EventStream:
    stream = EventStream("127.0.0.1", joining.server.port, f"{joining.api}/events")
    assert stream.status == 200
    assert stream.response.getheader("Content-Type").startswith("text/event-stream")
    stream.next_event("ready")
    return stream


def test_events_tell_other_phones_about_a_new_post_it(joining: Joining) -> None:
    stream = _events(joining)
    try:
        reply = joining.phone().post_json(f"{joining.api}/postits",
                                          {"text": "Live", "column": "shared"})
        event = stream.next_event("changed")
        assert event == {"kind": "postits", "ids": [reply.json()["id"]]}
    finally:
        stream.close()


def test_events_follow_the_facilitators_own_edits_via_notify(joining: Joining) -> None:
    stream = _events(joining)
    try:
        joining.store.open_voting(joining.workshop.id)
        joining.server.notify(Change(ChangeKind.JOINING, joining.workshop.id,
                                     (joining.workshop.id,)))
        assert stream.next_event("changed")["kind"] == "joining"
        # A change in another workshop is not sent to this one's phones.
        joining.server.notify(Change(ChangeKind.POSTITS, joining.workshop.id + 100, (1,)))
        joining.server.notify(Change(ChangeKind.VOTES, joining.workshop.id, (7,)))
        assert stream.next_event("changed") == {"kind": "votes", "ids": [7]}
    finally:
        stream.close()


def test_events_notice_edits_from_another_connection_without_notify(joining: Joining) -> None:
    stream = _events(joining)
    try:
        joining.store.add_postit(joining.workshop.id, Column.CIVIC, "Typed on the laptop")
        assert stream.next_event("changed", timeout=3)["kind"] == "any"
        revealed = joining.phone().get(f"{joining.api}/state").json()["revealed"]
        assert [p["text"] for p in revealed] == ["Typed on the laptop"]
    finally:
        stream.close()


def test_closing_joining_ends_the_stream_with_closed(joining: Joining) -> None:
    stream = _events(joining)
    try:
        joining.server.close_workshop(joining.workshop.id)
        assert stream.next_event("closed") == {}
        again = EventStream("127.0.0.1", joining.server.port, f"{joining.api}/events")
        assert again.status == 403
        again.close()
    finally:
        stream.close()


def test_the_no_javascript_form_posts_and_redirects_back(joining: Joining) -> None:
    phone = joining.phone()
    page = phone.get(joining.page)
    assert page.status == 200
    assert '<form id="postit-form" method="post" action="/j/' in page.text
    for label in ('for="text"', 'for="name"', 'for="organisation"', 'for="column-shared"'):
        assert label in page.text
    sent = phone.post_form(joining.page, {"column": "civic", "text": "Sent without JS",
                                          "name": "", "organisation": ""})
    assert sent.status == 303
    location = sent.headers["Location"]
    assert re.fullmatch(rf"/j/{joining.token}\?sent=\d+#live-notice", location)
    postit_id = int(location.split("sent=")[1].split("#")[0])
    assert joining.store.get_postit(postit_id).text == "Sent without JS"
    assert joining.store.get_postit(postit_id).author == ""
    back = phone.get(location.split("#")[0])
    assert "Sent. Your post-it is on the board." in back.text
    mine = back.text.split('id="mine-list"')[1].split("</ul>")[0]
    assert f'data-id="{postit_id}"' in mine and "Sent without JS" in mine
    assert "On the board" in mine


def test_the_form_keeps_the_typed_text_when_it_is_refused(joining: Joining) -> None:
    phone = joining.phone()
    too_long = "Keep me " + "x" * 300
    reply = phone.post_form(joining.page, {"column": "shared", "text": too_long,
                                           "name": "Ana", "organisation": "Trust"})
    assert reply.status == 422
    assert "the limit is 280" in reply.text
    assert f">{too_long}</textarea>" in reply.text
    assert 'value="Ana"' in reply.text and 'value="Trust"' in reply.text
    assert 'aria-invalid="true"' in reply.text
    assert 'value="shared" checked' in reply.text
    no_column = phone.post_form(joining.page, {"text": "No column"})
    assert no_column.status == 422 and "Choose a column" in no_column.text
    assert joining.store.list_postits(joining.workshop.id) == []


def test_own_post_its_without_javascript_are_a_signed_cookie(joining: Joining) -> None:
    joining.store.update_join_settings(joining.workshop.id, moderation=Moderation.APPROVAL)
    joining.server.notify()
    phone = joining.phone()
    sent = phone.post_form(joining.page, {"column": "civic", "text": "Waiting text"})
    postit_id = int(sent.headers["Location"].split("sent=")[1].split("#")[0])
    page = phone.get(joining.page).text
    mine = page.split('id="mine-list"')[1].split("</ul>")[0]
    assert "Awaiting approval" in mine and f"Post-it {postit_id}" in mine
    assert "Waiting text" not in page  # not visible: its text is never sent back
    cookie = phone.cookie("wk_mine")
    assert cookie and cookie.startswith(f"{joining.workshop.id}:{postit_id}:")
    # A phone that edits its cookie to claim other post-its gets nothing.
    for c in phone.jar:
        if c.name == "wk_mine":
            c.value = f"{joining.workshop.id}:{postit_id}.1.2:" + cookie.rsplit(":", 1)[1]
    assert 'data-id="' not in phone.get(joining.page).text.split('id="mine-list"')[1].split(
        "</ul>")[0]


def test_dot_voting_spends_a_budget_then_409(joining: Joining) -> None:
    wid = joining.workshop.id
    target = joining.store.add_postit(wid, Column.SHARED, "Vote for me")
    pending = joining.store.add_postit(wid, Column.SHARED, "Not yet", status=Status.PENDING)
    phone = joining.phone()
    phone.get(joining.page)  # gets the device cookie, like a phone opening the page
    closed = phone.post_json(f"{joining.api}/votes", {"postit_id": target.id})
    assert closed.status == 409 and closed.json()["error"] == "Voting is not open right now."
    joining.store.open_voting(wid, budget=2)
    joining.server.notify()
    assert [phone.post_json(f"{joining.api}/votes", {"postit_id": target.id}).json()["left"]
            for _ in range(2)] == [1, 0]
    spent = phone.post_json(f"{joining.api}/votes", {"postit_id": target.id})
    assert spent.status == 409 and "used all 2" in spent.json()["error"]
    state = phone.get(f"{joining.api}/state").json()
    assert state["voting"] == {"open": True, "budget": 2, "left": 0,
                               "mine": {str(target.id): 2}}
    assert "votes" not in state["revealed"][0]  # tallies hidden until the facilitator shows them
    back = phone.post_json(f"{joining.api}/votes/withdraw", {"postit_id": target.id})
    assert back.status == 200 and back.json()["left"] == 1
    assert phone.post_json(f"{joining.api}/votes", {"postit_id": pending.id}).status == 404
    other = joining.phone()
    other.get(f"{joining.api}/state")
    assert other.post_json(f"{joining.api}/votes", {"postit_id": target.id}).status == 201
    assert joining.store.vote_tallies(wid) == {target.id: 2}
    joining.store.update_join_settings(wid, tallies_shown=True)
    joining.server.notify()
    assert phone.get(f"{joining.api}/state").json()["revealed"][0]["votes"] == 2
    no_cookie = joining.phone()
    refused = no_cookie.post_json(f"{joining.api}/votes", {"postit_id": target.id})
    assert refused.status == 409 and "cookie" in refused.json()["error"]


def test_votes_store_a_hash_never_the_cookie(joining: Joining) -> None:
    wid = joining.workshop.id
    target = joining.store.add_postit(wid, Column.SHARED, "Vote")
    joining.store.open_voting(wid)
    joining.server.notify()
    phone = joining.phone()
    phone.get(joining.page)
    assert phone.post_json(f"{joining.api}/votes", {"postit_id": target.id}).status == 201
    device = phone.cookie("wk_device")
    rows = joining.store.db.execute("SELECT voter FROM votes").fetchall()
    assert len(rows) == 1 and device and device not in rows[0][0]


def test_voting_works_without_javascript(joining: Joining) -> None:
    wid = joining.workshop.id
    target = joining.store.add_postit(wid, Column.CIVIC, "Form vote")
    joining.store.open_voting(wid, budget=1)
    joining.server.notify()
    phone = joining.phone()
    page = phone.get(joining.page).text
    assert f'name="vote" value="{target.id}"' in page
    voted = phone.post_form(joining.page, {"vote": str(target.id)})
    assert voted.status == 303 and voted.headers["Location"].endswith("?voted=1#voting")
    page = phone.get(joining.page + "?voted=1").text
    assert "Your vote is in." in page and "<strong>0</strong> of 1 votes left" in page
    assert f'name="withdraw" value="{target.id}"' in page
    spent = phone.post_form(joining.page, {"vote": str(target.id)})
    assert spent.status == 409 and "used all 1" in spent.text
    assert phone.post_form(joining.page, {"withdraw": str(target.id)}).status == 303
    assert joining.store.vote_tallies(wid) == {}
