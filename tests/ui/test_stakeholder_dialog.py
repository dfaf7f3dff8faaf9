"""The stakeholder card dialog: every field round-trips, OK needs a label, text stays plain."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from tests.ui.helpers import show_active
from workshopkit.exercises.stakeholders import UNASSIGNED_AREA, map_areas
from workshopkit.model import (
    DEFAULT_RING_NAMES,
    STAKEHOLDER_LABEL_MAX_CHARS,
    InviteStatus,
    OrgKind,
    Part,
    Responsibility,
    Stakeholder,
)
from workshopkit.store import Store
from workshopkit.ui.stakeholder_dialog import StakeholderDialog

STORED_FIELDS = ("label", "person", "contact", "organisation_id", "ring", "part", "part_note",
                 "responsibilities", "responsibility_note", "status")


@pytest.fixture
def mapped(store: Store) -> tuple[Store, int]:
    workshop = store.create_workshop(
        "Map", organisations=[("Queen Mary", OrgKind.UNIVERSITY),
                              ("Tower Hamlets CVS", OrgKind.CIVIC)])
    return store, workshop.id


def _dialog(qtbot, store: Store, workshop_id: int, stakeholder: Stakeholder | None = None,
            **kwargs) -> StakeholderDialog:
    stakeholder_map = store.stakeholder_map(workshop_id)
    areas = map_areas(stakeholder_map.organisations, stakeholder_map.stakeholders)
    workshop = store.get_workshop(workshop_id)
    ring_names = [workshop.ring_name(i) for i in range(3)]
    return show_active(qtbot, StakeholderDialog(areas, ring_names, stakeholder, **kwargs))


def _stored(card: Stakeholder) -> dict:
    """A card's fields as the store takes them (enums as values, responsibilities as a list)."""
    values = {name: getattr(card, name) for name in STORED_FIELDS}
    values["part"] = card.part.value
    values["status"] = card.status.value
    values["responsibilities"] = [r.value for r in Responsibility if r in card.responsibilities]
    return values


def _choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry with the arrow keys, as a keyboard user would."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered in {[combo.itemText(i) for i in range(combo.count())]}"
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def _texts(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.mark.parametrize("fields", [
    {"organisation_id": "civic", "ring": 2, "person": "Sam Patel", "contact": "sam@example.org",
     "part": "enabler", "part_note": "", "responsibilities": ["budget", "processes"],
     "responsibility_note": "Pays partners on time", "status": "agreed"},
    {"organisation_id": None, "ring": 1, "part": "other", "part_note": "Opens doors",
     "responsibilities": ["systems", "spaces"], "status": "declined"},
    {"organisation_id": "university", "ring": 0, "part": "decision-maker",
     "part_note": "Kept from before", "responsibilities": [], "status": "not_invited"},
])
def test_the_dialog_round_trips_every_field_of_a_stored_card(qtbot, mapped, fields) -> None:
    store, wid = mapped
    uni, civic = (o.id for o in store.list_organisations(wid))
    org = {"university": uni, "civic": civic, None: None}[fields.pop("organisation_id")]
    card = store.add_stakeholder(wid, "Finance & procurement", organisation_id=org, **fields)
    dialog = _dialog(qtbot, store, wid, card)
    assert dialog.windowTitle() == "Edit stakeholder"
    assert dialog.fields() == _stored(card)
    # Saving unchanged values changes nothing the facilitator would see.
    (again,) = store.update_stakeholders({card.id: dialog.fields()})
    assert dataclasses.replace(again, updated_at=card.updated_at) == card


def test_every_field_typed_and_chosen_by_keyboard_is_saved(qtbot, mapped) -> None:
    store, wid = mapped
    uni, civic = (o.id for o in store.list_organisations(wid))
    store.set_ring_name(wid, 1, "Bring in later")
    dialog = _dialog(qtbot, store, wid)
    assert _texts(dialog.ring_combo) == ["Must be in the room", "Bring in later", "Keep informed"]
    assert _texts(dialog.organisation_combo) == ["Queen Mary", "Tower Hamlets CVS"]
    assert not dialog.ok_button.isEnabled()

    qtbot.keyClicks(dialog.label_edit, "Estates team")
    qtbot.keyClicks(dialog.person_edit, "Ana Lima")
    qtbot.keyClicks(dialog.contact_edit, "ana@example.ac.uk")
    _choose(qtbot, dialog.organisation_combo, "Tower Hamlets CVS")
    _choose(qtbot, dialog.ring_combo, "Bring in later")
    _choose(qtbot, dialog.part_combo, "Connector")
    assert not dialog.part_note_edit.isEnabled()
    _choose(qtbot, dialog.part_combo, "Other")
    assert dialog.part_note_edit.isEnabled()
    qtbot.keyClicks(dialog.part_note_edit, "Holds the keys")
    for item in (Responsibility.SPACES, Responsibility.BUDGET):
        dialog.responsibility_checks[item].setFocus()
        qtbot.keyClick(dialog.responsibility_checks[item], Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.responsibility_note_edit, "Room bookings")
    _choose(qtbot, dialog.status_combo, "Invited")

    assert dialog.fields() == {
        "label": "Estates team", "person": "Ana Lima", "contact": "ana@example.ac.uk",
        "organisation_id": civic, "ring": 1, "part": "other", "part_note": "Holds the keys",
        "responsibilities": ["spaces", "budget"], "responsibility_note": "Room bookings",
        "status": "invited",
    }
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)
    card = store.add_stakeholder(wid, **dialog.fields())
    assert (card.label, card.organisation_id, card.ring, card.part, card.status) == (
        "Estates team", civic, 1, Part.OTHER, InviteStatus.INVITED)
    assert card.responsibilities == {Responsibility.SPACES, Responsibility.BUDGET}
    assert uni != civic


