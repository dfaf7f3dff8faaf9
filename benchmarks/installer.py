"""The installer folder: its size, and the frozen app's cold start beside the source app's.

    python benchmarks/installer.py            one JSON object (run by `make bench-installer`)
    python benchmarks/installer.py --check-folder
                                              checks on a built folder (`make installer-smoke`)

Start is timed from launch until the first painted main window (the app prints "painted"
when WORKSHOPKIT_QUIT_AFTER_PAINT=1), median of BENCH_RUNS fresh processes each, offscreen,
over the same demo library. Goals: under 200 MB, frozen start at most 1.2x the source app's.
The folder checks use only the standard library and the frozen app itself, so they run with
any Python 3 and need no virtualenv.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "workshopkit"
FROZEN = DIST / ("workshopkit-cli.exe" if sys.platform == "win32" else "workshopkit")
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
GOAL_MB = 200
GOAL_RATIO = 1.2
QT_USED = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")
OTHER_BINDINGS = ("PyQt5", "PyQt6", "PySide2")


def folder_mb(folder: Path) -> float:
    """Bytes of every file in the folder (links not followed), in MB of 2**20 bytes."""
    total = sum(path.lstat().st_size for path in folder.rglob("*")
                if path.is_file() and not path.is_symlink())
    return total / 2**20


def _missing() -> int:
    print(json.dumps({"benchmark": "installer", "error": f"{FROZEN} is missing: run "
                      "'make installer' first"}, indent=2))
    return 1


def _run(cmd: list[str], env: dict[str, str], stdin: str = "") -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120,
                            check=False, input=stdin)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {result.returncode}: {result.stderr}")
    return result.stdout


def check_folder() -> int:
    """What `make installer-smoke` asserts on dist/workshopkit/ beyond the smoke test."""
    if not FROZEN.is_file():
        print(f"installer check failed: {FROZEN} is missing (run 'make installer')")
        return 1
    problems: list[str] = []
    size = folder_mb(DIST)
    if size >= GOAL_MB:
        problems.append(f"the folder is {size:.0f} MB, over the {GOAL_MB} MB goal")
    names = {path.name for path in DIST.rglob("*")}
    for binding in OTHER_BINDINGS:
        if any(name.startswith(binding) for name in names):
            problems.append(f"another Qt binding is inside: {binding}")
    pyside = [path for path in DIST.rglob("PySide6") if path.is_dir()]
    bundled = {path.name.split(".")[0] for folder in pyside for path in folder.iterdir()
               if path.name.startswith("Qt") and path.suffix in (".so", ".pyd")}
    extra = sorted(bundled - set(QT_USED))
    if extra:
        problems.append(f"PySide6 modules the app does not use: {', '.join(extra)}")
    if any("translations" in path.parts for folder in pyside for path in folder.rglob("*.qm")):
        problems.append("Qt translations are inside")
    dangling = [str(path) for path in DIST.rglob("*") if path.is_symlink() and not path.exists()]
    if dangling:
        problems.append(f"broken links: {', '.join(dangling)}")
    for folder in ("assets", "templates"):
        if not any(path.is_dir() for path in DIST.rglob(folder)):
            problems.append(f"{folder}/ is not bundled")
    problems += _headless_commands()
    for problem in problems:
        print(f"installer check failed: {problem}")
    if problems:
        return 1
    print(f"ok: dist/workshopkit is {size:.0f} MB, holds only {', '.join(QT_USED)} of PySide6, "
          "no other Qt binding, and its headless commands work")
    return 0


def _headless_commands() -> list[str]:
    """The frozen CLI's exports, each of which lazily imports its own libraries."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="wk-installer-") as tmp:
        out = Path(tmp)
        env = {**os.environ, "WORKSHOPKIT_DATA_DIR": str(out / "data")}
        try:
            workshop = _run([str(FROZEN), "demo"], env).strip()
            _run([str(FROZEN), "export", workshop, "--pdf", str(out / "p.pdf"),
                  "--csv", str(out / "p.csv"), "--file", str(out / "w.workshop")], env)
            _run([str(FROZEN), "map", workshop, "--pdf", str(out / "m.pdf"),
                  "--svg", str(out / "m.svg"), "--csv", str(out / "m.csv")], env)
            for suffix in ("png", "svg", "pdf"):
                _run([str(FROZEN), "qr", workshop, "--host", "127.0.0.1",
                      "--out", str(out / f"qr.{suffix}")], env)
            classified = _run([str(FROZEN), "classify"], env, stdin="Fair pay for partners\n")
            if not json.loads(classified)["themes"]:
                problems.append("the frozen app's classify found no theme for a clear note")
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            return [str(exc)]
        magic = {"p.pdf": b"%PDF", "m.pdf": b"%PDF", "qr.pdf": b"%PDF", "qr.png": b"\x89PNG",
                 "m.svg": b"<", "qr.svg": b"<", "p.csv": b"", "m.csv": b"", "w.workshop": b""}
        for name, start in magic.items():
            path = out / name
            if not path.is_file() or path.stat().st_size == 0:
                problems.append(f"the frozen app wrote no {name}")
            elif not path.read_bytes().lstrip().startswith(start):
                problems.append(f"the frozen app's {name} does not start with {start!r}")
    return problems


def benchmark() -> int:
    if not FROZEN.is_file():
        return _missing()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import compileall

    from startup import _time_until_painted

    import workshopkit

    compileall.compile_dir(Path(workshopkit.__file__).parent, quiet=1)  # as an install would
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        data = Path(tmp) / "data"
        env["WORKSHOPKIT_DATA_DIR"] = str(data)
        subprocess.run([sys.executable, "-m", "workshopkit", "demo"], check=True,
                       capture_output=True, env=env)
        app_env = {**env, "WORKSHOPKIT_QUIT_AFTER_PAINT": "1"}
        source_cmd = [sys.executable, "-m", "workshopkit", "--data-dir", str(data)]
        frozen_cmd = [str(FROZEN), "--data-dir", str(data)]
        _time_until_painted(source_cmd, app_env)  # one warm-up each: same file-cache state
        _time_until_painted(frozen_cmd, app_env)
        source, frozen = [], []
        for _ in range(RUNS):
            source.append(_time_until_painted(source_cmd, app_env))
            frozen.append(_time_until_painted(frozen_cmd, app_env))
    size = folder_mb(DIST)
    ratio = statistics.median(frozen) / statistics.median(source)
    print(json.dumps({
        "benchmark": "installer",
        "runs": RUNS,
        "platform": env["QT_QPA_PLATFORM"],
        "folder_mb": round(size, 1),
        "goal_mb": GOAL_MB,
        "source_ms": {"median": round(statistics.median(source) * 1000, 1),
                      "min": round(min(source) * 1000, 1)},
        "frozen_ms": {"median": round(statistics.median(frozen) * 1000, 1),
                      "min": round(min(frozen) * 1000, 1)},
        "ratio": round(ratio, 3),
        "goal_ratio": GOAL_RATIO,
        "meets_goal": size < GOAL_MB and ratio <= GOAL_RATIO,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(check_folder() if "--check-folder" in sys.argv[1:] else benchmark())
