"""The guidance beside each of the four steps, in workshop order.

Kept apart from the steps' rules (the map's geometry, the values alignment, the classifier),
so that the window can show the steps' names and guidance without loading those at start-up.
Written in our own words from the toolkit (Gifford et al. 2025, CC BY-NC 4.0); each step
module re-exports its text as ``GUIDANCE``.
"""

from workshopkit.exercises.guidance import Guidance

STAKEHOLDER_MAP = Guidance(
    number=1,
    key="stakeholders",
    title="Who needs to be in the room?",
    summary=(
        "Map the teams, roles and people in each partner organisation who should help shape "
        "your partnership principles."
    ),
    what_you_need=(
        "Paper and pens, or a shared online whiteboard, to draw the map.",
    ),
    who_you_need=(
        ("People who know how each partner organisation is organised: who does what, and who "
        "signs things off."),
    ),
    steps=(
        ("List the areas, teams and people in each organisation who already work with outside "
        "partners."),
        ("Add whoever looks after the processes, systems and spaces a partnership will rely on, "
        "such as finance, contracts, rooms and data."),
        "Draw it all as one stakeholder map of everyone who should help develop the principles.",
        "Consider sharing the finished map with your partners, with key contacts marked.",
    ),
    questions=(
        "Who is our named way in on each side?",
        "Who signs off money, contracts and ethics, and are they here?",
        "Who are our senior champions, and is partnership time in anyone's workload?",
        "Whose voices are missing from this room?",
    ),
    why_it_matters=(
        "Principles only stick when the people who must live by them helped make them. Naming "
        "every team and role involved builds buy-in, shows each partner how many people the "
        "work touches, and makes it easier to share and embed the principles afterwards. In "
        "universities many roles can act as brokers, enablers, connectors or supporters."
    ),
)


VALUES = Guidance(
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
        ("Each organisation notes how it really works: what most of its budget goes on, what "
        "takes most of its time, and what it has to prioritise."),
        ("Each person answers the same three questions for their own work, and notes how that "
        "differs from their organisation's answer."),
        ("Together, look for alignment between stated values and practice for each "
        "organisation, and between each person and their organisation. Record the connections "
        "and agreements you find."),
        ("Decide together whether there is enough connection to partner, and whether to partner "
        "as organisations or as individuals."),
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


EXPECTATIONS = Guidance(
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


PRINCIPLES = Guidance(
    number=4,
    key="principles",
    title="Principles",
    summary=(
        "Turn what the room said into a draft set of equitable partnership principles, each "
        "traceable to the post-its and answers behind it, then refine it together."
    ),
    what_you_need=(
        "The results of steps 1 to 3.",
        "An example set to compare against, such as the Queen Mary principles.",
    ),
    who_you_need=(
        "Everyone who took part, back together to review and refine the draft.",
    ),
    steps=(
        "Compile a first draft from the board and the values answers.",
        ("Read each draft principle aloud with the post-its behind it; reword it until the room "
        "agrees."),
        "Decide whether the principles apply to this project, to the organisations, or both.",
        "Print the draft, share it, and agree when you will review it.",
    ),
    questions=(
        "Would every partner recognise themselves in this principle?",
        "What would it look like in practice next month?",
        "How and when will we check the principles are still being used?",
    ),
    why_it_matters=(
        "The exercises give you what you need to write principles that fit your own place and "
        "context. Reviewing them at milestones keeps them alive: through one-to-ones, a "
        "partnership survey, a workshop or an outside facilitator, and for research through "
        "ethical review."
    ),
)
