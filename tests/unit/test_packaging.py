"""What the installer is made from: one version, the desktop entry, the icons, the spec.

The built folder itself (size, no other Qt binding, the frozen smoke test) is checked by
`make installer-smoke` after every build, so these tests do not need a build.
"""

from __future__ import annotations

import ast
import configparser
import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import workshopkit
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build_installer.spec"
DESKTOP = ROOT / "assets" / "workshopkit.desktop"


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _spec_value(name: str) -> ast.expr:
    """What is assigned to ``name`` at the spec's top level."""
    for node in _spec_tree().body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def _strings(node: ast.expr) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)}


def test_version_comes_from_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "workshopkit.__version__"}


def test_version_option_prints_the_installed_version():
    result = subprocess.run([sys.executable, "-m", "workshopkit", "--version"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    installed = importlib.metadata.version("workshopkit")
    assert result.stdout.strip() == f"workshopkit {installed}"
    assert installed == workshopkit.__version__


def test_desktop_entry_is_valid():
    validate = require_tool("desktop-file-validate")
    result = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error:" not in result.stdout + result.stderr


def test_desktop_entry_starts_the_installed_app_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    fields = entry["Desktop Entry"]
    assert fields["Type"] == "Application"
    assert fields["Exec"] == "workshopkit"
    assert fields["Icon"] == "workshopkit"
    assert fields["Terminal"] == "false"
    assert fields["Categories"] == "Office;Presentation;"  # one main category: listed once
    assert "workshop" in fields["Keywords"].split(";")


@pytest.mark.parametrize("name, image_format", [("workshopkit.ico", "ICO"),
                                                 ("workshopkit.icns", "ICNS")])
def test_icons_are_made_from_the_app_icon_at_256_px(name: str, image_format: str):
    from PIL import Image

    with Image.open(ROOT / "assets" / name) as icon:
        assert icon.format == image_format
        if image_format == "ICO":
            assert (256, 256) in icon.info["sizes"] and (16, 16) in icon.info["sizes"]
        else:
            assert (256, 256, 1) in icon.info["sizes"]
        icon.load()
        assert icon.mode == "RGBA"


def test_spec_never_uses_upx():
    upx = [kw.value for node in ast.walk(_spec_tree()) if isinstance(node, ast.Call)
           for kw in node.keywords if kw.arg == "upx"]
    assert upx and all(isinstance(v, ast.Constant) and v.value is False for v in upx)


def test_spec_excludes_the_other_qt_bindings_and_tk():
    assert {"PyQt5", "PyQt6", "PySide2", "tkinter"} <= _strings(_spec_value("EXCLUDES"))


def test_spec_keeps_exactly_the_qt_modules_the_app_imports():
    """Import a new Qt module in the app and this fails until the spec keeps it too."""
    package = Path(workshopkit.__file__).parent
    used: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("PySide6.Qt"):
                    used.add(name.split(".")[1])
            if isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                used.update(a.name for a in node.names if a.name.startswith("Qt"))
    kept = ast.literal_eval(_spec_value("QT_USED"))
    assert used == kept
    every = {name for text in _strings(_spec_value("QT_ALL")) for name in text.split()}
    assert kept < every  # the rest of QT_ALL is excluded
