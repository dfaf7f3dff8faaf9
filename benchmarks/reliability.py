"""Kills survived and posts kept: SIGKILL the phone server and the app, count what was lost.

Runs the same machinery as tests/e2e/test_kill.py, with more cycles:
- the headless phone server (``workshopkit serve``) with 6 phones posting concurrently, SIGKILLed
  at a seeded random moment and restarted, ``--server-cycles`` times; every post-it that got a 201
  must be in the library with the text and column it was acknowledged with;
- the app (real main window, offscreen) editing through its undo stack (add, edit, move as
  dragging does), SIGKILLed at a seeded random moment, ``--app-cycles`` times; every edit it
  acknowledged must be in the library;
- ``PRAGMA integrity_check`` after every kill.
Then, if tests/join/test_hostile.py exists, it runs its hypothesis tests in a subprocess and
reports how many test cases hypothesis ran (each one or more requests) and how many failed (``--no-fuzz`` skips this).

Prints one JSON object. Goals: lost 0, every integrity check "ok", 0 server errors, 0 failing
fuzz test cases. Exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HOSTILE = ROOT / "tests" / "join" / "test_hostile.py"
# hypothesis's statistics: "- 20 passing, 0 failing, and 0 invalid test cases" (older versions:
# "20 passing examples, 0 failing examples, 0 invalid examples"), once per phase.
_EXAMPLES = re.compile(r"(\d+) passing(?: examples?)?, (\d+) failing(?: examples?)?,(?: and)? "
                       r"(\d+) invalid")


def fuzz_counts() -> dict[str, Any]:
    """Run R2's hypothesis tests with statistics; sum the examples they generated."""
    if not HOSTILE.is_file():
        return {"ran": False, "why": f"{HOSTILE.relative_to(ROOT)} not found"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(HOSTILE), "-q", "-p", "no:cacheprovider",
         "--hypothesis-show-statistics"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    passing = failing = invalid = 0
    for match in _EXAMPLES.finditer(result.stdout):
        passing += int(match.group(1))
        failing += int(match.group(2))
        invalid += int(match.group(3))
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    return {"ran": True, "pytest_exit_code": result.returncode, "pytest_summary": summary,
            "test_cases_run": passing + failing + invalid, "passing": passing,
            "failing": failing, "invalid": invalid,
            "seconds": round(time.perf_counter() - start, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-cycles", type=int, default=10)
    parser.add_argument("--app-cycles", type=int, default=5)
    parser.add_argument("--phones", type=int, default=6)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--no-fuzz", action="store_true", help="skip the hypothesis run")
    args = parser.parse_args()

    from tests.e2e.test_kill import run_app_kills, run_server_kills

    with tempfile.TemporaryDirectory(prefix="wk-bench-reliability-") as tmp:
        start = time.perf_counter()
        server = run_server_kills(Path(tmp) / "server", cycles=args.server_cycles,
                                  phones=args.phones, seed=args.seed)
        server_s = time.perf_counter() - start
        start = time.perf_counter()
        app = run_app_kills(Path(tmp) / "app", cycles=args.app_cycles, seed=args.seed)
        app_s = time.perf_counter() - start
    fuzz = {"ran": False, "why": "--no-fuzz"} if args.no_fuzz else fuzz_counts()

    server_report = {**server.as_dict(), "seconds": round(server_s, 1)}
    app_report = {**app.as_dict(), "seconds": round(app_s, 1)}
    meets = {
        "server_nothing_lost": server.found == len(server.acknowledged) and not server.lost
        and not server.changed and not server.strangers,
        "server_no_5xx": server.server_errors == 0,
        "app_nothing_lost": not app.lost,
        "integrity_ok": all(r == "ok" for r in server.integrity + app.integrity),
        "fuzz_no_failures": not fuzz.get("ran") or (fuzz.get("failing") == 0
                                                   and fuzz.get("pytest_exit_code") == 0),
    }
    result = {
        "benchmark": "reliability",
        "seed": args.seed,
        "kills_survived": server.cycles + app.cycles,
        "posts_acknowledged": len(server.acknowledged),
        "posts_found": server.found,
        "posts_lost": len(server.lost) + len(server.changed),
        "server": server_report,
        "app": app_report,
        "fuzz": fuzz,
        "goals": {"lost": 0, "integrity": "ok", "server_errors": 0, "fuzz_failing": 0},
        "meets_goals": meets,
    }
    print(json.dumps(result, indent=2))
    return 0 if all(meets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
