"""Writing an export file whole or not at all, with a sentence for the user if it fails."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workshopkit.store import StoreError, _translate


def write_atomically(path: Path | str, data: bytes, what: str) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A reader never sees half a file, and a failure (a full disk, a folder that cannot be
    written) leaves any earlier file untouched and raises a ``StoreError`` naming ``what``.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, _file_mode(target))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _translate(exc, target) or StoreError(
            f"The {what} could not be written to {target}: {exc.strerror or exc}."
        ) from exc
    return target


def _file_mode(target: Path) -> int:
    """Keep the mode of a file being replaced; a new file is readable by others, as usual
    (``mkstemp`` alone would leave it private to its owner)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644
