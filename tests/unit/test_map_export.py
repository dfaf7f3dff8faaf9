"""The stakeholder map as PDF, SVG and CSV, read back with real tools (poppler, xml, csv)."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import require_tool
from workshopkit.exercises.stakeholders import invite_list
from workshopkit.export.csvfile import (
    STAKEHOLDER_CSV_FIELDS,
    stakeholders_csv,
    write_stakeholders_csv,
)
from workshopkit.export.stakeholder_map import (
    CREDIT_LINE,
    map_pdf_bytes,
    map_svg_bytes,
    write_map_pdf,
    write_map_svg,
)
from workshopkit.model import StakeholderMap
from workshopkit.store import Store, StoreError

SVG = "{http://www.w3.org/2000/svg}"
MARKUP_LABEL = "<b>Finance & co</b>"
LONG_LABEL = ("Public Engagement Managers, Coordinators, Officers, teams and everyone else "
              "who looks after partnerships")
LABELS = (MARKUP_LABEL, "Research office", "Chief executive", "Volunteers",
          "Δήμος Αθηναίων", "Swyddog ymgysylltu â'r cyhoedd", "Ward councillors")


def _normal(text: str) -> str:
    return " ".join(text.split())


def _sample_map(store: Store, *, title: str = "Partnership day") -> tuple[int, StakeholderMap]:
    workshop = store.create_workshop(title, organisations=[
        ("Queen Mary University of London", "university"), ("Tower Hamlets CVS", "civic")])
    uni, civic = store.list_organisations(workshop.id)
    store.set_ring_name(workshop.id, 1, "Bring in early")
    cards = store.add_stakeholders(workshop.id, [
        {"label": MARKUP_LABEL, "organisation_id": uni.id, "ring": 0, "across": 0.2,
         "person": "Ana Ruiz", "part": "decision-maker", "status": "agreed",
         "responsibilities": ["budget", "processes"], "responsibility_note": "signs contracts"},
        {"label": "Research office", "organisation_id": uni.id, "ring": 1, "across": 0.8,
         "part": "enabler", "status": "invited", "contact": "research@example.org"},
        {"label": "Chief executive", "organisation_id": civic.id, "ring": 0, "across": 0.7,
         "part": "broker"},
        {"label": "Volunteers", "organisation_id": civic.id, "ring": 2, "across": 0.3,
         "status": "declined", "part": "other", "part_note": "weekend helpers"},
        {"label": "Δήμος Αθηναίων", "organisation_id": civic.id, "ring": 1, "across": 0.1},
        {"label": "Swyddog ymgysylltu â'r cyhoedd", "organisation_id": uni.id, "ring": 2,
         "across": 0.9},
        {"label": "Ward councillors", "ring": 2},  # no organisation: "Not yet placed"
        {"label": LONG_LABEL, "organisation_id": uni.id, "ring": 1, "across": 0.3,
         "depth": 0.1},
    ])
    store.add_link(cards[0].id, cards[2].id, "funds & <i>backs</i>")
    return workshop.id, store.stakeholder_map(workshop.id)


def _require_dejavu() -> None:
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("fonts-dejavu-core is not installed (see .ci/run)")
        pytest.skip("fonts-dejavu-core is not installed")


def _pdf_text(path: Path) -> str:
    """The text in drawing order (-raw), so a card's wrapped lines stay together."""
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=30).stdout


def _pdf_info(path: Path) -> dict[str, str]:
    tool = require_tool("pdfinfo")
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True,
                         timeout=30).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                                                  out.splitlines())}


def _words_outside_page(path: Path) -> list[str]:
    tool = require_tool("pdftotext")
    out = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=30).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    assert page
    width, height = float(page.group(1)), float(page.group(2))
    outside = []
    for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                         r'yMax="([-\d.]+)">([^<]*)</word>', out):
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
            outside.append(html.unescape(m.group(5)))
    return outside


def _svg_cards(data: bytes) -> tuple[ET.Element, dict[str, str]]:
    root = ET.fromstring(data)
    cards = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("card-"):
            cards[group.get("id", "")] = _normal(" ".join(
                t.text or "" for t in group.iter(f"{SVG}text")
                if "card-label" in t.get("class", "")))
    return root, cards


# ------------------------------------------------------------------------------ PDF


