"""Sign-off steps of a case: review, approval (locks), amendment (unlocks with a reason).

Each step is done inside one :class:`~pmviewer.core.review.unit_of_work.CaseWork`; call them
through the :class:`~pmviewer.core.review.case.ReviewCase` methods of the same names.
"""

from __future__ import annotations

from pmviewer.core.model import Amendment
from pmviewer.core.review.errors import CaseLocked, ReviewValueError, SignOffError
from pmviewer.core.review.types import clean_text
from pmviewer.core.review.unit_of_work import LOCKED_STATUSES, CaseWork


def sign_review(work: CaseWork, reviewer: str, credentials: str = "") -> None:
    """The reviewer signs: records name, credentials and the time (UTC)."""
    reviewer = clean_text(reviewer, "reviewer name").strip()
    credentials = clean_text(credentials, "credentials").strip()
    if not reviewer:
        raise SignOffError("Please type the reviewer's name to sign the review.")
    work.require_draft()
    work.set_signoff_fields(
        {"reviewer": reviewer, "reviewer_credentials": credentials, "reviewed_at": work.now}
    )
    work.note(f"Review signed by {reviewer}")
    work.changed("signoff")


def approve(work: CaseWork, approver: str, credentials: str = "") -> str:
    """The approver signs: the case becomes ``final`` (or ``amended``) and is locked.

    Returns the new status. Requires a signed review.
    """
    approver = clean_text(approver, "approver name").strip()
    credentials = clean_text(credentials, "credentials").strip()
    if not approver:
        raise SignOffError("Please type the approver's name to approve the report.")
    if work.status() in LOCKED_STATUSES:
        raise CaseLocked("This case is already approved. To change it, start an amendment first.")
    reviewer = work.signoff_field("reviewer")
    if not reviewer:
        raise SignOffError(
            "The review has not been signed yet. The reviewer signs first, then the approver."
        )
    if reviewer.strip().casefold() == approver.casefold():
        raise SignOffError(
            f"The review was signed by {reviewer}; the report must be approved by another "
            "person. Ask a second qualified person to approve it."
        )
    amendment = work.require_draft()
    new_status = "amended" if amendment is not None else "final"
    work.set_signoff_fields(
        {"approver": approver, "approver_credentials": credentials, "approved_at": work.now}
    )
    work.set_status(new_status)
    if amendment is not None:
        work.close_amendment(amendment)
    work.changed("signoff")
    return new_status


def start_amendment(work: CaseWork, reason: str) -> Amendment:
    """Unlock an approved case to change it; every change is then noted in words.

    The status returns to ``draft`` (the approval no longer covers the content) until
    :func:`approve` is called again, which makes it ``amended``.
    """
    reason = clean_text(reason, "reason").strip()
    if not reason:
        raise ReviewValueError(
            "Please give the reason for the amendment; it is printed in the amended report."
        )
    if work.status() not in LOCKED_STATUSES:
        raise SignOffError(
            "Only an approved report needs an amendment; this case is still a draft "
            "and can be changed directly."
        )
    work.add_amendment(reason, work.now, None)
    work.record(None, "amendment", None, reason)
    work.set_status("draft")
    work.set_signoff_fields({"approver": "", "approver_credentials": "", "approved_at": ""})
    work.changed("signoff")
    return Amendment(work.now, reason, [])
