"""Cross-patient memory: what was decided about a variant in earlier cases on this computer.

The answer carries no patient identifiers: no name, MRN, file name, sample or SHA-256, and
only the calendar date (not the time) of the last change, so a row cannot be matched to a
clinic appointment. Free text (comments, reasons) is shown as the counselor wrote it.

The lookup is one seek in the ``decisions_by_finding`` index (see
:mod:`pmviewer.core.review.schema`), so it stays fast however many cases accumulate.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple


class EarlierDecision(NamedTuple):
    """A decision on the same variant in another case (newest first)."""

    date: str  # YYYY-MM-DD (UTC) of the last change to that decision
    classification_override: str | None
    decision: str  # one of DECISIONS
    comment: str
    override_reason: str | None  # why the classification was overridden
    case_status: str  # draft | final | amended: was that review signed off?


# Only rows that say something: a decision taken, a classification, or a comment.
_QUERY = """
SELECT substr(d.updated_at, 1, 10), d.classification_override, d.decision, d.comment,
       d.override_reason, c.status
FROM decisions AS d INDEXED BY decisions_by_finding
JOIN cases AS c ON c.case_id = d.case_id
WHERE d.finding_id = ? AND d.case_id IS NOT ?
  AND (d.decision != 'undecided' OR d.classification_override IS NOT NULL OR d.comment != '')
ORDER BY d.updated_at DESC
"""


def earlier_decisions(
    conn: sqlite3.Connection, finding_id: str, exclude_case_id: int | None
) -> list[EarlierDecision]:
    """Decisions on ``finding_id`` in every case but ``exclude_case_id``, newest first."""
    rows = conn.execute(_QUERY, (finding_id, exclude_case_id)).fetchall()
    return [EarlierDecision(*row) for row in rows]


def query_plan(conn: sqlite3.Connection) -> str:
    """SQLite's plan for the lookup (tests use it to prove the index is used)."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + _QUERY, ("x", None)).fetchall()
    return "\n".join(str(row[-1]) for row in rows)
