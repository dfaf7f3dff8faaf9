"""Runs the phone server in a worker thread with its own asyncio loop, so the GUI never blocks.

The app (or ``workshopkit serve``) makes a :class:`JoinServer`, calls :meth:`JoinServer.start`,
then opens joining per workshop. ``on_change`` is called on the server's DB thread after each
post-it or vote a phone commits; the app re-emits it as a Qt signal (queued to the GUI thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from workshopkit.join.limits import Limits
from workshopkit.join.links import DEFAULT_PORT, join_url
from workshopkit.model import Change

if TYPE_CHECKING:
    from aiohttp import web

    from workshopkit.join.server import JoinHub

PORT_TRIES = 21  # port, port+1 .. port+20, then any free port
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0

__all__ = ["DEFAULT_PORT", "JoinServer", "JoinServerError", "join_url"]


class JoinServerError(Exception):
    """The server could not start; ``str(error)`` is a plain sentence for the facilitator."""


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``: ``port``, the next 20 ports, or any free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    candidates = [port + i for i in range(PORT_TRIES) if port + i <= 65535] if port else []
    candidates.append(0)
    last_error: OSError | None = None
    for candidate in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            sock.bind((host, candidate))
            sock.listen(128)
            sock.setblocking(False)
            return sock
        except OSError as exc:
            sock.close()
            last_error = exc
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                continue
            break
    if last_error is not None and last_error.errno == errno.EADDRNOTAVAIL:
        raise JoinServerError(
            f"This laptop has no network address {host} any more (did the Wi-Fi change?). "
            "Choose another address and open joining again.")
    raise JoinServerError(
        f"The phone page could not start on {host}: {getattr(last_error, 'strerror', None) or last_error}.")


def _limit_connections(server: web.Server, limits: Limits) -> None:
    """Close a new connection at once when there are too many, in all or from one address.

    (aiohttp counts connections but sets no limit; this wraps the server's own bookkeeping.)
    """
    made, lost = server.connection_made, server.connection_lost
    address_of: dict[object, str] = {}
    per_client: dict[str, int] = {}

    def connection_made(handler: Any, transport: Any) -> None:
        made(handler, transport)
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else "unknown"
        address_of[handler] = address
        per_client[address] = per_client.get(address, 0) + 1
        if (len(address_of) > limits.max_connections
                or per_client[address] > limits.max_connections_per_client):
            transport.close()

    def connection_lost(handler: Any, exc: BaseException | None = None) -> None:
        address = address_of.pop(handler, None)
        if address is not None:
            count = per_client.get(address, 0) - 1
            if count > 0:
                per_client[address] = count
            else:
                per_client.pop(address, None)
        lost(handler, exc)

    server.connection_made = connection_made  # type: ignore[method-assign]
    server.connection_lost = connection_lost  # type: ignore[method-assign]


def _harden_error_pages(server: web.Server) -> None:
    """Requests aiohttp cannot even parse (bad bytes, a header too long) are answered by
    aiohttp itself, past our middleware: give those answers our security headers too, and a
    plain sentence instead of aiohttp's (which echoes the request back and names versions)."""
    from aiohttp import web
    from aiohttp.http_exceptions import HttpProcessingError
    from aiohttp.web_protocol import RequestHandler

    from workshopkit.join.server import SECURITY_HEADERS

    class HardenedHandler(RequestHandler):
        def log_exception(self, *args: Any, **kwargs: Any) -> None:
            # a phone (or a port scanner) sending bytes that are not HTTP is not our fault
            if isinstance(kwargs.get("exc_info"), HttpProcessingError):
                self.logger.debug(*args, **kwargs)
            else:
                super().log_exception(*args, **kwargs)

        def handle_error(self, request: Any, status: int = 500, exc: BaseException | None = None,
                         message: str | None = None) -> web.StreamResponse:
            original = super().handle_error(request, status, exc, message)
            response = web.Response(
                status=original.status, content_type="text/plain", charset="utf-8",
                text=f"{original.status} {original.reason}: the phone page could not read "
                     "this request.\n",
                headers={**SECURITY_HEADERS, "Server": "workshopkit"})
            response.force_close()
            return response

    class HardenedServer(web.Server):
        def __call__(self) -> RequestHandler:
            return HardenedHandler(self, loop=self._loop, **self._kwargs)

    server.__class__ = HardenedServer


class JoinServer:
    """The phone server for one workshop library, on a thread of its own."""

    def __init__(self, store_path: Path | str, *, host: str = "0.0.0.0",
                 port: int = DEFAULT_PORT, on_change: Callable[[Change], None] | None = None,
                 limits: Limits | None = None) -> None:
        self.store_path = Path(store_path)
        self.host = host
        self.requested_port = port
        self.on_change = on_change
        self.limits = limits or Limits()
        self._port: int | None = None
        self._open: set[int] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hub: JoinHub | None = None
        self._stopped: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # ----------------------------------------------------------------- state

    @property
    def port(self) -> int:
        if self._port is None:
            raise JoinServerError("The phone page is not running.")
        return self._port

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._port is not None

    def is_open(self, workshop_id: int) -> bool:
        with self._lock:
            return workshop_id in self._open

    def open_workshop(self, workshop_id: int) -> None:
        """Phones with this workshop's join link may now add post-its and vote."""
        with self._lock:
            self._open.add(workshop_id)
        self._call_soon(lambda hub: hub.joining_changed(workshop_id, True))

    def close_workshop(self, workshop_id: int) -> None:
        """Phones get 403 "Joining is closed"; their live pages are told at once."""
        with self._lock:
            self._open.discard(workshop_id)
        self._call_soon(lambda hub: hub.joining_changed(workshop_id, False))

    def notify(self, change: Change | None = None) -> None:
        """Tell phones something changed (the GUI's own edits). Safe from any thread."""
        self._call_soon(lambda hub: hub.changed(change))

    def visits(self, workshop_id: int) -> int:
        """How many phones (devices) have opened this workshop's page since the server started."""
        hub = self._hub
        return len(hub.visits.get(workshop_id, ())) if hub is not None else 0

    def url(self, address: str, token: str) -> str:
        return join_url(address, self.port, token)

    def _call_soon(self, fn: Callable[[JoinHub], None]) -> None:
        loop, hub = self._loop, self._hub
        if loop is None or hub is None:
            return
        with contextlib.suppress(RuntimeError):  # loop already closed: nothing to tell
            loop.call_soon_threadsafe(fn, hub)

    # ----------------------------------------------------------------- life cycle

    def start(self) -> None:
        """Listen, then return; raises :class:`JoinServerError` with a plain message."""
        if self.running:
            return
        self._ready.clear()
        self._error = None
        sock = _bind(self.host, self.requested_port)
        self._port = int(sock.getsockname()[1])
        self._thread = threading.Thread(target=self._run, args=(sock,),
                                        name="workshopkit-join", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            self.stop()
            raise JoinServerError("The phone page took too long to start.")
        if self._error is not None:
            error = self._error
            self._thread.join(STOP_TIMEOUT_S)
            self._thread = None
            self._port = None
            if isinstance(error, JoinServerError):
                raise error
            from workshopkit.store import StoreError

            if isinstance(error, StoreError):
                raise JoinServerError(str(error)) from error
            raise JoinServerError(f"The phone page could not start: {error}") from error

    def stop(self) -> None:
        """Stop serving and wait for the thread; safe to call twice or before start."""
        thread, loop, stopped = self._thread, self._loop, self._stopped
        if thread is None:
            return
        if loop is not None and stopped is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopped.set)
        thread.join(STOP_TIMEOUT_S)
        self._thread = None
        self._port = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(loop, sock))
        except BaseException as exc:  # reported to start(), or logged when already running
            if not self._ready.is_set():
                self._error = exc
                self._ready.set()
            else:
                import logging

                logging.getLogger("workshopkit.join").exception("the phone server stopped")
        finally:
            sock.close()
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            self._loop = None
            self._hub = None
            loop.close()

    async def _serve(self, loop: asyncio.AbstractEventLoop, sock: socket.socket) -> None:
        from aiohttp import web

        from workshopkit.join.server import create_app, hub_of

        app: web.Application = create_app(self.store_path, is_open=self.is_open,
                                          on_change=self.on_change, limits=self.limits)
        limits = self.limits
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0,
                               keepalive_timeout=limits.header_timeout_s,
                               # after a refusal, wait this long at most for the unread body
                               lingering_time=min(2.0, limits.body_timeout_s),
                               max_line_size=limits.max_header_line_bytes,
                               max_field_size=limits.max_header_line_bytes,
                               max_headers=limits.max_headers)
        await runner.setup()
        assert runner.server is not None
        _limit_connections(runner.server, limits)
        _harden_error_pages(runner.server)
        try:
            await web.SockSite(runner, sock).start()
            self._stopped = asyncio.Event()
            self._hub = hub_of(app)
            self._loop = loop
            self._ready.set()
            await self._stopped.wait()
        finally:
            await runner.cleanup()
