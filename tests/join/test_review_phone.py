"""Step 4 from phones: each phone agrees with a draft principle or suggests a change.

Against the real server on 127.0.0.1 and a real SQLite file; the join panel's checkbox with
real clicks and keys.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from tests.join.conftest import Joining, start_joining
from tests.join.helpers import EventStream, Phone, wait_for
from workshopkit.join.limits import Limits
from workshopkit.model import Change, ChangeKind, Column, PrincipleStatus, ReviewTally
from workshopkit.store import Store

CLOSED = "The facilitator has not opened the draft for review."
SAVED = "Thanks: your review is in. You can change it while the review is open."
NEED_COMMENT = "Write a short comment saying what you would change"
GONE = "That principle is no longer in the draft"


def add_draft(j: Joining) -> list[int]:
    """Three principles, the second rejected by the facilitator."""
    wid = j.workshop.id
    first = j.store.add_principle(wid, "Pay partners on time",
                                  "Invoices from civic partners are paid within 30 days.")
    rejected = j.store.add_principle(wid, "Publish everything in journals",
                                     status=PrincipleStatus.REJECTED)
    third = j.store.add_principle(wid, "Share findings in plain language", "")
    return [first.id, rejected.id, third.id]


@pytest.fixture
def room(joining: Joining) -> Joining:
    """Joining is open, there is a draft, and the facilitator has opened it for review."""
    add_draft(joining)
    joining.store.update_join_settings(joining.workshop.id, review_open=True)
    joining.server.notify()
    return joining


def ids(j: Joining) -> list[int]:
    """The principles phones review: the draft without the rejected one, in order."""
    return [p.id for p in j.store.list_principles(j.workshop.id)
            if p.status is not PrincipleStatus.REJECTED]


def rejected_id(j: Joining) -> int:
    return next(p.id for p in j.store.list_principles(j.workshop.id)
                if p.status is PrincipleStatus.REJECTED)


def next_news(stream: EventStream, timeout: float = 5.0) -> dict[str, object]:
    """The next event that names what changed, skipping the "something changed" ones the server
    sends when it notices another connection's commit (within a second, at any moment)."""
    deadline = time.monotonic() + timeout
    while True:
        event = stream.next_event("changed", timeout=max(0.05, deadline - time.monotonic()))
        if event["ids"]:
            return event


def a_phone(j: Joining) -> Phone:
    """A phone that has opened the page, so it has its device cookie."""
    phone = j.phone()
    assert phone.get(j.page).status == 200
    return phone


def tallies(j: Joining) -> dict[int, ReviewTally]:
    return j.store.review_tallies(j.workshop.id)


def part(page: str, tag: str, element_id: str) -> str:
    """The HTML of one element of the page (not nested in one of its own kind)."""
    match = re.search(rf'<{tag}[^>]* id="{element_id}".*?</{tag}>', page, re.DOTALL)
    assert match, f"no {tag} #{element_id} in the page"
    return match.group(0)


def section(page: str) -> str:
    return part(page, "section", "review")


# ----------------------------------------------------------------------------- the JSON API


def test_a_phone_agrees_and_the_app_hears_of_it(room: Joining) -> None:
    first, _third = ids(room)
    reply = a_phone(room).post_json(f"{room.api}/reviews",
                                    {"principle_id": first, "verdict": "agree"})
    assert reply.status == 201
    assert reply.json() == {"principle_id": first, "verdict": "agree", "comment": "",
                            "message": SAVED}
    assert tallies(room) == {first: ReviewTally(first, agree=1, change=0, comments=())}
    assert (ChangeKind.PRINCIPLES, "phone") in {(c.kind, c.origin) for c in room.changes}


def test_suggesting_a_change_needs_a_comment(room: Joining) -> None:
    first, _third = ids(room)
    phone = a_phone(room)
    for comment in (None, "", "   \n "):
        data = {"principle_id": first, "verdict": "change"}
        if comment is not None:
            data["comment"] = comment
        reply = phone.post_json(f"{room.api}/reviews", data)
        assert reply.status == 422
        assert NEED_COMMENT in reply.json()["error"]
        assert reply.json()["field"] == "comment" and reply.json()["principle_id"] == first
    too_long = phone.post_json(f"{room.api}/reviews", {
        "principle_id": first, "verdict": "change", "comment": "x" * 281})
    assert too_long.status == 422 and "281 characters long; the limit is 280" in \
        too_long.json()["error"]
    assert tallies(room) == {}
    text = "é" * 279 + "🎉"  # exactly 280 characters, any Unicode
    ok = phone.post_json(f"{room.api}/reviews",
                         {"principle_id": first, "verdict": "change", "comment": text})
    assert ok.status == 201 and ok.json()["comment"] == text
    assert tallies(room) == {first: ReviewTally(first, agree=0, change=1, comments=(text,))}


