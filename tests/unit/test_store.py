"""The workshop library on a real SQLite file: migrations, verbs, refusal of bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workshopkit.model import Change, ChangeKind, Colour, Column, OrgKind, Source, Status
from workshopkit.store import (
    DB_FILENAME,
    SCHEMA_VERSION,
    CorruptDatabaseError,
    DatabaseTooNewError,
    DiskFullError,
    NotFoundError,
    Store,
    StoreError,
    ValidationError,
    migration_set,
)


def _snapshot(store: Store, workshop_id: int) -> dict:
    """Everything a user could see of a workshop, without database ids."""
    w = store.get_workshop(workshop_id)
    orgs = store.list_organisations(workshop_id)
    org_names = {o.id: o.name for o in orgs}
    groups = {g.id: (g.column, g.name) for g in store.list_groups(workshop_id)}
    return {
        "workshop": (w.title, w.partnership, w.date, w.place, w.facilitator, w.notes,
                     tuple(sorted(w.headings.items()))),
        "orgs": [(o.name, o.kind) for o in orgs],
        "people": [(p.name, org_names.get(p.organisation_id), p.role)
                   for p in store.list_participants(workshop_id)],
        "groups": sorted(groups.values()),
        "postits": [
            (p.column, p.text, p.colour, p.shared, p.source, p.status, p.author,
             groups.get(p.group_id), p.created_at)
            for p in store.list_postits(workshop_id)
        ],
    }


def test_new_library_uses_wal_and_foreign_keys(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migrations_run_twice_change_nothing(data_dir: Path) -> None:
    with Store.in_data_dir(data_dir) as first:
        w = first.create_workshop("Kept")
        applied = [m.name for m in migration_set().applied(first.db)]
    assert applied == ["0001_initial", "0002_joining", "0003_stakeholder_map", "0004_values",
                       "0005_principles", "0006_presenting"]
    with Store.in_data_dir(data_dir) as second:
        assert [m.name for m in migration_set().applied(second.db)] == applied
        migration_set().apply(second.db)
        assert [m.name for m in migration_set().applied(second.db)] == applied
        assert second.get_workshop(w.id).title == "Kept"


def test_an_old_library_is_migrated_forward(data_dir: Path) -> None:
    """A file made by the first release (only migration 0001) gains the later tables."""
    data_dir.mkdir(parents=True)
    path = data_dir / DB_FILENAME
    from sqlite_utils import Database

    old = Database(path)
    first_only = migration_set()
    first_only.apply(old, stop_before="0002_joining")
    old.execute("INSERT INTO workshops (title, created_at, updated_at) VALUES ('Old', 'x', 'x')")
    old.conn.commit()
    old.close()
    with Store(path) as store:
        assert store.list_workshops()[0].title == "Old"
        assert store.join_settings(store.list_workshops()[0].id).token


def test_every_change_is_on_disk_before_the_verb_returns(data_dir: Path) -> None:
    """A second connection (as after a crash and restart) sees each verb's result at once."""
    store = Store.in_data_dir(data_dir)
    w = store.create_workshop("Live")
    p = store.add_postit(w.id, Column.SHARED, "Honesty")
    other = sqlite3.connect(data_dir / DB_FILENAME)
    assert other.execute("SELECT text FROM postits WHERE id = ?", [p.id]).fetchone() == ("Honesty",)
    store.edit_postit(p.id, "Honesty, always")
    assert other.execute("SELECT text FROM postits WHERE id = ?", [p.id]).fetchone() == (
        "Honesty, always",
    )
    other.close()
    store.close()


def test_verbs_announce_one_change_each(store: Store) -> None:
    seen: list[Change] = []
    store.subscribe(seen.append)
    w = store.create_workshop("Announce")
    p = store.add_postit(w.id, Column.CIVIC, "Challenge and critique")
    store.move_postits([p.id], Column.SHARED)
    assert [c.kind for c in seen] == [ChangeKind.WORKSHOPS, ChangeKind.POSTITS, ChangeKind.POSTITS]
    assert seen[-1].columns == {Column.CIVIC, Column.SHARED}
    assert seen[-1].ids == (p.id,)


