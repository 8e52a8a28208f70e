"""The error log: where unexpected faults are written for support, without patient data.

The log lives in a private folder (0700) as a private file (0600). An entry holds the time,
the pmviewer version, the exception's type and the code locations of its traceback; never the
exception's message, argument values or file paths outside pmviewer, which may carry a patient
name, a sample name or a path such as ``/cases/Jane_Doe/``.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime, timezone
from pathlib import Path

from pmviewer import __version__
from pmviewer.core.paths import data_dir

_PACKAGE = Path(__file__).resolve().parents[1]


def error_log_path() -> Path:
    return data_dir() / "logs" / "pmviewer-errors.log"


def _where(filename: str) -> str:
    """A code location that names no user folder: inside pmviewer relative to the package,
    elsewhere (Python, libraries) the file name only."""
    path = Path(filename)
    try:
        return "pmviewer/" + path.resolve().relative_to(_PACKAGE).as_posix()
    except (ValueError, OSError):
        return path.name


def redacted_traceback(error: BaseException) -> str:
    """The traceback's code locations and the exception's type, without any message text."""
    lines = ["Traceback (most recent call last):\n"]
    for frame in traceback.extract_tb(error.__traceback__):
        lines.append(f"  {_where(frame.filename)}:{frame.lineno} in {frame.name}\n")
    lines.append(f"{type(error).__module__}.{type(error).__qualname__} (message withheld)\n")
    return "".join(lines)


def append_error(error: BaseException) -> Path | None:
    """Append an entry for ``error``; returns the log's path, None when it cannot be written."""
    path = error_log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)  # also an older folder created 0755
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            text = f"--- {stamp} pmviewer {__version__}\n{redacted_traceback(error)}"
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        return None
    return path
