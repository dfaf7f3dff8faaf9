"""Killed mid-workshop: SIGKILL the real phone server and the real app, then check nothing
acknowledged was lost.

Server: ``python -m workshopkit serve`` runs in its own process on a temp library; several phones
(threads, each from its own loopback address so the per-device flood limits behave as in a room)
post post-its through the JSON API; at a seeded random moment the server is SIGKILLed, restarted
on the same library, and so on. Every post-it that got a 201 must be in the store with the text and
column it was acknowledged with; every stored post-it must be one a phone sent; and SQLite's
``PRAGMA integrity_check`` must say "ok" after every kill.

App: a script builds the real main window offscreen, opens a workshop and edits it through the undo
stack as the facilitator does (add, edit, and move as dragging does), printing ``begin`` before
and ``ok`` after each edit; it is SIGKILLed at a seeded random moment, the library is reopened and
every ``ok`` edit must be there (the one ``begin`` without an ``ok`` may or may not be).

The runners are plain functions so ``benchmarks/reliability.py`` reports the same figures.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ("universities", "shared", "civic")
START_TIMEOUT_S = 30.0
POSTS_PER_ADDRESS = 15  # under the default flood limit's burst of 20 posts per device
MAX_POSTS_PER_PHONE = 3000  # a bound on every loop; a kill comes long before it
JOIN_LINE = re.compile(r"^Join: http://127\.0\.0\.1:(\d+)/j/(\S+)$")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def integrity(db_path: Path) -> str:
    """SQLite's own verdict on the file, as a second program opening it would get it."""
    conn = sqlite3.connect(str(db_path))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _summary(results: list[str]) -> dict[str, Any]:
    """``PRAGMA integrity_check`` results: how many checks, how many said "ok", the others."""
    return {"checks": len(results), "ok": results.count("ok"),
            "problems": [r for r in results if r != "ok"]}


def _new_workshop(data_dir: Path, title: str) -> int:
    from workshopkit.store import Store

    store = Store.in_data_dir(data_dir)
    try:
        workshop = store.create_workshop(title)
        store.join_settings(workshop.id)
        return workshop.id
    finally:
        store.close()


# --------------------------------------------------------------------------- the phone server


@dataclass
class ServerReport:
    cycles: int = 0
    posts_sent: int = 0
    acknowledged: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (text, column)
    refused: int = 0  # answers other than 201 (e.g. 429 flood limit): not acknowledged, fine
    unanswered: int = 0  # in flight when the server died: not acknowledged
    server_errors: int = 0  # 5xx answers: never acceptable
    found: int = 0
    lost: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    strangers: list[int] = field(default_factory=list)  # stored but never sent by a phone
    integrity: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kill_cycles": self.cycles, "posts_sent": self.posts_sent,
                "posts_acknowledged": len(self.acknowledged), "posts_refused": self.refused,
                "posts_in_flight_at_kill": self.unanswered,
                "server_errors": self.server_errors, "found": self.found,
                "lost": len(self.lost), "changed": len(self.changed),
                "unexpected": len(self.strangers), "integrity": _summary(self.integrity)}


