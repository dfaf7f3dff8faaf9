"""Step 5 of the values exercise: the room's three decisions, each with an answer and notes.

An answer is a radio group (arrow keys move within it and choose); notes are saved when the box
loses focus or after a short pause, each save one undo step. When individuals align but their
organisations do not (or the room chooses to work as individuals), a banner names the risk the
toolkit warns about and offers to record it among the notes of step 4.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QKeyEvent,
    QPalette,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from workshopkit.exercises import values as rules
from workshopkit.model import (
    NOTE_MAX_CHARS,
    Change,
    ChangeKind,
    Decision,
    DecisionAnswer,
    DecisionRecord,
    ValuesExercise,
)
from workshopkit.store import Store, StoreError, ValidationError, clean_text
from workshopkit.ui import theme
from workshopkit.ui.bridge import StoreBridge
from workshopkit.ui.guidance_panel import plain_label
from workshopkit.ui.view_base import ExerciseView

BODY_PX = 16
PROJECTOR_PX = 26
"""Body text in projector mode: at least 24 px, legible from the back of a room."""
HEADING_SCALE = 1.25
NOTES_PAUSE_MS = 1200
"""Notes are saved this long after the last key press (and whenever the box loses focus)."""

BANNER_FILL = "#FFF1C7"
RISK_HEADING = "Risk: the partnership may rest on individuals"


_plain = partial(plain_label, selectable=False)
"""A caption of the page, in plain text."""


def _clean_notes(text: str) -> str | None:
    """Notes as the store would keep them, or None if it would refuse them (too long)."""
    try:
        return clean_text(text, what="The notes", max_chars=NOTE_MAX_CHARS, required=False)
    except ValidationError:
        return None


def risk_reasons(exercise: ValuesExercise) -> list[str]:
    """Why the risk banner shows (empty: it does not)."""
    reasons = []
    how = exercise.decisions.get(Decision.HOW)
    as_individuals = how is not None and how.answer is DecisionAnswer.INDIVIDUALS
    # The rules also flag the choice of working as individuals; ask them about the answers alone.
    undecided = dict(exercise.decisions)
    undecided[Decision.HOW] = DecisionRecord(exercise.workshop_id, Decision.HOW)
    if rules.alignment(replace(exercise, decisions=undecided)).risk:
        reasons.append("Why this shows: the answers of people from different organisations have "
                       "much more in common than their organisations' answers do.")
    if as_individuals:
        reasons.append("Why this shows: the room chose to work together as individuals.")
    return reasons


def risk_recorded(exercise: ValuesExercise) -> bool:
    return any(note.text.strip() == rules.RISK_TEXT.strip() for note in exercise.notes)


class DecisionsPage(ExerciseView, QWidget):
    """Step 5: three questions, each with an answer and notes, and the risk banner."""

    error_shown = Signal(str)
    """Every error shown to the user (also in a warning box unless turned off)."""
    error_title = "The decision was not changed"

    def __init__(self, store: Store, bridge: StoreBridge, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, bridge, undo_stack, parent)
        self.exercise: ValuesExercise | None = None
        self._loading = False
        self._dirty: set[Decision] = set()
        self._refused: dict[Decision, str] = {}
        self.groups: dict[Decision, QButtonGroup] = {}
        self.radios: dict[Decision, dict[DecisionAnswer, QRadioButton]] = {}
        self.notes_edits: dict[Decision, QPlainTextEdit] = {}
        self.question_labels: dict[Decision, QLabel] = {}
        self._timers: dict[Decision, QTimer] = {}
        self.setAccessibleName("Step 5: decide together")
        self._build_ui()
        self._apply_fonts()
        self.bridge.changed.connect(self._on_bridge_changed)
        self._refresh()

    # ----------------------------------------------------------------- building

    def _build_ui(self) -> None:
        body = QWidget()
        self.title_label = _plain("Decide together", body, name="Decide together")
        self.title_label.setProperty("heading", True)
        self.risk_banner = self._build_banner(body)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 6, 6, 6)
        body_layout.setSpacing(14)
        body_layout.addWidget(self.title_label)
        body_layout.addWidget(self.risk_banner)
        for number, (question, text) in enumerate(rules.DECISION_QUESTIONS.items(), start=1):
            body_layout.addWidget(self._build_question(number, question, text, body))
        body_layout.addStretch(1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(body)
        self.scroll_area.setAccessibleName("The three decisions")
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        first = self.radios[next(iter(self.radios))]
        self.setFocusProxy(next(iter(first.values())))

    def _build_banner(self, parent: QWidget) -> QFrame:
        banner = QFrame(parent)
        banner.setObjectName("riskBanner")
        banner.setFrameShape(QFrame.Shape.Box)
        # A palette, not a style sheet, so the banner's text keeps the page's (projector) size.
        banner.setFrameShadow(QFrame.Shadow.Plain)
        banner.setLineWidth(3)
        banner.setAutoFillBackground(True)
        palette = banner.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(BANNER_FILL))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.TEXT_COLOUR))
        banner.setPalette(palette)
        banner.setAccessibleName("Risk warning")
        icon = QLabel(banner)
        icon.setTextFormat(Qt.TextFormat.PlainText)
        size = 40
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAccessibleName("Warning")
        icon.setFixedSize(size + 4, size + 4)
        self.risk_heading = _plain(RISK_HEADING, banner, name="Risk")
        self.risk_heading.setProperty("heading", True)
        self.risk_label = _plain(rules.RISK_TEXT, banner, name="The risk")
        self.risk_reason_label = _plain("", banner, name="Why this shows")
        self.record_risk_button = QPushButton("Record this risk", banner)
        self.record_risk_button.setAccessibleName("Record this risk")
        self.record_risk_button.setToolTip(
            "Add the risk to the connections and agreements of step 4 (Ctrl+Z takes it back)")
        self.record_risk_button.clicked.connect(self._on_record_risk_button_clicked)
        text = QVBoxLayout()
        text.addWidget(self.risk_heading)
        text.addWidget(self.risk_label)
        text.addWidget(self.risk_reason_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_risk_button)
        buttons.addStretch(1)
        text.addLayout(buttons)
        row = QHBoxLayout(banner)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        banner.hide()
        return banner

    def _build_question(self, number: int, question: Decision, text: str,
                        parent: QWidget) -> QWidget:
        box = QFrame(parent)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setAccessibleName(f"Question {number}: {text}")
        heading = _plain(f"{number}. {text}", box, name=f"Question {number}")
        heading.setProperty("heading", True)
        self.question_labels[question] = heading

        choices = QWidget(box)
        choices.setAccessibleName(f"Answer to question {number}")
        choices.setAccessibleDescription(text)
        row = QHBoxLayout(choices)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(self)
        group.setExclusive(True)
        self.groups[question] = group
        self.radios[question] = {}
        for answer in rules.DECISION_CHOICES[question]:
            radio = QRadioButton(answer.label, choices)
            radio.setAccessibleName(answer.label)
            radio.setAccessibleDescription(f"Answer to: {text}")
            radio.installEventFilter(self)
            group.addButton(radio)
            row.addWidget(radio)
            self.radios[question][answer] = radio
        row.addStretch(1)
        group.buttonClicked.connect(
            lambda button, q=question: self._on_group_button_clicked(q, button))

        edit = QPlainTextEdit(box)
        edit.setTabChangesFocus(True)
        edit.setAccessibleName(f"Notes on question {number}")
        edit.setAccessibleDescription(f"{text} Saved as you go; up to {NOTE_MAX_CHARS} "
                                      "characters.")
        edit.setPlaceholderText("What the room said")
        edit.setFixedHeight(96)
        edit.installEventFilter(self)
        edit.textChanged.connect(lambda q=question: self._on_notes_edit_text_changed(q))
        self.notes_edits[question] = edit
        notes_caption = _plain(f"Notes on question {number}:", box)
        notes_caption.setBuddy(edit)

        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(NOTES_PAUSE_MS)
        timer.timeout.connect(lambda q=question: self.save_notes(q))
        self._timers[question] = timer

        layout = QVBoxLayout(box)
        layout.addWidget(heading)
        layout.addWidget(choices)
        layout.addWidget(notes_caption)
        layout.addWidget(edit)
        return box

    # ----------------------------------------------------------------- public interface

    def set_workshop(self, workshop_id: int | None) -> None:
        self.save_all_notes()
        self._workshop_id = workshop_id
        self._dirty.clear()
        self._refused.clear()
        self._refresh()

    def set_projector(self, on: bool) -> None:
        """Large type for the back of the room."""
        self._projector = bool(on)
        self._apply_fonts()

    def body_px(self) -> int:
        return PROJECTOR_PX if self._projector else BODY_PX

    def focus_view(self) -> None:
        self.current_radio(next(iter(self.radios))).setFocus(Qt.FocusReason.OtherFocusReason)

    def answer(self, question: Decision) -> DecisionAnswer | None:
        """The answer the page shows as chosen."""
        for answer, radio in self.radios[question].items():
            if radio.isChecked():
                return answer
        return None

    def current_radio(self, question: Decision) -> QRadioButton:
        radios = self.radios[question]
        chosen = self.answer(question)
        return radios[chosen] if chosen is not None else next(iter(radios.values()))

    def risk_shown(self) -> bool:
        return not self.risk_banner.isHidden()

    # ----------------------------------------------------------------- refreshing

    def _on_bridge_changed(self, change: Change) -> None:
        if self._workshop_id is None or change.workshop_id != self._workshop_id:
            return
        if change.kind in (ChangeKind.VALUES, ChangeKind.PARTICIPANTS,
                           ChangeKind.ORGANISATIONS):
            self._refresh()

    def _refresh(self) -> None:
        exercise: ValuesExercise | None = None
        if self._workshop_id is not None:
            try:
                exercise = self.store.values_exercise(self._workshop_id)
            except StoreError:
                exercise = None
        self.exercise = exercise
        self._loading = True
        try:
            for question in self.radios:
                record = self._record(question)
                group = self.groups[question]
                radio = self.radios[question].get(record.answer)
                if radio is not None and not radio.isChecked():
                    group.blockSignals(True)
                    radio.setChecked(True)
                    group.blockSignals(False)
                for r in self.radios[question].values():
                    r.setEnabled(exercise is not None)
                edit = self.notes_edits[question]
                edit.setEnabled(exercise is not None)
                # Text the store keeps as it is (trailing spaces aside) stays untouched, so
                # saving after a pause never moves the cursor of someone still typing.
                if question not in self._dirty and _clean_notes(edit.toPlainText()) != record.notes:
                    edit.setPlainText(record.notes)
                    edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self._update_banner()

    def _record(self, question: Decision) -> DecisionRecord:
        if self.exercise is None:
            return DecisionRecord(self._workshop_id or 0, question)
        return self.exercise.decisions.get(question) or DecisionRecord(self.exercise.workshop_id,
                                                                       question)

    def _update_banner(self) -> None:
        reasons = risk_reasons(self.exercise) if self.exercise is not None else []
        was_shown = self.risk_shown()
        self.risk_reason_label.setText(" ".join(reasons))
        recorded = self.exercise is not None and risk_recorded(self.exercise)
        self.record_risk_button.setEnabled(not recorded)
        self.record_risk_button.setText("Risk recorded in step 4" if recorded
                                        else "Record this risk")
        self.record_risk_button.setAccessibleName(self.record_risk_button.text())
        description = f"{rules.RISK_TEXT} {' '.join(reasons)}"
        self.risk_banner.setAccessibleDescription(description)
        self.risk_banner.setVisible(bool(reasons))
        if reasons and not was_shown:
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.risk_banner, QAccessible.Event.Alert))

    def _apply_fonts(self) -> None:
        px = self.body_px()
        self.setFont(theme.board_font(px))
        for label in self.findChildren(QLabel):
            if label.property("heading"):
                label.setFont(theme.board_font(round(px * HEADING_SCALE), bold=True))
        self.title_label.setFont(theme.board_font(round(px * HEADING_SCALE * 1.2), bold=True))
        for edit in self.notes_edits.values():
            edit.setFixedHeight(round(px * 4.5))

    # ----------------------------------------------------------------- answers

    def _on_group_button_clicked(self, question: Decision, button: QAbstractButton) -> None:
        if self._loading:
            return
        answer = next((a for a, r in self.radios[question].items() if r is button), None)
        if answer is not None:
            self.choose(question, answer)

    def choose(self, question: Decision, answer: DecisionAnswer) -> bool:
        """Answer a question (keeping what the notes box says): one undo step."""
        from workshopkit.ui.values_commands import SetDecisionCommand

        if self._workshop_id is None:
            return False
        old = self._record(question)
        notes = self.notes_edits[question].toPlainText()
        clean = _clean_notes(notes)
        if clean is None:
            clean = old.notes
        else:
            self._timers[question].stop()
        if old.answer is answer and old.notes == clean:
            return True
        ok = self._push(SetDecisionCommand(self.store, self._workshop_id, question, old,
                                           answer, clean))
        if ok and clean == _clean_notes(notes):
            self._dirty.discard(question)
        if not ok:
            self._refresh()
        return ok

    # ----------------------------------------------------------------- notes

    def _on_notes_edit_text_changed(self, question: Decision) -> None:
        if self._loading:
            return
        self._dirty.add(question)
        self._timers[question].start()

    def save_notes(self, question: Decision) -> bool:
        """Save one notes box now if it changed (one undo step)."""
        from workshopkit.ui.values_commands import SetDecisionCommand

        self._timers[question].stop()
        if self._workshop_id is None or question not in self._dirty:
            return True
        text = self.notes_edits[question].toPlainText()
        old = self._record(question)
        clean = _clean_notes(text)
        if clean is not None and clean == old.notes:
            self._dirty.discard(question)
            return True
        if self._refused.get(question) == text:
            return False  # told once already; wait for the next edit
        ok = self._push(SetDecisionCommand(self.store, self._workshop_id, question, old,
                                           old.answer, text))
        if ok:
            self._dirty.discard(question)
            self._refused.pop(question, None)
        else:
            self._refused[question] = text
        return ok

    def save_all_notes(self) -> None:
        for question in list(self._dirty):
            self.save_notes(question)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            for question, edit in self.notes_edits.items():
                if watched is edit:
                    self.save_notes(question)
        elif (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and isinstance(watched, QRadioButton)
              and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
              == Qt.KeyboardModifier.NoModifier):
            step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1,
                    Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None:
                self._step_radio(watched, step)
                return True
        return super().eventFilter(watched, event)

    def _step_radio(self, radio: QRadioButton, step: int) -> None:
        """Arrow keys within a group: the next (or previous) answer, chosen at once."""
        for radios in self.radios.values():
            buttons = list(radios.values())
            if radio in buttons:
                target = buttons[(buttons.index(radio) + step) % len(buttons)]
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                target.click()
                return

    # ----------------------------------------------------------------- the risk

    def _on_record_risk_button_clicked(self) -> None:
        self.record_risk()

    def record_risk(self) -> bool:
        """Add the risk to step 4's connections and agreements (once)."""
        from workshopkit.ui.values_commands import AddNoteCommand

        if self._workshop_id is None or self.exercise is None or risk_recorded(self.exercise):
            return False
        ok = self._push(AddNoteCommand(self.store, self._workshop_id, rules.RISK_TEXT, (), ()))
        if ok:
            self.record_risk_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return ok
