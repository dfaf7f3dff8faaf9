"""Write one library per released schema version (1..6), each with representative rows.

Run from the repository root: ``.venv/bin/python tests/data/schemas/make_fixtures.py``. The
files are committed; rerun only when adding the fixture of a new schema version (the old ones
must stay as they are, so they keep standing for the libraries users really have).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from sqlite_utils import Database

from workshopkit.store import _MIGRATIONS, migration_set

AT = "2025-03-01T10:00:00.000000+00:00"


def fixture_path(version: int) -> Path:
    return HERE / f"schema-v{version}.db"


def _rows_v1(c: sqlite3.Connection) -> None:
    c.execute("INSERT INTO workshops (id, title, partnership, date, place, facilitator, notes, "
              "heading_shared, created_at, updated_at) VALUES (1, 'Riverside partnership', "
              "'City & Uni', '2025-03-01', 'Town hall', 'Aled', 'Bring <b>markers</b>', "
              "'Both of us', ?, ?)", [AT, AT])
    c.execute("INSERT INTO organisations (id, workshop_id, name, kind, position) VALUES "
              "(1, 1, 'Riverside University', 'university', 0), "
              "(2, 1, 'Food Bank Cymru', 'civic', 1)")
    c.execute("INSERT INTO participants (id, workshop_id, name, organisation_id, role, position) "
              "VALUES (1, 1, 'Siân', 1, 'Lecturer', 0), (2, 1, 'Óscar', 2, 'Coordinator', 1)")
    c.execute("INSERT INTO postit_groups (id, workshop_id, board_column, name, position) "
              "VALUES (1, 1, 'shared', 'Money', 0)")
    postits = [
        (1, "universities", "Publish papers", None, "facilitator", "visible", ""),
        (2, "shared", "Fair pay for time 💷", 1, "facilitator", "visible", ""),
        (3, "civic", "<b>hi</b> =SUM(A1)", None, "phone", "visible", ""),
        (4, "civic", "مرحبا — right to left", None, "phone", "pending", "Nia"),
    ]
    for position, (pid, column, text, group, source, status, author) in enumerate(postits):
        c.execute("INSERT INTO postits (id, workshop_id, board_column, text, colour, position, "
                  "group_id, source, status, author, created_at, updated_at) "
                  "VALUES (?, 1, ?, ?, 'yellow', ?, ?, ?, ?, ?, ?, ?)",
                  [pid, column, text, position, group, source, status, author, AT, AT])


def _rows_v2(c: sqlite3.Connection) -> None:
    c.execute("INSERT INTO join_settings (workshop_id, token, moderation, voting_open, "
              "vote_budget, voting_round) VALUES (1, 'abcdefghjkmnp', 'approval', 1, 3, 1)")
    c.execute("INSERT INTO votes (workshop_id, postit_id, voter, voting_round, created_at) "
              "VALUES (1, 2, 'voter-hash-1', 1, ?), (1, 3, 'voter-hash-1', 1, ?)", [AT, AT])
    c.execute("INSERT INTO moderation_log (workshop_id, postit_id, action, detail, at) "
              "VALUES (1, 3, 'approved', '', ?)", [AT])


def _rows_v3(c: sqlite3.Connection) -> None:
    c.execute("UPDATE workshops SET ring_0 = 'Core', ring_1 = 'Close', ring_2 = 'Wider'")
    c.execute("INSERT INTO stakeholders (id, workshop_id, label, organisation_id, ring, across, "
              "depth, person, part, responsibilities, status, created_at, updated_at) VALUES "
              "(1, 1, 'Research office', 1, 0, 0.25, 0.5, 'Dr Jones', 'other', '', "
              "'not_invited', ?, ?), "
              "(2, 1, 'Volunteers', 2, 1, 0.75, 0.4, '', 'other', '', 'not_invited', ?, ?)",
              [AT, AT, AT, AT])
    c.execute("INSERT INTO stakeholder_links (workshop_id, source_id, target_id, label) "
              "VALUES (1, 1, 2, 'funds')")


def _rows_v4(c: sqlite3.Connection) -> None:
    c.execute("UPDATE join_settings SET collect_values = 1")
    c.execute("INSERT INTO participants (id, workshop_id, name, organisation_id, role, position, "
              "source, phone_key) VALUES (3, 1, 'Phone person', 2, '', 2, 'phone', 'key-hash')")
    c.execute("INSERT INTO stated_values (id, workshop_id, organisation_id, kind, text, position) "
              "VALUES (1, 1, 1, 'value', 'Rigour', 0), (2, 1, 2, 'serves', 'Families', 0)")
    c.execute("INSERT INTO practice_answers (id, workshop_id, question, organisation_id, "
              "participant_id, text, source, updated_at) VALUES "
              "(1, 1, 'budget', 1, NULL, 'Grant money', 'facilitator', ?), "
              "(2, 1, 'time', NULL, 3, 'Evenings only', 'phone', ?)", [AT, AT])
    c.execute("INSERT INTO alignment_notes (id, workshop_id, text, position, created_at) "
              "VALUES (1, 1, 'Both value people', 0, ?)", [AT])
    c.execute("INSERT INTO alignment_note_links (workshop_id, note_id, value_id, answer_id) "
              "VALUES (1, 1, 1, NULL), (1, 1, NULL, 2)")
    c.execute("INSERT INTO decisions (workshop_id, question, answer, notes) "
              "VALUES (1, 'connection', 'yes', 'Agreed')")


def _rows_v5(c: sqlite3.Connection) -> None:
    c.execute("UPDATE join_settings SET review_open = 1")
    c.execute("INSERT INTO theme_overrides (workshop_id, item_kind, item_id, theme_id) "
              "VALUES (1, 'postit', 2, 'money')")
    c.execute("INSERT INTO principles (id, workshop_id, theme_id, lead, body, status, position, "
              "created_at, updated_at) VALUES (1, 1, 'money', 'We pay for time', "
              "'Community time is paid.', 'accepted', 0, ?, ?)", [AT, AT])
    c.execute("INSERT INTO principle_evidence (workshop_id, principle_id, item_kind, item_id) "
              "VALUES (1, 1, 'postit', 2)")
    c.execute("INSERT INTO principle_reviews (workshop_id, principle_id, voter, verdict, "
              "comment, created_at) VALUES (1, 1, 'voter-hash-2', 'change', 'Say how much', ?)",
              [AT])
    c.execute("INSERT INTO review_dates (workshop_id, label, date, position) "
              "VALUES (1, 'Six months on', '2025-09-01', 0)")


def _rows_v6(c: sqlite3.Connection) -> None:
    c.execute("UPDATE join_settings SET timer_ends_at = ?, timer_label = 'Break'", [AT])
    c.execute("UPDATE postits SET origin = 'Earlier workshop' WHERE id = 1")
    c.execute("INSERT INTO checklist (workshop_id, item_key, done, note) "
              "VALUES (1, 'pay', 1, 'Vouchers ready')")


ROWS = [_rows_v1, _rows_v2, _rows_v3, _rows_v4, _rows_v5, _rows_v6]


def make(version: int, path: Path) -> Path:
    """A library at schema ``version`` (migrations 1..version applied) with its rows."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    stop = _MIGRATIONS[version][0] if version < len(_MIGRATIONS) else None
    migration_set().apply(db, stop_before=stop)
    conn.execute("BEGIN")
    for fill in ROWS[:version]:
        fill(conn)
    conn.execute("COMMIT")
    # The applied_at stamps are today's; fix them so the files are reproducible.
    conn.execute("UPDATE _sqlite_migrations SET applied_at = ?", [AT])
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("VACUUM")
    conn.close()
    return path


def main() -> None:
    for version in range(1, len(ROWS) + 1):
        print(make(version, fixture_path(version)))


if __name__ == "__main__":
    main()
