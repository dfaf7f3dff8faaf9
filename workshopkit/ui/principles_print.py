"""Printing the draft principles on the facilitator's printer (the PDF export is
:mod:`workshopkit.export.principles_pdf`).

The printout carries the same content as the PDF: who the partnership is, what the principles
are (and are not), the numbered principles with their leads in bold and what the room said
behind each, then every post-it by column, the values, the connections recorded, who should
review the principles and when. It is a :class:`QTextDocument` built from HTML in which every
piece of user text is escaped, so a post-it reading ``<b>hi</b>`` prints those characters.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workshopkit.exercises.principles import (
    DEFAULT_REVIEW_DATES,
    SCOPE_NOTE,
    Draft,
    Evidence,
    compile_draft,
    evidence_index,
    inputs_from_store,
)
from workshopkit.model import Column, EvidenceKind, EvidenceRef, PrincipleStatus, ValueKind
from workshopkit.store import Store

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrinter

DOCUMENT_TITLE = "Equitable partnership principles"


@dataclass(frozen=True)
class PrintedPrinciple:
    number: int
    lead: str
    body: str
    evidence: tuple[Evidence, ...]


def printed_principles(store: Store, workshop_id: int, draft: Draft | None = None
                       ) -> list[PrintedPrinciple]:
    """The stored draft (rejected ones left out, in order), or the compiled draft when none
    is stored yet, with the evidence behind each."""
    if draft is None:
        draft = compile_draft(inputs_from_store(store, workshop_id))
    stored = store.list_principles(workshop_id)
    if not stored:
        return [PrintedPrinciple(n, p.lead, p.body, p.evidence)
                for n, p in enumerate(draft.principles, start=1)]
    index = evidence_index(draft.all_evidence)
    kept = [p for p in stored if p.status is not PrincipleStatus.REJECTED]
    return [PrintedPrinciple(n, p.lead, p.body, _known(index, p.evidence))
            for n, p in enumerate(kept, start=1)]


def _known(index: dict[EvidenceRef, Evidence], refs: Iterable[EvidenceRef]
           ) -> tuple[Evidence, ...]:
    return tuple(index[ref] for ref in refs if ref in index)


def _text(text: str) -> str:
    """User text, escaped, with its line breaks kept."""
    return html.escape(text).replace("\n", "<br/>")


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else ""


def principles_html(store: Store, workshop_id: int) -> str:
    """The printout as HTML (user text escaped)."""
    workshop = store.get_workshop(workshop_id)
    draft = compile_draft(inputs_from_store(store, workshop_id))
    values = store.values_exercise(workshop_id)
    parts: list[str] = [f"<h1>{html.escape(DOCUMENT_TITLE)}</h1>"]
    parts.append(f"<h2>{_text(workshop.partnership or workshop.title)}</h2>")
    facts = []
    if values.organisations:
        facts.append("Partners: " + ", ".join(html.escape(o.name) for o in values.organisations))
    if workshop.date:
        facts.append("Date: " + _text(workshop.date))
    if workshop.place:
        facts.append("Place: " + _text(workshop.place))
    if workshop.partnership and workshop.title != workshop.partnership:
        facts.append("Workshop: " + _text(workshop.title))
    parts.extend(f"<p>{fact}</p>" for fact in facts)

    parts.append("<h2>What these principles are</h2>")
    parts.append(f"<p>{html.escape(SCOPE_NOTE)}</p>")

    parts.append("<h2>The principles</h2>")
    principles = printed_principles(store, workshop_id, draft)
    if not principles:
        parts.append("<p>No principles yet.</p>")
    for p in principles:
        parts.append(f"<h3>{p.number}. {_text(p.lead)}</h3>")
        if p.body:
            parts.append(f"<p>{_text(p.body)}</p>")
        if p.evidence:
            parts.append("<p><i>What you told us:</i></p>")
            parts.append(_list([f"“{_text(e.text)}” ({_text(e.where)})" for e in p.evidence]))

    parts.append("<h2>Appendix: every post-it</h2>")
    tallies = store.vote_tallies(workshop_id)
    for column in Column:
        postits = store.list_postits(workshop_id, column)
        parts.append(f"<h3>{_text(workshop.heading(column))}</h3>")
        lines = []
        for postit in postits:
            votes = tallies.get(postit.id, 0)
            suffix = f" ({votes} vote{'s' if votes != 1 else ''})" if votes else ""
            lines.append(_text(postit.text) + suffix)
        parts.append(_list(lines) or "<p>None.</p>")

    parts.append("<h2>Appendix: values</h2>")
    for organisation in values.organisations:
        valued = [v.text for v in values.values_of(organisation.id, ValueKind.VALUE)]
        served = [v.text for v in values.values_of(organisation.id, ValueKind.SERVES)]
        parts.append(f"<h3>{_text(organisation.name)}</h3>")
        if valued:
            parts.append("<p>Values: " + _text(", ".join(valued)) + "</p>")
        if served:
            parts.append("<p>Serves: " + _text(", ".join(served)) + "</p>")
    answers = [e for e in draft.all_evidence if e.ref[0] is EvidenceKind.ANSWER]
    if answers:
        parts.append("<h3>Budget, time and priorities</h3>")
        parts.append(_list([f"{_text(e.where)}: {_text(e.text)}" for e in answers]))
    notes = store.list_notes(workshop_id)
    if notes:
        parts.append("<h3>Connections recorded</h3>")
        parts.append(_list([_text(n.text) for n in notes]))

    parts.append("<h2>Who should review the principles</h2>")
    from workshopkit.exercises.stakeholders import invite_list

    rings = invite_list(store.stakeholder_map(workshop_id))
    anyone = False
    for ring in rings:
        if not ring.entries:
            continue
        anyone = True
        parts.append(f"<h3>{_text(ring.name)}</h3>")
        parts.append(_list([
            _text(e.stakeholder.label + (f" ({e.stakeholder.person})" if e.stakeholder.person
                                         else "") + f", {e.organisation}")
            for e in ring.entries]))
    if not anyone:
        parts.append("<p>Everyone who took part in the workshop.</p>")

    parts.append("<h2>When we will review them</h2>")
    dates = [(d.label, d.date) for d in store.review_dates(workshop_id)]
    if not dates:
        dates = [(label, "") for label in DEFAULT_REVIEW_DATES]
    parts.append(_list([_text(label) + (f": {_text(date)}" if date else ": date to be agreed")
                        for label, date in dates]))
    return "\n".join(parts)


def principles_document(store: Store, workshop_id: int) -> QTextDocument:
    """The printout as a document, ready for :meth:`QTextDocument.print_`."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDocumentMargin(12)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle,
                                DOCUMENT_TITLE)
    document.setHtml(principles_html(store, workshop_id))
    return document


def print_principles(store: Store, workshop_id: int, printer: QPrinter) -> None:
    """Print the principles on ``printer`` (a real printer, or a PDF file for tests)."""
    principles_document(store, workshop_id).print_(printer)


__all__ = ["PrintedPrinciple", "principles_document", "principles_html", "print_principles",
           "printed_principles"]
