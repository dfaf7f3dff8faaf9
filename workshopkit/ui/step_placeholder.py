"""Stands in for a step's working view until that view ships, so the guidance is still usable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from workshopkit.ui.guidance_panel import plain_label, scaled_font

PLACEHOLDER_TEXT = "This step's working view is coming in a later release."
PLACEHOLDER_HINT = "Use the guidance on the left to run this step on paper or a whiteboard."


class StepPlaceholder(QFrame):
    def __init__(self, step_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepPlaceholder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{step_title}: working view not available yet")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addStretch(1)
        self.message_label: QLabel = plain_label(PLACEHOLDER_TEXT, self)
        self.message_label.setFont(scaled_font(self.font(), 1.6, bold=True))
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message_label)
        self.hint_label: QLabel = plain_label(PLACEHOLDER_HINT, self)
        self.hint_label.setFont(scaled_font(self.font(), 1.2))
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint_label)
        layout.addStretch(2)
