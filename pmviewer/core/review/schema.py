"""The review store's SQLite file: where it lives, how it is opened, and its tables.

Layout: one database, ``<data_dir>/cases/store.sqlite``, for every case on this workstation.

*Why one database and not one file per case.* Cross-patient memory ("this variant was
classified in an earlier case") is a single indexed lookup, ``decisions(finding_id)``, across
all cases; with one file per case it would need a second, shared index kept in step with the
case files, and a crash between the two writes would make them disagree. One file gives one
transaction per change (decision, audit row and amendment note commit together or not at
all), one set of permissions to guard (folder 0700, file 0600: the SQLite ``-wal``/``-shm``
files inherit the database file's mode), and one place for IT to back up. Cases stay
separate by key: ``UNIQUE(sha256, sample)``.

*Durability.* The journal is WAL and ``synchronous=FULL``. With WAL, ``NORMAL`` already
survives the application being killed, but a power cut or OS crash may roll back the last
few commits (https://www.sqlite.org/pragma.html#pragma_synchronous). A counselor who has
seen a decision take effect must find it after a power cut, so every commit waits for the
WAL to reach the disk. The price is one fsync per click (a few milliseconds), which no one
notices at the pace of manual review. ``fullfsync`` asks macOS to flush the drive cache too
(ignored elsewhere).

*Append-only.* Triggers refuse UPDATE and DELETE on ``audit`` and ``amendment_changes``, and
allow an amendment row to change only once, when it is closed. This guards against
programming mistakes and casual edits; anyone who owns the file can still drop a trigger,
so the audit trail is evidence kept by the application, not a security boundary.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pmviewer.core.errors import StorageError
from pmviewer.core.model import DECISIONS, REPORT_STATUSES
from pmviewer.core.review.errors import storage_error

SCHEMA_VERSION = 1
STORE_FILE = "store.sqlite"
CASES_FOLDER = "cases"

_decisions = ", ".join(f"'{d}'" for d in DECISIONS)
_statuses = ", ".join(f"'{s}'" for s in REPORT_STATUSES)

SCHEMA = f"""
CREATE TABLE cases (
    case_id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    sample TEXT NOT NULL,             -- '' when the file has no sample column chosen
    input_name TEXT NOT NULL,         -- file name only, for "earlier version of this file"
    build TEXT NOT NULL,
    knowledge_version TEXT NOT NULL,  -- version used when the case was last opened
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    patient TEXT NOT NULL DEFAULT '{{}}',  -- PatientDetails as JSON
    report_options TEXT NOT NULL DEFAULT '{{}}',  -- optional report sections, JSON
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ({_statuses})),
    reviewer TEXT NOT NULL DEFAULT '',
    reviewer_credentials TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT NOT NULL DEFAULT '',
    approver TEXT NOT NULL DEFAULT '',
    approver_credentials TEXT NOT NULL DEFAULT '',
    approved_at TEXT NOT NULL DEFAULT '',
    UNIQUE (sha256, sample)
);
CREATE INDEX cases_by_name ON cases (input_name);

CREATE TABLE decisions (
    case_id INTEGER NOT NULL REFERENCES cases (case_id),
    finding_id TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT 'undecided' CHECK (decision IN ({_decisions})),
    classification_override TEXT,
    override_reason TEXT,
    comment TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, finding_id),
    CHECK (classification_override IS NULL OR length(trim(override_reason)) > 0)
) WITHOUT ROWID;
-- cross-patient memory: one index seek per finding, newest first
CREATE INDEX decisions_by_finding ON decisions (finding_id, updated_at);

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (case_id),
    time TEXT NOT NULL,
    os_user TEXT NOT NULL,
    finding_id TEXT,                  -- NULL for case-level changes (patient, sign-off)
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX audit_by_case ON audit (case_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE amendments (
    amendment_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (case_id),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    closed_at TEXT                    -- set once, when the amendment is approved
);
CREATE INDEX amendments_by_case ON amendments (case_id, amendment_id);
CREATE TRIGGER amendments_close_once BEFORE UPDATE ON amendments
WHEN OLD.closed_at IS NOT NULL OR NEW.reason IS NOT OLD.reason
  OR NEW.opened_at IS NOT OLD.opened_at OR NEW.case_id IS NOT OLD.case_id
BEGIN SELECT RAISE(ABORT, 'an amendment can only be closed, once'); END;
CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;

CREATE TABLE amendment_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    amendment_id INTEGER NOT NULL REFERENCES amendments (amendment_id),
    text TEXT NOT NULL
);
CREATE INDEX amendment_changes_by_amendment ON amendment_changes (amendment_id, seq);
CREATE TRIGGER amendment_changes_no_update BEFORE UPDATE ON amendment_changes
BEGIN SELECT RAISE(ABORT, 'amendment changes are append-only'); END;
CREATE TRIGGER amendment_changes_no_delete BEFORE DELETE ON amendment_changes
BEGIN SELECT RAISE(ABORT, 'amendment changes are append-only'); END;
"""


def default_store_path() -> Path:
    """``<user data folder>/cases/store.sqlite`` (``PMVIEWER_HOME`` relocates it)."""
    from pmviewer.core import paths

    try:
        return paths.data_dir() / CASES_FOLDER / STORE_FILE
    except OSError as exc:
        raise storage_error(exc, "open the review cases", "the pmviewer data folder") from exc


def _make_private(path: Path) -> None:
    """Create the folder (0700) and an empty database file (0600) before SQLite sees them.

    The file is created by us with mode 0600 so it is never readable by others, not even for
    the instant between creation and a later chmod. On Windows ``chmod`` only toggles the
    read-only flag; the per-user profile folder already keeps other users out.
    """
    folder = path.parent
    created = not folder.exists()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if created or folder.name == CASES_FOLDER:
        # our own folder is tightened even if an older install made it wider; a folder the
        # user chose for a custom store path is theirs and left as it is
        os.chmod(folder, 0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        candidate = folder / name
        if candidate.exists():
            os.chmod(candidate, 0o600)


def connect(path: Path, busy_timeout_ms: int = 5000) -> sqlite3.Connection:
    """Open (creating if needed) the store at ``path`` with the pragmas described above.

    Raises
    ------
    StorageError
        The folder cannot be created or written, the file is damaged, or it was written by
        a newer pmviewer.
    """
    try:
        _make_private(path)
        conn = sqlite3.connect(
            path, isolation_level=None, timeout=busy_timeout_ms / 1000, check_same_thread=True
        )
    except (OSError, sqlite3.Error) as exc:
        raise storage_error(exc, "open the review cases", path.parent) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            # e.g. a network share without shared-memory support; still correct, just slower
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA fullfsync = ON")
        conn.execute("PRAGMA checkpoint_fullfsync = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise storage_error(exc, "open the review cases", path) from exc
    except StorageError:
        conn.close()
        raise
    _make_private(path)  # -wal/-shm now exist; make sure they are private too
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Create the tables on first use; refuse a file written by a newer pmviewer."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StorageError(
            "The review cases on this computer were saved by a newer version of pmviewer. "
            "Install that version (or newer) to open them; nothing was changed."
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        # re-read inside the write lock: another window may have created the tables
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            for statement in _split(SCHEMA):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split(script: str) -> list[str]:
    """Split the schema into statements (``executescript`` would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
