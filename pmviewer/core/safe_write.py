"""Writing output files so a failure never leaves a half-written file behind."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from pmviewer.core.errors import StorageError


def _message(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return f"{path.name} could not be saved because the disk is full. Free some space and try again."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path.name} could not be saved: you may not write to {path.parent}. Choose another folder."
    if error.errno == errno.ENOENT:
        return f"{path.name} could not be saved: the folder {path.parent} does not exist."
    if error.errno in (errno.EBUSY, errno.ETXTBSY):
        return f"{path.name} is open in another program. Close it there and try again."
    return f"{path.name} could not be saved ({error.strerror or error}). Choose another location."


def replace_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a private (0600) temporary file beside ``path``, fsync it, then
    rename it over ``path``. An existing file stays intact when anything fails.

    Raises
    ------
    OSError
        As raised by the system; callers turn it into a message for the counselor.
    """
    target = Path(path)
    tmp_name = None
    try:
        # mkstemp creates the file readable by its owner only
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """:func:`replace_file`, with failures raised as :class:`StorageError` in plain words."""
    try:
        replace_file(path, data)
    except OSError as error:
        raise StorageError(_message(Path(path), error)) from error
