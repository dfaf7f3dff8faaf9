"""Plain records for everything the app keeps. No Qt and no SQL here, so every layer can share them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Column(enum.StrEnum):
    """The three columns of the expectations board (toolkit Exercise 3)."""

    UNIVERSITIES = "universities"
    SHARED = "shared"
    CIVIC = "civic"

    @property
    def default_heading(self) -> str:
        return DEFAULT_HEADINGS[self]


DEFAULT_HEADINGS: dict[Column, str] = {
    Column.UNIVERSITIES: "Expectations of universities/researchers",
    Column.SHARED: "Shared expectations",
    Column.CIVIC: "Expectations of civic/community partners",
}


class OrgKind(enum.StrEnum):
    UNIVERSITY = "university"
    CIVIC = "civic"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"university": "University", "civic": "Civic/community", "other": "Other"}[self.value]


class Colour(enum.StrEnum):
    """Post-it colours. The UI maps each to a projector-safe fill with dark text."""

    YELLOW = "yellow"
    PINK = "pink"
    BLUE = "blue"
    GREEN = "green"
    ORANGE = "orange"
    PURPLE = "purple"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Source(enum.StrEnum):
    FACILITATOR = "facilitator"
    PHONE = "phone"


class Status(enum.StrEnum):
    VISIBLE = "visible"  # on the board and, for phones, revealed
    PENDING = "pending"  # waiting for the facilitator's approval
    HELD = "held"  # collected, hidden until the facilitator reveals everything at once
    HIDDEN = "hidden"  # hidden by the facilitator


class Moderation(enum.StrEnum):
    OFF = "off"  # phone posts appear at once
    APPROVAL = "approval"  # phone posts wait in a queue to be approved or hidden


POSTIT_MAX_CHARS = 280
TITLE_MAX_CHARS = 200
HEADING_MAX_CHARS = 80
GROUP_NAME_MAX_CHARS = 80


@dataclass(frozen=True)
class Organisation:
    id: int
    workshop_id: int
    name: str
    kind: OrgKind
    position: int = 0


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    name: str
    organisation_id: int | None = None
    role: str = ""
    position: int = 0
    source: Source = Source.FACILITATOR  # PHONE: added themselves from the join page


@dataclass(frozen=True)
class Workshop:
    id: int
    title: str
    partnership: str = ""
    date: str = ""
    place: str = ""
    facilitator: str = ""
    notes: str = ""
    headings: dict[Column, str] = field(default_factory=lambda: dict(DEFAULT_HEADINGS))
    created_at: str = ""
    updated_at: str = ""

    ring_names: tuple[str, str, str] = ("", "", "")

    def heading(self, column: Column) -> str:
        return self.headings.get(column) or column.default_heading

    def ring_name(self, ring: int) -> str:
        """The stakeholder map's name for a ring (0 is the centre); blank means the default."""
        return self.ring_names[ring] or DEFAULT_RING_NAMES[ring]


@dataclass(frozen=True)
class WorkshopSummary:
    id: int
    title: str
    date: str
    partnership: str
    updated_at: str
    organisations: int
    participants: int
    postits: int


@dataclass(frozen=True)
class Group:
    id: int
    workshop_id: int
    column: Column
    name: str
    position: int = 0


@dataclass(frozen=True)
class PostIt:
    id: int
    workshop_id: int
    column: Column
    text: str
    colour: Colour = Colour.YELLOW
    position: int = 0
    group_id: int | None = None
    shared: bool = False
    source: Source = Source.FACILITATOR
    status: Status = Status.VISIBLE
    author: str = ""
    created_at: str = ""
    updated_at: str = ""
    origin: str = ""  # the workshop it came from when workshops were merged; "" if made here


DEFAULT_VOTE_BUDGET = 3
MAX_VOTE_BUDGET = 20


@dataclass(frozen=True)
class JoinSettings:
    """How phones take part in one workshop: the join token and the facilitator's controls."""

    workshop_id: int
    token: str
    moderation: Moderation = Moderation.OFF
    hold_until_reveal: bool = False
    fixed_column: Column | None = None
    voting_open: bool = False
    vote_budget: int = DEFAULT_VOTE_BUDGET
    voting_round: int = 0
    tallies_shown: bool = False
    collect_values: bool = False  # phones may fill in their own row of step 2's grid
    review_open: bool = False  # phones may agree with the draft principles or suggest changes
    timer_ends_at: str = ""  # ISO time (UTC) a countdown ends; "" when no timer runs
    timer_label: str = ""


@dataclass(frozen=True)
class ModerationEntry:
    id: int
    workshop_id: int
    postit_id: int | None
    action: str
    detail: str
    at: str


# ----------------------------------------------------------------- the stakeholder map (step 1)

