"""Batch planning, resumption and the summary table (the engine that runs jobs lives in
:mod:`pmviewer.commands.batch`)."""

from pmviewer.core.batch.ledger import Ledger
from pmviewer.core.batch.plan import BatchJob, plan_jobs
from pmviewer.core.batch.summary import (
    COLUMNS,
    SF_NOT_ASSESSED,
    SummaryRow,
    error_row,
    row_for,
    summary_tsv,
)

__all__ = [
    "COLUMNS",
    "SF_NOT_ASSESSED",
    "BatchJob",
    "Ledger",
    "SummaryRow",
    "error_row",
    "plan_jobs",
    "row_for",
    "summary_tsv",
]
