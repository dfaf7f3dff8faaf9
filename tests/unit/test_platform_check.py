"""`make run` on a Linux machine missing Qt's libraries names the Debian packages to install."""

from __future__ import annotations

import sys

import pytest

from workshopkit import platform_check


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux library lookup")
def test_reports_the_package_of_a_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(platform_check.CORE_LIBRARIES, "libworkshopkit-no-such.so.9", "libnosuch9")
    missing = platform_check.missing_packages(platform="offscreen")
    assert "libnosuch9" in missing
    message = platform_check.explain_missing(missing)
    assert "sudo apt-get install" in message and "libnosuch9" in message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux library lookup")
def test_this_machine_has_what_qt_needs() -> None:
    """The CI machine installs Qt's libraries (.ci/run), so nothing is reported missing."""
    assert platform_check.missing_packages(platform="xcb") == []


def test_no_display_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    if sys.platform.startswith("linux"):
        assert "No screen was found" in (platform_check.display_problem() or "")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.display_problem() is None
