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
    return store.get_workshop(workshop.id)