def test_ok_is_disabled_while_the_label_is_blank(qtbot, mapped) -> None:
    store, wid = mapped
    dialog = _dialog(qtbot, store, wid)
    assert not dialog.ok_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.keyClicks(dialog.label_edit, "   ")
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.label_edit, "Ethics committee")
    assert dialog.ok_button.isEnabled()
    dialog.label_edit.selectAll()
    qtbot.keyClick(dialog.label_edit, Qt.Key.Key_Delete)
    assert not dialog.ok_button.isEnabled()
    assert dialog.count_label.text() == f"0 / {STAKEHOLDER_LABEL_MAX_CHARS}"


def test_the_label_is_limited_and_counted(qtbot, mapped) -> None:
    store, wid = mapped
    dialog = _dialog(qtbot, store, wid)
    qtbot.keyClicks(dialog.label_edit, "x" * (STAKEHOLDER_LABEL_MAX_CHARS + 10))
    assert len(dialog.fields()["label"]) == STAKEHOLDER_LABEL_MAX_CHARS
    assert dialog.count_label.text() == (
        f"{STAKEHOLDER_LABEL_MAX_CHARS} / {STAKEHOLDER_LABEL_MAX_CHARS}")


def test_a_new_card_is_prefilled_from_the_drop_spot(qtbot, mapped) -> None:
    store, wid = mapped
    _uni, civic = (o.id for o in store.list_organisations(wid))
    dialog = _dialog(qtbot, store, wid, label="Volunteers", area=1, ring=2)
    assert dialog.windowTitle() == "Add stakeholder"
    assert dialog.ok_button.isEnabled()
    fields = dialog.fields()
    assert (fields["label"], fields["organisation_id"], fields["ring"]) == ("Volunteers", civic, 2)
    assert (fields["part"], fields["status"]) == ("other", "not_invited")
    assert fields["responsibilities"] == []


def test_a_map_without_organisations_offers_not_yet_placed(qtbot, store) -> None:
    workshop = store.create_workshop("No partners yet")
    dialog = _dialog(qtbot, store, workshop.id, label="Schools")
    assert _texts(dialog.organisation_combo) == [UNASSIGNED_AREA]
    assert dialog.fields()["organisation_id"] is None
    assert _texts(dialog.ring_combo) == list(DEFAULT_RING_NAMES)


def test_a_card_without_an_organisation_shows_not_yet_placed(qtbot, mapped) -> None:
    store, wid = mapped
    card = store.add_stakeholder(wid, "Councillors")
    dialog = _dialog(qtbot, store, wid, card)
    assert dialog.organisation_combo.currentText() == UNASSIGNED_AREA
    assert _texts(dialog.organisation_combo)[-1] == UNASSIGNED_AREA
    assert dialog.fields()["organisation_id"] is None


def test_user_text_stays_plain_text(qtbot, store) -> None:
    workshop = store.create_workshop("Map", organisations=[("<i>Org</i> & co", OrgKind.CIVIC)])
    store.set_ring_name(workshop.id, 0, "<b>In</b> the room")
    (org,) = store.list_organisations(workshop.id)
    card = store.add_stakeholder(workshop.id, "<b>x</b>", person="&Jo", part="other",
                                 part_note="<u>u</u>", organisation_id=org.id)
    dialog = _dialog(qtbot, store, workshop.id, card)
    assert dialog.label_edit.text() == "<b>x</b>"
    assert dialog.person_edit.text() == "&Jo"
    assert dialog.organisation_combo.currentText() == "<i>Org</i> & co"
    assert dialog.ring_combo.itemText(0) == "<b>In</b> the room"
    assert dialog.fields()["label"] == "<b>x</b>"
    assert dialog.fields()["part_note"] == "<u>u</u>"
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_labels_have_buddies_and_widgets_have_accessible_names(qtbot, mapped) -> None:
    store, wid = mapped
    dialog = _dialog(qtbot, store, wid)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    for widget in (dialog.label_edit, dialog.person_edit, dialog.contact_edit,
                   dialog.organisation_combo, dialog.ring_combo, dialog.part_combo,
                   dialog.status_combo, dialog.responsibility_note_edit):
        assert widget in buddies
        assert widget.accessibleName()
    for check in dialog.responsibility_checks.values():
        assert check.accessibleName()
    # Alt+R jumps to the ring, as its label promises.
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert dialog.ring_combo.hasFocus()


def test_commit_refusing_keeps_the_dialog_open_with_everything_typed(qtbot, mapped) -> None:
    store, wid = mapped
    offered: list[dict] = []

    def commit(fields: dict) -> bool:
        offered.append(fields)
        return len(offered) > 1

    stakeholder_map = store.stakeholder_map(wid)
    dialog = StakeholderDialog(map_areas(stakeholder_map.organisations), ["", "", ""],
                               label="Legal team", commit=commit)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.fields()["label"] == "Legal team"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()
    assert [f["label"] for f in offered] == ["Legal team", "Legal team"]
    assert dialog.ring_combo.itemText(1) == DEFAULT_RING_NAMES[1]
