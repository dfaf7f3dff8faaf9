"""Where the workshop library lives: --data-dir, then WORKSHOPKIT_DATA_DIR, then the user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATA_DIR = "WORKSHOPKIT_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("workshopkit", appauthor=False))


def resource_root() -> Path:
    """The folder holding ``assets/`` and ``templates/``: the checkout, or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    return resource_root() / "assets"


def templates_dir() -> Path:
    return resource_root() / "templates"
