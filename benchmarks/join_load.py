"""A room of phones against the real phone server: 200 phones each send 5 post-its.

The server runs as the app runs it: a :class:`JoinServer` thread over a real SQLite file, with the
app's own Store open on the same file. Each simulated phone has its own source address
(127.0.0.2, 127.0.0.3, ...) so the per-device flood limits behave as in a room, opens the page,
holds a server-sent-events connection (or, with ``--poll``, polls the state every second),
refreshes the state like the page's JavaScript does, and sends 5 post-its with small random
pauses. The phones run in a separate process (they are separate devices); both processes use
the system-wide monotonic clock, so times compare.

Prints one JSON object: errors (any answer to a post other than 201), throughput, post-to-board
latency (sending the POST -> the app sees the Change through ``on_change``; also -> the app's
own Store reads it back), and post-to-other-phone latency over server-sent events.
Goals: 0 errors, post-to-board p95 <= 250 ms and p99 <= 500 ms.
Only loopback addresses are used; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import queue
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOALS = {"errors": 0, "p95_ms": 250.0, "p99_ms": 500.0}
HARD_TIMEOUT_S = 240.0
COLUMNS = ("universities", "shared", "civic")
WORDS = ["respect", "listen", "pay", "partners", "fairly", "share", "data", "ownership", "plain", "language", "agree", "outputs", "early", "honest", "transparent", "time", "budget", "trust", "community", "researchers", "civic", "shared", "values", "gŵyl", "🎉", "شراكة"]


# --------------------------------------------------------------------------- phones (child)


async def _phone(index: int, port: int, token: str, posts: int, mode: str, seed: int,
                 progress: dict[str, int], finished: asyncio.Event, out: dict[str, Any]) -> None:
    import aiohttp

    rng = random.Random(seed + index)
    base = f"http://127.0.0.1:{port}"
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{2 + index}", 0), limit=4)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=None)
    sent: list[tuple[int | None, float, float, int]] = []
    received: dict[int, float] = {}
    counts = {"state": 0, "state_errors": 0, "events": 0}
    mine: list[int] = []
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:

        async def refresh() -> None:
            async with session.get(f"{base}/api/j/{token}/state",
                                   params={"mine": ",".join(map(str, mine))}) as response:
                await response.read()
                counts["state"] += 1
                if response.status != 200:
                    counts["state_errors"] += 1

        refresh_pending = False

        async def debounced_refresh() -> None:
            nonlocal refresh_pending
            await asyncio.sleep(0.2 + rng.random() * 0.6)  # as phone.js does
            refresh_pending = False
            await refresh()

        async def listen(ready: asyncio.Event) -> None:
            nonlocal refresh_pending
            async with session.get(f"{base}/api/j/{token}/events") as response:
                if response.status != 200:
                    counts["state_errors"] += 1
                    ready.set()
                    return
                event = ""
                async for raw in response.content:
                    line = raw.decode().rstrip("\r\n")
                    now = time.monotonic()
                    if line.startswith("event:"):
                        event = line[6:].strip()
                        if event == "ready":
                            ready.set()
                    elif line.startswith("data:") and event == "changed":
                        counts["events"] += 1
                        for postit_id in json.loads(line[5:]).get("ids", ()):
                            received.setdefault(postit_id, now)
                        if not refresh_pending:
                            refresh_pending = True
                            tasks.add(asyncio.create_task(debounced_refresh()))
                    elif line == "":
                        event = ""

        async def poll() -> None:
            while not finished.is_set():
                await refresh()
                await asyncio.sleep(1.0)

        tasks: set[asyncio.Task[None]] = set()
        async with session.get(f"{base}/j/{token}") as page:
            await page.read()
        ready = asyncio.Event()
        background = asyncio.create_task(listen(ready) if mode == "sse" else poll())
        if mode == "sse":
            await asyncio.wait_for(ready.wait(), 30)
        await asyncio.sleep(rng.random() * 1.0)
        for n in range(posts):
            await asyncio.sleep(0.2 + rng.random() * 1.8)
            body = {"text": f"Phone {index} post {n}: " + " ".join(rng.choice(WORDS)
                                                                   for _ in range(rng.randint(2, 12))),
                    "column": rng.choice(COLUMNS)}
            t0 = time.monotonic()
            try:
                async with session.post(f"{base}/api/j/{token}/postits", json=body) as response:
                    data = await response.json(content_type=None)
                    t1 = time.monotonic()
                    postit_id = data.get("id") if response.status == 201 else None
                    if postit_id is not None:
                        mine.append(postit_id)
                    sent.append((postit_id, t0, t1, response.status))
            except (TimeoutError, aiohttp.ClientError):
                sent.append((None, t0, time.monotonic(), 0))
            progress["answered"] += 1
        await finished.wait()
        background.cancel()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(background, *tasks, return_exceptions=True)
    out[str(index)] = {"sent": sent, "received": received, "counts": counts}


async def _room(port: int, token: str, phones: int, posts: int, mode: str, seed: int,
                linger_s: float) -> dict[str, Any]:
    finished = asyncio.Event()
    out: dict[str, Any] = {}
    progress = {"answered": 0}
    tasks = [asyncio.create_task(_phone(i, port, token, posts, mode, seed, progress, finished,
                                        out)) for i in range(phones)]
    deadline = time.monotonic() + HARD_TIMEOUT_S - 20
    while time.monotonic() < deadline and progress["answered"] < phones * posts:
        await asyncio.sleep(0.1)
        if any(t.done() for t in tasks):
            break  # a phone failed: stop the room rather than wait for it
    await asyncio.sleep(linger_s)  # the last events reach the other phones
    finished.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    return {"phones": out, "failures": failures[:5], "failure_count": len(failures)}


def _child(port: int, token: str, phones: int, posts: int, mode: str, seed: int,
           linger_s: float, results: Any) -> None:
    try:
        results.put(asyncio.run(_room(port, token, phones, posts, mode, seed, linger_s)))
    except Exception as exc:  # noqa: BLE001  (reported to the parent, never hangs it)
        results.put({"error": repr(exc)})


# --------------------------------------------------------------------------- the laptop (parent)


def _percentiles(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)

    return {"n": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99),
            "max": round(ordered[-1], 1), "mean": round(statistics.fmean(ordered), 1)}


def run(phones: int, posts: int, mode: str, seed: int) -> dict[str, Any]:
    from workshopkit.join.limits import Limits
    from workshopkit.join.runner import JoinServer
    from workshopkit.model import Change, ChangeKind
    from workshopkit.store import Store

    with tempfile.TemporaryDirectory(prefix="wk-bench-join-") as tmp:
        db = Path(tmp) / "workshopkit.db"
        app_store = Store(db)  # the app's own connection, as the GUI holds it
        workshop = app_store.create_workshop("Benchmark: a room of phones")
        token = app_store.join_settings(workshop.id).token

        seen: dict[int, float] = {}
        read_back: dict[int, float] = {}
        board_queue: queue.Queue[Change | None] = queue.Queue()

        def on_change(change: Change) -> None:  # the server's DB thread, like the app's signal
            now = time.monotonic()
            if change.kind is ChangeKind.POSTITS:
                for postit_id in change.ids:
                    seen.setdefault(postit_id, now)
                board_queue.put(change)

        def board() -> None:
            """The app side: reads each new post-it through its own Store, as the board does."""
            while True:
                change = board_queue.get()
                if change is None:
                    return
                app_store.get_postits(change.ids)
                now = time.monotonic()
                for postit_id in change.ids:
                    read_back.setdefault(postit_id, now)

        board_thread = threading.Thread(target=board, name="bench-board", daemon=True)
        board_thread.start()
        limits = Limits()  # the defaults a room gets
        server = JoinServer(db, host="127.0.0.1", port=0, on_change=on_change, limits=limits)
        server.start()
        server.open_workshop(workshop.id)
        ctx = multiprocessing.get_context("spawn")
        results: multiprocessing.Queue = ctx.Queue()
        child = ctx.Process(target=_child, args=(server.port, token, phones, posts, mode, seed,
                                                 3.0, results), daemon=True)
        wall_start = time.monotonic()
        child.start()
        try:
            outcome = results.get(timeout=HARD_TIMEOUT_S)
        except queue.Empty:
            outcome = {"error": f"the phones did not finish within {HARD_TIMEOUT_S:.0f} s"}
        finally:
            child.join(10)
            if child.is_alive():
                child.kill()
                child.join()
        wall_s = time.monotonic() - wall_start
        visits = server.visits(workshop.id)
        server.stop()
        board_queue.put(None)
        board_thread.join(10)
        stored = len(app_store.list_postits(workshop.id))
        app_store.close()

    if "error" in outcome:
        return {"benchmark": "join_load", "error": outcome["error"]}

    statuses: dict[str, int] = {}
    to_board: list[float] = []
    to_app_read: list[float] = []
    response_ms: list[float] = []
    to_other_phones: list[float] = []
    send_times: dict[int, tuple[float, str]] = {}
    first_send, last_answer = float("inf"), 0.0
    counts = {"state": 0, "state_errors": 0, "events": 0}
    for phone_id, data in outcome["phones"].items():
        for postit_id, t0, t1, status in data["sent"]:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            response_ms.append((t1 - t0) * 1000)
            first_send, last_answer = min(first_send, t0), max(last_answer, t1)
            if postit_id is not None:
                send_times[postit_id] = (t0, phone_id)
                if postit_id in seen:
                    to_board.append((seen[postit_id] - t0) * 1000)
                if postit_id in read_back:
                    to_app_read.append((read_back[postit_id] - t0) * 1000)
        for key in counts:
            counts[key] += data["counts"][key]
    missing_deliveries = 0
    for phone_id, data in outcome["phones"].items():
        received = {int(k): v for k, v in data["received"].items()}
        for postit_id, (t0, author) in send_times.items():
            if author == phone_id:
                continue
            if postit_id in received:
                to_other_phones.append((received[postit_id] - t0) * 1000)
            else:
                missing_deliveries += 1
    posted = sum(statuses.values())
    errors = posted - statuses.get("201", 0)
    board_stats = _percentiles(to_board)
    post_window = max(1e-9, last_answer - first_send)
    result = {
        "benchmark": "join_load",
        "mode": mode,
        "phones": phones,
        "posts_per_phone": posts,
        "posts_sent": posted,
        "posts_stored": stored,
        "errors": errors,
        "statuses": statuses,
        "phone_failures": outcome["failure_count"],
        "phones_that_opened_the_page": visits,
        "duration_s": round(post_window, 2),
        "wall_s": round(wall_s, 2),
        "throughput_posts_per_s": round(statuses.get("201", 0) / post_window, 1),
        "post_to_board_ms": board_stats,
        "post_to_app_store_read_ms": _percentiles(to_app_read),
        "post_response_ms": _percentiles(response_ms),
        "post_to_other_phone_sse_ms": {**_percentiles(to_other_phones),
                                       "missing": missing_deliveries} if mode == "sse" else None,
        "state_requests": counts["state"],
        "state_errors": counts["state_errors"],
        "sse_events_received": counts["events"],
        "limits": {"post_burst": limits.post_burst, "post_refill_per_s": limits.post_refill_per_s,
                   "request_burst": limits.request_burst,
                   "request_refill_per_s": limits.request_refill_per_s},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "goals": GOALS,
    }
    result["meets_goals"] = {
        "errors": errors == 0 and outcome["failure_count"] == 0 and stored == posted,
        "p95": board_stats["p95"] is not None and board_stats["p95"] <= GOALS["p95_ms"],
        "p99": board_stats["p99"] is not None and board_stats["p99"] <= GOALS["p99_ms"],
    }
    if outcome["failures"]:
        result["phone_failure_examples"] = outcome["failures"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=int(os.environ.get("BENCH_PHONES", "200")))
    parser.add_argument("--posts", type=int, default=5)
    parser.add_argument("--poll", action="store_true", help="poll every second instead of SSE")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 1 <= args.phones <= 250:
        parser.error("--phones must be between 1 and 250 (one loopback address each)")
    print(json.dumps(run(args.phones, args.posts, "poll" if args.poll else "sse", args.seed),
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
