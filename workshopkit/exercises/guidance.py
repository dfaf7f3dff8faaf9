"""Guidance shared by every step's panel."""

from __future__ import annotations

from dataclasses import dataclass

CREDIT = (
    "Based on the exercises in Equitable Partnerships for Civic Engagement (Gifford, Blunt, "
    "Payling and Freeman, 2025; Queen Mary University of London and the National Civic Impact "
    "Accelerator), licensed CC BY-NC 4.0. Guidance rewritten for workshopkit."
)

LICENCE_NAME = "CC BY-NC 4.0"


@dataclass(frozen=True, slots=True)
class Guidance:
    """What the facilitator reads beside a step: needs, people, steps, questions, purpose."""

    number: int
    key: str
    title: str
    summary: str
    what_you_need: tuple[str, ...]
    who_you_need: tuple[str, ...]
    steps: tuple[str, ...]
    questions: tuple[str, ...]
    why_it_matters: str
    inferred_note: str = ""


def all_steps() -> tuple[Guidance, ...]:
    """The four steps in workshop order."""
    from workshopkit.exercises import step_texts

    return (step_texts.STAKEHOLDER_MAP, step_texts.VALUES, step_texts.EXPECTATIONS,
            step_texts.PRINCIPLES)


def step_by_number(number: int) -> Guidance:
    for step in all_steps():
        if step.number == number:
            return step
    raise KeyError(number)


BEFORE_YOU_START: tuple[str, ...] = (
    ("Budget to pay people for their time and expertise when this work is not already part of "
    "their paid job."),
    "A comfortable, accessible place to meet, in person or online.",
    ("Whatever lets everyone take part as an equal: interpretation or translation, food, help "
    "with childcare and travel costs, or data top-ups for people joining online."),
)
