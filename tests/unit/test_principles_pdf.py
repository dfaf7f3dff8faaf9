"""The draft principles PDF, read back with poppler (pdftotext, pdfinfo) as a reader would."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import require_tool
from workshopkit.exercises.principles import (
    DEFAULT_REVIEW_DATES,
    compile_draft,
    draft_rows,
    inputs_from_store,
)
from workshopkit.exercises.stakeholders import invite_list
from workshopkit.export.principles_pdf import (
    DOCUMENT_TITLE,
    principles_pdf_bytes,
    write_principles_pdf,
)
from workshopkit.model import Column, Status, Workshop
from workshopkit.store import NotFoundError, Store, StoreError

MARKUP = "<b>x</b> & <i>"
PAY = ("Pay community partners for their time", "Pay invoices promptly",
       "Fair payment rates for participants", "Cover travel costs and pay people",
       "Agree payment before work starts")
PAGE_FOOTER = re.compile(r"Page (\d+) of (\d+)")


def _write(tmp_path: Path, data: bytes, name: str = "principles.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _info(path: Path) -> str:
    return subprocess.run([require_tool("pdfinfo"), str(path)], capture_output=True, text=True,
                          check=True, timeout=30).stdout


def _pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", _info(path), re.MULTILINE).group(1))  # type: ignore[union-attr]


def _text(path: Path, mode: str = "-layout") -> str:
    """The text as laid out on the page; ``-raw`` keeps each table cell's lines together."""
    return subprocess.run([require_tool("pdftotext"), mode, str(path), "-"],
                          capture_output=True, text=True, check=True, timeout=30).stdout


def _flow(text: str) -> str:
    """The running text: headers and footers dropped, whitespace normalised, so a line that
    wraps (or a paragraph that runs on to the next page) reads as one."""
    lines = [line for line in text.splitlines()
             if not PAGE_FOOTER.search(line) and "Draft of " not in line]
    return " ".join(" ".join(lines).split())


def _pdf(store: Store, workshop_id: int, tmp_path: Path, page_size: str = "A4"
         ) -> tuple[Path, str]:
    path = _write(tmp_path, principles_pdf_bytes(store, workshop_id, page_size=page_size))
    return path, _flow(_text(path))


def _after(text: str, marker: str) -> str:
    assert marker in text, marker
    return text[text.index(marker):]


def test_demo_pdf_holds_every_principle_and_every_postit(
        store: Store, demo_workshop: Workshop, tmp_path: Path) -> None:
    draft = compile_draft(inputs_from_store(store, demo_workshop.id))
    _, text = _pdf(store, demo_workshop.id, tmp_path)

    assert text.startswith("DRAFT FOR REVIEW " + DOCUMENT_TITLE)
    assert "Queen Mary and Tower Hamlets CVS" in text
    assert "Queen Mary University of London (University)" in text
    assert "Tower Hamlets CVS (Civic/community)" in text
    assert "Community centre meeting room" in text and "Demo facilitator" in text
    principles = _after(text, "The principles")
    assert len(draft.principles) >= 3
    for number, principle in enumerate(draft.principles, start=1):
        assert f"{number}. {' '.join(principle.lead.split())}" in principles
    appendix = _after(text, "Appendix A: every post-it, by column")
    for postit in store.list_postits(demo_workshop.id):
        assert " ".join(postit.text.split()) in appendix
    assert "Honesty — group: Openness" in appendix


def test_every_page_is_numbered_out_of_the_real_page_count(
        store: Store, demo_workshop: Workshop, tmp_path: Path) -> None:
    path, _ = _pdf(store, demo_workshop.id, tmp_path)
    pages = _pages(path)
    footers = [tuple(map(int, m)) for m in PAGE_FOOTER.findall(_text(path))]
    assert pages >= 4
    assert footers == [(n, pages) for n in range(1, pages + 1)]
    per_page = _text(path).split("\f")
    assert all("Queen Mary and Tower Hamlets CVS" in page.splitlines()[0]
               for page in per_page[1:pages])  # the running header, after the title page


@pytest.mark.parametrize(("size", "expected"), [("A4", "595.276 x 841.89 pts (A4)"),
                                                ("letter", "612 x 792 pts (letter)")])
def test_page_size(store: Store, demo_workshop: Workshop, tmp_path: Path, size: str,
                   expected: str) -> None:
    path, _ = _pdf(store, demo_workshop.id, tmp_path, page_size=size)
    assert re.search(r"^Page size:\s+(.*)$", _info(path), re.MULTILINE).group(1) == expected  # type: ignore[union-attr]


