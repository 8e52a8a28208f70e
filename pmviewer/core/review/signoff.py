"""Sign-off steps of a case: review, approval (locks), amendment (unlocks with a reason).

Called through :class:`pmviewer.core.review.case.ReviewCase` methods of the same names.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from pmviewer.core.model import Amendment
from pmviewer.core.review.audit import now_utc
from pmviewer.core.review.errors import CaseLocked, ReviewValueError, SignOffError
from pmviewer.core.review.types import clean_text

if TYPE_CHECKING:
    from pmviewer.core.review.case import ReviewCase


def sign_review(case: ReviewCase, reviewer: str, credentials: str = "") -> None:
    """The reviewer signs: records name, credentials and the time (UTC)."""
    reviewer = clean_text(reviewer, "reviewer name").strip()
    credentials = clean_text(credentials, "credentials").strip()
    if not reviewer:
        raise SignOffError("Please type the reviewer's name to sign the review.")
    with case.store._write() as conn:
        amendment = case._unlocked(conn)
        now = now_utc()
        set_signoff_fields(
            case,
            conn,
            now,
            {"reviewer": reviewer, "reviewer_credentials": credentials, "reviewed_at": now},
        )
        note = f"Review signed by {reviewer}" if amendment is not None else None
        if note:
            conn.execute(
                "INSERT INTO amendment_changes (amendment_id, text) VALUES (?, ?)",
                (amendment, note),
            )
    case._emit("signoff")


def approve(case: ReviewCase, approver: str, credentials: str = "") -> str:
    """The approver signs: the case becomes ``final`` (or ``amended``) and is locked.

    Returns the new status. Requires a signed review.
    """
    approver = clean_text(approver, "approver name").strip()
    credentials = clean_text(credentials, "credentials").strip()
    if not approver:
        raise SignOffError("Please type the approver's name to approve the report.")
    with case.store._write() as conn:
        status, reviewer = conn.execute(
            "SELECT status, reviewer FROM cases WHERE case_id = ?", (case.case_id,)
        ).fetchone()
        if status in ("final", "amended"):
            raise CaseLocked(
                "This case is already approved. To change it, start an amendment first."
            )
        if not reviewer:
            raise SignOffError(
                "The review has not been signed yet. The reviewer signs first, then the approver."
            )
        if reviewer.strip().casefold() == approver.casefold():
            raise SignOffError(
                f"The review was signed by {reviewer}; the report must be approved by another "
                "person. Ask a second qualified person to approve it."
            )
        amendment = case._unlocked(conn)
        now = now_utc()
        new_status = "amended" if amendment is not None else "final"
        set_signoff_fields(
            case,
            conn,
            now,
            {"approver": approver, "approver_credentials": credentials, "approved_at": now},
        )
        case._record(conn, None, None, "status", status, new_status, now)
        conn.execute("UPDATE cases SET status = ? WHERE case_id = ?", (new_status, case.case_id))
        if amendment is not None:
            conn.execute(
                "UPDATE amendments SET closed_at = ? WHERE amendment_id = ?",
                (now, amendment),
            )
    case._emit("signoff")
    return new_status


def start_amendment(case: ReviewCase, reason: str) -> Amendment:
    """Unlock an approved case to change it; every change is then noted in words.

    The status returns to ``draft`` (the approval no longer covers the content) until
    :func:`approve` is called again, which makes it ``amended``.
    """
    reason = clean_text(reason, "reason").strip()
    if not reason:
        raise ReviewValueError(
            "Please give the reason for the amendment; it is printed in the amended report."
        )
    with case.store._write() as conn:
        status = conn.execute(
            "SELECT status FROM cases WHERE case_id = ?", (case.case_id,)
        ).fetchone()[0]
        if status not in ("final", "amended"):
            raise SignOffError(
                "Only an approved report needs an amendment; this case is still a draft "
                "and can be changed directly."
            )
        now = now_utc()
        conn.execute(
            "INSERT INTO amendments (case_id, opened_at, opened_by, reason) VALUES (?, ?, ?, ?)",
            (case.case_id, now, case.user, reason),
        )
        case._record(conn, None, None, "amendment", None, reason, now)
        case._record(conn, None, None, "status", status, "draft", now)
        set_signoff_fields(
            case, conn, now, {"approver": "", "approver_credentials": "", "approved_at": ""}
        )
        conn.execute(
            "UPDATE cases SET status = 'draft', updated_at = ? WHERE case_id = ?",
            (now, case.case_id),
        )
    case._emit("signoff")
    return Amendment(now, reason, [])


def set_signoff_fields(
    case: ReviewCase, conn: sqlite3.Connection, now: str, values: dict[str, str]
) -> None:
    """Write sign-off columns, with an audit row for each one that changes."""
    cols = ", ".join(values)
    old = conn.execute(f"SELECT {cols} FROM cases WHERE case_id = ?", (case.case_id,)).fetchone()
    for (name, new), before in zip(values.items(), old, strict=True):
        if before != new:
            case._record(conn, None, None, name, before, new, now)
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(
        f"UPDATE cases SET {assignments}, updated_at = ? WHERE case_id = ?",
        (*values.values(), now, case.case_id),
    )
