"""The composition root: refusing a bad library file, and a lean, wired-up start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshopkit.app import build_main_window, run_app
from workshopkit.store import DB_FILENAME, Store


class ErrorRecorder:
    """Stands in for the blocking QMessageBox.critical so a test can read what the user saw."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, title: str, message: str) -> None:
        self.calls.append((title, message))


def test_a_damaged_library_file_is_reported_and_left_untouched(data_dir: Path):
    data_dir.mkdir(parents=True)
    db = data_dir / DB_FILENAME
    original = b"not a database" + bytes(range(256)) * 8
    db.write_bytes(original)
    shown = ErrorRecorder()

    assert run_app(str(data_dir), show_error=shown) == 1

    (title, message), = shown.calls
    assert "workshopkit" in title
    assert "damaged" in message and str(db) in message
    assert db.read_bytes() == original
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]


def test_a_library_from_a_newer_version_is_refused_untouched(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("From the future")
        store.db.execute("PRAGMA user_version = 999")
    db = data_dir / DB_FILENAME
    before = db.read_bytes()
    shown = ErrorRecorder()

    assert run_app(str(data_dir), show_error=shown) == 1

    (_title, message), = shown.calls
    assert "newer version of workshopkit" in message
    assert db.read_bytes() == before


def test_quit_after_paint_runs_the_real_event_loop_and_exits_zero(
    qapp, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("WORKSHOPKIT_QUIT_AFTER_PAINT", "1")
    shown = ErrorRecorder()
    assert run_app(str(data_dir), show_error=shown) == 0
    assert shown.calls == []
    out = capsys.readouterr().out.split()
    assert out[0] == "painted" and float(out[1]) >= 0
    assert (data_dir / "window.ini").is_file()
    assert (data_dir / DB_FILENAME).is_file()


def test_the_window_owns_its_bridge_and_undo_stack(qtbot, store, tmp_path):
    window = build_main_window(store, tmp_path / "window.ini")
    qtbot.addWidget(window)
    assert window.bridge.parent() is window
    assert window.undo_stack.parent() is window
    assert window.board is None  # built on first open, not at startup


def test_startup_does_not_load_heavy_modules(tmp_path: Path):
    """Exports, PDFs, QR codes, the phone server and the board wait until they are used."""
    code = (
        "import sys\n"
        "from workshopkit.app import run_app\n"
        f"status = run_app({str(tmp_path / 'data')!r})\n"
        "heavy = ('reportlab', 'qrcode', 'aiohttp', 'workshopkit.export', 'workshopkit.join',\n"
        "         'workshopkit.ui.board')\n"
        "print(status, sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKSHOPKIT_QUIT_AFTER_PAINT="1")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"
