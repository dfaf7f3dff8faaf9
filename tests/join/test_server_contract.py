"""The phone API contract, against the real server on 127.0.0.1 and a real SQLite file."""

from __future__ import annotations

import http.client
import json
import sqlite3

import pytest
from markupsafe import escape

from tests.join.conftest import Joining, start_joining
from tests.join.helpers import wait_for
from workshopkit.join.limits import Limits
from workshopkit.model import Change, ChangeKind, Column, Moderation, Source, Status
from workshopkit.store import Store


def test_a_post_it_is_committed_before_the_201_and_reaches_the_app(joining: Joining) -> None:
    reply = joining.phone().post_json(f"{joining.api}/postits",
                                      {"text": "Pay partners on time", "column": "shared"})
    assert reply.status == 201
    body = reply.json()
    assert body["status"] == "visible" and isinstance(body["id"], int)
    # Another connection (the GUI's) sees it at once: it was committed before the answer.
    postit = joining.store.get_postit(body["id"])
    assert (postit.text, postit.column, postit.source) == (
        "Pay partners on time", Column.SHARED, Source.PHONE)
    assert joining.changes and joining.changes[-1].ids == (body["id"],)
    assert joining.changes[-1].kind is ChangeKind.POSTITS
    assert joining.changes[-1].origin == "phone"


def test_approval_mode_answers_pending_and_never_sends_the_text(joining: Joining) -> None:
    joining.store.update_join_settings(joining.workshop.id, moderation=Moderation.APPROVAL)
    joining.server.notify()
    phone = joining.phone()
    reply = phone.post_json(f"{joining.api}/postits",
                            {"text": "Secret until approved", "column": "civic"})
    assert reply.status == 201 and reply.json()["status"] == "pending"
    postit_id = reply.json()["id"]
    state = phone.get(f"{joining.api}/state?mine={postit_id}")
    assert state.json()["mine"] == [{"id": postit_id, "status": "pending"}]
    assert "Secret until approved" not in state.text
    assert "Secret until approved" not in phone.get(joining.page).text
    joining.store.set_status([postit_id], Status.VISIBLE)
    joining.server.notify(Change(ChangeKind.POSTITS, joining.workshop.id, (postit_id,)))
    state = phone.get(f"{joining.api}/state?mine={postit_id}").json()
    assert state["mine"] == [{"id": postit_id, "status": "visible"}]
    assert {"id": postit_id, "column": "civic", "text": "Secret until approved"} in \
        state["revealed"]


def test_held_posts_answer_pending_and_stay_private_until_the_reveal(joining: Joining) -> None:
    joining.store.update_join_settings(joining.workshop.id, hold_until_reveal=True)
    joining.server.notify()
    phone = joining.phone()
    reply = phone.post_json(f"{joining.api}/postits", {"text": "Held back", "column": "shared"})
    assert reply.status == 201
    assert (reply.json()["status"], reply.json()["detail"]) == ("pending", "held")
    assert joining.store.get_postit(reply.json()["id"]).status is Status.HELD
    assert "Held back" not in phone.get(f"{joining.api}/state").text
    joining.store.reveal_held(joining.workshop.id)
    joining.server.notify()
    assert "Held back" in phone.get(f"{joining.api}/state").text


def test_wrong_token_is_404_and_closed_joining_is_403(joining: Joining) -> None:
    phone = joining.phone()
    post = {"text": "Hello", "column": "shared"}
    assert phone.post_json("/api/j/aaaaaaaaaaaaa/postits", post).status == 404
    assert phone.post_json("/api/j/not-a-token/postits", post).status == 404
    assert phone.get("/j/aaaaaaaaaaaaa").status == 404
    joining.server.close_workshop(joining.workshop.id)
    closed = phone.post_json(f"{joining.api}/postits", post)
    assert closed.status == 403
    assert closed.json()["error"].startswith("Joining is closed")
    page = phone.get(joining.page)
    assert page.status == 403 and "Joining is closed" in page.text
    assert phone.get(f"{joining.api}/state").status == 403
    joining.server.open_workshop(joining.workshop.id)
    assert phone.post_json(f"{joining.api}/postits", post).status == 201
    assert joining.store.status_counts(joining.workshop.id)[Status.VISIBLE] == 1