def test_a_second_review_replaces_the_first(room: Joining) -> None:
    first, third = ids(room)
    phone = a_phone(room)
    assert phone.post_json(f"{room.api}/reviews",
                           {"principle_id": first, "verdict": "agree"}).status == 201
    assert phone.get(f"{room.api}/state").json()["my_reviews"] == {
        str(first): {"verdict": "agree", "comment": ""}}
    again = phone.post_json(f"{room.api}/reviews", {
        "principle_id": first, "verdict": "change", "comment": "Within 14 days"})
    assert again.status == 200 and again.json()["verdict"] == "change"
    assert tallies(room) == {first: ReviewTally(first, agree=0, change=1,
                                                comments=("Within 14 days",))}
    assert phone.post_json(f"{room.api}/reviews",
                           {"principle_id": third, "verdict": "agree"}).status == 201
    assert phone.get(f"{room.api}/state").json()["my_reviews"] == {
        str(first): {"verdict": "change", "comment": "Within 14 days"},
        str(third): {"verdict": "agree", "comment": ""}}
    # Another phone's review counts on its own.
    assert a_phone(room).post_json(f"{room.api}/reviews",
                                   {"principle_id": first, "verdict": "agree"}).status == 201
    assert tallies(room)[first] == ReviewTally(first, agree=1, change=1,
                                               comments=("Within 14 days",))


def test_a_closed_review_is_409_and_keeps_nothing(joining: Joining) -> None:
    first, _rejected, _third = add_draft(joining)
    joining.server.notify()
    phone = a_phone(joining)
    reply = phone.post_json(f"{joining.api}/reviews", {"principle_id": first, "verdict": "agree"})
    assert reply.status == 409 and reply.json()["error"] == CLOSED
    # Closed wins over a bad review: the phone learns the review is closed, not what to fix.
    assert phone.post_json(f"{joining.api}/reviews", {"verdict": "change"}).status == 409
    state = phone.get(f"{joining.api}/state").json()
    assert state["review"] == {"open": False, "principles": []} and state["my_reviews"] == {}
    page = phone.get(joining.page).text
    assert re.search(r'<section id="review"[^>]* hidden>', page)
    assert "Pay partners on time" not in page
    assert tallies(joining) == {}


def test_closing_the_review_refuses_the_next_one_at_once(room: Joining) -> None:
    first, _third = ids(room)
    phone = a_phone(room)
    assert phone.post_json(f"{room.api}/reviews",
                           {"principle_id": first, "verdict": "agree"}).status == 201
    room.store.update_join_settings(room.workshop.id, review_open=False)  # no notify
    refused = phone.post_json(f"{room.api}/reviews", {
        "principle_id": first, "verdict": "change", "comment": "Too late"})
    assert refused.status == 409 and refused.json()["error"] == CLOSED
    assert tallies(room) == {first: ReviewTally(first, agree=1, change=0, comments=())}


def test_wrong_token_404_closed_joining_403(room: Joining) -> None:
    first, _third = ids(room)
    phone = a_phone(room)
    data = {"principle_id": first, "verdict": "agree"}
    wrong = phone.post_json("/api/j/aaaaaaaaaaaaa/reviews", data)
    assert wrong.status == 404 and "join link does not work" in wrong.json()["error"]
    assert phone.post_form("/j/aaaaaaaaaaaaa/reviews", {"principle_id": str(first),
                                                        "verdict": "agree"}).status == 404
    room.server.close_workshop(room.workshop.id)
    closed = phone.post_json(f"{room.api}/reviews", data)
    assert closed.status == 403 and closed.json()["error"].startswith("Joining is closed")
    assert tallies(room) == {}


