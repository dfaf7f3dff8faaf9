"""A demo workshop filled from the toolkit's worked example, for trying the app and for tests."""

from __future__ import annotations

import datetime as _dt

from workshopkit.exercises.expectations import EXAMPLE_POSTITS
from workshopkit.model import Colour, Column, OrgKind, Workshop
from workshopkit.store import Store

DEMO_TITLE = "Demo: equitable partnership workshop"

# Sample organisations named in the toolkit's list of Queen Mary's civic partners.
DEMO_ORGANISATIONS: tuple[tuple[str, OrgKind], ...] = (
    ("Queen Mary University of London", OrgKind.UNIVERSITY),
    ("Tower Hamlets CVS", OrgKind.CIVIC),
)

# A plausible stakeholder map for the two demo organisations: (organisation index, label, ring,
# person, part, responsibilities, status).
DEMO_MAP: tuple[tuple[int, str, int, str, str, tuple[str, ...], str], ...] = (
    (0, "Public Engagement team", 0, "Public engagement manager", "broker", (), "agreed"),
    (0, "Individual researchers and academics", 0, "", "connector", (), "agreed"),
    (0, "Research Management office", 0, "", "enabler", ("processes",), "invited"),
    (0, "Finance and procurement", 1, "", "enabler", ("budget", "processes"),
     "invited"),
    (0, "Estates and facilities", 1, "", "enabler", ("spaces",), "not_invited"),
    (0, "Students' Union staff members and elected representatives", 1, "",
     "connector", (), "not_invited"),
    (0, "Senior Leadership", 2, "Vice-Principal for Engagement", "decision-maker", (),
     "invited"),
    (0, "Communications teams", 2, "", "supporter", ("systems",), "not_invited"),
    (0, "Legal team", 2, "", "enabler", ("processes",), "not_invited"),
    (1, "Chief executive or director", 0, "Community development lead",
     "decision-maker", (), "agreed"),
    (1, "Frontline and project staff", 0, "", "connector", (), "agreed"),
    (1, "Trustees or board", 1, "", "decision-maker", ("budget",), "invited"),
    (1, "Volunteers", 1, "", "supporter", (), "not_invited"),
    (1, "Service users and community members", 1, "", "other", (), "not_invited"),
    (1, "Communications team", 2, "", "supporter", ("systems",), "not_invited"),
    (1, "Councillors and elected members", 2, "", "other", (), "declined"),
)
DEMO_LINKS: tuple[tuple[str, str, str], ...] = (
    ("Public Engagement team", "Chief executive or director", "brokers"),
    ("Individual researchers and academics", "Frontline and project staff", "works with"),
    ("Finance and procurement", "Public Engagement team", "pays partners for"),
    ("Trustees or board", "Chief executive or director", "oversee"),
    ("Frontline and project staff", "Volunteers", "coordinate"),
)

# Step 2: what each organisation says it values and who it serves, beside where its budget,
# time and priorities go, and the same for one person from each. Queen Mary's practice leaves
# its stated public engagement out (a visible gap); the two people connect more than their
# organisations do, so the app raises the toolkit's risk.
DEMO_VALUES: tuple[tuple[int, str, tuple[str, ...], tuple[()]], ...] = (
    (0, "value", ("Inclusive", "Collegial", "Public engagement with local communities"), ()),
    (0, "serves", ("Students", "Local communities in east London"), ()),
    (1, "value", ("Community voice", "Equity", "Independence"), ()),
    (1, "serves", ("Local voluntary and community groups",), ()),
)
DEMO_PRACTICE: tuple[tuple[int, str, str, str], ...] = (
    (0, "Research staff salaries and laboratories", "Teaching, research grants and papers",
     "REF results and league-table rankings"),
    (1, "Staff who support local voluntary groups", "Funding bids and reporting to funders",
     "Keeping core services open for local groups"),
)
DEMO_PEOPLE_PRACTICE: tuple[tuple[int, str, str, str], ...] = (
    (0, "Community events and paying partners for their time",
     "Building relationships with local groups", "Co-designing projects with local communities"),
    (1, "Small grants for local groups", "Building relationships with local groups and researchers",
     "Making sure local communities are heard"),
)

