"""Classify 10,000 notes; compile the draft and write the PDF for a workshop of 1,000 post-its.

Prints one JSON object. Goals: classifying 10,000 notes under 1 s; compiling the draft and
writing the whole PDF for 1,000 post-its under 2 s.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

NOTES = 10_000
POSTITS = 1_000
GOALS = {"classify_ms": 1000.0, "compile_and_pdf_ms": 2000.0}

PHRASES = (
    "Pay partners on time", "No jargon please", "Bring us in before the bid", "Respect our time",
    "Share the findings with residents", "Be honest about what you can't do", "Biscuits!!",
    "Stay in touch after the funding ends", "A safe space for everyone", "Agree outputs early",
    "Use your rooms for our events", "Our lived experience is expertise", "Monthly catch-up",
    "Who owns the data?", "Both sides should benefit", "Review halfway through", "wifi pls",
    "Get to know our area first", "Why does the university want this?", "Treat us as equals",
)
EXTRA = ("really", "please", "always", "from day one", "for everyone", "together", "properly")
# Everyday words, so notes vary as a real room's do (and the word cache is not all hits).
WORDS = (
    "respect listen pay partners fairly share data ownership plain language jargon agree outputs "
    "impacts early honest transparent budget trust community researchers civic expectations "
    "shared values safe space interpretation childcare travel credit findings volunteers "
    "residents council charity school hospital library hall rooms funding bid grant review "
    "reflect adapt mistakes monthly weekly email phone contact named person culture history "
    "neighbourhood families young people older carers disabled access parking bus evenings "
    "weekends lunch biscuits wifi slides posters leaflets translation bengali somali welsh "
    "meetings minutes actions tasks deadline invoice voucher expenses wage salary contract "
    "ethics consent photos recordings blog film newsletter report summary feedback loop legacy"
).split()


def _note(rng: random.Random, i: int) -> str:
    extra = " ".join(rng.choice(WORDS) + rng.choice(("", "", "s", "ing", "ed"))
                     for _ in range(rng.randint(1, 6)))
    return f"{rng.choice(PHRASES)} {rng.choice(EXTRA)} {extra} {i}"


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    from workshopkit.exercises.principles import compile_draft, inputs_from_store
    from workshopkit.exercises.themes import classify_all, load_themes
    from workshopkit.export.principles_pdf import write_principles_pdf
    from workshopkit.model import Column
    from workshopkit.store import Store

    rng = random.Random(5)
    load_themes()  # reading the lexicon is start-up cost, not classification
    notes = [_note(rng, i) for i in range(NOTES)]
    from workshopkit.exercises import themes as theme_module

    def cold() -> object:  # each run starts with an empty word cache, as a new session would
        theme_module._matching_words.cache_clear()
        return classify_all(notes)

    runs = [_timed(cold)[0] for _ in range(3)]
    classify_ms = statistics.median(runs)
    classified = classify_all(notes)
    unclassified = sum(1 for c in classified if not c.themes)

    with tempfile.TemporaryDirectory(prefix="wk-bench-principles-") as tmp:
        store = Store(Path(tmp) / "workshopkit.db")
        workshop = store.create_workshop("Benchmark: 1,000 post-its",
                                         partnership="Queen Mary and Tower Hamlets CVS")
        columns = list(Column)
        store.add_postits(workshop.id, [{"column": columns[i % 3], "text": _note(rng, i)}
                                         for i in range(POSTITS)])
        compile_ms, draft = _timed(lambda: compile_draft(inputs_from_store(store, workshop.id)))
        pdf_path = Path(tmp) / "principles.pdf"
        pdf_ms, _ = _timed(lambda: write_principles_pdf(store, workshop.id, pdf_path))
        pdf_kb = pdf_path.stat().st_size / 1024
        store.close()

    total = compile_ms + pdf_ms
    result = {
        "benchmark": "principles",
        "notes_classified": NOTES,
        "classify_ms": round(classify_ms, 1),
        "classify_per_note_us": round(classify_ms * 1000 / NOTES, 1),
        "unclassified": unclassified,
        "postits": POSTITS,
        "principles": len(draft.principles),  # type: ignore[attr-defined]
        "compile_ms": round(compile_ms, 1),
        "pdf_ms": round(pdf_ms, 1),
        "compile_and_pdf_ms": round(total, 1),
        "pdf_kb": round(pdf_kb, 1),
        "goals": GOALS,
        "ratios": {"classify": round(classify_ms / GOALS["classify_ms"], 2),
                   "compile_and_pdf": round(total / GOALS["compile_and_pdf_ms"], 2)},
        "meets_goals": {"classify": classify_ms < GOALS["classify_ms"],
                        "compile_and_pdf": total < GOALS["compile_and_pdf_ms"]},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
