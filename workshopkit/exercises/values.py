"""Step 2, "What and who do you value?": values alignment guidance."""

from workshopkit.exercises.guidance import Guidance

GUIDANCE = Guidance(
    number=2,
    key="values",
    title="What and who do you value?",
    summary=(
        "Compare what each organisation says it values with where its money, time and "
        "priorities actually go, for the organisation and for each person."
    ),
    what_you_need=(
        "Paper and pens, or a shared online whiteboard.",
        "Each organisation's mission, strategy or values statement, if it has one.",
    ),
    who_you_need=(
        "Someone from each partner who knows its strategy and values.",
        "The people who will actually do the partnership work.",
    ),
    steps=(
        "Each organisation notes its stated values and who it exists to serve.",
        "Each organisation notes how it really works: what most of its budget goes on, what "
        "takes most of its time, and what it has to prioritise.",
        "Each person answers the same three questions for their own work, and notes how that "
        "differs from their organisation's answer.",
        "Together, look for alignment between stated values and practice for each "
        "organisation, and between each person and their organisation. Record the connections "
        "and agreements you find.",
        "Decide together whether there is enough connection to partner, and whether to partner "
        "as organisations or as individuals.",
    ),
    questions=(
        "Is there enough connection to make a partnership a good idea?",
        "Do your values align enough to work together?",
        "Do you want to work together as individuals or as organisations?",
        "Does your budget reflect your values and expectations?",
        "If this project fails, who bears the cost?",
    ),
    why_it_matters=(
        "Knowing the values behind each organisation, each partner and each person sets the "
        "foundations and limits of the partnership, makes it more transparent and helps you "
        "spot opportunities. If only the individuals' values align, a project may work, but the "
        "relationship may end when those people move on."
    ),
    inferred_note=(
        "The toolkit's first step for this exercise did not survive in our source copy; the "
        "stated-values step here is our reading of the rest of the exercise."
    ),
)
