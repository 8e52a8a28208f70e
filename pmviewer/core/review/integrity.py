"""Damage to the case store is found at open, said exactly, and a good backup is offered.

Before the store is opened, :func:`check_store` looks at the file: a 0-byte file (SQLite would
silently treat it as a new, empty store: every case gone without a word), a file SQLite cannot
read, or one whose ``PRAGMA quick_check`` finds damaged pages (a flipped byte, a zeroed page)
raises :class:`CaseStoreDamaged`, which names the problem, touches nothing and lists the
backups. After a good open, :func:`backup_store` copies the store with SQLite's online backup
API (a consistent copy even while another window writes) into ``backups/`` next to it,
keeping the last :data:`KEEP` copies. :func:`restore_backup` puts a backup in place, keeping
the damaged file beside it under a dated name.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pmviewer.core.review.errors import CaseStorageError

KEEP = 5
BACKUP_FOLDER = "backups"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26  # https://www.sqlite.org/rescode.html


@dataclass(frozen=True)
class BackupInfo:
    """One backup of the case store."""

    path: Path
    taken_at: datetime  # UTC
    cases: int

    def describe(self) -> str:
        when = self.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{when}, {self.cases} case{'s' if self.cases != 1 else ''}"


class CaseStoreDamaged(CaseStorageError):
    """The case store is damaged; nothing was changed. ``backups``: newest first."""

    def __init__(self, message: str, store: Path, backups: list[BackupInfo]) -> None:
        super().__init__(message, "corrupt")
        self.store = store
        self.backups = backups


def backups_of(store: Path) -> list[BackupInfo]:
    """The store's readable backups, newest first."""
    folder = store.parent / BACKUP_FOLDER
    found: list[BackupInfo] = []
    try:
        candidates = sorted(folder.glob(f"{store.stem}-*.sqlite"), reverse=True)
    except OSError:
        return []
    for path in candidates:
        stamp = path.stem[len(store.stem) + 1 :]
        try:
            taken = datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    continue
                cases = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
            finally:
                conn.close()
        except (ValueError, sqlite3.Error, OSError):
            continue  # not a backup we wrote, or itself damaged
        found.append(BackupInfo(path, taken, cases))
    return found


def _problem(store: Path) -> str | None:
    """What is wrong with the existing store file, in words; None when it is sound."""
    try:
        size = store.stat().st_size
    except OSError:
        return None  # missing (a new store) or unreachable: opening it says which
    if size == 0:
        return "the file is empty (0 bytes), so every case in it is gone from this file"
    try:
        conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None  # cannot be opened at all (permissions, a locked drive): opening says why
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", None)
        text = str(error).lower()
        if code is not None and code & 0xFF not in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return None  # not damage: no access to the folder, busy, read-only (said at open)
        if code is None and "malformed" not in text and "not a database" not in text:
            return None
        if "not a database" in text or (code is not None and code & 0xFF == _SQLITE_NOTADB):
            return "it is no longer a readable database (its first page is damaged)"
        return "parts of it cannot be read (damaged pages)"
    finally:
        conn.close()
    if rows != ["ok"]:
        return f"the database check found {len(rows)} damaged place(s) in it"
    return None


def check_store(store: Path) -> None:
    """Refuse a damaged store with :class:`CaseStoreDamaged`; a missing one is fine (new)."""
    problem = _problem(store)
    if problem is None:
        return
    backups = backups_of(store)
    if backups:
        offer = (
            f"The last good backup is from {backups[0].describe()}. Restore it to continue "
            "(decisions made after it must be entered again); the damaged file is kept beside "
            "it for your IT support."
        )
    else:
        offer = (
            "There is no backup of it. Ask your IT support to restore the file from the "
            "computer's backup; or start a new, empty case file (the damaged one is kept)."
        )
    raise CaseStoreDamaged(
        f"The file that holds your review cases ({store}) is damaged: {problem}. pmviewer did "
        f"not change it and did not start an empty one. {offer}",
        store,
        backups,
    )


def backup_store(conn: sqlite3.Connection, store: Path, keep: int = KEEP) -> Path | None:
    """A consistent copy of the open store in ``backups/`` (0600); the oldest beyond ``keep``
    are removed. None when the copy could not be made (the store itself is unaffected)."""
    folder = store.parent / BACKUP_FOLDER
    stamp = datetime.now(timezone.utc).strftime(_STAMP)
    target = folder / f"{store.stem}-{stamp}.sqlite"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        os.close(fd)
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
        finally:
            copy.close()
    except (OSError, sqlite3.Error):
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass
        return None
    for old in sorted(folder.glob(f"{store.stem}-*.sqlite"), reverse=True)[keep:]:
        try:
            old.unlink()
        except OSError:
            pass
    return target


def _set_aside(store: Path) -> Path | None:
    """Rename the damaged store (and its -wal/-shm) to ``<name>.damaged-<time>``."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept = None
    for suffix in ("", "-wal", "-shm"):
        part = store.with_name(store.name + suffix)
        if part.exists():
            aside = store.with_name(f"{store.name}{suffix}.damaged-{stamp}")
            os.replace(part, aside)
            kept = kept or aside
    return kept


def restore_backup(store: Path, backup: BackupInfo | None) -> Path | None:
    """Put ``backup`` in place of the damaged ``store`` (None: start a new, empty store).

    Returns where the damaged file was kept.
    """
    try:
        kept = _set_aside(store)
        if backup is not None:
            fd = os.open(store, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
            os.close(fd)
            source = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
            target = sqlite3.connect(store)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
    except (OSError, sqlite3.Error) as error:
        raise CaseStorageError(
            f"pmviewer could not restore the backup of your review cases ({error}). Nothing "
            "else was changed; contact your IT support.",
            "io",
        ) from error
    return kept
