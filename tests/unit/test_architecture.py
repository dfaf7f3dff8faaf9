"""Qt stays in ui/ (and the composition root): the core is usable headless and testable."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import workshopkit

PACKAGE = Path(workshopkit.__file__).parent
QT_ALLOWED = {PACKAGE / "app.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_outside_ui_imports_pyside6() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (PACKAGE / "ui") in path.parents or path in QT_ALLOWED:
            continue
        if any(name == "PySide6" or name.startswith("PySide6.") for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_core_modules_load_without_qt() -> None:
    """Importing the core (and running the CLI's headless code) never loads PySide6."""
    code = (
        "import sys\n"
        "import workshopkit.cli, workshopkit.store, workshopkit.model, workshopkit.exercises\n"
        "import workshopkit.exercises.demo, workshopkit.export.csvfile\n"
        "print('PySide6' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_detector_catches_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6.QtCore" in _imports(sample)
