"""The phone server: an aiohttp app phones use to add post-its, vote, fill in their own row
of step 2's grid and review the draft principles of step 4. No Qt here.

Every SQLite call runs on one dedicated DB thread that owns its own :class:`Store`, so the event
loop never waits on the disk and writes happen one at a time (the GUI has another Store on the
same WAL file). Each committed change is handed to ``on_change`` (the app turns it into a Qt
signal) and to the phones listening on server-sent events.

Phones can add post-its, vote, read what is on the board, fill in (or correct) their own row
of the values grid and agree with (or suggest a change to) each draft principle; no route changes
or deletes anything else. While the facilitator runs a countdown, phones get the seconds left by
this laptop's clock and count down from them. The text of a post-it that is not visible is never sent to any phone,
and nothing about other people's rows or reviews ever is (not even the tallies).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import datetime as _dt
import functools
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from workshopkit.exercises.presenting import timer_remaining
from workshopkit.exercises.values import INDIVIDUAL_QUESTIONS
from workshopkit.join.limits import Limits, RateLimiter, retry_after_header
from workshopkit.join.links import format_join_code, parse_join_code
from workshopkit.model import (
    ANSWER_MAX_CHARS,
    PERSON_NAME_MAX_CHARS,
    POSTIT_MAX_CHARS,
    REVIEW_COMMENT_MAX_CHARS,
    Change,
    ChangeKind,
    Column,
    JoinSettings,
    Participant,
    Practice,
    PrincipleStatus,
    Source,
    Status,
    Verdict,
)
from workshopkit.store import (
    DatabaseLockedError,
    NotFoundError,
    ReviewClosedError,
    Store,
    StoreError,
    ValidationError,
    ValuesClosedError,
    VoteBudgetSpentError,
    VotingClosedError,
    clean_text,
)

log = logging.getLogger("workshopkit.join")
T = TypeVar("T")

NAME_MAX_CHARS = 80
ORGANISATION_MAX_CHARS = 100
MAX_MINE = 100  # own post-its a phone may ask about at once
WATCH_INTERVAL_S = 1.0  # how often edits made through another connection are looked for
HEARTBEAT_S = 15.0
SSE_BATCH_S = 0.05
DEVICE_COOKIE = "wk_device"
MINE_COOKIE = "wk_mine"
_DEVICE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
STATIC_FILES = {"phone.css": "text/css", "phone.js": "text/javascript"}

MSG_WRONG_TOKEN = ("This join link does not work (any more). Ask the facilitator for the "
                   "current QR code or join code.")
MSG_CLOSED = ("Joining is closed. The facilitator will open it again when it is time to add "
              "post-its.")
MSG_NOT_JSON = ('Send the post-it as JSON, for example {"text": "Pay partners on time", '
                '"column": "shared"}.')
MSG_VOTE_NOT_JSON = 'Send the vote as JSON, for example {"postit_id": 12}.'
MSG_TOO_BIG = (f"That is too much to send at once: a post-it holds up to {POSTIT_MAX_CHARS} "
               "characters.")
MSG_NO_COLUMN = "Choose a column for your post-it."
MSG_NO_DEVICE = ("This phone did not keep the small cookie that counts its votes. Reload the "
                 "page and try again; if it keeps happening, allow cookies for this page.")
MSG_BUSY = "The facilitator's laptop is busy. Try again in a moment."
MSG_TOO_SLOW = "That took too long to arrive. Check the Wi-Fi and try again."
MSG_NOT_A_FORM = "Send this as a plain form or as JSON, not as a file upload."
MSG_BROKEN = "Something went wrong on the facilitator's laptop. Try again in a moment."
MSG_VALUES_CLOSED = "The facilitator has not opened this step for phones."
MSG_VALUES_SAVED = "Saved. Your answers are in the grid."
MSG_VALUES_NOT_JSON = ('Send your answers as JSON, for example {"name": "Ana", "organisation": 3, '
                       '"budget": "Research grants", "time": "Teaching", "priority": ""}; '
                       '"organisation" is null when yours is not listed.')
MSG_NO_ORGANISATION = "Choose your organisation, or Not listed if it is not there."
MSG_UNKNOWN_ORGANISATION = ("That organisation is not in this workshop's list (any more). "
                            "Choose yours again.")
MSG_NO_ANSWER = "Answer at least one of the three questions."
MSG_NO_DEVICE_ROW = ("This phone did not keep the small cookie that lets it correct its answers "
                     "later. Reload the page and try again; if it keeps happening, allow cookies "
                     "for this page.")
NOT_LISTED = "none"  # the organisation select's value for "Not listed"
MSG_REVIEW_CLOSED = "The facilitator has not opened the draft for review."
MSG_REVIEW_SAVED = "Thanks: your review is in. You can change it while the review is open."
MSG_REVIEW_NOT_JSON = ('Send your review as JSON, for example {"principle_id": 3, "verdict": '
                       '"agree", "comment": ""}; "verdict" is "agree" or "change".')
MSG_NO_PRINCIPLE = "Say which principle your review is for."
MSG_PRINCIPLE_GONE = ("That principle is no longer in the draft: the facilitator has changed it. "
                      "Reload the page to see the draft as it is now.")
MSG_NO_VERDICT = "Choose Agree or Suggest a change."
MSG_NEED_COMMENT = ("Write a short comment saying what you would change, then tap Suggest a "
                    "change.")
MSG_NO_DEVICE_REVIEW = ("This phone did not keep the small cookie that keeps its reviews. Reload "
                        "the page and try again; if it keeps happening, allow cookies for this "
                        "page.")
VERDICT_LABELS = {verdict: verdict.label for verdict in Verdict}
TIME_UP = "Time's up"

STATUS_LABELS = {
    "visible": "On the board",
    "pending": "Awaiting approval",
    "held": "Collected: shown when the facilitator reveals them all",
    "hidden": "Not shown on the board",
    "removed": "Removed by the facilitator",
}


def timer_state(settings: JoinSettings, now: _dt.datetime | None = None
                ) -> dict[str, Any] | None:
    """The countdown as phones get it: the seconds left by this laptop's clock (a phone's own
    clock may be wrong, so it counts down from these) and its label; None when none runs."""
    if not settings.timer_ends_at:
        return None
    return {"remaining": timer_remaining(settings.timer_ends_at, now),
            "label": settings.timer_label}


def phone_clock(seconds: int) -> str:
    """The time left as the phone page shows it: 4:59, or 1:02:03 past an hour."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _flood_message(wait_s: float) -> str:
    return (f"Slow down a little: this phone has sent a lot in a short time. Try again in "
            f"{retry_after_header(wait_s)} seconds.")


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class _Snapshot:
    """What every phone of one workshop may see, read once per change and shared."""

    workshop_id: int
    version: int
    token: str
    title: str
    headings: dict[Column, str]
    settings: JoinSettings
    visible: list[tuple[int, Column, str]]
    phone_status: dict[int, Status]
    tallies: dict[int, int]
    organisations: list[tuple[int, str]]  # offered to phones only while collect_values is on
    principles: list[tuple[int, str, str]]  # (id, lead, body), read only while review_open is on
    public_json: bytes


