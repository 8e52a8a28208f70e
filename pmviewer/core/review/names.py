"""The reviewer's transcript-level names (c./p. HGVS with transcript), kept in the audit trail.

The audit trail is append-only and already records who (OS account) changed what and when, so
the current name of a finding is simply its newest ``variant_name`` row: no second copy that
could disagree with the log. Entries are syntax checked (:func:`check_hgvs`); pmviewer cannot
check them against a transcript model, and the report says the name was entered by the
reviewer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pmviewer.core.annotation import check_hgvs
from pmviewer.core.review.audit import change_words
from pmviewer.core.review.errors import ReviewValueError

if TYPE_CHECKING:
    from pmviewer.core.review.case import ReviewCase

NAME_FIELD = "variant_name"
Name = tuple[str, str, str]  # transcript, c., p.


def _words(name: Name | None) -> str | None:
    if not name:
        return None
    transcript, c, p = name
    return f"{transcript}:{c}" + (f" {p}" if p else "")


def read_names(case: ReviewCase) -> dict[str, Name]:
    """finding_id -> the reviewer's current name (removed names are left out)."""
    rows = case.db.read(
        "SELECT finding_id, new FROM audit WHERE case_id = ? AND field = ? ORDER BY seq",
        (case.case_id, NAME_FIELD),
    )
    current: dict[str, Name | None] = {}
    for fid, new in rows:
        value = json.loads(new) if new else None
        current[str(fid)] = tuple(value) if value else None
    return {fid: name for fid, name in current.items() if name}


def write_name(
    case: ReviewCase, finding_id: str, transcript: str, hgvs_c: str, hgvs_p: str
) -> bool:
    """Store (or, with all three empty, remove) the reviewer's name; False when unchanged.

    Raises :class:`ReviewValueError` with the syntax problem, and ``CaseLocked`` on a signed
    case without an open amendment (like every other edit).
    """
    name: Name = (transcript.strip(), hgvs_c.strip(), hgvs_p.strip())
    if any(name):
        problem = check_hgvs(*name)
        if problem:
            raise ReviewValueError(f"The name of {case.label(finding_id)} was not saved: {problem}")
    new = name if any(name) else None
    old = read_names(case).get(finding_id)
    if old == new:
        return False
    with case.work() as work:
        work.require_draft()
        note = change_words(case.label(finding_id), NAME_FIELD, _words(old), _words(new))
        work.record(
            finding_id, NAME_FIELD,
            json.dumps(list(old)) if old else None, json.dumps(list(new)) if new else None,
            note,
        )  # fmt: skip
        work.touch()
        work.changed("name", [finding_id])
    return True
