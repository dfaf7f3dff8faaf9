"""Rolling backups of the library: daily, before migrations, restore, and forgetting."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from workshopkit.backup import (
    BackupError,
    backups_dir,
    delete_backups_older_than,
    list_backups,
    make_daily_backup,
    make_migration_backup,
    newest_backup,
    read_only_problem,
    restore_file,
    restore_into,
)
from workshopkit.model import Change, Column
from workshopkit.store import (
    DB_FILENAME,
    CorruptDatabaseError,
    DatabaseTooNewError,
    Store,
    StoreError,
)

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"


def _titles(path: Path) -> list[str]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM workshops ORDER BY id")]
    finally:
        conn.close()


def _age(path: Path, seconds: float) -> None:
    """Make a backup look ``seconds`` old (the list is ordered by when files were written)."""
    when = time.time() - seconds
    os.utime(path, (when, when))


def test_a_daily_backup_is_made_once_a_day_and_only_seven_are_kept(store: Store):
    store.create_workshop("Monday session")
    first = make_daily_backup(store.path, today=dt.date(2026, 3, 1))
    assert first == backups_dir(store.path) / "daily-2026-03-01.db"
    assert _titles(first) == ["Monday session"]
    store.create_workshop("Later that day")
    assert make_daily_backup(store.path, today=dt.date(2026, 3, 1)) is None
    assert _titles(first) == ["Monday session"]

    for day in range(2, 11):
        assert make_daily_backup(store.path, today=dt.date(2026, 3, day)) is not None
    names = sorted(b.path.name for b in list_backups(store.path))
    assert names == [f"daily-2026-03-{day:02d}.db" for day in range(4, 11)]
    assert _titles(backups_dir(store.path) / "daily-2026-03-10.db") == [
        "Monday session", "Later that day"]


def test_migration_backups_keep_the_last_three(store: Store):
    store.create_workshop("Before upgrades")
    made = []
    for number in range(7, 12):
        path = make_migration_backup(store.path, f"{number:04d}_x", today=dt.date(2026, 3, 1))
        _age(path, 100 - number)
        made.append(path.name)
    backups = list_backups(store.path)
    assert [b.path.name for b in backups] == list(reversed(made[-3:]))
    assert {b.kind for b in backups} == {"before-migration"}
    assert backups[0].migration == "0011_x"
    assert "0011_x" in backups[0].label


def test_opening_an_old_library_backs_it_up_before_migrating(data_dir: Path):
    data_dir.mkdir(parents=True)
    db = data_dir / DB_FILENAME
    shutil.copyfile(SCHEMAS / "schema-v4.db", db)
    with Store(db) as store:
        assert store.get_workshop(1).title == "Riverside partnership"
    (backup,) = list_backups(db)
    assert backup.path.name == f"before-0005_principles-{dt.date.today().isoformat()}.db"
    conn = sqlite3.connect(backup.path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        assert conn.execute("SELECT COUNT(*) FROM postits").fetchone()[0] == 4
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'principles'").fetchall()
    finally:
        conn.close()


def test_a_migration_without_a_backup_is_refused_and_the_file_left_alone(data_dir: Path):
    data_dir.mkdir(parents=True)
    db = data_dir / DB_FILENAME
    shutil.copyfile(SCHEMAS / "schema-v2.db", db)
    (data_dir / "backups").write_text("a file where the backups folder should be")
    original = db.read_bytes()
    with pytest.raises(StoreError, match="was not upgraded and is unchanged"):
        Store(db)
    assert db.read_bytes() == original


def test_a_damaged_library_refusal_names_the_newest_backup(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("Keep me")
        make_daily_backup(store.path)
    db = data_dir / DB_FILENAME
    db.write_bytes(b"not a database at all" * 100)
    damaged = db.read_bytes()
    with pytest.raises(CorruptDatabaseError) as caught:
        Store(db)
    message = str(caught.value)
    assert "damaged" in message
    assert f"daily-{dt.date.today().isoformat()}.db" in message
    assert db.read_bytes() == damaged


def test_a_too_new_library_refusal_names_the_newest_backup(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("From today")
        make_daily_backup(store.path)
        store.db.execute("PRAGMA user_version = 999")
    db = data_dir / DB_FILENAME
    with pytest.raises(DatabaseTooNewError, match="newest backup is daily-"):
        Store(db)


def test_without_backups_the_refusal_offers_none(data_dir: Path):
    data_dir.mkdir(parents=True)
    db = data_dir / DB_FILENAME
    db.write_bytes(b"garbage" * 50)
    with pytest.raises(CorruptDatabaseError) as caught:
        Store(db)
    assert "newest backup" not in str(caught.value)


def test_restoring_a_closed_library_moves_the_original_aside(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("Good day")
        backup = make_daily_backup(store.path)
    assert backup is not None
    db = data_dir / DB_FILENAME
    db.write_bytes(b"broken" * 100)
    aside = restore_file(db, newest_backup(db).path)  # type: ignore[union-attr]
    assert aside != db and aside.read_bytes() == b"broken" * 100
    with Store(db) as store:
        assert [w.title for w in store.list_workshops()] == ["Good day"]
    assert backup.is_file()


def test_restoring_into_the_open_library_keeps_the_current_state_as_a_backup(store: Store):
    kept = store.create_workshop("Kept")
    backup = make_daily_backup(store.path)
    assert backup is not None
    store.add_postit(kept.id, Column.SHARED, "Added after the backup")
    store.create_workshop("Made after the backup")
    seen: list[Change] = []
    store.subscribe(seen.append)

    saved = restore_into(store, backup)

    assert [w.title for w in store.list_workshops()] == ["Kept"]
    assert store.list_postits(kept.id) == []
    assert seen and seen[-1].workshop_id is None
    assert sorted(_titles(saved)) == ["Kept", "Made after the backup"]
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.add_postit(kept.id, Column.CIVIC, "Still writable")
    assert [p.text for p in store.list_postits(kept.id)] == ["Still writable"]


def test_restoring_an_older_schema_backup_upgrades_it(store: Store):
    store.create_workshop("Current")
    restore_into(store, SCHEMAS / "schema-v3.db")
    assert [w.title for w in store.list_workshops()] == ["Riverside partnership"]
    assert [p.lead for p in store.list_principles(1)] == []
    store.add_postit(1, Column.SHARED, "After restoring")


def test_a_damaged_backup_is_not_restored(store: Store, tmp_path: Path):
    store.create_workshop("Untouched")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"nope" * 100)
    with pytest.raises(BackupError, match="cannot be used"):
        restore_into(store, bad)
    assert [w.title for w in store.list_workshops()] == ["Untouched"]


def test_deleting_older_backups_removes_every_copy_of_a_deleted_workshop(store: Store):
    private = store.create_workshop("Private session")
    daily = make_daily_backup(store.path)
    before = make_migration_backup(store.path, "0007_x")
    assert daily is not None and "Private session" in _titles(daily)
    store.delete_workshop(private.id)

    assert delete_backups_older_than(store.path) == 2
    assert not daily.exists() and not before.exists()
    assert list_backups(store.path) == []


def test_deleting_older_backups_keeps_newer_ones(store: Store):
    store.create_workshop("A")
    old = make_daily_backup(store.path, today=dt.date(2026, 1, 1))
    new = make_daily_backup(store.path, today=dt.date(2026, 1, 2))
    assert old is not None and new is not None
    _age(old, 3600)
    cutoff = dt.datetime.now() - dt.timedelta(minutes=30)
    assert delete_backups_older_than(store.path, cutoff) == 1
    assert [b.path for b in list_backups(store.path)] == [new]


def test_a_read_only_library_file_is_named_in_a_clear_message(data_dir: Path):
    with Store.in_data_dir(data_dir) as store:
        store.create_workshop("Read only")
    db = data_dir / DB_FILENAME
    assert read_only_problem(data_dir, DB_FILENAME) is None
    db.chmod(0o444)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("running as root: file permissions are not enforced, so os.access "
                        "cannot see a read-only file here")
        message = read_only_problem(data_dir, DB_FILENAME)
        assert message is not None and str(db) in message and "read-only" in message
    finally:
        db.chmod(0o644)


def test_a_read_only_database_refuses_changes_clearly_and_keeps_what_is_saved(store: Store):
    """A real SQLite read-only error (query_only works even for root): clear, nothing lost."""
    workshop = store.create_workshop("Saved before")
    store.add_postit(workshop.id, Column.SHARED, "Kept")
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only, so nothing can be saved"):
        store.add_postit(workshop.id, Column.SHARED, "Not saved")
    store.db.execute("PRAGMA query_only = OFF")
    assert [p.text for p in store.list_postits(workshop.id)] == ["Kept"]


def test_a_half_written_copy_left_by_a_killed_backup_is_cleared_later(store: Store):
    """A backup killed part-way leaves a '.partial-' file; the next day's backup removes it
    once it is old, but never a finished backup or a copy that may still be being written."""
    store.create_workshop("Kept")
    folder = backups_dir(store.path)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / ".partial-abc123.db"
    stale.write_bytes(b"half a database")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    fresh = folder / ".partial-def456.db"
    fresh.write_bytes(b"still being written")
    finished = make_daily_backup(store.path, today=dt.date(2026, 3, 1))
    assert finished is not None and finished.exists()
    assert not stale.exists()
    assert fresh.exists()
    assert _titles(finished) == ["Kept"]
