"""The draft principles as a document to hand out, A4 or US Letter, portrait. No Qt.

Built like pretix's invoices: what goes in is read once (:func:`gather`), then
:class:`PrinciplesDocument` lays it out with Platypus in small steps that a subclass can
override (styles, page templates, one method per part of the story) and renders into memory;
:class:`NumberedCanvas` prints "Page x of y". Every piece of user text goes through
:func:`plain` before it reaches a ``Paragraph``, so a post-it reading ``<b>x</b>`` prints
those characters.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from workshopkit.exercises.guidance import CREDIT, LICENCE_NAME
from workshopkit.exercises.principles import (
    DEFAULT_REVIEW_DATES,
    SCOPE_NOTE,
    Evidence,
    compile_draft,
    evidence_index,
    inputs_from_store,
)
from workshopkit.exercises.stakeholders import InviteRing, invite_list
from workshopkit.exercises.themes import load_themes
from workshopkit.exercises.values import DECISION_QUESTIONS, describe
from workshopkit.export.files import write_atomically
from workshopkit.model import (
    Column,
    DecisionAnswer,
    EvidenceKind,
    Organisation,
    PostIt,
    Practice,
    PrincipleStatus,
    ReviewTally,
    Status,
    ValueKind,
    ValuesExercise,
    Workshop,
)
from workshopkit.store import Store, StoreError

DOCUMENT_TITLE = "Draft principles for equitable partnership"
PAGE_SIZES = {"a4": A4, "letter": LETTER}
MAX_QUOTES = 3
REVIEW_METHODS = (
    "Ways to review them: one-to-one conversations between partners, a partnership survey, "
    "a workshop like this one, or an external facilitator. For research, ethical review is "
    "another check."
)
NO_DATE = "to be agreed"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#4A5260")
ACCENT = colors.HexColor("#1C4A86")
RULE = colors.HexColor("#B8C2CF")
SHADE = colors.HexColor("#EEF3F9")


def plain(text: str) -> str:
    """User text made safe for a ``Paragraph``: markup prints as typed, line breaks stay."""
    return escape(text).replace("\n", "<br/>")


def human_date(value: str | _dt.date) -> str:
    """"2025-03-04" (or a date) as "4 March 2025"; anything else as it was typed."""
    if isinstance(value, str):
        try:
            day = _dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    else:
        day = value
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --------------------------------------------------------------------------- what goes in


@dataclass(frozen=True)
class PrintedPrinciple:
    number: int
    lead: str
    body: str
    status: PrincipleStatus
    evidence: tuple[Evidence, ...]  # what it rests on (visible notes only), strongest first
    tally: ReviewTally | None = None

    @property
    def quotes(self) -> tuple[Evidence, ...]:
        """The strongest post-its behind it, for "What you told us"."""
        postits = [e for e in self.evidence if e.ref[0] is EvidenceKind.POSTIT]
        return tuple(sorted(postits, key=lambda e: (-e.weight, e.ref[1]))[:MAX_QUOTES])


@dataclass(frozen=True)
class PrintData:
    """Everything the document shows, read from the store in one go."""

    workshop: Workshop
    organisations: tuple[Organisation, ...]
    principles: tuple[PrintedPrinciple, ...]
    stored_draft: bool  # False: compiled on the fly, nobody has edited it yet
    postits: tuple[PostIt, ...]  # visible ones, in board order
    not_shown: int  # pending, held or hidden post-its
    groups: dict[int, str]
    votes: dict[int, int]
    values: ValuesExercise
    invite: tuple[InviteRing, ...]
    review_dates: tuple[tuple[str, str], ...]  # (label, ISO date or "")
    loose: tuple[Evidence, ...]  # notes not yet in a principle
    theme_count: int
    today: _dt.date

    @property
    def partnership(self) -> str:
        return self.workshop.partnership.strip() or self.workshop.title

    @property
    def mark_drafts(self) -> bool:
        return any(p.status is PrincipleStatus.ACCEPTED for p in self.principles)

    @property
    def values_and_answers(self) -> int:
        return len(self.values.values) + sum(1 for a in self.values.answers if a.text.strip())


def gather(store: Store, workshop_id: int, *, today: _dt.date | None = None) -> PrintData:
    """The stored draft (rejected principles left out) or, before anyone has compiled one, a
    draft compiled on the fly, so a printout always has principles if the notes support any."""
    workshop = store.get_workshop(workshop_id)
    draft = compile_draft(inputs_from_store(store, workshop_id))
    found = evidence_index(draft.all_evidence)
    stored = store.list_principles(workshop_id)
    tallies = store.review_tallies(workshop_id)
    principles: list[PrintedPrinciple]
    if stored:
        principles = []
        for p in (p for p in stored if p.status is not PrincipleStatus.REJECTED):
            evidence = sorted((found[r] for r in dict.fromkeys(p.evidence) if r in found),
                              key=lambda e: (-e.weight, e.ref[0].value, e.ref[1]))
            principles.append(PrintedPrinciple(len(principles) + 1, p.lead, p.body, p.status,
                                               tuple(evidence), tallies.get(p.id)))
        used = {e.ref for p in principles for e in p.evidence}
        loose = tuple(e for e in draft.all_evidence if e.ref not in used)
    else:
        principles = [PrintedPrinciple(i, p.lead, p.body, PrincipleStatus.DRAFT, p.evidence)
                      for i, p in enumerate(draft.principles, start=1)]
        loose = draft.unclassified + draft.unused
    order = {column: i for i, column in enumerate(Column)}
    every = store.list_postits(workshop_id)
    postits = sorted((p for p in every if p.status is Status.VISIBLE),
                     key=lambda p: (order[p.column], p.position, p.id))
    dates = tuple((d.label, d.date) for d in store.review_dates(workshop_id)) or tuple(
        (label, "") for label in DEFAULT_REVIEW_DATES)
    return PrintData(
        workshop=workshop,
        organisations=tuple(store.list_organisations(workshop_id)),
        principles=tuple(principles),
        stored_draft=bool(stored),
        postits=tuple(postits),
        not_shown=len(every) - len(postits),
        groups={g.id: g.name for g in store.list_groups(workshop_id)},
        votes=store.vote_tallies(workshop_id),
        values=store.values_exercise(workshop_id),
        invite=tuple(invite_list(store.stakeholder_map(workshop_id))),
        review_dates=dates,
        loose=loose,
        theme_count=len(load_themes()),
        today=today or _dt.date.today(),
    )


# --------------------------------------------------------------------------- pages


class NumberedCanvas(Canvas):
    """A canvas that waits for the last page, then writes "Page x of y" on every page."""

    def __init__(self, *args: Any, footer_font: str = "Helvetica", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_font = footer_font
        self._saved_page_states: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name: the canvas calls it at each page end
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_page_states)
        for state in self._saved_page_states:
            self.__dict__.update(state)
            self.draw_page_number(total)
            super().showPage()
        super().save()

    def draw_page_number(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(self._footer_font, 8.5)
        self.setFillColor(MUTED)
        self.drawCentredString(width / 2, 12 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# --------------------------------------------------------------------------- the document


class PrinciplesDocument:
    """The layout. Each part of the story is its own method, so a variant can change one."""

    margin_x = 24 * mm
    margin_top = 26 * mm
    margin_bottom = 24 * mm

    def __init__(self, data: PrintData, *, page_size: str = "A4") -> None:
        key = page_size.strip().lower()
        if key not in PAGE_SIZES:
            raise ValueError(f"Unknown page size {page_size!r}: use 'A4' or 'letter'.")
        self.data = data
        self.page_size = PAGE_SIZES[key]
        from workshopkit.export.qr import _fonts

        self.regular, self.bold = _fonts()
        if self.regular != "Helvetica":
            from reportlab.pdfbase.pdfmetrics import registerFontFamily

            registerFontFamily(self.regular, normal=self.regular, bold=self.bold,
                               italic=self.regular, boldItalic=self.bold)
        self.styles = self.make_styles()

    @property
    def width(self) -> float:
        """The width of the text frame (inside the frame's own padding)."""
        return float(self.page_size[0] - 2 * self.margin_x - 12)

    # -- styles

    def make_styles(self) -> dict[str, ParagraphStyle]:
        r, b = self.regular, self.bold

        def style(name: str, font: str = r, size: float = 10.5, **extra: Any) -> ParagraphStyle:
            extra.setdefault("leading", size * 1.38)
            extra.setdefault("textColor", INK)
            return ParagraphStyle(name, fontName=font, fontSize=size, **extra)

        indent = 9 * mm
        return {
            "body": style("body", spaceAfter=6),
            "small": style("small", size=8.5, textColor=MUTED, spaceAfter=4),
            "kicker": style("kicker", b, 10, textColor=ACCENT, spaceAfter=10),
            "title": style("title", b, 28, leading=34, spaceAfter=14),
            "subtitle": style("subtitle", r, 17, leading=22, textColor=ACCENT, spaceAfter=18),
            "label": style("label", b, 9.5, textColor=MUTED),
            "value": style("value", r, 10.5),
            "h1": style("h1", b, 17, leading=22, textColor=ACCENT, spaceBefore=16,
                        spaceAfter=10, keepWithNext=1),
            "h2": style("h2", b, 12, leading=16, spaceBefore=10, spaceAfter=5, keepWithNext=1),
            # Before a table: a table splits across pages (its header repeats), so the heading
            # is kept with it by a CondPageBreak rather than by keepWithNext, which would push
            # the whole table to the next page.
            "h2_table": style("h2_table", b, 12, leading=16, spaceBefore=10, spaceAfter=5),
            "lead": style("lead", b, 12.5, leading=17, leftIndent=indent, bulletIndent=0,
                          bulletFontName=b, bulletFontSize=12.5, bulletColor=ACCENT,
                          spaceBefore=12, spaceAfter=4, keepWithNext=1),
            "principle": style("principle", leftIndent=indent, spaceAfter=5),
            "told": style("told", b, 9, textColor=ACCENT, leftIndent=indent, spaceBefore=2,
                          spaceAfter=2, keepWithNext=1),
            "quote": style("quote", r, 10, leftIndent=indent + 4 * mm, spaceAfter=3),
            "based": style("based", r, 8.5, textColor=MUTED, leftIndent=indent, spaceAfter=6),
            "item": style("item", r, 10, leftIndent=5 * mm, bulletIndent=0, spaceAfter=3),
            "subitem": style("subitem", r, 9, textColor=MUTED, leftIndent=10 * mm,
                             bulletIndent=5 * mm, spaceAfter=2),
            "detail": style("detail", r, 9.5, leftIndent=10 * mm, bulletIndent=5 * mm,
                            spaceAfter=2),
            "cell": style("cell", r, 9, leading=11.5),
            "cell_head": style("cell_head", b, 9, leading=11.5),
            "credit": style("credit", r, 8.5, textColor=MUTED, leading=11.5),
            "empty": style("empty", r, 10, textColor=MUTED, spaceAfter=6),
        }

    def table_heading(self, text: str) -> list[Flowable]:
        """A heading over a table, never left alone at the foot of a page."""
        return [CondPageBreak(40 * mm), self.p(text, "h2_table")]

    def p(self, text: str, style: str, **kwargs: Any) -> Paragraph:
        """A paragraph of our own (already safe) markup."""
        return Paragraph(text, self.styles[style], **kwargs)

    def meta(self, text: str) -> str:
        """Small muted text inside a paragraph (``text`` must already be escaped)."""
        return f'<font size="8.5" color="#4A5260">{text}</font>'

    # -- pages

    def page_templates(self) -> list[PageTemplate]:
        w, h = self.page_size
        frame = Frame(self.margin_x, self.margin_bottom, w - 2 * self.margin_x,
                      h - self.margin_top - self.margin_bottom, id="text")
        _w, credit = self.credit().wrap(self.width, h)
        above_credit = self.margin_bottom + credit + 12 * mm  # room for the credit and its rule
        title = Frame(self.margin_x, above_credit, w - 2 * self.margin_x,
                      h - self.margin_top - above_credit, id="title")
        return [PageTemplate("title", [title], onPage=self.draw_title_page),
                PageTemplate("body", [frame], onPage=self.draw_header)]

    def draw_title_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        credit = self.credit()
        _w, height = credit.wrap(self.width, self.page_size[1])
        credit.drawOn(canvas, self.margin_x + 6, self.margin_bottom + 6)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        top = self.margin_bottom + 6 + height + 4 * mm
        canvas.line(self.margin_x + 6, top, self.page_size[0] - self.margin_x - 6, top)
        canvas.restoreState()

    def draw_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        w, h = self.page_size
        left, right = self.margin_x + 6, w - self.margin_x - 6
        y = h - 15 * mm
        note = f"Draft of {human_date(self.data.today)}"
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(self.regular, 8.5)
        canvas.drawRightString(right, y, note)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        room = right - left - stringWidth(note, self.regular, 8.5) - 8 * mm
        canvas.setFont(self.bold, 8.5)
        canvas.drawString(left, y, _fit(self.data.partnership, self.bold, 8.5, room))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
        canvas.restoreState()

    def credit(self) -> Paragraph:
        return self.p(escape(self.credit_text()), "credit")

    def credit_text(self) -> str:
        credit = CREDIT if LICENCE_NAME in CREDIT else f"{CREDIT} ({LICENCE_NAME})"
        return f"Made with workshopkit. {credit}"

    # -- the story

    def story(self) -> list[Flowable]:
        parts: list[Flowable] = []
        parts += self.title_page()
        parts += [NextPageTemplate("body"), PageBreak()]
        parts += self.about()
        parts += self.principles()
        for appendix, room in ((self.appendix_postits, 50), (self.appendix_values, 60),
                               (self.appendix_reviewers, 90), (self.appendix_schedule, 80),
                               (self.appendix_loose, 50)):
            parts += [CondPageBreak(room * mm), *appendix()]
        return parts

    def title_page(self) -> list[Flowable]:
        d, w = self.data, self.data.workshop
        parts: list[Flowable] = [
            Spacer(1, 30 * mm),
            self.p("DRAFT FOR REVIEW", "kicker"),
            self.p(escape(DOCUMENT_TITLE), "title"),
            self.p(plain(d.partnership), "subtitle"),
            HRFlowable(width="100%", thickness=0.8, color=RULE, spaceAfter=8 * mm),
        ]
        rows: list[tuple[str, str]] = []
        if w.partnership.strip() and w.title.strip():
            rows.append(("Workshop", plain(w.title)))
        for i, o in enumerate(d.organisations):  # a row each, so a long list can split
            rows.append(("" if i else "Organisations",
                         f"{plain(o.name)} {self.meta('(' + escape(o.kind.label) + ')')}"))
        if w.date:
            rows.append(("Date", plain(human_date(w.date))))
        if w.place:
            rows.append(("Place", plain(w.place)))
        if w.facilitator:
            rows.append(("Facilitator", plain(w.facilitator)))
        rows.append(("Status", f"Draft of {human_date(d.today)}"))
        table = Table([[self.p(label, "label"), self.p(value, "value")] for label, value in rows],
                      colWidths=[34 * mm, self.width - 34 * mm], hAlign="LEFT")
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]
        first = 1 if w.partnership.strip() and w.title.strip() else 0
        if len(d.organisations) > 1:  # the organisations read as one block
            style += [("BOTTOMPADDING", (0, first), (-1, first + len(d.organisations) - 2), 1),
                      ("TOPPADDING", (0, first + 1), (-1, first + len(d.organisations) - 1), 1)]
        table.setStyle(TableStyle(style))
        parts.append(table)
        return parts

    def about(self) -> list[Flowable]:
        d = self.data
        people = len(d.values.participants)
        organisations = len(d.organisations)
        who = (f", from {count(people, 'person', 'people')}" if people else "") + (
            f"{' in' if people else ', from'} {count(organisations, 'organisation')}"
            if organisations else "")
        method = (
            f"Every note was sorted into the {d.theme_count} themes of the toolkit's example "
            "principles, and the facilitator could move any note to another theme by hand. "
            "Each theme with enough support became a draft principle, strongest first: shared "
            "expectations and dot votes count for more.")
        parts: list[Flowable] = [
            self.p("About these principles", "h1"),
            self.p(escape(SCOPE_NOTE), "body"),
            self.p("How they were made", "h2"),
        ]
        if not (d.postits or d.values_and_answers):
            parts.append(self.p(escape(
                "Nothing has been recorded on the expectations board or in the values exercise "
                f"yet. When it has, every note is sorted into the {d.theme_count} themes of the "
                "toolkit's example principles, and each theme with enough support becomes a "
                "draft principle."), "body"))
            return parts
        parts.append(self.p(escape(
            f"They were drafted from what the room said: "
            f"{count(len(d.postits), 'post-it')} on the expectations board and "
            f"{count(d.values_and_answers, 'value and answer', 'values and answers')} in the "
            f"values exercise{who}. {method}"), "body"))
        parts.append(self.p(escape(
            "The draft was then refined together: principles can be reworded, merged, split or "
            "set aside until the room agrees." if d.stored_draft else
            "This draft was compiled automatically from the notes and has not been edited yet: "
            "read it together and reword it until everyone agrees."), "body"))
        parts.append(self.p(escape(
            "Under each principle, \u201cWhat you told us\u201d quotes the strongest post-its "
            "behind it, with their column and votes. Every post-it is listed in Appendix A."),
            "body"))
        return parts

    def principles(self) -> list[Flowable]:
        d = self.data
        parts: list[Flowable] = [CondPageBreak(50 * mm), self.p("The principles", "h1")]
        if not d.principles:
            parts.append(self.p(escape(
                "No principles yet: no theme has enough notes behind it. Add post-its to the "
                "board or answers in the values exercise, or add a principle by hand in step 4."),
                "empty"))
        for principle in d.principles:
            parts += self.principle(principle)
        if d.loose:
            parts.append(Spacer(1, 4 * mm))
            parts.append(self.p(escape(
                f"{count(len(d.loose), 'note is', 'notes are')} not yet in a principle: see "
                "Appendix E."), "small"))
        return parts

    def principle(self, principle: PrintedPrinciple) -> list[Flowable]:
        lead = plain(principle.lead)
        if self.data.mark_drafts and principle.status is PrincipleStatus.DRAFT:
            lead += f' <font name="{self.regular}" color="#4A5260">(draft)</font>'
        head = [self.p(lead, "lead", bulletText=f"{principle.number}.")]
        if principle.body.strip():
            head.append(self.p(plain(principle.body), "principle"))
        parts: list[Flowable] = [*head]
        if principle.quotes:
            parts.append(self.p("What you told us", "told"))
            for e in principle.quotes:
                parts.append(self.p(
                    f"\u201c{plain(e.text)}\u201d " + self.meta("\u2014 " + self.where(e)),
                    "quote"))
        based = (f"Based on {count(len(principle.evidence), 'note')}" if principle.evidence
                 else "Added by hand: not linked to any notes yet")
        tally = principle.tally
        if tally and (tally.agree or tally.change):
            based += (f" \u00b7 reviewed on phones: {tally.agree} agree, "
                      f"{count(tally.change, 'suggested change')}")
        parts.append(self.p(escape(based), "based"))
        return [KeepTogether(parts)]  # split only when one principle is longer than a page

    def where(self, e: Evidence) -> str:
        """Where a note came from, and its votes: already escaped."""
        text = plain(e.where)
        if e.votes:
            text += f" \u00b7 {count(e.votes, 'vote')}"
        return text

    # -- appendices

    def appendix_postits(self) -> list[Flowable]:
        d = self.data
        parts: list[Flowable] = [self.p("Appendix A: every post-it, by column", "h1")]
        if not d.postits:
            parts.append(self.p("No post-its on the board yet.", "empty"))
        for column in Column:
            notes = [p for p in d.postits if p.column is column]
            if not notes:
                continue
            parts.append(self.p(f"{plain(d.workshop.heading(column))} "
                                + self.meta(f"({len(notes)})"), "h2"))
            for note in notes:
                bits = []
                if note.group_id and note.group_id in d.groups:
                    bits.append("group: " + plain(d.groups[note.group_id]))
                votes = d.votes.get(note.id, 0)
                if votes:
                    bits.append(count(votes, "vote"))
                tail = " " + self.meta("\u2014 " + " \u00b7 ".join(bits)) if bits else ""
                parts.append(self.p(plain(note.text) + tail, "item", bulletText="\u2022"))
        if d.not_shown:
            parts.append(Spacer(1, 3 * mm))
            parts.append(self.p(escape(
                f"{count(d.not_shown, 'other post-it is', 'other post-its are')} waiting for "
                "approval, held back or hidden by the facilitator, and not listed here."),
                "small"))
        return parts

    def appendix_values(self) -> list[Flowable]:
        ex = self.data.values
        parts: list[Flowable] = [self.p("Appendix B: values", "h1"),
                                 self.p("Stated values and who each organisation serves", "h2")]
        if not ex.organisations:
            parts.append(self.p("No organisations recorded.", "empty"))
        for org in ex.organisations:
            values = ", ".join(plain(v.text) for v in ex.values_of(org.id, ValueKind.VALUE))
            serves = ", ".join(plain(v.text) for v in ex.values_of(org.id, ValueKind.SERVES))
            parts.append(self.p(f"<b>{plain(org.name)}</b> "
                                + self.meta("(" + escape(org.kind.label) + ")"), "body",
                                ))
            for label, listed in (("Values", values), ("Serves", serves)):
                parts.append(self.p(f"<b>{label}:</b> " + (listed or self.meta("none recorded")),
                                    "detail", bulletText="\u2013"))
        parts += self.table_heading("How each works in practice")
        parts += self.values_grid(ex)
        parts.append(self.p("Connections and agreements recorded", "h2"))
        if not ex.notes:
            parts.append(self.p("None recorded.", "empty"))
        for note in ex.notes:
            parts.append(self.p(plain(note.text), "item", bulletText="\u2022"))
            for kind, ids in (("value", note.value_ids), ("answer", note.answer_ids)):
                for ident in ids:
                    parts.append(self.p(plain(describe(ex, (kind, ident))), "subitem",
                                        bulletText="\u2013"))
        decided = [(q, r) for q, r in ex.decisions.items()
                   if r.answer is not DecisionAnswer.NOT_DISCUSSED or r.notes.strip()]
        if decided:
            parts.append(self.p("Decisions", "h2"))
            for question, record in decided:
                text = f"{escape(DECISION_QUESTIONS[question])} <b>{escape(record.answer.label)}</b>"
                if record.notes.strip():
                    text += " " + self.meta("\u2014 " + plain(record.notes))
                parts.append(self.p(text, "item", bulletText="\u2022"))
        return parts

    def values_grid(self, ex: ValuesExercise) -> list[Flowable]:
        rows: list[list[Flowable]] = []
        orgs = {o.id: o.name for o in ex.organisations}
        subjects: list[tuple[str, dict[str, int | None]]] = [
            (f"<b>{plain(o.name)}</b><br/>" + self.meta("organisation"),
             {"organisation_id": o.id}) for o in ex.organisations]
        subjects += [
            (f"{plain(person.name)}<br/>" + self.meta(plain(orgs.get(person.organisation_id or 0,
                                                                      "person"))),
             {"participant_id": person.id}) for person in ex.participants]
        for label, key in subjects:
            answers = [ex.answer(q, **key) for q in Practice]
            if not any(a and a.text.strip() for a in answers):
                continue
            rows.append([self.p(label, "cell")] + [
                self.p(plain(a.text) if a else "", "cell") for a in answers])
        if not rows:
            return [self.p("No answers recorded.", "empty")]
        head = [self.p("", "cell_head")] + [self.p(escape(q.label), "cell_head")
                                              for q in Practice]
        first = self.width * 0.25
        table = Table([head, *rows], colWidths=[first] + [(self.width - first) / 3] * 3,
                      repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        return [table]

    def appendix_reviewers(self) -> list[Flowable]:
        parts: list[Flowable] = [
            self.p("Appendix C: who should review these principles", "h1"),
            self.p(escape("From the stakeholder map, centre out: share the draft with these "
                          "people and ask for their comments."), "body"),
        ]
        if not any(ring.entries for ring in self.data.invite):
            parts.append(self.p(escape("No one on the stakeholder map yet: list who should "
                                       "review the principles in step 1."), "empty"))
            return parts
        widths = [0.34, 0.24, 0.24, 0.18]
        for ring in self.data.invite:
            if not ring.entries:
                continue
            parts += self.table_heading(plain(ring.name) + " "
                                        + self.meta(f"({len(ring.entries)})"))
            head = [self.p(t, "cell_head") for t in ("Team or role", "Person", "Organisation",
                                                     "Invitation")]
            rows = [[self.p(plain(e.stakeholder.label), "cell"),
                     self.p(plain(e.stakeholder.person), "cell"),
                     self.p(plain(e.organisation), "cell"),
                     self.p(escape(e.stakeholder.status.label), "cell")]
                    for e in ring.entries]
            table = Table([head, *rows], colWidths=[self.width * f for f in widths],
                          repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]))
            parts.append(table)
        return parts

    def appendix_schedule(self) -> list[Flowable]:
        parts: list[Flowable] = [
            self.p("Appendix D: review schedule", "h1"),
            self.p(escape("Revisit the principles at these milestones to check they are still "
                          "used and still right."), "body"),
        ]
        rows = [[self.p(plain(label), "cell"),
                 self.p(plain(human_date(date)) if date else self.meta(NO_DATE), "cell")]
                for label, date in self.data.review_dates]
        table = Table([[self.p("When", "cell_head"), self.p("Date", "cell_head")], *rows],
                      colWidths=[self.width * 0.7, self.width * 0.3], repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        parts += [table, Spacer(1, 4 * mm), self.p(escape(REVIEW_METHODS), "body")]
        return parts

    def appendix_loose(self) -> list[Flowable]:
        loose = self.data.loose
        parts: list[Flowable] = [
            self.p("Appendix E: notes not yet in a principle", "h1"),
            self.p(escape("Nothing the room said is lost. These notes are not behind any "
                          "principle above yet: give them a theme, or a principle of their "
                          "own, in step 4."), "body"),
        ]
        if not loose:
            parts.append(self.p("None: every note is behind a principle." if any(
                p.evidence for p in self.data.principles) else "No notes yet.", "empty"))
            return parts
        for title, notes in (("No theme yet", [e for e in loose if not e.themes]),
                             ("A theme, but not in a principle",
                              [e for e in loose if e.themes])):
            if not notes:
                continue
            parts.append(self.p(f"{escape(title)} " + self.meta(f"({len(notes)})"), "h2"))
            for e in notes:
                parts.append(self.p(plain(e.text) + " " + self.meta("\u2014 " + self.where(e)),
                                    "item", bulletText="\u2022"))
        return parts

    # -- rendering

    def render(self) -> bytes:
        buffer = io.BytesIO()
        w = self.data.workshop
        doc = BaseDocTemplate(
            buffer, pagesize=self.page_size, leftMargin=self.margin_x,
            rightMargin=self.margin_x, topMargin=self.margin_top,
            bottomMargin=self.margin_bottom, title=f"{DOCUMENT_TITLE}: {self.data.partnership}",
            author=w.facilitator or "workshopkit", subject=self.credit_text(),
            creator="workshopkit", lang="en",
        )
        doc.addPageTemplates(self.page_templates())
        try:
            doc.build(self.story(), canvasmaker=partial(NumberedCanvas,
                                                        footer_font=self.regular))
        except LayoutError as exc:
            raise StoreError(
                "The principles PDF could not be laid out: one part is too large for a page. "
                "Shorten the longest principle or note and try again.") from exc
        return buffer.getvalue()


# --------------------------------------------------------------------------- entry points


def principles_pdf_bytes(store: Store, workshop_id: int, *, page_size: str = "A4",
                         today: _dt.date | None = None) -> bytes:
    """The draft principles of a workshop as a PDF: the stored draft (rejected ones left out)
    or, before anyone has compiled one, a draft compiled on the fly."""
    return PrinciplesDocument(gather(store, workshop_id, today=today),
                              page_size=page_size).render()


def write_principles_pdf(store: Store, workshop_id: int, path: Path | str, *,
                         page_size: str = "A4") -> Path:
    """Write the PDF whole or not at all; a failure is a ``StoreError`` with a sentence."""
    return write_atomically(path, principles_pdf_bytes(store, workshop_id, page_size=page_size),
                            "principles PDF")


__all__ = ("DOCUMENT_TITLE", "NumberedCanvas", "PrinciplesDocument", "PrintData",
           "PrintedPrinciple", "gather", "plain", "principles_pdf_bytes", "write_principles_pdf")
