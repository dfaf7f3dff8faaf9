"""The facilitator's handbook beside each step: what to do, whom to ask, and why.

Text comes from :mod:`workshopkit.exercises` and is shown as plain text in large type, so it
reads from the back of a room.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from workshopkit.exercises.guidance import Guidance

TITLE_SCALE = 2.0
HEADING_SCALE = 1.45
BODY_SCALE = 1.3


def scaled_font(base: QFont, scale: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * scale)
    font.setBold(bold)
    return font


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly. Qt renders a tooltip that looks like HTML as
    rich text, so such text is escaped inside a paragraph that keeps its line breaks."""
    if "<" not in text and "&" not in text:
        return text
    import html

    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def plain_label(
    text: str, parent: QWidget | None = None, *, selectable: bool = True, name: str = "",
    top: bool = False, height: QSizePolicy.Policy = QSizePolicy.Policy.Minimum,
) -> QLabel:
    """A word-wrapped label that never interprets its text as HTML.

    ``selectable`` lets the facilitator copy the text; it costs a text control per label, so
    fixed captions leave it off. ``name`` is the accessible name (none set: Qt reads the text),
    ``top`` keeps the text at the top left of a taller cell, and ``height`` is the vertical
    size policy (``Maximum``: never taller than the text).
    """
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, height)
    if top:
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    if name:
        label.setAccessibleName(name)
    return label


def _bullets(lines: tuple[str, ...]) -> list[str]:
    return [f"•  {line}" for line in lines]


class GuidancePanel(QWidget):
    """Shows one :class:`Guidance`: summary, needs, numbered steps, questions, purpose."""

    def __init__(self, guidance: Guidance | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._guidance: Guidance | None = None
        self.setAccessibleName("Guidance")
        self.setMinimumWidth(260)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setAccessibleName("Guidance text")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)

        self._body = QWidget()
        self._body.setObjectName("guidanceBody")
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(18, 14, 18, 18)
        self._layout.setSpacing(8)
        self._scroll.setWidget(self._body)

        self.title_label = plain_label("", self._body)
        self.title_label.setFont(scaled_font(self.font(), TITLE_SCALE, bold=True))
        self.title_label.setAccessibleName("Step title")
        self.sections: dict[str, list[QLabel]] = {}
        if guidance is not None:
            self.set_guidance(guidance)

    def guidance(self) -> Guidance | None:
        return self._guidance

    def set_guidance(self, guidance: Guidance) -> None:
        self._guidance = guidance
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.title_label:
                widget.deleteLater()
        self.sections = {}
        self.title_label.setText(f"Step {guidance.number}: {guidance.title}")
        self._layout.addWidget(self.title_label)
        self._add_section("summary", "", [guidance.summary])
        self._add_section("what_you_need", "What you need", _bullets(guidance.what_you_need))
        self._add_section("who_you_need", "Who you need", _bullets(guidance.who_you_need))
        self._add_section(
            "steps", "What to do", [f"{n}.  {t}" for n, t in enumerate(guidance.steps, start=1)]
        )
        self._add_section("questions", "Questions to ask", _bullets(guidance.questions))
        self._add_section("why_it_matters", "Why it matters", [guidance.why_it_matters])
        if guidance.inferred_note:
            self._add_section("inferred_note", "A note on this step", [guidance.inferred_note])
        self._layout.addStretch(1)
        self.setAccessibleName(f"Guidance for step {guidance.number}: {guidance.title}")
        self._scroll.verticalScrollBar().setValue(0)

    def _add_section(self, key: str, heading: str, lines: list[str]) -> None:
        labels: list[QLabel] = []
        if heading:
            head = plain_label(heading, self._body)
            head.setFont(scaled_font(self.font(), HEADING_SCALE, bold=True))
            head.setContentsMargins(0, 10, 0, 0)
            head.setAccessibleName(heading)
            self._layout.addWidget(head)
            labels.append(head)
        body_font = scaled_font(self.font(), BODY_SCALE)
        for line in lines:
            label = plain_label(line, self._body)
            label.setFont(body_font)
            if key == "inferred_note":
                label.setObjectName("inferredNote")
                italic = QFont(body_font)
                italic.setItalic(True)
                label.setFont(italic)
            self._layout.addWidget(label)
            labels.append(label)
        self.sections[key] = labels

    def section_texts(self, key: str) -> list[str]:
        """The text of a section's labels, heading first (for tests and accessibility checks)."""
        return [label.text() for label in self.sections.get(key, [])]

    def all_labels(self) -> list[QLabel]:
        return [self.title_label, *(label for labels in self.sections.values() for label in labels)]
