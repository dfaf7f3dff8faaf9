"""`workshopkit serve` and `workshopkit qr`, and the QR files decoded back by real tools."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.join.helpers import Phone
from workshopkit.cli import main
from workshopkit.export.qr import QrExportError, qr_matrix, write_qr
from workshopkit.store import Store

URL = "http://192.168.4.20:8765/j/abcdefghjkmnp"


def _readline(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            process.kill()
            process.communicate()
            raise AssertionError(f"no output within {timeout} s")
    return process.stdout.readline()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_the_join_url_and_stops_cleanly(store: Store, data_dir: Path,
                                                     stop_signal: signal.Signals) -> None:
    workshop = store.create_workshop("Served")
    token = store.join_settings(workshop.id).token
    process = subprocess.Popen(
        [sys.executable, "-m", "workshopkit", "serve", str(workshop.id), "--host", "127.0.0.1",
         "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = _readline(process, 30).strip()
        match = re.fullmatch(rf"Join: http://127\.0\.0\.1:(\d+)/j/{token}", line)
        assert match, line
        phone = Phone(f"http://127.0.0.1:{match.group(1)}")
        reply = phone.post_json(f"/api/j/{token}/postits", {"text": "Headless", "column": "civic"})
        assert reply.status == 201
        assert [p.text for p in store.list_postits(workshop.id)] == ["Headless"]
        process.send_signal(stop_signal)
        _out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Stopped" in err
    # like the app, serving makes today's backup of the library before phones write to it
    from workshopkit.backup import list_backups

    assert [b.kind for b in list_backups(store.path)] == ["daily"]


def test_serve_refuses_an_unknown_workshop(data_dir: Path) -> None:
    assert main(["serve", "999", "--host", "127.0.0.1", "--port", "0",
                 "--data-dir", str(data_dir)]) == 1


def test_qr_matrix_has_a_quiet_border() -> None:
    matrix = qr_matrix(URL)
    size = len(matrix)
    assert size >= 21 + 8 and all(len(row) == size for row in matrix)
    for i in range(4):
        assert not any(matrix[i]) and not any(matrix[-1 - i])
        assert not any(row[i] for row in matrix) and not any(row[-1 - i] for row in matrix)
    assert matrix[4][4] and matrix[4][10]  # the top-left finder pattern


def test_png_decodes_back_to_the_url(tmp_path: Path) -> None:
    zbarimg = require_tool("zbarimg")
    path = write_qr(URL, tmp_path / "join.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    out = subprocess.run([zbarimg, "--quiet", "--raw", str(path)], capture_output=True,
                         text=True, timeout=30, check=True)
    assert out.stdout.strip() == URL


def test_svg_is_a_filled_vector_image(tmp_path: Path) -> None:
    path = write_qr(URL, tmp_path / "join.svg")
    root = ET.fromstring(path.read_bytes())
    assert root.tag.endswith("svg")
    assert any(el.tag.endswith("path") for el in root.iter())


def test_pdf_poster_has_title_url_code_and_a_scannable_qr(tmp_path: Path) -> None:
    pdftotext = require_tool("pdftotext")
    pdftoppm = require_tool("pdftoppm")
    zbarimg = require_tool("zbarimg")
    title = "Gŵyl partneriaeth <b>&amp;</b> ŷ"
    path = write_qr(URL, tmp_path / "poster.pdf", title=title)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True,
                          timeout=30, check=True).stdout
    assert URL in text
    assert "Gŵyl partneriaeth" in text and "<b>&amp;</b> ŷ" in text
    assert "abcd-efgh-jkmnp" in text
    assert "Scan the code" in text
    subprocess.run([pdftoppm, "-png", "-r", "100", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True, timeout=60, capture_output=True)
    decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(tmp_path / "page.png")],
                             capture_output=True, text=True, timeout=30, check=True)
    assert decoded.stdout.strip() == URL


def test_an_unknown_suffix_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(QrExportError, match=r"\.png, \.svg or \.pdf"):
        write_qr(URL, tmp_path / "join.txt")
    assert not (tmp_path / "join.txt").exists()


def test_qr_command_writes_each_format(store: Store, data_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    workshop = store.create_workshop("Poster day")
    token = store.join_settings(workshop.id).token
    for name in ("join.png", "join.svg", "join.pdf"):
        out = tmp_path / name
        assert main(["qr", str(workshop.id), "--out", str(out), "--host", "10.1.2.3",
                     "--port", "8800", "--data-dir", str(data_dir)]) == 0
        assert out.stat().st_size > 200
    printed = capsys.readouterr().out
    assert f"http://10.1.2.3:8800/j/{token}" in printed
    assert main(["qr", str(workshop.id), "--out", str(tmp_path / "x.doc"),
                 "--data-dir", str(data_dir)]) == 1
    assert "end the file name with .png" in capsys.readouterr().err
    assert main(["qr", "999", "--out", str(tmp_path / "y.png"), "--data-dir", str(data_dir)]) == 1


def test_the_join_package_never_imports_qt() -> None:
    code = ("import sys, workshopkit.join.server, workshopkit.join.runner, workshopkit.join.net,"
            " workshopkit.export.qr\nprint(json.dumps('PySide6' in sys.modules))")
    result = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is False
