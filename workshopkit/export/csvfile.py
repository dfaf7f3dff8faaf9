"""Post-its and stakeholder map cards as CSV, one row each, for spreadsheets and archives."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workshopkit.exercises.stakeholders import invite_list
from workshopkit.export.files import write_atomically
from workshopkit.model import Column, Responsibility, StakeholderMap
from workshopkit.store import Store

CSV_FIELDS = (
    "id", "column", "column_heading", "position", "group", "text", "colour", "shared",
    "source", "status", "author", "created_at", "updated_at",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Stop spreadsheets from running a post-it as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def postits_csv(store: Store, workshop_id: int) -> str:
    workshop = store.get_workshop(workshop_id)
    groups = {g.id: g.name for g in store.list_groups(workshop_id)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    order = {column: index for index, column in enumerate(Column)}
    postits = sorted(store.list_postits(workshop_id), key=lambda p: (order[p.column], p.position))
    for p in postits:
        writer.writerow([
            p.id, p.column.value, _cell(workshop.heading(p.column)), p.position,
            _cell(groups.get(p.group_id, "") if p.group_id else ""), _cell(p.text),
            p.colour.value, "yes" if p.shared else "no", p.source.value, p.status.value,
            _cell(p.author), p.created_at, p.updated_at,
        ])
    return out.getvalue()


def write_postits_csv(store: Store, workshop_id: int, path: Path | str) -> Path:
    """Write atomically (UTF-8 with BOM so Excel reads accents and emoji) and return the path."""
    return _write_csv(postits_csv(store, workshop_id), path)


STAKEHOLDER_CSV_FIELDS = (
    "organisation", "ring", "team_or_role", "person", "contact", "part", "part_note",
    "responsible_for", "responsibility_note", "invitation",
)


def stakeholders_csv(stakeholder_map: StakeholderMap) -> str:
    """The map's cards, ring by ring from the centre out, in the order of the invite list."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STAKEHOLDER_CSV_FIELDS)
    for ring in invite_list(stakeholder_map):
        for entry in ring.entries:
            s = entry.stakeholder
            responsible = "; ".join(r.label for r in Responsibility if r in s.responsibilities)
            writer.writerow([
                _cell(entry.organisation), _cell(ring.name), _cell(s.label), _cell(s.person),
                _cell(s.contact), s.part.label, _cell(s.part_note), responsible,
                _cell(s.responsibility_note), s.status.label,
            ])
    return out.getvalue()


def write_stakeholders_csv(stakeholder_map: StakeholderMap, path: Path | str) -> Path:
    """Write the map's cards atomically (UTF-8 with BOM, like the post-its) and return the path."""
    return _write_csv(stakeholders_csv(stakeholder_map), path)


def _write_csv(data: str, path: Path | str) -> Path:
    # UTF-8 with a byte-order mark, so Excel reads accents and emoji.
    return write_atomically(path, data.encode("utf-8-sig"), "CSV file")
