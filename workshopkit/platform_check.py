"""Before Qt starts on Linux: name the Debian packages it needs instead of a bare Qt abort."""

from __future__ import annotations

import ctypes
import os
import sys

# Shared library (soname) -> Debian package, for Qt's xcb (X11) platform and its core needs.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
CORE_LIBRARIES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _loadable(soname: str) -> bool:
    """Whether the dynamic loader finds the library, as it will when Qt asks (fast: no subprocess)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_packages(platform: str | None = None) -> list[str]:
    """Debian packages whose libraries Qt will need on this machine but cannot find."""
    if not sys.platform.startswith("linux"):
        return []
    platform = platform if platform is not None else os.environ.get("QT_QPA_PLATFORM", "")
    wanted = dict(CORE_LIBRARIES)
    if platform in ("", "xcb") and not os.environ.get("WAYLAND_DISPLAY"):
        wanted.update(XCB_LIBRARIES)
    return sorted({pkg for lib, pkg in wanted.items() if not _loadable(lib)})


def display_problem() -> str | None:
    """A sentence explaining why no window can open, or None when one can."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc", "eglfs", "linuxfb")):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "No screen was found (DISPLAY and WAYLAND_DISPLAY are not set). Run workshopkit from a "
        "desktop session, or use xvfb-run, or set QT_QPA_PLATFORM=offscreen for a headless run."
    )


def explain_missing(packages: list[str]) -> str:
    return (
        "workshopkit cannot start its window: Qt needs system libraries that are missing.\n"
        "On Debian or Ubuntu, install them with:\n\n"
        f"    sudo apt-get install {' '.join(packages)}\n"
    )
