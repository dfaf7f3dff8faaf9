"""Rolling backups of the workshop library, made with SQLite's online backup API.

Backups live in ``<data dir>/backups/``: one a day (made when the app opens the library and
today's is missing; the last 7 are kept), one before each migration (the last 3), and one of
the library as it was just before a backup was restored (the last 3). Nothing here uses Qt.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workshopkit.store import Store

BACKUPS_DIRNAME = "backups"
KEEP_DAILY = 7
KEEP_BEFORE_MIGRATION = 3
KEEP_BEFORE_RESTORE = 3
DAILY_PREFIX = "daily-"
MIGRATION_PREFIX = "before-"
RESTORE_PREFIX = "before-restore-"
BACKUP_SUFFIX = ".db"

_DAILY = re.compile(r"daily-(\d{4}-\d{2}-\d{2})\.db")
_BEFORE_RESTORE = re.compile(r"before-restore-(\d{8}-\d{6}(?:-\d+)?)\.db")
_BEFORE_MIGRATION = re.compile(r"before-(\d{4}_[A-Za-z0-9_]+)-(\d{4}-\d{2}-\d{2})(?:-\d+)?\.db")


class BackupError(Exception):
    """A backup could not be made or restored; ``str(error)`` is a sentence for the user."""


@dataclass(frozen=True)
class Backup:
    """One backup file and what it is."""

    path: Path
    kind: str
    """"daily", "before-migration" or "before-restore"."""
    made_at: _dt.datetime
    """When the file was written (local time)."""
    migration: str = ""

    @property
    def label(self) -> str:
        when = self.made_at.strftime("%Y-%m-%d %H:%M")
        if self.kind == "daily":
            return f"Daily backup, {when}"
        if self.kind == "before-migration":
            return f"Before upgrading ({self.migration}), {when}"
        return f"Before restoring a backup, {when}"


def backups_dir(db_path: Path | str) -> Path:
    return Path(db_path).parent / BACKUPS_DIRNAME


def _today() -> _dt.date:
    return _dt.date.today()


def copy_database(source: Path | sqlite3.Connection, target: Path) -> Path:
    """A consistent, self-contained copy of ``source`` at ``target``, written atomically.

    The copy is made into a temporary file beside ``target`` and renamed over it only once it
    is complete, so a crash part-way leaves no half-written backup.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=".partial-", suffix=BACKUP_SUFFIX,
                                            dir=target.parent)
    except OSError as exc:
        raise BackupError(f"A backup could not be written to {target.parent}: "
                          f"{exc.strerror}.") from exc
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        own = not isinstance(source, sqlite3.Connection)
        src: sqlite3.Connection = (
            source if isinstance(source, sqlite3.Connection)
            else sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True))
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            if own:
                src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"A backup could not be written to {target.parent}: {exc}.") from exc
    return target


def list_backups(db_path: Path | str) -> list[Backup]:
    """Every backup of the library at ``db_path``, newest first."""
    folder = backups_dir(db_path)
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        name = path.name
        if not path.is_file():
            continue
        try:
            made_at = _dt.datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            continue
        if _DAILY.fullmatch(name):
            found.append(Backup(path, "daily", made_at))
        elif _BEFORE_RESTORE.fullmatch(name):
            found.append(Backup(path, "before-restore", made_at))
        elif match := _BEFORE_MIGRATION.fullmatch(name):
            found.append(Backup(path, "before-migration", made_at, migration=match.group(1)))
    found.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    return found


def newest_backup(db_path: Path | str) -> Backup | None:
    backups = list_backups(db_path)
    return backups[0] if backups else None


def _prune(db_path: Path | str, kind: str, keep: int) -> None:
    of_kind = [b for b in list_backups(db_path) if b.kind == kind]
    if kind == "daily":  # named by date: the name says which days are the latest
        of_kind.sort(key=lambda b: b.path.name, reverse=True)
    for backup in of_kind[keep:]:
        with contextlib.suppress(OSError):
            backup.path.unlink()


STALE_PARTIAL_S = 3600
"""A half-written copy older than this was left by a backup that was killed part-way."""


