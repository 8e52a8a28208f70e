"""Errors of the review store, and the translation of SQLite/OS failures into counselor words.

Every message says what happened and what to do, and reassures where it is true: a failed
change is rolled back as a whole, so everything saved before it is still there.
"""

from __future__ import annotations

import errno
import sqlite3

from pmviewer.core.errors import PmviewerError, StorageError


class ReviewValueError(PmviewerError):
    """A review change was refused because a value is missing or not allowed."""


class CaseLocked(PmviewerError):
    """The case was approved (final); changes need an amendment first."""


class SignOffError(PmviewerError):
    """A sign-off step was asked for out of order (approval before review, blank name)."""


class CaseStorageError(StorageError):
    """A :class:`StorageError` that also says which kind of failure it was.

    ``kind`` is one of ``"disk_full"``, ``"locked"``, ``"read_only"``, ``"missing"``,
    ``"corrupt"``, ``"io"``; the UI may use it to choose an icon, the message is complete on its own.
    """

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


_SAFE = "your earlier decisions are safe."

_MESSAGES = {
    "disk_full": (
        "pmviewer could not {action} because the disk is full. Free some space, then try "
        "again; " + _SAFE
    ),
    "locked": (
        "pmviewer could not {action} because the case file is in use by another pmviewer "
        "window or program. Close the other window (or wait a moment) and try again; " + _SAFE
    ),
    "read_only": (
        "pmviewer could not {action} because the folder for review cases ({where}) cannot be "
        "written to. Ask your IT support to give your account write access to it; " + _SAFE
    ),
    "missing": (
        "pmviewer could not {action} because the folder {where} does not exist (was a drive "
        "disconnected?). Choose another folder and try again; " + _SAFE
    ),
    "corrupt": (
        "pmviewer could not {action} because the case file ({where}) is damaged. Do not "
        "delete it; contact your IT support, who can restore it from a backup."
    ),
    "io": (
        "pmviewer could not {action} because the computer reported a problem writing to the "
        "disk ({where}). Check that the drive is connected and try again; " + _SAFE
    ),
}

# SQLite primary result codes (https://www.sqlite.org/rescode.html).
_BY_CODE = {
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    8: "read_only",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "disk_full",  # SQLITE_FULL
    14: "read_only",  # SQLITE_CANTOPEN
    23: "read_only",  # SQLITE_AUTH
    26: "corrupt",  # SQLITE_NOTADB
}


def storage_error(exc: BaseException, action: str, where: object) -> CaseStorageError:
    """Translate ``exc`` (``sqlite3.Error`` or ``OSError``) into a :class:`CaseStorageError`.

    Parameters
    ----------
    exc
        The low-level failure.
    action
        What the user was doing, as a verb phrase: ``"save your change"``.
    where
        The case folder or file, named in messages that need the user to find it.
    """
    kind = "io"
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            kind = _BY_CODE.get(code & 0xFF, "io")
        else:  # older Python: fall back to the message text
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                kind = "locked"
            elif "full" in text:
                kind = "disk_full"
            elif "readonly" in text or "unable to open" in text:
                kind = "read_only"
            elif "malformed" in text or "not a database" in text:
                kind = "corrupt"
    elif isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            kind = "disk_full"
        elif exc.errno == errno.ENOENT:
            kind = "missing"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST):
            kind = "read_only"
    message = _MESSAGES[kind].format(action=action, where=where)
    err = CaseStorageError(message, kind)
    err.__cause__ = exc
    return err
