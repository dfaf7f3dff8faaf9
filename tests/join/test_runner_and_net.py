"""The runner thread (ports, start and stop), LAN addresses, reachability, links and limits."""

from __future__ import annotations

import ipaddress
import socket
import threading

import pytest

from tests.join.helpers import Phone
from workshopkit.join.limits import RateLimiter, retry_after_header
from workshopkit.join.links import format_join_code, join_url, parse_join_code
from workshopkit.join.net import REACHABILITY_HELP, check_reachable, default_address, lan_addresses
from workshopkit.join.runner import JoinServer, JoinServerError
from workshopkit.store import Store


def test_join_urls_and_codes() -> None:
    assert join_url("192.168.1.20", 8765, "abcdefghjkmnp") == \
        "http://192.168.1.20:8765/j/abcdefghjkmnp"
    assert join_url("fd00::2", 8766, "abcdefghjkmnp") == "http://[fd00::2]:8766/j/abcdefghjkmnp"
    assert join_url("laptop.local", 80, "t") == "http://laptop.local:80/j/t"
    assert format_join_code("abcdefghjkmnp") == "abcd-efgh-jkmnp"
    for typed in ("abcd-efgh-jkmnp", "ABCD EFGH JKMNP", " abcdefghjkmnp ",
                  "http://10.0.0.2:8765/j/abcdefghjkmnp"):
        assert parse_join_code(typed) == "abcdefghjkmnp"
    assert parse_join_code("abc") is None
    assert parse_join_code("x' OR 1=1 --") is None


def test_the_server_falls_back_to_the_next_free_port(store: Store) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        server = JoinServer(store.path, host="127.0.0.1", port=busy)
        server.start()
        try:
            assert server.port != busy
            assert busy < server.port <= busy + 20
            assert Phone(f"http://127.0.0.1:{server.port}").get("/healthz").status == 200
        finally:
            server.stop()


def test_when_all_ports_are_taken_an_ephemeral_one_is_used(store: Store,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    from workshopkit.join import runner

    monkeypatch.setattr(runner, "PORT_TRIES", 1)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with JoinServer(store.path, host="127.0.0.1", port=busy) as server:
            assert server.port not in (busy, 0)
            assert check_reachable("127.0.0.1", server.port)


def test_start_and_stop_are_clean_and_stop_is_idempotent(store: Store) -> None:
    server = JoinServer(store.path, host="127.0.0.1", port=0)
    server.stop()  # before start: nothing to do
    before = {t.name for t in threading.enumerate()}
    server.start()
    port = server.port
    assert server.running and check_reachable("127.0.0.1", port)
    server.stop()
    server.stop()
    assert not server.running
    assert not check_reachable("127.0.0.1", port, timeout=0.5)
    with pytest.raises(JoinServerError):
        _ = server.port
    after = {t.name for t in threading.enumerate()}
    assert not {n for n in after - before if n.startswith("workshopkit-join")}
    server.start()  # can start again
    try:
        assert check_reachable("127.0.0.1", server.port)
    finally:
        server.stop()


def test_start_fails_with_a_plain_message(store: Store, tmp_path) -> None:
    with pytest.raises(JoinServerError, match="no network address 203.0.113.9"):
        JoinServer(store.path, host="203.0.113.9", port=0).start()  # bind only: no packet sent
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 20)
    with pytest.raises(JoinServerError, match="damaged"):
        JoinServer(damaged, host="127.0.0.1", port=0).start()


def test_notify_and_joining_calls_are_harmless_when_stopped(store: Store) -> None:
    server = JoinServer(store.path, host="127.0.0.1", port=0)
    server.open_workshop(1)
    server.notify()
    assert server.is_open(1) and server.visits(1) == 0
    server.close_workshop(1)
    assert not server.is_open(1)


def test_lan_addresses_put_ipv4_first_and_loopback_last() -> None:
    found = lan_addresses()
    assert found, "at least the loopback address"
    kinds = [(i.is_loopback, i.version) for i in found]
    assert kinds == sorted(kinds)
    assert any(i.address == "127.0.0.1" for i in found)
    for interface in found:
        assert not ipaddress.ip_address(interface.address).is_link_local
        assert interface.address in interface.label
    address = default_address()
    assert ipaddress.ip_address(address).version == 4


def test_reachability_check_and_help_text(store: Store) -> None:
    with JoinServer(store.path, host="127.0.0.1", port=0) as server:
        port = server.port
        assert check_reachable("127.0.0.1", port)
    assert not check_reachable("127.0.0.1", port, timeout=0.5)
    assert "hotspot" in REACHABILITY_HELP and "travel router" in REACHABILITY_HELP


def test_rate_limiter_buckets_refill_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 0.5, clock=lambda: now[0])
    assert [limiter.take("a"), limiter.take("a")] == [0.0, 0.0]
    wait = limiter.take("a")
    assert wait == pytest.approx(2.0)
    assert retry_after_header(wait) == "2"
    assert limiter.take("b") == 0.0  # another device has its own bucket
    now[0] = 2.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    with pytest.raises(ValueError):
        RateLimiter(0, 1.0)