_COLOURS = {Column.UNIVERSITIES: Colour.BLUE, Column.SHARED: Colour.YELLOW,
            Column.CIVIC: Colour.GREEN}


def create_demo_workshop(store: Store) -> Workshop:
    workshop = store.create_workshop(
        DEMO_TITLE,
        partnership="Queen Mary and Tower Hamlets CVS",
        date=_dt.date.today().isoformat(),
        place="Community centre meeting room",
        facilitator="Demo facilitator",
        notes="Pre-filled with the worked example from the toolkit's expectations exercise.",
        organisations=DEMO_ORGANISATIONS,
    )
    orgs = store.list_organisations(workshop.id)
    store.add_participant(workshop.id, "Public engagement manager", organisation_id=orgs[0].id,
                          role="Public Engagement team")
    store.add_participant(workshop.id, "Community development lead", organisation_id=orgs[1].id,
                          role="Chief executive's office")
    ids = store.add_postits(
        workshop.id,
        [{"column": column, "text": text, "colour": _COLOURS[column]}
         for column, text in EXAMPLE_POSTITS],
    )
    by_text = dict(zip((text for _, text in EXAMPLE_POSTITS), ids, strict=True))
    store.add_group(workshop.id, Column.SHARED, "Openness",
                    postit_ids=[by_text["Honesty"], by_text["Transparency"]])
    store.add_group(workshop.id, Column.UNIVERSITIES, "Plain language",
                    postit_ids=[by_text["To provide explanations to unfamiliar terms"],
                                by_text["To not use jargon and acronyms where possible"]])
    store.set_shared([by_text["Honesty"], by_text["Transparency"],
                      by_text["Shared ownership of data"]], True)
    add_demo_map(store, workshop.id)
    add_demo_values(store, workshop.id)
    return store.get_workshop(workshop.id)


def add_demo_values(store: Store, workshop_id: int) -> None:
    from workshopkit.model import Practice

    orgs = store.list_organisations(workshop_id)
    people = store.list_participants(workshop_id)
    for org, kind, texts, _ in DEMO_VALUES:
        for text in texts:
            store.add_stated_value(orgs[org].id, text, kind)
    for org, budget, time, priority in DEMO_PRACTICE:
        for question, text in zip(Practice, (budget, time, priority), strict=True):
            store.set_answer(workshop_id, question, text, organisation_id=orgs[org].id)
    for person, budget, time, priority in DEMO_PEOPLE_PRACTICE:
        for question, text in zip(Practice, (budget, time, priority), strict=True):
            store.set_answer(workshop_id, question, text, participant_id=people[person].id)


def add_demo_map(store: Store, workshop_id: int) -> None:
    orgs = store.list_organisations(workshop_id)
    cells: dict[tuple[int, int], int] = {}
    for org, _, ring, *_rest in DEMO_MAP:
        cells[org, ring] = cells.get((org, ring), 0) + 1
    placed: dict[tuple[int, int], int] = {}
    rows = []
    for org, label, ring, person, part, duties, status in DEMO_MAP:
        index = placed[org, ring] = placed.get((org, ring), -1) + 1
        rows.append({
            "label": label, "organisation_id": orgs[org].id, "ring": ring,
            "across": (index + 0.5) / cells[org, ring],
            "depth": 0.5 if cells[org, ring] == 1 else (0.15, 0.85)[index % 2],
            "person": person, "part": part, "responsibilities": duties, "status": status,
        })
    cards = store.add_stakeholders(workshop_id, rows)
    by_label = {card.label: card.id for card in cards}
    for source, target, label in DEMO_LINKS:
        store.add_link(by_label[source], by_label[target], label)