def _build_snapshot(store: Store, workshop_id: int, version: int) -> _Snapshot:
    workshop = store.get_workshop(workshop_id)
    settings = store.join_settings(workshop_id)
    postits = store.list_postits(workshop_id)
    tallies = store.vote_tallies(workshop_id) if settings.tallies_shown else {}
    visible = [(p.id, p.column, p.text) for p in postits if p.status is Status.VISIBLE]
    organisations = ([(o.id, o.name) for o in store.list_organisations(workshop_id)]
                     if settings.collect_values else [])
    principles = ([(p.id, p.lead, p.body) for p in store.list_principles(workshop_id)
                   if p.status is not PrincipleStatus.REJECTED]
                  if settings.review_open else [])
    revealed: list[dict[str, Any]] = []
    for postit_id, column, text in visible:
        item: dict[str, Any] = {"id": postit_id, "column": column.value, "text": text}
        if settings.tallies_shown:
            item["votes"] = tallies.get(postit_id, 0)
        revealed.append(item)
    public = {
        "workshop": {"title": workshop.title},
        "columns": [{"id": c.value, "heading": workshop.heading(c)} for c in Column],
        "fixed_column": settings.fixed_column.value if settings.fixed_column else None,
        "tallies_shown": settings.tallies_shown,
        "revealed": revealed,
        "values": {"open": settings.collect_values,
                   "organisations": [{"id": i, "name": n} for i, n in organisations]},
        "review": {"open": settings.review_open,
                   "principles": [{"id": i, "number": n, "lead": lead, "body": body}
                                  for n, (i, lead, body) in enumerate(principles, start=1)]},
        "version": version,
    }
    return _Snapshot(
        workshop_id=workshop_id, version=version, token=settings.token, title=workshop.title,
        headings={c: workshop.heading(c) for c in Column}, settings=settings, visible=visible,
        phone_status={p.id: p.status for p in postits if p.source is Source.PHONE},
        tallies=tallies, organisations=organisations, principles=principles,
        public_json=json.dumps(public, ensure_ascii=False, separators=(",", ":")).encode(),
    )


class _Stream:
    """One phone's server-sent-events connection: changes waiting to be sent, coalesced."""

    MAX_IDS = 200

    def __init__(self, workshop_id: int, client: str) -> None:
        self.workshop_id = workshop_id
        self.client = client
        self.kinds: set[str] = set()
        self.ids: set[int] = set()
        self.closed = False
        self.wake = asyncio.Event()

    def push(self, kind: str, ids: Iterable[int]) -> None:
        self.kinds.add(kind)
        if len(self.ids) < self.MAX_IDS:
            self.ids.update(ids)
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()

    def take(self) -> bytes:
        kind = self.kinds.pop() if len(self.kinds) == 1 else "any"
        data = json.dumps({"kind": kind, "ids": sorted(self.ids)}, separators=(",", ":"))
        self.kinds.clear()
        self.ids.clear()
        self.wake.clear()
        return f"event: changed\ndata: {data}\n\n".encode()


# --------------------------------------------------------------------------- the hub


def _read_tokens(store: Store) -> list[tuple[bytes, int]]:
    """Every workshop's current join token (on the DB thread)."""
    rows = store.db.execute("SELECT token, workshop_id FROM join_settings").fetchall()
    return [(str(token).encode(), int(workshop_id)) for token, workshop_id in rows if token]


def _match_token(tokens: list[tuple[bytes, int]], token: str) -> int | None:
    """The workshop whose token equals ``token``, comparing against all in constant time."""
    given = token.encode("utf-8", "replace")
    found: int | None = None
    for known, workshop_id in tokens:
        if hmac.compare_digest(known, given) and found is None:
            found = workshop_id
    return found

_PRIVATE_KINDS = frozenset({ChangeKind.PARTICIPANTS, ChangeKind.VALUES})
"""Changes phones are never told about: people and their rows in step 2's grid."""


