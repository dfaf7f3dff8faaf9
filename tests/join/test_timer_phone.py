"""The facilitator's countdown on phones: what the server sends and the page shows at load.

Against the real server on 127.0.0.1 and a real SQLite file; the facilitator's side is another
connection to the same file, as in the app. The countdown in a real browser is in
tests/e2e/test_timer_e2e.py.
"""

from __future__ import annotations

import re

from tests.join.conftest import Joining, start_joining
from tests.join.helpers import EventStream, wait_for
from workshopkit.join.server import phone_clock
from workshopkit.model import Change, ChangeKind
from workshopkit.store import Store

HINT = "Reload the page to see the time left now."


def state(j: Joining) -> dict[str, object]:
    reply = j.phone().get(f"{j.api}/state")
    assert reply.status == 200
    return reply.json()


def timer_section(page: str) -> str:
    match = re.search(r'<section id="timer".*?</section>', page, re.DOTALL)
    assert match, "no timer section in the page"
    return match.group(0)


def shown_time(page: str) -> str:
    match = re.search(r'<p id="timer-time"[^>]*role="timer"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert match, "no role=timer element in the page"
    return match.group(1)


def test_no_timer_is_null_and_the_section_is_hidden(joining: Joining) -> None:
    assert state(joining)["timer"] is None
    page = joining.phone().get(joining.page).text
    assert re.search(r'<section id="timer"[^>]* hidden>', page)
    assert shown_time(page) == ""


def test_the_state_carries_the_timer_and_the_seconds_left_go_down(joining: Joining) -> None:
    wid = joining.workshop.id
    joining.store.start_timer(wid, 2, "Write your post-its")
    joining.server.notify()
    first = state(joining)["timer"]
    assert first == {"remaining": 2, "label": "Write your post-its"}
    # Nothing else changes: the seconds left are worked out for each request, not cached.
    wait_for(lambda: state(joining)["timer"]["remaining"] == 1, timeout=2.5)
    wait_for(lambda: state(joining)["timer"]["remaining"] == 0, timeout=2.5)
    assert state(joining)["timer"] == {"remaining": 0, "label": "Write your post-its"}
    page = joining.phone().get(joining.page).text
    section = timer_section(page)
    assert 'data-state="up"' in section and " hidden" not in section.split(">")[0]
    assert shown_time(page) == "Time&#39;s up"


def test_without_javascript_the_page_shows_the_time_left_and_how_to_update_it(
        joining: Joining) -> None:
    wid = joining.workshop.id
    joining.store.start_timer(wid, 5 * 60)
    joining.server.notify()
    page = joining.phone().get(joining.page).text
    section = timer_section(page)
    assert not re.search(r'<section id="timer"[^>]* hidden', section)
    assert 'data-state' not in section.split(">")[0]
    assert shown_time(page) in ("Time left: 5:00", "Time left: 4:59")
    assert '<h2 id="timer-heading" dir="auto">Timer</h2>' in section  # no label given
    hint = re.search(r'<p id="timer-hint"[^>]*>(.*?)</p>', section).group(1)
    assert HINT in hint
    # Screen readers hear the whole minutes through a polite status region, not the timer.
    assert re.search(r'<p id="timer-announce"[^>]*role="status"[^>]*aria-live="polite"', page)
    assert 'aria-live' not in re.search(r'<p id="timer-time"[^>]*>', page).group(0)


def test_stopping_the_timer_clears_it(joining: Joining) -> None:
    wid = joining.workshop.id
    joining.store.start_timer(wid, 60, "Discuss")
    joining.server.notify()
    assert state(joining)["timer"]["label"] == "Discuss"
    joining.store.stop_timer(wid)
    joining.server.notify()
    assert state(joining)["timer"] is None
    page = joining.phone().get(joining.page).text
    assert re.search(r'<section id="timer"[^>]* hidden>', page)
    assert "Discuss" not in page and "Time left" not in page


def test_the_label_is_plain_text(joining: Joining) -> None:
    label = "<b>Vote</b> & <script>alert(1)</script>"
    joining.store.start_timer(joining.workshop.id, 90, label)
    joining.server.notify()
    assert state(joining)["timer"]["label"] == label  # JSON: the characters as typed
    page = joining.phone().get(joining.page).text
    heading = re.search(r'<h2 id="timer-heading"[^>]*>(.*?)</h2>', page).group(1)
    assert heading == ("&lt;b&gt;Vote&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<b>Vote" not in page and "<script>alert" not in page
    assert shown_time(page) in ("Time left: 1:30", "Time left: 1:29")


def test_phones_hear_of_a_timer_started_on_another_connection(joining: Joining) -> None:
    """The facilitator's window has its own connection; the server notices within a second."""
    phone = joining.phone()
    assert phone.get(joining.page).status == 200
    stream = EventStream("127.0.0.1", joining.server.port, f"{joining.api}/events")
    try:
        stream.next_event("ready")
        joining.store.start_timer(joining.workshop.id, 120, "Pairs")  # no notify
        stream.next_event("changed", timeout=3)
        assert phone.get(f"{joining.api}/state").json()["timer"]["label"] == "Pairs"
        joining.store.stop_timer(joining.workshop.id)
        joining.server.notify(Change(ChangeKind.JOINING, joining.workshop.id,
                                     (joining.workshop.id,)))
        assert stream.next_event("changed")["kind"] in ("joining", "any")
        assert phone.get(f"{joining.api}/state").json()["timer"] is None
    finally:
        stream.close()


def test_a_timer_belongs_to_its_own_workshop(joining: Joining, store: Store) -> None:
    other = store.create_workshop("Another room")
    store.join_settings(other.id)
    joining.server.open_workshop(other.id)
    store.start_timer(other.id, 300, "Elsewhere")
    joining.server.notify()
    assert state(joining)["timer"] is None
    other_token = store.join_settings(other.id).token
    assert joining.phone().get(f"/api/j/{other_token}/state").json()["timer"]["label"] == \
        "Elsewhere"


def test_a_closed_workshop_sends_no_timer(store: Store) -> None:
    j = start_joining(store)
    try:
        j.store.start_timer(j.workshop.id, 300)
        j.server.close_workshop(j.workshop.id)
        reply = j.phone().get(f"{j.api}/state")
        assert reply.status == 403 and "timer" not in reply.json()
    finally:
        j.server.stop()


def test_the_phone_clock_reads_like_a_kitchen_timer() -> None:
    assert [phone_clock(s) for s in (0, 5, 59, 60, 299, 3599, 3600, 3723, 4 * 3600)] == [
        "0:00", "0:05", "0:59", "1:00", "4:59", "59:59", "1:00:00", "1:02:03", "4:00:00"]
