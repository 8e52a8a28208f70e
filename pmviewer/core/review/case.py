"""One review case: decisions, patient details, sign-off, amendments and audit trail.

See :mod:`pmviewer.core.review.store` for the workflow. Every setter is one unit of work
(:meth:`ReviewCase.work`, :mod:`pmviewer.core.review.unit_of_work`): the change, its audit rows
and its amendment note commit together, then the listeners are told.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict

from pmviewer.core.model import DECISIONS, Amendment, Decision, PatientDetails, SignOff
from pmviewer.core.review import signoff as review_signoff
from pmviewer.core.review.audit import AuditRow, change_words, quote
from pmviewer.core.review.audit import read as audit_read
from pmviewer.core.review.errors import ReviewValueError, storage_error
from pmviewer.core.review.memory import EarlierDecision
from pmviewer.core.review.memory import earlier_decisions as memory_query
from pmviewer.core.review.types import (
    REPORT_OPTIONS,
    CaseInfo,
    ChangeEvent,
    clean_text,
    finding_id_list,
)
from pmviewer.core.review.unit_of_work import (
    LOCKED_STATUSES,
    PATIENT_FIELDS,
    SIGNOFF_COLUMNS,
    CaseDatabase,
    CaseWork,
    read_json_column,
)

_CASE_COLUMNS = (
    "case_id, sha256, sample, input_name, build, knowledge_version, created_at, created_by, "
    "updated_at, status"
)


def case_info_sql(where: str) -> str:
    """The query of :class:`CaseInfo` rows, with a ``WHERE`` clause on ``cases c``."""
    cols = ", ".join(f"c.{c.strip()}" for c in _CASE_COLUMNS.split(","))
    return (
        f"SELECT {cols}, (SELECT count(*) FROM decisions d WHERE d.case_id = c.case_id "
        f"AND d.decision != 'undecided') FROM cases c {where}"
    )


def case_info_from_row(row: tuple) -> CaseInfo:
    values = list(row)
    values[2] = values[2] or None  # '' sample -> None
    return CaseInfo(*values)


class ReviewCase:
    """One case: decisions, patient details, sign-off and audit trail. Every setter commits.

    Obtain it from :meth:`ReviewStore.open_case`. Setters raise :class:`CaseLocked` on an
    approved case (call :meth:`start_amendment` first), :class:`ReviewValueError` for a
    value that is not allowed, and :class:`~pmviewer.core.errors.StorageError` when the
    change could not be saved (the case is then exactly as before the call).
    """

    def __init__(self, db: CaseDatabase, case_id: int, user: str) -> None:
        self.db = db
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

    @contextmanager
    def work(self, action: str = "save your change") -> Iterator[CaseWork]:
        """One unit of work on this case: everything done through it commits together.

        Listeners hear of the changes it announces only after the commit; on an error
        nothing is saved and nobody is told.
        """
        with self.db.transaction(action) as conn:
            work = CaseWork(conn, self.case_id, self.user, self.label)
            yield work
        for event in work.events:
            for callback in list(self._listeners):
                callback(event)

    # -- reading --------------------------------------------------------------------------
    @property
    def info(self) -> CaseInfo:
        """The stored details of this case."""
        rows = self.db.read(case_info_sql("WHERE c.case_id = ?"), (self.case_id,))
        if not rows:
            raise ReviewValueError("This review case no longer exists in the store.")
        return case_info_from_row(rows[0])

    @property
    def status(self) -> str:
        """``draft``, ``final`` or ``amended``."""
        return self.info.status

    @property
    def locked(self) -> bool:
        """True when approved (final or amended); setters then raise :class:`CaseLocked`."""
        return self.status in LOCKED_STATUSES

    @property
    def amendment_open(self) -> bool:
        """True while an amendment is started and not yet approved."""
        rows = self.db.read(
            "SELECT 1 FROM amendments WHERE case_id = ? AND closed_at IS NULL", (self.case_id,)
        )
        return bool(rows)

    def decisions(self) -> dict[str, Decision]:
        """Every finding the counselor touched, by ``finding_id`` (others are undecided),
        with the reviewer's transcript-level name where one was entered."""
        rows = self.db.read(
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
        rows = self.db.read(
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
        data = read_json_column(self.db.read, self.case_id, "patient")
        return PatientDetails(**{k: str(v) for k, v in data.items() if k in PATIENT_FIELDS})

    def signoff(self) -> SignOff:
        """Status, reviewer and approver of the case, with its amendments."""
        cols = ", ".join(("status",) + SIGNOFF_COLUMNS)
        row = self.db.read(f"SELECT {cols} FROM cases WHERE case_id = ?", (self.case_id,))[0]
        values = dict(zip(("status",) + SIGNOFF_COLUMNS, row, strict=True))
        return SignOff(**values, amendments=self.amendments())

    def amendments(self) -> list[Amendment]:
        """Every amendment of the case, oldest first, with the changes noted in words."""
        rows = self.db.read(
            "SELECT amendment_id, opened_at, reason FROM amendments WHERE case_id = ? "
            "ORDER BY amendment_id",
            (self.case_id,),
        )
        result = []
        for amendment_id, opened_at, reason in rows:
            changes = self.db.read(
                "SELECT text FROM amendment_changes WHERE amendment_id = ? ORDER BY seq",
                (amendment_id,),
            )
            result.append(Amendment(opened_at, reason, [c[0] for c in changes]))
        return result

    def audit_log(self, finding_id: str | None = None) -> list[AuditRow]:
        """Every recorded change of this case, oldest first (one finding's history if given)."""
        try:
            return audit_read(self.db.connection, self.case_id, finding_id)
        except sqlite3.Error as exc:
            raise storage_error(exc, "read the audit trail", self.db.path.parent) from exc

    def earlier_decisions(self, finding_id: str) -> list[EarlierDecision]:
        """Decisions on this variant in *other* cases, newest first (no patient identifiers)."""
        try:
            return memory_query(self.db.connection, finding_id, self.case_id)
        except sqlite3.Error as exc:
            raise storage_error(exc, "look up earlier cases", self.db.path.parent) from exc

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
        with self.work() as work:
            work.require_draft()
            for fid in ids:
                current = work.decision(fid)
                if current.decision == decision:
                    continue
                old = current.decision
                current.decision = decision
                work.save_decision(current)
                note = change_words(self.label(fid), "decision", old, decision)
                work.record(fid, "decision", old, decision, note)
                changed.append(fid)
            if changed:
                work.touch()
                work.changed("decision", changed)
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
        with self.work() as work:
            work.require_draft()
            current = work.decision(fid)
            old_class, old_reason = current.classification_override, current.override_reason
            if (old_class, old_reason) == (new_class, new_reason):
                return False
            current.classification_override, current.override_reason = new_class, new_reason
            work.save_decision(current)
            label = self.label(fid)
            class_changed = old_class != new_class
            if class_changed:  # one note in words covers the classification and its reason
                words = change_words(label, "classification_override", old_class, new_class)
                if new_reason:
                    words += f" (reason: {quote(new_reason, 120)})"
                work.record(fid, "classification_override", old_class, new_class, words)
            if old_reason != new_reason:
                note = None if class_changed else change_words(
                    label, "override_reason", old_reason, new_reason
                )  # fmt: skip
                work.record(fid, "override_reason", old_reason, new_reason, note)
            work.touch()
            work.changed("override", [fid])
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
        with self.work() as work:
            work.require_draft()
            current = work.decision(fid)
            if current.comment == text:
                return False
            old = current.comment
            current.comment = text
            work.save_decision(current)
            note = change_words(self.label(fid), "comment", old, text)
            work.record(fid, "comment", old, text, note)
            work.touch()
            work.changed("comment", [fid])
        return True

    # -- report options -------------------------------------------------------------------
    def report_options(self) -> dict[str, bool]:
        """Optional report sections chosen in the review: ``{"include_carrier": False, ...}``.

        The keys are fields of ``export.report_model.ReportOptions``.
        """
        stored = read_json_column(self.db.read, self.case_id, "report_options")
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
        with self.work() as work:
            work.require_draft()
            stored = work.stored("report_options")
            new = {key: bool(stored.get(key, False)) for key in REPORT_OPTIONS}
            new.update({key: bool(value) for key, value in options.items()})
            changed = work.write_options(new)
            if changed:
                work.changed("options")
        return changed

    # -- patient --------------------------------------------------------------------------
    def set_patient(self, patient: PatientDetails) -> list[str]:
        """Save the patient and specimen details as typed; returns the fields that changed.

        Values are stored even when incomplete (the form saves as the user types); check
        them with :func:`pmviewer.core.patient.validate_patient`.
        """
        new = {k: clean_text(v, k.replace("_", " ")) for k, v in asdict(patient).items()}
        with self.work() as work:
            work.require_draft()
            changed = work.write_patient(new)
            if changed:
                work.changed("patient")
        return changed

    # -- sign-off (see pmviewer.core.review.signoff) -------------------------------------
    def sign_review(self, reviewer: str, credentials: str = "") -> None:
        """The reviewer signs: records name, credentials and the time (UTC)."""
        with self.work() as work:
            review_signoff.sign_review(work, reviewer, credentials)

    def approve(self, approver: str, credentials: str = "") -> str:
        """The approver signs: the case becomes ``final`` (or ``amended``) and is locked.

        Returns the new status. Requires a signed review.
        """
        with self.work() as work:
            return review_signoff.approve(work, approver, credentials)

    def start_amendment(self, reason: str) -> Amendment:
        """Unlock an approved case to change it; every change is then noted in words.

        The status returns to ``draft`` (the approval no longer covers the content) until
        :meth:`approve` is called again, which makes it ``amended``.
        """
        with self.work() as work:
            return review_signoff.start_amendment(work, reason)