class JoinHub:
    """The server's state: the DB thread and its Store, caches, streams, limits and visits."""

    def __init__(self, store_path: Path, *, is_open: Callable[[int], bool],
                 on_change: Callable[[Change], None] | None, limits: Limits) -> None:
        self.store_path = Path(store_path)
        self.is_open = is_open
        self.on_change = on_change
        self.limits = limits
        self.secret = secrets.token_bytes(32)
        self.executor: concurrent.futures.ThreadPoolExecutor | None = None
        self.store: Store | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.version = 0
        self.settings_version = 0
        """Counts only the changes that can change joining settings (a cheaper cache key)."""
        self._settings: dict[int, tuple[int, JoinSettings]] = {}
        self._snapshots: dict[int, _Snapshot] = {}
        self._building: dict[int, asyncio.Future[None]] = {}
        self._tokens: list[tuple[bytes, int]] = []  # (join token, workshop id), all of them
        self._voters: dict[tuple[int, str], tuple[int, dict[int, int]]] = {}
        self._reviewers: dict[tuple[int, str], tuple[int, dict[int, tuple[Verdict, str]]]] = {}
        self.streams: dict[int, set[_Stream]] = {}
        self._streams_per_client: dict[str, int] = {}
        self.visits: dict[int, set[str]] = {}
        self.post_limiter = RateLimiter(limits.post_burst, limits.post_refill_per_s)
        self.request_limiter = RateLimiter(limits.request_burst, limits.request_refill_per_s)
        self._watcher: asyncio.Task[None] | None = None
        self._data_version: int | None = None
        self._unsubscribe: Callable[[], None] | None = None

    # ----------------------------------------------------------------- life cycle

    async def start(self, _app: web.Application | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="workshopkit-join-db")
        try:
            self.store = await self.db(lambda: Store(self.store_path))
        except BaseException:
            self.executor.shutdown(wait=True)
            self.executor = None
            raise
        self._unsubscribe = self.store.subscribe(self._on_store_changed)
        self._data_version = await self.db(self._read_data_version)
        self._watcher = asyncio.create_task(self._watch_other_connections())

    async def shutdown(self, _app: web.Application | None = None) -> None:
        """Ends every event stream so the server can stop without waiting on phones."""
        for streams in list(self.streams.values()):
            for stream in list(streams):
                stream.close()

    async def stop(self, _app: web.Application | None = None) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        if self.executor is not None:
            if self.store is not None:
                store = self.store
                if self._unsubscribe is not None:
                    self._unsubscribe()
                await self.db(store.close)
                self.store = None
            self.executor.shutdown(wait=True)
            self.executor = None

    async def db(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the DB thread; the event loop carries on meanwhile."""
        assert self.executor is not None and self.loop is not None
        return await self.loop.run_in_executor(self.executor, fn)

    # ----------------------------------------------------------------- changes

    def _on_store_changed(self, change: Change) -> None:
        """Runs on the DB thread right after a commit by this server's Store."""
        if self.on_change is not None:
            try:
                self.on_change(dataclasses.replace(change, origin="phone"))
            except Exception:  # the app's problem must not lose a phone's post
                log.exception("on_change failed")
        loop = self.loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(self.changed, change)

    def changed(self, change: Change | None) -> None:
        """On the loop: forget cached views and tell the phones. ``None``: something changed."""
        self.version += 1
        if change is None or change.kind in (ChangeKind.JOINING, ChangeKind.WORKSHOPS):
            self._tokens = []
            self.settings_version += 1
        if change is not None and change.kind in _PRIVATE_KINDS:
            return  # phones show nothing of anyone's row: no need to wake them all
        if (change is not None and change.kind is ChangeKind.PRINCIPLES
                and change.origin == "phone"):
            return  # a phone's review: no phone sees tallies, and the sender asks again itself
        kind = change.kind.value if change is not None else "any"
        ids = change.ids if change is not None else ()
        workshop_id = change.workshop_id if change is not None else None
        for wid, streams in self.streams.items():
            if workshop_id is None or wid == workshop_id:
                for stream in streams:
                    stream.push(kind, ids)

    def joining_changed(self, workshop_id: int, is_open: bool) -> None:
        """On the loop: joining opened or closed; closing ends that workshop's streams."""
        self.version += 1
        for stream in list(self.streams.get(workshop_id, ())):
            if is_open:
                stream.push(ChangeKind.JOINING.value, ())
            else:
                stream.close()

    def _read_data_version(self) -> int:
        assert self.store is not None
        return self.store.data_version()

    async def _watch_other_connections(self) -> None:
        """Notice commits by other connections (the GUI, another process) within a second."""
        while True:
            await asyncio.sleep(WATCH_INTERVAL_S)
            try:
                current = await self.db(self._read_data_version)
            except Exception:
                log.exception("could not check the database for changes")
                continue
            if current != self._data_version:
                self._data_version = current
                self.changed(None)

    # ----------------------------------------------------------------- reads

    async def resolve(self, token: str) -> int | None:
        """The workshop a join token opens, or None.

        Every known token is compared in constant time (``hmac.compare_digest``), never by a
        dictionary or index lookup whose timing could leak how much of a guess was right.
        """
        workshop_id = _match_token(self._tokens, token)
        if workshop_id is None:
            store = self.store
            assert store is not None
            version = self.version
            tokens = await self.db(lambda: _read_tokens(store))
            if version == self.version:  # nothing changed meanwhile: keep them for next time
                self._tokens = tokens
            workshop_id = _match_token(tokens, token)
        return workshop_id

    async def snapshot(self, workshop_id: int) -> _Snapshot:
        """The shared view of a workshop, no older than any change announced before the call."""
        wanted = self.version
        while True:
            snap = self._snapshots.get(workshop_id)
            if snap is not None and snap.version >= wanted:
                return snap
            building = self._building.get(workshop_id)
            if building is not None:
                await asyncio.shield(building)
                continue
            assert self.loop is not None
            done: asyncio.Future[None] = self.loop.create_future()
            self._building[workshop_id] = done
            version = self.version
            store = self.store
            assert store is not None
            try:
                snap = await self.db(functools.partial(_build_snapshot, store, workshop_id, version))
                self._snapshots[workshop_id] = snap
            finally:
                del self._building[workshop_id]
                done.set_result(None)
            if snap.version >= wanted:
                return snap

    async def join_settings(self, workshop_id: int) -> JoinSettings:
        """A workshop's joining settings, no older than any change announced before the call.

        A phone's post needs only these (is a column fixed?); rebuilding the whole shared view
        for it, after every other phone's post, made each post cost as much as the board."""
        wanted = self.settings_version
        cached = self._settings.get(workshop_id)
        if cached is not None and cached[0] >= wanted:
            return cached[1]
        store = self.store
        assert store is not None
        settings = await self.db(lambda: store.join_settings(workshop_id))
        self._settings[workshop_id] = (wanted, settings)
        return settings

    async def votes_of(self, snap: _Snapshot, voter: str | None) -> dict[int, int]:
        if voter is None or not snap.settings.voting_open:
            return {}
        key = (snap.workshop_id, voter)
        cached = self._voters.get(key)
        if cached is not None and cached[0] >= snap.version:
            return cached[1]
        store = self.store
        assert store is not None
        votes = await self.db(lambda: store.votes_of(snap.workshop_id, voter))
        if len(self._voters) > 5000:
            self._voters.clear()
        self._voters[key] = (snap.version, votes)
        return votes

    async def reviews_of(self, snap: _Snapshot, key: str | None
                         ) -> dict[int, tuple[Verdict, str]]:
        """This phone's own reviews (principle id -> verdict, comment) while the review is open."""
        if key is None or not snap.settings.review_open:
            return {}
        cache_key = (snap.workshop_id, key)
        cached = self._reviewers.get(cache_key)
        if cached is not None and cached[0] >= snap.version:
            return cached[1]
        store = self.store
        assert store is not None
        reviews = await self.db(lambda: store.reviews_of(snap.workshop_id, key))
        if len(self._reviewers) > 5000:
            self._reviewers.clear()
        self._reviewers[cache_key] = (snap.version, reviews)
        return reviews

    def voter_id(self, workshop_id: int, device: str | None) -> str | None:
        """What the votes table keeps for a phone: a hash of its cookie, never the cookie."""
        if device is None:
            return None
        return hashlib.sha256(f"workshopkit-vote:{workshop_id}:{device}".encode()).hexdigest()[:32]

    def row_key(self, workshop_id: int, device: str | None) -> str | None:
        """What the grid keeps beside a phone's own row: a hash of its cookie, like
        :meth:`voter_id` but salted apart, so a named row never leads to anyone's votes."""
        if device is None:
            return None
        return hashlib.sha256(f"workshopkit-row:{workshop_id}:{device}".encode()).hexdigest()[:32]

    def review_key(self, workshop_id: int, device: str | None) -> str | None:
        """What the reviews table keeps for a phone: a hash of its cookie salted apart from
        :meth:`voter_id` and :meth:`row_key`, so a review leads to neither votes nor a name."""
        if device is None:
            return None
        return hashlib.sha256(
            f"workshopkit-review:{workshop_id}:{device}".encode()).hexdigest()[:32]

    # ----------------------------------------------------------------- streams

    def add_stream(self, stream: _Stream) -> bool:
        count = self._streams_per_client.get(stream.client, 0)
        if count >= self.limits.max_streams_per_client:
            return False
        self._streams_per_client[stream.client] = count + 1
        self.streams.setdefault(stream.workshop_id, set()).add(stream)
        return True

    def remove_stream(self, stream: _Stream) -> None:
        streams = self.streams.get(stream.workshop_id)
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del self.streams[stream.workshop_id]
        count = self._streams_per_client.get(stream.client, 0) - 1
        if count > 0:
            self._streams_per_client[stream.client] = count
        else:
            self._streams_per_client.pop(stream.client, None)

    # ----------------------------------------------------------------- own post-its cookie

    def sign_mine(self, workshop_id: int, ids: list[int]) -> str:
        body = f"{workshop_id}:{'.'.join(str(i) for i in ids)}"
        signature = hmac.new(self.secret, body.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{body}:{signature}"

    def read_mine(self, workshop_id: int, value: str | None) -> list[int]:
        """The ids in a phone's signed cookie; anything altered or for another workshop: none."""
        if not value or value.count(":") != 2:
            return []
        wid, ids, _signature = value.split(":")
        if wid != str(workshop_id):
            return []
        numbers = [_small_int(i) for i in ids.split(".") if i]
        if any(number is None for number in numbers):
            return []
        good = self.sign_mine(workshop_id, [n for n in numbers if n is not None])
        if not hmac.compare_digest(good.encode("utf-8", "replace"),
                                   value.encode("utf-8", "replace")):
            return []
        return [int(i) for i in ids.split(".") if i]


HUB_KEY = web.AppKey("hub", JoinHub)
TEMPLATES_KEY = web.AppKey("templates", object)
STATIC_KEY = web.AppKey("static", dict)


# --------------------------------------------------------------------------- helpers


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
        status=status, content_type="application/json", charset="utf-8", headers=headers)


def _json_error(status: int, message: str, headers: dict[str, str] | None = None,
                **extra: Any) -> web.Response:
    return _json({"error": message, **extra}, status=status, headers=headers)


def _see_other(location: str) -> web.Response:
    """303: the browser loads ``location`` with GET (after a form post, no resubmission)."""
    return web.Response(status=303, headers={"Location": location})


def _device(request: web.Request) -> str | None:
    value = request.cookies.get(DEVICE_COOKIE)
    return value if value and _DEVICE_PATTERN.fullmatch(value) else None


def _ensure_device(request: web.Request, response: web.StreamResponse) -> str:
    device = _device(request)
    if device is None:
        device = secrets.token_urlsafe(18)
        response.set_cookie(DEVICE_COOKIE, device, max_age=7 * 24 * 3600, path="/",
                            httponly=True, samesite="Strict")
    return device


def _status_code(error: StoreError) -> int:
    if isinstance(error, ValidationError):
        return 422
    if isinstance(error, (VotingClosedError, VoteBudgetSpentError, ValuesClosedError,
                          ReviewClosedError)):
        return 409
    if isinstance(error, NotFoundError):
        return 404
    return 503


def _author(name: object, organisation: object) -> str:
    """The optional name and organisation as one author line; both empty means anonymous."""
    clean_name = clean_text(name, what="Your name", max_chars=NAME_MAX_CHARS, required=False,
                            multiline=False)
    clean_org = clean_text(organisation, what="Your organisation",
                           max_chars=ORGANISATION_MAX_CHARS, required=False, multiline=False)
    if clean_name and clean_org:
        return f"{clean_name} ({clean_org})"
    return clean_name or clean_org


def _check_column(column: object, fixed: Column | None) -> Column:
    if fixed is not None:
        return fixed
    if column is None or column == "":
        raise ValidationError(MSG_NO_COLUMN)
    if not isinstance(column, str):
        raise ValidationError("The column must be one of universities, shared or civic.")
    try:
        return Column(column)
    except ValueError:
        raise ValidationError(
            f"Unknown column {column[:40]!r}: use universities, shared or civic.") from None


def _small_int(raw: object) -> int | None:
    """An id as a phone may send it (an int, or ASCII digits), or None; never huge."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 <= raw < 10**11 else None
    if isinstance(raw, str):
        text = raw.strip()
        if text.isascii() and text.isdigit() and len(text) < 12:
            return int(text)
    return None


def _parse_ids(text: str) -> list[int]:
    ids: list[int] = []
    for part in text.split(","):
        number = _small_int(part)
        if number is not None:
            ids.append(number)
    return list(dict.fromkeys(ids))[-MAX_MINE:]


class _Refusal(Exception):
    """A request refused before it reaches the store: status and a plain message."""

    def __init__(self, status: int, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = ({"Retry-After": retry_after_header(retry_after_s)}
                        if retry_after_s is not None else None)


async def _open_workshop(hub: JoinHub, token: str) -> int:
    workshop_id = await hub.resolve(token)
    if workshop_id is None:
        raise _Refusal(404, MSG_WRONG_TOKEN)
    if not hub.is_open(workshop_id):
        raise _Refusal(403, MSG_CLOSED)
    return workshop_id


def _take_post_token(hub: JoinHub, request: web.Request) -> None:
    """Count one post from this phone; refused (429) while it posts faster than the limit."""
    wait = hub.post_limiter.take(_client(request))
    if wait > 0:
        raise _Refusal(429, _flood_message(wait), wait)


async def _read_json(request: web.Request, refusal: str) -> dict[str, Any]:
    """The body as a JSON object; anything else is refused (422) with ``refusal``."""
    try:
        data = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        raise _Refusal(422, refusal) from None
    if not isinstance(data, dict):
        raise _Refusal(422, refusal)
    return data


# --------------------------------------------------------------------------- middleware


@web.middleware
async def _guard(request: web.Request,
                 handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                 ) -> web.StreamResponse:
    """Flood limit, body cap and plain-language errors for every route."""
    hub = request.app[HUB_KEY]
    wait = hub.request_limiter.take(_client(request))
    if wait > 0:
        return _error(request, 429, _flood_message(wait),
                      headers={"Retry-After": retry_after_header(wait)})
    length = request.content_length
    if length is not None and length > hub.limits.max_body_bytes:
        return _error(request, 413, MSG_TOO_BIG)
    try:
        if request.body_exists:
            if request.content_type.startswith("multipart/"):
                return _error(request, 415, MSG_NOT_A_FORM)
            # Read the whole body now, under a deadline: a phone that never finishes sending
            # is answered 408 and its connection closed, and handlers find the body cached.
            try:
                async with asyncio.timeout(hub.limits.body_timeout_s):
                    await request.read()
            except TimeoutError:
                response = _error(request, 408, MSG_TOO_SLOW)
                response.force_close()
                return response
        return await handler(request)
    except _Refusal as refusal:
        return _error(request, refusal.status, refusal.message, headers=refusal.headers)
    except web.HTTPRequestEntityTooLarge:
        return _error(request, 413, MSG_TOO_BIG)
    except web.HTTPMethodNotAllowed as exc:
        return _error(request, 405, "Phones can only add post-its, answers, votes and reviews here.",
                      headers={"Allow": exc.headers.get("Allow", "")})
    except web.HTTPNotFound:
        return _error(request, 404, "There is nothing at this address.")
    except web.HTTPException:
        raise
    except DatabaseLockedError:
        return _error(request, 503, MSG_BUSY, headers={"Retry-After": "2"})
    except StoreError as exc:
        return _error(request, _status_code(exc), str(exc))
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("phone request failed: %s %s", request.method, request.path)
        return _error(request, 500, MSG_BROKEN)


def _error(request: web.Request, status: int, message: str,
           headers: dict[str, str] | None = None) -> web.Response:
    if _is_api(request) or request.path == "/healthz":
        return _json_error(status, message, headers=headers)
    return _render(request, "message.html", status=status, headers=headers,
                   message=message, status_code=status)


async def _add_security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = "workshopkit"  # not the library versions


def _render(request: web.Request, name: str, *, status: int = 200,
            headers: dict[str, str] | None = None, **context: Any) -> web.Response:
    env = request.app[TEMPLATES_KEY]
    html = env.get_template(name).render(**context)  # type: ignore[attr-defined]
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8",
                        headers=headers)


# --------------------------------------------------------------------------- plain pages


async def _healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok", content_type="text/plain")


async def _favicon(_request: web.Request) -> web.Response:
    return web.Response(status=204)


async def _static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    files = request.app[STATIC_KEY]
    if name not in files:
        raise web.HTTPNotFound()
    return web.Response(body=files[name], content_type=STATIC_FILES[name], charset="utf-8")


async def _home(request: web.Request) -> web.Response:
    """Type a join code when the QR code can't be scanned."""
    code = request.query.get("code")
    if code is None:
        return _render(request, "home.html", error="", code="")
    token = parse_join_code(code)
    hub = request.app[HUB_KEY]
    if token is None or await hub.resolve(token) is None:
        return _render(request, "home.html", status=404, code=code[:60],
                       error="That join code does not work. Check it with the facilitator "
                             "and type it again.")
    return _see_other(f"/j/{token}")


def _columns(snap: _Snapshot) -> list[dict[str, str]]:
    return [{"id": c.value, "heading": snap.headings[c]} for c in Column]


def _mine_items(snap: _Snapshot, ids: list[int]) -> list[dict[str, Any]]:
    texts = {postit_id: text for postit_id, _column, text in snap.visible}
    items = []
    for postit_id in reversed(ids):
        status = snap.phone_status.get(postit_id)
        key = status.value if status is not None else "removed"
        items.append({"id": postit_id, "status": key, "label": STATUS_LABELS[key],
                      "text": texts.get(postit_id, "")})
    return items


async def _page_context(request: web.Request, snap: _Snapshot, device: str | None,
                        mine: list[int]) -> dict[str, Any]:
    hub = request.app[HUB_KEY]
    votes = await hub.votes_of(snap, hub.voter_id(snap.workshop_id, device))
    settings = snap.settings
    board = []
    for column in Column:
        items = [{"id": pid, "text": text, "votes": snap.tallies.get(pid, 0),
                  "mine_votes": votes.get(pid, 0)}
                 for pid, col, text in snap.visible if col is column]
        board.append({"id": column.value, "heading": snap.headings[column], "postits": items})
    return {
        "title": snap.title,
        "token": snap.token,
        "join_code": format_join_code(snap.token),
        "columns": _columns(snap),
        "fixed_column": settings.fixed_column.value if settings.fixed_column else "",
        "fixed_heading": snap.headings[settings.fixed_column] if settings.fixed_column else "",
        "board": board,
        "visible_count": len(snap.visible),
        "mine": _mine_items(snap, mine),
        "voting_open": settings.voting_open,
        "vote_budget": settings.vote_budget,
        "votes_left": max(0, settings.vote_budget - sum(votes.values())),
        "tallies_shown": settings.tallies_shown,
        "max_chars": POSTIT_MAX_CHARS,
        "name_max": NAME_MAX_CHARS,
        "organisation_max": ORGANISATION_MAX_CHARS,
        "status_labels": STATUS_LABELS,
        "form": {"text": "", "column": "", "name": "", "organisation": ""},
        "error": "",
        "notice": "",
        "vote_notice": "",
        "timer": _timer_context(settings),
        **await _values_context(hub, snap, device),
        **await _review_context(hub, snap, device),
    }


def _timer_context(settings: JoinSettings) -> dict[str, Any] | None:
    """The countdown as the page shows it when it loads (without JavaScript, until reloaded)."""
    timer = timer_state(settings)
    if timer is None:
        return None
    left = timer["remaining"]
    return {**timer, "text": f"Time left: {phone_clock(left)}" if left else TIME_UP}


# --------------------------------------------------------------------------- own row (step 2)

_MISSING = object()
_OwnRow = tuple[Participant, dict[Practice, str]]


class _FieldError(ValidationError):
    """A refused answer, with the form field it is about (so the page can mark that field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _answer_what(question: Practice) -> str:
    return f"Your answer to \u201c{INDIVIDUAL_QUESTIONS[question]}\u201d"


def _row_fields(row: _OwnRow | None) -> dict[str, str]:
    """The form's fields: empty, or filled with the phone's own saved row."""
    fields = {"name": "", "organisation": "", **{q.value: "" for q in Practice}}
    if row is not None:
        person, answers = row
        fields["name"] = person.name
        fields["organisation"] = (str(person.organisation_id)
                                  if person.organisation_id is not None else NOT_LISTED)
        for question, text in answers.items():
            fields[question.value] = text
    return fields


def _row_json(row: _OwnRow | None) -> dict[str, Any]:
    person, answers = row if row is not None else (None, {})
    return {
        "saved": person is not None,
        "name": person.name if person is not None else "",
        "organisation": person.organisation_id if person is not None else None,
        "answers": {q.value: answers.get(q, "") for q in Practice},
    }


async def _own_row(hub: JoinHub, workshop_id: int, device: str | None) -> _OwnRow | None:
    key = hub.row_key(workshop_id, device)
    store = hub.store
    if key is None or store is None:
        return None
    return await hub.db(lambda: store.phone_row(workshop_id, key))


async def _values_context(hub: JoinHub, snap: _Snapshot, device: str | None) -> dict[str, Any]:
    is_open = snap.settings.collect_values
    row = await _own_row(hub, snap.workshop_id, device) if is_open else None
    return {
        "values_open": is_open,
        "values_shown": is_open,
        "organisations": [{"id": str(i), "name": n} for i, n in snap.organisations],
        "not_listed": NOT_LISTED,
        "questions": [{"key": q.value, "text": text} for q, text in INDIVIDUAL_QUESTIONS.items()],
        "answer_max": ANSWER_MAX_CHARS,
        "person_name_max": PERSON_NAME_MAX_CHARS,
        "values_form": _row_fields(row),
        "values_saved": row is not None,
        "values_error": "",
        "values_field": "",
        "values_notice": "",
    }


def _check_organisation(raw: object, snap: _Snapshot) -> int | None:
    """The select's value (or JSON's id / null) as an organisation of this workshop, or None."""
    if raw is _MISSING or raw == "":
        raise _FieldError("organisation", MSG_NO_ORGANISATION)
    if raw is None or raw == NOT_LISTED:
        return None
    organisation_id = _small_int(raw)
    if organisation_id is None or organisation_id not in {i for i, _ in snap.organisations}:
        raise _FieldError("organisation", MSG_UNKNOWN_ORGANISATION)
    return organisation_id


def _read_row(data: Mapping[str, object], snap: _Snapshot
              ) -> tuple[str, int | None, dict[Practice, str]]:
    """Check a phone's row like the store will, naming the field that is wrong."""
    try:
        name = clean_text(data.get("name"), what="Your name", max_chars=PERSON_NAME_MAX_CHARS,
                          multiline=False)
    except ValidationError as exc:
        raise _FieldError("name", str(exc)) from None
    organisation_id = _check_organisation(data.get("organisation", _MISSING), snap)
    answers: dict[Practice, str] = {}
    for question in Practice:
        try:
            answers[question] = clean_text(data.get(question.value), what=_answer_what(question),
                                           max_chars=ANSWER_MAX_CHARS, required=False)
        except ValidationError as exc:
            raise _FieldError(question.value, str(exc)) from None
    if not any(answers.values()):
        raise _FieldError(Practice.BUDGET.value, MSG_NO_ANSWER)
    return name, organisation_id, answers