def test_a_rotated_link_cannot_review(room: Joining) -> None:
    first, _third = ids(room)
    phone = a_phone(room)
    old_api = room.api
    room.store.rotate_join_token(room.workshop.id)  # the GUI's connection, no notify
    reply = phone.post_json(f"{old_api}/reviews", {"principle_id": first, "verdict": "agree"})
    assert reply.status == 404
    assert tallies(room) == {}


def test_one_device_flooding_gets_429(store: Store) -> None:
    j = start_joining(store, limits=Limits(post_burst=2, post_refill_per_s=0.01,
                                           request_burst=50, request_refill_per_s=0.01))
    try:
        add_draft(j)
        store.update_join_settings(j.workshop.id, review_open=True)
        j.server.notify()
        phone = a_phone(j)
        data = {"principle_id": ids(j)[0], "verdict": "agree"}
        assert [phone.post_json(f"{j.api}/reviews", data).status for _ in range(2)] == [201, 200]
        flood = phone.post_json(f"{j.api}/reviews", data)
        assert flood.status == 429 and int(flood.headers["Retry-After"]) >= 1
        assert "Slow down" in flood.json()["error"]
        form = phone.post_form(f"{j.page}/reviews", {k: str(v) for k, v in data.items()})
        assert form.status == 429 and "Slow down" in form.text
    finally:
        j.server.stop()


def test_rejected_principles_are_not_shown_nor_reviewed(room: Joining) -> None:
    first, third = ids(room)
    rejected = rejected_id(room)
    phone = a_phone(room)
    state = phone.get(f"{room.api}/state").json()
    assert state["review"] == {"open": True, "principles": [
        {"id": first, "number": 1, "lead": "Pay partners on time",
         "body": "Invoices from civic partners are paid within 30 days."},
        {"id": third, "number": 2, "lead": "Share findings in plain language", "body": ""}]}
    page = phone.get(room.page).text
    assert "Publish everything in journals" not in page
    assert f'id="principle-{rejected}"' not in page
    refused = phone.post_json(f"{room.api}/reviews", {"principle_id": rejected,
                                                      "verdict": "agree"})
    assert refused.status == 409 and GONE in refused.json()["error"]
    # Rejected by the facilitator after the phone loaded the page (no notify yet): refused too.
    room.store.update_principle(third, status=PrincipleStatus.REJECTED)
    late = phone.post_json(f"{room.api}/reviews", {"principle_id": third, "verdict": "agree"})
    assert late.status == 409 and GONE in late.json()["error"]
    assert tallies(room) == {}
    room.server.notify()
    assert [p["id"] for p in phone.get(f"{room.api}/state").json()["review"]["principles"]] == [
        first]


def test_another_phones_review_is_never_shown(room: Joining) -> None:
    first, third = ids(room)
    writer, reader = a_phone(room), a_phone(room)
    assert writer.post_json(f"{room.api}/reviews", {
        "principle_id": first, "verdict": "change", "comment": "Secret suggestion"}).status == 201
    assert writer.post_json(f"{room.api}/reviews",
                            {"principle_id": third, "verdict": "agree"}).status == 201
    for reply in (reader.get(room.page), reader.get(f"{room.api}/state")):
        assert reply.status == 200
        assert "Secret suggestion" not in reply.text
        assert "Your review" not in reply.text
    state = reader.get(f"{room.api}/state").json()
    assert state["my_reviews"] == {}
    # Phones never see a tally, not even their own principle's.
    assert not re.search(r"agree\W+\d|\d\W+agree", reader.get(room.page).text)
    assert set(state["review"]["principles"][0]) == {"id", "number", "lead", "body"}
    mine = writer.get(room.page).text
    assert "Secret suggestion" in mine and "Your review: <strong>Suggest a change</strong>" in mine


def test_bad_reviews_are_422_naming_the_field(room: Joining) -> None:
    first, _third = ids(room)
    phone = a_phone(room)
    for data, field in (({"verdict": "agree"}, "principle_id"),
                        ({"principle_id": "first", "verdict": "agree"}, "principle_id"),
                        ({"principle_id": True, "verdict": "agree"}, "principle_id"),
                        ({"principle_id": first}, "verdict"),
                        ({"principle_id": first, "verdict": "love it"}, "verdict"),
                        ({"principle_id": first, "verdict": "agree", "comment": ["x"]},
                         "comment")):
        reply = phone.post_json(f"{room.api}/reviews", data)
        assert reply.status == 422, data
        assert reply.json()["field"] == field
    for body in (b"not json", b"[1, 2]", b"\xff\xfe"):
        bad = phone.post_json(f"{room.api}/reviews", body)
        assert bad.status == 422 and "Send your review as JSON" in bad.json()["error"]
    assert tallies(room) == {}