def test_pdf_is_one_vector_page_holding_every_label_and_ring(store: Store,
                                                             tmp_path: Path) -> None:
    _require_dejavu()
    _, stakeholder_map = _sample_map(store)
    path = write_map_pdf(stakeholder_map, "Partnership day", tmp_path / "map.pdf")

    info = _pdf_info(path)
    assert info["Pages"] == "1"
    assert "A4" in info["Page size"]
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert width > height  # landscape
    assert info["Title"] == "Partnership day \u2014 Stakeholder map"

    text = _normal(_pdf_text(path))
    for label in LABELS:
        assert label in text
    assert "Must be in the room" in text and "Bring in early" in text and "Keep informed" in text
    assert "Queen Mary University of London" in text and "Tower Hamlets CVS" in text
    assert "Not yet placed" in text
    assert "funds & <i>backs</i>" in text
    assert "Ana Ruiz · Decision-maker" in text and "Agreed to take part" in text
    assert CREDIT_LINE in text
    assert "Public Engagement Managers," in text and "\u2026" in text  # cut short, not lost
    assert LONG_LABEL not in text
    assert _words_outside_page(path) == []

    images = subprocess.run([require_tool("pdfimages"), "-list", str(path)],
                            capture_output=True, text=True, check=True, timeout=30).stdout
    assert len(images.strip().splitlines()) == 2  # the header only: no raster images


def test_markup_in_a_label_is_printed_as_typed(store: Store) -> None:
    workshop = store.create_workshop("<i>Markup</i> & title")
    store.add_stakeholder(workshop.id, MARKUP_LABEL)
    data = map_pdf_bytes(store.stakeholder_map(workshop.id), "<i>Markup</i> & title")
    assert data.startswith(b"%PDF")
    svg = map_svg_bytes(store.stakeholder_map(workshop.id), "<i>Markup</i> & title")
    assert b"<b>" not in svg and b"<i>" not in svg  # escaped, not markup
    root, cards = _svg_cards(svg)
    assert list(cards.values()) == [MARKUP_LABEL]
    assert root.findtext(f"{SVG}title") == "<i>Markup</i> & title \u2014 Stakeholder map"


def test_a_300_card_map_still_fits_one_page(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Big map", organisations=[
        ("University", "university"), ("Council", "civic"), ("Charity", "civic")])
    orgs = store.list_organisations(workshop.id)
    store.add_stakeholders(workshop.id, [
        {"label": f"Role number {i}", "organisation_id": orgs[i % 3].id, "ring": i % 3,
         "across": (i * 0.37) % 1, "depth": (i * 0.61) % 1} for i in range(300)])
    path = write_map_pdf(store.stakeholder_map(workshop.id), "Big map", tmp_path / "big.pdf")
    info = _pdf_info(path)
    assert info["Pages"] == "1"
    assert "A3" in info["Page size"]
    text = _normal(_pdf_text(path))
    assert all(f"Role number {i}" in text for i in range(300))
    assert _words_outside_page(path) == []


def test_an_empty_map_still_exports(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Nothing yet")
    stakeholder_map = store.stakeholder_map(workshop.id)
    path = write_map_pdf(stakeholder_map, "", tmp_path / "empty.pdf")
    assert _pdf_info(path)["Pages"] == "1"
    text = _normal(_pdf_text(path))
    assert text.startswith("Stakeholder map")
    assert "Not yet placed" in text and "Keep informed" in text
    ET.fromstring(map_svg_bytes(stakeholder_map, ""))


# ------------------------------------------------------------------------------ SVG


def test_svg_has_a_group_per_card_with_its_label(store: Store, tmp_path: Path) -> None:
    _, stakeholder_map = _sample_map(store)
    path = write_map_svg(stakeholder_map, "Partnership day", tmp_path / "map.svg")
    root, cards = _svg_cards(path.read_bytes())
    expected = {f"card-{s.id}": s.label for s in stakeholder_map.stakeholders
                if s.label != LONG_LABEL}
    for card_id, label in expected.items():
        assert cards[card_id] == label
    long_id = next(s.id for s in stakeholder_map.stakeholders if s.label == LONG_LABEL)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == f"card-{long_id}")
    lines = [t.text or "" for t in group.iter(f"{SVG}text")
             if "card-label" in t.get("class", "")]
    assert len(lines) == 3 and lines[-1].endswith("\u2026")
    assert LONG_LABEL.startswith(_normal(" ".join(lines)).rstrip("\u2026").rstrip(" ,"))

    classes = {}
    for t in root.iter(f"{SVG}text"):
        classes.setdefault(t.get("class", ""), []).append(t.text or "")
    assert classes["ring-name"] == ["Must be in the room", "Bring in early", "Keep informed"]
    assert classes["link-label"] == ["funds & <i>backs</i>"]
    assert _normal(" ".join(classes["area-name"])) == (
        "Queen Mary University of London Tower Hamlets CVS Not yet placed")
    first = next(s.id for s in stakeholder_map.stakeholders if s.label == MARKUP_LABEL)
    summary = [t.text or "" for t in root.iter(f"{SVG}text")
               if f"card-{first} card-summary" == t.get("class")]
    assert _normal(" ".join(summary)) == "Ana Ruiz · Decision-maker"
    assert root.findtext(f"{SVG}title") == "Partnership day \u2014 Stakeholder map"
    assert list(root.iter(f"{SVG}image")) == []


