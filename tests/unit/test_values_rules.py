"""Step 2's alignment rules with no Qt: shared words and phrases, gaps, strength and the risk."""

from __future__ import annotations

from workshopkit.exercises.values import (
    DECISION_CHOICES,
    RISK_TEXT,
    VALUE_PRESETS,
    alignment,
    describe,
    suggestions,
    terms,
)
from workshopkit.model import (
    Decision,
    DecisionAnswer,
    DecisionRecord,
    Organisation,
    OrgKind,
    Participant,
    Practice,
    PracticeAnswer,
    StatedValue,
    ValueKind,
    ValuesExercise,
)

UNI = Organisation(1, 1, "Queen Mary", OrgKind.UNIVERSITY, 0)
CVS = Organisation(2, 1, "Tower Hamlets CVS", OrgKind.CIVIC, 1)
SAM = Participant(10, 1, "Sam", UNI.id)
ANA = Participant(11, 1, "Ana", CVS.id)


def exercise(values=(), answers=(), decisions=None) -> ValuesExercise:
    return ValuesExercise(1, (UNI, CVS), (SAM, ANA), tuple(values), tuple(answers), (),
                          decisions or {q: DecisionRecord(1, q) for q in Decision})


def org_answer(id_: int, org: Organisation, question: Practice, text: str) -> PracticeAnswer:
    return PracticeAnswer(id_, 1, question, text, organisation_id=org.id)


def person_answer(id_: int, person: Participant, question: Practice, text: str) -> PracticeAnswer:
    return PracticeAnswer(id_, 1, question, text, participant_id=person.id)


def test_terms_keep_content_words_and_phrases_without_endings() -> None:
    assert terms("Building relationships with LOCAL groups") >= {
        "build", "relationship", "local", "group", "build relationship", "local group"}
    assert "with" not in terms("Building relationships with local groups")
    assert terms("the and of") == set()
    assert terms("Équité, communautés") == {"équité", "communauté", "équité communauté"}


def test_people_from_two_organisations_who_share_a_phrase_are_connected() -> None:
    ex = exercise(answers=[
        person_answer(1, SAM, Practice.TIME, "Building relationships with local groups"),
        person_answer(2, ANA, Practice.TIME, "Building relationships with local groups"),
        person_answer(3, ANA, Practice.BUDGET, "Small grants"),
    ])
    found = [s for s in suggestions(ex) if s.kind == "connection"]
    assert found, "two identical answers must connect"
    top = found[0]
    assert set(top.refs) == {("answer", 1), ("answer", 2)}
    assert any(" " in word for word in top.words)  # a phrase, not only single words
    assert "Sam" in top.detail and "Ana" in top.detail
    # Single words inside a linking phrase are not repeated as suggestions of their own.
    assert not any(s.words == ("local",) for s in found)


def test_a_stated_value_missing_from_practice_is_a_gap_naming_the_answers() -> None:
    ex = exercise(
        values=[StatedValue(5, 1, UNI.id, "Public engagement"),
                StatedValue(6, 1, UNI.id, "Students", ValueKind.SERVES)],
        answers=[org_answer(1, UNI, Practice.BUDGET, "Research salaries"),
                 org_answer(2, UNI, Practice.PRIORITY, "League-table rankings")])
    gaps = {s.title: s for s in suggestions(ex) if s.kind == "gap"}
    assert set(gaps) == {"Gap: Public engagement", "Gap: Students"}
    assert gaps["Gap: Public engagement"].refs[0] == ("value", 5)
    assert {("answer", 1), ("answer", 2)} <= set(gaps["Gap: Public engagement"].refs)
    assert "serves" in gaps["Gap: Students"].detail


def test_a_stated_value_seen_in_practice_is_a_connection_not_a_gap() -> None:
    ex = exercise(values=[StatedValue(5, 1, CVS.id, "Local voluntary groups", ValueKind.SERVES)],
                  answers=[org_answer(1, CVS, Practice.BUDGET, "Staff for local voluntary groups")])
    kinds = [(s.kind, s.refs) for s in suggestions(ex)]
    assert ("connection", (("value", 5), ("answer", 1))) in kinds
    assert not any(kind == "gap" for kind, _ in kinds)
    assert alignment(ex).by_organisation == {CVS.id: 1.0}


def test_describe_names_whose_answer_it_is() -> None:
    ex = exercise(values=[StatedValue(5, 1, UNI.id, "Inclusive")],
                  answers=[person_answer(1, ANA, Practice.PRIORITY, "Being heard")])
    assert describe(ex, ("value", 5)) == "Queen Mary values: Inclusive"
    assert describe(ex, ("answer", 1)) == "Ana, what comes first: Being heard"
    assert "no longer" in describe(ex, ("answer", 99))


def test_the_risk_shows_when_people_align_and_their_organisations_do_not() -> None:
    people_align = [
        person_answer(1, SAM, Practice.TIME, "Building relationships with local groups"),
        person_answer(2, ANA, Practice.TIME, "Building relationships with local groups"),
        org_answer(3, UNI, Practice.PRIORITY, "League-table rankings"),
        org_answer(4, CVS, Practice.PRIORITY, "Keeping core services open"),
    ]
    result = alignment(exercise(answers=people_align))
    assert result.individual_strength > result.organisation_strength
    assert result.risk and result.risk_text == RISK_TEXT
    # When the organisations connect as much as the people, there is no such risk.
    both_align = [*people_align[:2],
                  org_answer(3, UNI, Practice.TIME, "Building relationships with local groups"),
                  org_answer(4, CVS, Practice.TIME, "Building relationships with local groups")]
    assert not alignment(exercise(answers=both_align)).risk


def test_choosing_to_work_as_individuals_raises_the_risk_too() -> None:
    decisions = {q: DecisionRecord(1, q) for q in Decision}
    decisions[Decision.HOW] = DecisionRecord(1, Decision.HOW, DecisionAnswer.INDIVIDUALS)
    assert alignment(exercise(decisions=decisions)).risk
    assert not alignment(exercise()).risk


def test_an_empty_exercise_suggests_nothing() -> None:
    assert suggestions(exercise()) == []
    assert alignment(exercise()).organisation_strength == 0.0


def test_presets_and_choices() -> None:
    assert VALUE_PRESETS[0].values == ("Proud", "Inclusive", "Ambitious", "Collegial", "Ethical")
    assert DecisionAnswer.INDIVIDUALS in DECISION_CHOICES[Decision.HOW]
    assert DecisionAnswer.YES not in DECISION_CHOICES[Decision.HOW]
    assert DECISION_CHOICES[Decision.VALUES][0] is DecisionAnswer.NOT_DISCUSSED


def test_answers_in_different_words_connect_through_the_principles_themes() -> None:
    ex = exercise(answers=[
        person_answer(1, SAM, Practice.PRIORITY, "Paying community partners promptly"),
        person_answer(2, ANA, Practice.BUDGET, "Invoices and vouchers for volunteers"),
    ])
    (found,) = [s for s in suggestions(ex) if s.kind == "connection"]
    assert found.title.startswith("Same theme: Agree whether and how people are paid")
    assert set(found.refs) == {("answer", 1), ("answer", 2)}
