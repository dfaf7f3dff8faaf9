"""``workshopkit smoke`` from source, as CI runs it on the frozen folder after every build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from workshopkit.ui.smoke import STEP_NAMES

TIMEOUT = 90


def _smoke(tmp_path: Path, *args: str, **env_changes: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKSHOPKIT_DATA_DIR": str(tmp_path / "real-library"),
           "TMPDIR": str(tmp_path), **env_changes}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "workshopkit", "smoke", *args], env=env,
                          check=False, capture_output=True, text=True, timeout=TIMEOUT)


def _ok_steps(stdout: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^ok: ([a-z-]+): ", stdout, re.MULTILINE)]


def test_smoke_passes_every_step_in_order_and_leaves_nothing_behind(tmp_path: Path):
    # A desktop session's platform is overridden: the smoke test is always offscreen.
    result = _smoke(tmp_path, QT_QPA_PLATFORM="xcb")
    assert result.returncode == 0, result.stderr
    assert _ok_steps(result.stdout) == list(STEP_NAMES)
    assert len(result.stdout.splitlines()) == len(STEP_NAMES)
    assert "main window shown on offscreen" in result.stdout
    assert re.search(r"^ok: post-note: phone posted note \d+ over HTTP$", result.stdout,
                     re.MULTILINE)
    pdf = re.search(r"principles PDF (\S+) \((\d+) bytes\)", result.stdout)
    assert pdf is not None and int(pdf.group(2)) > 2000
    folder = re.search(r"temporary data folder (\S+)", result.stdout)
    assert folder is not None and Path(folder.group(1)).parent == tmp_path
    assert not Path(folder.group(1)).exists()  # removed at the end
    assert not (tmp_path / "real-library").exists()  # the user's library was never opened


def test_smoke_writes_the_pdf_where_asked(tmp_path: Path):
    target = tmp_path / "out" / "principles.pdf"
    result = _smoke(tmp_path, "--pdf", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF")
    assert f"principles PDF {target} (" in result.stdout


def test_a_failing_step_is_named_with_its_reason_and_the_rest_is_not_run(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _smoke(tmp_path, "--pdf", str(blocker / "principles.pdf"))
    assert result.returncode == 1
    before = list(STEP_NAMES[:STEP_NAMES.index("principles-pdf")])
    assert _ok_steps(result.stdout) == before
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("smoke failed at step principles-pdf: ")
    assert f"The principles PDF could not be written to {blocker / 'principles.pdf'}" in last
    folder = re.search(r"temporary data folder (\S+)", result.stdout)
    assert folder is not None and not Path(folder.group(1)).exists()  # cleaned up anyway
