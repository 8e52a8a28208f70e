"""The review store: what the counselor decides about each finding, saved as it happens.

A :class:`ReviewStore` is the SQLite file of all cases on this workstation (layout, durability
and permissions are explained in :mod:`pmviewer.core.review.schema`). A :class:`ReviewCase`
is one input file + sample, keyed by the file's SHA-256: opening the same file again restores
the case, and a changed file with the same name is a different case
(:meth:`ReviewStore.other_versions` tells the user an earlier version was reviewed).

Every setter is one transaction: the change, its audit rows and (during an amendment) its
note in words commit together, at once. There is no Save button and nothing to lose when
the program is killed. Typical use from a window::

    store = ReviewStore()                                   # once per window
    case = store.open_case(findings.input_sha256, findings.sample, input_path.name,
                           findings.build, str(findings.knowledge.get("version", "")))
    if store.other_versions(input_path.name, findings.input_sha256): ...  # tell the user
    case.set_labels(labels_from_findings(findings.frame))   # words for amendment notes
    case.subscribe(on_change)                               # ChangeEvent after each commit
    case.set_decision(fid, "include"); case.set_decisions(selected_ids, "exclude")
    case.set_override(fid, "Likely pathogenic", reason); case.set_comment(fid, text)
    case.decisions(); case.decision(fid); case.patient(); case.set_patient(details)
    case.earlier_decisions(fid); case.reuse_classification(fid, earlier)
    case.sign_review("A. Counselor", "MS, CGC"); case.approve("B. Director", "PhD")
    case.start_amendment("Classification updated"); ...; case.approve(...)
    case.signoff(); case.audit_log(fid); case.locked; case.amendment_open
    decisions_frame(findings.frame, case.decisions())      # review columns for the table

Before a final export: :func:`pmviewer.core.patient.report_check`; to save or reload a review
as a file: :mod:`pmviewer.core.review.export`.

Status: ``draft`` -> (approve) ``final`` (locked) -> (start_amendment) ``draft`` with an open
amendment -> (approve) ``amended`` (locked). While an amendment is open the status is
``draft`` on purpose: a report printed then must not claim to be approved.

Errors: :class:`CaseLocked` (approved case), :class:`ReviewValueError` (value refused, e.g.
an override without a reason), :class:`SignOffError` (sign-off out of order),
:class:`CaseStorageError` (a ``StorageError``: disk full, file in use, folder read-only);
after any of them the case is exactly as it was before the call.

Two windows may open the same case: each change is checked against the stored state inside
its transaction (an approval in one window locks the other), but a window does not see the
other's changes until it reads again.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path, PurePath

from pmviewer.core.review.audit import AuditRow, now_utc, os_user
from pmviewer.core.review.audit import append as audit_append
from pmviewer.core.review.case import ReviewCase, case_info_from_row, case_info_sql
from pmviewer.core.review.errors import (
    CaseLocked,
    CaseStorageError,
    ReviewValueError,
    SignOffError,
    storage_error,
)
from pmviewer.core.review.integrity import backup_store, check_store
from pmviewer.core.review.memory import EarlierDecision
from pmviewer.core.review.memory import earlier_decisions as memory_query
from pmviewer.core.review.schema import default_store_path
from pmviewer.core.review.types import (
    CaseInfo,
    ChangeEvent,
    decisions_frame,
    labels_from_findings,
)
from pmviewer.core.review.unit_of_work import CaseDatabase

__all__ = [
    "AuditRow",
    "CaseInfo",
    "CaseLocked",
    "CaseStorageError",
    "ChangeEvent",
    "EarlierDecision",
    "ReviewCase",
    "ReviewStore",
    "ReviewValueError",
    "SignOffError",
    "decisions_frame",
    "labels_from_findings",
]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ReviewStore:
    """All review cases on this workstation, in one private SQLite file.

    Parameters
    ----------
    path
        The database file; default ``<user data folder>/cases/store.sqlite``.
    busy_timeout_ms
        How long a change waits for another pmviewer window holding the file before it
        fails with a :class:`~pmviewer.core.errors.StorageError`.

    Use from one thread (the UI thread); the connection is not shared with workers.
    """

    def __init__(self, path: str | Path | None = None, *, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        check_store(self.path)  # damage is said, never silently replaced by an empty store
        self.db = CaseDatabase(self.path, busy_timeout_ms)
        conn = self.db.connection
        if conn.execute("SELECT count(*) FROM cases").fetchone()[0]:
            backup_store(conn, self.path)  # rotating; the last good copy to offer

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        """Close the store's connection."""
        self.db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection (WAL) of the store."""
        return self.db.connection

    # -- cases ----------------------------------------------------------------------------
    def open_case(
        self,
        sha256: str,
        sample: str | None,
        input_name: str,
        build: str,
        knowledge_version: str,
        user: str | None = None,
    ) -> ReviewCase:
        """Open the case of this file content and sample, creating it on first use.

        Parameters
        ----------
        sha256
            SHA-256 of the input file (64 hex digits): the identity of the case.
        sample
            The sample reviewed (``None`` for a file whose only sample was used unnamed).
        input_name
            The file's name; only the last path component is kept.
        build, knowledge_version
            Recorded with the case; a later opening with another knowledge version is noted
            in the audit trail (and updates the case unless it is locked).
        user
            Who is working, for the audit trail; default: the operating-system login.
        """
        case_id, who = _open_case_row(
            self.db, sha256, sample, input_name, build, knowledge_version, user
        )
        return ReviewCase(self.db, int(case_id), who)

    def find_case(self, sha256: str, sample: str | None) -> CaseInfo | None:
        """The case of this file content and sample, or ``None`` (does not create one)."""
        rows = self.db.read(
            case_info_sql("WHERE c.sha256 = ? AND c.sample = ?"),
            (str(sha256).lower(), sample or ""),
        )
        return case_info_from_row(rows[0]) if rows else None

    def find_cases_by_name(self, input_name: str) -> list[CaseInfo]:
        """Every case whose input file had this name (any content), newest first."""
        name = PurePath(str(input_name)).name
        rows = self.db.read(
            case_info_sql("WHERE c.input_name = ?") + " ORDER BY c.updated_at DESC, c.case_id DESC",
            (name,),
        )
        return [case_info_from_row(r) for r in rows]

    def other_versions(self, input_name: str, sha256: str) -> list[CaseInfo]:
        """Cases for a *different* file content with the same name.

        When non-empty, tell the user: "an earlier case for a different version of this file
        exists"; its decisions are not carried over automatically.
        """
        sha = str(sha256).lower()
        return [c for c in self.find_cases_by_name(input_name) if c.sha256 != sha]

    def earlier_decisions(
        self, finding_id: str, exclude_case: ReviewCase | int | None = None
    ) -> list[EarlierDecision]:
        """What was decided about ``finding_id`` in other cases, newest first.

        No patient identifiers are returned (see :mod:`pmviewer.core.review.memory`).
        """
        exclude = exclude_case.case_id if isinstance(exclude_case, ReviewCase) else exclude_case
        try:
            return memory_query(self.connection, finding_id, exclude)
        except sqlite3.Error as exc:
            raise storage_error(exc, "look up earlier cases", self.path.parent) from exc


def prepare_case(
    path: str | Path, sha256: str, sample: str | None, details: tuple[str, str, str]
) -> None:
    """Create the case that :meth:`ReviewStore.open_case` will open, if it is new, on a
    connection of its own: a worker calls it, so the window's ``open_case`` then only reads
    (the first commit of a new case waits for the disk, a tenth of a second or more). An
    existing case is left as it is: ``open_case`` records what changed. ``details``: the
    input name, build and knowledge version, as ``open_case`` takes them; raises what it
    raises."""
    db = CaseDatabase(Path(path), 5000)
    try:
        found = db.read(
            "SELECT 1 FROM cases WHERE sha256 = ? AND sample = ?",
            (str(sha256 or "").strip().lower(), sample or ""),
        )
        if not found:
            _open_case_row(db, sha256, sample, *details, None)
    finally:
        db.close()


def _open_case_row(
    db: CaseDatabase,
    sha256: str,
    sample: str | None,
    input_name: str,
    build: str,
    knowledge_version: str,
    user: str | None,
) -> tuple[int, str]:
    """The case id of this content and sample (created on first use), and who works."""
    sha = str(sha256 or "").strip().lower()
    if not _SHA256.match(sha):
        raise ReviewValueError(
            "pmviewer could not open a review case because the file's fingerprint "
            "(SHA-256) is missing. Reload the file and try again."
        )
    who = user or os_user()
    key_sample = sample or ""
    name = PurePath(str(input_name)).name if input_name else ""
    build = str(build or "")
    knowledge_version = str(knowledge_version or "")
    with db.transaction("open the review case") as conn:
        row = conn.execute(
            "SELECT case_id, knowledge_version, input_name, status FROM cases "
            "WHERE sha256 = ? AND sample = ?",
            (sha, key_sample),
        ).fetchone()
        now = now_utc()
        if row is None:
            case_id = conn.execute(
                "INSERT INTO cases (sha256, sample, input_name, build, knowledge_version, "
                "created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sha, key_sample, name, build, knowledge_version, now, who, now),
            ).lastrowid
            assert case_id is not None
            audit_append(conn, case_id, who, None, "case", None, f"created for {name}", now)
        else:
            case_id, old_kv, old_name, status = row
            if old_kv != knowledge_version:
                # the audit keeps every version seen; a locked case keeps the version
                # its approved report was made with
                audit_append(conn, case_id, who, None, "knowledge_version", old_kv,
                             knowledge_version, now)  # fmt: skip
                if status == "draft":
                    conn.execute(
                        "UPDATE cases SET knowledge_version = ? WHERE case_id = ?",
                        (knowledge_version, case_id),
                    )
            if name and old_name != name:
                audit_append(conn, case_id, who, None, "input_name", old_name, name, now)
                conn.execute("UPDATE cases SET input_name = ? WHERE case_id = ?", (name, case_id))
    return int(case_id), who
