"""The review columns the window's findings table shows beside each finding.

:func:`with_review_columns` adds a case's decision, override and comment to the findings
frame, and the category and reason after the review. The analysis worker builds it for a
case with no decision yet, so the window only attaches the frame when the findings arrive.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pmviewer.core.model import CATEGORIES, Decision
from pmviewer.core.review.types import decisions_frame

# review columns added to the findings frame: table key -> decisions_frame column
REVIEW_COLUMNS = {
    "review_decision": "decision",
    "review_override": "classification_override",
    "review_comment": "comment",
}


def with_review_columns(
    frame: pd.DataFrame,
    decisions: Mapping[str, Decision],
    reviewed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``frame`` with the review columns of ``decisions``; with ``reviewed`` (the findings'
    :func:`~pmviewer.core.review.reviewed_findings`, row for row) also the category and
    reason after overrides, so the views and counts show what the report will print."""
    review = decisions_frame(frame, decisions)
    columns = {key: review[src].to_numpy() for key, src in REVIEW_COLUMNS.items()}
    if reviewed is not None:
        columns["category"] = pd.Categorical(
            reviewed["category"].to_numpy(), categories=list(CATEGORIES)
        )
        columns["reason"] = reviewed["reason"].to_numpy()
    return frame.assign(**columns)