def test_unknown_page_size_is_refused(store: Store, demo_workshop: Workshop) -> None:
    with pytest.raises(ValueError, match="A4"):
        principles_pdf_bytes(store, demo_workshop.id, page_size="A5")


def test_user_text_prints_literally(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Day <one>", partnership="Ask & <b>Tell</b>",
                                     place="Hall <3", organisations=[("Uni & <Co>",
                                                                      "university")])
    store.add_postits(workshop.id, [{"column": Column.SHARED, "text": MARKUP},
                                    {"column": Column.SHARED, "text": "Line one\nline two"},
                                    *({"column": Column.SHARED, "text": t} for t in PAY)])
    store.add_principle(workshop.id, "Share <b>power</b> & decisions", "Body with <i>tags</i>")
    path, text = _pdf(store, workshop.id, tmp_path)

    assert "Ask & <b>Tell</b>" in text
    assert "Day <one>" in text and "Hall <3" in text and "Uni & <Co> (University)" in text
    assert "1. Share <b>power</b> & decisions" in text and "Body with <i>tags</i>" in text
    assert MARKUP in _after(text, "Appendix A")
    assert "Line one line two" in text
    assert "Ask & <b>Tell</b>" in _text(path).split("\f")[1].splitlines()[0]  # the header


def test_empty_workshop_still_makes_a_document(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Nothing yet")
    path = write_principles_pdf(store, workshop.id, tmp_path / "empty.pdf")
    text = _flow(_text(path))

    assert _pages(path) >= 2
    assert DOCUMENT_TITLE in text and "Nothing yet" in text
    assert "No principles yet" in text
    assert "No post-its on the board yet." in text
    for label in DEFAULT_REVIEW_DATES:
        assert f"{label} to be agreed" in text


def test_stored_draft_in_order_without_rejected_ones_and_drafts_marked(
        store: Store, demo_workshop: Workshop, tmp_path: Path) -> None:
    wid = demo_workshop.id
    store.replace_principles(wid, draft_rows(compile_draft(inputs_from_store(store, wid))))
    first, second, third, *rest = store.list_principles(wid)
    store.update_principle(first.id, status="rejected")
    store.update_principle(second.id, lead="Be open with each other", status="accepted")
    store.reorder_principles(wid, [third.id, second.id])
    _, text = _pdf(store, wid, tmp_path)
    principles = _after(text, "The principles")

    assert f"1. {third.lead} (draft)" in principles
    assert "2. Be open with each other We will" in principles  # accepted: no mark
    assert first.lead not in principles.split("Appendix A")[0]
    assert principles.index(third.lead) < principles.index("Be open with each other")
    assert all(p.lead in principles for p in rest)
    assert "The draft was then refined together" in text


def test_without_an_accepted_principle_nothing_is_marked_draft(
        store: Store, demo_workshop: Workshop, tmp_path: Path) -> None:
    wid = demo_workshop.id
    store.replace_principles(wid, draft_rows(compile_draft(inputs_from_store(store, wid))))
    _, text = _pdf(store, wid, tmp_path)
    assert "(draft)" not in text
    assert "This draft was compiled automatically" not in text


def test_what_you_told_us_quotes_the_three_strongest_postits(store: Store,
                                                             tmp_path: Path) -> None:
    workshop = store.create_workshop("Pay day", partnership="Pay partnership")
    ids = store.add_postits(workshop.id, [{"column": Column.CIVIC, "text": t} for t in PAY])
    store.open_voting(workshop.id)
    for voter in ("a", "b"):
        store.cast_vote(workshop.id, voter, ids[4])
    store.cast_vote(workshop.id, "a", ids[2])
    _, text = _pdf(store, workshop.id, tmp_path)
    block = _after(text, "1. Agree whether and how people are paid")
    block = block[:block.index("Appendix A")]
    told = block[block.index("What you told us"):block.index("Based on")]

    civic = "Expectations of civic/community partners"
    assert told.count("“") == 3
    assert f"“{PAY[4]}” — {civic} · 2 votes" in told
    assert f"“{PAY[2]}” — {civic} · 1 vote" in told
    assert f"“{PAY[0]}” — {civic}" in told
    assert PAY[1] not in told and PAY[3] not in told
    assert "Based on 5 notes" in block


def test_hidden_and_pending_postits_are_counted_not_listed(store: Store,
                                                           tmp_path: Path) -> None:
    workshop = store.create_workshop("Moderated")
    ids = store.add_postits(workshop.id, [{"column": Column.SHARED, "text": t}
                                          for t in ("Shown to all", "Hidden one", "Held one")])
    store.set_status([ids[1]], Status.HIDDEN)
    store.set_status([ids[2]], Status.HELD)
    _, text = _pdf(store, workshop.id, tmp_path)
    assert "Shown to all" in text
    assert "Hidden one" not in text and "Held one" not in text
    assert "2 other post-its are waiting for approval, held back or hidden" in text


def test_appendices_hold_values_reviewers_schedule_and_loose_notes(
        store: Store, demo_workshop: Workshop, tmp_path: Path) -> None:
    wid = demo_workshop.id
    ex = store.values_exercise(wid)
    uni = ex.organisations[0]
    value = ex.values_of(uni.id)[0]
    answer = next(a for a in ex.answers if a.participant_id is not None)
    store.add_note(wid, "Both care about <local> groups", value_ids=[value.id],
                   answer_ids=[answer.id])
    store.set_review_dates(wid, [("First check-in", "2026-03-01"), ("Final review", "")])
    draft = compile_draft(inputs_from_store(store, wid))
    path, text = _pdf(store, wid, tmp_path)

    values = _after(text, "Appendix B: values")
    values = values[:values.index("Appendix C")]
    assert "Values: Inclusive, Collegial, Public engagement with local communities" in values
    assert "Serves: Students, Local communities in east London" in values
    raw = _flow(_text(path, "-raw"))
    grid = _after(raw, "How each works in practice")
    assert grid.startswith("How each works in practice Most of the budget goes on Most time "
                           "goes on What comes first Queen Mary University of London "
                           "organisation Research staff salaries and laboratories")
    for a in ex.answers:
        assert " ".join(a.text.split()) in grid
    assert "Both care about <local> groups" in values
    assert f"{uni.name} values: {value.text}" in values

    reviewers = _after(raw, "Appendix C: who should review these principles")
    for ring in invite_list(store.stakeholder_map(wid)):
        assert ring.name in reviewers
        for entry in ring.entries:
            assert entry.stakeholder.label in reviewers
    assert "Public Engagement team Public engagement manager Queen Mary University of London " \
           "Agreed to take part" in reviewers

    schedule = _after(raw, "Appendix D: review schedule")
    assert "First check-in 1 March 2026" in schedule
    assert "Final review to be agreed" in schedule
    assert "one-to-one conversations" in schedule and "partnership survey" in schedule

    loose = _after(text, "Appendix E: notes not yet in a principle")
    assert draft.unclassified and draft.unused
    for note in (*draft.unclassified, *draft.unused):
        assert " ".join(note.text.split()) in loose
    count = len(draft.unclassified) + len(draft.unused)
    assert f"{count} notes are not yet in a principle: see Appendix E." in text


def test_a_thousand_postits_build_quickly_and_all_print(store: Store, tmp_path: Path) -> None:
    workshop = store.create_workshop("Big day", partnership="A big partnership")
    columns = list(Column)
    texts = [f"Note {i:04d}: {PAY[i % len(PAY)]} and share the data openly"
             for i in range(1000)]
    store.add_postits(workshop.id, [{"column": columns[i % 3], "text": t}
                                    for i, t in enumerate(texts)])
    started = time.perf_counter()
    data = principles_pdf_bytes(store, workshop.id)
    elapsed = time.perf_counter() - started
    path = _write(tmp_path, data)
    text = _flow(_text(path))

    assert elapsed < 2.0, f"building the PDF took {elapsed:.2f} s"
    appendix = _after(text, "Appendix A")
    assert all(t in appendix for t in texts)
    footers = PAGE_FOOTER.findall(_text(path))
    assert len(footers) == _pages(path) > 20


def test_write_is_atomic_and_failures_are_sentences(store: Store, demo_workshop: Workshop,
                                                    tmp_path: Path) -> None:
    target = tmp_path / "out" / "principles.pdf"
    assert write_principles_pdf(store, demo_workshop.id, target, page_size="letter") == target
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in target.parent.iterdir()] == ["principles.pdf"]

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="principles PDF"):
        write_principles_pdf(store, demo_workshop.id, blocker / "principles.pdf")
    with pytest.raises(NotFoundError):
        write_principles_pdf(store, 999, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