def test_failed_verb_announces_nothing_and_saves_nothing(store: Store) -> None:
    w = store.create_workshop("Strict")
    seen: list[Change] = []
    store.subscribe(seen.append)
    with pytest.raises(ValidationError, match="cannot be empty"):
        store.add_postit(w.id, Column.SHARED, "   \n\t ")
    with pytest.raises(ValidationError, match="limit is 280"):
        store.add_postit(w.id, Column.SHARED, "x" * 281)
    with pytest.raises(ValidationError, match="Unknown column"):
        store.add_postit(w.id, "middle", "Hello")
    assert seen == []
    assert store.list_postits(w.id) == []


def test_text_keeps_any_unicode_and_drops_control_characters(store: Store) -> None:
    w = store.create_workshop("Unicode")
    typed = "Diolch yn fawr 🙏 ŵŷ שלום شكرا\x00\x07 <b>hi</b>\u202egnp.exe"
    p = store.add_postit(w.id, Column.SHARED, typed)
    assert p.text == "Diolch yn fawr 🙏 ŵŷ שלום شكرا <b>hi</b>gnp.exe"
    assert store.get_postit(p.id).text == p.text
    exactly = store.add_postit(w.id, Column.SHARED, "é" * 280)
    assert len(exactly.text) == 280


def test_move_orders_and_groups(store: Store) -> None:
    w = store.create_workshop("Board")
    a, b, c = (store.add_postit(w.id, Column.SHARED, t) for t in ("A", "B", "C"))
    d = store.add_postit(w.id, Column.CIVIC, "D")
    store.move_postits([d.id, c.id], Column.SHARED, before_id=a.id)
    assert [p.text for p in store.list_postits(w.id, Column.SHARED)] == ["D", "C", "A", "B"]
    assert store.list_postits(w.id, Column.CIVIC) == []
    g = store.add_group(w.id, Column.SHARED, "Openness", postit_ids=[a.id, b.id])
    assert {p.text for p in store.list_postits(w.id) if p.group_id == g.id} == {"A", "B"}
    with pytest.raises(ValidationError, match="own column"):
        store.move_postits([d.id], Column.CIVIC, group_id=g.id)
    before = store.board_layout(w.id)
    store.move_postits([a.id], Column.UNIVERSITIES)
    assert store.get_postit(a.id).group_id is None
    store.restore_layout(w.id, before)
    assert store.board_layout(w.id) == before


def test_delete_and_restore_postits_exactly(store: Store) -> None:
    w = store.create_workshop("Undo")
    ids = store.add_postits(w.id, [{"column": "shared", "text": t} for t in "ABC"])
    store.set_colour([ids[1]], Colour.PINK)
    before = store.list_postits(w.id)
    records = store.delete_postits([ids[1], ids[0]])
    assert [p.text for p in store.list_postits(w.id)] == ["C"]
    store.restore_postits(records)
    assert store.list_postits(w.id) == before


def test_ids_are_never_reused_so_undo_can_restore(store: Store) -> None:
    w = store.create_workshop("Ids")
    first = store.add_postit(w.id, Column.SHARED, "Deleted then restored")
    records = store.delete_postits([first.id])
    second = store.add_postit(w.id, Column.SHARED, "Added in between")
    assert second.id != first.id
    store.restore_postits(records)
    assert {p.text for p in store.list_postits(w.id)} == {first.text, second.text}
    with pytest.raises(StoreError, match="already there"):
        store.restore_postits(records)
    g = store.add_group(w.id, Column.SHARED, "G")
    group, members = store.delete_group(g.id)
    assert store.add_group(w.id, Column.SHARED, "H").id != g.id
    store.restore_group(group, members)
    assert {x.name for x in store.list_groups(w.id)} == {"G", "H"}


def test_groups_delete_and_restore(store: Store) -> None:
    w = store.create_workshop("Groups")
    ids = store.add_postits(w.id, [{"column": "civic", "text": t} for t in "AB"])
    g = store.add_group(w.id, Column.CIVIC, "Pair", postit_ids=ids)
    group, members = store.delete_group(g.id)
    assert all(p.group_id is None for p in store.list_postits(w.id))
    store.restore_group(group, members)
    assert all(p.group_id == g.id for p in store.list_postits(w.id))
    assert store.rename_group(g.id, "Renamed").name == "Renamed"
    with pytest.raises(ValidationError):
        store.rename_group(g.id, "   ")


