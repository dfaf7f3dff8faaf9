"""A stakeholder map of 300 cards and 400 links: time the open, each panning frame, the exports.

Prints one JSON object. Goals: open under 1 s, every panning frame under 33 ms (p95 and max
reported). Exports (PNG from the canvas, vector PDF and SVG, CSV) are timed for the record.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CARDS = int(os.environ.get("BENCH_CARDS", "300"))
LINKS = int(os.environ.get("BENCH_LINKS", "400"))
GOALS = {"open_ms": 1000.0, "frame_ms": 33.0}
VIEW_SIZE = (1920, 1080)


def _fill(store, rng: random.Random) -> int:
    from workshopkit.exercises.stakeholders import PRESET_GROUPS
    from workshopkit.model import InviteStatus, OrgKind, Part

    workshop = store.create_workshop(
        "Benchmark: 300 stakeholders",
        organisations=[("Queen Mary University of London", OrgKind.UNIVERSITY),
                       ("Tower Hamlets CVS", OrgKind.CIVIC),
                       ("Barts Health NHS Trust", OrgKind.CIVIC)])
    orgs = store.list_organisations(workshop.id)
    roles = [role for group in PRESET_GROUPS for role in group.roles]
    cards = [{
        "label": f"{rng.choice(roles)} {i}",
        "organisation_id": orgs[i % len(orgs)].id,
        "ring": rng.randrange(3), "across": rng.random(), "depth": rng.random(),
        "person": rng.choice(("", "", "Sam Patel", "Ana Silva", "Jo Okafor")),
        "part": rng.choice(list(Part)).value,
        "status": rng.choice(list(InviteStatus)).value,
    } for i in range(CARDS)]
    ids = [card.id for card in store.add_stakeholders(workshop.id, cards)]
    for _ in range(LINKS):
        source, target = rng.sample(ids, 2)
        store.add_link(source, target, rng.choice(("reports to", "brokers", "", "funds")))
    return workshop.id


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return round((time.perf_counter() - start) * 1000, 1)


def main() -> None:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from workshopkit.export.csvfile import write_stakeholders_csv
    from workshopkit.export.stakeholder_map import write_map_pdf, write_map_svg
    from workshopkit.store import Store
    from workshopkit.ui.bridge import StoreBridge
    from workshopkit.ui.stakeholder_map import StakeholderMapView

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="wk-bench-map-") as tmp:
        store = Store(Path(tmp) / "workshopkit.db")
        workshop_id = _fill(store, random.Random(11))
        bridge = StoreBridge(store)
        stack = QUndoStack()
        view = StakeholderMapView(store, bridge, stack)
        view.resize(*VIEW_SIZE)
        view.show()
        app.processEvents()

        start = time.perf_counter()
        view.set_workshop(workshop_id)
        view.view.viewport().repaint()
        app.processEvents()
        open_ms = (time.perf_counter() - start) * 1000

        # Pan across the whole map at a working zoom (cards at reading size), frame by frame.
        canvas = view.view
        canvas.resetTransform()
        canvas.scale(0.6, 0.6)
        app.processEvents()
        frames: list[float] = []
        for bar in (canvas.horizontalScrollBar(), canvas.verticalScrollBar()):
            step = max(1, bar.pageStep() // 12)
            value = bar.minimum()
            while value <= bar.maximum():
                bar.setValue(value)
                t = time.perf_counter()
                canvas.viewport().repaint()
                frames.append((time.perf_counter() - t) * 1000)
                value += step
        # And a frame at fit-to-screen, where every card is drawn at once.
        view.fit_to_screen()
        t = time.perf_counter()
        canvas.viewport().repaint()
        fit_frame_ms = (time.perf_counter() - t) * 1000

        stakeholder_map = store.stakeholder_map(workshop_id)
        title = store.get_workshop(workshop_id).title
        out = Path(tmp)
        exports = {
            "png_ms": _timed(lambda: view.export_png(out / "map.png")),
            "pdf_ms": _timed(lambda: write_map_pdf(stakeholder_map, title, out / "map.pdf")),
            "svg_ms": _timed(lambda: write_map_svg(stakeholder_map, title, out / "map.svg")),
            "csv_ms": _timed(lambda: write_stakeholders_csv(stakeholder_map, out / "map.csv")),
        }
        sizes_kb = {name: round((out / f"map.{name}").stat().st_size / 1024, 1)
                    for name in ("png", "pdf", "svg", "csv")}
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        view.close()
        bridge.detach()
        store.close()

    frames.sort()
    p95 = frames[int(0.95 * (len(frames) - 1))] if frames else 0.0
    result = {
        "benchmark": "stakeholder_map",
        "cards": CARDS,
        "links": LINKS,
        "view": list(VIEW_SIZE),
        "platform": os.environ["QT_QPA_PLATFORM"],
        "open_ms": round(open_ms, 1),
        "pan_frames": len(frames),
        "frame_ms": {"median": round(statistics.median(frames), 2) if frames else None,
                     "p95": round(p95, 2), "max": round(max(frames), 2) if frames else None},
        "fit_to_screen_frame_ms": round(fit_frame_ms, 2),
        "export_ms": exports,
        "export_kb": sizes_kb,
        "peak_mb": round(peak_mb, 1),
        "goals": GOALS,
        "meets_goals": {
            "open": open_ms < GOALS["open_ms"],
            "frame": bool(frames) and max(max(frames), fit_frame_ms) < GOALS["frame_ms"],
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