def test_rotating_the_token_cuts_off_old_links(joining: Joining) -> None:
    phone = joining.phone()
    old_api, old_page = joining.api, joining.page
    assert phone.get(old_page).status == 200
    joining.store.rotate_join_token(joining.workshop.id)  # the GUI's connection, no notify
    refused = phone.post_json(f"{old_api}/postits", {"text": "Late", "column": "shared"})
    assert refused.status == 404
    wait_for(lambda: phone.get(old_page).status == 404, timeout=3)
    assert phone.post_json(f"{joining.api}/postits",
                           {"text": "New link", "column": "shared"}).status == 201
    assert [p.text for p in joining.store.list_postits(joining.workshop.id)] == ["New link"]


def test_a_body_over_the_cap_is_413(joining: Joining) -> None:
    phone = joining.phone()
    big = json.dumps({"text": "x" * 20_000, "column": "shared"}).encode()
    reply = phone.post_json(f"{joining.api}/postits", big)
    assert reply.status == 413 and "280 characters" in reply.json()["error"]
    # Without a Content-Length (chunked), the cap holds while reading.
    conn = http.client.HTTPConnection("127.0.0.1", joining.server.port, timeout=5)
    try:
        conn.request("POST", f"{joining.api}/postits", body=iter([big[:9000], big[9000:]]),
                     headers={"Content-Type": "application/json"}, encode_chunked=True)
        response = conn.getresponse()
        assert response.status == 413
        response.read()
    finally:
        conn.close()
    assert joining.store.list_postits(joining.workshop.id) == []


@pytest.mark.parametrize(("payload", "message"), [
    ({"text": "", "column": "shared"}, "A post-it cannot be empty."),
    ({"text": "   \n\t  ", "column": "shared"}, "A post-it cannot be empty."),
    ({"text": "x" * 281, "column": "shared"}, "281 characters long; the limit is 280"),
    ({"text": "Fine", "column": "elsewhere"}, "Unknown column 'elsewhere'"),
    ({"text": "Fine"}, "Choose a column"),
    ({"text": 42, "column": "shared"}, "must be text"),
    (b"this is not json", "Send the post-it as JSON"),
    (b"[1, 2]", "Send the post-it as JSON"),
    (b"\xff\xfe", "Send the post-it as JSON"),
])
def test_bad_post_its_are_422_with_a_message(joining: Joining, payload: object,
                                             message: str) -> None:
    reply = joining.phone().post_json(f"{joining.api}/postits", payload)
    assert reply.status == 422
    assert message in reply.json()["error"]
    assert joining.store.list_postits(joining.workshop.id) == []


def test_exactly_280_characters_is_accepted(joining: Joining) -> None:
    text = "é" * 279 + "🎉"
    reply = joining.phone().post_json(f"{joining.api}/postits", {"text": text, "column": "civic"})
    assert reply.status == 201
    assert joining.store.get_postit(reply.json()["id"]).text == text


def test_one_device_flooding_gets_429_with_retry_after(store: Store) -> None:
    j = start_joining(store, limits=Limits(post_burst=3, post_refill_per_s=0.01,
                                           request_burst=50, request_refill_per_s=0.01))
    try:
        phone = j.phone()
        post = {"text": "Again", "column": "shared"}
        assert [phone.post_json(f"{j.api}/postits", post).status for _ in range(3)] == [201] * 3
        flood = phone.post_json(f"{j.api}/postits", post)
        assert flood.status == 429
        assert int(flood.headers["Retry-After"]) >= 1
        assert "Slow down" in flood.json()["error"]
        assert len(store.list_postits(j.workshop.id)) == 3
        # Reading is limited separately, and also answers 429 once the bucket is empty.
        statuses = [phone.get("/healthz").status for _ in range(60)]
        assert statuses[0] == 200 and statuses[-1] == 429
    finally:
        j.server.stop()


def test_any_unicode_is_kept_exactly(joining: Joining) -> None:
    phone = joining.phone()
    texts = [
        "Celebrate together 🎉👩🏽‍🔬🇬🇧",
        "شراكة عادلة بين الجامعة والمجتمع",
        "שותפות הוגנת",
        "Gŵyl a chwŷn: rhannu'r gwaith yn deg",
        "Line one\nline two",
    ]
    ids = []
    for text in texts:
        reply = phone.post_json(f"{joining.api}/postits", {"text": text, "column": "shared"})
        assert reply.status == 201
        ids.append(reply.json()["id"])
    assert [joining.store.get_postit(i).text for i in ids] == texts
    revealed = {p["id"]: p["text"] for p in phone.get(f"{joining.api}/state").json()["revealed"]}
    assert [revealed[i] for i in ids] == texts
    page = phone.get(joining.page).text
    assert all(str(escape(text)) in page for text in texts[:4])


