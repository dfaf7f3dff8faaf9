"""The workshop library: one SQLite file, reached only through the verbs below.

Each verb runs in one transaction and, once committed, announces one :class:`Change` to its
listeners. Nothing else in the app writes to the database, so what a view shows is always what
is on disk: killing the app loses nothing that was on screen.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

from workshopkit.model import (
    ANSWER_MAX_CHARS,
    DEFAULT_RING_NAMES,
    GROUP_NAME_MAX_CHARS,
    HEADING_MAX_CHARS,
    LINK_LABEL_MAX_CHARS,
    MAX_TIMER_SECONDS,
    MAX_VOTE_BUDGET,
    NOTE_MAX_CHARS,
    PERSON_NAME_MAX_CHARS,
    POSTIT_MAX_CHARS,
    PRINCIPLE_BODY_MAX_CHARS,
    PRINCIPLE_LEAD_MAX_CHARS,
    REVIEW_COMMENT_MAX_CHARS,
    REVIEW_LABEL_MAX_CHARS,
    RING_COUNT,
    RING_NAME_MAX_CHARS,
    STAKEHOLDER_FIELD_MAX_CHARS,
    STAKEHOLDER_LABEL_MAX_CHARS,
    TIMER_LABEL_MAX_CHARS,
    TITLE_MAX_CHARS,
    VALUE_MAX_CHARS,
    AlignmentNote,
    Change,
    ChangeKind,
    ChecklistItem,
    Colour,
    Column,
    Decision,
    DecisionAnswer,
    DecisionRecord,
    EvidenceKind,
    EvidenceRef,
    Group,
    InviteStatus,
    JoinSettings,
    Moderation,
    ModerationEntry,
    Organisation,
    OrgKind,
    Part,
    Participant,
    PostIt,
    Practice,
    PracticeAnswer,
    Principle,
    PrincipleStatus,
    Responsibility,
    ReviewDate,
    ReviewTally,
    Source,
    Stakeholder,
    StakeholderLink,
    StakeholderMap,
    StatedValue,
    Status,
    ValueKind,
    ValuesExercise,
    Verdict,
    Workshop,
    WorkshopSummary,
)

DB_FILENAME = "workshopkit.db"
WORKSHOP_SUFFIX = ".workshop"
SQLITE_HEADER = b"SQLite format 3\x00"
FIELD_MAX_CHARS = 2000
NOTES_MAX_CHARS = 20000

# Join tokens: 13 characters from a 32-letter alphabet without look-alikes = 65 random bits.
JOIN_TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz023456789"
JOIN_TOKEN_LENGTH = 13
JOIN_TOKEN_PATTERN = re.compile(rf"[a-z0-9]{{{JOIN_TOKEN_LENGTH}}}")


def new_join_token() -> str:
    import secrets

    return "".join(secrets.choice(JOIN_TOKEN_ALPHABET) for _ in range(JOIN_TOKEN_LENGTH))


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """An error a user must see. ``str(error)`` is a complete, plain sentence for them."""


class ValidationError(StoreError):
    pass


class NotFoundError(StoreError):
    pass


class DatabaseTooNewError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class DiskFullError(StoreError):
    pass


class DatabaseLockedError(StoreError):
    pass


class VotingClosedError(StoreError):
    pass


class ValuesClosedError(StoreError):
    """Phones may fill in their own row of step 2 only while the facilitator allows it."""


class ReviewClosedError(StoreError):
    """Phones may review the draft principles only while the facilitator allows it."""


class VoteBudgetSpentError(StoreError):
    pass


def _translate(error: BaseException, path: Path | str) -> StoreError | None:
    """Map SQLite failures a user can act on to clear messages; leave bugs alone."""
    message = str(error).lower()
    if isinstance(error, OSError) and error.errno == 28:
        return DiskFullError(
            "The disk is full, so this change was not saved. Free some space and try again; "
            "everything saved before is safe."
        )
    if isinstance(error, sqlite3.OperationalError):
        if "disk is full" in message or "database or disk is full" in message:
            return DiskFullError(
                "The disk is full, so this change was not saved. Free some space and try "
                "again; everything saved before is safe."
            )
        if "locked" in message or "busy" in message:
            return DatabaseLockedError(
                f"The workshop file {path} is in use by another program. Close it there and "
                "try again."
            )
        if "readonly" in message or "read-only" in message:
            return StoreError(f"The workshop file {path} is read-only, so nothing can be saved.")
        if "unable to open" in message:
            return StoreError(f"The workshop file {path} could not be opened.")
    if isinstance(error, sqlite3.IntegrityError) and "unique" in message:
        return StoreError("That item is already there, so it was not added again.")
    if isinstance(error, sqlite3.DatabaseError) and (
        "not a database" in message or "malformed" in message or "corrupt" in message
    ):
        return CorruptDatabaseError(
            f"The file {path} is damaged or is not a workshopkit file, so it was not opened. "
            "It has been left exactly as it was."
        )
    return None


# --------------------------------------------------------------------------- text


_KEEP_CONTROLS = {"\n"}
# Line/paragraph separators and bidirectional overrides/isolates: they can make a post-it display
# misleadingly. Right-to-left scripts display correctly without them.
_STRIPPED = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(
    value: object,
    *,
    what: str,
    max_chars: int,
    required: bool = True,
    multiline: bool = True,
) -> str:
    """Normalise user text: strip control characters and outer space, enforce a length.

    Any printable Unicode (emoji, right-to-left scripts, Welsh accents) is kept as typed.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text.")
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    keep = _KEEP_CONTROLS if multiline else set()
    text = "".join(
        ch
        for ch in text
        if ch in keep
        or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _STRIPPED)
    )
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if required and not text:
        raise ValidationError(f"{what} cannot be empty.")
    if len(text) > max_chars:
        raise ValidationError(
            f"{what} is {len(text)} characters long; the limit is {max_chars}. "
            "Shorten it and try again."
        )
    return text


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- migrations

# Migrations are data: append new ones, never edit one that has shipped. They are applied with
# sqlite-utils' ``Migrations``, which is imported only when one is pending, so opening an
# up-to-date library (every start of the app) does not pay for importing sqlite-utils.
MIGRATION_SET = "workshopkit"
MIGRATIONS_TABLE = "_sqlite_migrations"
_MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = []


def _migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        _MIGRATIONS.append((name, fn))
        return fn

    return register


def migration_set() -> Migrations:
    """The app's migrations as a sqlite-utils ``Migrations`` set."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, fn in _MIGRATIONS:
        migrations(name=name)(fn)
    return migrations


@_migration("0001_initial")
def _m0001_initial(db: Database) -> None:
    # AUTOINCREMENT: ids are never reused, so undo can put a deleted row back under its id.
    statements = [
        """CREATE TABLE workshops (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            partnership TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            place TEXT NOT NULL DEFAULT '',
            facilitator TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            heading_universities TEXT NOT NULL DEFAULT '',
            heading_shared TEXT NOT NULL DEFAULT '',
            heading_civic TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE organisations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('university', 'civic', 'other')),
            position INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX organisations_workshop ON organisations(workshop_id, position)",
        """CREATE TABLE participants (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
            role TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX participants_workshop ON participants(workshop_id, position)",
        """CREATE TABLE postit_groups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            board_column TEXT NOT NULL CHECK (board_column IN ('universities', 'shared', 'civic')),
            name TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX postit_groups_workshop ON postit_groups(workshop_id, board_column)",
        """CREATE TABLE postits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            board_column TEXT NOT NULL CHECK (board_column IN ('universities', 'shared', 'civic')),
            text TEXT NOT NULL,
            colour TEXT NOT NULL DEFAULT 'yellow',
            position INTEGER NOT NULL DEFAULT 0,
            group_id INTEGER REFERENCES postit_groups(id) ON DELETE SET NULL,
            shared INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT 'facilitator',
            status TEXT NOT NULL DEFAULT 'visible',
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX postits_board ON postits(workshop_id, board_column, position)",
        "CREATE INDEX postits_group ON postits(group_id)",
    ]
    for sql in statements:
        db.execute(sql)


@_migration("0002_joining")
def _m0002_joining(db: Database) -> None:
    statements = [
        """CREATE TABLE join_settings (
            workshop_id INTEGER PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
            token TEXT NOT NULL UNIQUE,
            moderation TEXT NOT NULL DEFAULT 'off' CHECK (moderation IN ('off', 'approval')),
            hold_until_reveal INTEGER NOT NULL DEFAULT 0,
            fixed_column TEXT NOT NULL DEFAULT '',
            voting_open INTEGER NOT NULL DEFAULT 0,
            vote_budget INTEGER NOT NULL DEFAULT 3,
            voting_round INTEGER NOT NULL DEFAULT 0,
            tallies_shown INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE votes (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            postit_id INTEGER NOT NULL REFERENCES postits(id) ON DELETE CASCADE,
            voter TEXT NOT NULL,
            voting_round INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX votes_voter ON votes(workshop_id, voting_round, voter)",
        "CREATE INDEX votes_postit ON votes(postit_id)",
        """CREATE TABLE moderation_log (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            postit_id INTEGER,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        )""",
        "CREATE INDEX moderation_log_workshop ON moderation_log(workshop_id, id)",
    ]
    for sql in statements:
        db.execute(sql)


@_migration("0003_stakeholder_map")
def _m0003_stakeholder_map(db: Database) -> None:
    statements = [
        "ALTER TABLE workshops ADD COLUMN ring_0 TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE workshops ADD COLUMN ring_1 TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE workshops ADD COLUMN ring_2 TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE stakeholders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
            ring INTEGER NOT NULL DEFAULT 0 CHECK (ring BETWEEN 0 AND 2),
            across REAL NOT NULL DEFAULT 0.5,
            depth REAL NOT NULL DEFAULT 0.5,
            person TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            part TEXT NOT NULL DEFAULT 'other',
            part_note TEXT NOT NULL DEFAULT '',
            responsibilities TEXT NOT NULL DEFAULT '',
            responsibility_note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'not_invited',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX stakeholders_workshop ON stakeholders(workshop_id)",
        """CREATE TABLE stakeholder_links (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES stakeholders(id) ON DELETE CASCADE,
            target_id INTEGER NOT NULL REFERENCES stakeholders(id) ON DELETE CASCADE,
            label TEXT NOT NULL DEFAULT '',
            CHECK (source_id != target_id)
        )""",
        "CREATE INDEX stakeholder_links_workshop ON stakeholder_links(workshop_id)",
        "CREATE INDEX stakeholder_links_source ON stakeholder_links(source_id)",
        "CREATE INDEX stakeholder_links_target ON stakeholder_links(target_id)",
    ]
    for sql in statements:
        db.execute(sql)


@_migration("0004_values")
def _m0004_values(db: Database) -> None:
    statements = [
        "ALTER TABLE participants ADD COLUMN source TEXT NOT NULL DEFAULT 'facilitator'",
        # A phone's own row is bound to a hash of its device cookie, never the cookie itself.
        "ALTER TABLE participants ADD COLUMN phone_key TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE join_settings ADD COLUMN collect_values INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE stated_values (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'value' CHECK (kind IN ('value', 'serves')),
            text TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX stated_values_workshop ON stated_values(workshop_id)",
        """CREATE TABLE practice_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            question TEXT NOT NULL CHECK (question IN ('budget', 'time', 'priority')),
            organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
            text TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'facilitator',
            updated_at TEXT NOT NULL,
            CHECK ((organisation_id IS NULL) != (participant_id IS NULL))
        )""",
        "CREATE INDEX practice_answers_workshop ON practice_answers(workshop_id)",
        """CREATE TABLE alignment_notes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX alignment_notes_workshop ON alignment_notes(workshop_id)",
        """CREATE TABLE alignment_note_links (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            note_id INTEGER NOT NULL REFERENCES alignment_notes(id) ON DELETE CASCADE,
            value_id INTEGER REFERENCES stated_values(id) ON DELETE CASCADE,
            answer_id INTEGER REFERENCES practice_answers(id) ON DELETE CASCADE,
            CHECK ((value_id IS NULL) != (answer_id IS NULL))
        )""",
        "CREATE INDEX alignment_note_links_note ON alignment_note_links(note_id)",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            question TEXT NOT NULL CHECK (question IN ('connection', 'values', 'how')),
            answer TEXT NOT NULL DEFAULT 'not_discussed',
            notes TEXT NOT NULL DEFAULT '',
            UNIQUE (workshop_id, question)
        )""",
    ]
    for sql in statements:
        db.execute(sql)


@_migration("0005_principles")
def _m0005_principles(db: Database) -> None:
    statements = [
        "ALTER TABLE join_settings ADD COLUMN review_open INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE theme_overrides (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            item_kind TEXT NOT NULL CHECK (item_kind IN ('postit', 'value', 'answer')),
            item_id INTEGER NOT NULL,
            theme_id TEXT NOT NULL DEFAULT '',
            UNIQUE (workshop_id, item_kind, item_id)
        )""",
        """CREATE TABLE principles (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            theme_id TEXT NOT NULL DEFAULT '',
            lead TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'accepted', 'rejected')),
            position INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX principles_workshop ON principles(workshop_id, position)",
        """CREATE TABLE principle_evidence (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            principle_id INTEGER NOT NULL REFERENCES principles(id) ON DELETE CASCADE,
            item_kind TEXT NOT NULL CHECK (item_kind IN ('postit', 'value', 'answer')),
            item_id INTEGER NOT NULL
        )""",
        "CREATE INDEX principle_evidence_principle ON principle_evidence(principle_id)",
        """CREATE TABLE principle_reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            principle_id INTEGER NOT NULL REFERENCES principles(id) ON DELETE CASCADE,
            voter TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('agree', 'change')),
            comment TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (principle_id, voter)
        )""",
        """CREATE TABLE review_dates (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            date TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        )""",
    ]
    for sql in statements:
        db.execute(sql)


@_migration("0006_presenting")
def _m0006_presenting(db: Database) -> None:
    statements = [
        "ALTER TABLE join_settings ADD COLUMN timer_ends_at TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE join_settings ADD COLUMN timer_label TEXT NOT NULL DEFAULT ''",
        # Where an item came from when workshops were merged (the source workshop's title).
        "ALTER TABLE postits ADD COLUMN origin TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE stakeholders ADD COLUMN origin TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE stated_values ADD COLUMN origin TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE practice_answers ADD COLUMN origin TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE checklist (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            item_key TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (workshop_id, item_key)
        )""",
    ]
    for sql in statements:
        db.execute(sql)


SCHEMA_VERSION = len(_MIGRATIONS)
KNOWN_MIGRATIONS = frozenset(name for name, _ in _MIGRATIONS)


# --------------------------------------------------------------------------- opening

_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock_for(path: Path) -> threading.RLock:
    """One write lock per library file in this process: the app and its phone server queue
    here, in order, instead of in SQLite's busy handler (which sleeps up to 100 ms a retry)."""
    key = os.path.realpath(path)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())