def test_a_phone_without_its_cookie_is_told_why(room: Joining) -> None:
    reply = room.phone().post_json(f"{room.api}/reviews",
                                   {"principle_id": ids(room)[0], "verdict": "agree"})
    assert reply.status == 409 and "cookie" in reply.json()["error"]
    assert tallies(room) == {}


def test_reviews_keep_a_hash_apart_from_votes_and_rows(room: Joining) -> None:
    wid = room.workshop.id
    target = room.store.add_postit(wid, Column.SHARED, "Vote for me")
    room.store.open_voting(wid)
    room.store.update_join_settings(wid, collect_values=True)
    room.server.notify()
    phone = a_phone(room)
    assert phone.post_json(f"{room.api}/votes", {"postit_id": target.id}).status == 201
    assert phone.post_json(f"{room.api}/values", {
        "name": "Ana", "organisation": None, "budget": "Staff"}).status == 201
    assert phone.post_json(f"{room.api}/reviews",
                           {"principle_id": ids(room)[0], "verdict": "agree"}).status == 201
    device = phone.cookie("wk_device")
    assert device
    with sqlite3.connect(room.store.path) as conn:
        dump = "\n".join(conn.iterdump())
        (reviewer,) = conn.execute("SELECT voter FROM principle_reviews").fetchone()
        (voter,) = conn.execute("SELECT voter FROM votes").fetchone()
        (row_key,) = conn.execute("SELECT phone_key FROM participants").fetchone()
    conn.close()
    assert device not in dump and "127.0.0.1" not in dump
    assert reviewer and reviewer not in (voter, row_key)


# ----------------------------------------------------------------------------- the page


def test_the_page_shows_the_numbered_draft_only_while_the_review_is_open(
        joining: Joining) -> None:
    first, _rejected, third = add_draft(joining)
    joining.server.notify()
    phone = a_phone(joining)
    assert re.search(r'<section id="review"[^>]* hidden>', phone.get(joining.page).text)
    joining.store.update_join_settings(joining.workshop.id, review_open=True)
    joining.server.notify()
    page = phone.get(joining.page).text
    html = section(page)
    assert re.search(r'<section id="review"[^>]*aria-labelledby="review-heading">', html)
    assert "Review the draft principles" in html
    assert (f'<h3 class="lead" id="principle-{first}-lead" dir="auto">'
            f'<span class="number">1.</span> Pay partners on time</h3>') in html
    assert "Invoices from civic partners are paid within 30 days." in html
    assert '<span class="number">2.</span> Share findings in plain language</h3>' in html
    assert html.index(f'id="principle-{first}"') < html.index(f'id="principle-{third}"')
    for pid in (first, third):
        assert f'<label class="field-label" for="comment-{pid}">' in html
        assert f'aria-describedby="principle-{pid}-lead">Agree</button>' in html
        assert f'aria-describedby="principle-{pid}-lead">Suggest a change</button>' in html
        assert f'<input type="hidden" name="principle_id" value="{pid}">' in html
    assert html.count('maxlength="280"') == 2 and html.count("0</span>/280 characters") == 2
    assert f'<form class="review-form" method="post" action="/j/{joining.token}/reviews">' in html
    assert html.count('class="my-review"') == 2 and "Your review" not in html


def test_leads_bodies_and_comments_are_plain_text(room: Joining) -> None:
    wid = room.workshop.id
    odd = room.store.add_principle(wid, "<b>Bold</b> & co", "<script>alert(1)</script>")
    room.server.notify()
    phone = a_phone(room)
    assert phone.post_json(f"{room.api}/reviews", {
        "principle_id": odd.id, "verdict": "change",
        "comment": "<img src=x onerror=alert(1)>"}).status == 201
    page = phone.get(room.page).text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page and "<b>Bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert ">&lt;img src=x onerror=alert(1)&gt;</textarea>" in page
    state = phone.get(f"{room.api}/state").json()
    assert state["review"]["principles"][-1]["lead"] == "<b>Bold</b> & co"


