"""The printable checklist, read back with poppler (pdftotext, pdfinfo) as a reader would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_tool
from workshopkit.exercises.guidance import CREDIT
from workshopkit.exercises.presenting import CHECKLIST
from workshopkit.export.checklist_pdf import (
    DOCUMENT_TITLE,
    checklist_pdf_bytes,
    write_checklist_pdf,
)
from workshopkit.store import Store, StoreError

MARKUP = "<b>Bring</b> & <i>pay</i> £25/hour"


def _run(tool: str, path: Path, *args: str) -> str:
    return subprocess.run([require_tool(tool), *args, str(path), "-"] if tool == "pdftotext"
                          else [require_tool(tool), str(path)],
                          capture_output=True, text=True, check=True, timeout=30).stdout


def _pages(path: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", _run("pdfinfo", path), re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def _flow(path: Path) -> str:
    return " ".join(_run("pdftotext", path).split())


def test_every_item_prints_with_its_tick_and_escaped_note(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Tower Hamlets <partners>", date="2026-03-04",
                                     place="Mile End", facilitator="Sam")
    store.set_checklist_item(workshop.id, "payment", True, MARKUP)
    store.set_checklist_item(workshop.id, "childcare", True)
    store.set_checklist_item(workshop.id, "travel", False, "Ask finance about Oyster cards")

    path = write_checklist_pdf(store, workshop.id, tmp_path / "checklist.pdf")

    assert path.read_bytes().startswith(b"%PDF")
    text = _flow(path)
    assert DOCUMENT_TITLE.upper() in text
    assert "Tower Hamlets <partners>" in text
    assert "4 March 2026" in text and "Mile End" in text and "Facilitator: Sam" in text
    for preset in CHECKLIST:
        assert preset.label in text
    assert MARKUP in text  # printed as typed, not as markup
    assert "Ask finance about Oyster cards" in text
    assert text.count("Done") == 2
    assert text.count("To do") == len(CHECKLIST) - 2
    assert f"2 of {len(CHECKLIST)} done." in text
    assert " ".join(CREDIT.split()) in text
    assert _pages(path) == 1


def test_long_notes_run_to_a_second_page_and_no_further(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Notes everywhere")
    for preset in CHECKLIST:
        store.set_checklist_item(workshop.id, preset.key, False, " ".join(
            [f"{preset.label} detail"] * 10))
    path = tmp_path / "long.pdf"
    path.write_bytes(checklist_pdf_bytes(store, workshop.id, page_size="letter"))
    assert _pages(path) == 2
    assert "Page 2 of 2" in _run("pdftotext", path)


def test_an_unwritable_place_is_a_store_error_with_a_sentence(store: Store,
                                                              tmp_path: Path) -> None:
    workshop = store.create_workshop("Blocked")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="checklist PDF"):
        write_checklist_pdf(store, workshop.id, blocker / "checklist.pdf")
