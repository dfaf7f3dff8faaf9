"""The real app as a user starts it: ``python -m workshopkit`` in its own process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

TIMEOUT = 60


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_app_paints_its_first_window_and_quits(tmp_path: Path):
    data = tmp_path / "library"
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "--data-dir", str(data)],
        env=_env(QT_QPA_PLATFORM="offscreen", WORKSHOPKIT_QUIT_AFTER_PAINT="1"),
        check=False, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"painted \d+\.\d{3}", result.stdout.strip()), result.stdout
    assert (data / "workshopkit.db").is_file()


def test_every_way_of_naming_the_library_opens_the_app_on_it(tmp_path: Path):
    """``--data-dir DIR`` opens the window without the commands' parser; ``--data-dir=DIR`` and
    the environment variable open it too, and a wrong option is still refused with usage."""
    ways = {"equals": ([f"--data-dir={tmp_path / 'equals'}"], {}),
            "environment": ([], {"WORKSHOPKIT_DATA_DIR": str(tmp_path / "environment")})}
    for name, (args, extra) in ways.items():
        result = subprocess.run(
            [sys.executable, "-m", "workshopkit", *args],
            env=_env(QT_QPA_PLATFORM="offscreen", WORKSHOPKIT_QUIT_AFTER_PAINT="1", **extra),
            check=False, capture_output=True, text=True, timeout=TIMEOUT)
        assert result.returncode == 0, (name, result.stderr)
        assert (tmp_path / name / "workshopkit.db").is_file(), name
    wrong = subprocess.run([sys.executable, "-m", "workshopkit", "--data-dir"],
                           env=_env(QT_QPA_PLATFORM="offscreen"), check=False,
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert wrong.returncode == 2
    assert "usage: workshopkit" in wrong.stderr and "--data-dir" in wrong.stderr


def test_app_opens_on_a_library_with_the_demo_workshop(tmp_path: Path):
    data = tmp_path / "library"
    demo = subprocess.run([sys.executable, "-m", "workshopkit", "demo", "--data-dir", str(data)],
                          check=False, capture_output=True, text=True, timeout=TIMEOUT)
    assert demo.returncode == 0, demo.stderr
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "--data-dir", str(data)],
        env=_env(QT_QPA_PLATFORM="offscreen", WORKSHOPKIT_QUIT_AFTER_PAINT="1"),
        check=False, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("painted ")


def test_a_damaged_library_exits_1_with_the_reason_and_leaves_the_file(tmp_path: Path):
    data = tmp_path / "library"
    data.mkdir()
    db = data / "workshopkit.db"
    db.write_bytes(b"not a database" + b"\x00junk" * 100)
    before = db.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "--data-dir", str(data)],
        env=_env(QT_QPA_PLATFORM="offscreen", WORKSHOPKIT_QUIT_AFTER_PAINT="1"),
        check=False, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert "damaged" in result.stderr
    assert "painted" not in result.stdout
    assert db.read_bytes() == before


def test_without_a_screen_the_app_says_so_and_exits_1(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "--data-dir", str(tmp_path / "library")],
        env=_env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None),
        check=False, capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert "No screen was found" in result.stderr
    assert not (tmp_path / "library").exists()
