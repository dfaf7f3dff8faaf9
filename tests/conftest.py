"""Shared fixtures: every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the library at a temp folder so no test touches the user's real workshops."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WORKSHOPKIT_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    return _isolated_data_dir


@pytest.fixture
def store(data_dir: Path):
    from workshopkit.store import Store

    s = Store.in_data_dir(data_dir)
    yield s
    s.close()


@pytest.fixture
def stack():
    """A bare undo stack: commands are tested without widgets."""
    from PySide6.QtGui import QUndoStack

    return QUndoStack()


@pytest.fixture
def demo_workshop(store):
    from workshopkit.exercises.demo import create_demo_workshop

    return create_demo_workshop(store)


def require_tool(name: str) -> str:
    """The path of an external tool; missing, it fails under CI=true and skips elsewhere."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (see .ci/run for the packages the tests need)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def fill_the_disk(store, workshop_id: int, column) -> None:
    """Make the library's disk really full: cap the file at its size and write until SQLite
    says SQLITE_FULL (a genuine 'database or disk is full', not a mock)."""
    from workshopkit.store import DiskFullError

    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError):
        for _ in range(200):
            store.add_postit(workshop_id, column, "z" * 280)
