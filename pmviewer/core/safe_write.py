"""Writing output files so a failure never leaves a half-written file behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from pmviewer.core.errors import StorageError


def _message(path: Path, error: OSError) -> str:
    if isinstance(error, NotReplaceable):
        return error.message
    if error.errno == errno.ENOSPC:
        return f"{path.name} could not be saved because the disk is full. Free some space and try again."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path.name} could not be saved: you may not write to {path.parent}. Choose another folder."
    if error.errno == errno.ENOENT:
        return f"{path.name} could not be saved: the folder {path.parent} does not exist."
    if error.errno in (errno.EBUSY, errno.ETXTBSY):
        return f"{path.name} is open in another program. Close it there and try again."
    return f"{path.name} could not be saved ({error.strerror or error}). Choose another location."


class NotReplaceable(OSError):
    """The path exists but is not a regular file this user may overwrite."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EPERM, message)
        self.message = message


def _existing_mode(target: Path) -> int | None:
    """Permission bits of the file ``target`` will replace (None: a new file).

    Refuses what a save must never replace: a device (``/dev/null`` replaced by a regular file
    when run as root), a folder, a pipe or socket, and a read-only file (also as root, who may
    write anything: the owner's write bit is what the user set).
    """
    try:
        st = os.stat(target)  # follows links: the file a link points to is what is replaced
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device or special file"
        raise NotReplaceable(
            f"{target.name} could not be saved: {target} is {kind}, not an ordinary file. "
            "Choose another file name."
        )
    if not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise NotReplaceable(
            f"{target.name} could not be saved: the existing file is read-only, so it was left "
            "unchanged. Choose another file name, or make the file writable first."
        )
    return stat.S_IMODE(st.st_mode)


def replace_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a private (0600) temporary file beside ``path``, fsync it, then
    rename it over ``path``. An existing file stays intact when anything fails, and keeps its
    permissions; only a regular file the user may write is replaced (:class:`NotReplaceable`).

    Raises
    ------
    OSError
        As raised by the system; callers turn it into a message for the counselor.
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()  # replace the file the link points to, keep the link
    mode = _existing_mode(target)
    tmp_name = None
    try:
        # mkstemp creates the file readable by its owner only
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
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
