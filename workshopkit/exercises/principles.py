"""Step 4, drafting principles: guidance, and the rules that compile a draft from the room.

Every post-it on the board, every stated value and every answer in step 2's grid is sorted
into the toolkit's themes (:mod:`workshopkit.exercises.themes`); the facilitator's own choice
wins. A theme with enough weighted support becomes a principle that lists its evidence.
Nothing is dropped: notes with no theme, and themes without enough support, are listed too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workshopkit.exercises import step_texts

if TYPE_CHECKING:
    from workshopkit.exercises.themes import Theme
from workshopkit.model import (
    Column,
    EvidenceKind,
    EvidenceRef,
    PostIt,
    Status,
    ValuesExercise,
)

GUIDANCE = step_texts.PRINCIPLES


# --------------------------------------------------------------------------- weights

MIN_SUPPORT = 2.0  # a theme needs at least this much weighted support to become a principle
POSTIT_WEIGHT = 1.0
SHARED_COLUMN_WEIGHT = 2.0  # the toolkit asks the room to spend most time on shared expectations
VOTE_WEIGHT = 0.5  # each dot vote a post-it received adds this
VALUE_WEIGHT = 1.0  # a stated value of an organisation
ANSWER_WEIGHT = 0.5  # an answer in step 2's grid
SECOND_THEME_FACTOR = 0.5  # a note counts this much towards its second theme
MAX_QUOTE_CHARS = 140

SCOPE_NOTE = (
    "These principles are not a contract, a Memorandum of Understanding or a partnership "
    "agreement. They capture the values, expectations and priorities the partners share, as a "
    "foundation for working together. Revisit them at milestones to check they are still used "
    "and still right."
)
DEFAULT_REVIEW_DATES: tuple[str, ...] = (
    "First check-in, three months after the workshop",
    "Mid-point review of the partnership",
    "End of the project: what to keep, what to change",
)


@dataclass(frozen=True)
class Evidence:
    """One thing the room said, with where it came from and how much it counts."""

    ref: EvidenceRef
    text: str
    where: str  # "Shared expectations", "Queen Mary values", "Ana, what comes first"…
    themes: tuple[str, ...]  # best first; empty when unclassified
    cues: tuple[str, ...]
    weight: float
    votes: int = 0
    column: Column | None = None
    chosen_by_hand: bool = False


@dataclass(frozen=True)
class DraftPrinciple:
    theme_id: str
    lead: str
    body: str
    weight: float
    evidence: tuple[Evidence, ...]

    @property
    def refs(self) -> tuple[EvidenceRef, ...]:
        return tuple(e.ref for e in self.evidence)


@dataclass(frozen=True)
class Draft:
    principles: tuple[DraftPrinciple, ...]
    unclassified: tuple[Evidence, ...]  # no theme: ready to be given one by hand
    unused: tuple[Evidence, ...]  # a theme, but not enough support for a principle
    missing: tuple[Theme, ...]  # toolkit themes nobody raised, to offer as optional principles
    all_evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True)
class Inputs:
    """What a draft is compiled from (read from the store by :func:`inputs_from_store`)."""

    postits: Sequence[PostIt]
    tallies: Mapping[int, int]
    values: ValuesExercise | None
    overrides: Mapping[EvidenceRef, str]
    headings: Mapping[Column, str]
    partner_names: Sequence[str] = ()


def inputs_from_store(store: object, workshop_id: int) -> Inputs:
    """Everything :func:`compile_draft` needs, read through the store's verbs."""
    from workshopkit.store import Store

    assert isinstance(store, Store)
    workshop = store.get_workshop(workshop_id)
    values = store.values_exercise(workshop_id)
    return Inputs(
        postits=store.list_postits(workshop_id),
        tallies=store.vote_tallies(workshop_id),
        values=values,
        overrides=store.theme_overrides(workshop_id),
        headings={column: workshop.heading(column) for column in Column},
        partner_names=[o.name for o in values.organisations],
    )


def _themes_for(text: str, ref: EvidenceRef, overrides: Mapping[EvidenceRef, str],
                themes: Sequence[Theme]) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    if ref in overrides:
        chosen = overrides[ref]
        return ((chosen,) if chosen else ()), (), True
    from workshopkit.exercises.themes import classify

    found = classify(text, themes)
    return found.themes[:2], found.cues, False