RING_COUNT = 3
DEFAULT_RING_NAMES: tuple[str, str, str] = ("Must be in the room", "Involve", "Keep informed")
STAKEHOLDER_LABEL_MAX_CHARS = 120
STAKEHOLDER_FIELD_MAX_CHARS = 200
LINK_LABEL_MAX_CHARS = 60
RING_NAME_MAX_CHARS = 40


class Part(enum.StrEnum):
    """The part someone plays in the partnership (toolkit: brokers, enablers, connectors, supporters)."""

    BROKER = "broker"
    ENABLER = "enabler"
    CONNECTOR = "connector"
    SUPPORTER = "supporter"
    DECISION_MAKER = "decision-maker"
    OTHER = "other"

    @property
    def label(self) -> str:
        return "Decision-maker" if self is Part.DECISION_MAKER else self.value.capitalize()


class Responsibility(enum.StrEnum):
    """What a partnership may need from someone (toolkit step 1.2: processes, systems, spaces)."""

    PROCESSES = "processes"
    SYSTEMS = "systems"
    SPACES = "spaces"
    BUDGET = "budget"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class InviteStatus(enum.StrEnum):
    NOT_INVITED = "not_invited"
    INVITED = "invited"
    AGREED = "agreed"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            "not_invited": "Not invited yet",
            "invited": "Invited",
            "agreed": "Agreed to take part",
            "declined": "Declined",
        }[self.value]

    @property
    def short_label(self) -> str:
        """For narrow columns; the full label goes in the tooltip."""
        return {"not_invited": "Not yet", "invited": "Invited", "agreed": "Agreed",
                "declined": "Declined"}[self.value]


@dataclass(frozen=True)
class Stakeholder:
    """One card on the map: a team or role, maybe a named person, placed in an area and a ring.

    ``across`` (0 to 1) is where the card sits across its organisation's area and ``depth``
    (0 to 1) where it sits from the inner to the outer edge of its ring, so the map can grow or
    gain organisations without anyone's card changing area or ring.
    """

    id: int
    workshop_id: int
    label: str
    organisation_id: int | None = None
    ring: int = 0
    across: float = 0.5
    depth: float = 0.5
    person: str = ""
    contact: str = ""
    part: Part = Part.OTHER
    part_note: str = ""
    responsibilities: frozenset[Responsibility] = frozenset()
    responsibility_note: str = ""
    status: InviteStatus = InviteStatus.NOT_INVITED
    created_at: str = ""
    updated_at: str = ""
    origin: str = ""  # the workshop it came from when workshops were merged


@dataclass(frozen=True)
class StakeholderLink:
    """A labelled line between two cards, e.g. "reports to" or "brokers"."""

    id: int
    workshop_id: int
    source_id: int
    target_id: int
    label: str = ""


@dataclass(frozen=True)
class StakeholderMap:
    workshop_id: int
    ring_names: tuple[str, str, str]
    organisations: tuple[Organisation, ...]
    stakeholders: tuple[Stakeholder, ...]
    links: tuple[StakeholderLink, ...]


# ----------------------------------------------------------------- values alignment (step 2)

VALUE_MAX_CHARS = 80
ANSWER_MAX_CHARS = 280
NOTE_MAX_CHARS = 500
PERSON_NAME_MAX_CHARS = 80


class ValueKind(enum.StrEnum):
    """A chip in step 1: something an organisation says it values, or someone it serves."""

    VALUE = "value"
    SERVES = "serves"


class Practice(enum.StrEnum):
    """The three questions of steps 2 and 3, asked of each organisation and each person."""

    BUDGET = "budget"
    TIME = "time"
    PRIORITY = "priority"

    @property
    def label(self) -> str:
        return {"budget": "Most of the budget goes on", "time": "Most time goes on",
                "priority": "What comes first"}[self.value]


class Decision(enum.StrEnum):
    """The three questions of step 5."""

    CONNECTION = "connection"
    VALUES = "values"
    HOW = "how"


class DecisionAnswer(enum.StrEnum):
    NOT_DISCUSSED = "not_discussed"
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    ORGANISATIONS = "organisations"  # the third question: work together as organisations,
    INDIVIDUALS = "individuals"  # as individuals,
    BOTH = "both"  # or both

    @property
    def label(self) -> str:
        return {"not_discussed": "Not yet discussed", "yes": "Yes", "partly": "Partly",
                "no": "No", "organisations": "As organisations",
                "individuals": "As individuals", "both": "Both"}[self.value]


@dataclass(frozen=True)
class StatedValue:
    id: int
    workshop_id: int
    organisation_id: int
    text: str
    kind: ValueKind = ValueKind.VALUE
    position: int = 0
    origin: str = ""  # the workshop it came from when workshops were merged


