"""Step 3, "What are your expectations?": the post-it board's guidance and worked example."""

from workshopkit.exercises.guidance import Guidance
from workshopkit.model import Column

GUIDANCE = Guidance(
    number=3,
    key="expectations",
    title="What are your expectations?",
    summary=(
        "Everyone writes what they expect of universities and researchers, of civic and "
        "community partners, and of each other, then the room looks at what is shared."
    ),
    what_you_need=(
        "Post-its and pens, or phones to post from (Open joining).",
        "The board on the projector, with its three columns.",
    ),
    who_you_need=(
        ("Everyone who will take part in the partnership or project, including people from the "
        "teams you mapped in step 1."),
    ),
    steps=(
        ("Ask everyone to think about what good partnership would look like at its best, what "
        "civic partners expect of universities and researchers, and what universities and "
        "researchers expect of civic partners."),
        "Talk it over, then write one expectation per post-it.",
        ("Place each post-it in its column: expectations of universities/researchers, shared "
        "expectations, or expectations of civic/community partners."),
        "Discuss the similarities and differences between the columns.",
        ("Spend the most time on the shared expectations: what must be in place to make them "
        "happen? Group related post-its and mark the ones the room agrees are shared."),
    ),
    questions=(
        "What would you expect from a partnership at its best?",
        "Are there similarities or differences between the columns?",
        "What needs to be in place to make the shared expectations happen?",
        "Did anything here surprise you?",
        "Which assumptions should we make explicit?",
    ),
    why_it_matters=(
        "Partners rarely expect the same things. Hearing each other's expectations early means "
        "what you set out to do together meets everyone's reasons for taking part, and it brings "
        "out expectations nobody anticipated."
    ),
)

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
