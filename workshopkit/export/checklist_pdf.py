"""The before-the-workshop checklist as a page to print and tick off. No Qt.

A short Platypus document (one page, two with long notes): the workshop's details, then one
row per item of the toolkit's checklist with a drawn box (ticked when done), the item, what it
means and the organiser's note. User text is escaped before it reaches a ``Paragraph``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    LayoutError,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from workshopkit.exercises.guidance import CREDIT
from workshopkit.export.files import write_atomically
from workshopkit.export.principles_pdf import (
    ACCENT,
    INK,
    MUTED,
    PAGE_SIZES,
    RULE,
    SHADE,
    NumberedCanvas,
    human_date,
    plain,
)
from workshopkit.model import ChecklistItem, Workshop
from workshopkit.store import Store, StoreError

DOCUMENT_TITLE = "Before the workshop: checklist"
INTRO = ("What the toolkit asks you to arrange so that everyone can take part as an equal. "
         "Tick each item when it is in place.")
DONE_TEXT = "Done"
TO_DO_TEXT = "To do"
BOX_SIZE = 4.2 * mm


class TickBox(Flowable):
    """A square to tick by hand, or already ticked; vector, so it prints sharp."""

    def __init__(self, done: bool, size: float = BOX_SIZE) -> None:
        super().__init__()
        self.done = done
        self.size = size
        self.width = self.height = size

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.saveState()
        c.setStrokeColor(INK)
        c.setLineWidth(0.9)
        c.rect(0, 0, s, s, stroke=1, fill=0)
        if self.done:
            c.setStrokeColor(ACCENT)
            c.setLineWidth(1.6)
            path = c.beginPath()
            path.moveTo(s * 0.2, s * 0.52)
            path.lineTo(s * 0.42, s * 0.25)
            path.lineTo(s * 0.82, s * 0.8)
            c.drawPath(path, stroke=1, fill=0)
        c.restoreState()


class ChecklistDocument:
    """The layout, in small steps a variant can override (styles, details, the table)."""

    margin_x = 20 * mm
    margin_top = 18 * mm
    margin_bottom = 20 * mm

    def __init__(self, workshop: Workshop, items: Sequence[ChecklistItem], *,
                 page_size: str = "A4") -> None:
        key = page_size.strip().lower()
        if key not in PAGE_SIZES:
            raise ValueError(f"Unknown page size {page_size!r}: use 'A4' or 'letter'.")
        self.workshop = workshop
        self.items = tuple(items)
        self.page_size = PAGE_SIZES[key]
        from workshopkit.export.qr import _fonts

        self.regular, self.bold = _fonts()
        self.styles = self.make_styles()

    @property
    def width(self) -> float:
        return float(self.page_size[0] - 2 * self.margin_x)

    def make_styles(self) -> dict[str, ParagraphStyle]:
        r, b = self.regular, self.bold

        def style(name: str, font: str = r, size: float = 10, **extra: Any) -> ParagraphStyle:
            extra.setdefault("leading", size * 1.3)
            extra.setdefault("textColor", INK)
            return ParagraphStyle(name, fontName=font, fontSize=size, **extra)

        return {
            "kicker": style("kicker", b, 9.5, textColor=ACCENT, spaceAfter=4),
            "title": style("title", b, 19, leading=23, spaceAfter=4),
            "details": style("details", r, 10.5, textColor=MUTED, spaceAfter=2),
            "intro": style("intro", r, 10, spaceBefore=6, spaceAfter=10),
            "head": style("head", b, 9, textColor=MUTED),
            "item": style("item", b, 10.5, leading=13.5),
            "detail": style("detail", r, 9, leading=11.5, textColor=MUTED),
            "note": style("note", r, 9.5, leading=12),
            "state": style("state", b, 8, leading=10, textColor=MUTED),
            "summary": style("summary", b, 10.5, textColor=ACCENT, spaceBefore=6),
            "credit": style("credit", r, 7.5, leading=9.5, textColor=MUTED, spaceBefore=6),
        }

    def p(self, text: str, style: str) -> Paragraph:
        """A paragraph of plain (escaped) text."""
        return Paragraph(plain(text), self.styles[style])

    def details(self) -> list[Flowable]:
        w = self.workshop
        parts: list[Flowable] = [self.p(DOCUMENT_TITLE.upper(), "kicker"),
                                 self.p(w.title, "title")]
        when_where = "  ·  ".join(part for part in (
            human_date(w.date) if w.date else "", w.place, w.partnership) if part)
        if when_where:
            parts.append(self.p(when_where, "details"))
        if w.facilitator:
            parts.append(self.p(f"Facilitator: {w.facilitator}", "details"))
        parts.append(self.p(INTRO, "intro"))
        return parts

    def row(self, item: ChecklistItem) -> list[Any]:
        what: list[Flowable] = [self.p(item.label, "item")]
        if item.detail:
            what.append(self.p(item.detail, "detail"))
        box = [TickBox(item.done), Spacer(1, 1.2 * mm),
               self.p(DONE_TEXT if item.done else TO_DO_TEXT, "state")]
        return [box, what, self.p(item.note, "note") if item.note else ""]

    def table(self) -> Table:
        widths = [16 * mm, self.width * 0.5, self.width * 0.5 - 16 * mm]
        data: list[list[Any]] = [[self.p("", "head"), self.p("What to arrange", "head"),
                                  self.p("Notes", "head")]]
        data += [self.row(item) for item in self.items]
        table = Table(data, colWidths=widths, repeatRows=1)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("TOPPADDING", (0, 1), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ]
        for index, item in enumerate(self.items, start=1):
            if item.done:
                commands.append(("BACKGROUND", (0, index), (-1, index), SHADE))
        table.setStyle(TableStyle(commands))
        return table

    def summary(self) -> Paragraph:
        done = sum(item.done for item in self.items)
        return self.p(f"{done} of {len(self.items)} done.", "summary")

    def story(self) -> list[Flowable]:
        return [*self.details(), self.table(), self.summary(), self.p(CREDIT, "credit")]

    def render(self) -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer, pagesize=self.page_size, leftMargin=self.margin_x,
            rightMargin=self.margin_x, topMargin=self.margin_top,
            bottomMargin=self.margin_bottom, title=f"{DOCUMENT_TITLE}: {self.workshop.title}",
            author=self.workshop.facilitator or "workshopkit", creator="workshopkit",
            subject=CREDIT, lang="en",
        )
        try:
            doc.build(self.story(), canvasmaker=partial(NumberedCanvas,
                                                        footer_font=self.regular))
        except LayoutError as exc:
            raise StoreError("The checklist could not be laid out: a note is too long for a "
                             "page. Shorten it and try again.") from exc
        return buffer.getvalue()


def checklist_pdf_bytes(store: Store, workshop_id: int, *, page_size: str = "A4") -> bytes:
    """The workshop's checklist as it stands, as a PDF."""
    return ChecklistDocument(store.get_workshop(workshop_id), store.checklist(workshop_id),
                             page_size=page_size).render()


def write_checklist_pdf(store: Store, workshop_id: int, path: Path | str, *,
                        page_size: str = "A4") -> Path:
    """Write the PDF whole or not at all; a failure is a ``StoreError`` with a sentence."""
    return write_atomically(path, checklist_pdf_bytes(store, workshop_id, page_size=page_size),
                            "checklist PDF")


__all__ = ("DOCUMENT_TITLE", "ChecklistDocument", "TickBox", "checklist_pdf_bytes",
           "write_checklist_pdf")
