"""The one way to change a case: a unit of work inside one SQLite transaction.

:class:`CaseDatabase` is the store's connection with its two primitives, :meth:`~CaseDatabase.read`
and :meth:`~CaseDatabase.transaction`. :class:`CaseWork` is one unit of work on one case: every
change made through it (decision, override, comment, patient, report options, sign-off,
amendment, import) is written with its audit row and, during an amendment, its note in words,
and all of it commits or rolls back together. The change events it collects are delivered to
the case's listeners only after the commit (:meth:`pmviewer.core.review.case.ReviewCase.work`).

Sign-off (:mod:`.signoff`) and import (:mod:`.export`) build on :class:`CaseWork` instead of
reaching into the case or the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

from pmviewer.core.model import Decision, PatientDetails
from pmviewer.core.review.audit import append as audit_append
from pmviewer.core.review.audit import change_words, now_utc
from pmviewer.core.review.errors import CaseLocked, ReviewValueError, storage_error
from pmviewer.core.review.schema import connect
from pmviewer.core.review.types import REPORT_OPTIONS, ChangeEvent

PATIENT_FIELDS = tuple(f.name for f in fields(PatientDetails))
LOCKED_STATUSES = ("final", "amended")
_JSON_COLUMNS = ("patient", "report_options")


class CaseDatabase:
    """The review store's SQLite connection: reads, and whole transactions for changes."""

    def __init__(self, path: Path, busy_timeout_ms: int) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = connect(path, busy_timeout_ms)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ReviewValueError("The review store was closed; open the case again.")
        return self._conn

    def read(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one query; a storage problem becomes a counselor-facing error."""
        try:
            return self.connection.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise storage_error(exc, "read the review case", self.path.parent) from exc

    @contextmanager
    def transaction(self, action: str = "save your change") -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: take the write lock first, commit or roll back whole."""
        conn = self.connection
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise storage_error(exc, action, self.path.parent) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            self._rollback()
            raise  # a broken invariant is a programming error, not a storage problem
        except sqlite3.Error as exc:
            self._rollback()
            raise storage_error(exc, action, self.path.parent) from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        conn = self.connection
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite may already have rolled back (e.g. after SQLITE_FULL)


class CaseWork:
    """One unit of work on one case, inside an open transaction (see :meth:`ReviewCase.work`).

    ``amendment`` is the open amendment's id once :meth:`require_draft` ran (``None`` when no
    amendment is open); notes in words passed to :meth:`record` go to that amendment.
    """

    def __init__(
        self, conn: sqlite3.Connection, case_id: int, user: str, label: Callable[[str], str]
    ) -> None:
        self.conn = conn
        self.case_id = case_id
        self.user = user
        self.label = label
        self.now = now_utc()
        self.amendment: int | None = None
        self.events: list[ChangeEvent] = []

    # -- state ----------------------------------------------------------------------------
    def status(self) -> str:
        row = self.conn.execute(
            "SELECT status FROM cases WHERE case_id = ?", (self.case_id,)
        ).fetchone()
        return str(row[0])

    def open_amendment(self) -> int | None:
        row = self.conn.execute(
            "SELECT amendment_id FROM amendments WHERE case_id = ? AND closed_at IS NULL",
            (self.case_id,),
        ).fetchone()
        return int(row[0]) if row else None

    def has_amendments(self) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM amendments WHERE case_id = ?", (self.case_id,)
        ).fetchone()
        return row is not None

    def require_draft(self) -> int | None:
        """Raise :class:`CaseLocked` on an approved case; the open amendment's id, if any."""
        if self.status() in LOCKED_STATUSES:
            raise CaseLocked(
                "This case has been approved and is locked. To change it, start an amendment "
                "and give the reason; the amended report will list what changed."
            )
        self.amendment = self.open_amendment()
        return self.amendment

    # -- audit ----------------------------------------------------------------------------
    def record(
        self,
        finding_id: str | None,
        field: str,
        old: object,
        new: object,
        note: str | None = None,
    ) -> None:
        """An audit row; with ``note``, also the amendment's change in words (if one is open)."""
        audit_append(self.conn, self.case_id, self.user, finding_id, field, old, new, self.now)
        if note:
            self.note(note)

    def note(self, text: str) -> None:
        """A change in words for the open amendment (nothing when none is open)."""
        if self.amendment is not None:
            self.add_amendment_change(self.amendment, text)

    def add_amendment_change(self, amendment_id: int | None, text: str) -> None:
        self.conn.execute(
            "INSERT INTO amendment_changes (amendment_id, text) VALUES (?, ?)",
            (amendment_id, text),
        )

    def changed(self, what: str, finding_ids: tuple[str, ...] | list[str] = ()) -> None:
        """Announce a change to the case's listeners once the transaction has committed."""
        self.events.append(ChangeEvent(what, tuple(finding_ids)))

    def touch(self) -> None:
        self.conn.execute(
            "UPDATE cases SET updated_at = ? WHERE case_id = ?", (self.now, self.case_id)
        )

    # -- decisions ------------------------------------------------------------------------
    def decision(self, finding_id: str) -> Decision:
        row = self.conn.execute(
            "SELECT decision, classification_override, override_reason, comment "
            "FROM decisions WHERE case_id = ? AND finding_id = ?",
            (self.case_id, finding_id),
        ).fetchone()
        if row is None:
            return Decision(finding_id)
        return Decision(finding_id, row[0], row[1], row[2], row[3])

    def save_decision(self, d: Decision) -> None:
        self.conn.execute(
            "INSERT INTO decisions (case_id, finding_id, decision, classification_override, "
            "override_reason, comment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (case_id, finding_id) DO UPDATE SET decision = excluded.decision, "
            "classification_override = excluded.classification_override, "
            "override_reason = excluded.override_reason, comment = excluded.comment, "
            "updated_at = excluded.updated_at",
            (self.case_id, d.finding_id, d.decision, d.classification_override,
             d.override_reason, d.comment, self.now),
        )  # fmt: skip

    # -- case-level JSON values -----------------------------------------------------------
    def stored(self, column: str) -> dict[str, Any]:
        """The JSON object kept in ``cases.<column>`` (``patient`` or ``report_options``)."""
        return read_json_column(self.conn.execute, self.case_id, column)

    def write_patient(self, new: dict[str, str]) -> list[str]:
        """Store patient fields ``new`` with one audit row per changed field; the changed."""
        stored = self.stored("patient")
        old = {k: str(stored.get(k, "")) for k in PATIENT_FIELDS}
        changed = [k for k in PATIENT_FIELDS if old[k] != new[k]]
        if not changed:
            return []
        self.conn.execute(
            "UPDATE cases SET patient = ?, updated_at = ? WHERE case_id = ?",
            (json.dumps(new, ensure_ascii=False), self.now, self.case_id),
        )
        for k in changed:
            note = change_words(f"Patient {k.replace('_', ' ')}", "", old[k], new[k])
            self.record(None, f"patient.{k}", old[k], new[k], note)
        return changed

    def write_options(self, new: dict[str, bool]) -> list[str]:
        """Store every report option of ``new`` with an audit row per change; the changed."""
        stored = self.stored("report_options")
        old = {key: bool(stored.get(key, False)) for key in REPORT_OPTIONS}
        changed = [key for key in REPORT_OPTIONS if old[key] != new[key]]
        if not changed:
            return []
        self.conn.execute(
            "UPDATE cases SET report_options = ?, updated_at = ? WHERE case_id = ?",
            (json.dumps(new), self.now, self.case_id),
        )
        words = {True: "included", False: "not included"}
        for key in changed:
            note = f"Report {REPORT_OPTIONS[key]}: {words[old[key]]} -> {words[new[key]]}"
            self.record(None, key, old[key], new[key], note)
        return changed

    # -- sign-off columns -----------------------------------------------------------------
    def signoff_field(self, name: str) -> str:
        row = self.conn.execute(
            f"SELECT {_signoff_column(name)} FROM cases WHERE case_id = ?", (self.case_id,)
        ).fetchone()
        return str(row[0] or "")

    def set_signoff_fields(self, values: dict[str, str]) -> None:
        """Write sign-off columns, with an audit row for each one that changes."""
        cols = ", ".join(_signoff_column(name) for name in values)
        old = self.conn.execute(
            f"SELECT {cols} FROM cases WHERE case_id = ?", (self.case_id,)
        ).fetchone()
        for (name, new), before in zip(values.items(), old, strict=True):
            if before != new:
                self.record(None, name, before, new)
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.conn.execute(
            f"UPDATE cases SET {assignments}, updated_at = ? WHERE case_id = ?",
            (*values.values(), self.now, self.case_id),
        )

    def set_status(self, new_status: str) -> None:
        """Change the case status, with its audit row."""
        old = self.status()
        self.record(None, "status", old, new_status)
        self.conn.execute(
            "UPDATE cases SET status = ?, updated_at = ? WHERE case_id = ?",
            (new_status, self.now, self.case_id),
        )

    def add_amendment(self, reason: str, opened_at: str, closed_at: str | None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO amendments (case_id, opened_at, opened_by, reason, closed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (self.case_id, opened_at, self.user, reason, closed_at),
        )
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    def close_amendment(self, amendment_id: int) -> None:
        self.conn.execute(
            "UPDATE amendments SET closed_at = ? WHERE amendment_id = ?", (self.now, amendment_id)
        )


SIGNOFF_COLUMNS = (
    "reviewer",
    "reviewer_credentials",
    "reviewed_at",
    "approver",
    "approver_credentials",
    "approved_at",
)


def _signoff_column(name: str) -> str:
    if name not in SIGNOFF_COLUMNS:  # column names go into SQL text: only known ones
        raise ValueError(name)
    return name


def read_json_column(
    execute: Callable[[str, tuple], Any], case_id: int, column: str
) -> dict[str, Any]:
    """The JSON object of ``cases.<column>`` through ``execute`` (a connection's or a read)."""
    if column not in _JSON_COLUMNS:
        raise ValueError(column)
    result = execute(f"SELECT {column} FROM cases WHERE case_id = ?", (case_id,))
    rows = result if isinstance(result, list) else result.fetchall()
    text = rows[0][0] if rows else None
    value = json.loads(text or "{}")
    return value if isinstance(value, dict) else {}
