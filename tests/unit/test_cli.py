"""The headless commands, run as a user would: a real subprocess on a temp data folder."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from workshopkit.exercises.expectations import EXAMPLE_POSTITS
from workshopkit.store import Store


def run(*args: str, data_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "workshopkit", *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=60, env=full_env, check=False,
    )


def test_demo_then_list(tmp_path: Path) -> None:
    data = tmp_path / "lib"
    made = run("demo", data_dir=data)
    assert made.returncode == 0, made.stderr
    workshop_id = int(made.stdout.strip())
    listed = run("list", data_dir=data)
    assert listed.returncode == 0
    line = next(row for row in listed.stdout.splitlines() if row.split()[0] == str(workshop_id))
    assert "Demo: equitable partnership workshop" in line
    assert line.split()[2:5] == ["2", "2", str(len(EXAMPLE_POSTITS))]


def test_demo_board_holds_the_toolkit_example(tmp_path: Path) -> None:
    data = tmp_path / "lib"
    workshop_id = int(run("demo", data_dir=data).stdout)
    with Store.in_data_dir(data) as store:
        board = [(p.column, p.text) for p in store.list_postits(workshop_id)]
        orgs = store.list_organisations(workshop_id)
    assert sorted(board) == sorted(EXAMPLE_POSTITS)
    assert {o.kind.value for o in orgs} == {"university", "civic"}


def test_data_dir_from_environment(tmp_path: Path) -> None:
    data = tmp_path / "from-env"
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "demo"], capture_output=True, text=True,
        timeout=60, env={**os.environ, "WORKSHOPKIT_DATA_DIR": str(data)}, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (data / "workshopkit.db").is_file()


def test_export_csv_and_file_then_import(tmp_path: Path) -> None:
    data = tmp_path / "lib"
    workshop_id = run("demo", data_dir=data).stdout.strip()
    out_csv, out_file = tmp_path / "board.csv", tmp_path / "demo.workshop"
    exported = run("export", workshop_id, "--csv", str(out_csv), "--file", str(out_file),
                   data_dir=data)
    assert exported.returncode == 0, exported.stderr
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["column"], r["text"]) for r in rows] == [(c.value, t) for c, t in EXAMPLE_POSTITS]
    assert {r["column_heading"] for r in rows if r["column"] == "shared"} == {"Shared expectations"}
    assert {r["group"] for r in rows if r["text"] in ("Honesty", "Transparency")} == {"Openness"}

    other = tmp_path / "other-lib"
    imported = run("import", str(out_file), data_dir=other)
    assert imported.returncode == 0, imported.stderr
    assert "Imported workshop" in imported.stdout
    listed = run("list", data_dir=other).stdout
    assert "Demo: equitable partnership workshop" in listed


def test_csv_neutralises_spreadsheet_formulas(tmp_path: Path, store: Store) -> None:
    from workshopkit.export.csvfile import write_postits_csv

    w = store.create_workshop("Formulas")
    store.add_postit(w.id, "shared", '=HYPERLINK("http://x","click")')
    path = write_postits_csv(store, w.id, tmp_path / "f.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["text"] == "'=HYPERLINK(\"http://x\",\"click\")"


def test_unknown_workshop_is_a_clear_error(tmp_path: Path) -> None:
    result = run("export", "42", "--csv", str(tmp_path / "x.csv"), data_dir=tmp_path / "lib")
    assert result.returncode == 1
    assert "no longer exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_corrupt_library_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "lib"
    data.mkdir()
    (data / "workshopkit.db").write_bytes(b"garbage" * 50)
    result = run("list", data_dir=data)
    assert result.returncode == 1
    assert "damaged or is not a workshopkit file" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / "workshopkit.db").read_bytes() == b"garbage" * 50


def test_import_of_non_workshop_file(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.workshop"
    bogus.write_text("nope")
    result = run("import", str(bogus), data_dir=tmp_path / "lib")
    assert result.returncode == 1
    assert "not a workshopkit file" in result.stderr


def test_export_needs_a_target(tmp_path: Path) -> None:
    data = tmp_path / "lib"
    workshop_id = run("demo", data_dir=data).stdout.strip()
    result = run("export", workshop_id, data_dir=data)
    assert result.returncode == 2
    assert "--csv FILE" in result.stderr


def test_gui_without_a_screen_explains_instead_of_aborting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "--data-dir", str(tmp_path / "lib")],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert result.returncode == 1
    assert "No screen was found" in result.stderr