async def _save_row(hub: JoinHub, request: web.Request, token: str, workshop_id: int,
                    data: Mapping[str, object]) -> tuple[bool, _OwnRow]:
    """Refuse (409, 422) or save the phone's own row; True if the row is new."""
    snap = await hub.snapshot(workshop_id)
    if not snap.settings.collect_values:
        raise _Refusal(409, MSG_VALUES_CLOSED)
    key = hub.row_key(workshop_id, _device(request))
    if key is None:
        raise _Refusal(409, MSG_NO_DEVICE_ROW)
    name, organisation_id, answers = _read_row(data, snap)
    store = hub.store
    assert store is not None
    payload: dict[Practice, str] = dict(answers)

    def write() -> tuple[bool, _OwnRow]:
        is_new = store.phone_row(workshop_id, key) is None
        try:
            store.submit_phone_row(workshop_id, key, name, organisation_id, payload,
                                   token=token)
        except ValuesClosedError:
            raise _Refusal(409, MSG_VALUES_CLOSED) from None
        except NotFoundError:  # the join link was rotated a moment ago
            raise _Refusal(404, MSG_WRONG_TOKEN) from None
        except ValidationError as exc:  # e.g. the organisation was deleted in between
            if "organisations" in str(exc):
                raise _FieldError("organisation", MSG_UNKNOWN_ORGANISATION) from None
            raise
        row = store.phone_row(workshop_id, key)
        assert row is not None
        return is_new, row

    return await hub.db(write)