def test_without_javascript_the_form_reviews_and_redirects_back(room: Joining) -> None:
    first, third = ids(room)
    phone = a_phone(room)
    sent = phone.post_form(f"{room.page}/reviews", {"principle_id": str(first),
                                                    "verdict": "agree", "comment": ""})
    assert sent.status == 303
    assert sent.headers["Location"] == f"/j/{room.token}?reviewed={first}#principle-{first}"
    assert tallies(room) == {first: ReviewTally(first, agree=1, change=0, comments=())}
    back = phone.get(sent.headers["Location"].split("#")[0]).text
    item = part(back, "li", f"principle-{first}")
    assert SAVED in item and "Your review: <strong>Agree</strong>" in item
    # Changing it with the form replaces the review, and the comment comes back to be edited.
    again = phone.post_form(f"{room.page}/reviews", {
        "principle_id": str(first), "verdict": "change", "comment": "Say which invoices"})
    assert again.status == 303
    assert tallies(room) == {first: ReviewTally(first, agree=0, change=1,
                                                comments=("Say which invoices",))}
    page = phone.get(room.page).text
    assert f'id="comment-{first}"' in page and ">Say which invoices</textarea>" in page
    assert "Your review: <strong>Suggest a change</strong>" in page
    untouched = re.search(rf'<li [^>]*id="principle-{third}"[^>]*>', page)
    assert untouched and 'data-mine=""' in untouched.group(0)
    assert page.count("Your review:") == 1
    assert phone.get(f"{room.page}/reviews").headers["Location"] == f"/j/{room.token}#review"


def test_the_form_keeps_what_was_typed_when_refused(room: Joining) -> None:
    first, third = ids(room)
    phone = a_phone(room)
    empty = phone.post_form(f"{room.page}/reviews", {"principle_id": str(third),
                                                     "verdict": "change", "comment": "  "})
    assert empty.status == 422
    assert NEED_COMMENT in part(empty.text, "li", f"principle-{third}")
    assert re.search(rf'<textarea id="comment-{third}"[^>]*aria-invalid="true"', empty.text)
    assert re.search(rf'<textarea id="comment-{first}"[^>]*>', empty.text).group(0).count(
        "aria-invalid") == 0
    too_long = "Keep me " + "x" * 300 + " <i>mine</i>"
    long_reply = phone.post_form(f"{room.page}/reviews", {
        "principle_id": str(first), "verdict": "change", "comment": too_long})
    assert long_reply.status == 422 and "the limit is 280" in long_reply.text
    escaped = too_long.replace("<", "&lt;").replace(">", "&gt;")
    assert f">{escaped}</textarea>" in long_reply.text
    assert tallies(room) == {}


def test_the_form_says_when_the_review_is_closed_and_keeps_the_text(room: Joining) -> None:
    first, _third = ids(room)
    phone = a_phone(room)
    room.store.update_join_settings(room.workshop.id, review_open=False)
    room.server.notify()
    reply = phone.post_form(f"{room.page}/reviews", {
        "principle_id": str(first), "verdict": "change", "comment": "Typed before it closed"})
    assert reply.status == 409
    banner = part(reply.text, "div", "review-closed")
    assert banner.startswith('<div id="review-closed" class="banner" role="status">')
    assert CLOSED in banner and "Typed before it closed" in banner
    assert re.search(r'<section id="review"[^>]* hidden>', reply.text)
    assert tallies(room) == {}


def test_the_form_says_when_a_principle_left_the_draft(room: Joining) -> None:
    phone = a_phone(room)
    reply = phone.post_form(f"{room.page}/reviews", {
        "principle_id": str(rejected_id(room)), "verdict": "change", "comment": "Keep this"})
    assert reply.status == 409
    error = part(reply.text, "div", "review-error")
    assert error.startswith('<div id="review-error" class="error-summary" role="alert">')
    assert GONE in error and "Keep this" in error
    assert tallies(room) == {}


# ----------------------------------------------------------------------------- live updates


