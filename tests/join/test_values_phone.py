"""Step 2 from phones: each phone fills in (and corrects) its own row of the values grid.

Against the real server on 127.0.0.1 and a real SQLite file; the join panel's checkbox with
real clicks.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from markupsafe import escape
from PySide6.QtCore import Qt

from tests.join.conftest import Joining, start_joining
from tests.join.helpers import EventStream, Phone
from workshopkit.exercises.values import INDIVIDUAL_QUESTIONS
from workshopkit.join.limits import Limits
from workshopkit.model import ChangeKind, Column, OrgKind, Practice, Source
from workshopkit.store import Store

CLOSED = "The facilitator has not opened this step for phones."
SAVED = "Saved. Your answers are in the grid."


@pytest.fixture
def room(joining: Joining) -> Joining:
    """Joining is open and the facilitator collects rows; two organisations to choose from."""
    wid = joining.workshop.id
    joining.store.add_organisation(wid, "Queen Mary", OrgKind.UNIVERSITY)
    joining.store.add_organisation(wid, "Civic Trust", OrgKind.CIVIC)
    joining.store.update_join_settings(wid, collect_values=True)
    joining.server.notify()
    return joining


def org_id(j: Joining, name: str) -> int:
    return next(o.id for o in j.store.list_organisations(j.workshop.id) if o.name == name)


def a_phone(j: Joining) -> Phone:
    """A phone that has opened the page, so it has its device cookie."""
    phone = j.phone()
    assert phone.get(j.page).status == 200
    return phone


def row(j: Joining, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "Ana", "organisation": org_id(j, "Civic Trust"),
                               "budget": "Staff", "time": "Meetings", "priority": "Our members"}
    data.update(fields)
    return data


def people(j: Joining) -> list[tuple[str, str]]:
    ex = j.store.values_exercise(j.workshop.id)
    return [(p.name, p.source.value) for p in ex.participants]


def answers_of(j: Joining, name: str) -> dict[Practice, str]:
    ex = j.store.values_exercise(j.workshop.id)
    person = next(p for p in ex.participants if p.name == name)
    return {q: a.text for q in Practice
            if (a := ex.answer(q, participant_id=person.id)) is not None}


# ----------------------------------------------------------------------------- the JSON API


def test_a_phone_saves_its_row_and_the_app_hears_of_it(room: Joining) -> None:
    phone = a_phone(room)
    reply = phone.post_json(f"{room.api}/values", row(room))
    assert reply.status == 201
    body = reply.json()
    assert body["message"] == SAVED and body["saved"] is True
    assert body["name"] == "Ana" and body["organisation"] == org_id(room, "Civic Trust")
    assert body["answers"] == {"budget": "Staff", "time": "Meetings", "priority": "Our members"}
    # Another connection (the GUI's) sees it at once.
    ex = room.store.values_exercise(room.workshop.id)
    (person,) = ex.participants
    assert (person.name, person.organisation_id, person.source) == (
        "Ana", org_id(room, "Civic Trust"), Source.PHONE)
    budget = ex.answer(Practice.BUDGET, participant_id=person.id)
    assert budget is not None and (budget.text, budget.source) == ("Staff", Source.PHONE)
    kinds = {(c.kind, c.origin) for c in room.changes}
    assert (ChangeKind.VALUES, "phone") in kinds and (ChangeKind.PARTICIPANTS, "phone") in kinds


def test_the_same_phone_corrects_its_row_and_can_clear_an_answer(room: Joining) -> None:
    phone = a_phone(room)
    first = phone.post_json(f"{room.api}/values", row(room))
    assert first.status == 201
    again = phone.post_json(f"{room.api}/values", row(
        room, name="Ana Silva", organisation=None, time="", priority="Our members, first"))
    assert again.status == 200 and again.json()["message"] == SAVED
    ex = room.store.values_exercise(room.workshop.id)
    assert [(p.name, p.organisation_id) for p in ex.participants] == [("Ana Silva", None)]
    assert answers_of(room, "Ana Silva") == {Practice.BUDGET: "Staff", Practice.TIME: "",
                                             Practice.PRIORITY: "Our members, first"}


def test_a_second_phone_with_the_same_name_makes_its_own_row(room: Joining) -> None:
    first, second = a_phone(room), a_phone(room)
    assert first.post_json(f"{room.api}/values", row(room, budget="Mine")).status == 201
    reply = second.post_json(f"{room.api}/values", row(room, budget="Theirs"))
    assert reply.status == 201
    assert people(room) == [("Ana", "phone"), ("Ana", "phone")]
    ex = room.store.values_exercise(room.workshop.id)
    budgets = [a.text for p in ex.participants
               if (a := ex.answer(Practice.BUDGET, participant_id=p.id)) is not None]
    assert budgets == ["Mine", "Theirs"]
    # Each phone reads back only its own row.
    assert first.get(f"{room.api}/values").json()["answers"]["budget"] == "Mine"
    assert second.get(f"{room.api}/values").json()["answers"]["budget"] == "Theirs"


def test_no_phone_is_ever_sent_anyone_elses_row(room: Joining) -> None:
    room.store.add_participant(room.workshop.id, "Facilitator-typed Bea")
    writer, reader = a_phone(room), a_phone(room)
    assert writer.post_json(f"{room.api}/values", row(
        room, name="Private Person", budget="Secret budget line")).status == 201
    for reply in (reader.get(room.page), reader.get(f"{room.api}/state"),
                  reader.get(f"{room.api}/values")):
        assert reply.status == 200
        for secret in ("Private Person", "Secret budget line", "Facilitator-typed Bea"):
            assert secret not in reply.text
    own = reader.get(f"{room.api}/values").json()
    assert own == {"open": True, "saved": False, "name": "", "organisation": None,
                   "answers": {"budget": "", "time": "", "priority": ""}}
    # The state offers the workshop's organisations to choose from, nothing about people.
    state = reader.get(f"{room.api}/state").json()
    assert state["values"] == {"open": True, "organisations": [
        {"id": org_id(room, "Queen Mary"), "name": "Queen Mary"},
        {"id": org_id(room, "Civic Trust"), "name": "Civic Trust"}]}


def test_closed_collecting_is_409_and_saves_nothing(joining: Joining) -> None:
    phone = a_phone(joining)
    reply = phone.post_json(f"{joining.api}/values",
                            {"name": "Ana", "organisation": None, "budget": "Staff"})
    assert reply.status == 409 and reply.json()["error"] == CLOSED
    # Closed wins over a bad row: the phone learns the step is closed, not what to fix.
    assert phone.post_json(f"{joining.api}/values", {"name": ""}).status == 409
    state = phone.get(f"{joining.api}/state").json()
    assert state["values"] == {"open": False, "organisations": []}
    page = phone.get(joining.page).text
    assert re.search(r'<section id="values"[^>]* hidden>', page)
    assert joining.store.values_exercise(joining.workshop.id).participants == ()


def test_turning_collecting_off_refuses_the_next_save(room: Joining) -> None:
    phone = a_phone(room)
    assert phone.post_json(f"{room.api}/values", row(room)).status == 201
    room.store.update_join_settings(room.workshop.id, collect_values=False)  # no notify
    refused = phone.post_json(f"{room.api}/values", row(room, budget="Too late"))
    assert refused.status == 409 and refused.json()["error"] == CLOSED
    assert answers_of(room, "Ana")[Practice.BUDGET] == "Staff"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": ""}, "name", "Your name cannot be empty."),
    ({"name": "   "}, "name", "Your name cannot be empty."),
    ({"name": "n" * 81}, "name", "81 characters long; the limit is 80"),
    ({"name": 7}, "name", "must be text"),
    ({"organisation": ""}, "organisation", "Choose your organisation, or Not listed"),
    ({"organisation": 999999}, "organisation", "not in this workshop's list"),
    ({"organisation": "Queen Mary"}, "organisation", "not in this workshop's list"),
    ({"organisation": True}, "organisation", "not in this workshop's list"),
    ({"budget": "", "time": "  ", "priority": ""}, "budget",
     "Answer at least one of the three questions."),
    ({"time": "x" * 281}, "time", "281 characters long; the limit is 280"),
    ({"priority": ["a list"]}, "priority", "must be text"),
])
def test_bad_rows_are_422_naming_the_field(room: Joining, fields: dict[str, object],
                                           field: str, message: str) -> None:
    reply = a_phone(room).post_json(f"{room.api}/values", row(room, **fields))
    assert reply.status == 422
    assert message in reply.json()["error"] and reply.json()["field"] == field
    assert people(room) == []


def test_missing_organisation_and_bad_json_are_422(room: Joining) -> None:
    phone = a_phone(room)
    data = row(room)
    del data["organisation"]
    reply = phone.post_json(f"{room.api}/values", data)
    assert reply.status == 422 and reply.json()["field"] == "organisation"
    for body in (b"not json", b"[1, 2]", b"\xff\xfe"):
        bad = phone.post_json(f"{room.api}/values", body)
        assert bad.status == 422 and "Send your answers as JSON" in bad.json()["error"]
    assert people(room) == []


def test_an_organisation_of_another_workshop_is_refused(room: Joining) -> None:
    other = room.store.create_workshop("Another day")
    stranger = room.store.add_organisation(other.id, "Elsewhere", OrgKind.OTHER)
    reply = a_phone(room).post_json(f"{room.api}/values", row(room, organisation=stranger.id))
    assert reply.status == 422 and reply.json()["field"] == "organisation"
    assert people(room) == []


def test_exactly_280_characters_and_any_unicode_are_kept(room: Joining) -> None:
    text = "é" * 279 + "🎉"
    reply = a_phone(room).post_json(f"{room.api}/values", row(
        room, name="Siân ap Gwilym 👩🏽‍🔬", budget=text, time="شراكة عادلة", priority="A\nB"))
    assert reply.status == 201
    assert answers_of(room, "Siân ap Gwilym 👩🏽‍🔬") == {
        Practice.BUDGET: text, Practice.TIME: "شراكة عادلة", Practice.PRIORITY: "A\nB"}


def test_wrong_token_404_closed_joining_403(room: Joining) -> None:
    phone = a_phone(room)
    assert phone.post_json("/api/j/aaaaaaaaaaaaa/values", row(room)).status == 404
    assert phone.get("/api/j/aaaaaaaaaaaaa/values").status == 404
    assert phone.post_form("/j/aaaaaaaaaaaaa/values", {"name": "Ana"}).status == 404
    room.server.close_workshop(room.workshop.id)
    closed = phone.post_json(f"{room.api}/values", row(room))
    assert closed.status == 403 and closed.json()["error"].startswith("Joining is closed")
    assert phone.post_form(f"{room.page}/values", {"name": "Ana"}).status == 403
    assert people(room) == []


def test_a_rotated_link_cannot_save_a_row(room: Joining) -> None:
    phone = a_phone(room)
    old_api = room.api
    room.store.rotate_join_token(room.workshop.id)  # the GUI's connection, no notify
    assert phone.post_json(f"{old_api}/values", row(room)).status == 404
    assert people(room) == []


def test_a_phone_without_its_cookie_is_told_why(room: Joining) -> None:
    no_cookie = room.phone()
    reply = no_cookie.post_json(f"{room.api}/values", row(room))
    assert reply.status == 409 and "cookie" in reply.json()["error"]
    assert people(room) == []


def test_one_device_flooding_gets_429(store: Store) -> None:
    j = start_joining(store, limits=Limits(post_burst=2, post_refill_per_s=0.01,
                                           request_burst=50, request_refill_per_s=0.01))
    try:
        store.update_join_settings(j.workshop.id, collect_values=True)
        j.server.notify()
        phone = a_phone(j)
        data = {"name": "Ana", "organisation": None, "budget": "Staff"}
        assert [phone.post_json(f"{j.api}/values", data).status for _ in range(2)] == [201, 200]
        flood = phone.post_json(f"{j.api}/values", data)
        assert flood.status == 429 and int(flood.headers["Retry-After"]) >= 1
        form = phone.post_form(f"{j.page}/values", {k: str(v or "none") for k, v in data.items()})
        assert form.status == 429 and "Slow down" in form.text
    finally:
        j.server.stop()


def test_rows_keep_a_hash_never_the_cookie_and_not_the_votes_hash(room: Joining) -> None:
    wid = room.workshop.id
    target = room.store.add_postit(wid, Column.SHARED, "Vote for me")
    room.store.open_voting(wid)
    room.server.notify()
    phone = a_phone(room)
    assert phone.post_json(f"{room.api}/votes", {"postit_id": target.id}).status == 201
    assert phone.post_json(f"{room.api}/values", row(room)).status == 201
    device = phone.cookie("wk_device")
    assert device
    with sqlite3.connect(room.store.path) as conn:
        dump = "\n".join(conn.iterdump())
        (key,) = conn.execute("SELECT phone_key FROM participants").fetchone()
        (voter,) = conn.execute("SELECT voter FROM votes").fetchone()
    conn.close()
    assert device not in dump and "127.0.0.1" not in dump
    assert key and key != voter  # a named row never points at that phone's votes


# ----------------------------------------------------------------------------- the page


def test_the_page_shows_the_section_only_while_collecting(joining: Joining) -> None:
    phone = a_phone(joining)
    page = phone.get(joining.page).text
    assert re.search(r'<section id="values"[^>]* hidden>', page)
    joining.store.update_join_settings(joining.workshop.id, collect_values=True)
    joining.server.notify()
    page = phone.get(joining.page).text
    assert re.search(r'<section id="values"[^>]*aria-labelledby="values-heading">', page)
    assert "Your own answers (step 2)" in page
    assert '<form id="values-form" method="post" action="/j/' in page
    for label in ('for="values-name"', 'for="values-organisation"', 'for="answer-budget"',
                  'for="answer-time"', 'for="answer-priority"'):
        assert label in page
    for text in INDIVIDUAL_QUESTIONS.values():
        assert str(escape(text)) in page
    assert page.count('maxlength="280"') >= 3 and "0</span>/280 characters" in page
    assert '<option value="none">Not listed</option>' in page


def test_the_page_prefills_the_phones_own_row_only(room: Joining) -> None:
    phone, other = a_phone(room), a_phone(room)
    qm = org_id(room, "Queen Mary")
    assert phone.post_json(f"{room.api}/values", row(
        room, name="Ana", organisation=qm, budget="Grants <b>bold</b>")).status == 201
    page = phone.get(room.page).text
    assert 'id="values-name" name="name"' in page and 'value="Ana"' in page
    assert f'<option value="{qm}" selected>Queen Mary</option>' in page
    assert ">Grants &lt;b&gt;bold&lt;/b&gt;</textarea>" in page
    assert "Save my changes" in page
    blank = other.get(room.page).text
    assert "Grants" not in blank and 'value="Ana"' not in blank and "Send my answers" in blank
    assert '<option value="" selected>Choose your organisation</option>' in blank


def test_without_javascript_the_form_saves_and_redirects_back(room: Joining) -> None:
    phone = a_phone(room)
    civic = str(org_id(room, "Civic Trust"))
    sent = phone.post_form(f"{room.page}/values", {
        "name": "Bea", "organisation": civic, "budget": "Rent", "time": "Casework",
        "priority": ""})
    assert sent.status == 303
    assert sent.headers["Location"] == f"/j/{room.token}?saved=values#values-notice"
    assert answers_of(room, "Bea") == {Practice.BUDGET: "Rent", Practice.TIME: "Casework",
                                       Practice.PRIORITY: ""}
    back = phone.get(sent.headers["Location"].split("#")[0]).text
    assert SAVED in back
    assert 'value="Bea"' in back and ">Casework</textarea>" in back
    # Correcting it with the form updates the same row.
    again = phone.post_form(f"{room.page}/values", {
        "name": "Bea", "organisation": "none", "budget": "Rent and staff", "time": "",
        "priority": ""})
    assert again.status == 303
    assert people(room) == [("Bea", "phone")]
    assert answers_of(room, "Bea")[Practice.BUDGET] == "Rent and staff"
    assert phone.get(f"{room.page}/values").headers["Location"] == f"/j/{room.token}#values"


def test_the_form_keeps_what_was_typed_when_refused(room: Joining) -> None:
    phone = a_phone(room)
    too_long = "Keep me " + "x" * 300
    reply = phone.post_form(f"{room.page}/values", {
        "name": "Cy", "organisation": "none", "budget": "Fine", "time": too_long,
        "priority": "<i>mine</i>"})
    assert reply.status == 422
    assert "the limit is 280" in reply.text
    assert f">{too_long}</textarea>" in reply.text
    assert ">&lt;i&gt;mine&lt;/i&gt;</textarea>" in reply.text
    assert 'value="Cy"' in reply.text and '<option value="none" selected>' in reply.text
    assert re.search(r'<textarea id="answer-time"[^>]*aria-invalid="true"', reply.text)
    no_name = phone.post_form(f"{room.page}/values", {"name": "", "organisation": "none",
                                                      "budget": "Kept"})
    assert no_name.status == 422 and "Your name cannot be empty." in no_name.text
    assert re.search(r'<input id="values-name"[^>]*aria-invalid="true"', no_name.text)
    assert ">Kept</textarea>" in no_name.text
    assert people(room) == []


def test_the_form_says_when_the_step_is_closed_and_keeps_the_text(joining: Joining) -> None:
    phone = a_phone(joining)
    reply = phone.post_form(f"{joining.page}/values", {"name": "Di", "organisation": "none",
                                                       "budget": "Typed before it closed"})
    assert reply.status == 409 and CLOSED in reply.text
    assert ">Typed before it closed</textarea>" in reply.text
    assert joining.store.values_exercise(joining.workshop.id).participants == ()


def test_names_and_answers_are_plain_text_in_the_page(room: Joining) -> None:
    phone = a_phone(room)
    room.store.add_organisation(room.workshop.id, "<b>Org</b> & co", OrgKind.OTHER)
    room.server.notify()
    assert phone.post_json(f"{room.api}/values", row(
        room, name="<script>alert(1)</script>", organisation=None,
        budget="<img src=x onerror=alert(1)>")).status == 201
    page = phone.get(room.page).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "&lt;b&gt;Org&lt;/b&gt; &amp; co" in page
    assert people(room) == [("<script>alert(1)</script>", "phone")]


# ----------------------------------------------------------------------------- live updates


def test_phones_hear_when_collecting_turns_on_but_never_about_rows(room: Joining) -> None:
    stream = EventStream("127.0.0.1", room.server.port, f"{room.api}/events")
    try:
        assert stream.status == 200
        stream.next_event("ready")
        assert a_phone(room).post_json(f"{room.api}/values", row(room)).status == 201
        post = room.phone().post_json(f"{room.api}/postits", {"text": "Hi", "column": "civic"})
        # The row saved first is not announced: the next event is the post-it.
        assert stream.next_event("changed") == {"kind": "postits", "ids": [post.json()["id"]]}
        room.store.update_join_settings(room.workshop.id, collect_values=False)
        room.server.notify()
        assert stream.next_event("changed")["kind"] == "any"
        assert room.phone().get(f"{room.api}/state").json()["values"]["open"] is False
    finally:
        stream.close()


# ----------------------------------------------------------------------------- the join panel


@pytest.fixture
def panel(qtbot, store: Store, demo_workshop) -> Iterator[object]:
    from tests.ui.helpers import join_panel

    with join_panel(qtbot, store, demo_workshop.id, height=860) as panel:
        yield panel


def test_the_panel_checkbox_lets_phones_fill_in_their_rows(qtbot, panel, store,
                                                           demo_workshop) -> None:
    check = panel.collect_values_check
    assert check.accessibleName() == "Phones fill in their own row (step 2)"
    assert check.isEnabled() and not check.isChecked()
    with qtbot.waitSignal(panel.controller.joining_opened, timeout=5000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    base = f"http://127.0.0.1:{panel.controller.server.port}"
    api = f"/api/j/{store.join_settings(demo_workshop.id).token}"
    phone = Phone(base)
    assert phone.get(f"{api}/state").json()["values"]["open"] is False

    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert check.isChecked()
    assert store.join_settings(demo_workshop.id).collect_values is True
    qtbot.waitUntil(lambda: phone.get(f"{api}/state").json()["values"]["open"], timeout=3000)

    # Keyboard: focus it and press Space to turn it off again.
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert not check.isChecked()
    assert store.join_settings(demo_workshop.id).collect_values is False


def test_the_panel_checkbox_follows_changes_made_elsewhere(qtbot, panel, store,
                                                           demo_workshop) -> None:
    check = panel.collect_values_check
    store.update_join_settings(demo_workshop.id, collect_values=True)  # e.g. step 2's view
    assert check.isChecked()
    store.update_join_settings(demo_workshop.id, collect_values=False)
    assert not check.isChecked()
    other = store.create_workshop("Another day")
    store.update_join_settings(other.id, collect_values=True)  # another workshop: no effect
    assert not check.isChecked()
    panel.set_workshop(other.id)
    assert check.isChecked()
    panel.set_workshop(None)
    assert not check.isEnabled()