def test_svg_names_a_font_that_draws_every_script(store: Store) -> None:
    _require_dejavu()
    workshop = store.create_workshop("Fonts")
    store.add_stakeholder(workshop.id, "Δήμος Αθηναίων")
    root = ET.fromstring(map_svg_bytes(store.stakeholder_map(workshop.id), "Fonts"))
    styles = {t.get("style", "") for t in root.iter(f"{SVG}text")}
    assert all("font-family: 'DejaVu Sans'" in style for style in styles)
    assert any("font-weight: bold" in style for style in styles)


# ------------------------------------------------------------------------------ CSV


def test_csv_lists_cards_like_the_invite_list(store: Store, tmp_path: Path) -> None:
    _, stakeholder_map = _sample_map(store)
    path = write_stakeholders_csv(stakeholder_map, tmp_path / "cards.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads accents
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == STAKEHOLDER_CSV_FIELDS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    order = [e.stakeholder.label for ring in invite_list(stakeholder_map) for e in ring.entries]
    assert [r["team_or_role"] for r in records] == order
    assert [r["ring"] for r in records][:2] == ["Must be in the room"] * 2
    assert order[:2] == [MARKUP_LABEL, "Chief executive"]  # centre ring first, then by area
    finance = records[0]
    assert finance == {
        "organisation": "Queen Mary University of London", "ring": "Must be in the room",
        "team_or_role": MARKUP_LABEL, "person": "Ana Ruiz", "contact": "",
        "part": "Decision-maker", "part_note": "", "responsible_for": "Processes; Budget",
        "responsibility_note": "signs contracts", "invitation": "Agreed to take part",
    }
    by_label = {r["team_or_role"]: r for r in records}
    assert by_label["Research office"]["ring"] == "Bring in early"
    assert by_label["Research office"]["contact"] == "research@example.org"
    assert by_label["Volunteers"]["part_note"] == "weekend helpers"
    assert by_label["Volunteers"]["invitation"] == "Declined"
    assert by_label["Ward councillors"]["organisation"] == "Not yet placed"
    assert by_label["Δήμος Αθηναίων"]["invitation"] == "Not invited yet"
    if os.name == "posix":
        assert path.stat().st_mode & 0o044 == 0o044  # others can read what was exported


def test_csv_neutralises_formulas(store: Store) -> None:
    workshop = store.create_workshop("Formulas")
    store.add_stakeholder(workshop.id, "=SUM(A1)", person="@admin", contact="+44 20 7946 0000",
                          part_note="-1", responsibility_note="=HYPERLINK(\"x\")")
    rows = list(csv.DictReader(io.StringIO(stakeholders_csv(store.stakeholder_map(workshop.id)),
                                           newline="")))
    assert rows[0]["team_or_role"] == "'=SUM(A1)"
    assert rows[0]["person"] == "'@admin"
    assert rows[0]["contact"] == "'+44 20 7946 0000"
    assert rows[0]["responsibility_note"] == "'=HYPERLINK(\"x\")"


def test_writing_into_a_missing_place_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Blocked")
    stakeholder_map = store.stakeholder_map(workshop.id)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for write in (lambda p: write_map_pdf(stakeholder_map, "Blocked", p),
                  lambda p: write_map_svg(stakeholder_map, "Blocked", p),
                  lambda p: write_stakeholders_csv(stakeholder_map, p)):
        with pytest.raises(StoreError, match="could not be written to"):
            write(blocker / "map.out")
    assert blocker.read_text() == "not a folder"