def test_headings_are_editable_per_workshop(store: Store) -> None:
    w = store.create_workshop("Headings")
    other = store.create_workshop("Other")
    store.set_heading(w.id, Column.CIVIC, "What we expect of community groups")
    assert store.get_workshop(w.id).heading(Column.CIVIC) == "What we expect of community groups"
    assert store.get_workshop(other.id).heading(Column.CIVIC) == Column.CIVIC.default_heading
    store.set_heading(w.id, Column.CIVIC, "")
    assert store.get_workshop(w.id).heading(Column.CIVIC) == Column.CIVIC.default_heading


def test_workshop_fields_orgs_and_people(store: Store) -> None:
    w = store.create_workshop(
        "Spring workshop", partnership="QM and CVS", date="2026-03-01", place="Hall",
        facilitator="Sam", notes="Line one\nLine two",
        organisations=[("Queen Mary", OrgKind.UNIVERSITY), ("Tower Hamlets CVS", "civic")],
    )
    orgs = store.list_organisations(w.id)
    assert [(o.name, o.kind) for o in orgs] == [
        ("Queen Mary", OrgKind.UNIVERSITY), ("Tower Hamlets CVS", OrgKind.CIVIC)
    ]
    person = store.add_participant(w.id, "Ada", organisation_id=orgs[1].id, role="Trustee")
    store.delete_organisation(orgs[1].id)
    assert store.list_participants(w.id)[0].organisation_id is None
    assert store.update_participant(person.id, role="Chair").role == "Chair"
    updated = store.update_workshop(w.id, title="  Renamed  ", notes="New notes")
    assert (updated.title, updated.notes, updated.place) == ("Renamed", "New notes", "Hall")
    with pytest.raises(ValidationError, match="title cannot be empty"):
        store.update_workshop(w.id, title="")
    summary = store.list_workshops()[0]
    assert (summary.title, summary.organisations, summary.participants) == ("Renamed", 1, 1)


def test_delete_workshop_removes_everything(store: Store, demo_workshop) -> None:
    store.delete_workshop(demo_workshop.id)
    assert store.list_workshops() == []
    for table in ("organisations", "participants", "postits", "postit_groups"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    with pytest.raises(NotFoundError):
        store.get_workshop(demo_workshop.id)


def test_duplicate_copies_everything_under_new_ids(store: Store, demo_workshop) -> None:
    copy = store.duplicate_workshop(demo_workshop.id)
    assert copy.id != demo_workshop.id
    assert copy.title.endswith("(copy)")
    original, duplicate = _snapshot(store, demo_workshop.id), _snapshot(store, copy.id)
    assert duplicate["postits"] == original["postits"]
    assert duplicate["groups"] == original["groups"]
    assert duplicate["people"] == original["people"]
    store.delete_workshop(demo_workshop.id)
    assert len(store.list_postits(copy.id)) == 15


def test_export_import_round_trip_without_loss(store: Store, demo_workshop, tmp_path) -> None:
    store.set_heading(demo_workshop.id, Column.SHARED, "Shared ✨ expectations")
    phone = store.add_postit(demo_workshop.id, Column.CIVIC, "Posted from a phone 📱",
                             source=Source.PHONE, status=Status.PENDING, author="Mo")
    assert phone.source is Source.PHONE
    path = store.export_workshop(demo_workshop.id, tmp_path / "out" / "demo.workshop")
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    other = Store(tmp_path / "elsewhere.db")
    [imported] = other.import_workshop(path)
    assert _snapshot(other, imported.id) == _snapshot(store, demo_workshop.id)
    # and back again into the first library, alongside the original
    again = store.import_workshop(path)[0]
    assert again.id != demo_workshop.id
    assert _snapshot(store, again.id) == _snapshot(store, demo_workshop.id)
    other.close()


def test_import_leaves_the_file_untouched(store: Store, demo_workshop, tmp_path) -> None:
    path = store.export_workshop(demo_workshop.id, tmp_path / "x.workshop")
    before = path.read_bytes()
    store.import_workshop(path)
    assert path.read_bytes() == before


def test_corrupt_file_gets_a_clear_error_and_is_left_alone(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / DB_FILENAME
    junk = b"This is not a database at all\n" * 100
    db.write_bytes(junk)
    with pytest.raises(CorruptDatabaseError, match="damaged or is not a workshopkit file"):
        Store.in_data_dir(data_dir)
    assert db.read_bytes() == junk


def test_damaged_sqlite_pages_are_detected(data_dir: Path) -> None:
    with Store.in_data_dir(data_dir) as s:
        w = s.create_workshop("Will break")
        s.add_postits(w.id, [{"column": "shared", "text": f"note {i} " * 20} for i in range(300)])
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = data_dir / DB_FILENAME
    raw = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(raw), page * 6)):
        raw[offset] = 0xA5
    db.write_bytes(bytes(raw))
    damaged = db.read_bytes()
    with pytest.raises(CorruptDatabaseError):
        Store.in_data_dir(data_dir)
    assert db.read_bytes() == damaged


