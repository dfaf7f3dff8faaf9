"""Step 2, "What and who do you value?": guidance, value presets and the alignment rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from workshopkit.exercises import step_texts
from workshopkit.model import (
    Decision,
    DecisionAnswer,
    Practice,
    PracticeAnswer,
    StatedValue,
    ValueKind,
    ValuesExercise,
)

GUIDANCE = step_texts.VALUES


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class ValuePresets:
    title: str
    values: tuple[str, ...]


# Lists of values the toolkit cites (Gifford et al. 2025): Queen Mary's values for equitable
# partnership, the NCIA action learning set's values and principles, and the UKCPN/NCCPE summary.
VALUE_PRESETS: tuple[ValuePresets, ...] = (
    ValuePresets("Queen Mary values", ("Proud", "Inclusive", "Ambitious", "Collegial",
                                       "Ethical")),
    ValuePresets("NCIA values", ("Respect for others", "Empathy", "Curiosity", "Kindness",
                                 "Honesty", "Integrity", "Generosity", "Socially just",
                                 "Humble")),
    ValuePresets("NCIA principles", ("Collaboration", "Support and generosity",
                                     "Openness and transparency",
                                     "Trust and long-term engagement",
                                     "Empathy and understanding", "Humility and reflexivity",
                                     "Equity and inclusivity", "Positive impact",
                                     "Flexibility and risk-taking")),
    ValuePresets("UKCPN principles of practice", ("Clarity of purpose", "Mutual respect",
                                                  "Transparency", "Communication",
                                                  "Constructive discussion",
                                                  "Ongoing reflection")),
)

ORGANISATION_QUESTIONS: dict[Practice, str] = {
    Practice.BUDGET: "What is most of your budget spent on, as an organisation?",
    Practice.TIME: "What do you spend the most time doing, as an organisation?",
    Practice.PRIORITY: "What do you prioritise, as an organisation?",
}
INDIVIDUAL_QUESTIONS: dict[Practice, str] = {
    Practice.BUDGET: "What is most of your budget spent on, in your own work?",
    Practice.TIME: "What do you spend the most time doing, in your own work?",
    Practice.PRIORITY: "What do you prioritise, in your own work?",
}
DECISION_QUESTIONS: dict[Decision, str] = {
    Decision.CONNECTION: "Is there enough connection to make a partnership a good idea?",
    Decision.VALUES: "Do your values align enough to work together?",
    Decision.HOW: "Do you want to work together as individuals or as organisations?",
}
_YES_NO = (DecisionAnswer.NOT_DISCUSSED, DecisionAnswer.YES, DecisionAnswer.PARTLY,
           DecisionAnswer.NO)
DECISION_CHOICES: dict[Decision, tuple[DecisionAnswer, ...]] = {
    Decision.CONNECTION: _YES_NO,
    Decision.VALUES: _YES_NO,
    Decision.HOW: (DecisionAnswer.NOT_DISCUSSED, DecisionAnswer.ORGANISATIONS,
                   DecisionAnswer.INDIVIDUALS, DecisionAnswer.BOTH),
}
RISK_TEXT = (
    "The people here connect more strongly than their organisations do. A project may work, "
    "but the relationship is unlikely to last if these people leave their organisations. "
    "Record this risk and agree how to involve each organisation more widely."
)

# --------------------------------------------------------------------------- alignment rules
#
# Until the principles' theme classifier exists, answers are compared by the words and
# two-word phrases they share, after dropping common words and plural or -ing endings.

Ref = tuple[str, int]  # ("value", stated value id) or ("answer", practice answer id)

_STOPWORDS = frozenset(["a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "every", "few", "for", "from", "further", "get", "gets", "getting", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "keep", "keeping", "less", "lot", "lots", "make", "making", "many", "me", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "really", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "spend", "spent", "spending", "time", "budget", "money", "work", "working", "thing", "things", "way", "ways", "go", "goes", "going", "organisation", "organisations", "organization", "people", "person"])
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def terms(text: str) -> set[str]:
    """The content words of ``text`` and the two-word phrases they make, lightly stemmed."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(text)]
    stems = [None if w in _STOPWORDS or len(w) < 3 else _stem(w) for w in words]
    found = {s for s in stems if s}
    for first, second in pairwise(stems):
        if first and second:
            found.add(f"{first} {second}")
    return found


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "connection" or "gap"
    title: str
    detail: str
    refs: tuple[Ref, ...]
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alignment:
    organisation_strength: float  # 0..1: how much the organisations connect with each other
    individual_strength: float  # 0..1: how much people from different organisations connect
    risk: bool
    risk_text: str
    by_organisation: dict[int, float] = field(default_factory=dict)  # stated values in practice


