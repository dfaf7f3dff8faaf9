"""Step 3, "What are your expectations?": the post-it board's guidance and worked example."""

from workshopkit.exercises import step_texts
from workshopkit.model import Column

GUIDANCE = step_texts.EXPECTATIONS

PROMPTS: tuple[str, ...] = (
    "Are there similarities or differences between the columns?",
    "What needs to be in place to enable and embed the shared expectations?",
)

# The toolkit's worked example board (Gifford et al. 2025), used by ``workshopkit demo``.
EXAMPLE_POSTITS: tuple[tuple[Column, str], ...] = (
    (Column.UNIVERSITIES, "To provide a safe space for discussions"),
    (Column.UNIVERSITIES, "Respect"),
    (Column.UNIVERSITIES,
     "Agree the outputs and impacts we want to see together at the very beginning"),
    (Column.UNIVERSITIES, "To provide explanations to unfamiliar terms"),
    (Column.UNIVERSITIES, "To not use jargon and acronyms where possible"),
    (Column.UNIVERSITIES, "They can make things happen which would not otherwise be possible"),
    (Column.SHARED, "That community organisations will be paid, not do things for free/in-kind"),
    (Column.SHARED, "Shared ownership of data"),
    (Column.SHARED, "Honesty"),
    (Column.SHARED, "Transparency"),
    (Column.SHARED, "To listen"),
    (Column.SHARED, "Shared values"),
    (Column.CIVIC, "Challenge and critique"),
    (Column.CIVIC, "Help us recruit interpreter support from our local area"),
    (Column.CIVIC, "Contribute to a case study to showcase our partnership"),
)