def _remove_stale_partials(folder: Path, now: float | None = None) -> int:
    """Delete half-written copies a killed backup left behind (never a finished backup, and
    not one another process may still be writing); how many went."""
    removed = 0
    cutoff = (time.time() if now is None else now) - STALE_PARTIAL_S
    with contextlib.suppress(OSError):
        for path in folder.glob(f".partial-*{BACKUP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
    return removed


def make_daily_backup(db_path: Path | str, *, today: _dt.date | None = None) -> Path | None:
    """Today's backup, if it is missing; the oldest beyond the last 7 are removed, and so are
    half-written copies left by a backup that was killed part-way."""
    db = Path(db_path)
    if not db.is_file():
        return None
    _remove_stale_partials(backups_dir(db))
    target = backups_dir(db) / f"{DAILY_PREFIX}{(today or _today()).isoformat()}{BACKUP_SUFFIX}"
    if target.exists():
        return None
    copy_database(db, target)
    _prune(db, "daily", KEEP_DAILY)
    return target


def make_migration_backup(db_path: Path | str, migration: str, *,
                          today: _dt.date | None = None) -> Path:
    """The library as it was before ``migration`` ran; the last 3 such backups are kept."""
    db = Path(db_path)
    stem = f"{MIGRATION_PREFIX}{migration}-{(today or _today()).isoformat()}"
    target = backups_dir(db) / f"{stem}{BACKUP_SUFFIX}"
    number = 1
    while target.exists():
        number += 1
        target = backups_dir(db) / f"{stem}-{number}{BACKUP_SUFFIX}"
    copy_database(db, target)
    _prune(db, "before-migration", KEEP_BEFORE_MIGRATION)
    return target


def _restore_name(db_path: Path) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir(db_path) / f"{RESTORE_PREFIX}{stamp}{BACKUP_SUFFIX}"
    number = 1
    while target.exists():
        number += 1
        target = backups_dir(db_path) / f"{RESTORE_PREFIX}{stamp}-{number}{BACKUP_SUFFIX}"
    return target


def set_aside(db_path: Path | str) -> Path:
    """Move a library that cannot be opened out of the way (never overwritten, never deleted)."""
    db = Path(db_path)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db.with_name(f"{db.name}.set-aside-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = db.with_name(f"{db.name}.set-aside-{stamp}-{number}")
    try:
        os.replace(db, aside)
        for extra in ("-wal", "-shm"):
            companion = db.with_name(db.name + extra)
            if companion.exists():
                os.replace(companion, aside.with_name(aside.name + extra))
    except OSError as exc:
        raise BackupError(f"The file {db} could not be moved aside: {exc.strerror}.") from exc
    return aside


def restore_file(db_path: Path | str, backup: Path | str) -> Path:
    """Put ``backup`` in place of a library that is not open; the original is moved aside.

    Returns where the original went. The copy is written beside the library and renamed into
    place, so the library is either the old file or the whole backup, never half of one.
    """
    db = Path(db_path)
    source = Path(backup)
    if not source.is_file():
        raise BackupError(f"The backup {source} is no longer there.")
    handle, tmp_name = tempfile.mkstemp(prefix=".restoring-", dir=db.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"The backup could not be copied: {exc.strerror}.") from exc
    aside = set_aside(db) if db.exists() else db
    try:
        os.replace(tmp, db)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"The backup could not be put in place: {exc.strerror}.") from exc
    return aside


def restore_into(store: Store, backup: Path | str) -> Path:
    """Replace the contents of an open library with ``backup``; returns the saved current state.

    The library as it is now is first saved as a "before-restore" backup. An older backup is
    upgraded (in a temporary copy) before it is copied in, in one step, under the store's lock.
    """
    from workshopkit.model import Change, ChangeKind
    from workshopkit.store import Store, StoreError

    source = Path(backup)
    if not source.is_file():
        raise BackupError(f"The backup {source} is no longer there.")
    with tempfile.TemporaryDirectory(prefix="workshopkit-restore-") as tmpdir:
        upgraded = Path(tmpdir) / "restore.db"
        shutil.copyfile(source, upgraded)
        try:
            Store(upgraded).close()
        except StoreError as exc:
            raise BackupError(f"The backup {source.name} cannot be used: {exc}") from exc
        with store._lock:  # restoring is part of the library's own plumbing
            saved = copy_database(store._conn, _restore_name(store.path))
            _prune(store.path, "before-restore", KEEP_BEFORE_RESTORE)
            src = sqlite3.connect(upgraded)
            try:
                src.backup(store._conn)
            except sqlite3.Error as exc:
                raise BackupError(f"The backup could not be restored: {exc}.") from exc
            finally:
                src.close()
    store._announce(Change(ChangeKind.WORKSHOPS, None, ()))
    return saved


def delete_backups_older_than(db_path: Path | str, when: _dt.datetime | None = None) -> int:
    """Delete every backup written before ``when`` (default: now); how many were deleted.

    Used when a facilitator deletes a workshop and asks that no copy of it stays behind.
    """
    cutoff = (when or _dt.datetime.now()).timestamp()
    deleted = 0
    for backup in list_backups(db_path):
        try:
            if backup.path.stat().st_mtime <= cutoff:
                backup.path.unlink()
                deleted += 1
        except OSError:
            continue
    return deleted


def read_only_problem(folder: Path | str, db_name: str) -> str | None:
    """A sentence saying why nothing can be saved in ``folder``, or None when it is writable."""
    where = Path(folder)
    db = where / db_name
    if db.exists() and not os.access(db, os.W_OK):
        return (f"The workshop file {db} is read-only, so workshopkit cannot save to it. "
                "Make it writable (or copy the folder somewhere writable) and start again.")
    probe = where if where.exists() else where.parent
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        return (f"The folder {where} is read-only, so workshopkit cannot save workshops there. "
                "Make it writable, or choose another folder with --data-dir, and start again.")
    return None
