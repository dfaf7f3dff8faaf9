"""`workshopkit map`: the stakeholder map written as PDF, SVG and CSV from the command line."""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import require_tool
from workshopkit.cli import main
from workshopkit.store import Store

SVG = "{http://www.w3.org/2000/svg}"


def _workshop_with_cards(store: Store) -> int:
    workshop = store.create_workshop("Map day", organisations=[("City University", "university"),
                                                                ("Food bank", "civic")])
    uni, civic = store.list_organisations(workshop.id)
    store.add_stakeholders(workshop.id, [
        {"label": "Volunteer coordinator", "organisation_id": civic.id, "ring": 1},
        {"label": "Research office", "organisation_id": uni.id, "ring": 0, "status": "invited"},
        {"label": "=cmd|' /C calc'!A0", "organisation_id": uni.id, "ring": 2},
    ])
    return workshop.id


def test_map_command_writes_all_three_files(store: Store, data_dir: Path,
                                            tmp_path: Path) -> None:
    workshop_id = _workshop_with_cards(store)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "workshopkit", "map", str(workshop_id),
         "--pdf", str(out / "map.pdf"), "--svg", str(out / "map.svg"),
         "--csv", str(out / "cards.csv"), "--data-dir", str(data_dir)],
        check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["Wrote"] * 3

    pdfinfo = subprocess.run([require_tool("pdfinfo"), str(out / "map.pdf")],
                             capture_output=True, text=True, check=True, timeout=30).stdout
    assert "Pages:           1" in pdfinfo
    text = subprocess.run([require_tool("pdftotext"), "-raw", str(out / "map.pdf"), "-"],
                          capture_output=True, text=True, check=True, timeout=30).stdout
    assert "Map day \u2014 Stakeholder map" in text
    assert "Research office" in " ".join(text.split())

    root = ET.parse(out / "map.svg").getroot()
    assert len([g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("card-")]) == 3

    with (out / "cards.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["ring"], r["team_or_role"]) for r in rows] == [
        ("Must be in the room", "Research office"),
        ("Involve", "Volunteer coordinator"),
        ("Keep informed", "'=cmd|' /C calc'!A0"),
    ]
    assert rows[0]["invitation"] == "Invited"


def test_map_command_can_write_one_format(store: Store, data_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    workshop_id = _workshop_with_cards(store)
    target = tmp_path / "only.csv"
    assert main(["map", str(workshop_id), "--csv", str(target),
                 "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == f"Wrote {target}\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["only.csv"]


def test_missing_workshop_is_a_clear_error(data_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "map.pdf"
    assert main(["map", "42", "--pdf", str(pdf), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "no longer exists" in err and "workshopkit list" in err
    assert "Traceback" not in err
    assert not pdf.exists()


def test_map_command_needs_a_target(store: Store, data_dir: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    workshop_id = _workshop_with_cards(store)
    assert main(["map", str(workshop_id), "--data-dir", str(data_dir)]) == 2
    assert "--pdf FILE" in capsys.readouterr().err


def test_unwritable_target_is_a_clear_error(store: Store, data_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    workshop_id = _workshop_with_cards(store)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["map", str(workshop_id), "--svg", str(blocker / "map.svg"),
                 "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "could not be written to" in err and "Traceback" not in err
