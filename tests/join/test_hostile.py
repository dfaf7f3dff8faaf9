"""Hostile input and access: fuzzed phone requests, the import path, and server hardening.

Property tests (hypothesis, derandomized so every run sends the same inputs) hit every phone
endpoint of the real server on 127.0.0.1 over a real SQLite file: whatever the body, headers or
Unicode, the answer is never a 5xx and every acknowledged post-it reads back exactly as
acknowledged. Raw sockets check the limits a slow or greedy client runs into.
"""

from __future__ import annotations

import http.client
import inspect
import json
import socket
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.join.conftest import Joining, start_joining
from tests.join.helpers import ROOMY, Reply
from workshopkit.join import server as join_server
from workshopkit.join.limits import Limits
from workshopkit.model import POSTIT_MAX_CHARS, Column, Status
from workshopkit.store import Store, StoreError, clean_text

FUZZ = settings(derandomize=True, database=None, max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
"""Same inputs every run (and no example database left in the checkout); few enough that the
whole file stays within seconds."""
IMPORTS = settings(FUZZ, max_examples=20)

REQUIRED_HEADERS = {
    "Content-Security-Policy": join_server.CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

# Anything JSON can carry, nested a little.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6)
# A post-it-ish object: the right keys, any values (and sometimes extra keys).
postit_bodies = st.fixed_dictionaries(
    {},
    optional={"text": st.text(max_size=320) | json_values,
              "column": st.sampled_from([c.value for c in Column]) | json_values,
              "name": st.text(max_size=90) | json_values,
              "organisation": st.text(max_size=110) | json_values})
any_body = st.binary(max_size=600)
form_values = st.text(max_size=300)


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Joining]:
    """One server for the module's property tests (hypothesis reuses it across examples)."""
    store = Store(tmp_path_factory.mktemp("hostile") / "library.db")
    joining = start_joining(store, "Hostile input")
    wid = joining.workshop.id
    store.update_join_settings(wid, collect_values=True, review_open=True)
    store.add_organisation(wid, "Civic Trust", "civic")
    store.add_principle(wid, "Pay partners on time", "Within 30 days.")
    joining.server.notify()
    yield joining
    joining.server.stop()
    store.close()


def _no_5xx(reply: Reply, what: str) -> None:
    assert reply.status < 500, f"{what}: {reply.status} {reply.body[:200]!r}"
    for name, value in REQUIRED_HEADERS.items():
        assert reply.headers.get(name) == value, f"{what}: {name} missing"


def _raw(port: int, data: bytes, *, timeout: float = 5.0) -> bytes:
    """Send raw bytes and read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


def _hardened(raw: bytes) -> bool:
    """The raw answer carries our security headers and names no library version."""
    head = raw.partition(b"\r\n\r\n")[0].decode("latin-1")
    return (all(f"{name}: {value}" in head for name, value in REQUIRED_HEADERS.items())
            and "aiohttp" not in head and "Server: workshopkit" in head)


def _status_of(raw: bytes) -> int | None:
    if not raw.startswith(b"HTTP/1."):
        return None
    return int(raw.split(b" ", 2)[1])


# --------------------------------------------------------------------------- properties


@FUZZ
@given(body=postit_bodies)
def test_any_json_post_it_is_refused_plainly_or_stored_exactly_as_acknowledged(
        room: Joining, body: dict[str, object]) -> None:
    phone = room.phone()
    reply = phone.post_json(f"{room.api}/postits", body)
    _no_5xx(reply, "post-it")
    if reply.status == 201:
        answer = reply.json()
        stored = room.store.get_postit(answer["id"])
        assert stored.text == answer["text"] == clean_text(
            body["text"], what="A post-it", max_chars=POSTIT_MAX_CHARS)
        assert stored.column.value == answer["column"] == body["column"]
        assert {"id": answer["id"], "column": answer["column"], "text": answer["text"]} in \
            phone.get(f"{room.api}/state").json()["revealed"]
    else:
        assert reply.status in (409, 422, 429) and reply.json()["error"]


@FUZZ
@given(body=any_body, content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded",
     "multipart/form-data; boundary=x", "application/json; charset=latin-1", ""]),
    path=st.sampled_from(["postits", "votes", "votes/withdraw", "values", "reviews"]))
def test_any_bytes_to_any_api_endpoint_never_break_the_server(
        room: Joining, body: bytes, content_type: str, path: str) -> None:
    before = room.store.list_postits(room.workshop.id)
    reply = room.phone().request("POST", f"{room.api}/{path}", body=body,
                                 headers={"Content-Type": content_type} if content_type else {})
    _no_5xx(reply, path)
    assert reply.headers["Content-Type"].startswith("application/json")
    if reply.status >= 400:
        assert reply.json()["error"]
    if path == "postits" and reply.status != 201:
        assert room.store.list_postits(room.workshop.id) == before


@FUZZ
@given(fields=st.dictionaries(
    st.sampled_from(["text", "column", "name", "organisation", "vote", "withdraw"]),
    form_values | st.sampled_from([c.value for c in Column]), max_size=6))
def test_any_no_script_form_post_is_refused_plainly_or_stored_as_typed(
        room: Joining, fields: dict[str, str]) -> None:
    phone = room.phone()
    reply = phone.post_form(room.page, fields)
    _no_5xx(reply, "form")
    if reply.status == 303:
        location = urllib.parse.urlsplit(reply.headers["Location"])
        sent = urllib.parse.parse_qs(location.query).get("sent")
        if sent:
            stored = room.store.get_postit(int(sent[0]))
            assert stored.text == clean_text(fields["text"], what="A post-it",
                                             max_chars=POSTIT_MAX_CHARS)
            assert stored.column.value == fields["column"]
        page = phone.get(reply.headers["Location"].split("#")[0])
        _no_5xx(page, "page after the form")
    else:
        assert reply.headers["Content-Type"].startswith("text/html")


@FUZZ
@given(vote=json_values, withdraw=st.booleans())
def test_any_vote_is_refused_plainly_or_counted(room: Joining, vote: object,
                                                withdraw: bool) -> None:
    phone = room.phone()
    phone.get(room.page)  # the device cookie a vote needs
    path = f"{room.api}/votes/withdraw" if withdraw else f"{room.api}/votes"
    reply = phone.post_json(path, {"postit_id": vote})
    _no_5xx(reply, "vote")


@FUZZ
@given(row=st.fixed_dictionaries({}, optional={
    "name": st.text(max_size=90) | json_values,
    "organisation": st.sampled_from(["none", "", "1", "²", "99999999999999"]) | json_values,
    "budget": st.text(max_size=50) | json_values, "time": st.text(max_size=50),
    "priority": json_values}), as_form=st.booleans())
def test_any_values_row_is_refused_plainly_or_saved(room: Joining, row: dict[str, object],
                                                    as_form: bool) -> None:
    phone = room.phone()
    phone.get(room.page)
    if as_form:
        reply = phone.post_form(f"{room.page}/values", {k: str(v) for k, v in row.items()})
        assert reply.status in (303, 409, 422, 429), reply.status
    else:
        reply = phone.post_json(f"{room.api}/values", row)
        assert reply.status in (200, 201, 409, 422, 429), reply.status
    _no_5xx(reply, "values")
    _no_5xx(phone.get(f"{room.api}/values"), "own row")


@FUZZ
@given(review=st.fixed_dictionaries({}, optional={
    "principle_id": st.sampled_from(["1", "٣", "²", " 1 ", "-1"]) | json_values,
    "verdict": st.sampled_from(["agree", "change", "AGREE"]) | json_values,
    "comment": st.text(max_size=300) | json_values}), as_form=st.booleans())
def test_any_review_is_refused_plainly_or_kept(room: Joining, review: dict[str, object],
                                               as_form: bool) -> None:
    phone = room.phone()
    phone.get(room.page)
    if as_form:
        reply = phone.post_form(f"{room.page}/reviews", {k: str(v) for k, v in review.items()})
    else:
        reply = phone.post_json(f"{room.api}/reviews", review)
    _no_5xx(reply, "review")


@FUZZ
@given(mine=st.text(max_size=80), sent=st.text(max_size=12), reviewed=st.text(max_size=12),
       cookie=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e,
                                             exclude_characters=';,"\\'), max_size=80))
def test_state_and_pages_survive_any_query_and_cookie(room: Joining, mine: str, sent: str,
                                                      reviewed: str, cookie: str) -> None:
    phone = room.phone()
    cookies = f"wk_mine={cookie}; wk_device={cookie}"
    query = urllib.parse.urlencode({"mine": mine})
    state = phone.request("GET", f"{room.api}/state?{query}", headers={"Cookie": cookies})
    _no_5xx(state, "state")
    assert state.status == 200
    query = urllib.parse.urlencode({"sent": sent, "reviewed": reviewed, "saved": mine})
    page = phone.request("GET", f"{room.page}?{query}", headers={"Cookie": cookies})
    _no_5xx(page, "page")
    assert page.status == 200


@FUZZ
@given(code=st.text(max_size=80))
def test_home_with_any_join_code_answers_a_page_or_a_redirect(room: Joining, code: str) -> None:
    reply = room.phone().get("/?" + urllib.parse.urlencode({"code": code}))
    _no_5xx(reply, "home")
    assert reply.status in (200, 303, 404)
    if reply.status == 303:
        assert reply.headers["Location"] == room.page


@FUZZ
@given(token=st.text(max_size=40), query=st.text(max_size=40))
def test_events_with_any_token_or_query_answer_without_breaking(room: Joining, token: str,
                                                                query: str) -> None:
    path = "/api/j/" + urllib.parse.quote(token, safe="") + "/events?" + \
        urllib.parse.urlencode({"q": query})
    conn = http.client.HTTPConnection("127.0.0.1", room.server.port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status < 500
        assert response.getheader("Content-Security-Policy") == join_server.CSP
    finally:
        conn.close()


@FUZZ
@given(path=st.text(max_size=60), method=st.sampled_from(["GET", "POST", "PUT", "DELETE",
                                                            "PATCH", "OPTIONS", "HEAD"]))
def test_any_path_and_method_answer_without_breaking(room: Joining, path: str,
                                                     method: str) -> None:
    quoted = "/" + urllib.parse.quote(path, safe="/%?=&")
    reply = room.phone().request(method, quoted)
    assert reply.status < 500, (quoted, reply.status)
    assert reply.headers.get("X-Content-Type-Options") == "nosniff"


@FUZZ
@given(name=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e,
                                           exclude_characters=":"), min_size=1, max_size=30),
       value=st.binary(max_size=200), line=st.binary(max_size=120))
def test_raw_requests_with_any_header_bytes_never_get_a_5xx(room: Joining, name: str,
                                                           value: bytes, line: bytes) -> None:
    value = value.replace(b"\r", b"").replace(b"\n", b"")
    request = (f"GET {room.page} HTTP/1.1\r\nHost: x\r\n".encode() + name.encode() + b": " +
               value + b"\r\nConnection: close\r\n\r\n")
    answer = _raw(room.server.port, request)
    status = _status_of(answer)
    assert status is not None and status < 500 and _hardened(answer)
    garbage = _raw(room.server.port, line + b"\r\nConnection: close\r\n\r\n", timeout=0.3)
    garbage_status = _status_of(garbage)
    assert garbage_status is None or (garbage_status < 500 and _hardened(garbage))


TRICKY = ["\u00b2", "\u0663", "\uff11", "1" * 40, str(10**30), "-1", "1e3", " 7 ", "\ud800",
          "0x10", "\x00", "\u202e1"]
"""Digits Python's isdigit() accepts but int() refuses, huge numbers, surrogates, NULs."""


@pytest.mark.parametrize("tricky", TRICKY)
def test_tricky_numbers_and_characters_anywhere_are_refused_plainly(room: Joining,
                                                                    tricky: str) -> None:
    phone = room.phone()
    phone.get(room.page)
    quoted = urllib.parse.quote(tricky, safe="", encoding="utf-8",
                                  errors="surrogatepass")
    for path in (f"{room.api}/state?mine={quoted}", f"{room.api}/state?mine=1,{quoted},2",
                 f"{room.page}?sent={quoted}", f"{room.page}?reviewed={quoted}",
                 f"/?code={quoted}"):
        _no_5xx(phone.get(path), path)
    cookie = {"Cookie": f"wk_mine=1:{quoted}:abc; wk_device={quoted}"}
    _no_5xx(phone.request("GET", room.page, headers=cookie), "mine cookie")
    _no_5xx(phone.request("GET", f"{room.api}/state", headers=cookie), "mine cookie")
    as_number: object = int(tricky) if tricky.strip().lstrip("-").isascii() and \
        tricky.strip().lstrip("-").isdigit() else tricky
    for value in (tricky, as_number):
        for path, body in ((f"{room.api}/votes", {"postit_id": value}),
                           (f"{room.api}/votes/withdraw", {"postit_id": value}),
                           (f"{room.api}/reviews", {"principle_id": value, "verdict": "agree"}),
                           (f"{room.api}/values", {"name": "Ana", "organisation": value,
                                                   "budget": "Grants"}),
                           (f"{room.api}/postits", {"text": value, "column": "shared"})):
            reply = phone.request("POST", path, body=json.dumps(body).encode(),
                                  headers={"Content-Type": "application/json"})
            _no_5xx(reply, f"{path} {body}")
            if reply.status == 201 and path.endswith("postits"):
                answer = reply.json()
                assert room.store.get_postit(answer["id"]).text == answer["text"]
    def form(path: str, fields: dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(fields, encoding="utf-8", errors="surrogatepass")
        return phone.request("POST", path, body=body.encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})

    for fields in ({"vote": tricky}, {"withdraw": tricky},
                   {"text": tricky, "column": "civic"}):
        _no_5xx(form(room.page, fields), f"form {fields}")
    _no_5xx(form(f"{room.page}/reviews", {"principle_id": tricky, "verdict": "agree"}),
            "review form")
    _no_5xx(form(f"{room.page}/values", {"name": "Ana", "organisation": tricky,
                                         "budget": "x"}), "values form")


# --------------------------------------------------------------------------- the import path


@IMPORTS
@given(data=st.binary(max_size=2048))
def test_importing_any_bytes_is_refused_with_a_store_error(tmp_path_factory: pytest.TempPathFactory,
                                                          data: bytes) -> None:
    folder = tmp_path_factory.mktemp("import")
    library = Store(folder / "library.db")
    try:
        source = folder / "any.workshop"
        source.write_bytes(data)
        with pytest.raises(StoreError):
            library.import_workshop(source)
        assert source.read_bytes() == data  # the file is never changed
        assert library.list_workshops() == []
        assert library.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        library.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("export")
    store = Store(folder / "library.db")
    workshop = store.create_workshop("To be damaged")
    for n in range(20):
        store.add_postit(workshop.id, Column.SHARED, f"Post-it number {n}")
    path = store.export_workshop(workshop.id, folder / "good.workshop")
    store.close()
    return path.read_bytes()


@IMPORTS
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)),
                      min_size=1, max_size=8),
       cut=st.none() | st.integers(min_value=0))