def test_phones_hear_of_the_review_and_the_draft_but_never_of_reviews(room: Joining) -> None:
    first, _third = ids(room)
    stream = EventStream("127.0.0.1", room.server.port, f"{room.api}/events")
    try:
        assert stream.status == 200
        stream.next_event("ready")
        assert a_phone(room).post_json(f"{room.api}/reviews",
                                       {"principle_id": first, "verdict": "agree"}).status == 201
        post = room.phone().post_json(f"{room.api}/postits", {"text": "Hi", "column": "civic"})
        # The review sent first is not announced: the next news is the post-it.
        assert next_news(stream) == {"kind": "postits", "ids": [post.json()["id"]]}
        # The facilitator edits the draft; the app forwards the change to the server.
        room.store.update_principle(first, lead="Pay partners within 30 days")
        room.server.notify(Change(ChangeKind.PRINCIPLES, room.workshop.id, (first,)))
        assert next_news(stream)["ids"] == [first]
        assert room.phone().get(f"{room.api}/state").json()["review"]["principles"][0][
            "lead"] == "Pay partners within 30 days"
        room.store.update_join_settings(room.workshop.id, review_open=False)
        room.server.notify(Change(ChangeKind.JOINING, room.workshop.id, (room.workshop.id,)))
        assert next_news(stream)["ids"] == [room.workshop.id]
        assert room.phone().get(f"{room.api}/state").json()["review"] == {
            "open": False, "principles": []}
    finally:
        stream.close()


# ----------------------------------------------------------------------------- the join panel


@pytest.fixture
def panel(qtbot, store: Store, demo_workshop) -> Iterator[object]:
    from tests.ui.helpers import join_panel

    with join_panel(qtbot, store, demo_workshop.id, height=860) as panel:
        yield panel


def test_the_panel_checkbox_opens_the_review_to_phones(qtbot, panel, store,
                                                       demo_workshop) -> None:
    wid = demo_workshop.id
    principle = store.add_principle(wid, "Pay partners on time")
    check = panel.review_open_check
    assert check.accessibleName() == "Phones review the draft principles (step 4)"
    assert check.text() == "Phones revie&w the draft principles (step 4)"
    assert check.isEnabled() and not check.isChecked()
    with qtbot.waitSignal(panel.controller.joining_opened, timeout=5000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    base = f"http://127.0.0.1:{panel.controller.server.port}"
    token = store.join_settings(wid).token
    api = f"/api/j/{token}"
    phone = Phone(base)
    assert phone.get(f"/j/{token}").status == 200
    assert phone.get(f"{api}/state").json()["review"]["open"] is False

    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert check.isChecked()
    assert store.join_settings(wid).review_open is True
    qtbot.waitUntil(lambda: phone.get(f"{api}/state").json()["review"]["open"], timeout=3000)
    assert phone.post_json(f"{api}/reviews", {"principle_id": principle.id,
                                              "verdict": "agree"}).status == 201

    # The facilitator edits the draft: the app forwards the change, so phones hear which
    # principle changed (not only, a second later, that something did).
    stream = EventStream("127.0.0.1", panel.controller.server.port, f"{api}/events")
    try:
        stream.next_event("ready")
        store.update_principle(principle.id, lead="Pay partners within 30 days")
        assert principle.id in next_news(stream)["ids"]
    finally:
        stream.close()
    assert phone.get(f"{api}/state").json()["review"]["principles"][0]["lead"] == \
        "Pay partners within 30 days"

    # Keyboard: focus it and press Space to close the review again.
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert not check.isChecked()
    assert store.join_settings(wid).review_open is False
    wait_for(lambda: phone.get(f"{api}/state").json()["review"]["open"] is False)


def test_the_panel_checkbox_follows_changes_made_elsewhere(qtbot, panel, store,
                                                           demo_workshop) -> None:
    check = panel.review_open_check
    store.update_join_settings(demo_workshop.id, review_open=True)  # e.g. step 4's view
    assert check.isChecked() and not panel.collect_values_check.isChecked()
    store.update_join_settings(demo_workshop.id, review_open=False)
    assert not check.isChecked()
    other = store.create_workshop("Another day")
    store.update_join_settings(other.id, review_open=True)  # another workshop: no effect
    assert not check.isChecked()
    panel.set_workshop(other.id)
    assert check.isChecked()
    panel.set_workshop(None)
    assert not check.isEnabled() and not check.isChecked()
