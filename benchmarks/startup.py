"""Cold start to the first painted main window, beside a bare PySide6 window in the same run.

Each sample is a fresh process, timed from launch until it prints its first-paint marker.
Prints one JSON object. Goal: workshopkit at most 1.5x the bare window (median over runs).
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
GOAL_RATIO = 1.5

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)

app = QApplication(sys.argv)
window = Window()
window.resize(1280, 800)
window.setWindowTitle("bare")
window.show()
sys.exit(app.exec())
"""


def _time_until_painted(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("painted"):
            elapsed = time.perf_counter() - start
            break
    else:
        _, err = proc.communicate(timeout=30)
        raise RuntimeError(f"{cmd} never painted: {err}")
    proc.wait(timeout=30)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
    return elapsed


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # Byte-compile our package as an install would (PySide6 in site-packages already is), so
    # both sides start from .pyc files even where PYTHONDONTWRITEBYTECODE is set.
    import workshopkit

    compileall.compile_dir(Path(workshopkit.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "workshopkit", "demo", "--data-dir", str(data)],
                       check=True, capture_output=True, env=env)
        app_env = {**env, "WORKSHOPKIT_QUIT_AFTER_PAINT": "1"}
        app_cmd = [sys.executable, "-m", "workshopkit", "--data-dir", str(data)]
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        # one warm-up each so both start from the same file-cache state
        _time_until_painted(bare_cmd, env)
        _time_until_painted(app_cmd, app_env)
        bare, app = [], []
        for _ in range(RUNS):
            bare.append(_time_until_painted(bare_cmd, env))
            app.append(_time_until_painted(app_cmd, app_env))
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    ratio = app_median / bare_median
    print(json.dumps({
        "benchmark": "startup",
        "runs": RUNS,
        "platform": env["QT_QPA_PLATFORM"],
        "bare_pyside6_ms": {"median": round(bare_median * 1000, 1),
                            "min": round(min(bare) * 1000, 1)},
        "workshopkit_ms": {"median": round(app_median * 1000, 1),
                           "min": round(min(app) * 1000, 1)},
        "ratio": round(ratio, 3),
        "goal_ratio": GOAL_RATIO,
        "meets_goal": ratio <= GOAL_RATIO,
    }, indent=2))


if __name__ == "__main__":
    main()