@dataclass(frozen=True)
class PracticeAnswer:
    """One cell of the grid: an organisation's or a person's answer to one question."""

    id: int
    workshop_id: int
    question: Practice
    text: str
    organisation_id: int | None = None  # set for an organisation's row
    participant_id: int | None = None  # set for a person's row
    source: Source = Source.FACILITATOR
    updated_at: str = ""
    origin: str = ""  # the workshop it came from when workshops were merged


@dataclass(frozen=True)
class AlignmentNote:
    """A connection or agreement the room recorded, linked to the answers behind it."""

    id: int
    workshop_id: int
    text: str
    value_ids: tuple[int, ...] = ()
    answer_ids: tuple[int, ...] = ()
    position: int = 0
    created_at: str = ""


@dataclass(frozen=True)
class DecisionRecord:
    workshop_id: int
    question: Decision
    answer: DecisionAnswer = DecisionAnswer.NOT_DISCUSSED
    notes: str = ""


@dataclass(frozen=True)
class ValuesExercise:
    """Everything step 2 shows, read in one go."""

    workshop_id: int
    organisations: tuple[Organisation, ...]
    participants: tuple[Participant, ...]
    values: tuple[StatedValue, ...]
    answers: tuple[PracticeAnswer, ...]
    notes: tuple[AlignmentNote, ...]
    decisions: dict[Decision, DecisionRecord]

    def values_of(self, organisation_id: int, kind: ValueKind = ValueKind.VALUE
                  ) -> list[StatedValue]:
        return [v for v in self.values if v.organisation_id == organisation_id and v.kind is kind]

    def answer(self, question: Practice, *, organisation_id: int | None = None,
               participant_id: int | None = None) -> PracticeAnswer | None:
        for a in self.answers:
            if (a.question is question and a.organisation_id == organisation_id
                    and a.participant_id == participant_id):
                return a
        return None


# ----------------------------------------------------------------- principles (step 4)

PRINCIPLE_LEAD_MAX_CHARS = 160
PRINCIPLE_BODY_MAX_CHARS = 1200
REVIEW_COMMENT_MAX_CHARS = 280
REVIEW_LABEL_MAX_CHARS = 120


class EvidenceKind(enum.StrEnum):
    """What a principle can rest on: a post-it, a stated value, or an answer in step 2's grid."""

    POSTIT = "postit"
    VALUE = "value"
    ANSWER = "answer"


EvidenceRef = tuple[EvidenceKind, int]


class PrincipleStatus(enum.StrEnum):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "accepted": "Accepted", "rejected": "Rejected"}[self.value]


class Verdict(enum.StrEnum):
    """A phone's review of a draft principle."""

    AGREE = "agree"
    CHANGE = "change"  # suggest a change, with a comment

    @property
    def label(self) -> str:
        return "Agree" if self is Verdict.AGREE else "Suggest a change"


@dataclass(frozen=True)
class Principle:
    id: int
    workshop_id: int
    lead: str  # the short imperative lead, printed in bold
    body: str = ""  # one or two sentences written for this workshop
    theme_id: str = ""  # "" for a principle added by hand
    status: PrincipleStatus = PrincipleStatus.DRAFT
    position: int = 0
    evidence: tuple[EvidenceRef, ...] = ()
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class ReviewTally:
    principle_id: int
    agree: int = 0
    change: int = 0
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewDate:
    id: int
    workshop_id: int
    label: str
    date: str = ""  # ISO date, or "" if not fixed yet
    position: int = 0


TIMER_LABEL_MAX_CHARS = 60
MAX_TIMER_SECONDS = 4 * 3600


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to arrange before the workshop (toolkit: pay, access, interpretation, ...)."""

    key: str
    label: str
    detail: str = ""
    done: bool = False
    note: str = ""


class ChangeKind(enum.StrEnum):
    WORKSHOPS = "workshops"  # a workshop was created, edited, duplicated, deleted or imported
    ORGANISATIONS = "organisations"
    PARTICIPANTS = "participants"
    POSTITS = "postits"
    GROUPS = "groups"
    JOINING = "joining"  # join link, moderation, voting settings
    VOTES = "votes"
    STAKEHOLDERS = "stakeholders"  # the stakeholder map: cards, links and ring names
    VALUES = "values"  # step 2: stated values, the practice grid, notes and decisions
    PRINCIPLES = "principles"  # step 4: themes chosen by hand, the draft, reviews, dates


@dataclass(frozen=True)
class Change:
    """What one store verb changed, so views refresh only the part they show."""

    kind: ChangeKind
    workshop_id: int | None
    ids: tuple[int, ...] = ()
    columns: frozenset[Column] = frozenset()
    origin: str = ""
