"""Every post-it of a workshop as CSV, one row each, for spreadsheets and archives."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from workshopkit.model import Column
from workshopkit.store import Store, StoreError, _translate

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
    target = Path(path)
    data = postits_csv(store, workshop_id)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".csv-", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _translate(exc, target) or StoreError(
            f"The CSV file could not be written to {target}: {exc.strerror}."
        ) from exc
    return target