async def _values_form(request: web.Request) -> web.StreamResponse:
    """Own answers without JavaScript: a plain form post, then a redirect or the page again."""
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    form = await request.post()
    fields = {key: str(form.get(key, "")) for key in
              ("name", "organisation", *(q.value for q in Practice))}
    _take_post_token(hub, request)
    try:
        await _save_row(hub, request, token, workshop_id, fields)
    except _Refusal as refusal:
        if refusal.status != 409:
            raise
        status, error, field = 409, refusal.message, ""
    except ValidationError as exc:
        status, error, field = 422, str(exc), getattr(exc, "field", "")
    else:
        return _see_other(f"/j/{token}?saved=values#values-notice")
    snap = await hub.snapshot(workshop_id)
    mine = hub.read_mine(workshop_id, request.cookies.get(MINE_COOKIE))
    context = await _page_context(request, snap, _device(request), mine)
    context.update(values_form=fields, values_error=error, values_field=field,
                   values_shown=True)
    return _render(request, "phone.html", status=status, **context)


async def _values_page(request: web.Request) -> web.Response:
    """Someone opened the form's address itself: the form is on the phone page."""
    return _see_other(f"/j/{request.match_info['token']}#values")


async def _api_values_save(request: web.Request) -> web.Response:
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    _take_post_token(hub, request)
    data = await _read_json(request, MSG_VALUES_NOT_JSON)
    try:
        is_new, row = await _save_row(hub, request, token, workshop_id, data)
    except _FieldError as exc:
        return _json_error(422, str(exc), field=exc.field)
    return _json({**_row_json(row), "message": MSG_VALUES_SAVED}, status=201 if is_new else 200)


