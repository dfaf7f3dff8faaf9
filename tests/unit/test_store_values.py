"""Step 2 on a real SQLite file: chips, the grid, phones' own rows, notes and decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshopkit.model import (
    ChangeKind,
    Decision,
    DecisionAnswer,
    OrgKind,
    Practice,
    Source,
    ValueKind,
)
from workshopkit.store import (
    NotFoundError,
    Store,
    ValidationError,
    ValuesClosedError,
    migration_set,
)


@pytest.fixture
def room(store: Store):
    w = store.create_workshop("Values", organisations=[("Queen Mary", OrgKind.UNIVERSITY),
                                                       ("Tower Hamlets CVS", OrgKind.CIVIC)])
    uni, cvs = (o.id for o in store.list_organisations(w.id))
    return store, w.id, uni, cvs


def test_chips_answers_notes_and_decisions_survive_a_reopen(room, data_dir: Path) -> None:
    store, wid, uni, cvs = room
    value = store.add_stated_value(uni, "  Inclusive ")
    serves = store.add_stated_value(cvs, "Local groups", ValueKind.SERVES)
    answer = store.set_answer(wid, Practice.BUDGET, "Research salaries", organisation_id=uni)
    person = store.add_participant(wid, "Ana", organisation_id=cvs)
    mine = store.set_answer(wid, "time", "Building relationships", participant_id=person.id)
    note = store.add_note(wid, "We both care about local groups", value_ids=[serves.id],
                          answer_ids=[answer.id, mine.id])
    store.set_decision(wid, Decision.HOW, DecisionAnswer.BOTH, "Start with one project")
    before = store.values_exercise(wid)
    store.close()
    with Store.in_data_dir(data_dir) as again:
        after = again.values_exercise(wid)
    assert after == before
    assert after.values_of(uni) == [value] and value.text == "Inclusive"
    assert after.values_of(cvs, ValueKind.SERVES) == [serves]
    assert after.answer(Practice.BUDGET, organisation_id=uni).text == "Research salaries"
    assert after.answer(Practice.TIME, participant_id=person.id).text == "Building relationships"
    (back,) = after.notes
    assert (back.id, back.value_ids, back.answer_ids) == (note.id, (serves.id,),
                                                         (answer.id, mine.id))
    assert after.decisions[Decision.HOW].answer is DecisionAnswer.BOTH
    assert after.decisions[Decision.CONNECTION].answer is DecisionAnswer.NOT_DISCUSSED


def test_a_cell_keeps_its_id_when_rewritten_so_notes_stay_linked(room) -> None:
    store, wid, uni, _ = room
    first = store.set_answer(wid, Practice.TIME, "Teaching", organisation_id=uni)
    note = store.add_note(wid, "Teaching matters", answer_ids=[first.id])
    again = store.set_answer(wid, Practice.TIME, "", organisation_id=uni)
    assert again.id == first.id and again.text == ""
    assert store.values_exercise(wid).notes[0].answer_ids == (first.id,)
    assert store.set_answer(wid, Practice.TIME, "Research", organisation_id=uni).id == note.answer_ids[0]


def test_deleting_a_chip_and_undoing_it_relinks_its_notes(room) -> None:
    store, wid, uni, _ = room
    value = store.add_stated_value(uni, "Collegial")
    note = store.add_note(wid, "Collegial in practice?", value_ids=[value.id])
    removed = store.delete_stated_values([value.id])
    assert store.values_exercise(wid).notes[0].value_ids == ()
    store.restore_stated_values(removed)
    assert store.values_exercise(wid).values_of(uni) == [value]
    assert store.values_exercise(wid).notes[0].value_ids == (value.id,)
    assert store.values_exercise(wid).notes[0].id == note.id


def test_notes_are_edited_relinked_deleted_and_restored(room) -> None:
    store, wid, uni, cvs = room
    a = store.set_answer(wid, Practice.BUDGET, "Grants", organisation_id=uni)
    b = store.set_answer(wid, Practice.BUDGET, "Grants", organisation_id=cvs)
    note = store.add_note(wid, "Both spend on grants", answer_ids=[a.id])
    assert store.edit_note(note.id, "Both fund grants").text == "Both fund grants"
    assert store.set_note_links(note.id, [], [a.id, b.id]).answer_ids == (a.id, b.id)
    removed = store.delete_notes([note.id])
    assert store.values_exercise(wid).notes == ()
    store.restore_notes(removed)
    (back,) = store.values_exercise(wid).notes
    assert (back.id, back.text, back.answer_ids) == (note.id, "Both fund grants", (a.id, b.id))


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, w, u, c: s.add_stated_value(u, "   "), "cannot be empty"),
    (lambda s, w, u, c: s.add_stated_value(u, "x" * 81), "limit is 80"),
    (lambda s, w, u, c: s.set_answer(w, Practice.TIME, "x" * 281, organisation_id=u),
     "limit is 280"),
    (lambda s, w, u, c: s.set_answer(w, "money", "x", organisation_id=u), "not a question"),
    (lambda s, w, u, c: s.set_answer(w, Practice.TIME, "x"), "one organisation or to one"),
    (lambda s, w, u, c: s.add_note(w, ""), "cannot be empty"),
    (lambda s, w, u, c: s.set_decision(w, Decision.HOW, DecisionAnswer.YES),
     "does not answer that question"),
    (lambda s, w, u, c: s.set_decision(w, Decision.VALUES, "maybe"), "not a answer"),
])
def test_bad_input_is_refused_clearly_and_nothing_changes(room, call, message) -> None:
    store, wid, uni, cvs = room
    before = store.values_exercise(wid)
    with pytest.raises(ValidationError, match=message):
        call(store, wid, uni, cvs)
    assert store.values_exercise(wid) == before


def test_links_and_answers_cannot_reach_into_another_workshop(room) -> None:
    store, wid, _, _ = room
    other = store.create_workshop("Other", organisations=[("Elsewhere", OrgKind.CIVIC)])
    foreign = store.set_answer(other.id, Practice.TIME, "x",
                               organisation_id=store.list_organisations(other.id)[0].id)
    with pytest.raises(NotFoundError):
        store.add_note(wid, "Sneaky", answer_ids=[foreign.id])
    with pytest.raises(NotFoundError):
        store.set_answer(wid, Practice.TIME, "x", organisation_id=foreign.organisation_id)
    assert store.values_exercise(wid).notes == ()


def test_a_phone_fills_in_and_corrects_only_its_own_row(room) -> None:
    store, wid, uni, cvs = room
    with pytest.raises(ValuesClosedError):
        store.submit_phone_row(wid, "key-a", "Ana", cvs, {"time": "Outreach"})
    store.update_join_settings(wid, collect_values=True)
    assert store.join_settings(wid).collect_values
    ana = store.submit_phone_row(wid, "key-a", "Ana", cvs,
                                 {Practice.TIME: "Outreach", "budget": "Small grants"})
    assert ana.source is Source.PHONE and ana.organisation_id == cvs
    again = store.submit_phone_row(wid, "key-a", "Ana Silva", cvs, {"time": "Outreach visits"})
    assert again.id == ana.id and again.name == "Ana Silva"
    # Another phone typing the same name gets a row of its own; it cannot overwrite Ana's.
    other = store.submit_phone_row(wid, "key-b", "Ana Silva", uni, {"priority": "REF"})
    assert other.id != ana.id
    person, answers = store.phone_row(wid, "key-a")
    assert person.id == ana.id
    assert answers == {Practice.TIME: "Outreach visits", Practice.BUDGET: "Small grants"}
    assert store.phone_row(wid, "key-c") is None
    ex = store.values_exercise(wid)
    assert ex.answer(Practice.TIME, participant_id=ana.id).source is Source.PHONE
    assert [p.name for p in ex.participants] == ["Ana Silva", "Ana Silva"]


@pytest.mark.parametrize(("name", "answers", "message"), [
    ("", {"time": "x"}, "Your name cannot be empty"),
    ("Ana", {"time": "  "}, "at least one"),
    ("Ana", {"time": "x" * 281}, "limit is 280"),
    ("A" * 81, {"time": "x"}, "limit is 80"),
])
def test_a_phones_bad_row_is_refused_and_nothing_saved(room, name, answers, message) -> None:
    store, wid, _, cvs = room
    store.update_join_settings(wid, collect_values=True)
    with pytest.raises(ValidationError, match=message):
        store.submit_phone_row(wid, "key-a", name, cvs, answers)
    assert store.values_exercise(wid).participants == ()


def test_step_two_verbs_announce_values_changes(room) -> None:
    store, wid, uni, _ = room
    seen = []
    store.subscribe(seen.append)
    store.add_stated_value(uni, "Proud")
    store.set_answer(wid, Practice.TIME, "Teaching", organisation_id=uni)
    store.set_decision(wid, Decision.CONNECTION, DecisionAnswer.PARTLY)
    assert [c.kind for c in seen] == [ChangeKind.VALUES] * 3
    assert all(c.workshop_id == wid for c in seen)


def test_duplicate_and_import_carry_step_two_but_not_phone_bindings(room, tmp_path: Path) -> None:
    store, wid, uni, cvs = room
    store.update_join_settings(wid, collect_values=True)
    ana = store.submit_phone_row(wid, "key-a", "Ana", cvs, {"time": "Outreach"})
    value = store.add_stated_value(uni, "Inclusive")
    answer = store.set_answer(wid, Practice.TIME, "Outreach", organisation_id=uni)
    store.add_note(wid, "Outreach on both sides", value_ids=[value.id], answer_ids=[answer.id])
    store.set_decision(wid, Decision.VALUES, DecisionAnswer.PARTLY, "Mostly")

    def picture(workshop_id: int) -> tuple:
        ex = store.values_exercise(workshop_id)
        org = {o.id: o.name for o in ex.organisations}
        who = {p.id: p.name for p in ex.participants}
        texts = {("value", v.id): v.text for v in ex.values} | {
            ("answer", a.id): a.text for a in ex.answers}
        return (sorted((org[v.organisation_id], v.text) for v in ex.values),
                sorted((org.get(a.organisation_id, ""), who.get(a.participant_id, ""), a.question,
                        a.text) for a in ex.answers),
                [(n.text, sorted(texts[("value", i)] for i in n.value_ids),
                  sorted(texts[("answer", i)] for i in n.answer_ids)) for n in ex.notes],
                {q: (d.answer, d.notes) for q, d in ex.decisions.items()})

    copy = store.duplicate_workshop(wid)
    assert picture(copy.id) == picture(wid)
    (imported,) = store.import_workshop(store.export_workshop(wid, tmp_path / "v.workshop"))
    assert picture(imported.id) == picture(wid)
    # The copies are not bound to Ana's phone: only the original row is hers.
    assert store.phone_row(copy.id, "key-a") is None
    assert store.phone_row(wid, "key-a")[0].id == ana.id


def test_migration_0004_is_applied_to_an_older_library(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    from sqlite_utils import Database

    path = data_dir / "workshopkit.db"
    old = Database(path)
    migration_set().apply(old, stop_before="0004_values")
    old.execute("INSERT INTO workshops (title, created_at, updated_at) VALUES ('Old', 'x', 'x')")
    old.execute("INSERT INTO participants (workshop_id, name) VALUES (1, 'Kept')")
    old.conn.commit()
    old.close()
    with Store(path) as store:
        (person,) = store.list_participants(1)
        assert (person.name, person.source) == ("Kept", Source.FACILITATOR)
        assert store.values_exercise(1).answers == ()