@dataclass(frozen=True)
class _Item:
    ref: Ref
    subject: tuple[str, int]  # ("organisation", id) or ("person", id)
    organisation_id: int | None
    text: str
    terms: frozenset[str]
    stated: bool  # a stated value or someone served, not an answer about practice


def _items(exercise: ValuesExercise) -> list[_Item]:
    people = {p.id: p for p in exercise.participants}
    items = [
        _Item(("value", v.id), ("organisation", v.organisation_id), v.organisation_id, v.text,
              frozenset(_terms_and_themes(v.text)), True)
        for v in exercise.values
    ]
    for a in exercise.answers:
        if not a.text.strip():
            continue
        org: int | None
        if a.organisation_id is not None:
            subject, org = ("organisation", a.organisation_id), a.organisation_id
        else:
            person = people.get(a.participant_id or -1)
            if person is None:
                continue
            subject, org = ("person", person.id), person.organisation_id
        items.append(_Item(("answer", a.id), subject, org, a.text,
                           frozenset(_terms_and_themes(a.text)),
                           False))
    return items


def _subject_name(exercise: ValuesExercise, subject: tuple[str, int]) -> str:
    kind, ident = subject
    if kind == "organisation":
        return next((o.name for o in exercise.organisations if o.id == ident), "An organisation")
    return next((p.name for p in exercise.participants if p.id == ident), "Someone")


def describe(exercise: ValuesExercise, ref: Ref) -> str:
    """One line naming whose answer this is and what it says."""
    kind, ident = ref
    if kind == "value":
        value = next((v for v in exercise.values if v.id == ident), None)
        if value is None:
            return "A value no longer there"
        name = _subject_name(exercise, ("organisation", value.organisation_id))
        what = "values" if value.kind is ValueKind.VALUE else "serves"
        return f"{name} {what}: {value.text}"
    answer = next((a for a in exercise.answers if a.id == ident), None)
    if answer is None:
        return "An answer no longer there"
    subject = (("organisation", answer.organisation_id) if answer.organisation_id is not None
               else ("person", answer.participant_id or 0))
    return f"{_subject_name(exercise, subject)}, {answer.question.label.lower()}: {answer.text}"


THEME_PREFIX = "theme:"


def _terms_and_themes(text: str) -> set[str]:
    """Shared words and phrases, plus the partnership themes the text is about (the same
    classifier as the principles), so "Paying partners" and "fair fees" connect."""
    from workshopkit.exercises.themes import classify

    found = terms(text)
    found.update(THEME_PREFIX + theme for theme in classify(text).themes[:1])
    return found


def _theme_title(term: str) -> str:
    from workshopkit.exercises.themes import theme_by_id

    return theme_by_id(term.removeprefix(THEME_PREFIX)).title


def _best_words(shared: Iterable[str]) -> tuple[str, ...]:
    """Phrases first, then longer words; drop a word already inside a chosen phrase."""
    chosen: list[str] = []
    for term in sorted(set(shared), key=lambda t: (-t.count(" "), -len(t), t)):
        if not any(term in c.split(" ") for c in chosen if " " in c):
            chosen.append(term)
    return tuple(chosen[:3])