def _start_server(data_dir: Path, workshop_id: int
                  ) -> tuple[subprocess.Popen[str], threading.Thread, int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshopkit", "serve", str(workshop_id), "--host", "127.0.0.1",
         "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env(), cwd=ROOT)
    assert proc.stdout is not None
    found: list[tuple[int, str]] = []

    def read_join_line() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            match = JOIN_LINE.match(line.strip())
            if match:
                found.append((int(match.group(1)), match.group(2)))
                break
        # Keep draining (the server prints a line per phone update) so it never blocks.
        for _line in proc.stdout:
            pass

    reader = threading.Thread(target=read_join_line, daemon=True)
    reader.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not found:
        if proc.poll() is not None or time.monotonic() > deadline:
            _kill(proc, reader)
            raise AssertionError("workshopkit serve did not print its join link")
        time.sleep(0.01)
    port, token = found[0]
    return proc, reader, port, token


def _kill(proc: subprocess.Popen[str], *readers: threading.Thread) -> None:
    """SIGKILL: no handler runs, no buffer is flushed, as when the laptop's power cord goes."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _kill_done(proc, *readers)


def _kill_done(proc: subprocess.Popen[str], *readers: threading.Thread) -> None:
    for reader in readers:
        reader.join(10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _phone(port: int, token: str, addresses: str, seed: int, stop: threading.Event,
           acknowledged: threading.Event, lock: threading.Lock, report: ServerReport,
           sent: set[str]) -> None:
    """Post until the server dies (or ``stop``); a fresh source address every
    ``POSTS_PER_ADDRESS`` posts keeps under the per-device flood limit, as a room of phones does."""
    rng = random.Random(seed)
    conn: http.client.HTTPConnection | None = None
    for n in range(MAX_POSTS_PER_PHONE):
        if stop.is_set():
            break
        if n % POSTS_PER_ADDRESS == 0:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=5,
                source_address=(f"{addresses}.{n // POSTS_PER_ADDRESS + 2}", 0))
        assert conn is not None
        column = rng.choice(COLUMNS)
        text = (f"{addresses} #{n} {rng.choice(['Pay', 'Credit', 'Listen to', 'Share data with'])}"
                f" partners 🙂 <b>{rng.randrange(10**6)}</b>")
        body = json.dumps({"column": column, "text": text}).encode()
        with lock:
            sent.add(text)
            report.posts_sent += 1
        try:
            conn.request("POST", f"/api/j/{token}/postits", body=body,
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            with lock:
                report.unanswered += 1
            break  # the server died under us: this post was never acknowledged
        with lock:
            if response.status == 201:
                report.acknowledged[int(json.loads(answer)["id"])] = (text, column)
                acknowledged.set()
            elif response.status >= 500:
                report.server_errors += 1
            else:
                report.refused += 1
        time.sleep(rng.uniform(0.0, 0.01))
    if conn is not None:
        conn.close()


def run_server_kills(data_dir: Path, *, cycles: int = 4, phones: int = 6,
                     seed: int = 8) -> ServerReport:
    """Start, post from ``phones`` phones, SIGKILL at a random moment; ``cycles`` times."""
    rng = random.Random(seed)
    workshop_id = _new_workshop(data_dir, "Killed mid-workshop")
    db_path = data_dir / "workshopkit.db"
    report = ServerReport()
    sent: set[str] = set()
    lock = threading.Lock()
    for cycle in range(cycles):
        proc, reader, port, token = _start_server(data_dir, workshop_id)
        stop, acknowledged = threading.Event(), threading.Event()
        threads = [threading.Thread(
            target=_phone, daemon=True,
            args=(port, token, f"127.{cycle + 1}.{i + 2}", rng.randrange(2**32), stop,
                  acknowledged, lock, report, sent)) for i in range(phones)]
        for thread in threads:
            thread.start()
        acknowledged.wait(START_TIMEOUT_S)  # the room is posting: now kill at a random moment
        time.sleep(rng.uniform(0.05, 0.5))
        _kill(proc, reader)
        stop.set()
        for thread in threads:
            thread.join(10)
        report.cycles += 1
        report.integrity.append(integrity(db_path))

    from workshopkit.store import Store

    store = Store.in_data_dir(data_dir)
    try:
        for postit_id, (text, column) in sorted(report.acknowledged.items()):
            try:
                stored = store.get_postit(postit_id)
            except Exception:  # noqa: BLE001 - NotFoundError: lost
                report.lost.append(postit_id)
                continue
            if stored.text != text or stored.column.value != column \
                    or stored.workshop_id != workshop_id:
                report.changed.append(postit_id)
            else:
                report.found += 1
        rows = store.db.execute("SELECT id, text FROM postits WHERE workshop_id = ?",
                                [workshop_id]).fetchall()
        report.strangers = [row[0] for row in rows if row[1] not in sent]
    finally:
        store.close()
    report.integrity.append(integrity(db_path))
    return report


# --------------------------------------------------------------------------- the app

GUI_SCRIPT = r"""
import json, random, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from workshopkit.app import build_main_window
from workshopkit.model import Column
from workshopkit.store import Store
from workshopkit.ui.board import DropTarget
from workshopkit.ui.commands import AddPostItCommand, EditPostItCommand

data_dir, workshop_id, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
app = QApplication([])
store = Store.in_data_dir(data_dir)
window = build_main_window(store, data_dir / "window.ini")
window.resize(1280, 800)
window.show()
assert window.open_workshop(workshop_id)
board = window.board
rng = random.Random(seed)
columns = list(Column)
ids = [p.id for p in store.list_postits(workshop_id)]
n = 0

def say(*words):
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()

say("ready")
while True:
    n += 1
    kind = rng.choice(("add", "edit", "move", "move")) if ids else "add"
    if kind == "add":
        column, text = rng.choice(columns), f"Facilitator note {seed}-{n} 🙂 <i>plain</i>"
        say("begin", json.dumps({"op": "add", "column": column.value, "text": text}))
        command = AddPostItCommand(store, workshop_id, column, text)
        window.undo_stack.push(command)
        assert command.postit is not None, command.error
        ids.append(command.postit.id)
        say("ok", json.dumps({"op": "add", "id": command.postit.id,
                                            "column": column.value, "text": text}))
    elif kind == "edit":
        postit_id, text = rng.choice(ids), f"Edited {seed}-{n}: pay partners fairly"
        say("begin", json.dumps({"op": "edit", "id": postit_id, "text": text}))
        command = EditPostItCommand(store, postit_id, text)
        window.undo_stack.push(command)
        assert command.error is None, command.error
        say("ok", json.dumps({"op": "edit", "id": postit_id, "text": text}))
    else:
        postit_id = rng.choice(ids)
        current = store.get_postit(postit_id).column
        column = rng.choice([c for c in columns if c != current])
        say("begin", json.dumps({"op": "move", "id": postit_id,
                                               "column": column.value}))
        assert board.move_postits([postit_id], DropTarget(column, None, None))
        say("ok", json.dumps({"op": "move", "id": postit_id,
                                            "column": column.value}))
    app.processEvents()
"""


@dataclass
class AppReport:
    cycles: int = 0
    edits_acknowledged: int = 0
    found: int = 0  # post-its whose text and column are those of the last acknowledged edit
    lost: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kill_cycles": self.cycles, "edits_acknowledged": self.edits_acknowledged,
                "postits_checked_and_found": self.found, "lost": len(self.lost),
                "integrity": _summary(self.integrity)}


def _apply(state: dict[int, dict[str, str]], op: dict[str, Any]) -> None:
    if op["op"] == "add":
        state[op["id"]] = {"text": op["text"], "column": op["column"]}
    elif op["op"] == "edit":
        state[op["id"]]["text"] = op["text"]
    else:
        state[op["id"]]["column"] = op["column"]


def _stored(data_dir: Path, workshop_id: int) -> dict[int, dict[str, str]]:
    from workshopkit.store import Store

    store = Store.in_data_dir(data_dir)
    try:
        return {p.id: {"text": p.text, "column": p.column.value}
                for p in store.list_postits(workshop_id)}
    finally:
        store.close()


def run_app_kills(data_dir: Path, *, cycles: int = 3, seed: int = 8) -> AppReport:
    """The app edits through its undo stack; SIGKILL it at a random moment; ``cycles`` times."""
    rng = random.Random(seed)
    workshop_id = _new_workshop(data_dir, "Facilitator killed mid-drag")
    db_path = data_dir / "workshopkit.db"
    report = AppReport()
    expected: dict[int, dict[str, str]] = {}
    for cycle in range(cycles):
        proc = subprocess.Popen(
            [sys.executable, "-c", GUI_SCRIPT, str(data_dir), str(workshop_id),
             str(seed * 100 + cycle)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
        assert proc.stdout is not None and proc.stderr is not None
        lines: list[str] = []
        ready = threading.Event()

        def read(stream: Any = proc.stdout, lines: list[str] = lines,
                 ready: threading.Event = ready) -> None:
            for line in stream:
                lines.append(line.rstrip("\n"))
                if line.startswith("ok "):
                    ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if not ready.wait(START_TIMEOUT_S):
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            error = proc.stderr.read()
            _kill_done(proc, reader)
            raise AssertionError(f"the app made no edit: {error[-2000:]}")
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        error = proc.stderr.read()
        _kill_done(proc, reader)
        assert proc.returncode == -signal.SIGKILL, f"the app stopped by itself: {error[-2000:]}"
        report.cycles += 1
        report.integrity.append(integrity(db_path))

        in_flight: dict[str, Any] | None = None
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "begin":
                in_flight = json.loads(rest)
            elif word == "ok":
                _apply(expected, json.loads(rest))
                report.edits_acknowledged += 1
                in_flight = None
        stored = _stored(data_dir, workshop_id)
        # The edit under way when the app died may or may not have reached the disk.
        candidates = [expected]
        if in_flight is not None and in_flight["op"] != "add":
            with_it = {k: dict(v) for k, v in expected.items()}
            _apply(with_it, in_flight)
            candidates.append(with_it)
        match = next((c for c in candidates
                      if all(stored.get(k) == v for k, v in c.items())), None)
        if match is None:
            report.lost.extend(f"{k}: {v} != {stored.get(k)}" for k, v in expected.items()
                               if stored.get(k) != v)
        else:
            expected = match
        if in_flight is not None and in_flight["op"] == "add":
            # An add that reached the disk but not the log: adopt it, it is a real post-it.
            for k, v in stored.items():
                if k not in expected and v == {"text": in_flight["text"],
                                               "column": in_flight["column"]}:
                    expected[k] = dict(v)
        strangers = set(stored) - set(expected)
        report.lost.extend(f"unexpected post-it {k}" for k in sorted(strangers))
    report.found = sum(1 for k, v in _stored(data_dir, workshop_id).items()
                       if expected.get(k) == v)
    report.integrity.append(integrity(db_path))
    return report


# --------------------------------------------------------------------------- the tests


def test_every_acknowledged_post_it_survives_the_server_being_killed(tmp_path: Path) -> None:
    report = run_server_kills(tmp_path / "library")
    assert report.cycles == 4
    assert len(report.acknowledged) >= report.cycles, report.as_dict()  # phones really posted
    assert report.unanswered >= 1, report.as_dict()  # and the kills landed mid-traffic
    assert report.server_errors == 0
    assert report.lost == [] and report.changed == [] and report.strangers == []
    assert report.found == len(report.acknowledged)
    assert report.integrity == ["ok"] * (report.cycles + 1)


def test_every_acknowledged_edit_survives_the_app_being_killed(tmp_path: Path) -> None:
    report = run_app_kills(tmp_path / "library")
    assert report.cycles == 3
    assert report.edits_acknowledged >= 3, report.as_dict()
    assert report.lost == []
    assert report.found >= 1
    assert report.integrity == ["ok"] * (report.cycles + 1)
