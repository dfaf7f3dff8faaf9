"""A real phone server on 127.0.0.1 over a real SQLite file, as the app runs it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.join.helpers import ROOMY, Phone
from workshopkit.join.limits import Limits
from workshopkit.join.runner import JoinServer
from workshopkit.model import Change, Workshop
from workshopkit.store import Store


@dataclass
class Joining:
    server: JoinServer
    store: Store  # the "GUI" side: another connection to the same file
    workshop: Workshop
    changes: list[Change] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def token(self) -> str:
        return self.store.join_settings(self.workshop.id).token

    @property
    def api(self) -> str:
        return f"/api/j/{self.token}"

    @property
    def page(self) -> str:
        return f"/j/{self.token}"

    def phone(self) -> Phone:
        return Phone(self.base)


def start_joining(store: Store, title: str = "Civic partnership day",
                  limits: Limits = ROOMY) -> Joining:
    workshop = store.create_workshop(title)
    store.join_settings(workshop.id)
    joining = Joining(JoinServer(store.path, host="127.0.0.1", port=0, limits=limits),
                      store, workshop)
    joining.server.on_change = joining.changes.append
    joining.server.start()
    joining.server.open_workshop(workshop.id)
    return joining


@pytest.fixture
def joining(store: Store) -> Iterator[Joining]:
    j = start_joining(store)
    yield j
    j.server.stop()


@pytest.fixture
def store_path(store: Store) -> Path:
    return store.path
