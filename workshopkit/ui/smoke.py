"""``workshopkit smoke``: the whole app once, offscreen, in a throwaway data folder.

Run after every installer build (the frozen ``dist/workshopkit/workshopkit smoke``) and from
source: a missing module, asset, template or Qt plugin shows up as a named failing step, not
on a facilitator's laptop. Like app.py this is a composition root, so it may use Qt; it
imports Qt only once the platform has been forced to ``offscreen``.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SMOKE_NOTE = "Smoke test: a note from a phone"
MIN_PDF_BYTES = 2000
"""A principles PDF of the demo workshop is tens of kB; anything this small is broken."""
WAIT_S = 10.0


class SmokeFailure(Exception):
    """A step did not do what it should; ``str()`` says what was seen."""


@dataclass
class Smoke:
    """State shared by the steps, so each step stays a small function and shutdown always runs."""

    pdf_path: Path | None = None
    folder: Path | None = None
    store: Any = None
    workshop_id: int | None = None
    app: Any = None
    window: Any = None
    controller: Any = None
    url: str = ""
    note_id: int | None = None
    seen_by_window: list[Any] = field(default_factory=list)

    # ----------------------------------------------------------------- steps

    def data_folder(self) -> str:
        self.folder = Path(tempfile.mkdtemp(prefix="workshopkit-smoke-"))
        os.environ["WORKSHOPKIT_DATA_DIR"] = str(self.folder)  # nothing touches the real library
        return f"temporary data folder {self.folder}"

    def demo_workshop(self) -> str:
        from workshopkit.exercises.demo import create_demo_workshop
        from workshopkit.store import Store

        assert self.folder is not None
        self.store = Store.in_data_dir(self.folder)
        workshop = create_demo_workshop(self.store)
        self.workshop_id = workshop.id
        return f"demo workshop {workshop.id} '{workshop.title}'"

    def main_window(self) -> str:
        from PySide6.QtWidgets import QApplication

        from workshopkit import APP_NAME, __version__
        from workshopkit.app import FirstPaintWatcher, app_icon, build_main_window

        assert self.folder is not None and self.workshop_id is not None
        existing = QApplication.instance()
        self.app = existing if isinstance(existing, QApplication) else QApplication(
            [sys.argv[0]])
        self.app.setApplicationName(APP_NAME)
        self.app.setApplicationVersion(__version__)
        icon = app_icon()
        if icon.isNull():
            raise SmokeFailure("the app icon (assets/workshopkit.png) did not load")
        self.app.setWindowIcon(icon)
        self.window = build_main_window(self.store, self.folder / "window.ini")
        painted: list[bool] = []
        FirstPaintWatcher(self.window, lambda: painted.append(True))
        self.window.resize(1280, 800)
        self.window.show()
        _wait(self.app, lambda: bool(painted), "the main window never painted")
        if not self.window.open_workshop(self.workshop_id):
            raise SmokeFailure("the main window could not open the demo workshop")
        _wait(self.app, lambda: True, "")  # let the workshop's first frame paint
        return (f"main window shown on {self.app.platformName()} with workshop "
                f"{self.workshop_id} open")

    def join_server(self) -> str:
        from workshopkit.ui.join_controller import JoinController

        assert self.workshop_id is not None
        self.window.bridge.changed.connect(self.seen_by_window.append)
        self.controller = JoinController(self.store, self.window.bridge, self.window, port=0)
        errors: list[str] = []
        self.controller.error_shown.connect(errors.append)
        if not self.controller.open_joining(self.workshop_id, "127.0.0.1"):
            raise SmokeFailure(errors[0] if errors else "joining did not open")
        self.url = self.controller.url
        return f"join server on {self.url}"

    def phone_page(self) -> str:
        """The page a phone opens first: proves the templates and static files are bundled."""
        status, body = _Phone().get(self.url)
        if status != 200 or b"<html" not in body.lower():
            raise SmokeFailure(f"the phone page answered {status}: {body[:200]!r}")
        return f"phone page served ({len(body)} bytes)"

    def post_note(self) -> str:
        api = self.url.replace("/j/", "/api/j/", 1)
        phone = _Phone()
        status, body = phone.get(f"{api}/state")
        if status != 200:
            raise SmokeFailure(f"GET state answered {status}: {body[:200]!r}")
        if phone.cookie("wk_device") is None:
            raise SmokeFailure("GET state set no wk_device cookie")
        status, body = phone.post_json(f"{api}/postits", {"text": SMOKE_NOTE,
                                                          "column": "shared"})
        if status != 201:
            raise SmokeFailure(f"POST postits answered {status}: {body[:200]!r}")
        self.note_id = int(json.loads(body)["id"])
        return f"phone posted note {self.note_id} over HTTP"

    def note_in_store(self) -> str:
        from workshopkit.model import ChangeKind, Column

        assert self.workshop_id is not None
        notes = [p for p in self.store.list_postits(self.workshop_id, Column.SHARED)
                 if p.id == self.note_id]
        if not notes or notes[0].text != SMOKE_NOTE:
            raise SmokeFailure(f"note {self.note_id} is not in the store's shared column")
        _wait(self.app, lambda: any(c.kind == ChangeKind.POSTITS and self.note_id in c.ids
                                    for c in self.seen_by_window),
              "the window was never told about the phone's note")
        return f"note {self.note_id} is in the store and the window heard of it"

    def principles_pdf(self) -> str:
        from workshopkit.export.principles_pdf import write_principles_pdf

        assert self.folder is not None and self.workshop_id is not None
        target = self.pdf_path or self.folder / "principles.pdf"
        path = write_principles_pdf(self.store, self.workshop_id, target)  # StoreError: a sentence
        data = path.read_bytes()
        if not data.startswith(b"%PDF") or len(data) < MIN_PDF_BYTES:
            raise SmokeFailure(f"{path} is not a real PDF ({len(data)} bytes)")
        return f"principles PDF {path} ({len(data)} bytes)"

    def shutdown(self) -> str:
        import threading

        self.close()
        left = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        if left:
            raise SmokeFailure(f"threads still running: {', '.join(left)}")
        return "window closed, join server stopped, temporary folder removed"

    # ----------------------------------------------------------------- cleanup

    def close(self) -> None:
        """Idempotent: also runs after a failed step, so nothing is left behind."""
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.shutdown()
        window, self.window = self.window, None
        if window is not None:
            if window.join_controller is not None:
                window.join_controller.shutdown()
            window.close()
            window.deleteLater()
            if self.app is not None:
                self.app.processEvents()
        store, self.store = self.store, None
        if store is not None:
            store.close()
        folder, self.folder = self.folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


STEPS: tuple[tuple[str, Callable[[Smoke], str]], ...] = (
    ("data-folder", Smoke.data_folder),
    ("demo-workshop", Smoke.demo_workshop),
    ("main-window", Smoke.main_window),
    ("join-server", Smoke.join_server),
    ("phone-page", Smoke.phone_page),
    ("post-note", Smoke.post_note),
    ("note-in-store", Smoke.note_in_store),
    ("principles-pdf", Smoke.principles_pdf),
    ("shutdown", Smoke.shutdown),
)
STEP_NAMES = tuple(name for name, _ in STEPS)


def run(pdf_path: str | None = None) -> int:
    """Run every step in order; 0 when all passed, else 1 after naming the failing step."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt
    smoke = Smoke(pdf_path=Path(pdf_path).expanduser() if pdf_path else None)
    try:
        for name, step in STEPS:
            try:
                said = step(smoke)
            except Exception as exc:  # noqa: BLE001 (any failure is reported, by step)
                reason = str(exc) or type(exc).__name__
                print(f"smoke failed at step {name}: {reason}", file=sys.stderr, flush=True)
                return 1
            print(f"ok: {name}: {said}", flush=True)
    finally:
        smoke.close()
    return 0


def _wait(app: Any, condition: Callable[[], bool], failure: str) -> None:
    """Let Qt run (paint, deliver queued signals) until ``condition()`` or the deadline."""
    deadline = time.monotonic() + WAIT_S
    while True:
        app.processEvents()
        if condition():
            return
        if time.monotonic() > deadline:
            raise SmokeFailure(failure)
        time.sleep(0.01)


class _Phone:
    """One phone's browser: its own cookie jar, no proxies (the server is on 127.0.0.1)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                   urllib.request.HTTPCookieProcessor(self.jar))

    def _send(self, request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            with self._opener.open(request, timeout=WAIT_S) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def get(self, url: str) -> tuple[int, bytes]:
        return self._send(urllib.request.Request(url))

    def post_json(self, url: str, data: Any) -> tuple[int, bytes]:
        return self._send(urllib.request.Request(
            url, data=json.dumps(data).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json"}))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)