def gather(inputs: Inputs, themes: Sequence[Theme] | None = None) -> list[Evidence]:
    """Every note the room produced, classified and weighed."""
    from workshopkit.exercises.themes import load_themes

    chosen = tuple(themes) if themes is not None else load_themes()
    found: list[Evidence] = []
    for postit in inputs.postits:
        if postit.status is not Status.VISIBLE:
            continue  # pending, held or hidden post-its are not on the board yet
        ref = (EvidenceKind.POSTIT, postit.id)
        names, cues, by_hand = _themes_for(postit.text, ref, inputs.overrides, chosen)
        votes = inputs.tallies.get(postit.id, 0)
        base = SHARED_COLUMN_WEIGHT if postit.column is Column.SHARED else POSTIT_WEIGHT
        found.append(Evidence(ref, postit.text, inputs.headings.get(postit.column, ""), names,
                              cues, base + VOTE_WEIGHT * votes, votes, postit.column, by_hand))
    if inputs.values is not None:
        from workshopkit.exercises.values import describe

        ex = inputs.values
        for value in ex.values:
            ref = (EvidenceKind.VALUE, value.id)
            names, cues, by_hand = _themes_for(value.text, ref, inputs.overrides, chosen)
            where = describe(ex, ("value", value.id)).rsplit(":", 1)[0]
            found.append(Evidence(ref, value.text, where, names, cues, VALUE_WEIGHT,
                                  chosen_by_hand=by_hand))
        for answer in ex.answers:
            if not answer.text.strip():
                continue
            ref = (EvidenceKind.ANSWER, answer.id)
            names, cues, by_hand = _themes_for(answer.text, ref, inputs.overrides, chosen)
            where = describe(ex, ("answer", answer.id)).rsplit(":", 1)[0]
            found.append(Evidence(ref, answer.text, where, names, cues, ANSWER_WEIGHT,
                                  chosen_by_hand=by_hand))
    return found


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_QUOTE_CHARS:
        text = text[:MAX_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def write_body(theme: Theme, evidence: Sequence[Evidence]) -> str:
    """The template sentence, then in the room's own words the strongest post-its behind it."""
    quotes = [e for e in sorted(evidence, key=lambda e: (-e.weight, e.ref[1]))
              if e.ref[0] is EvidenceKind.POSTIT and theme.id in e.themes[:1]][:2]
    if not quotes:
        quotes = [e for e in sorted(evidence, key=lambda e: (-e.weight, e.ref[1]))][:1]
    if not quotes:
        return theme.template
    said = " and ".join(_quote(e.text) for e in quotes)
    return f"{theme.template} In this workshop you said: {said}."


def compile_draft(inputs: Inputs, *, min_support: float = MIN_SUPPORT,
                  themes: Sequence[Theme] | None = None) -> Draft:
    """The draft principles, strongest first (the toolkit's order on ties), with evidence."""
    from workshopkit.exercises.themes import load_themes

    chosen = tuple(themes) if themes is not None else load_themes()
    evidence = gather(inputs, chosen)
    support: dict[str, float] = {}
    backing: dict[str, list[Evidence]] = {}
    for item in evidence:
        for rank, theme_id in enumerate(item.themes):
            share = 1.0 if rank == 0 else SECOND_THEME_FACTOR
            support[theme_id] = support.get(theme_id, 0.0) + item.weight * share
            backing.setdefault(theme_id, []).append(item)
    order = {t.id: t.number for t in chosen}
    strong = sorted((t for t in support if support[t] >= min_support and t in order),
                    key=lambda t: (-support[t], order[t]))
    by_id = {t.id: t for t in chosen}
    principles = tuple(
        DraftPrinciple(
            theme_id=t, lead=by_id[t].title, body=write_body(by_id[t], backing[t]),
            weight=round(support[t], 2),
            evidence=tuple(sorted(backing[t], key=lambda e: (
                e.themes[0] != t, -e.weight, e.ref[0].value, e.ref[1]))),
        )
        for t in strong
    )
    used = {e.ref for p in principles for e in p.evidence}
    unclassified = tuple(e for e in evidence if not e.themes)
    unused = tuple(e for e in evidence if e.themes and e.ref not in used)
    raised = set(support)
    missing = tuple(t for t in chosen if t.id not in raised)
    return Draft(principles, unclassified, unused, missing, tuple(evidence))


def draft_rows(draft: Draft) -> list[dict[str, object]]:
    """The draft as rows for ``Store.replace_principles``."""
    return [{"lead": p.lead, "body": p.body, "theme_id": p.theme_id, "evidence": p.refs}
            for p in draft.principles]


def evidence_index(evidence: Iterable[Evidence]) -> dict[EvidenceRef, Evidence]:
    return {e.ref: e for e in evidence}