def suggestions(exercise: ValuesExercise) -> list[Suggestion]:
    """Connections (shared words or phrases across organisations and people, and between an
    organisation's stated values and its practice) and gaps, strongest first."""
    items = _items(exercise)
    found: list[tuple[int, Suggestion]] = []
    # Connections: group the items that share each term, across different subjects.
    by_term: dict[str, list[_Item]] = {}
    for item in items:
        for term in item.terms:
            by_term.setdefault(term, []).append(item)
    def connects(group: list[_Item]) -> bool:
        if len({i.subject for i in group}) >= 2:
            return True
        return any(i.stated for i in group) and any(not i.stated for i in group)

    linking = {term for term, group in by_term.items() if connects(group)}
    # A single word that is part of a linking phrase says less than the phrase: leave it out.
    inside_phrases = {word for term in linking if " " in term for word in term.split(" ")}
    seen: dict[frozenset[Ref], set[str]] = {}
    for term in linking:
        if " " not in term and term in inside_phrases:
            continue
        seen.setdefault(frozenset(i.ref for i in by_term[term]), set()).add(term)
    for refs, shared in seen.items():
        group = [i for i in items if i.ref in refs]
        words = _best_words(shared)
        names = sorted({_subject_name(exercise, i.subject) for i in group})
        score = len(names) * 10 + max(w.count(" ") for w in words) * 5 + len(shared)
        themes = sorted(t for t in shared if t.startswith(THEME_PREFIX))
        plain = tuple(w for w in words if not w.startswith(THEME_PREFIX))
        if themes and not plain:
            words = tuple(_theme_title(t) for t in themes)
            title = "Same theme: " + "; ".join(words)
        else:
            words = plain
            title = "Shared: " + ", ".join(words)
        detail = ("Between " + ", ".join(names[:-1]) + " and " + names[-1]) if len(names) > 1 \
            else f"{names[0]}: stated values show up in practice"
        ordered = tuple(i.ref for i in sorted(group, key=lambda i: (i.ref[0] != "value", i.ref)))
        found.append((score, Suggestion("connection", title, detail, ordered, words)))
    # Gaps: a stated value with no sign in its organisation's own practice answers.
    serving = {("value", v.id) for v in exercise.values if v.kind is ValueKind.SERVES}
    for org in exercise.organisations:
        practice = [i for i in items if i.subject == ("organisation", org.id) and not i.stated]
        practice_terms = frozenset().union(*(i.terms for i in practice)) if practice else frozenset()
        for item in items:
            if item.subject != ("organisation", org.id) or not item.stated or not practice:
                continue
            if not item.terms & practice_terms:
                claim = ("says it serves them" if item.ref in serving else
                         "says this matters")
                found.append((5, Suggestion(
                    "gap", f"Gap: {item.text}",
                    f"{org.name} {claim}, but it does not show in where its budget, time and "
                    "priorities go.", (item.ref, *(i.ref for i in practice)))))
    # Gaps: a person whose answers share nothing with their organisation's.
    for person in exercise.participants:
        mine = [i for i in items if i.subject == ("person", person.id)]
        theirs = [i for i in items if person.organisation_id is not None
                  and i.subject == ("organisation", person.organisation_id) and not i.stated]
        if not mine or not theirs:
            continue
        if not frozenset().union(*(i.terms for i in mine)) & frozenset().union(
                *(i.terms for i in theirs)):
            org_name = _subject_name(exercise, ("organisation", person.organisation_id or 0))
            found.append((4, Suggestion(
                "gap", f"Different from {org_name}: {person.name}",
                f"{person.name}'s own budget, time and priorities share nothing with "
                f"{org_name}'s answers.", tuple(i.ref for i in mine + theirs))))
    found.sort(key=lambda pair: (-pair[0], pair[1].title))
    return [s for _, s in found]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def alignment(exercise: ValuesExercise) -> Alignment:
    """How strongly organisations and people connect, and whether the toolkit's risk applies:
    people aligned across organisations whose organisations are not."""
    items = _items(exercise)
    subject_terms: dict[tuple[str, int], set[str]] = {}
    for item in items:
        subject_terms.setdefault(item.subject, set()).update(item.terms)
    orgs = [o.id for o in exercise.organisations
            if subject_terms.get(("organisation", o.id))]
    org_pairs = [_overlap(frozenset(subject_terms[("organisation", a)]),
                          frozenset(subject_terms[("organisation", b)]))
                 for a, b in combinations(orgs, 2)]
    people = [p for p in exercise.participants if subject_terms.get(("person", p.id))]
    person_pairs = [_overlap(frozenset(subject_terms[("person", a.id)]),
                             frozenset(subject_terms[("person", b.id)]))
                    for a, b in combinations(people, 2)
                    if a.organisation_id != b.organisation_id]
    organisation_strength = sum(org_pairs) / len(org_pairs) if org_pairs else 0.0
    individual_strength = sum(person_pairs) / len(person_pairs) if person_pairs else 0.0
    by_org: dict[int, float] = {}
    for org in exercise.organisations:
        stated = [i for i in items if i.subject == ("organisation", org.id) and i.stated]
        practice = frozenset().union(*(i.terms for i in items if i.subject == (
            "organisation", org.id) and not i.stated))
        if stated and practice:
            by_org[org.id] = sum(1 for i in stated if i.terms & practice) / len(stated)
    risk = bool(person_pairs) and individual_strength >= 0.25 and (
        individual_strength >= 2 * organisation_strength)
    if exercise.decisions.get(Decision.HOW) is not None and (
            exercise.decisions[Decision.HOW].answer is DecisionAnswer.INDIVIDUALS):
        risk = True
    return Alignment(organisation_strength, individual_strength, risk,
                     RISK_TEXT if risk else "", by_org)


__all__ = [
    "DECISION_CHOICES", "DECISION_QUESTIONS", "GUIDANCE", "INDIVIDUAL_QUESTIONS",
    "ORGANISATION_QUESTIONS", "RISK_TEXT", "VALUE_PRESETS", "Alignment", "PracticeAnswer",
    "Ref", "StatedValue", "Suggestion", "alignment", "describe", "suggestions", "terms",
]