async def _api_values_read(request: web.Request) -> web.Response:
    """The phone's own row (never anyone else's), to fill its form in again."""
    hub = request.app[HUB_KEY]
    workshop_id = await _open_workshop(hub, request.match_info["token"])
    snap = await hub.snapshot(workshop_id)
    row = await _own_row(hub, workshop_id, _device(request))
    response = _json({"open": snap.settings.collect_values, **_row_json(row)})
    _ensure_device(request, response)
    return response


async def _phone_page(request: web.Request) -> web.Response:
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    snap = await hub.snapshot(workshop_id)
    device = _device(request)
    mine = hub.read_mine(workshop_id, request.cookies.get(MINE_COOKIE))
    context = await _page_context(request, snap, device, mine)
    sent = _small_int(request.query.get("sent", ""))
    reviewed = _small_int(request.query.get("reviewed", ""))
    if sent is not None and sent in mine:
        status = snap.phone_status.get(sent)
        context["notice"] = {
            Status.VISIBLE: "Sent. Your post-it is on the board.",
            Status.PENDING: "Sent. Your post-it will appear once the facilitator approves it.",
            Status.HELD: "Sent. The facilitator will reveal all post-its together.",
        }.get(status, "Sent.") if status is not None else "Sent."
    elif request.query.get("saved") == "values":
        context["values_notice"] = MSG_VALUES_SAVED
    elif reviewed is not None:
        _review_item_update(context, reviewed, notice=MSG_REVIEW_SAVED)
    elif request.query.get("voted") in ("1", "0"):
        context["vote_notice"] = ("Your vote is in." if request.query["voted"] == "1"
                             else "Your vote is taken back.")
    response = _render(request, "phone.html", **context)
    device = _ensure_device(request, response)
    hub.visits.setdefault(workshop_id, set()).add(device)
    return response


async def _phone_form(request: web.Request) -> web.StreamResponse:
    """The no-JavaScript path: a plain form post, answered with a redirect or the page again."""
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    form = await request.post()
    fields = {key: str(form.get(key, "")) for key in
              ("text", "column", "name", "organisation", "vote", "withdraw")}
    mine = hub.read_mine(workshop_id, request.cookies.get(MINE_COOKIE))
    if fields["vote"] or fields["withdraw"]:
        return await _form_vote(request, hub, workshop_id, token, fields, mine)
    _take_post_token(hub, request)
    snap = await hub.snapshot(workshop_id)
    try:
        column = _check_column(fields["column"], snap.settings.fixed_column)
        text = clean_text(fields["text"], what="A post-it", max_chars=POSTIT_MAX_CHARS)
        author = _author(fields["name"], fields["organisation"])
        postit_id, _status, _text = await _add_postit(hub, token, workshop_id, column, text,
                                                      author)
    except (ValidationError, NotFoundError) as exc:
        if isinstance(exc, NotFoundError):
            raise _Refusal(404, MSG_WRONG_TOKEN) from exc
        context = await _page_context(request, snap, _device(request), mine)
        context["form"] = {key: fields[key] for key in ("text", "column", "name", "organisation")}
        context["error"] = str(exc)
        return _render(request, "phone.html", status=422, **context)
    response = _see_other(f"/j/{token}?sent={postit_id}#live-notice")
    response.set_cookie(MINE_COOKIE, hub.sign_mine(workshop_id, [*mine, postit_id][-MAX_MINE:]),
                        max_age=24 * 3600, path=f"/j/{token}", httponly=True, samesite="Strict")
    return response


async def _form_vote(request: web.Request, hub: JoinHub, workshop_id: int, token: str,
                     fields: dict[str, str], mine: list[int]) -> web.StreamResponse:
    withdraw = bool(fields["withdraw"])
    raw = fields["withdraw"] if withdraw else fields["vote"]
    try:
        await _vote(hub, request, workshop_id, raw, withdraw=withdraw)
    except _Refusal as refusal:
        if refusal.status != 409:
            raise
        status, error = refusal.status, refusal.message
    except StoreError as exc:
        if isinstance(exc, DatabaseLockedError):
            raise
        status, error = _status_code(exc), str(exc)
    else:
        return _see_other(f"/j/{token}?voted={0 if withdraw else 1}#voting")
    snap = await hub.snapshot(workshop_id)
    context = await _page_context(request, snap, _device(request), mine)
    context["vote_notice"] = error
    return _render(request, "phone.html", status=status, **context)


# --------------------------------------------------------------------------- reviews (step 4)


