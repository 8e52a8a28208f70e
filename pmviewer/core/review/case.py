"""One review case: decisions, patient details, sign-off, amendments and audit trail.

See :mod:`pmviewer.core.review.store` for the workflow; every setter is one committed transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, fields
from typing import TYPE_CHECKING

from pmviewer.core.model import DECISIONS, Amendment, Decision, PatientDetails, SignOff
from pmviewer.core.review import signoff as review_signoff
from pmviewer.core.review.audit import AuditRow, change_words, now_utc, quote
from pmviewer.core.review.audit import append as audit_append
from pmviewer.core.review.audit import read as audit_read
from pmviewer.core.review.errors import CaseLocked, ReviewValueError, storage_error
from pmviewer.core.review.memory import EarlierDecision
from pmviewer.core.review.types import (
    REPORT_OPTIONS,
    CaseInfo,
    ChangeEvent,
    clean_text,
    finding_id_list,
)

if TYPE_CHECKING:
    from pmviewer.core.review.store import ReviewStore

_PATIENT_FIELDS = tuple(f.name for f in fields(PatientDetails))
_SIGNOFF_COLUMNS = (
    "reviewer",
    "reviewer_credentials",
    "reviewed_at",
    "approver",
    "approver_credentials",
    "approved_at",
)


class ReviewCase:
    """One case: decisions, patient details, sign-off and audit trail. Every setter commits.

    Obtain it from :meth:`ReviewStore.open_case`. Setters raise :class:`CaseLocked` on an
    approved case (call :meth:`start_amendment` first), :class:`ReviewValueError` for a
    value that is not allowed, and :class:`~pmviewer.core.errors.StorageError` when the
    change could not be saved (the case is then exactly as before the call).
    """

    def __init__(self, store: ReviewStore, case_id: int, user: str) -> None:
        self.store = store
        self.case_id = case_id
        self.user = user
        self._labels: dict[str, str] = {}
        self._listeners: list[Callable[[ChangeEvent], None]] = []

    # -- plumbing -------------------------------------------------------------------------
    def set_labels(self, labels: Mapping[str, str]) -> None:
        """Readable names used in amendment notes (see :func:`labels_from_findings`)."""
        self._labels.update({str(k): str(v) for k, v in labels.items()})

    def label(self, finding_id: str) -> str:
        """The finding's label for messages (gene and HGVS), else its id."""
        return self._labels.get(finding_id, finding_id)

    def subscribe(self, callback: Callable[[ChangeEvent], None]) -> Callable[[], None]:
        """Call ``callback`` after every committed change; returns an unsubscribe function.

        The change is already saved when callbacks run; a callback should not raise.
        """
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def _emit(self, what: str, finding_ids: Iterable[str] = ()) -> None:
        event = ChangeEvent(what, tuple(finding_ids))
        for callback in list(self._listeners):
            callback(event)

    def _unlocked(self, conn: sqlite3.Connection) -> int | None:
        """Raise CaseLocked on an approved case; return the open amendment's id, if any."""
        status = conn.execute(
            "SELECT status FROM cases WHERE case_id = ?", (self.case_id,)
        ).fetchone()[0]
        if status in ("final", "amended"):
            raise CaseLocked(
                "This case has been approved and is locked. To change it, start an amendment "
                "and give the reason; the amended report will list what changed."
            )
        row = conn.execute(
            "SELECT amendment_id FROM amendments WHERE case_id = ? AND closed_at IS NULL",
            (self.case_id,),
        ).fetchone()
        return int(row[0]) if row else None

    def _record(
        self,
        conn: sqlite3.Connection,
        amendment_id: int | None,
        finding_id: str | None,
        field: str,
        old: object,
        new: object,
        now: str,
        note: str | None = None,
    ) -> None:
        audit_append(conn, self.case_id, self.user, finding_id, field, old, new, now)
        if amendment_id is not None and note:
            conn.execute(
                "INSERT INTO amendment_changes (amendment_id, text) VALUES (?, ?)",
                (amendment_id, note),
            )

    def _touch(self, conn: sqlite3.Connection, now: str) -> None:
        conn.execute("UPDATE cases SET updated_at = ? WHERE case_id = ?", (now, self.case_id))

    def _stored(self, column: str, conn: sqlite3.Connection | None = None) -> dict:
        """The JSON object kept in ``cases.<column>`` (``patient`` or ``report_options``)."""
        if column not in ("patient", "report_options"):
            raise ValueError(column)
        sql = f"SELECT {column} FROM cases WHERE case_id = ?"
        if conn is None:
            text = self.store._read(sql, (self.case_id,))[0][0]
        else:
            text = conn.execute(sql, (self.case_id,)).fetchone()[0]
        return json.loads(text or "{}")

    def _write_patient(
        self, conn: sqlite3.Connection, amendment: int | None, new: dict[str, str], now: str
    ) -> list[str]:
        """Store patient fields ``new`` with one audit row per changed field; the changed."""
        stored = self._stored("patient", conn)
        old = {k: str(stored.get(k, "")) for k in _PATIENT_FIELDS}
        changed = [k for k in _PATIENT_FIELDS if old[k] != new[k]]
        if not changed:
            return []
        conn.execute(
            "UPDATE cases SET patient = ?, updated_at = ? WHERE case_id = ?",
            (json.dumps(new, ensure_ascii=False), now, self.case_id),
        )
        for k in changed:
            note = change_words(f"Patient {k.replace('_', ' ')}", "", old[k], new[k])
            self._record(conn, amendment, None, f"patient.{k}", old[k], new[k], now, note)
        return changed

    def _write_options(
        self, conn: sqlite3.Connection, amendment: int | None, new: dict[str, bool], now: str
    ) -> list[str]:
        """Store every report option of ``new`` with an audit row per change; the changed."""
        stored = self._stored("report_options", conn)
        old = {key: bool(stored.get(key, False)) for key in REPORT_OPTIONS}
        changed = [key for key in REPORT_OPTIONS if old[key] != new[key]]
        if not changed:
            return []
        conn.execute(
            "UPDATE cases SET report_options = ?, updated_at = ? WHERE case_id = ?",
            (json.dumps(new), now, self.case_id),
        )
        words = {True: "included", False: "not included"}
        for key in changed:
            note = f"Report {REPORT_OPTIONS[key]}: {words[old[key]]} -> {words[new[key]]}"
            self._record(conn, amendment, None, key, old[key], new[key], now, note)
        return changed

    def _current(self, conn: sqlite3.Connection, finding_id: str) -> Decision:
        row = conn.execute(
            "SELECT decision, classification_override, override_reason, comment "
            "FROM decisions WHERE case_id = ? AND finding_id = ?",
            (self.case_id, finding_id),
        ).fetchone()
        if row is None:
            return Decision(finding_id)
        return Decision(finding_id, row[0], row[1], row[2], row[3])

    def _save(self, conn: sqlite3.Connection, d: Decision, now: str) -> None:
        conn.execute(
            "INSERT INTO decisions (case_id, finding_id, decision, classification_override, "
            "override_reason, comment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (case_id, finding_id) DO UPDATE SET decision = excluded.decision, "
            "classification_override = excluded.classification_override, "
            "override_reason = excluded.override_reason, comment = excluded.comment, "
            "updated_at = excluded.updated_at",
            (self.case_id, d.finding_id, d.decision, d.classification_override,
             d.override_reason, d.comment, now),
        )  # fmt: skip

    # -- reading --------------------------------------------------------------------------
    @property
    def info(self) -> CaseInfo:
        """The stored details of this case."""
        return self.store.case_info(self.case_id)

    @property
    def status(self) -> str:
        """``draft``, ``final`` or ``amended``."""
        return self.info.status

    @property
    def locked(self) -> bool:
        """True when approved (final or amended); setters then raise :class:`CaseLocked`."""
        return self.status in ("final", "amended")

    @property
    def amendment_open(self) -> bool:
        """True while an amendment is started and not yet approved."""
        rows = self.store._read(
            "SELECT 1 FROM amendments WHERE case_id = ? AND closed_at IS NULL", (self.case_id,)
        )
        return bool(rows)

    def decisions(self) -> dict[str, Decision]:
        """Every finding the counselor touched, by ``finding_id`` (others are undecided),
        with the reviewer's transcript-level name where one was entered."""
        rows = self.store._read(
            "SELECT finding_id, decision, classification_override, override_reason, comment "
            "FROM decisions WHERE case_id = ? ORDER BY finding_id",
            (self.case_id,),
        )
        out = {r[0]: Decision(*r) for r in rows}
        for fid, (transcript, c, p) in self.names().items():
            d = out.setdefault(fid, Decision(fid))
            d.hgvs_transcript, d.hgvs_c, d.hgvs_p = transcript, c, p
        return dict(sorted(out.items()))

    def names(self) -> dict[str, tuple[str, str, str]]:
        """The reviewer's transcript-level names: finding_id -> (transcript, c., p.)."""
        from pmviewer.core.review.names import read_names

        return read_names(self)

    def set_name(self, finding_id: str, transcript: str, hgvs_c: str, hgvs_p: str = "") -> bool:
        """Enter, correct or (all empty) remove the reviewer's c./p. name; audit-logged."""
        from pmviewer.core.review.names import write_name

        (fid,) = finding_id_list([finding_id])
        return write_name(self, fid, transcript, hgvs_c, hgvs_p)

    def decision(self, finding_id: str) -> Decision:
        """The decision on one finding (a fresh undecided one if never touched)."""
        rows = self.store._read(
            "SELECT finding_id, decision, classification_override, override_reason, comment "
            "FROM decisions WHERE case_id = ? AND finding_id = ?",
            (self.case_id, finding_id),
        )
        decision = Decision(*rows[0]) if rows else Decision(finding_id)
        name = self.names().get(finding_id)
        if name:
            decision.hgvs_transcript, decision.hgvs_c, decision.hgvs_p = name
        return decision

    def patient(self) -> PatientDetails:
        """The patient and specimen details as last saved."""
        data = self._stored("patient")
        return PatientDetails(**{k: str(v) for k, v in data.items() if k in _PATIENT_FIELDS})

    def signoff(self) -> SignOff:
        """Status, reviewer and approver of the case, with its amendments."""
        cols = ", ".join(("status",) + _SIGNOFF_COLUMNS)
        row = self.store._read(f"SELECT {cols} FROM cases WHERE case_id = ?", (self.case_id,))[0]
        return SignOff(*row, amendments=self.amendments())  # type: ignore[misc]  # row: status + _SIGNOFF_COLUMNS

    def amendments(self) -> list[Amendment]:
        """Every amendment of the case, oldest first, with the changes noted in words."""
        rows = self.store._read(
            "SELECT amendment_id, opened_at, reason FROM amendments WHERE case_id = ? "
            "ORDER BY amendment_id",
            (self.case_id,),
        )
        result = []
        for amendment_id, opened_at, reason in rows:
            changes = self.store._read(
                "SELECT text FROM amendment_changes WHERE amendment_id = ? ORDER BY seq",
                (amendment_id,),
            )
            result.append(Amendment(opened_at, reason, [c[0] for c in changes]))
        return result

    def audit_log(self, finding_id: str | None = None) -> list[AuditRow]:
        """Every recorded change of this case, oldest first (one finding's history if given)."""
        try:
            return audit_read(self.store.connection, self.case_id, finding_id)
        except sqlite3.Error as exc:
            raise storage_error(exc, "read the audit trail", self.store.path.parent) from exc

    def earlier_decisions(self, finding_id: str) -> list[EarlierDecision]:
        """Decisions on this variant in *other* cases (see :meth:`ReviewStore.earlier_decisions`)."""
        return self.store.earlier_decisions(finding_id, exclude_case=self.case_id)

    # -- decisions ------------------------------------------------------------------------
    def set_decision(self, finding_id: str, decision: str) -> bool:
        """Include, exclude or reset one finding. Returns False when nothing changed."""
        return self.set_decisions([finding_id], decision) == 1

    def set_decisions(self, finding_ids: Iterable[str], decision: str) -> int:
        """The same decision for many findings, in one transaction. Returns how many changed."""
        if decision not in DECISIONS:
            raise ReviewValueError(
                f"'{decision}' is not a review decision; choose one of: {', '.join(DECISIONS)}."
            )
        ids = finding_id_list(finding_ids)
        changed: list[str] = []
        with self.store._write() as conn:
            amendment = self._unlocked(conn)
            now = now_utc()
            for fid in ids:
                current = self._current(conn, fid)
                if current.decision == decision:
                    continue
                old = current.decision
                current.decision = decision
                self._save(conn, current, now)
                note = change_words(self.label(fid), "decision", old, decision)
                self._record(conn, amendment, fid, "decision", old, decision, now, note)
                changed.append(fid)
            if changed:
                self._touch(conn, now)
        if changed:
            self._emit("decision", changed)
        return len(changed)

    def set_override(self, finding_id: str, classification: str | None, reason: str) -> bool:
        """Replace the knowledge-base classification of one finding, with a required reason.

        ``classification`` ``None`` or blank removes the override (no reason needed).
        Returns False when nothing changed.
        """
        (fid,) = finding_id_list([finding_id])
        new_class = clean_text(classification, "classification").strip() or None
        new_reason = clean_text(reason, "reason").strip() or None
        if new_class is None:
            new_reason = None
        elif new_reason is None:
            raise ReviewValueError(
                f"Please give a reason for changing the classification of {self.label(fid)} "
                f"to '{new_class}'. The reason is printed in the report and kept in the audit "
                "trail."
            )
        with self.store._write() as conn:
            amendment = self._unlocked(conn)
            current = self._current(conn, fid)
            old_class, old_reason = current.classification_override, current.override_reason
            if (old_class, old_reason) == (new_class, new_reason):
                return False
            now = now_utc()
            current.classification_override, current.override_reason = new_class, new_reason
            self._save(conn, current, now)
            label = self.label(fid)
            class_changed = old_class != new_class
            note: str | None
            if class_changed:  # one note in words covers the classification and its reason
                note = change_words(label, "classification_override", old_class, new_class)
                if new_reason:
                    note += f" (reason: {quote(new_reason, 120)})"
                self._record(conn, amendment, fid, "classification_override", old_class,
                             new_class, now, note)  # fmt: skip
            if old_reason != new_reason:
                note = None if class_changed else change_words(
                    label, "override_reason", old_reason, new_reason
                )  # fmt: skip
                self._record(conn, amendment, fid, "override_reason", old_reason, new_reason,
                             now, note)  # fmt: skip
            self._touch(conn, now)
        self._emit("override", [fid])
        return True

    def reuse_classification(self, finding_id: str, earlier: EarlierDecision) -> bool:
        """Adopt the classification of an earlier case (the detail panel's "reuse" offer).

        The recorded reason says where it came from and keeps the earlier reason.
        """
        if not earlier.classification_override:
            raise ReviewValueError(
                "The earlier case kept the knowledge-base classification; there is no "
                "classification to reuse."
            )
        reason = f"As classified in an earlier case on {earlier.date}"
        if earlier.override_reason:
            reason += f": {earlier.override_reason}"
        return self.set_override(finding_id, earlier.classification_override, reason)

    def set_comment(self, finding_id: str, text: str) -> bool:
        """The counselor's free-text comment (any Unicode). Returns False when unchanged."""
        (fid,) = finding_id_list([finding_id])
        text = clean_text(text, "comment")
        with self.store._write() as conn:
            amendment = self._unlocked(conn)
            current = self._current(conn, fid)
            if current.comment == text:
                return False
            now = now_utc()
            old = current.comment
            current.comment = text
            self._save(conn, current, now)
            note = change_words(self.label(fid), "comment", old, text)
            self._record(conn, amendment, fid, "comment", old, text, now, note)
            self._touch(conn, now)
        self._emit("comment", [fid])
        return True

    # -- report options -------------------------------------------------------------------
    def report_options(self) -> dict[str, bool]:
        """Optional report sections chosen in the review: ``{"include_carrier": False, ...}``.

        The keys are fields of ``export.report_model.ReportOptions``.
        """
        stored = self._stored("report_options")
        return {key: bool(stored.get(key, False)) for key in REPORT_OPTIONS}

    def set_report_options(self, **options: bool) -> list[str]:
        """Choose optional sections, e.g. ``set_report_options(include_carrier=True)``.

        Returns the options that changed.
        """
        unknown = sorted(set(options) - set(REPORT_OPTIONS))
        if unknown:
            raise ReviewValueError(
                f"'{unknown[0]}' is not a report option; choose from {', '.join(REPORT_OPTIONS)}."
            )
        with self.store._write() as conn:
            amendment = self._unlocked(conn)
            stored = self._stored("report_options", conn)
            new = {key: bool(stored.get(key, False)) for key in REPORT_OPTIONS}
            new.update({key: bool(value) for key, value in options.items()})
            changed = self._write_options(conn, amendment, new, now_utc())
            if not changed:
                return []
        self._emit("options")
        return changed

    # -- patient --------------------------------------------------------------------------
    def set_patient(self, patient: PatientDetails) -> list[str]:
        """Save the patient and specimen details as typed; returns the fields that changed.

        Values are stored even when incomplete (the form saves as the user types); check
        them with :func:`pmviewer.core.patient.validate_patient`.
        """
        new = {k: clean_text(v, k.replace("_", " ")) for k, v in asdict(patient).items()}
        with self.store._write() as conn:
            amendment = self._unlocked(conn)
            changed = self._write_patient(conn, amendment, new, now_utc())
            if not changed:
                return []
        self._emit("patient")
        return changed

    # -- sign-off (see pmviewer.core.review.signoff) -------------------------------------
    def sign_review(self, reviewer: str, credentials: str = "") -> None:
        """The reviewer signs: records name, credentials and the time (UTC)."""
        review_signoff.sign_review(self, reviewer, credentials)

    def approve(self, approver: str, credentials: str = "") -> str:
        """The approver signs: the case becomes ``final`` (or ``amended``) and is locked.

        Returns the new status. Requires a signed review.
        """
        return review_signoff.approve(self, approver, credentials)

    def start_amendment(self, reason: str) -> Amendment:
        """Unlock an approved case to change it; every change is then noted in words.

        The status returns to ``draft`` (the approval no longer covers the content) until
        :meth:`approve` is called again, which makes it ``amended``.
        """
        return review_signoff.start_amendment(self, reason)