def test_a_damaged_workshop_file_is_refused_or_imported_whole(
        tmp_path_factory: pytest.TempPathFactory, exported: bytes,
        flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(exported)
    for offset, byte in flips:
        data[offset % len(data)] = byte
    if cut is not None:
        data = data[:cut % len(data)]
    folder = tmp_path_factory.mktemp("damaged")
    library = Store(folder / "library.db")
    try:
        source = folder / "damaged.workshop"
        source.write_bytes(bytes(data))
        try:
            imported = library.import_workshop(source)
        except StoreError:
            assert library.list_workshops() == []
        else:
            for workshop in imported:
                for postit in library.list_postits(workshop.id):
                    assert postit.text == clean_text(postit.text, what="A post-it",
                                                     max_chars=10_000)
        assert source.read_bytes() == bytes(data)
        assert library.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        library.close()


# --------------------------------------------------------------------------- access


def test_the_server_answers_only_on_the_chosen_address_and_port(joining: Joining) -> None:
    port = joining.server.port
    assert joining.phone().get("/healthz").status == 200
    for other in ("127.0.0.2", "::1"):
        family = socket.AF_INET6 if ":" in other else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            with pytest.raises(OSError):
                sock.connect((other, port))


@pytest.mark.parametrize("path", [
    "/static/", "/static", "/static/..%2f..%2fetc%2fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%252f..%252fetc%252fpasswd", "/static/....//....//etc/passwd",
    "/static/%c0%ae%c0%ae%c0%afetc%c0%afpasswd", "/static/phone.css%00.html",
    "/static/..\\..\\workshopkit\\store.py", "/static/../join/server.py", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/phone.css/..%2f..%2f..%2fpyproject.toml",
    "/j/../../../etc/passwd", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
])
def test_no_directory_listing_or_path_traversal(joining: Joining, path: str) -> None:
    raw = _raw(joining.server.port,
               f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    status = _status_of(raw)
    assert status is not None and status in (400, 404), (path, raw[:200])
    assert b"root:" not in raw and b"Index of" not in raw and b"import " not in raw
    assert b"phone.js" not in raw.partition(b"\r\n\r\n")[2] or status == 404


def test_static_files_are_only_the_two_known_ones(joining: Joining) -> None:
    phone = joining.phone()
    assert phone.get("/static/phone.css").status == 200
    assert phone.get("/static/phone.js").status == 200
    for name in ("phone.html", "message.html", "home.html", "..", ".", "PHONE.CSS"):
        assert phone.get("/static/" + urllib.parse.quote(name, safe="")).status == 404


def test_phones_have_no_route_to_change_delete_or_read_others_items(joining: Joining) -> None:
    """The whole route table: only these exist, so a new write route must be thought about."""
    from workshopkit.join.server import create_app
    from workshopkit.paths import templates_dir

    app = create_app(joining.store.path, is_open=lambda _wid: True, on_change=None,
                     limits=ROOMY, templates_dir=templates_dir())
    routes = {(route.method, route.resource.canonical) for route in app.router.routes()
              if route.method != "HEAD"}
    assert routes == {
        ("GET", "/"), ("GET", "/healthz"), ("GET", "/favicon.ico"), ("GET", "/static/{name}"),
        ("GET", "/j/{token}"), ("POST", "/j/{token}"),
        ("GET", "/j/{token}/values"), ("POST", "/j/{token}/values"),
        ("GET", "/api/j/{token}/values"), ("POST", "/api/j/{token}/values"),
        ("GET", "/j/{token}/reviews"), ("POST", "/j/{token}/reviews"),
        ("POST", "/api/j/{token}/reviews"), ("POST", "/api/j/{token}/postits"),
        ("GET", "/api/j/{token}/state"), ("GET", "/api/j/{token}/events"),
        ("POST", "/api/j/{token}/votes"), ("POST", "/api/j/{token}/votes/withdraw"),
    }
    phone = joining.phone()
    added = phone.post_json(f"{joining.api}/postits", {"text": "Mine", "column": "shared"})
    postit_id = added.json()["id"]
    for method in ("PUT", "DELETE", "PATCH"):
        for path in (f"{joining.api}/postits", f"{joining.api}/postits/{postit_id}",
                     f"{joining.api}/votes", joining.page):
            assert phone.request(method, path).status in (404, 405), (method, path)
    assert joining.store.get_postit(postit_id).text == "Mine"


def test_another_phone_cannot_take_back_my_votes(joining: Joining) -> None:
    joining.store.open_voting(joining.workshop.id, budget=3)
    joining.server.notify()
    postit = joining.store.add_postit(joining.workshop.id, Column.SHARED, "Vote for me")
    mine, theirs = joining.phone(), joining.phone()
    mine.get(joining.page)
    theirs.get(joining.page)
    assert mine.post_json(f"{joining.api}/votes", {"postit_id": postit.id}).status == 201
    withdraw = theirs.post_json(f"{joining.api}/votes/withdraw", {"postit_id": postit.id})
    assert withdraw.status < 500
    assert joining.store.vote_tallies(joining.workshop.id) == {postit.id: 1}
    # a forged device cookie that is not the real one votes as a new device, not as mine
    forged = joining.phone()
    reply = forged.request("POST", f"{joining.api}/votes/withdraw",
                           body=json.dumps({"postit_id": postit.id}).encode(),
                           headers={"Content-Type": "application/json",
                                    "Cookie": "wk_device=" + "A" * 24})
    assert reply.status < 500
    assert joining.store.vote_tallies(joining.workshop.id) == {postit.id: 1}


def test_pending_held_and_hidden_texts_never_reach_any_phone_route(joining: Joining) -> None:
    wid = joining.workshop.id
    store = joining.store
    secrets_ = {status: f"secret-{status.value}-text" for status in
                (Status.PENDING, Status.HELD, Status.HIDDEN)}
    ids = []
    for status, text in secrets_.items():
        postit = store.add_postit(wid, Column.CIVIC, text)
        store.set_status([postit.id], status)
        ids.append(postit.id)
    joining.server.notify()
    phone = joining.phone()
    mine = ",".join(str(i) for i in ids)
    pages = [phone.get(path) for path in (
        joining.page, f"{joining.page}?sent={ids[0]}", f"{joining.api}/state?mine={mine}",
        f"{joining.api}/values", "/", f"/?code={joining.token}")]
    events = _raw(joining.server.port,
                  f"GET {joining.api}/events HTTP/1.1\r\nHost: x\r\n\r\n".encode(), timeout=0.5)
    for text in secrets_.values():
        for page in pages:
            assert text not in page.body.decode(), page
        assert text.encode() not in events


def test_tokens_are_compared_in_constant_time(joining: Joining) -> None:
    """Every token or signed cookie check goes through hmac.compare_digest."""
    source = inspect.getsource(join_server.JoinHub.resolve)
    assert "workshop_for_token" not in source and "_match_token" in source
    assert "compare_digest" in inspect.getsource(join_server._match_token)
    assert "compare_digest" in inspect.getsource(join_server.JoinHub.read_mine)
    token = joining.token
    near = token[:-1] + ("a" if token[-1] != "a" else "b")
    phone = joining.phone()
    assert phone.get(f"/j/{near}").status == 404
    assert phone.get(f"/j/{token[:-1]}").status == 404
    assert phone.get(f"/j/{token}x").status == 404
    assert phone.get(joining.page).status == 200
    rotated = joining.store.rotate_join_token(joining.workshop.id).token
    joining.server.notify()
    assert phone.get(f"/j/{token}").status == 404
    assert phone.get(f"/j/{rotated}").status == 200


# --------------------------------------------------------------------------- headers


def test_every_kind_of_response_carries_the_security_headers(joining: Joining) -> None:
    phone = joining.phone()
    replies = {
        "page": phone.get(joining.page), "state": phone.get(f"{joining.api}/state"),
        "home": phone.get("/"), "static": phone.get("/static/phone.js"),
        "health": phone.get("/healthz"), "404": phone.get("/nothing"),
        "wrong token": phone.get("/j/aaaaaaaaaaaaa"),
        "405": phone.request("DELETE", joining.page),
        "413": phone.request("POST", f"{joining.api}/postits", body=b"x" * 20_000,
                             headers={"Content-Type": "application/json"}),
        "422": phone.post_json(f"{joining.api}/postits", b"not json"),
        "303": phone.post_form(joining.page, {"text": "Hi", "column": "shared"}),
        "favicon": phone.get("/favicon.ico"),
    }
    for what, reply in replies.items():
        for name, value in REQUIRED_HEADERS.items():
            assert reply.headers.get(name) == value, (what, name)
        assert reply.headers.get("Server") == "workshopkit", what
    for what in ("page", "state", "303", "wrong token"):
        assert replies[what].headers.get("Cache-Control") == "no-store", what
    csp = join_server.CSP
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    events = _raw(joining.server.port,
                  f"GET {joining.api}/events HTTP/1.1\r\nHost: x\r\n\r\n".encode(), timeout=0.5)
    head = events.partition(b"\r\n\r\n")[0].decode("latin-1")
    assert "Content-Security-Policy: " + csp in head and "Cache-Control: no-store" in head


# --------------------------------------------------------------------------- limits


def test_body_and_header_size_limits(joining: Joining) -> None:
    port = joining.server.port
    big = joining.phone().request("POST", f"{joining.api}/postits", body=b"{" * 17_000,
                                  headers={"Content-Type": "application/json"})
    assert big.status == 413
    # a body bigger than announced, or sent chunked without a length, is cut at the limit too
    chunk = b"x" * 20_000
    chunked = (f"POST {joining.api}/postits HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
               "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode() + \
        f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
    assert _status_of(_raw(port, chunked)) == 413
    long_line = (f"GET {joining.page} HTTP/1.1\r\nHost: x\r\nX-Long: {'a' * 10_000}\r\n"
                 "Connection: close\r\n\r\n").encode()
    many = (f"GET {joining.page} HTTP/1.1\r\nHost: x\r\n" +
            "".join(f"X-{n}: y\r\n" for n in range(200)) + "Connection: close\r\n\r\n").encode()
    long_url = f"GET /{'a' * 10_000} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    for request in (long_line, many, long_url, b"GARBAGE <script>\r\n\r\n"):
        answer = _raw(port, request)
        assert _status_of(answer) in (400, 414, 431), answer[:200]
        assert _hardened(answer), answer[:400]
        assert b"aaaa" not in answer and b"<script>" not in answer  # the request is not echoed
    assert joining.phone().get(joining.page).status == 200  # still serving


TIGHT = Limits(post_burst=1000, post_refill_per_s=100.0, request_burst=1000,
               request_refill_per_s=100.0, header_timeout_s=1.0, body_timeout_s=1.0,
               max_connections_per_client=6)


@pytest.fixture
def tight(store: Store) -> Iterator[Joining]:
    j = start_joining(store, limits=TIGHT)
    yield j
    j.server.stop()


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closed the connection within ``seconds``, and what it sent."""
    sock.settimeout(seconds)
    received = b""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            chunk = sock.recv(4096)
            if not chunk:
                return True, received
            received += chunk
    except TimeoutError:
        return False, received
    except ConnectionResetError:
        return True, received
    return False, received


def test_too_many_connections_from_one_address_are_closed(tight: Joining) -> None:
    port = tight.server.port
    held = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(6)]
    try:
        time.sleep(0.1)
        extra = socket.create_connection(("127.0.0.1", port), timeout=2)
        with extra:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            closed, received = _closed_within(extra, 2.0)
            assert closed and received == b""
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert tight.phone().get("/healthz").status == 200  # freed connections count again


def test_slow_clients_time_out_without_holding_up_the_room(tight: Joining) -> None:
    port = tight.server.port
    idle = socket.create_connection(("127.0.0.1", port), timeout=3)
    dribbling = socket.create_connection(("127.0.0.1", port), timeout=3)
    half_body = socket.create_connection(("127.0.0.1", port), timeout=3)
    stop = threading.Event()

    def dribble() -> None:
        for byte in f"GET {tight.page} HTTP/1.1\r\nHost: x\r\nX-Slow: ".encode() + b"y" * 100:
            if stop.is_set():
                return
            try:
                dribbling.sendall(bytes([byte]))
            except OSError:
                return
            time.sleep(0.05)

    worker = threading.Thread(target=dribble)
    try:
        worker.start()
        half_body.sendall(f"POST {tight.api}/postits HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          "application/json\r\nContent-Length: 100\r\n\r\n{\"text\": ".encode())
        # meanwhile everyone else is served at once
        started = time.monotonic()
        reply = tight.phone().post_json(f"{tight.api}/postits",
                                        {"text": "Still quick", "column": "shared"})
        assert reply.status == 201 and time.monotonic() - started < 0.5
        closed, received = _closed_within(half_body, 3.0)
        assert closed and _status_of(received) == 408
        assert json.loads(received.partition(b"\r\n\r\n")[2])["error"]
        assert _closed_within(idle, 3.0)[0]
        assert _closed_within(dribbling, 3.0)[0]
        assert [p.text for p in tight.store.list_postits(tight.workshop.id)] == ["Still quick"]
    finally:
        stop.set()
        worker.join()
        for sock in (idle, dribbling, half_body):
            sock.close()


def test_the_fuzzed_library_is_intact(room: Joining) -> None:
    """After every property test above, the phones' library passes SQLite's own check."""
    db = sqlite3.connect(room.store.path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()
