"""Every released schema version opens, upgrades to the current one and loses nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from workshopkit.backup import list_backups
from workshopkit.model import Column, Status
from workshopkit.store import DB_FILENAME, SCHEMA_VERSION, Store

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
VERSIONS = range(1, SCHEMA_VERSION + 1)


def _snapshot(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (but sqlite's own and the migrations log), by table."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations' ORDER BY name")]
        snapshot: dict[str, list[dict[str, Any]]] = {}
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
            names = [d[0] for d in cursor.description]
            snapshot[table] = [dict(zip(names, row, strict=True)) for row in cursor]
        return snapshot
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_released_schema_version():
    assert sorted(p.name for p in SCHEMAS.glob("schema-v*.db")) == [
        f"schema-v{v}.db" for v in VERSIONS]
    for version in VERSIONS:
        conn = sqlite3.connect((SCHEMAS / f"schema-v{version}.db").resolve().as_uri() + "?mode=ro",
                               uri=True)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        finally:
            conn.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_each_schema_version_opens_and_upgrades_with_no_loss(version: int, data_dir: Path):
    data_dir.mkdir(parents=True)
    db = data_dir / DB_FILENAME
    shutil.copyfile(SCHEMAS / f"schema-v{version}.db", db)
    before = _snapshot(db)
    assert before["postits"], "the fixture has post-its"

    with Store(db) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        workshop = store.get_workshop(1)
        assert workshop.title == "Riverside partnership"
        assert workshop.notes == "Bring <b>markers</b>"
        texts = {p.text: (p.column, p.status) for p in store.list_postits(1)} | {
            p.text: (p.column, p.status) for p in store.get_postits([1, 2, 3, 4])}
        assert texts["<b>hi</b> =SUM(A1)"] == (Column.CIVIC, Status.VISIBLE)
        assert texts["مرحبا — right to left"] == (Column.CIVIC, Status.PENDING)
        assert store.get_postit(2).group_id == 1
        assert [o.name for o in store.list_organisations(1)] == [
            "Riverside University", "Food Bank Cymru"]
        if version >= 3:
            assert [s.label for s in store.list_stakeholders(1)] == [
                "Research office", "Volunteers"]
        if version >= 5:
            assert [p.lead for p in store.list_principles(1)] == ["We pay for time"]

    after = _snapshot(db)
    for table, rows in before.items():
        kept = [{k: row[k] for k in old} for row, old in zip(after[table], rows, strict=False)]
        assert len(after[table]) == len(rows), table
        assert kept == rows, table

    backups = list_backups(db)
    if version < SCHEMA_VERSION:
        (backup,) = backups
        assert backup.kind == "before-migration"
        assert backup.path.name.startswith(f"before-{version + 1:04d}_")
        assert _snapshot(backup.path) == before
    else:
        assert backups == []
