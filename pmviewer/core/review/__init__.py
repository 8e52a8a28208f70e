"""The counselor's review: a per-user case store of decisions, sign-off, amendments and audit.

:class:`ReviewStore` opens a case (:mod:`.case`); every change is one committed transaction with
an audit row (:mod:`.audit`); :mod:`.signoff` signs and amends, :mod:`.export` writes and reads
the review file, :mod:`.memory` finds earlier decisions on the same variant. Every change goes
through one unit of work (:mod:`.unit_of_work`, ``ReviewCase.work()``); :mod:`.reviewed` says
what the review makes of each finding (category after overrides, report section)."""

from __future__ import annotations

from pmviewer.core.review.columns import REVIEW_COLUMNS, with_review_columns
from pmviewer.core.review.export import (
    ReviewDocument,
    export_review,
    load_review,
    mismatch_warning,
)
from pmviewer.core.review.integrity import (
    BackupInfo,
    CaseStoreDamaged,
    backups_of,
    restore_backup,
)
from pmviewer.core.review.memory import EarlierDecision
from pmviewer.core.review.reviewed import (
    SECTIONS,
    FinalReportGaps,
    ReportSections,
    decided_counts,
    final_report_gaps,
    reviewed_findings,
    section_for,
    sex_conflict,
)
from pmviewer.core.review.store import (
    ReviewStore,
    decisions_frame,
    labels_from_findings,
    prepare_case,
)
from pmviewer.core.review.types import REPORT_OPTIONS

__all__ = [
    "BackupInfo",
    "CaseStoreDamaged",
    "backups_of",
    "restore_backup",
    "SECTIONS",
    "EarlierDecision",
    "FinalReportGaps",
    "ReportSections",
    "decided_counts",
    "final_report_gaps",
    "reviewed_findings",
    "section_for",
    "sex_conflict",
    "REPORT_OPTIONS",
    "ReviewDocument",
    "ReviewStore",
    "decisions_frame",
    "export_review",
    "labels_from_findings",
    "load_review",
    "mismatch_warning",
    "prepare_case",
    "REVIEW_COLUMNS",
    "with_review_columns",
]
