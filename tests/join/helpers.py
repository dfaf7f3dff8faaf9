"""A tiny phone: urllib with its own cookie jar (one per device), no proxies, no redirects."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workshopkit.join.limits import Limits

ROOMY = Limits(post_burst=1000, post_refill_per_s=100.0, request_burst=1000,
               request_refill_per_s=100.0)
"""Flood limits no test reaches, so tests can post as fast as they like."""


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Phone:
    """One device: keeps its cookies like a phone's browser does."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect())

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers=headers or {})
        try:
            with self._opener.open(req, timeout=10) as response:
                return Reply(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, error.read(), dict(error.headers))

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_json(self, path: str, data: Any) -> Reply:
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        return self.request("POST", path, body=body,
                            headers={"Content-Type": "application/json"})

    def post_form(self, path: str, fields: dict[str, str]) -> Reply:
        return self.request("POST", path, body=urllib.parse.urlencode(fields).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def cookie(self, name: str) -> str | None:
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        return None


class EventStream:
    """Reads server-sent events from a real connection, with a deadline."""

    def __init__(self, host: str, port: int, path: str) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=5)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.conn.getresponse()
        self.status = self.response.status

    def next_event(self, name: str, timeout: float = 5.0) -> dict[str, Any]:
        """The data of the next event called ``name`` (others are skipped)."""
        deadline = time.monotonic() + timeout
        event, data = "message", ""
        sock = self.response.fp.raw._sock  # type: ignore[union-attr]
        while time.monotonic() < deadline:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                line = self.response.fp.readline()
            except TimeoutError:
                break
            if not line:
                break
            text = line.decode("utf-8").rstrip("\r\n")
            if text.startswith("event:"):
                event = text[6:].strip()
            elif text.startswith("data:"):
                data += text[5:].strip()
            elif text == "":
                if event == name:
                    return json.loads(data or "{}")
                event, data = "message", ""
        raise AssertionError(f"no {name!r} event within {timeout} s")

    def close(self) -> None:
        self.response.close()
        self.conn.close()


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