def _check_existing_file(path: Path) -> set[str]:
    """Refuse a damaged or too-new file before anything writes to it; the applied migrations."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"The workshop file {path} could not be read: {exc.strerror}.") from exc
    if not header:
        return set()  # an empty file is a new database
    if header != SQLITE_HEADER:
        raise CorruptDatabaseError(
            f"The file {path} is damaged or is not a workshopkit file, so it was not opened. "
            "It has been left exactly as it was."
        )
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise _translate(exc, path) or StoreError(f"{path} could not be opened.") from exc
    try:
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise CorruptDatabaseError(
                f"The file {path} is damaged ({check}), so it was not opened. "
                "It has been left exactly as it was."
            )
        applied: set[str] = set()
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
            [MIGRATIONS_TABLE],
        ).fetchone()
        if has_table:
            applied = {
                row[0]
                for row in conn.execute(
                    f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set=?",
                    [MIGRATION_SET],
                )
            }
    except StoreError:
        raise
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) or CorruptDatabaseError(
            f"The file {path} could not be read as a workshop file ({exc}). "
            "It has been left exactly as it was."
        ) from exc
    finally:
        conn.close()
    unknown = applied - KNOWN_MIGRATIONS
    if user_version > SCHEMA_VERSION or unknown:
        raise DatabaseTooNewError(
            f"The file {path} was saved by a newer version of workshopkit (format "
            f"{max(user_version, SCHEMA_VERSION + 1)}; this version reads up to "
            f"{SCHEMA_VERSION}). Update workshopkit to open it. The file has been left untouched."
        )
    return applied


def _backup_offer(path: Path) -> str:
    """A sentence naming the newest backup of the library at ``path``, or nothing."""
    from workshopkit.backup import newest_backup

    newest = newest_backup(path)
    if newest is None:
        return ""
    return (f" The newest backup is {newest.path.name} ({newest.made_at:%Y-%m-%d %H:%M}) "
            f"in {newest.path.parent}; it can be restored.")


def _backup_before_migration(path: Path, applied: set[str]) -> None:
    """Copy the library aside before its first pending migration; refuse to migrate without."""
    from workshopkit.backup import BackupError, make_migration_backup

    pending = next(name for name, _ in _MIGRATIONS if name not in applied)
    try:
        make_migration_backup(path, pending)
    except BackupError as exc:
        raise StoreError(f"{exc} The workshop file {path} was not upgraded and is unchanged.") \
            from exc


Listener = Callable[[Change], None]


class Store:
    """The workshop library in one SQLite file (WAL mode, foreign keys on)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._closed = False
        self._listeners: list[Listener] = []
        # Note links of deleted values/answers, kept so that undoing the delete relinks them.
        self._link_stash: dict[tuple[str, int], set[int]] = {}
        # Phones' reviews of deleted principles, kept so that undo brings them back.
        self._review_stash: dict[int, list[tuple[Any, ...]]] = {}
        self._lock = _write_lock_for(self.path)
        self._db: Database | None = None
        applied: set[str] = set()
        if self.path.exists():
            try:
                applied = _check_existing_file(self.path)
            except (CorruptDatabaseError, DatabaseTooNewError) as exc:
                raise type(exc)(f"{exc}{_backup_offer(self.path)}") from exc
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"The folder {self.path.parent} could not be created: {exc.strerror}."
                ) from exc
        if applied and not KNOWN_MIGRATIONS <= applied:
            _backup_before_migration(self.path, applied)
        try:
            # isolation_level=None: transactions are explicit (see _write), never implicit.
            self._conn = sqlite3.connect(str(self.path), timeout=10.0, isolation_level=None,
                                         check_same_thread=False)
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            if not KNOWN_MIGRATIONS <= applied:
                migration_set().apply(self.db)
                self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            translated = _translate(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise

    @property
    def db(self) -> Database:
        """The same connection as a sqlite-utils ``Database`` (for migrations and tools)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self._conn, execute_plugins=False)
        return self._db

    # ----------------------------------------------------------------- plumbing

    @classmethod
    def in_data_dir(cls, data_dir: Path | str) -> Store:
        return cls(Path(data_dir) / DB_FILENAME)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run; a closed store can no longer be read."""
        return self._closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change)`` after every committed verb; returns an unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _announce(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; SQLite failures a user can act on become :class:`StoreError`."""
        with self._lock:
            try:
                with _atomic(self._conn):
                    yield self._conn
            except StoreError:
                raise
            except (sqlite3.Error, OSError) as exc:
                translated = _translate(exc, self.path)
                if translated is not None:
                    raise translated from exc
                raise

    @contextlib.contextmanager
    def _read_errors(self) -> Iterator[None]:
        """SQLite failures of a read that a user can act on become :class:`StoreError`."""
        try:
            yield
        except sqlite3.Error as exc:
            translated = _translate(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise

    def _read(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[dict[str, Any]]:
        with self._read_errors():
            cursor = self._conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _read_packed(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[dict[str, Any]]:
        """Like :meth:`_read`, for the hot paths that return many rows (a board column, every
        post-it's place): in one SQLite step, not one per row.

        Python's sqlite3 gives up the interpreter lock around every step. While the phone server
        thread is busy, winning it back can take up to a switch interval each time, so a
        200-row read could hold the facilitator's window for tens of milliseconds.
        """
        with self._read_errors():
            packed, names = _packed_query(self._conn, sql, params)
        return [dict(zip(names, row, strict=True)) for row in packed]

    # ----------------------------------------------------------------- workshops

    _WORKSHOP_TEXT_FIELDS: ClassVar[dict[str, int]] = {
        "title": TITLE_MAX_CHARS,
        "partnership": FIELD_MAX_CHARS,
        "date": 40,
        "place": FIELD_MAX_CHARS,
        "facilitator": FIELD_MAX_CHARS,
        "notes": NOTES_MAX_CHARS,
    }

    def _clean_workshop_fields(self, fields: Mapping[str, Any]) -> dict[str, str]:
        cleaned: dict[str, str] = {}
        for key, value in fields.items():
            if key not in self._WORKSHOP_TEXT_FIELDS:
                raise ValidationError(f"Unknown workshop field {key!r}.")
            cleaned[key] = clean_text(
                value,
                what="The title" if key == "title" else f"The {key}",
                max_chars=self._WORKSHOP_TEXT_FIELDS[key],
                required=key == "title",
                multiline=key == "notes",
            )
        return cleaned

    def create_workshop(
        self,
        title: str,
        *,
        organisations: Iterable[tuple[str, OrgKind | str]] = (),
        **fields: Any,
    ) -> Workshop:
        cleaned = self._clean_workshop_fields({"title": title, **fields})
        orgs = [(self._clean_org_name(name), OrgKind(kind)) for name, kind in organisations]
        now = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO workshops (title, partnership, date, place, facilitator, notes, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    cleaned["title"],
                    cleaned.get("partnership", ""),
                    cleaned.get("date", ""),
                    cleaned.get("place", ""),
                    cleaned.get("facilitator", ""),
                    cleaned.get("notes", ""),
                    now,
                    now,
                ],
            )
            workshop_id = int(cursor.lastrowid or 0)
            for position, (name, kind) in enumerate(orgs):
                db.execute(
                    "INSERT INTO organisations (workshop_id, name, kind, position) "
                    "VALUES (?, ?, ?, ?)",
                    [workshop_id, name, kind.value, position],
                )
        self._announce(Change(ChangeKind.WORKSHOPS, workshop_id, (workshop_id,)))
        return self.get_workshop(workshop_id)

    def update_workshop(self, workshop_id: int, **fields: Any) -> Workshop:
        cleaned = self._clean_workshop_fields(fields)
        if not cleaned:
            return self.get_workshop(workshop_id)
        assignments = ", ".join(f"{key} = ?" for key in cleaned)
        with self._write() as db:
            cursor = db.execute(
                f"UPDATE workshops SET {assignments}, updated_at = ? WHERE id = ?",
                [*cleaned.values(), _now(), workshop_id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError("That workshop no longer exists.")
        self._announce(Change(ChangeKind.WORKSHOPS, workshop_id, (workshop_id,)))
        return self.get_workshop(workshop_id)

    def set_heading(self, workshop_id: int, column: Column | str, heading: str) -> Workshop:
        """Rename a board column for this workshop; an empty heading restores the default."""
        column = Column(column)
        text = clean_text(
            heading, what="A column heading", max_chars=HEADING_MAX_CHARS, required=False,
            multiline=False,
        )
        if text == column.default_heading:
            text = ""
        with self._write() as db:
            cursor = db.execute(
                f"UPDATE workshops SET heading_{column.value} = ?, updated_at = ? WHERE id = ?",
                [text, _now(), workshop_id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError("That workshop no longer exists.")
        self._announce(Change(ChangeKind.WORKSHOPS, workshop_id, (workshop_id,)))
        return self.get_workshop(workshop_id)

    def get_workshop(self, workshop_id: int) -> Workshop:
        rows = self._read("SELECT * FROM workshops WHERE id = ?", [workshop_id])
        if not rows:
            raise NotFoundError("That workshop no longer exists.")
        return _workshop_from_row(rows[0])

    def list_workshops(self) -> list[WorkshopSummary]:
        """Most recently changed first, with counts for the start screen."""
        rows = self._read(
            """SELECT w.id, w.title, w.date, w.partnership, w.updated_at,
                (SELECT COUNT(*) FROM organisations o WHERE o.workshop_id = w.id) AS organisations,
                (SELECT COUNT(*) FROM participants p WHERE p.workshop_id = w.id) AS participants,
                (SELECT COUNT(*) FROM postits t WHERE t.workshop_id = w.id) AS postits
            FROM workshops w ORDER BY w.updated_at DESC, w.id DESC"""
        )
        return [WorkshopSummary(**row) for row in rows]

    def delete_workshop(self, workshop_id: int) -> None:
        with self._write() as db:
            cursor = db.execute("DELETE FROM workshops WHERE id = ?", [workshop_id])
            if cursor.rowcount == 0:
                raise NotFoundError("That workshop no longer exists.")
        self._announce(Change(ChangeKind.WORKSHOPS, workshop_id, (workshop_id,)))

    def duplicate_workshop(self, workshop_id: int, *, title: str | None = None) -> Workshop:
        source = self.get_workshop(workshop_id)
        new_title = title if title is not None else _copy_title(source.title)
        with self._write() as db:
            new_id = _copy_workshop(db, workshop_id, db, keep_ids=False)
            db.execute(
                "UPDATE workshops SET title = ?, created_at = ?, updated_at = ? WHERE id = ?",
                [clean_text(new_title, what="The title", max_chars=TITLE_MAX_CHARS,
                            multiline=False), _now(), _now(), new_id],
            )
        self._announce(Change(ChangeKind.WORKSHOPS, new_id, (new_id,)))
        return self.get_workshop(new_id)

    def _touch(self, db: sqlite3.Connection, workshop_id: int) -> None:
        cursor = db.execute(
            "UPDATE workshops SET updated_at = ? WHERE id = ?", [_now(), workshop_id]
        )
        if cursor.rowcount == 0:
            raise NotFoundError("That workshop no longer exists.")

    # ----------------------------------------------------------------- export / import

    def export_workshop(self, workshop_id: int, path: Path | str) -> Path:
        """Write one workshop to a self-contained ``.workshop`` file (itself SQLite)."""
        target = Path(path)
        self.get_workshop(workshop_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()
        try:
            out = Store(tmp)
            try:
                with self._lock, out._write() as out_db:
                    _copy_workshop(self._conn, workshop_id, out_db, keep_ids=True)
                out._conn.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
            os.replace(tmp, target)
        except (sqlite3.Error, OSError) as exc:
            tmp.unlink(missing_ok=True)
            translated = _translate(exc, target)
            if translated is not None:
                raise translated from exc
            raise StoreError(f"The workshop could not be exported to {target}: {exc}.") from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def import_workshop(self, path: Path | str) -> list[Workshop]:
        """Add every workshop in a ``.workshop`` file as new workshops; the file is not changed."""
        source_path = Path(path)
        if not source_path.is_file():
            raise StoreError(f"There is no file at {source_path}.")
        _check_existing_file(source_path)
        with tempfile.TemporaryDirectory(prefix="workshopkit-import-") as tmpdir:
            copy = Path(tmpdir) / "import.workshop"
            shutil.copyfile(source_path, copy)
            try:
                incoming = Store(copy)
            except CorruptDatabaseError as exc:
                raise CorruptDatabaseError(str(exc).replace(str(copy), str(source_path))) from exc
            try:
                source_ids = [row["id"] for row in incoming._read("SELECT id FROM workshops")]
                if not source_ids:
                    raise StoreError(f"The file {source_path} holds no workshop.")
                new_ids: list[int] = []
                with self._write() as db:
                    for source_id in source_ids:
                        new_ids.append(_copy_workshop(incoming._conn, source_id, db, keep_ids=False))
            finally:
                incoming.close()
        for new_id in new_ids:
            self._announce(Change(ChangeKind.WORKSHOPS, new_id, (new_id,)))
        return [self.get_workshop(new_id) for new_id in new_ids]

    # ----------------------------------------------------------------- organisations & people

    def _clean_org_name(self, name: str) -> str:
        return clean_text(name, what="An organisation's name", max_chars=TITLE_MAX_CHARS,
                          multiline=False)

    def list_organisations(self, workshop_id: int) -> list[Organisation]:
        rows = self._read(
            "SELECT * FROM organisations WHERE workshop_id = ? ORDER BY position, id", [workshop_id]
        )
        return [
            Organisation(r["id"], r["workshop_id"], r["name"], OrgKind(r["kind"]), r["position"])
            for r in rows
        ]

    def add_organisation(self, workshop_id: int, name: str, kind: OrgKind | str) -> Organisation:
        clean = self._clean_org_name(name)
        kind = OrgKind(kind)
        with self._write() as db:
            self._touch(db, workshop_id)
            position = _next_position(db, "organisations", "workshop_id = ?", [workshop_id])
            cursor = db.execute(
                "INSERT INTO organisations (workshop_id, name, kind, position) VALUES (?, ?, ?, ?)",
                [workshop_id, clean, kind.value, position],
            )
            org_id = int(cursor.lastrowid or 0)
        self._announce(Change(ChangeKind.ORGANISATIONS, workshop_id, (org_id,)))
        return Organisation(org_id, workshop_id, clean, kind, position)

    def update_organisation(
        self, org_id: int, *, name: str | None = None, kind: OrgKind | str | None = None
    ) -> Organisation:
        current = self._get_organisation(org_id)
        new_name = self._clean_org_name(name) if name is not None else current.name
        new_kind = OrgKind(kind) if kind is not None else current.kind
        with self._write() as db:
            self._touch(db, current.workshop_id)
            db.execute(
                "UPDATE organisations SET name = ?, kind = ? WHERE id = ?",
                [new_name, new_kind.value, org_id],
            )
        self._announce(Change(ChangeKind.ORGANISATIONS, current.workshop_id, (org_id,)))
        return Organisation(org_id, current.workshop_id, new_name, new_kind, current.position)

    def delete_organisation(self, org_id: int) -> None:
        current = self._get_organisation(org_id)
        with self._write() as db:
            self._touch(db, current.workshop_id)
            db.execute("DELETE FROM organisations WHERE id = ?", [org_id])
        self._announce(Change(ChangeKind.ORGANISATIONS, current.workshop_id, (org_id,)))

    def _get_organisation(self, org_id: int) -> Organisation:
        rows = self._read("SELECT * FROM organisations WHERE id = ?", [org_id])
        if not rows:
            raise NotFoundError("That organisation no longer exists.")
        r = rows[0]
        return Organisation(r["id"], r["workshop_id"], r["name"], OrgKind(r["kind"]), r["position"])

    def list_participants(self, workshop_id: int) -> list[Participant]:
        rows = self._read(
            "SELECT * FROM participants WHERE workshop_id = ? ORDER BY position, id", [workshop_id]
        )
        return [_participant_from_row(r) for r in rows]

    def add_participant(
        self, workshop_id: int, name: str, *, organisation_id: int | None = None, role: str = ""
    ) -> Participant:
        clean = clean_text(name, what="A participant's name", max_chars=TITLE_MAX_CHARS,
                           multiline=False)
        clean_role = clean_text(role, what="A role", max_chars=TITLE_MAX_CHARS, required=False,
                                multiline=False)
        with self._write() as db:
            self._touch(db, workshop_id)
            if organisation_id is not None:
                self._require_same_workshop(db, "organisations", organisation_id, workshop_id)
            position = _next_position(db, "participants", "workshop_id = ?", [workshop_id])
            cursor = db.execute(
                "INSERT INTO participants (workshop_id, name, organisation_id, role, position) "
                "VALUES (?, ?, ?, ?, ?)",
                [workshop_id, clean, organisation_id, clean_role, position],
            )
            pid = int(cursor.lastrowid or 0)
        self._announce(Change(ChangeKind.PARTICIPANTS, workshop_id, (pid,)))
        return Participant(pid, workshop_id, clean, organisation_id, clean_role, position)

    def update_participant(
        self,
        participant_id: int,
        *,
        name: str | None = None,
        role: str | None = None,
        organisation_id: int | None | EllipsisType = ...,
    ) -> Participant:
        rows = self._read("SELECT * FROM participants WHERE id = ?", [participant_id])
        if not rows:
            raise NotFoundError("That participant no longer exists.")
        r = rows[0]
        new_name = (
            clean_text(name, what="A participant's name", max_chars=TITLE_MAX_CHARS,
                       multiline=False)
            if name is not None
            else r["name"]
        )
        new_role = (
            clean_text(role, what="A role", max_chars=TITLE_MAX_CHARS, required=False,
                       multiline=False)
            if role is not None
            else r["role"]
        )
        new_org = r["organisation_id"] if isinstance(organisation_id, EllipsisType) else organisation_id
        with self._write() as db:
            self._touch(db, r["workshop_id"])
            if new_org is not None:
                self._require_same_workshop(db, "organisations", int(new_org), r["workshop_id"])
            db.execute(
                "UPDATE participants SET name = ?, role = ?, organisation_id = ? WHERE id = ?",
                [new_name, new_role, new_org, participant_id],
            )
        self._announce(Change(ChangeKind.PARTICIPANTS, r["workshop_id"], (participant_id,)))
        return Participant(participant_id, r["workshop_id"], new_name, new_org, new_role,
                           r["position"], Source(r["source"]))

    def delete_participant(self, participant_id: int
                           ) -> tuple[Participant, list[PracticeAnswer], str]:
        """Delete a person and their row of step 2's grid; returns what
        :meth:`restore_participant` needs to put them back exactly (same ids, notes relinked)."""
        rows = self._read("SELECT * FROM participants WHERE id = ?", [participant_id])
        if not rows:
            raise NotFoundError("That participant no longer exists.")
        person = _participant_from_row(rows[0])
        phone_key = rows[0]["phone_key"]
        answers = [_answer_from_row(r) for r in self._read(
            "SELECT * FROM practice_answers WHERE participant_id = ? ORDER BY id",
            [participant_id])]
        with self._write() as db:
            self._touch(db, person.workshop_id)
            if answers:
                self._stash_links(db, "answer_id", [a.id for a in answers])
            db.execute("DELETE FROM participants WHERE id = ?", [participant_id])
        self._announce(Change(ChangeKind.PARTICIPANTS, person.workshop_id, (participant_id,)))
        if answers:
            self._announce(Change(ChangeKind.VALUES, person.workshop_id, (participant_id,)))
        return person, answers, phone_key

    def restore_participant(self, person: Participant, answers: Sequence[PracticeAnswer] = (),
                            phone_key: str = "") -> None:
        """Undo :meth:`delete_participant`: the person, their answers and their notes' links."""
        with self._write() as db:
            self._touch(db, person.workshop_id)
            organisation_id = person.organisation_id
            if organisation_id is not None and db.execute(
                    "SELECT 1 FROM organisations WHERE id = ?", [organisation_id]).fetchone() is None:
                organisation_id = None
            db.execute(
                "INSERT INTO participants (id, workshop_id, name, organisation_id, role, position, "
                "source, phone_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [person.id, person.workshop_id, person.name, organisation_id, person.role,
                 person.position, person.source.value, phone_key])
            for a in answers:
                db.execute(
                    "INSERT INTO practice_answers (id, workshop_id, question, organisation_id, "
                    "participant_id, text, source, updated_at, origin) "
                    "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)",
                    [a.id, a.workshop_id, a.question.value, person.id, a.text, a.source.value,
                     a.updated_at, a.origin])
            self._unstash_links(db, "answer_id", [a.id for a in answers])
        self._announce(Change(ChangeKind.PARTICIPANTS, person.workshop_id, (person.id,)))
        self._announce(Change(ChangeKind.VALUES, person.workshop_id, (person.id,)))

    def _require_same_workshop(
        self, db: sqlite3.Connection, table: str, row_id: int, workshop_id: int
    ) -> None:
        row = db.execute(f"SELECT workshop_id FROM {table} WHERE id = ?", [row_id]).fetchone()
        if row is None or row[0] != workshop_id:
            raise NotFoundError("That item does not belong to this workshop.")

    # ----------------------------------------------------------------- post-its

    def list_postits(
        self, workshop_id: int, column: Column | str | None = None
    ) -> list[PostIt]:
        """Post-its in board order: by column, then position."""
        if column is None:
            rows = self._read_packed(
                "SELECT * FROM postits WHERE workshop_id = ? ORDER BY board_column, position, id",
                [workshop_id],
            )
        else:
            rows = self._read_packed(
                "SELECT * FROM postits WHERE workshop_id = ? AND board_column = ? "
                "ORDER BY position, id",
                [workshop_id, Column(column).value],
            )
        return [_postit_from_row(r) for r in rows]

    def get_postit(self, postit_id: int) -> PostIt:
        rows = self._read("SELECT * FROM postits WHERE id = ?", [postit_id])
        if not rows:
            raise NotFoundError("That post-it no longer exists.")
        return _postit_from_row(rows[0])

    def get_postits(self, postit_ids: Iterable[int]) -> list[PostIt]:
        ids = list(dict.fromkeys(postit_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._read(f"SELECT * FROM postits WHERE id IN ({marks})", ids)
        found = {r["id"]: _postit_from_row(r) for r in rows}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError("Some of those post-its no longer exist.")
        return [found[i] for i in ids]

    def add_postit(
        self,
        workshop_id: int,
        column: Column | str,
        text: str,
        *,
        colour: Colour | str = Colour.YELLOW,
        before_id: int | None = None,
        group_id: int | None = None,
        shared: bool = False,
        source: Source | str = Source.FACILITATOR,
        status: Status | str = Status.VISIBLE,
        author: str = "",
    ) -> PostIt:
        """Add a post-it at the end of its column (or before ``before_id``)."""
        column, clean, clean_author = _clean_postit_input(column, text, author)
        colour = _colour(colour)
        with self._write() as db:
            postit_id = self._insert_postit(
                db, workshop_id, column, clean, colour=colour, before_id=before_id,
                group_id=group_id, shared=shared, source=Source(source), status=Status(status),
                author=clean_author,
            )
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, (postit_id,), frozenset({column}))
        )
        return self.get_postit(postit_id)

    def _insert_postit(
        self,
        db: sqlite3.Connection,
        workshop_id: int,
        column: Column,
        clean: str,
        *,
        colour: Colour,
        before_id: int | None,
        group_id: int | None,
        shared: bool,
        source: Source,
        status: Status,
        author: str,
    ) -> int:
        self._touch(db, workshop_id)
        if group_id is not None:
            self._require_group(db, group_id, workshop_id, column)
        now = _now()
        position = _next_position(db, "postits", "workshop_id = ? AND board_column = ?",
                                  [workshop_id, column.value])
        cursor = db.execute(
            "INSERT INTO postits (workshop_id, board_column, text, colour, position, "
            "group_id, shared, source, status, author, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [workshop_id, column.value, clean, colour.value, position, group_id, int(shared),
             source.value, status.value, author, now, now],
        )
        postit_id = int(cursor.lastrowid or 0)
        if before_id is not None:
            order = [i for i in _column_order(db, workshop_id, column) if i != postit_id]
            _insert_before(order, [postit_id], before_id)
            _write_order(db, order)
        return postit_id

    def add_postits(
        self, workshop_id: int, items: Iterable[Mapping[str, Any]]
    ) -> list[int]:
        """Add many post-its in one transaction (demo data, imports, benchmarks)."""
        prepared = []
        for item in items:
            column = Column(item["column"])
            prepared.append(
                (
                    column,
                    clean_text(item["text"], what="A post-it", max_chars=POSTIT_MAX_CHARS),
                    _colour(item.get("colour", Colour.YELLOW)),
                    bool(item.get("shared", False)),
                    item.get("group_id"),
                )
            )
        now = _now()
        ids: list[int] = []
        with self._write() as db:
            self._touch(db, workshop_id)
            next_pos: dict[Column, int] = {}
            for column, text, colour, shared, group_id in prepared:
                if column not in next_pos:
                    next_pos[column] = _next_position(
                        db, "postits", "workshop_id = ? AND board_column = ?",
                        [workshop_id, column.value],
                    )
                if group_id is not None:
                    self._require_group(db, group_id, workshop_id, column)
                cursor = db.execute(
                    "INSERT INTO postits (workshop_id, board_column, text, colour, position, "
                    "group_id, shared, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [workshop_id, column.value, text, colour.value, next_pos[column], group_id,
                     int(shared), now, now],
                )
                next_pos[column] += 1
                ids.append(int(cursor.lastrowid or 0))
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, tuple(ids), frozenset(next_pos))
        )
        return ids

    def update_postits(self, changes: Mapping[int, Mapping[str, Any]]) -> list[PostIt]:
        """Change text, colour or the shared mark of several post-its in one transaction.

        Returns the post-its as they were before, so an undo can put them back.
        """
        if not changes:
            return []
        before = self.get_postits(changes.keys())
        updates: list[tuple[int, dict[str, Any]]] = []
        for postit_id, fields in changes.items():
            clean: dict[str, Any] = {}
            for key, value in fields.items():
                if key == "text":
                    clean["text"] = clean_text(value, what="A post-it", max_chars=POSTIT_MAX_CHARS)
                elif key == "colour":
                    clean["colour"] = _colour(value).value
                elif key == "shared":
                    clean["shared"] = int(bool(value))
                elif key == "status":
                    clean["status"] = Status(value).value
                else:
                    raise ValidationError(f"A post-it has no field {key!r} to change.")
            updates.append((postit_id, clean))
        workshop_id = before[0].workshop_id
        now = _now()
        with self._write() as db:
            self._touch(db, workshop_id)
            for postit_id, clean in updates:
                if not clean:
                    continue
                assignments = ", ".join(f"{key} = ?" for key in clean)
                db.execute(
                    f"UPDATE postits SET {assignments}, updated_at = ? WHERE id = ?",
                    [*clean.values(), now, postit_id],
                )
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, tuple(changes),
                   frozenset(p.column for p in before))
        )
        return before

    def edit_postit(self, postit_id: int, text: str) -> PostIt:
        return self.update_postits({postit_id: {"text": text}})[0]

    def set_colour(self, postit_ids: Iterable[int], colour: Colour | str) -> list[PostIt]:
        return self.update_postits({i: {"colour": colour} for i in postit_ids})

    def set_shared(self, postit_ids: Iterable[int], shared: bool) -> list[PostIt]:
        return self.update_postits({i: {"shared": shared} for i in postit_ids})

    def delete_postits(self, postit_ids: Iterable[int]) -> list[PostIt]:
        """Delete post-its; returns them whole so :meth:`restore_postits` can bring them back."""
        records = self.get_postits(postit_ids)
        if not records:
            return []
        workshop_id = records[0].workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            marks = ",".join("?" * len(records))
            db.execute(f"DELETE FROM postits WHERE id IN ({marks})", [p.id for p in records])
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, tuple(p.id for p in records),
                   frozenset(p.column for p in records))
        )
        return records

    def restore_postits(self, records: Sequence[PostIt]) -> None:
        """Put deleted post-its back exactly as they were (same id, place, group)."""
        if not records:
            return
        workshop_id = records[0].workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            for p in records:
                group_id = p.group_id
                if group_id is not None and db.execute(
                    "SELECT 1 FROM postit_groups WHERE id = ?", [group_id]
                ).fetchone() is None:
                    group_id = None
                db.execute(
                    "INSERT INTO postits (id, workshop_id, board_column, text, colour, position, "
                    "group_id, shared, source, status, author, created_at, updated_at, origin) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [p.id, p.workshop_id, p.column.value, p.text, p.colour.value, p.position,
                     group_id, int(p.shared), p.source.value, p.status.value, p.author,
                     p.created_at, p.updated_at, p.origin],
                )
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, tuple(p.id for p in records),
                   frozenset(p.column for p in records))
        )

    def move_postits(
        self,
        postit_ids: Sequence[int],
        column: Column | str,
        *,
        before_id: int | None = None,
        group_id: int | None = None,
    ) -> None:
        """Move post-its, in the given order, into ``column`` before ``before_id`` (or last).

        They join ``group_id`` (which must be in that column), or no group.
        """
        column = Column(column)
        records = self.get_postits(postit_ids)
        if not records:
            return
        workshop_id = records[0].workshop_id
        moving = [p.id for p in records]
        if before_id in moving:
            raise ValidationError("A post-it cannot be moved in front of itself.")
        columns = {p.column for p in records} | {column}
        with self._write() as db:
            self._touch(db, workshop_id)
            if group_id is not None:
                self._require_group(db, group_id, workshop_id, column)
            if before_id is not None:
                self._require_same_workshop(db, "postits", before_id, workshop_id)
            marks = ",".join("?" * len(moving))
            db.execute(
                f"UPDATE postits SET board_column = ?, group_id = ? WHERE id IN ({marks})",
                [column.value, group_id, *moving],
            )
            for other in columns - {column}:
                _write_order(db, _column_order(db, workshop_id, other))
            order = [i for i in _column_order(db, workshop_id, column) if i not in moving]
            _insert_before(order, moving, before_id)
            _write_order(db, order)
        self._announce(Change(ChangeKind.POSTITS, workshop_id, tuple(moving), frozenset(columns)))

    def board_layout(self, workshop_id: int) -> dict[int, tuple[Column, int, int | None]]:
        """Where every post-it sits: id -> (column, position, group). For undoing moves."""
        rows = self._read_packed(
            "SELECT id, board_column, position, group_id FROM postits WHERE workshop_id = ?",
            [workshop_id],
        )
        return {r["id"]: (Column(r["board_column"]), r["position"], r["group_id"]) for r in rows}

    def restore_layout(
        self, workshop_id: int, layout: Mapping[int, tuple[Column, int, int | None]]
    ) -> None:
        """Put post-its back where :meth:`board_layout` saw them (ones since deleted are skipped)."""
        with self._write() as db:
            self._touch(db, workshop_id)
            existing_groups = {
                row[0]
                for row in db.execute(
                    "SELECT id FROM postit_groups WHERE workshop_id = ?", [workshop_id]
                ).fetchall()
            }
            for postit_id, (column, position, group_id) in layout.items():
                db.execute(
                    "UPDATE postits SET board_column = ?, position = ?, group_id = ? "
                    "WHERE id = ? AND workshop_id = ?",
                    [Column(column).value, position,
                     group_id if group_id in existing_groups else None, postit_id, workshop_id],
                )
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, tuple(layout), frozenset(Column))
        )

    # ----------------------------------------------------------------- groups

    def _require_group(self, db: sqlite3.Connection, group_id: int, workshop_id: int, column: Column) -> None:
        row = db.execute(
            "SELECT workshop_id, board_column FROM postit_groups WHERE id = ?", [group_id]
        ).fetchone()
        if row is None or row[0] != workshop_id:
            raise NotFoundError("That group no longer exists.")
        if row[1] != column.value:
            raise ValidationError("A group holds post-its from its own column only.")

    def list_groups(self, workshop_id: int, column: Column | str | None = None) -> list[Group]:
        if column is None:
            rows = self._read_packed(
                "SELECT * FROM postit_groups WHERE workshop_id = ? "
                "ORDER BY board_column, position, id", [workshop_id],
            )
        else:
            rows = self._read_packed(
                "SELECT * FROM postit_groups WHERE workshop_id = ? AND board_column = ? "
                "ORDER BY position, id", [workshop_id, Column(column).value],
            )
        return [
            Group(r["id"], r["workshop_id"], Column(r["board_column"]), r["name"], r["position"])
            for r in rows
        ]

    def get_group(self, group_id: int) -> Group:
        rows = self._read("SELECT * FROM postit_groups WHERE id = ?", [group_id])
        if not rows:
            raise NotFoundError("That group no longer exists.")
        r = rows[0]
        return Group(r["id"], r["workshop_id"], Column(r["board_column"]), r["name"], r["position"])

    def _clean_group_name(self, name: str) -> str:
        return clean_text(name, what="A group name", max_chars=GROUP_NAME_MAX_CHARS,
                          multiline=False)

    def add_group(
        self,
        workshop_id: int,
        column: Column | str,
        name: str,
        *,
        postit_ids: Sequence[int] = (),
        group_id: int | None = None,
    ) -> Group:
        """Create a named group in a column, optionally gathering post-its into it.

        ``group_id`` re-creates a group with a known id (redo after undo).
        """
        column = Column(column)
        clean = self._clean_group_name(name)
        with self._write() as db:
            self._touch(db, workshop_id)
            position = _next_position(
                db, "postit_groups", "workshop_id = ? AND board_column = ?",
                [workshop_id, column.value],
            )
            cursor = db.execute(
                "INSERT INTO postit_groups (id, workshop_id, board_column, name, position) "
                "VALUES (?, ?, ?, ?, ?)",
                [group_id, workshop_id, column.value, clean, position],
            )
            new_id = int(cursor.lastrowid or 0) if group_id is None else group_id
            if postit_ids:
                marks = ",".join("?" * len(postit_ids))
                rows = db.execute(
                    f"SELECT id FROM postits WHERE id IN ({marks}) AND workshop_id = ? "
                    "AND board_column = ?",
                    [*postit_ids, workshop_id, column.value],
                ).fetchall()
                if len(rows) != len(set(postit_ids)):
                    raise ValidationError("A group holds post-its from its own column only.")
                db.execute(
                    f"UPDATE postits SET group_id = ? WHERE id IN ({marks})",
                    [new_id, *postit_ids],
                )
        self._announce(Change(ChangeKind.GROUPS, workshop_id, (new_id,), frozenset({column})))
        return Group(new_id, workshop_id, column, clean, position)

    def rename_group(self, group_id: int, name: str) -> Group:
        group = self.get_group(group_id)
        clean = self._clean_group_name(name)
        with self._write() as db:
            self._touch(db, group.workshop_id)
            db.execute("UPDATE postit_groups SET name = ? WHERE id = ?", [clean, group_id])
        self._announce(
            Change(ChangeKind.GROUPS, group.workshop_id, (group_id,), frozenset({group.column}))
        )
        return Group(group_id, group.workshop_id, group.column, clean, group.position)

    def delete_group(self, group_id: int) -> tuple[Group, list[int]]:
        """Remove a group; its post-its stay, ungrouped. Returns what undo needs."""
        group = self.get_group(group_id)
        with self._write() as db:
            self._touch(db, group.workshop_id)
            members = [
                row[0]
                for row in db.execute(
                    "SELECT id FROM postits WHERE group_id = ? ORDER BY position, id", [group_id]
                ).fetchall()
            ]
            db.execute("UPDATE postits SET group_id = NULL WHERE group_id = ?", [group_id])
            db.execute("DELETE FROM postit_groups WHERE id = ?", [group_id])
        self._announce(
            Change(ChangeKind.GROUPS, group.workshop_id, (group_id,), frozenset({group.column}))
        )
        return group, members

    def restore_group(self, group: Group, member_ids: Sequence[int]) -> None:
        with self._write() as db:
            self._touch(db, group.workshop_id)
            db.execute(
                "INSERT INTO postit_groups (id, workshop_id, board_column, name, position) "
                "VALUES (?, ?, ?, ?, ?)",
                [group.id, group.workshop_id, group.column.value, group.name, group.position],
            )
            if member_ids:
                marks = ",".join("?" * len(member_ids))
                db.execute(
                    f"UPDATE postits SET group_id = ? WHERE id IN ({marks}) AND board_column = ?",
                    [group.id, *member_ids, group.column.value],
                )
        self._announce(
            Change(ChangeKind.GROUPS, group.workshop_id, (group.id,), frozenset({group.column}))
        )

    def set_postit_group(self, postit_ids: Sequence[int], group_id: int | None) -> None:
        """Put post-its into a group of their column, or take them out (``None``)."""
        records = self.get_postits(postit_ids)
        if not records:
            return
        workshop_id = records[0].workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            if group_id is not None:
                for p in records:
                    self._require_group(db, group_id, workshop_id, p.column)
            marks = ",".join("?" * len(records))
            db.execute(
                f"UPDATE postits SET group_id = ? WHERE id IN ({marks})",
                [group_id, *(p.id for p in records)],
            )
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, tuple(p.id for p in records),
                   frozenset(p.column for p in records))
        )

    # ----------------------------------------------------------------- joining from phones

    def _join_row(self, db: sqlite3.Connection, workshop_id: int) -> dict[str, Any]:
        cursor = db.execute("SELECT * FROM join_settings WHERE workshop_id = ?", [workshop_id])
        row = cursor.fetchone()
        if row is None:
            self._touch(db, workshop_id)
            db.execute(
                "INSERT INTO join_settings (workshop_id, token) VALUES (?, ?)",
                [workshop_id, new_join_token()],
            )
            cursor = db.execute(
                "SELECT * FROM join_settings WHERE workshop_id = ?", [workshop_id]
            )
            row = cursor.fetchone()
        names = [d[0] for d in cursor.description]
        return dict(zip(names, row, strict=True))

    def join_settings(self, workshop_id: int) -> JoinSettings:
        """The workshop's join token and phone settings, made on first use."""
        rows = self._read("SELECT * FROM join_settings WHERE workshop_id = ?", [workshop_id])
        if rows:
            return _join_from_row(rows[0])
        with self._write() as db:
            row = self._join_row(db, workshop_id)
        return _join_from_row(row)

    def workshop_for_token(self, token: str) -> int | None:
        """The workshop a join token opens, or None for a wrong or rotated token."""
        if not isinstance(token, str) or not JOIN_TOKEN_PATTERN.fullmatch(token):
            return None
        rows = self._read("SELECT workshop_id FROM join_settings WHERE token = ?", [token])
        return int(rows[0]["workshop_id"]) if rows else None

    def rotate_join_token(self, workshop_id: int) -> JoinSettings:
        """A new join token: links and QR codes made before stop working at once."""
        with self._write() as db:
            self._join_row(db, workshop_id)
            db.execute("UPDATE join_settings SET token = ? WHERE workshop_id = ?",
                       [new_join_token(), workshop_id])
            self._log(db, workshop_id, None, "rotated join link")
            row = self._join_row(db, workshop_id)
        self._announce(Change(ChangeKind.JOINING, workshop_id, (workshop_id,)))
        return _join_from_row(row)

    def update_join_settings(self, workshop_id: int, **fields: Any) -> JoinSettings:
        """Change moderation, hold-until-reveal, the fixed column, vote budget or tally display."""
        clean: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "moderation":
                clean[key] = Moderation(value).value
            elif key in ("hold_until_reveal", "tallies_shown", "collect_values", "review_open"):
                clean[key] = int(bool(value))
            elif key == "fixed_column":
                clean[key] = Column(value).value if value else ""
            elif key == "vote_budget":
                budget = int(value)
                if not 1 <= budget <= MAX_VOTE_BUDGET:
                    raise ValidationError(
                        f"The vote budget must be between 1 and {MAX_VOTE_BUDGET}."
                    )
                clean[key] = budget
            else:
                raise ValidationError(f"Unknown joining setting {key!r}.")
        with self._write() as db:
            self._join_row(db, workshop_id)
            if clean:
                assignments = ", ".join(f"{key} = ?" for key in clean)
                db.execute(f"UPDATE join_settings SET {assignments} WHERE workshop_id = ?",
                           [*clean.values(), workshop_id])
                self._log(db, workshop_id, None, "changed settings",
                          ", ".join(f"{k}={v}" for k, v in clean.items()))
            row = self._join_row(db, workshop_id)
        self._announce(Change(ChangeKind.JOINING, workshop_id, (workshop_id,)))
        return _join_from_row(row)

    def add_phone_postit(
        self,
        workshop_id: int,
        column: Column | str,
        text: str,
        *,
        author: str = "",
        token: str | None = None,
    ) -> PostIt:
        """A post-it sent from a phone: visible, pending approval, or held for the reveal.

        With ``token``, the join token is checked in the same transaction as the insert, so a
        link rotated a moment earlier can never add a post-it. An anonymous post stores no
        identity of its sender at all.
        """
        chosen, clean, clean_author = _clean_postit_input(column, text, author)
        with self._write() as db:
            settings = _join_from_row(self._join_row(db, workshop_id))
            if token is not None and settings.token != token:
                raise NotFoundError("This join link is no longer valid. Ask for the new one.")
            if settings.fixed_column is not None:
                chosen = settings.fixed_column
            if settings.moderation is Moderation.APPROVAL:
                status = Status.PENDING
            elif settings.hold_until_reveal:
                status = Status.HELD
            else:
                status = Status.VISIBLE
            postit_id = self._insert_postit(
                db, workshop_id, chosen, clean, colour=_PHONE_COLOUR, before_id=None,
                group_id=None, shared=False, source=Source.PHONE, status=status,
                author=clean_author,
            )
        self._announce(
            Change(ChangeKind.POSTITS, workshop_id, (postit_id,), frozenset({chosen}))
        )
        return self.get_postit(postit_id)

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's PRAGMA data_version)."""
        return int(self._read("PRAGMA data_version")[0]["data_version"])

    def set_status(self, postit_ids: Iterable[int], status: Status | str, *,
                   action: str = "") -> list[PostIt]:
        """Approve, hide or reveal post-its, logged; returns them as they were before."""
        status = Status(status)
        records = self.get_postits(postit_ids)
        if not records:
            return []
        workshop_id = records[0].workshop_id
        label = action or {Status.VISIBLE: "approved", Status.HIDDEN: "hidden",
                           Status.PENDING: "sent back to the queue",
                           Status.HELD: "held"}[status]
        with self._write() as db:
            self._touch(db, workshop_id)
            for p in records:
                if p.workshop_id != workshop_id:
                    raise ValidationError("Those post-its belong to different workshops.")
                db.execute("UPDATE postits SET status = ?, updated_at = ? WHERE id = ?",
                           [status.value, _now(), p.id])
                self._log(db, workshop_id, p.id, label)
        self._announce(Change(ChangeKind.POSTITS, workshop_id, tuple(p.id for p in records),
                              frozenset(p.column for p in records)))
        return records

    def reveal_held(self, workshop_id: int) -> list[int]:
        """Show every held post-it at once; returns their ids."""
        with self._write() as db:
            self._touch(db, workshop_id)
            rows = db.execute(
                "SELECT id, board_column FROM postits WHERE workshop_id = ? AND status = ?",
                [workshop_id, Status.HELD.value],
            ).fetchall()
            db.execute(
                "UPDATE postits SET status = ?, updated_at = ? WHERE workshop_id = ? "
                "AND status = ?",
                [Status.VISIBLE.value, _now(), workshop_id, Status.HELD.value],
            )
            self._log(db, workshop_id, None, "revealed", f"{len(rows)} post-its")
        ids = tuple(r[0] for r in rows)
        self._announce(Change(ChangeKind.POSTITS, workshop_id, ids,
                              frozenset(Column(r[1]) for r in rows)))
        return list(ids)

    def status_counts(self, workshop_id: int) -> dict[Status, int]:
        counts = {status: 0 for status in Status}
        for row in self._read(
            "SELECT status, COUNT(*) AS n FROM postits WHERE workshop_id = ? GROUP BY status",
            [workshop_id],
        ):
            counts[Status(row["status"])] = row["n"]
        return counts

    def moderation_log(self, workshop_id: int) -> list[ModerationEntry]:
        rows = self._read("SELECT * FROM moderation_log WHERE workshop_id = ? ORDER BY id",
                          [workshop_id])
        return [ModerationEntry(r["id"], r["workshop_id"], r["postit_id"], r["action"],
                                r["detail"], r["at"]) for r in rows]

    def _log(self, db: sqlite3.Connection, workshop_id: int, postit_id: int | None, action: str,
             detail: str = "") -> None:
        db.execute(
            "INSERT INTO moderation_log (workshop_id, postit_id, action, detail, at) "
            "VALUES (?, ?, ?, ?, ?)",
            [workshop_id, postit_id, action, detail, _now()],
        )

    # ----------------------------------------------------------------- dot voting

    def open_voting(self, workshop_id: int, *, budget: int | None = None) -> JoinSettings:
        """Start a new round of dot voting; tallies stay hidden until shown."""
        if budget is not None and not 1 <= int(budget) <= MAX_VOTE_BUDGET:
            raise ValidationError(f"The vote budget must be between 1 and {MAX_VOTE_BUDGET}.")
        with self._write() as db:
            row = self._join_row(db, workshop_id)
            db.execute(
                "UPDATE join_settings SET voting_open = 1, tallies_shown = 0, "
                "voting_round = voting_round + 1, vote_budget = ? WHERE workshop_id = ?",
                [int(budget) if budget is not None else row["vote_budget"], workshop_id],
            )
            self._log(db, workshop_id, None, "opened voting")
            row = self._join_row(db, workshop_id)
        self._announce(Change(ChangeKind.JOINING, workshop_id, (workshop_id,)))
        return _join_from_row(row)

    def close_voting(self, workshop_id: int) -> JoinSettings:
        with self._write() as db:
            self._join_row(db, workshop_id)
            db.execute("UPDATE join_settings SET voting_open = 0 WHERE workshop_id = ?",
                       [workshop_id])
            self._log(db, workshop_id, None, "closed voting")
            row = self._join_row(db, workshop_id)
        self._announce(Change(ChangeKind.JOINING, workshop_id, (workshop_id,)))
        return _join_from_row(row)

    def cast_vote(self, workshop_id: int, voter: str, postit_id: int) -> int:
        """Spend one of a phone's votes on a revealed post-it; returns votes left."""
        with self._write() as db:
            row = self._join_row(db, workshop_id)
            if not row["voting_open"]:
                raise VotingClosedError("Voting is not open right now.")
            target = db.execute(
                "SELECT status FROM postits WHERE id = ? AND workshop_id = ?",
                [postit_id, workshop_id],
            ).fetchone()
            if target is None or target[0] != Status.VISIBLE.value:
                raise NotFoundError("That post-it is not on the board.")
            used = db.execute(
                "SELECT COUNT(*) FROM votes WHERE workshop_id = ? AND voting_round = ? "
                "AND voter = ?", [workshop_id, row["voting_round"], voter],
            ).fetchone()[0]
            if used >= row["vote_budget"]:
                raise VoteBudgetSpentError(
                    f"You have used all {row['vote_budget']} of your votes."
                )
            db.execute(
                "INSERT INTO votes (workshop_id, postit_id, voter, voting_round, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [workshop_id, postit_id, voter, row["voting_round"], _now()],
            )
            left = int(row["vote_budget"]) - used - 1
        self._announce(Change(ChangeKind.VOTES, workshop_id, (postit_id,)))
        return left

    def withdraw_vote(self, workshop_id: int, voter: str, postit_id: int) -> int:
        """Take back one of this phone's votes on a post-it; returns votes left."""
        with self._write() as db:
            row = self._join_row(db, workshop_id)
            if not row["voting_open"]:
                raise VotingClosedError("Voting is not open right now.")
            vote = db.execute(
                "SELECT id FROM votes WHERE workshop_id = ? AND voting_round = ? AND voter = ? "
                "AND postit_id = ? LIMIT 1",
                [workshop_id, row["voting_round"], voter, postit_id],
            ).fetchone()
            if vote is None:
                raise NotFoundError("You have no vote on that post-it.")
            db.execute("DELETE FROM votes WHERE id = ?", [vote[0]])
            used = db.execute(
                "SELECT COUNT(*) FROM votes WHERE workshop_id = ? AND voting_round = ? "
                "AND voter = ?", [workshop_id, row["voting_round"], voter],
            ).fetchone()[0]
        self._announce(Change(ChangeKind.VOTES, workshop_id, (postit_id,)))
        return int(row["vote_budget"]) - used

    def votes_of(self, workshop_id: int, voter: str) -> dict[int, int]:
        """This phone's votes in the current round: post-it id -> count."""
        settings = self.join_settings(workshop_id)
        rows = self._read_packed(
            "SELECT postit_id, COUNT(*) AS n FROM votes WHERE workshop_id = ? AND voting_round = ? "
            "AND voter = ? GROUP BY postit_id", [workshop_id, settings.voting_round, voter],
        )
        return {r["postit_id"]: r["n"] for r in rows}

    def vote_tallies(self, workshop_id: int) -> dict[int, int]:
        """Votes per post-it in the current round."""
        settings = self.join_settings(workshop_id)
        rows = self._read(
            "SELECT postit_id, COUNT(*) AS n FROM votes WHERE workshop_id = ? AND voting_round = ? "
            "GROUP BY postit_id", [workshop_id, settings.voting_round],
        )
        return {r["postit_id"]: r["n"] for r in rows}

    # ----------------------------------------------------------------- the stakeholder map

    _STAKEHOLDER_TEXT: ClassVar[dict[str, tuple[str, int, bool]]] = {
        "label": ("A card's team or role", STAKEHOLDER_LABEL_MAX_CHARS, True),
        "person": ("A card's named person", STAKEHOLDER_LABEL_MAX_CHARS, False),
        "contact": ("A card's contact details", STAKEHOLDER_FIELD_MAX_CHARS, False),
        "part_note": ("The part they play", STAKEHOLDER_LABEL_MAX_CHARS, False),
        "responsibility_note": ("What they are responsible for", STAKEHOLDER_FIELD_MAX_CHARS,
                                False),
    }
    _STAKEHOLDER_FIELDS = frozenset(
        {*_STAKEHOLDER_TEXT, "organisation_id", "ring", "across", "depth", "part",
         "responsibilities", "status"}
    )

    def _clean_stakeholder_fields(
        self, db: sqlite3.Connection, workshop_id: int, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Check and normalise card fields into database values."""
        row: dict[str, Any] = {}
        for key, value in fields.items():
            if key not in self._STAKEHOLDER_FIELDS:
                raise ValidationError(f"Unknown card field {key!r}.")
            if key in self._STAKEHOLDER_TEXT:
                what, limit, required = self._STAKEHOLDER_TEXT[key]
                row[key] = clean_text(value, what=what, max_chars=limit, required=required,
                                      multiline=False)
            elif key == "organisation_id":
                if value is not None:
                    self._require_same_workshop(db, "organisations", int(value), workshop_id)
                    value = int(value)
                row[key] = value
            elif key == "ring":
                if not isinstance(value, int) or not 0 <= value < RING_COUNT:
                    raise ValidationError("A card's ring must be 0, 1 or 2, from the centre out.")
                row[key] = value
            elif key in ("across", "depth"):
                number = float(value)
                row[key] = 0.5 if math.isnan(number) else min(1.0, max(0.0, number))
            elif key == "part":
                row[key] = _enum(Part, value, "part").value
            elif key == "status":
                row[key] = _enum(InviteStatus, value, "invitation status").value
            elif key == "responsibilities":
                items = {_enum(Responsibility, v, "responsibility") for v in value}
                row[key] = ",".join(r.value for r in Responsibility if r in items)
        return row

    def stakeholder_map(self, workshop_id: int) -> StakeholderMap:
        """Everything the map shows, read in one go."""
        workshop = self.get_workshop(workshop_id)
        return StakeholderMap(
            workshop_id=workshop_id,
            ring_names=workshop.ring_names,
            organisations=tuple(self.list_organisations(workshop_id)),
            stakeholders=tuple(self.list_stakeholders(workshop_id)),
            links=tuple(self.list_links(workshop_id)),
        )

    def list_stakeholders(self, workshop_id: int) -> list[Stakeholder]:
        rows = self._read("SELECT * FROM stakeholders WHERE workshop_id = ? ORDER BY id",
                          [workshop_id])
        return [_stakeholder_from_row(r) for r in rows]

    def get_stakeholders(self, stakeholder_ids: Iterable[int]) -> list[Stakeholder]:
        ids = list(dict.fromkeys(int(i) for i in stakeholder_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._read(f"SELECT * FROM stakeholders WHERE id IN ({marks})", ids)
        by_id = {r["id"]: _stakeholder_from_row(r) for r in rows}
        if len(by_id) != len(ids):
            raise NotFoundError("That card is no longer on the map.")
        return [by_id[i] for i in ids]

    def add_stakeholder(self, workshop_id: int, label: str, **fields: Any) -> Stakeholder:
        return self.add_stakeholders(workshop_id, [{"label": label, **fields}])[0]

    def add_stakeholders(
        self, workshop_id: int, cards: Sequence[Mapping[str, Any]]
    ) -> list[Stakeholder]:
        """Add cards in one transaction (a preset dropped in, the demo map, a pasted list)."""
        now = _now()
        new_ids: list[int] = []
        with self._write() as db:
            self._touch(db, workshop_id)
            for card in cards:
                if "label" not in card:
                    raise ValidationError("A card's team or role cannot be empty.")
                row = self._clean_stakeholder_fields(db, workshop_id, card)
                row.update(workshop_id=workshop_id, created_at=now, updated_at=now)
                names = ", ".join(row)
                cursor = db.execute(
                    f"INSERT INTO stakeholders ({names}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
                new_ids.append(int(cursor.lastrowid or 0))
        self._announce(Change(ChangeKind.STAKEHOLDERS, workshop_id, tuple(new_ids)))
        return self.get_stakeholders(new_ids)

    def update_stakeholders(
        self, changes: Mapping[int, Mapping[str, Any]]
    ) -> list[Stakeholder]:
        """Change any fields of several cards at once (edit, move, re-ring, invite status)."""
        if not changes:
            return []
        current = self.get_stakeholders(changes)
        workshop_id = current[0].workshop_id
        if any(s.workshop_id != workshop_id for s in current):
            raise ValidationError("Cards from different workshops cannot be changed together.")
        now = _now()
        with self._write() as db:
            self._touch(db, workshop_id)
            for stakeholder_id, fields in changes.items():
                row = self._clean_stakeholder_fields(db, workshop_id, fields)
                if not row:
                    continue
                assignments = ", ".join(f"{key} = ?" for key in row)
                db.execute(
                    f"UPDATE stakeholders SET {assignments}, updated_at = ? WHERE id = ?",
                    [*row.values(), now, stakeholder_id],
                )
        self._announce(Change(ChangeKind.STAKEHOLDERS, workshop_id, tuple(changes)))
        return self.get_stakeholders(changes)

    def delete_stakeholders(
        self, stakeholder_ids: Iterable[int]
    ) -> tuple[list[Stakeholder], list[StakeholderLink]]:
        """Delete cards and their links; returns both whole for :meth:`restore_stakeholders`."""
        cards = self.get_stakeholders(stakeholder_ids)
        if not cards:
            return [], []
        workshop_id = cards[0].workshop_id
        ids = [s.id for s in cards]
        marks = ",".join("?" * len(ids))
        links = [
            _link_from_row(r) for r in self._read(
                f"SELECT * FROM stakeholder_links WHERE source_id IN ({marks}) "
                f"OR target_id IN ({marks}) ORDER BY id", ids + ids)
        ]
        with self._write() as db:
            self._touch(db, workshop_id)
            db.execute(f"DELETE FROM stakeholders WHERE id IN ({marks})", ids)
        self._announce(Change(ChangeKind.STAKEHOLDERS, workshop_id, tuple(ids)))
        return cards, links

    def restore_stakeholders(
        self, cards: Sequence[Stakeholder], links: Sequence[StakeholderLink] = ()
    ) -> None:
        """Put deleted cards (and their links) back exactly as they were, under the same ids."""
        if not cards and not links:
            return
        workshop_id = (cards[0] if cards else links[0]).workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            for s in cards:
                organisation_id = s.organisation_id
                if organisation_id is not None and db.execute(
                    "SELECT 1 FROM organisations WHERE id = ?", [organisation_id]
                ).fetchone() is None:
                    organisation_id = None
                db.execute(
                    "INSERT INTO stakeholders (id, workshop_id, label, organisation_id, ring, "
                    "across, depth, person, contact, part, part_note, responsibilities, "
                    "responsibility_note, status, created_at, updated_at, origin) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [s.id, s.workshop_id, s.label, organisation_id, s.ring, s.across, s.depth,
                     s.person, s.contact, s.part.value, s.part_note,
                     ",".join(r.value for r in Responsibility if r in s.responsibilities),
                     s.responsibility_note, s.status.value, s.created_at, s.updated_at,
                     s.origin],
                )
            self._insert_links(db, links)
        ids = tuple(s.id for s in cards) + tuple(link.id for link in links)
        self._announce(Change(ChangeKind.STAKEHOLDERS, workshop_id, ids))

    def _insert_links(self, db: sqlite3.Connection, links: Sequence[StakeholderLink]) -> None:
        for link in links:
            db.execute(
                "INSERT INTO stakeholder_links (id, workshop_id, source_id, target_id, label) "
                "VALUES (?, ?, ?, ?, ?)",
                [link.id, link.workshop_id, link.source_id, link.target_id, link.label],
            )

    def list_links(self, workshop_id: int) -> list[StakeholderLink]:
        rows = self._read("SELECT * FROM stakeholder_links WHERE workshop_id = ? ORDER BY id",
                          [workshop_id])
        return [_link_from_row(r) for r in rows]

    def get_link(self, link_id: int) -> StakeholderLink:
        rows = self._read("SELECT * FROM stakeholder_links WHERE id = ?", [link_id])
        if not rows:
            raise NotFoundError("That line is no longer on the map.")
        return _link_from_row(rows[0])

    def add_link(self, source_id: int, target_id: int, label: str = "") -> StakeholderLink:
        """Connect two cards of the same map with a labelled line."""
        text = clean_text(label, what="A line's label", max_chars=LINK_LABEL_MAX_CHARS,
                          required=False, multiline=False)
        if source_id == target_id:
            raise ValidationError("A card cannot be connected to itself.")
        source, target = self.get_stakeholders([source_id, target_id])
        if source.workshop_id != target.workshop_id:
            raise ValidationError("Only cards on the same map can be connected.")
        with self._write() as db:
            self._touch(db, source.workshop_id)
            cursor = db.execute(
                "INSERT INTO stakeholder_links (workshop_id, source_id, target_id, label) "
                "VALUES (?, ?, ?, ?)", [source.workshop_id, source_id, target_id, text],
            )
            link_id = int(cursor.lastrowid or 0)
        self._announce(Change(ChangeKind.STAKEHOLDERS, source.workshop_id, (link_id,)))
        return StakeholderLink(link_id, source.workshop_id, source_id, target_id, text)

    def relabel_link(self, link_id: int, label: str) -> StakeholderLink:
        text = clean_text(label, what="A line's label", max_chars=LINK_LABEL_MAX_CHARS,
                          required=False, multiline=False)
        link = self.get_link(link_id)
        with self._write() as db:
            self._touch(db, link.workshop_id)
            db.execute("UPDATE stakeholder_links SET label = ? WHERE id = ?", [text, link_id])
        self._announce(Change(ChangeKind.STAKEHOLDERS, link.workshop_id, (link_id,)))
        return self.get_link(link_id)

    def delete_links(self, link_ids: Iterable[int]) -> list[StakeholderLink]:
        links = [self.get_link(i) for i in dict.fromkeys(link_ids)]
        if not links:
            return []
        with self._write() as db:
            self._touch(db, links[0].workshop_id)
            marks = ",".join("?" * len(links))
            db.execute(f"DELETE FROM stakeholder_links WHERE id IN ({marks})",
                       [link.id for link in links])
        self._announce(Change(ChangeKind.STAKEHOLDERS, links[0].workshop_id,
                              tuple(link.id for link in links)))
        return links

    def restore_links(self, links: Sequence[StakeholderLink]) -> None:
        self.restore_stakeholders((), links)

    def set_ring_name(self, workshop_id: int, ring: int, name: str) -> Workshop:
        """Rename a ring of the map; an empty name restores the default."""
        if not isinstance(ring, int) or not 0 <= ring < RING_COUNT:
            raise ValidationError("A ring is 0, 1 or 2, from the centre out.")
        text = clean_text(name, what="A ring's name", max_chars=RING_NAME_MAX_CHARS,
                          required=False, multiline=False)
        if text == DEFAULT_RING_NAMES[ring]:
            text = ""
        with self._write() as db:
            cursor = db.execute(
                f"UPDATE workshops SET ring_{ring} = ?, updated_at = ? WHERE id = ?",
                [text, _now(), workshop_id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError("That workshop no longer exists.")
        self._announce(Change(ChangeKind.STAKEHOLDERS, workshop_id))
        return self.get_workshop(workshop_id)

    def used_roles(self, *, limit: int = 40) -> list[str]:
        """Roles this facilitator has put on maps before, most recently used first."""
        rows = self._read(
            "SELECT label, MAX(updated_at) AS last FROM stakeholders GROUP BY label "
            "ORDER BY last DESC, label LIMIT ?", [limit],
        )
        return [r["label"] for r in rows]

    # ----------------------------------------------------------------- values alignment (step 2)

    def values_exercise(self, workshop_id: int) -> ValuesExercise:
        """Everything step 2 shows, read in one go."""
        self.get_workshop(workshop_id)
        values = [_value_from_row(r) for r in self._read(
            "SELECT * FROM stated_values WHERE workshop_id = ? ORDER BY position, id",
            [workshop_id])]
        answers = [_answer_from_row(r) for r in self._read(
            "SELECT * FROM practice_answers WHERE workshop_id = ? ORDER BY id", [workshop_id])]
        decisions = {q: DecisionRecord(workshop_id, q) for q in Decision}
        for r in self._read("SELECT * FROM decisions WHERE workshop_id = ?", [workshop_id]):
            question = Decision(r["question"])
            decisions[question] = DecisionRecord(workshop_id, question,
                                                 DecisionAnswer(r["answer"]), r["notes"])
        return ValuesExercise(
            workshop_id=workshop_id,
            organisations=tuple(self.list_organisations(workshop_id)),
            participants=tuple(self.list_participants(workshop_id)),
            values=tuple(values), answers=tuple(answers),
            notes=tuple(self.list_notes(workshop_id)), decisions=decisions,
        )

    def _clean_value(self, text: str) -> str:
        return clean_text(text, what="A value", max_chars=VALUE_MAX_CHARS, multiline=False)

    def add_stated_value(self, organisation_id: int, text: str,
                         kind: ValueKind | str = ValueKind.VALUE) -> StatedValue:
        """Add a chip to an organisation's stated values (or to who it serves)."""
        clean = self._clean_value(text)
        value_kind: ValueKind = _enum(ValueKind, kind, "kind of value")
        org = self._get_organisation(organisation_id)
        with self._write() as db:
            self._touch(db, org.workshop_id)
            position = _next_position(db, "stated_values", "organisation_id = ?",
                                      [organisation_id])
            cursor = db.execute(
                "INSERT INTO stated_values (workshop_id, organisation_id, kind, text, position) "
                "VALUES (?, ?, ?, ?, ?)", [org.workshop_id, organisation_id, value_kind.value,
                                           clean, position])
            value_id = int(cursor.lastrowid or 0)
        self._announce(Change(ChangeKind.VALUES, org.workshop_id, (value_id,)))
        return StatedValue(value_id, org.workshop_id, organisation_id, clean, value_kind,
                           position)

    def _get_values(self, value_ids: Iterable[int]) -> list[StatedValue]:
        ids = list(dict.fromkeys(int(i) for i in value_ids))
        if not ids:
            return []
        rows = self._read(f"SELECT * FROM stated_values WHERE id IN ({','.join('?' * len(ids))})",
                          ids)
        found = {r["id"]: _value_from_row(r) for r in rows}
        if len(found) != len(ids):
            raise NotFoundError("That value is no longer there.")
        return [found[i] for i in ids]

    def edit_stated_value(self, value_id: int, text: str) -> StatedValue:
        clean = self._clean_value(text)
        (value,) = self._get_values([value_id])
        with self._write() as db:
            self._touch(db, value.workshop_id)
            db.execute("UPDATE stated_values SET text = ? WHERE id = ?", [clean, value_id])
        self._announce(Change(ChangeKind.VALUES, value.workshop_id, (value_id,)))
        return self._get_values([value_id])[0]

    def delete_stated_values(self, value_ids: Iterable[int]) -> list[StatedValue]:
        """Delete chips; returns them whole (notes linked to them are returned by
        :meth:`restore_stated_values`'s partner, ``links``) so undo can put everything back."""
        values = self._get_values(value_ids)
        if not values:
            return []
        workshop_id = values[0].workshop_id
        ids = [v.id for v in values]
        with self._write() as db:
            self._touch(db, workshop_id)
            self._stash_links(db, "value_id", ids)
            db.execute(f"DELETE FROM stated_values WHERE id IN ({','.join('?' * len(ids))})", ids)
        self._announce(Change(ChangeKind.VALUES, workshop_id, tuple(ids)))
        return values

    def restore_stated_values(self, values: Sequence[StatedValue]) -> None:
        if not values:
            return
        workshop_id = values[0].workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            for v in values:
                db.execute(
                    "INSERT INTO stated_values (id, workshop_id, organisation_id, kind, text, "
                    "position, origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [v.id, v.workshop_id, v.organisation_id, v.kind.value, v.text, v.position,
                     v.origin])
            self._unstash_links(db, "value_id", [v.id for v in values])
        self._announce(Change(ChangeKind.VALUES, workshop_id, tuple(v.id for v in values)))

    def _stash_links(self, db: sqlite3.Connection, column: str, ids: Sequence[int]) -> None:
        """Keep the note links of rows about to be deleted, so undoing the delete relinks them."""
        marks = ",".join("?" * len(ids))
        for note_id, target in db.execute(
                f"SELECT note_id, {column} FROM alignment_note_links WHERE {column} IN ({marks})",
                list(ids)).fetchall():
            self._link_stash.setdefault((column, target), set()).add(note_id)

    def _unstash_links(self, db: sqlite3.Connection, column: str, ids: Sequence[int]) -> None:
        for target in ids:
            for note_id in self._link_stash.pop((column, target), set()):
                row = db.execute("SELECT workshop_id FROM alignment_notes WHERE id = ?",
                                 [note_id]).fetchone()
                if row is not None:
                    db.execute(
                        f"INSERT INTO alignment_note_links (workshop_id, note_id, {column}) "
                        "VALUES (?, ?, ?)", [row[0], note_id, target])

    def set_answer(self, workshop_id: int, question: Practice | str, text: str, *,
                   organisation_id: int | None = None, participant_id: int | None = None,
                   source: Source | str = Source.FACILITATOR) -> PracticeAnswer:
        """Fill in one cell of the grid (an organisation's or a person's); it keeps its id."""
        question = _enum(Practice, question, "question")
        clean = clean_text(text, what="An answer", max_chars=ANSWER_MAX_CHARS, required=False)
        if (organisation_id is None) == (participant_id is None):
            raise ValidationError("An answer belongs to one organisation or to one person.")
        with self._write() as db:
            self._touch(db, workshop_id)
            answer_id = self._upsert_answer(db, workshop_id, Practice(question), clean,
                                            organisation_id, participant_id, Source(source))
        self._announce(Change(ChangeKind.VALUES, workshop_id, (answer_id,)))
        rows = self._read("SELECT * FROM practice_answers WHERE id = ?", [answer_id])
        return _answer_from_row(rows[0])

    def _upsert_answer(self, db: sqlite3.Connection, workshop_id: int, question: Practice,
                       text: str, organisation_id: int | None, participant_id: int | None,
                       source: Source) -> int:
        if organisation_id is not None:
            self._require_same_workshop(db, "organisations", organisation_id, workshop_id)
            where, subject = "organisation_id = ?", organisation_id
        else:
            assert participant_id is not None
            self._require_same_workshop(db, "participants", participant_id, workshop_id)
            where, subject = "participant_id = ?", participant_id
        found = db.execute(
            f"SELECT id FROM practice_answers WHERE question = ? AND {where}",
            [question.value, subject]).fetchone()
        if found is not None:
            db.execute("UPDATE practice_answers SET text = ?, source = ?, updated_at = ? "
                       "WHERE id = ?", [text, source.value, _now(), found[0]])
            return int(found[0])
        cursor = db.execute(
            "INSERT INTO practice_answers (workshop_id, question, organisation_id, participant_id, "
            "text, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [workshop_id, question.value, organisation_id, participant_id, text, source.value,
             _now()])
        return int(cursor.lastrowid or 0)

    def submit_phone_row(self, workshop_id: int, device_key: str, name: str,
                         organisation_id: int | None,
                         answers: Mapping[Practice, str] | Mapping[str, str], *,
                         token: str | None = None) -> Participant:
        """A phone fills in (or corrects) its own row of the grid, and only its own.

        With ``token``, the join token is checked in the same transaction as the write.
        """
        if not device_key:
            raise ValidationError("This phone has no key to keep its row by.")
        clean_name = clean_text(name, what="Your name", max_chars=PERSON_NAME_MAX_CHARS,
                                multiline=False)
        cleaned: dict[Practice, str] = {}
        for key, text in answers.items():
            question = _enum(Practice, key, "question")
            cleaned[question] = clean_text(text, what=f"Your answer to '{question.label}'",
                                           max_chars=ANSWER_MAX_CHARS, required=False)
        if not any(cleaned.values()):
            raise ValidationError("Answer at least one of the three questions.")
        with self._write() as db:
            settings = self._join_row(db, workshop_id)
            if token is not None and settings["token"] != token:
                raise NotFoundError("This join link is no longer valid. Ask for the new one.")
            if not settings["collect_values"]:
                raise ValuesClosedError(
                    "The facilitator has not opened this step for phones.")
            if organisation_id is not None and db.execute(
                    "SELECT 1 FROM organisations WHERE id = ? AND workshop_id = ?",
                    [organisation_id, workshop_id]).fetchone() is None:
                raise ValidationError("Choose one of this workshop's organisations.")
            self._touch(db, workshop_id)
            row = db.execute("SELECT id FROM participants WHERE workshop_id = ? AND phone_key = ?",
                             [workshop_id, device_key]).fetchone()
            if row is None:
                position = _next_position(db, "participants", "workshop_id = ?", [workshop_id])
                cursor = db.execute(
                    "INSERT INTO participants (workshop_id, name, organisation_id, role, position, "
                    "source, phone_key) VALUES (?, ?, ?, '', ?, 'phone', ?)",
                    [workshop_id, clean_name, organisation_id, position, device_key])
                participant_id = int(cursor.lastrowid or 0)
            else:
                participant_id = int(row[0])
                db.execute("UPDATE participants SET name = ?, organisation_id = ? WHERE id = ?",
                           [clean_name, organisation_id, participant_id])
            for question, text in cleaned.items():
                self._upsert_answer(db, workshop_id, question, text, None, participant_id,
                                    Source.PHONE)
        self._announce(Change(ChangeKind.PARTICIPANTS, workshop_id, (participant_id,),
                              origin="phone"))
        self._announce(Change(ChangeKind.VALUES, workshop_id, (participant_id,), origin="phone"))
        rows = self._read("SELECT * FROM participants WHERE id = ?", [participant_id])
        return _participant_from_row(rows[0])

    def phone_row(self, workshop_id: int, device_key: str
                  ) -> tuple[Participant, dict[Practice, str]] | None:
        """The phone's own row, to fill its form in again; None if it has not sent one."""
        if not device_key:
            return None
        rows = self._read("SELECT * FROM participants WHERE workshop_id = ? AND phone_key = ?",
                          [workshop_id, device_key])
        if not rows:
            return None
        person = _participant_from_row(rows[0])
        answers = {Practice(r["question"]): r["text"] for r in self._read(
            "SELECT question, text FROM practice_answers WHERE participant_id = ?", [person.id])}
        return person, answers

    def list_notes(self, workshop_id: int) -> list[AlignmentNote]:
        links: dict[int, tuple[list[int], list[int]]] = {}
        for r in self._read("SELECT note_id, value_id, answer_id FROM alignment_note_links "
                            "WHERE workshop_id = ? ORDER BY id", [workshop_id]):
            values, answers = links.setdefault(r["note_id"], ([], []))
            if r["value_id"] is not None:
                values.append(r["value_id"])
            else:
                answers.append(r["answer_id"])
        return [
            AlignmentNote(r["id"], r["workshop_id"], r["text"],
                          tuple(links.get(r["id"], ([], []))[0]),
                          tuple(links.get(r["id"], ([], []))[1]), r["position"], r["created_at"])
            for r in self._read("SELECT * FROM alignment_notes WHERE workshop_id = ? "
                                "ORDER BY position, id", [workshop_id])
        ]

    def _get_note(self, note_id: int) -> AlignmentNote:
        rows = self._read("SELECT workshop_id FROM alignment_notes WHERE id = ?", [note_id])
        if not rows:
            raise NotFoundError("That note is no longer there.")
        return next(n for n in self.list_notes(rows[0]["workshop_id"]) if n.id == note_id)

    def _write_links(self, db: sqlite3.Connection, workshop_id: int, note_id: int,
                     value_ids: Iterable[int], answer_ids: Iterable[int]) -> None:
        db.execute("DELETE FROM alignment_note_links WHERE note_id = ?", [note_id])
        for column, table, ids in (("value_id", "stated_values", value_ids),
                                   ("answer_id", "practice_answers", answer_ids)):
            for target in dict.fromkeys(ids):
                self._require_same_workshop(db, table, int(target), workshop_id)
                db.execute(f"INSERT INTO alignment_note_links (workshop_id, note_id, {column}) "
                           "VALUES (?, ?, ?)", [workshop_id, note_id, int(target)])

    def add_note(self, workshop_id: int, text: str, *, value_ids: Iterable[int] = (),
                 answer_ids: Iterable[int] = ()) -> AlignmentNote:
        """Record a connection or agreement, linked to the answers behind it."""
        clean = clean_text(text, what="A note", max_chars=NOTE_MAX_CHARS)
        with self._write() as db:
            self._touch(db, workshop_id)
            position = _next_position(db, "alignment_notes", "workshop_id = ?", [workshop_id])
            cursor = db.execute(
                "INSERT INTO alignment_notes (workshop_id, text, position, created_at) "
                "VALUES (?, ?, ?, ?)", [workshop_id, clean, position, _now()])
            note_id = int(cursor.lastrowid or 0)
            self._write_links(db, workshop_id, note_id, value_ids, answer_ids)
        self._announce(Change(ChangeKind.VALUES, workshop_id, (note_id,)))
        return self._get_note(note_id)

    def edit_note(self, note_id: int, text: str) -> AlignmentNote:
        clean = clean_text(text, what="A note", max_chars=NOTE_MAX_CHARS)
        note = self._get_note(note_id)
        with self._write() as db:
            self._touch(db, note.workshop_id)
            db.execute("UPDATE alignment_notes SET text = ? WHERE id = ?", [clean, note_id])
        self._announce(Change(ChangeKind.VALUES, note.workshop_id, (note_id,)))
        return self._get_note(note_id)

    def set_note_links(self, note_id: int, value_ids: Iterable[int],
                       answer_ids: Iterable[int]) -> AlignmentNote:
        note = self._get_note(note_id)
        with self._write() as db:
            self._touch(db, note.workshop_id)
            self._write_links(db, note.workshop_id, note_id, value_ids, answer_ids)
        self._announce(Change(ChangeKind.VALUES, note.workshop_id, (note_id,)))
        return self._get_note(note_id)

    def delete_notes(self, note_ids: Iterable[int]) -> list[AlignmentNote]:
        notes = [self._get_note(i) for i in dict.fromkeys(note_ids)]
        if not notes:
            return []
        workshop_id = notes[0].workshop_id
        ids = [n.id for n in notes]
        with self._write() as db:
            self._touch(db, workshop_id)
            db.execute(f"DELETE FROM alignment_notes WHERE id IN ({','.join('?' * len(ids))})",
                       ids)
        self._announce(Change(ChangeKind.VALUES, workshop_id, tuple(ids)))
        return notes

    def restore_notes(self, notes: Sequence[AlignmentNote]) -> None:
        """Put deleted notes back with their ids and links (links to answers since deleted
        are dropped)."""
        if not notes:
            return
        workshop_id = notes[0].workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            for n in notes:
                db.execute("INSERT INTO alignment_notes (id, workshop_id, text, position, "
                           "created_at) VALUES (?, ?, ?, ?, ?)",
                           [n.id, n.workshop_id, n.text, n.position, n.created_at])
                values = [v for v in n.value_ids if db.execute(
                    "SELECT 1 FROM stated_values WHERE id = ?", [v]).fetchone()]
                answers = [a for a in n.answer_ids if db.execute(
                    "SELECT 1 FROM practice_answers WHERE id = ?", [a]).fetchone()]
                self._write_links(db, workshop_id, n.id, values, answers)
        self._announce(Change(ChangeKind.VALUES, workshop_id, tuple(n.id for n in notes)))

    def set_decision(self, workshop_id: int, question: Decision | str,
                     answer: DecisionAnswer | str, notes: str = "") -> DecisionRecord:
        """Answer one of step 5's three questions (with notes)."""
        from workshopkit.exercises.values import DECISION_CHOICES

        which: Decision = _enum(Decision, question, "question")
        chosen: DecisionAnswer = _enum(DecisionAnswer, answer, "answer")
        if chosen not in DECISION_CHOICES[which]:
            choices = ", ".join(a.label for a in DECISION_CHOICES[which])
            raise ValidationError(f"{chosen.label!r} does not answer that question; choose "
                                  f"one of {choices}.")
        clean = clean_text(notes, what="The notes", max_chars=NOTE_MAX_CHARS, required=False)
        with self._write() as db:
            self._touch(db, workshop_id)
            db.execute(
                "INSERT INTO decisions (workshop_id, question, answer, notes) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (workshop_id, question) DO UPDATE SET answer = excluded.answer, "
                "notes = excluded.notes", [workshop_id, which.value, chosen.value, clean])
        self._announce(Change(ChangeKind.VALUES, workshop_id))
        return DecisionRecord(workshop_id, which, chosen, clean)

    # ----------------------------------------------------------------- principles (step 4)

    def theme_overrides(self, workshop_id: int) -> dict[EvidenceRef, str]:
        """Themes the facilitator chose by hand ("" keeps a note unclassified on purpose)."""
        return {(EvidenceKind(r["item_kind"]), r["item_id"]): r["theme_id"] for r in self._read(
            "SELECT item_kind, item_id, theme_id FROM theme_overrides WHERE workshop_id = ?",
            [workshop_id])}

    def set_theme(self, workshop_id: int, kind: EvidenceKind | str, item_id: int,
                  theme_id: str | None) -> str | None:
        """Choose a note's theme by hand (None: let the classifier decide again).

        Returns the previous choice, for undo. A hand-chosen theme wins over the classifier and
        is kept when the draft is compiled again.
        """
        from workshopkit.exercises.themes import load_themes

        evidence_kind: EvidenceKind = _enum(EvidenceKind, kind, "kind of note")
        if theme_id not in (None, "") and theme_id not in {t.id for t in load_themes()}:
            raise ValidationError(f"{theme_id!r} is not one of the themes.")
        table = {EvidenceKind.POSTIT: "postits", EvidenceKind.VALUE: "stated_values",
                 EvidenceKind.ANSWER: "practice_answers"}[evidence_kind]
        with self._write() as db:
            self._require_same_workshop(db, table, int(item_id), workshop_id)
            row = db.execute("SELECT theme_id FROM theme_overrides WHERE workshop_id = ? AND "
                             "item_kind = ? AND item_id = ?",
                             [workshop_id, evidence_kind.value, item_id]).fetchone()
            previous = None if row is None else str(row[0])
            if theme_id is None:
                db.execute("DELETE FROM theme_overrides WHERE workshop_id = ? AND item_kind = ? "
                           "AND item_id = ?", [workshop_id, evidence_kind.value, item_id])
            else:
                db.execute(
                    "INSERT INTO theme_overrides (workshop_id, item_kind, item_id, theme_id) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, item_kind, item_id) "
                    "DO UPDATE SET theme_id = excluded.theme_id",
                    [workshop_id, evidence_kind.value, item_id, theme_id])
            self._touch(db, workshop_id)
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id, (int(item_id),)))
        return previous

    def list_principles(self, workshop_id: int) -> list[Principle]:
        evidence: dict[int, list[EvidenceRef]] = {}
        for r in self._read("SELECT principle_id, item_kind, item_id FROM principle_evidence "
                            "WHERE workshop_id = ? ORDER BY id", [workshop_id]):
            evidence.setdefault(r["principle_id"], []).append(
                (EvidenceKind(r["item_kind"]), r["item_id"]))
        return [
            Principle(r["id"], r["workshop_id"], r["lead"], r["body"], r["theme_id"],
                      PrincipleStatus(r["status"]), r["position"],
                      tuple(evidence.get(r["id"], ())), r["created_at"], r["updated_at"])
            for r in self._read("SELECT * FROM principles WHERE workshop_id = ? "
                                "ORDER BY position, id", [workshop_id])
        ]

    def get_principle(self, principle_id: int) -> Principle:
        rows = self._read("SELECT workshop_id FROM principles WHERE id = ?", [principle_id])
        if not rows:
            raise NotFoundError("That principle is no longer in the draft.")
        return next(p for p in self.list_principles(rows[0]["workshop_id"])
                    if p.id == principle_id)

    def _clean_principle(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        from workshopkit.exercises.themes import load_themes

        clean: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "lead":
                clean[key] = clean_text(value, what="A principle's lead",
                                        max_chars=PRINCIPLE_LEAD_MAX_CHARS, multiline=False)
            elif key == "body":
                clean[key] = clean_text(value, what="A principle's text",
                                        max_chars=PRINCIPLE_BODY_MAX_CHARS, required=False)
            elif key == "status":
                clean[key] = _enum(PrincipleStatus, value, "status").value
            elif key == "theme_id":
                if value and value not in {t.id for t in load_themes()}:
                    raise ValidationError(f"{value!r} is not one of the themes.")
                clean[key] = value or ""
            elif key != "evidence":
                raise ValidationError(f"Unknown principle field {key!r}.")
        return clean

    def _write_evidence(self, db: sqlite3.Connection, workshop_id: int, principle_id: int,
                        evidence: Iterable[EvidenceRef | tuple[str, int]]) -> None:
        db.execute("DELETE FROM principle_evidence WHERE principle_id = ?", [principle_id])
        for kind, item_id in dict.fromkeys((EvidenceKind(k), int(i)) for k, i in evidence):
            db.execute("INSERT INTO principle_evidence (workshop_id, principle_id, item_kind, "
                       "item_id) VALUES (?, ?, ?, ?)",
                       [workshop_id, principle_id, kind.value, item_id])

    def add_principle(self, workshop_id: int, lead: str, body: str = "", *, theme_id: str = "",
                      evidence: Iterable[EvidenceRef | tuple[str, int]] = (),
                      status: PrincipleStatus | str = PrincipleStatus.DRAFT,
                      position: int | None = None) -> Principle:
        """Add one principle (by hand, from a missing theme, or as half of a split)."""
        clean = self._clean_principle({"lead": lead, "body": body, "theme_id": theme_id,
                                       "status": status})
        now = _now()
        with self._write() as db:
            self._touch(db, workshop_id)
            if position is None:
                position = _next_position(db, "principles", "workshop_id = ?", [workshop_id])
            else:
                db.execute("UPDATE principles SET position = position + 1 WHERE workshop_id = ? "
                           "AND position >= ?", [workshop_id, position])
            cursor = db.execute(
                "INSERT INTO principles (workshop_id, theme_id, lead, body, status, position, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [workshop_id, clean["theme_id"], clean["lead"], clean["body"], clean["status"],
                 position, now, now])
            principle_id = int(cursor.lastrowid or 0)
            self._write_evidence(db, workshop_id, principle_id, evidence)
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id, (principle_id,)))
        return self.get_principle(principle_id)

    def update_principle(self, principle_id: int, **fields: Any) -> Principle:
        """Edit a principle's lead, text, status or theme, and (``evidence=``) what it rests on."""
        current = self.get_principle(principle_id)
        clean = self._clean_principle(fields)
        with self._write() as db:
            self._touch(db, current.workshop_id)
            if clean:
                assignments = ", ".join(f"{key} = ?" for key in clean)
                db.execute(f"UPDATE principles SET {assignments}, updated_at = ? WHERE id = ?",
                           [*clean.values(), _now(), principle_id])
            if "evidence" in fields:
                self._write_evidence(db, current.workshop_id, principle_id, fields["evidence"])
        self._announce(Change(ChangeKind.PRINCIPLES, current.workshop_id, (principle_id,)))
        return self.get_principle(principle_id)

    def reorder_principles(self, workshop_id: int, order: Sequence[int]) -> None:
        """Put the principles in this order (ids); any not named keep their place after."""
        with self._write() as db:
            self._touch(db, workshop_id)
            known = [r[0] for r in db.execute(
                "SELECT id FROM principles WHERE workshop_id = ? ORDER BY position, id",
                [workshop_id]).fetchall()]
            wanted = [i for i in order if i in known]
            if len(set(wanted)) != len(wanted):
                raise ValidationError("Each principle can only appear once in the order.")
            final = wanted + [i for i in known if i not in wanted]
            for position, principle_id in enumerate(final):
                db.execute("UPDATE principles SET position = ? WHERE id = ?",
                           [position, principle_id])
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id, tuple(order)))

    def delete_principles(self, principle_ids: Iterable[int]) -> list[Principle]:
        """Remove principles (merge, reject for good, recompile); returns them for undo."""
        removed = [self.get_principle(i) for i in dict.fromkeys(principle_ids)]
        if not removed:
            return []
        workshop_id = removed[0].workshop_id
        ids = [p.id for p in removed]
        with self._write() as db:
            self._touch(db, workshop_id)
            self._stash_reviews(db, ids)
            db.execute(f"DELETE FROM principles WHERE id IN ({','.join('?' * len(ids))})", ids)
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id, tuple(ids)))
        return removed

    def _stash_reviews(self, db: sqlite3.Connection, principle_ids: Sequence[int]) -> None:
        """Keep the phones' reviews of principles about to go, so undo brings them back too."""
        marks = ",".join("?" * len(principle_ids))
        for row in db.execute(
                f"SELECT principle_id, workshop_id, voter, verdict, comment, created_at "
                f"FROM principle_reviews WHERE principle_id IN ({marks})",
                list(principle_ids)).fetchall():
            self._review_stash.setdefault(row[0], []).append(tuple(row[1:]))

    def _unstash_reviews(self, db: sqlite3.Connection, principle_id: int,
                         into: int | None = None) -> None:
        for workshop_id, voter, verdict, comment, created_at in self._review_stash.pop(
                principle_id, []):
            db.execute(
                "INSERT OR IGNORE INTO principle_reviews (workshop_id, principle_id, voter, "
                "verdict, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [workshop_id, into if into is not None else principle_id, voter, verdict,
                 comment, created_at])

    def restore_principles(self, principles: Sequence[Principle]) -> None:
        """Put deleted principles back under their ids, places and evidence."""
        if not principles:
            return
        workshop_id = principles[0].workshop_id
        with self._write() as db:
            self._touch(db, workshop_id)
            for p in principles:
                db.execute(
                    "INSERT INTO principles (id, workshop_id, theme_id, lead, body, status, "
                    "position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [p.id, p.workshop_id, p.theme_id, p.lead, p.body, p.status.value,
                     p.position, p.created_at, p.updated_at])
                self._write_evidence(db, workshop_id, p.id, p.evidence)
                self._unstash_reviews(db, p.id)
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id,
                              tuple(p.id for p in principles)))

    def replace_principles(self, workshop_id: int, drafts: Sequence[Mapping[str, Any]]
                           ) -> tuple[list[Principle], list[Principle]]:
        """Swap the whole draft for a newly compiled one, in one transaction.

        ``drafts`` are dicts of lead, body, theme_id, evidence. Returns (old, new) so undo can
        put the old draft back.
        """
        old = self.list_principles(workshop_id)
        cleaned = [(self._clean_principle({k: v for k, v in d.items() if k != "evidence"}),
                    d.get("evidence", ())) for d in drafts]
        now = _now()
        by_theme = {p.theme_id: p.id for p in old if p.theme_id}
        with self._write() as db:
            self._touch(db, workshop_id)
            self._stash_reviews(db, [p.id for p in old])
            db.execute("DELETE FROM principles WHERE workshop_id = ?", [workshop_id])
            for position, (clean, evidence) in enumerate(cleaned):
                cursor = db.execute(
                    "INSERT INTO principles (workshop_id, theme_id, lead, body, status, "
                    "position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [workshop_id, clean.get("theme_id", ""), clean["lead"],
                     clean.get("body", ""), clean.get("status", PrincipleStatus.DRAFT.value),
                     position, now, now])
                new_id = int(cursor.lastrowid or 0)
                self._write_evidence(db, workshop_id, new_id, evidence)
                # A recompiled principle on the same theme keeps the room's reviews (copied:
                # the originals stay stashed for undo).
                earlier = by_theme.get(clean.get("theme_id", ""))
                for row in self._review_stash.get(earlier, []) if earlier else []:
                    db.execute(
                        "INSERT OR IGNORE INTO principle_reviews (workshop_id, principle_id, "
                        "voter, verdict, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [row[0], new_id, *row[1:]])
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id))
        return old, self.list_principles(workshop_id)

    def restore_draft(self, workshop_id: int, principles: Sequence[Principle]) -> None:
        """Undo :meth:`replace_principles`: the old draft back exactly (ids, order, evidence)."""
        with self._write() as db:
            self._touch(db, workshop_id)
            db.execute("DELETE FROM principles WHERE workshop_id = ?", [workshop_id])
        self.restore_principles(principles)
        if not principles:
            self._announce(Change(ChangeKind.PRINCIPLES, workshop_id))

    # -- phones review the draft

    def cast_review(self, workshop_id: int, voter: str, principle_id: int,
                    verdict: Verdict | str, comment: str = "", *,
                    token: str | None = None) -> None:
        """A phone agrees with a principle or suggests a change (one review per phone each;
        a second replaces the first)."""
        chosen: Verdict = _enum(Verdict, verdict, "review")
        text = clean_text(comment, what="Your comment", max_chars=REVIEW_COMMENT_MAX_CHARS,
                          required=chosen is Verdict.CHANGE)
        if not voter:
            raise ValidationError("This phone has no key to keep its review by.")
        with self._write() as db:
            settings = self._join_row(db, workshop_id)
            if token is not None and settings["token"] != token:
                raise NotFoundError("This join link is no longer valid. Ask for the new one.")
            if not settings["review_open"]:
                raise ReviewClosedError("The facilitator has not opened the draft for review.")
            row = db.execute("SELECT workshop_id, status FROM principles WHERE id = ?",
                             [principle_id]).fetchone()
            if row is None or row[0] != workshop_id or row[1] == PrincipleStatus.REJECTED.value:
                raise NotFoundError("That principle is no longer in the draft.")
            db.execute(
                "INSERT INTO principle_reviews (workshop_id, principle_id, voter, verdict, "
                "comment, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (principle_id, voter) "
                "DO UPDATE SET verdict = excluded.verdict, comment = excluded.comment, "
                "created_at = excluded.created_at",
                [workshop_id, principle_id, voter, chosen.value, text, _now()])
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id, (principle_id,),
                              origin="phone"))

    def reviews_of(self, workshop_id: int, voter: str) -> dict[int, tuple[Verdict, str]]:
        return {r["principle_id"]: (Verdict(r["verdict"]), r["comment"]) for r in self._read(
            "SELECT principle_id, verdict, comment FROM principle_reviews WHERE workshop_id = ? "
            "AND voter = ?", [workshop_id, voter])}

    def review_tallies(self, workshop_id: int) -> dict[int, ReviewTally]:
        counts: dict[int, list[Any]] = {}
        for r in self._read("SELECT principle_id, verdict, comment FROM principle_reviews "
                            "WHERE workshop_id = ? ORDER BY created_at, id", [workshop_id]):
            entry = counts.setdefault(r["principle_id"], [0, 0, []])
            if r["verdict"] == Verdict.AGREE.value:
                entry[0] += 1
            else:
                entry[1] += 1
            if r["comment"]:
                entry[2].append(r["comment"])
        return {pid: ReviewTally(pid, a, c, tuple(comments))
                for pid, (a, c, comments) in counts.items()}

    # -- review dates for the printout

    def review_dates(self, workshop_id: int) -> list[ReviewDate]:
        return [ReviewDate(r["id"], r["workshop_id"], r["label"], r["date"], r["position"])
                for r in self._read("SELECT * FROM review_dates WHERE workshop_id = ? "
                                    "ORDER BY position, id", [workshop_id])]

    def set_review_dates(self, workshop_id: int, dates: Sequence[tuple[str, str]]
                         ) -> list[ReviewDate]:
        """Replace the schedule for revisiting the principles: (label, ISO date or "")."""
        clean: list[tuple[str, str]] = []
        for label, date in dates:
            text = clean_text(label, what="A review's label", max_chars=REVIEW_LABEL_MAX_CHARS,
                              multiline=False)
            when = clean_text(date, what="A review's date", max_chars=REVIEW_LABEL_MAX_CHARS,
                              required=False, multiline=False)
            if when:
                try:
                    _dt.date.fromisoformat(when)
                except ValueError:
                    raise ValidationError(
                        f"{when!r} is not a date; write it as YYYY-MM-DD.") from None
            clean.append((text, when))
        with self._write() as db:
            self._touch(db, workshop_id)
            db.execute("DELETE FROM review_dates WHERE workshop_id = ?", [workshop_id])
            for position, (label, when) in enumerate(clean):
                db.execute("INSERT INTO review_dates (workshop_id, label, date, position) "
                           "VALUES (?, ?, ?, ?)", [workshop_id, label, when, position])
        self._announce(Change(ChangeKind.PRINCIPLES, workshop_id))
        return self.review_dates(workshop_id)

    # ----------------------------------------------------------------- presenting (issue 7)

    def start_timer(self, workshop_id: int, seconds: int, label: str = "") -> JoinSettings:
        """Start a countdown the projector and the phones show."""
        if not isinstance(seconds, int) or not 1 <= seconds <= MAX_TIMER_SECONDS:
            raise ValidationError("A timer runs for between 1 second and 4 hours.")
        text = clean_text(label, what="The timer's label", max_chars=TIMER_LABEL_MAX_CHARS,
                          required=False, multiline=False)
        ends = (_dt.datetime.now(_dt.UTC) + _dt.timedelta(seconds=seconds)).isoformat()
        with self._write() as db:
            self._join_row(db, workshop_id)
            db.execute("UPDATE join_settings SET timer_ends_at = ?, timer_label = ? "
                       "WHERE workshop_id = ?", [ends, text, workshop_id])
            row = self._join_row(db, workshop_id)
        self._announce(Change(ChangeKind.JOINING, workshop_id, (workshop_id,)))
        return _join_from_row(row)

    def stop_timer(self, workshop_id: int) -> JoinSettings:
        with self._write() as db:
            self._join_row(db, workshop_id)
            db.execute("UPDATE join_settings SET timer_ends_at = '', timer_label = '' "
                       "WHERE workshop_id = ?", [workshop_id])
            row = self._join_row(db, workshop_id)
        self._announce(Change(ChangeKind.JOINING, workshop_id, (workshop_id,)))
        return _join_from_row(row)

    def checklist(self, workshop_id: int) -> list[ChecklistItem]:
        """The toolkit's before-the-workshop checklist, with what this workshop has ticked."""
        from workshopkit.exercises.presenting import CHECKLIST

        self.get_workshop(workshop_id)
        saved = {r["item_key"]: r for r in self._read(
            "SELECT item_key, done, note FROM checklist WHERE workshop_id = ?", [workshop_id])}
        return [ChecklistItem(p.key, p.label, p.detail, bool(saved[p.key]["done"])
                              if p.key in saved else False,
                              saved[p.key]["note"] if p.key in saved else "")
                for p in CHECKLIST]

    def set_checklist_item(self, workshop_id: int, key: str, done: bool,
                           note: str = "") -> ChecklistItem:
        from workshopkit.exercises.presenting import CHECKLIST

        preset = next((p for p in CHECKLIST if p.key == key), None)
        if preset is None:
            raise ValidationError(f"{key!r} is not on the checklist.")
        text = clean_text(note, what="A checklist note", max_chars=NOTE_MAX_CHARS,
                          required=False)
        with self._write() as db:
            self._touch(db, workshop_id)
            db.execute(
                "INSERT INTO checklist (workshop_id, item_key, done, note) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (workshop_id, item_key) DO UPDATE SET done = excluded.done, "
                "note = excluded.note", [workshop_id, key, int(bool(done)), text])
        self._announce(Change(ChangeKind.WORKSHOPS, workshop_id, (workshop_id,)))
        return ChecklistItem(preset.key, preset.label, preset.detail, bool(done), text)

    def merge_workshops(self, workshop_ids: Sequence[int], title: str) -> Workshop:
        """One joint workshop from several (the Queen Mary sequence: community partners alone,
        university staff alone, then everyone together).

        Everything is copied; each post-it, map card, stated value and grid answer keeps the
        title of the workshop it came from as its ``origin``. Organisations with the same name
        become one. The sources are left as they were.
        """
        ids = list(dict.fromkeys(int(i) for i in workshop_ids))
        if len(ids) < 2:
            raise ValidationError("Choose at least two workshops to merge.")
        sources = [self.get_workshop(i) for i in ids]
        clean_title = clean_text(title, what="The title", max_chars=TITLE_MAX_CHARS,
                                 multiline=False)
        with self._write() as db:
            joint_id = _copy_workshop(self._conn, ids[0], db, keep_ids=False,
                                      origin=sources[0].title)
            db.execute("UPDATE workshops SET title = ?, updated_at = ? WHERE id = ?",
                       [clean_title, _now(), joint_id])
            for source in sources[1:]:
                _copy_into(db, source.id, joint_id, origin=source.title)
        self._announce(Change(ChangeKind.WORKSHOPS, joint_id, (joint_id,)))
        return self.get_workshop(joint_id)

    # ----------------------------------------------------------------- counts

    def column_counts(self, workshop_id: int) -> dict[Column, int]:
        counts = {column: 0 for column in Column}
        for row in self._read(
            "SELECT board_column, COUNT(*) AS n FROM postits WHERE workshop_id = ? "
            "GROUP BY board_column", [workshop_id],
        ):
            counts[Column(row["board_column"])] = row["n"]
        return counts


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or a savepoint when nested; rolled back on any error.

    IMMEDIATE takes the write lock at the start, so two connections (the app and the phone
    server) queue for it instead of failing half-way through.
    """
    if conn.in_transaction:
        import secrets

        name = f"sp_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _clean_postit_input(column: Column | str, text: str, author: str) -> tuple[Column, str, str]:
    """The column, text and author of a new post-it, checked: a clear error for each problem."""
    try:
        chosen = Column(column)
    except ValueError:
        raise ValidationError(
            f"Unknown column {column!r}: use universities, shared or civic."
        ) from None
    clean = clean_text(text, what="A post-it", max_chars=POSTIT_MAX_CHARS)
    clean_author = clean_text(author, what="A name", max_chars=TITLE_MAX_CHARS,
                              required=False, multiline=False)
    return chosen, clean, clean_author


def _colour(value: Colour | str) -> Colour:
    try:
        return Colour(value)
    except ValueError:
        raise ValidationError(
            f"Unknown colour {value!r}: use one of " + ", ".join(c.value for c in Colour) + "."
        ) from None


def _copy_title(title: str) -> str:
    suffix = " (copy)"
    return (title[: TITLE_MAX_CHARS - len(suffix)] + suffix) if title else "Untitled (copy)"


def _next_position(db: sqlite3.Connection, table: str, where: str, params: Sequence[Any]) -> int:
    row = db.execute(f"SELECT COALESCE(MAX(position) + 1, 0) FROM {table} WHERE {where}",
                     params).fetchone()
    return int(row[0])


_PACKED_NAMES: dict[str, tuple[str, ...]] = {}


def _packed_query(
    db: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> tuple[list[list[Any]], tuple[str, ...]]:
    """Run a SELECT whose rows come back as one JSON array (one SQLite step) and its column
    names. Only for columns of text, numbers and NULL (JSON has no blobs)."""
    names = _PACKED_NAMES.get(sql)
    if names is None:
        # The names without reading a row: the statement is prepared, never stepped past LIMIT 0.
        cursor = db.execute(f"SELECT * FROM ({sql}) LIMIT 0", params)
        names = _PACKED_NAMES[sql] = tuple(d[0] for d in cursor.description)
    columns = ", ".join('"' + name.replace('"', '""') + '"' for name in names)
    # A subquery's ORDER BY is kept by SQLite's aggregate over it (not flattened).
    row = db.execute(
        f"SELECT json_group_array(json_array({columns})) FROM ({sql})", params
    ).fetchone()
    return json.loads(row[0]), names


def _column_order(db: sqlite3.Connection, workshop_id: int, column: Column) -> list[int]:
    row = db.execute(
        "SELECT json_group_array(id) FROM (SELECT id FROM postits "
        "WHERE workshop_id = ? AND board_column = ? ORDER BY position, id)",
        [workshop_id, column.value],
    ).fetchone()
    return list(json.loads(row[0]))


def _insert_before(order: list[int], ids: Sequence[int], before_id: int | None) -> None:
    index = order.index(before_id) if before_id is not None and before_id in order else len(order)
    order[index:index] = list(ids)


def _write_order(db: sqlite3.Connection, order: Sequence[int]) -> None:
    """Number these post-its 0, 1, 2... in this order, in one statement (see
    :meth:`Store._read_packed` for why the number of SQLite steps matters)."""
    db.execute(
        "UPDATE postits SET position = j.key FROM json_each(?) AS j "
        "WHERE postits.id = j.value AND postits.position != j.key",
        [json.dumps(list(order))],
    )


def _workshop_from_row(r: Mapping[str, Any]) -> Workshop:
    headings = {column: (r[f"heading_{column.value}"] or column.default_heading) for column in Column}
    return Workshop(
        id=r["id"], title=r["title"], partnership=r["partnership"], date=r["date"],
        place=r["place"], facilitator=r["facilitator"], notes=r["notes"], headings=headings,
        created_at=r["created_at"], updated_at=r["updated_at"],
        ring_names=(r["ring_0"], r["ring_1"], r["ring_2"]),
    )


def _enum(kind: type[Any], value: Any, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise ValidationError(f"{value!r} is not a {what}; choose one of {choices}.") from None


def _value_from_row(r: Mapping[str, Any]) -> StatedValue:
    return StatedValue(r["id"], r["workshop_id"], r["organisation_id"], r["text"],
                       ValueKind(r["kind"]), r["position"], r["origin"])


def _answer_from_row(r: Mapping[str, Any]) -> PracticeAnswer:
    return PracticeAnswer(r["id"], r["workshop_id"], Practice(r["question"]), r["text"],
                          r["organisation_id"], r["participant_id"], Source(r["source"]),
                          r["updated_at"], r["origin"])


def _participant_from_row(r: Mapping[str, Any]) -> Participant:
    return Participant(r["id"], r["workshop_id"], r["name"], r["organisation_id"], r["role"],
                       r["position"], Source(r["source"]))


def _stakeholder_from_row(r: Mapping[str, Any]) -> Stakeholder:
    return Stakeholder(
        id=r["id"], workshop_id=r["workshop_id"], label=r["label"],
        organisation_id=r["organisation_id"], ring=r["ring"], across=r["across"],
        depth=r["depth"], person=r["person"], contact=r["contact"], part=Part(r["part"]),
        part_note=r["part_note"],
        responsibilities=frozenset(Responsibility(v) for v in r["responsibilities"].split(",") if v),
        responsibility_note=r["responsibility_note"], status=InviteStatus(r["status"]),
        created_at=r["created_at"], updated_at=r["updated_at"], origin=r["origin"],
    )


def _link_from_row(r: Mapping[str, Any]) -> StakeholderLink:
    return StakeholderLink(id=r["id"], workshop_id=r["workshop_id"], source_id=r["source_id"],
                           target_id=r["target_id"], label=r["label"])


_PHONE_COLOUR = Colour.YELLOW


def _join_from_row(r: Mapping[str, Any]) -> JoinSettings:
    return JoinSettings(
        workshop_id=r["workshop_id"], token=r["token"], moderation=Moderation(r["moderation"]),
        hold_until_reveal=bool(r["hold_until_reveal"]),
        fixed_column=Column(r["fixed_column"]) if r["fixed_column"] else None,
        voting_open=bool(r["voting_open"]), vote_budget=r["vote_budget"],
        voting_round=r["voting_round"], tallies_shown=bool(r["tallies_shown"]),
        collect_values=bool(r["collect_values"]), review_open=bool(r["review_open"]),
        timer_ends_at=r["timer_ends_at"], timer_label=r["timer_label"],
    )


def _postit_from_row(r: Mapping[str, Any]) -> PostIt:
    return PostIt(
        id=r["id"], workshop_id=r["workshop_id"], column=Column(r["board_column"]), text=r["text"],
        colour=Colour(r["colour"]), position=r["position"], group_id=r["group_id"],
        shared=bool(r["shared"]), source=Source(r["source"]), status=Status(r["status"]),
        author=r["author"], created_at=r["created_at"], updated_at=r["updated_at"],
        origin=r["origin"],
    )


# join_settings is not copied: a copy or import gets a fresh join token on first use.
_CHILD_TABLES = ("organisations", "participants", "postit_groups", "postits", "votes",
                 "moderation_log", "stakeholders", "stakeholder_links", "stated_values",
                 "practice_answers", "alignment_notes", "alignment_note_links", "decisions",
                 "theme_overrides", "principles", "principle_evidence", "review_dates",
                 "checklist")


# Columns of the later tables that point at rows copied before them.
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "stated_values": (("organisation_id", "organisations"),),
    "practice_answers": (("organisation_id", "organisations"), ("participant_id", "participants")),
    "alignment_note_links": (("note_id", "alignment_notes"), ("value_id", "stated_values"),
                             ("answer_id", "practice_answers")),
    "principle_evidence": (("principle_id", "principles"),),
}
# Rows that point at a post-it, a value or an answer by (item_kind, item_id).
_ITEM_TABLES = {"postit": "postits", "value": "stated_values", "answer": "practice_answers"}


def _copy_workshop(
    src: sqlite3.Connection, workshop_id: int, dst: sqlite3.Connection, *, keep_ids: bool,
    origin: str = "",
) -> int:
    """Copy one workshop and everything in it between databases (or within one).

    With ``keep_ids`` rows keep their ids (a fresh export file); otherwise new ids are given and
    references between rows are remapped. With ``origin``, copied post-its, map cards, values
    and answers record where they came from (merging workshops).
    """
    rows = _rows(src, "SELECT * FROM workshops WHERE id = ?", [workshop_id])
    if not rows:
        raise NotFoundError("That workshop no longer exists.")
    new_workshop_id = _insert_row(dst, "workshops", rows[0], keep_ids)
    _copy_children(src, workshop_id, dst, new_workshop_id, keep_ids=keep_ids, origin=origin)
    return new_workshop_id


# What a merge does not bring from the second and later workshops: each joint workshop
# decides these afresh (and they are one per workshop).
_NOT_MERGED = frozenset({"decisions", "checklist", "principles", "principle_evidence",
                         "review_dates"})
_ORIGIN_TABLES = frozenset({"postits", "stakeholders", "stated_values", "practice_answers"})


def _copy_into(db: sqlite3.Connection, workshop_id: int, target_id: int, *, origin: str) -> None:
    """Add a workshop's contents to another in the same database (merging)."""
    names = {str(r[1]).casefold(): int(r[0]) for r in db.execute(
        "SELECT id, name FROM organisations WHERE workshop_id = ?", [target_id]).fetchall()}
    _copy_children(db, workshop_id, db, target_id, keep_ids=False, origin=origin,
                   skip=_NOT_MERGED, organisations_by_name=names)


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _insert_row(dst: sqlite3.Connection, table: str, row: dict[str, Any], keep_ids: bool) -> int:
    data = dict(row)
    if not keep_ids:
        data.pop("id")
    columns = ", ".join(data)
    marks = ", ".join("?" * len(data))
    cursor = dst.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(data.values()))
    return int(cursor.lastrowid or 0) if not keep_ids else int(row["id"])


