"""Step 4, drafting principles: guidance for the facilitator."""

from workshopkit.exercises.guidance import Guidance

GUIDANCE = Guidance(
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
        "Read each draft principle aloud with the post-its behind it; reword it until the room "
        "agrees.",
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