class _ReviewFieldError(ValidationError):
    """A refused review, with the field it is about and the principle it was for."""

    def __init__(self, field: str, message: str, principle_id: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.principle_id = principle_id


async def _review_context(hub: JoinHub, snap: _Snapshot, device: str | None) -> dict[str, Any]:
    """The draft principles to review (while the review is open) and this phone's own reviews."""
    is_open = snap.settings.review_open
    reviews = await hub.reviews_of(snap, hub.review_key(snap.workshop_id, device))
    items = []
    for number, (principle_id, lead, body) in enumerate(snap.principles, start=1):
        verdict, comment = reviews.get(principle_id, (None, ""))
        items.append({"id": principle_id, "number": number, "lead": lead, "body": body,
                      "mine": verdict.value if verdict is not None else "",
                      "mine_label": VERDICT_LABELS[verdict] if verdict is not None else "",
                      "comment": comment, "error": "", "notice": ""})
    return {
        "review_open": is_open,
        "review_principles": items,
        "review_max": REVIEW_COMMENT_MAX_CHARS,
        "review_error": "",
        "review_closed_message": "",
        "review_kept": "",
    }


def _review_item_update(context: dict[str, Any], principle_id: int, **fields: str) -> bool:
    """Set fields of one principle in the page's review list; False if it is not listed."""
    for item in context["review_principles"]:
        if item["id"] == principle_id:
            item.update(fields)
            return True
    return False


def _parse_principle_id(raw: object) -> int:
    number = _small_int(raw)
    if number is not None:
        return number
    raise _ReviewFieldError("principle_id", MSG_NO_PRINCIPLE)


def _read_review(data: Mapping[str, object], snap: _Snapshot) -> tuple[int, Verdict, str]:
    """Check a review like the store will, naming the field that is wrong."""
    principle_id = _parse_principle_id(data.get("principle_id"))
    if principle_id not in {i for i, _lead, _body in snap.principles}:
        raise _Refusal(409, MSG_PRINCIPLE_GONE)
    raw = data.get("verdict")
    try:
        verdict = Verdict(raw) if isinstance(raw, str) else None
    except ValueError:
        verdict = None
    if verdict is None:
        raise _ReviewFieldError("verdict", MSG_NO_VERDICT, principle_id)
    try:
        comment = clean_text(data.get("comment"), what="Your comment",
                             max_chars=REVIEW_COMMENT_MAX_CHARS, required=False)
    except ValidationError as exc:
        raise _ReviewFieldError("comment", str(exc), principle_id) from None
    if verdict is Verdict.CHANGE and not comment:
        raise _ReviewFieldError("comment", MSG_NEED_COMMENT, principle_id)
    return principle_id, verdict, comment


async def _save_review(hub: JoinHub, request: web.Request, token: str, workshop_id: int,
                       data: Mapping[str, object]) -> tuple[bool, int, Verdict, str]:
    """Refuse (409, 422) or keep this phone's review of one principle; True if it is new."""
    snap = await hub.snapshot(workshop_id)
    if not snap.settings.review_open:
        raise _Refusal(409, MSG_REVIEW_CLOSED)
    key = hub.review_key(workshop_id, _device(request))
    if key is None:
        raise _Refusal(409, MSG_NO_DEVICE_REVIEW)
    principle_id, verdict, comment = _read_review(data, snap)
    store = hub.store
    assert store is not None

    def write() -> bool:
        is_new = principle_id not in store.reviews_of(workshop_id, key)
        try:
            # the token and the review's being open are checked in the write's own transaction
            store.cast_review(workshop_id, key, principle_id, verdict, comment, token=token)
        except ReviewClosedError:
            raise _Refusal(409, MSG_REVIEW_CLOSED) from None
        except NotFoundError:
            if store.workshop_for_token(token) != workshop_id:  # rotated a moment ago
                raise _Refusal(404, MSG_WRONG_TOKEN) from None
            raise _Refusal(409, MSG_PRINCIPLE_GONE) from None  # rejected or deleted meanwhile
        return is_new

    return await hub.db(write), principle_id, verdict, comment


async def _review_form(request: web.Request) -> web.StreamResponse:
    """A review without JavaScript: a plain form post, then a redirect or the page again."""
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    form = await request.post()
    fields = {key: str(form.get(key, "")) for key in ("principle_id", "verdict", "comment")}
    _take_post_token(hub, request)
    principle_id: int | None = None
    try:
        _is_new, principle_id, _verdict, _comment = await _save_review(
            hub, request, token, workshop_id, fields)
    except _Refusal as refusal:
        if refusal.status != 409:
            raise
        status, error, field = 409, refusal.message, ""
    except _ReviewFieldError as exc:
        status, error, field, principle_id = 422, str(exc), exc.field, exc.principle_id
    else:
        return _see_other(f"/j/{token}?reviewed={principle_id}#principle-{principle_id}")
    snap = await hub.snapshot(workshop_id)
    mine = hub.read_mine(workshop_id, request.cookies.get(MINE_COOKIE))
    context = await _page_context(request, snap, _device(request), mine)
    if principle_id is None:
        principle_id = _small_int(fields["principle_id"])
    typed = fields["comment"]
    if error == MSG_REVIEW_CLOSED:
        # the section is not shown while the review is closed: say so, and keep what was typed
        context.update(review_open=False, review_closed_message=error, review_kept=typed.strip())
    elif principle_id is not None and _review_item_update(context, principle_id, comment=typed):
        if field in ("verdict", "comment"):
            _review_item_update(context, principle_id, error=error)
        else:
            context["review_error"] = error
    else:  # e.g. the principle left the draft meanwhile: keep what was typed beside the error
        context.update(review_error=error, review_kept=typed.strip())
    return _render(request, "phone.html", status=status, **context)


async def _review_page(request: web.Request) -> web.Response:
    """Someone opened the form's address itself: the review is on the phone page."""
    return _see_other(f"/j/{request.match_info['token']}#review")


async def _api_review(request: web.Request) -> web.Response:
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    _take_post_token(hub, request)
    data = await _read_json(request, MSG_REVIEW_NOT_JSON)
    try:
        is_new, principle_id, verdict, comment = await _save_review(
            hub, request, token, workshop_id, data)
    except _ReviewFieldError as exc:
        return _json_error(422, str(exc), field=exc.field, principle_id=exc.principle_id)
    return _json({"principle_id": principle_id, "verdict": verdict.value, "comment": comment,
                  "message": MSG_REVIEW_SAVED}, status=201 if is_new else 200)


# --------------------------------------------------------------------------- the API


async def _add_postit(hub: JoinHub, token: str, workshop_id: int, column: Column, text: str,
                      author: str) -> tuple[int, str, str]:
    """Add a phone's post-it; its id, status and text exactly as stored."""
    store = hub.store
    assert store is not None

    def write() -> tuple[int, str, str]:
        # the token is checked in the insert's own transaction: a link rotated a moment ago
        # can never add a post-it
        try:
            postit = store.add_phone_postit(workshop_id, column, text, author=author,
                                            token=token)
        except NotFoundError:
            raise NotFoundError(MSG_WRONG_TOKEN) from None
        return postit.id, postit.status.value, postit.text

    return await hub.db(write)


async def _api_postit(request: web.Request) -> web.Response:
    hub = request.app[HUB_KEY]
    token = request.match_info["token"]
    workshop_id = await _open_workshop(hub, token)
    _take_post_token(hub, request)
    data = await _read_json(request, MSG_NOT_JSON)
    settings = await hub.join_settings(workshop_id)
    column = _check_column(data.get("column"), settings.fixed_column)
    text = clean_text(data.get("text"), what="A post-it", max_chars=POSTIT_MAX_CHARS)
    author = _author(data.get("name"), data.get("organisation"))
    postit_id, status, stored = await _add_postit(hub, token, workshop_id, column, text, author)
    # The contract has two answers: on the board now, or not yet. A post held for the reveal
    # is "pending" to the phone, like one waiting for approval. The text is echoed as stored
    # (after trimming and dropping control characters), so the phone can show what was kept.
    answer = "visible" if status == Status.VISIBLE.value else "pending"
    return _json({"id": postit_id, "status": answer, "detail": status, "text": stored,
                  "column": column.value}, status=201)


async def _api_state(request: web.Request) -> web.Response:
    hub = request.app[HUB_KEY]
    workshop_id = await _open_workshop(hub, request.match_info["token"])
    snap = await hub.snapshot(workshop_id)
    mine_ids = _parse_ids(request.query.get("mine", ""))
    device = _device(request)
    votes = await hub.votes_of(snap, hub.voter_id(workshop_id, device))
    reviews = await hub.reviews_of(snap, hub.review_key(workshop_id, device))
    settings = snap.settings
    private = {
        "joining": "open",
        "timer": timer_state(settings),
        "mine": [{"id": item["id"], "status": item["status"]}
                 for item in reversed(_mine_items(snap, mine_ids))],
        "voting": {
            "open": settings.voting_open,
            "budget": settings.vote_budget,
            "left": max(0, settings.vote_budget - sum(votes.values())),
            "mine": {str(k): v for k, v in votes.items()},
        },
        "my_reviews": {str(k): {"verdict": verdict.value, "comment": comment}
                       for k, (verdict, comment) in reviews.items()},
    }
    head = json.dumps(private, ensure_ascii=False, separators=(",", ":")).encode()
    body = head[:-1] + b"," + snap.public_json[1:]
    response = web.Response(body=body, content_type="application/json", charset="utf-8")
    _ensure_device(request, response)
    return response


async def _vote(hub: JoinHub, request: web.Request, workshop_id: int, raw: object, *,
                withdraw: bool) -> int:
    """Cast or take back one vote; the votes this phone has left."""
    _take_post_token(hub, request)
    voter = hub.voter_id(workshop_id, _device(request))
    if voter is None:
        raise _Refusal(409, MSG_NO_DEVICE)
    postit_id = _small_int(raw)
    if postit_id is None:
        raise ValidationError("Say which post-it the vote is for.")
    store = hub.store
    assert store is not None
    if withdraw:
        return await hub.db(lambda: store.withdraw_vote(workshop_id, voter, postit_id))
    return await hub.db(lambda: store.cast_vote(workshop_id, voter, postit_id))


async def _api_vote(request: web.Request, *, withdraw: bool) -> web.Response:
    hub = request.app[HUB_KEY]
    workshop_id = await _open_workshop(hub, request.match_info["token"])
    data = await _read_json(request, MSG_VOTE_NOT_JSON)
    if "postit_id" not in data:
        return _json_error(422, MSG_VOTE_NOT_JSON)
    try:
        left = await _vote(hub, request, workshop_id, data["postit_id"], withdraw=withdraw)
    except _Refusal as refusal:
        return _json_error(refusal.status, refusal.message, headers=refusal.headers)
    return _json({"left": left, "postit_id": _small_int(data["postit_id"])},
                 status=200 if withdraw else 201)


async def _api_cast(request: web.Request) -> web.Response:
    return await _api_vote(request, withdraw=False)


async def _api_withdraw(request: web.Request) -> web.Response:
    return await _api_vote(request, withdraw=True)


async def _api_events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: ``changed`` (with the kind and ids) whenever the board moves."""
    hub = request.app[HUB_KEY]
    workshop_id = await _open_workshop(hub, request.match_info["token"])
    stream = _Stream(workshop_id, _client(request))
    if not hub.add_stream(stream):
        return _json_error(429, "This phone already has the page open several times. Close "
                                "some of the tabs and try again.", headers={"Retry-After": "5"})
    try:
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "X-Accel-Buffering": "no",
        })
        await response.prepare(request)
        await response.write(b"retry: 3000\nevent: ready\ndata: {}\n\n")
        while True:
            try:
                await asyncio.wait_for(stream.wake.wait(), HEARTBEAT_S)
            except TimeoutError:
                await response.write(b": still here\n\n")
                continue
            if not stream.closed:
                # Gather what else arrives in a moment into one event: a busy room sends
                # dozens of changes a second, and each phone needs to hear about them once.
                await asyncio.sleep(SSE_BATCH_S)
            if stream.closed:
                await response.write(b"event: closed\ndata: {}\n\n")
                break
            await response.write(stream.take())
    except (ConnectionResetError, ConnectionError):
        pass
    finally:
        hub.remove_stream(stream)
    return response


# --------------------------------------------------------------------------- the factory


def _templates(folder: Path) -> object:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(store_path: Path, *, is_open: Callable[[int], bool],
               on_change: Callable[[Change], None] | None, limits: Limits,
               templates_dir: Path | None = None) -> web.Application:
    """The phone server for the library at ``store_path``.

    ``is_open(workshop_id)`` says whether a workshop accepts phones now; ``on_change`` is called
    on the DB thread after each change this server commits (origin ``"phone"``).
    """
    from workshopkit.paths import templates_dir as default_templates

    folder = Path(templates_dir) if templates_dir is not None else default_templates()
    hub = JoinHub(Path(store_path), is_open=is_open, on_change=on_change, limits=limits)
    app = web.Application(client_max_size=limits.max_body_bytes, middlewares=[_guard])
    app[HUB_KEY] = hub
    app[TEMPLATES_KEY] = _templates(folder)
    app[STATIC_KEY] = {name: (folder / name).read_bytes() for name in STATIC_FILES}
    app.on_startup.append(hub.start)
    app.on_shutdown.append(hub.shutdown)
    app.on_cleanup.append(hub.stop)
    app.on_response_prepare.append(_add_security_headers)
    app.router.add_get("/", _home)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/favicon.ico", _favicon)
    app.router.add_get("/static/{name}", _static)
    app.router.add_get("/j/{token}", _phone_page)
    app.router.add_post("/j/{token}", _phone_form)
    app.router.add_get("/j/{token}/values", _values_page)
    app.router.add_post("/j/{token}/values", _values_form)
    app.router.add_get("/api/j/{token}/values", _api_values_read)
    app.router.add_post("/api/j/{token}/values", _api_values_save)
    app.router.add_get("/j/{token}/reviews", _review_page)
    app.router.add_post("/j/{token}/reviews", _review_form)
    app.router.add_post("/api/j/{token}/reviews", _api_review)
    app.router.add_post("/api/j/{token}/postits", _api_postit)
    app.router.add_get("/api/j/{token}/state", _api_state)
    app.router.add_get("/api/j/{token}/events", _api_events)
    app.router.add_post("/api/j/{token}/votes", _api_cast)
    app.router.add_post("/api/j/{token}/votes/withdraw", _api_withdraw)
    return app


def hub_of(app: web.Application) -> JoinHub:
    return app[HUB_KEY]


__all__ = ["JoinHub", "Limits", "create_app", "hub_of"]
