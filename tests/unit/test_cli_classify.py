"""`workshopkit classify`: one note per line in, one JSON object per line out."""

from __future__ import annotations

import json
import subprocess
import sys


def test_classify_reads_stdin_and_writes_one_json_object_per_line() -> None:
    notes = ["Pay people on time", "Biscuits!!", "", "No jargin please", "Talu ar amser",
             "<b>Honesty</b> & trust"]
    done = subprocess.run([sys.executable, "-m", "workshopkit", "classify"],
                          input="\n".join(notes) + "\n", capture_output=True, text=True,
                          encoding="utf-8", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(notes)
    rows = [json.loads(line) for line in lines]
    assert [r["text"] for r in rows] == notes
    assert rows[0]["themes"][0] == "fair_payment" and "pay" in rows[0]["cues"]
    assert rows[1] == {"text": "Biscuits!!", "themes": [], "cues": []}
    assert rows[2]["themes"] == []
    assert rows[3]["themes"] == ["plain_language"]
    assert rows[4]["themes"][0] == "fair_payment"
    assert set(rows[5]["themes"]) >= {"honesty_transparency", "long_term_trust"}
