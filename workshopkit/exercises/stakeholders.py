"""Step 1, "Who needs to be in the room?": the stakeholder map's guidance and presets."""

from workshopkit.exercises.guidance import Guidance

GUIDANCE = Guidance(
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
        "People who know how each partner organisation is organised: who does what, and who "
        "signs things off.",
    ),
    steps=(
        "List the areas, teams and people in each organisation who already work with outside "
        "partners.",
        "Add whoever looks after the processes, systems and spaces a partnership will rely on, "
        "such as finance, contracts, rooms and data.",
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

ROLE_TAGS: tuple[str, ...] = ("broker", "enabler", "connector", "supporter")

# A list of facts from the toolkit (Gifford et al. 2025): roles and teams named in its workshops.
UNIVERSITY_ROLES: tuple[str, ...] = (
    "Public Engagement Managers, Coordinators, Officers, teams",
    "Civic Engagement Managers, Coordinators, Officers, teams",
    "Community Engagement Managers, Coordinators, Officers, teams",
    "Patient and Public Involvement and Engagement (PPIE) leads",
    "Knowledge Exchange",
    "Place-based teams",
    "Business Development",
    "Research engagement and impact",
    "Research Management office",
    "Strategic Partnerships roles",
    "Faculty, School or Department-based support staff",
    "Innovation teams",
    "Individual researchers and academics",
    "Students' Union staff members and elected representatives",
    "Careers service",
    "Events teams",
    "Public affairs functions",
    "Communications teams",
    "Widening Participation roles",
    "Alumni and Development",
    "Arts, culture and museum teams",
    "Archivists and libraries",
    "Estates and facilities",
    "Finance and procurement",
    "Senior Leadership",
)

# The toolkit lists kinds of civic partner (Gifford et al. 2025).
CIVIC_PARTNER_TYPES: tuple[str, ...] = (
    "Local authorities",
    "NHS Trusts",
    "Further Education colleges",
    "Schools",
    "Charities",
    "Community and Voluntary organisations",
    "Arts, cultural and heritage organisations",
    "Councils for Voluntary Service",
    "Faith groups and organisations",
    "Police services",
    "Small and Medium-sized Enterprises (SMEs)",
    "Industry",
    "Regeneration agencies",
    "Innovation and growth networks",
)
