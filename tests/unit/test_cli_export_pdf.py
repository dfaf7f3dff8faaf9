"""`workshopkit export ID --pdf FILE` and `make demo`, run as a user would: real subprocesses
with no display, on a temp data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_tool
from workshopkit.cli import main
from workshopkit.export.principles_pdf import DOCUMENT_TITLE
from workshopkit.model import Column
from workshopkit.store import Store

REPO = Path(__file__).resolve().parents[2]


def _headless_env(**extra: str) -> dict[str, str]:
    """The environment of a server or a CI job: no display at all, no Qt platform chosen."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return {**env, **extra}


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workshopkit", *args, "--data-dir",
                           str(data_dir)], capture_output=True, text=True, timeout=60,
                          env=_headless_env(), check=False)


def _page_size(path: Path) -> str:
    info = subprocess.run([require_tool("pdfinfo"), str(path)], capture_output=True, text=True,
                          check=True, timeout=30).stdout
    return re.search(r"^Page size:\s+.*\((\w+)\)$", info, re.MULTILINE).group(1)  # type: ignore[union-attr]


def _text(path: Path) -> str:
    out = subprocess.run([require_tool("pdftotext"), "-layout", str(path), "-"],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return " ".join(out.split())


def _workshop(store: Store) -> int:
    workshop = store.create_workshop("Export day", partnership="River & <Town> partners")
    store.add_postits(workshop.id, [
        {"column": Column.SHARED, "text": "Pay community partners for their time"},
        {"column": Column.CIVIC, "text": "Pay invoices promptly"},
    ])
    return workshop.id


def test_export_pdf_headless(store: Store, data_dir: Path, tmp_path: Path) -> None:
    wid = _workshop(store)
    a4, letter = tmp_path / "out" / "principles.pdf", tmp_path / "letter.pdf"

    result = _run("export", str(wid), "--pdf", str(a4), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Wrote {a4}\n"
    assert _page_size(a4) == "A4"
    text = _text(a4)
    assert DOCUMENT_TITLE in text and "River & <Town> partners" in text
    assert "1. Agree whether and how people are paid" in text
    assert "Pay invoices promptly" in text

    result = _run("export", str(wid), "--pdf", str(letter), "--letter", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert _page_size(letter) == "letter"


def test_export_pdf_with_csv_in_one_go(store: Store, data_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    wid = _workshop(store)
    pdf, csv = tmp_path / "p.pdf", tmp_path / "p.csv"
    assert main(["export", str(wid), "--pdf", str(pdf), "--csv", str(csv),
                 "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == f"Wrote {pdf}\nWrote {csv}\n"
    assert pdf.read_bytes().startswith(b"%PDF") and csv.is_file()


def test_export_pdf_never_loads_qt(store: Store, data_dir: Path, tmp_path: Path) -> None:
    wid = _workshop(store)
    code = ("import sys\n"
            "from workshopkit.cli import main\n"
            f"assert main(['export', '{wid}', '--pdf', {str(tmp_path / 'p.pdf')!r}, "
            f"'--data-dir', {str(data_dir)!r}]) == 0\n"
            "print('PySide6' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env=_headless_env(), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "False"


def test_missing_workshop_fails_clearly(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "none.pdf"
    result = _run("export", "42", "--pdf", str(target), data_dir=data_dir)
    assert result.returncode == 1
    assert result.stderr.startswith("workshopkit: ")
    assert "see 'workshopkit list'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_unwritable_target_fails_with_a_sentence(store: Store, data_dir: Path,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    wid = _workshop(store)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["export", str(wid), "--pdf", str(blocker / "p.pdf"),
                 "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("workshopkit: ") and "principles PDF" in err


def test_export_says_what_it_can_write(store: Store, data_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    wid = _workshop(store)
    assert main(["export", str(wid), "--data-dir", str(data_dir)]) == 2
    assert "--pdf FILE" in capsys.readouterr().err
    assert main(["export", str(wid), "--letter", "--data-dir", str(data_dir)]) == 2
    assert "--letter" in capsys.readouterr().err


def test_make_demo_writes_the_demo_pdf(tmp_path: Path) -> None:
    make = require_tool("make")
    data = tmp_path / "demo library"
    stamp = ".venv/.installed-" + subprocess.run(
        ["cksum", "pyproject.toml"], cwd=REPO, capture_output=True, text=True, check=True,
        timeout=30).stdout.split()[0]
    # -o: never (re)install the venv from here; PY: the interpreter running the tests.
    result = subprocess.run([make, "--no-print-directory", "-o", stamp, "demo",
                             f"PY={sys.executable}"],
                            cwd=REPO, capture_output=True, text=True, timeout=120,
                            env=_headless_env(WORKSHOPKIT_DATA_DIR=str(data)), check=False)
    assert result.returncode == 0, result.stderr
    pdf = Path(result.stdout.splitlines()[-1])
    assert pdf.parent == data and pdf.name.startswith("demo-principles-")
    assert _page_size(pdf) == "A4"
    text = _text(pdf)
    assert DOCUMENT_TITLE in text and "Queen Mary and Tower Hamlets CVS" in text
    assert "Appendix A: every post-it, by column" in text
    with Store.in_data_dir(data) as store:
        assert [w.title for w in store.list_workshops()] == ["Demo: equitable partnership workshop"]
