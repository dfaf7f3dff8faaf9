"""Before Qt starts on Linux: name the Debian packages it needs instead of a bare Qt abort."""

from __future__ import annotations

import ctypes.util
import os
import sys

# Shared library -> Debian package, for Qt's xcb (X11) platform plugin and its core needs.
XCB_LIBRARIES: dict[str, str] = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}
CORE_LIBRARIES: dict[str, str] = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "xkbcommon": "libxkbcommon0",
    "dbus-1": "libdbus-1-3",
}


def missing_packages(platform: str | None = None) -> list[str]:
    """Debian packages whose libraries Qt will need on this machine but cannot find."""
    if not sys.platform.startswith("linux"):
        return []
    platform = platform if platform is not None else os.environ.get("QT_QPA_PLATFORM", "")
    wanted = dict(CORE_LIBRARIES)
    if platform in ("", "xcb") and not os.environ.get("WAYLAND_DISPLAY"):
        wanted.update(XCB_LIBRARIES)
    return sorted({pkg for lib, pkg in wanted.items() if ctypes.util.find_library(lib) is None})


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