def test_control_characters_are_stripped(joining: Joining) -> None:
    reply = joining.phone().post_json(
        f"{joining.api}/postits",
        {"text": "Pay\x00 part\x07ners\x1b on\x7f time\x08", "column": "shared",
         "name": "Ana\x00\x1b"})
    assert reply.status == 201
    postit = joining.store.get_postit(reply.json()["id"])
    assert postit.text == "Pay partners on time"
    assert postit.author == "Ana"


def test_markup_is_plain_text_in_json_and_escaped_in_the_page(store: Store) -> None:
    j = start_joining(store, title="<i>Title</i> & co")
    try:
        phone = j.phone()
        reply = phone.post_json(f"{j.api}/postits", {"text": "<b>hi</b><script>alert(1)</script>",
                                                      "column": "shared"})
        assert reply.status == 201
        state = phone.get(f"{j.api}/state").json()
        assert state["revealed"][0]["text"] == "<b>hi</b><script>alert(1)</script>"
        assert state["workshop"]["title"] == "<i>Title</i> & co"
        page = phone.get(j.page).text
        assert "&lt;b&gt;hi&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>hi</b>" not in page and "<script>alert" not in page
        assert "&lt;i&gt;Title&lt;/i&gt; &amp; co" in page and "<i>Title" not in page
    finally:
        j.server.stop()


def test_an_anonymous_post_stores_no_identity_at_all(joining: Joining) -> None:
    phone = joining.phone()
    assert phone.get(joining.page).status == 200
    device = phone.cookie("wk_device")
    assert device
    reply = phone.post_json(f"{joining.api}/postits", {"text": "Anonymous", "column": "civic"})
    postit = joining.store.get_postit(reply.json()["id"])
    assert postit.author == ""
    with sqlite3.connect(joining.store.path) as conn:
        dump = "\n".join(conn.iterdump())
        columns = [row[1] for row in conn.execute("PRAGMA table_info(postits)")]
    conn.close()
    assert device not in dump
    assert "127.0.0.1" not in dump
    assert not {"device", "voter", "ip", "address"} & set(columns)


def test_a_name_and_organisation_are_kept_when_given(joining: Joining) -> None:
    reply = joining.phone().post_json(
        f"{joining.api}/postits",
        {"text": "Named", "column": "civic", "name": " Ana ", "organisation": "Civic Trust"})
    assert joining.store.get_postit(reply.json()["id"]).author == "Ana (Civic Trust)"
    long_name = joining.phone().post_json(
        f"{joining.api}/postits", {"text": "Named", "column": "civic", "name": "n" * 81})
    assert long_name.status == 422 and "Your name" in long_name.json()["error"]


def test_phones_cannot_change_or_delete_anything(joining: Joining) -> None:
    phone = joining.phone()
    first = phone.post_json(f"{joining.api}/postits", {"text": "Original", "column": "shared"})
    postit_id = first.json()["id"]
    for method in ("PUT", "DELETE", "PATCH"):
        reply = phone.request(method, f"{joining.api}/postits", body=b"{}")
        assert reply.status == 405, method
        assert "POST" in reply.headers["Allow"]
        assert phone.request(method, f"{joining.api}/postits/{postit_id}",
                             body=b"{}").status in (404, 405)
        assert phone.request(method, joining.page, body=b"").status == 405
    # Sending an id (or a status) makes a new post-it; it never edits the old one.
    again = phone.post_json(f"{joining.api}/postits", {"id": postit_id, "text": "Changed",
                                                       "status": "hidden", "column": "civic"})
    assert again.status == 201 and again.json()["id"] != postit_id
    assert again.json()["status"] == "visible"
    assert joining.store.get_postit(postit_id).text == "Original"
    assert len(joining.store.list_postits(joining.workshop.id)) == 2


def test_the_fixed_column_overrides_the_phone(joining: Joining) -> None:
    joining.store.update_join_settings(joining.workshop.id, fixed_column=Column.CIVIC)
    joining.server.notify()
    phone = joining.phone()
    reply = phone.post_json(f"{joining.api}/postits", {"text": "Anywhere"})
    assert reply.status == 201
    assert joining.store.get_postit(reply.json()["id"]).column is Column.CIVIC
    state = phone.get(f"{joining.api}/state").json()
    assert state["fixed_column"] == "civic"
    page = phone.get(joining.page).text
    assert 'type="radio"' not in page and "Your post-it goes in" in page