def _copy_children(
    src: sqlite3.Connection, workshop_id: int, dst: sqlite3.Connection, new_workshop_id: int, *,
    keep_ids: bool, origin: str = "", skip: frozenset[str] = frozenset(),
    organisations_by_name: dict[str, int] | None = None,
) -> None:
    id_maps: dict[str, dict[int, int]] = {table: {} for table in _CHILD_TABLES}
    for table in _CHILD_TABLES:
        if table in skip:
            continue
        for row in _rows(src, f"SELECT * FROM {table} WHERE workshop_id = ? ORDER BY id",
                         [workshop_id]):
            row["workshop_id"] = new_workshop_id
            if table == "organisations" and organisations_by_name is not None:
                same = organisations_by_name.get(str(row["name"]).casefold())
                if same is not None:
                    id_maps[table][row["id"]] = same
                    continue
            if table == "participants" and row["organisation_id"] is not None:
                row["organisation_id"] = id_maps["organisations"].get(
                    row["organisation_id"], row["organisation_id"] if keep_ids else None
                )
            if table == "postits" and row["group_id"] is not None:
                row["group_id"] = id_maps["postit_groups"].get(
                    row["group_id"], row["group_id"] if keep_ids else None
                )
            if table == "stakeholders" and row["organisation_id"] is not None:
                row["organisation_id"] = id_maps["organisations"].get(
                    row["organisation_id"], row["organisation_id"] if keep_ids else None
                )
            for column, source_table in _REFERENCES.get(table, ()):
                if row[column] is not None:
                    row[column] = id_maps[source_table].get(
                        row[column], row[column] if keep_ids else None)
            if table in ("theme_overrides", "principle_evidence"):
                mapped = id_maps[_ITEM_TABLES[row["item_kind"]]].get(row["item_id"])
                if mapped is None and not keep_ids:
                    continue
                row["item_id"] = mapped if mapped is not None else row["item_id"]
            if table == "participants" and not keep_ids:
                row["phone_key"] = ""  # a copy is not bound to anyone's phone
            if table == "stakeholder_links":
                row["source_id"] = id_maps["stakeholders"].get(row["source_id"], row["source_id"])
                row["target_id"] = id_maps["stakeholders"].get(row["target_id"], row["target_id"])
            if table in ("votes", "moderation_log") and row["postit_id"] is not None:
                mapped = id_maps["postits"].get(row["postit_id"])
                if mapped is None and table == "votes":
                    continue
                row["postit_id"] = mapped
            if origin and table in _ORIGIN_TABLES and not row.get("origin"):
                row["origin"] = origin
            if table == "stated_values" and row["organisation_id"] is None:
                continue
            id_maps[table][row["id"]] = _insert_row(dst, table, row, keep_ids)