def test_newer_database_is_refused_and_untouched(data_dir: Path) -> None:
    with Store.in_data_dir(data_dir) as s:
        s.create_workshop("From the future")
        s.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = data_dir / DB_FILENAME
    before = db.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="newer version of workshopkit"):
        Store.in_data_dir(data_dir)
    assert db.read_bytes() == before


def test_unknown_migration_counts_as_newer(data_dir: Path) -> None:
    with Store.in_data_dir(data_dir) as s:
        s.db["_sqlite_migrations"].insert(
            {"migration_set": "workshopkit", "name": "9999_future", "applied_at": "later"}
        )
    with pytest.raises(DatabaseTooNewError):
        Store.in_data_dir(data_dir)


def test_newer_workshop_file_is_refused_on_import(store: Store, demo_workshop, tmp_path) -> None:
    path = store.export_workshop(demo_workshop.id, tmp_path / "new.workshop")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(DatabaseTooNewError):
        store.import_workshop(path)
    assert len(store.list_workshops()) == 1


def test_import_of_junk_file_is_refused(store: Store, tmp_path) -> None:
    junk = tmp_path / "junk.workshop"
    junk.write_text("hello")
    with pytest.raises(CorruptDatabaseError):
        store.import_workshop(junk)
    with pytest.raises(StoreError, match="no file"):
        store.import_workshop(tmp_path / "missing.workshop")


def test_full_disk_is_a_clear_error_and_loses_nothing(store: Store) -> None:
    """SQLite's own 'disk is full' (SQLITE_FULL), produced by capping the file's pages."""
    w = store.create_workshop("Full")
    kept = store.add_postit(w.id, Column.SHARED, "Saved before the disk filled")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    seen: list[Change] = []
    store.subscribe(seen.append)
    with pytest.raises(DiskFullError, match="disk is full"):
        store.add_postits(w.id, [{"column": "shared", "text": "x" * 280}] * 200)
    assert seen == []
    assert [p.text for p in store.list_postits(w.id)] == [kept.text]
    store.db.execute("PRAGMA max_page_count = 1073741823")
    store.add_postit(w.id, Column.SHARED, "Works again")
    assert len(store.list_postits(w.id)) == 2


def test_board_reads_in_one_step_keep_every_value_and_the_order(store: Store) -> None:
    """Board columns are read as one packed JSON row: text that looks like JSON or a number,
    quotes, new lines and any Unicode come back exactly as typed, in board order."""
    workshop = store.create_workshop("Packed")
    texts = ['["not", "a list"]', "007", '{"a": 1}', 'She said "pay us" \\ then left',
             "Two\nlines", "Ünïcödé 漢字 👩🏽‍🦱", "null", "1e5", " spaced "]
    ids = [store.add_postit(workshop.id, Column.SHARED, text).id for text in texts]
    group = store.add_group(workshop.id, Column.SHARED, "A group")
    store.move_postits([ids[2]], Column.SHARED, before_id=ids[0], group_id=group.id)
    listed = store.list_postits(workshop.id, Column.SHARED)
    assert [p.id for p in listed] == [ids[2], *ids[:2], *ids[3:]]
    by_id = {p.id: p for p in listed}
    for postit_id, text in zip(ids, texts, strict=True):
        assert by_id[postit_id].text == text.strip()  # surrounding spaces are trimmed on save
    assert by_id[ids[2]].group_id == group.id and by_id[ids[0]].group_id is None
    assert [p.position for p in listed] == list(range(len(texts)))
    assert listed == [store.get_postit(i) for i in [ids[2], *ids[:2], *ids[3:]]]
    layout = store.board_layout(workshop.id)
    assert {i: layout[i][1] for i in ids} == {p.id: p.position for p in listed}
    assert store.list_groups(workshop.id, Column.SHARED)[0].name == "A group"