def test_fixing_or_freeing_the_column_applies_to_the_very_next_post(joining: Joining) -> None:
    """Posts read the joining settings from a cache: a change the facilitator makes between two
    posts must still apply to the second (the app tells the server, as here)."""
    wid = joining.workshop.id
    phone = joining.phone()
    joining.store.update_join_settings(wid, fixed_column=Column.CIVIC)
    joining.server.notify(Change(ChangeKind.JOINING, wid, (wid,)))
    fixed = phone.post_json(f"{joining.api}/postits", {"text": "Fixed"})  # no column needed
    assert fixed.status == 201
    assert joining.store.get_postit(fixed.json()["id"]).column is Column.CIVIC
    joining.store.update_join_settings(wid, fixed_column=None)
    joining.server.notify(Change(ChangeKind.JOINING, wid, (wid,)))
    freed = phone.post_json(f"{joining.api}/postits", {"text": "Free", "column": "universities"})
    assert joining.store.get_postit(freed.json()["id"]).column is Column.UNIVERSITIES
    unsaid = phone.post_json(f"{joining.api}/postits", {"text": "Where?"})
    assert unsaid.status == 422  # the phone must now choose


def test_state_lists_own_post_its_columns_and_headings(joining: Joining) -> None:
    joining.store.set_heading(joining.workshop.id, Column.CIVIC, "What partners bring")
    joining.store.add_postit(joining.workshop.id, Column.UNIVERSITIES, "From the facilitator")
    joining.server.notify()
    phone = joining.phone()
    mine = phone.post_json(f"{joining.api}/postits", {"text": "Mine", "column": "civic"})
    mine_id = mine.json()["id"]
    state = phone.get(f"{joining.api}/state?mine={mine_id},999999,abc").json()
    assert state["workshop"]["title"] == "Civic partnership day"
    assert [c["id"] for c in state["columns"]] == ["universities", "shared", "civic"]
    assert state["columns"][2]["heading"] == "What partners bring"
    assert {p["text"] for p in state["revealed"]} == {"From the facilitator", "Mine"}
    assert state["mine"] == [{"id": mine_id, "status": "visible"},
                             {"id": 999999, "status": "removed"}]
    assert state["voting"] == {"open": False, "budget": 3, "left": 3, "mine": {}}
    joining.store.set_status([mine_id], Status.HIDDEN)
    joining.server.notify()
    state = phone.get(f"{joining.api}/state?mine={mine_id}").json()
    assert state["mine"] == [{"id": mine_id, "status": "hidden"}]
    assert "Mine" not in {p["text"] for p in state["revealed"]}


def test_every_answer_carries_the_security_headers(joining: Joining) -> None:
    phone = joining.phone()
    for reply in (phone.get(joining.page), phone.get(f"{joining.api}/state"),
                  phone.get("/static/phone.js"), phone.get("/j/aaaaaaaaaaaaa"), phone.get("/"),
                  phone.post_json(f"{joining.api}/postits", b"nope")):
        assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        assert reply.headers["Cache-Control"] == "no-store"
    assert "javascript" in phone.get("/static/phone.js").headers["Content-Type"]
    assert "text/css" in phone.get("/static/phone.css").headers["Content-Type"]
    assert phone.get("/static/phone.html").status == 404
    assert phone.get("/static/..%2Fpyproject.toml").status == 404


def test_health_and_the_join_code_page(joining: Joining) -> None:
    phone = joining.phone()
    health = phone.get("/healthz")
    assert (health.status, health.text) == (200, "ok")
    home = phone.get("/")
    assert home.status == 200 and 'name="code"' in home.text
    token = joining.token
    typed = f"{token[:4].upper()} {token[4:8]}-{token[8:]}"
    go = phone.get("/?code=" + typed.replace(" ", "+"))
    assert go.status == 303 and go.headers["Location"] == f"/j/{token}"
    wrong = phone.get("/?code=nope")
    assert wrong.status == 404 and "does not work" in wrong.text


def test_visits_count_phones_that_opened_the_page(joining: Joining) -> None:
    first, second = joining.phone(), joining.phone()
    assert joining.server.visits(joining.workshop.id) == 0
    first.get(joining.page)
    first.get(joining.page)
    assert joining.server.visits(joining.workshop.id) == 1
    second.get(joining.page)
    assert joining.server.visits(joining.workshop.id) == 2
