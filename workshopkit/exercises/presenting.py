"""Presenting in the room: discussion cards per step, the before-the-workshop checklist, timers.

The cards are prompts drawn from the toolkit's companion reports (the Getting Started review and
the event report of the eight challenges), rewritten as questions for the room.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DiscussionCard:
    title: str
    prompt: str
    source: str = ""


DISCUSSION_CARDS: dict[int, tuple[DiscussionCard, ...]] = {
    1: (
        DiscussionCard("Finding each other",
                       "Who is our way in on each side, and who actually makes decisions?",
                       "Event report: challenge 1, match-making"),
        DiscussionCard("Buy-in at home",
                       "Who else in our own organisation needs to back this, and how will we "
                       "bring them in?", "Event report: challenge 5, organisational buy-in"),
        DiscussionCard("Getting started",
                       "Who can we ask for help? Have we involved engagement professionals?",
                       "Event report: challenge 6, practical know-how"),
        DiscussionCard("What makes it harder",
                       "What in our own organisation makes partnering harder: payments, "
                       "contracts, ethics, workload?", "Getting Started review: obstacles"),
    ),
    2: (
        DiscussionCard("Working practices",
                       "Where do our budgets, timescales and governance pull in different "
                       "directions?", "Event report: challenge 2, practical alignment"),
        DiscussionCard("Agendas",
                       "What does each of us need to show at the end, and to whom?",
                       "Event report: challenge 3, aligning expectations and agendas"),
        DiscussionCard("Before committing",
                       "What is the benefit, what is the extra work, and what is the risk to "
                       "our day-to-day service?", "Getting Started review: strategies"),
        DiscussionCard("Meaning",
                       "Is this meaningful for everyone here? What counts as evidence for you?",
                       "Event report: words and meaning"),
    ),
    3: (
        DiscussionCard("Fair involvement",
                       "Whose voices are missing, and what would it take for them to be heard?",
                       "Event report: challenge 4, equitable involvement"),
        DiscussionCard("Power and resources",
                       "If one partner is paid to be here and another is not, how does that "
                       "change who feels able to commit, or to say no?",
                       "Event report: power and resources"),
        DiscussionCard("Looking after people",
                       "Are people fed, comfortable and paid for their time? How do we make "
                       "room for those who can't arrive on time?",
                       "Getting Started review: social glue"),
    ),
    4: (
        DiscussionCard("Lasting",
                       "What happens to this partnership when the funding ends or people "
                       "move on?", "Event report: challenge 7, sustainability"),
        DiscussionCard("Making the case",
                       "How will we show the value of working together, to both sides?",
                       "Event report: challenge 8, describing the value"),
        DiscussionCard("In practice",
                       "What would each principle look like next month? Who will notice if "
                       "we don't keep it?", "Toolkit: develop your own principles"),
        DiscussionCard("Saying it's hard",
                       "Where will we make room to say 'this is hard' and share what went "
                       "wrong?", "Event report: share learning"),
    ),
}


@dataclass(frozen=True)
class ChecklistPreset:
    key: str
    label: str
    detail: str


# What the toolkit asks organisers to arrange before running the exercises, in our words.
CHECKLIST: tuple[ChecklistPreset, ...] = (
    ChecklistPreset("payment", "Pay people for their time",
                    "A budget to pay participants for their time and expertise at agreed "
                    "rates, unless a paid job already covers it; plan for slow payment "
                    "processes."),
    ChecklistPreset("space", "An accessible, welcoming space",
                    "Step-free, comfortable, easy to reach, at a time that suits everyone; or "
                    "an online room people can use."),
    ChecklistPreset("interpretation", "Interpretation or translation",
                    "Interpreters, translated materials, or both, for the languages in the room."),
    ChecklistPreset("catering", "Food and drink", "Catering that suits everyone's needs."),
    ChecklistPreset("childcare", "Childcare", "Childcare, or money towards its cost."),
    ChecklistPreset("travel", "Travel", "Travel expenses, paid promptly."),
    ChecklistPreset("internet", "Internet access for online participants",
                    "Data or top-up cards so online participants can join."),
    ChecklistPreset("materials", "Materials",
                    "Paper, pens, post-its and flipcharts, or an online board."),
    ChecklistPreset("ground_rules", "Ground rules and a jargon check",
                    "Agree how the room works; spell out acronyms and unfamiliar terms."),
    ChecklistPreset("capture", "Keep what the room says",
                    "Photograph the boards or keep the post-its; this app saves as you go."),
)


def timer_remaining(ends_at: str, now: _dt.datetime | None = None) -> int:
    """Whole seconds left on a countdown ending at ``ends_at`` (ISO), never below zero."""
    if not ends_at:
        return 0
    try:
        end = _dt.datetime.fromisoformat(ends_at)
    except ValueError:
        return 0
    if end.tzinfo is None:
        end = end.replace(tzinfo=_dt.UTC)
    now = now or _dt.datetime.now(_dt.UTC)
    left = (end - now).total_seconds()
    return max(0, int(left + 0.999))


def format_timer(seconds: int) -> str:
    """mm:ss, or h:mm:ss past an hour."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
