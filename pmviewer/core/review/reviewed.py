"""A finding's reviewed state: the one place that says what the review makes of each finding.

:func:`reviewed_findings` applies the counselor's decisions and classification overrides to
the analysis's findings and returns, per finding, the effective category and reason (the gene's
reporting rule applied again with the override), the decision and the report section it is
printed in. The window's views and counts, the final-report checklist
(:func:`pmviewer.core.patient.report_check`) and the report model
(:func:`pmviewer.export.report_model.build_report_model`) all read it, so they cannot disagree.

Which sex the rule uses when applied again: the *analysis's* sex (``Findings.sex``), never the
patient form's. Every finding the analysis classified used that sex, so an overridden finding
must be re-classified with it too, or one report would mix two sexes. When the form's sex
differs from the analysis's, the window analyses again with the form's sex, and a final report
is refused until it has (:func:`sex_conflict`).

:func:`final_report_gaps` lists what a final or amended report still needs; the checklist and
the report model both word these same gaps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from pmviewer.core.annotation import reclassified_verdicts
from pmviewer.core.model import Decision, SignOff

SEX_WORDS = {"F": "Female", "M": "Male"}
# printed sections in report order; a finding of another category is printed only when included
SECTIONS = ("reportable", "carrier", "uncertain", "additional")
REVIEWED_COLUMNS = (
    "finding_id",
    "category",
    "reason",
    "analysis_category",
    "decision",
    "classification_override",
    "section",
)


@dataclass(frozen=True)
class ReportSections:
    """The optional sections the review chose to print (``ReviewCase.report_options()``)."""

    include_carrier: bool = False
    include_uncertain: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, object] | None) -> ReportSections:
        options = options or {}
        return cls(
            include_carrier=bool(options.get("include_carrier", False)),
            include_uncertain=bool(options.get("include_uncertain", False)),
        )


def section_for(category: str, decision: str, sections: ReportSections) -> str | None:
    """The report section of a finding of ``category`` with ``decision``; ``None``: not printed.

    Reportable findings always print unless excluded; carrier and uncertain ones when their
    optional section is chosen or the finding was included; others only when included.
    """
    if decision == "exclude":
        return None
    if category == "reportable":
        return "reportable"
    if category == "carrier" and (sections.include_carrier or decision == "include"):
        return "carrier"
    if category == "uncertain" and (sections.include_uncertain or decision == "include"):
        return "uncertain"
    if category == "other" and decision == "include":
        return "additional"
    return None


def reviewed_findings(
    frame: pd.DataFrame,
    decisions: Mapping[str, Decision],
    sex: str | None,
    sections: ReportSections | None = None,
) -> pd.DataFrame:
    """Each finding's state after the review, aligned to ``frame``'s rows.

    Parameters
    ----------
    frame
        ``Findings.frame`` (``finding_id``, ``category``, ``reason`` and the rule columns).
    decisions
        ``ReviewCase.decisions()``; ids not present are undecided.
    sex
        The analysis's sex (``Findings.sex``), see the module notes.
    sections
        Optional sections chosen; default none.

    Returns
    -------
    A frame with ``frame``'s index and :data:`REVIEWED_COLUMNS`: ``category``/``reason`` after
    overrides, ``analysis_category`` as annotated, ``decision``, ``classification_override``
    and ``section`` (``None`` when the finding is not printed).
    """
    sections = sections or ReportSections()
    if not len(frame) or "finding_id" not in frame.columns:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in REVIEWED_COLUMNS})
    ids = frame["finding_id"].astype(str).tolist()
    analysis = _text_column(frame, "category")
    reasons = _text_column(frame, "reason")
    overrides = {
        fid: d.classification_override for fid, d in decisions.items() if d.classification_override
    }
    verdicts = reclassified_verdicts(frame, overrides, sex if sex in SEX_WORDS else None)
    categories = [
        verdicts[f].category if f in verdicts else c for f, c in zip(ids, analysis, strict=True)
    ]
    reasons = [
        verdicts[f].reason if f in verdicts else r for f, r in zip(ids, reasons, strict=True)
    ]
    chosen = [decisions[f].decision if f in decisions else "undecided" for f in ids]
    return pd.DataFrame(
        {
            "finding_id": ids,
            "category": categories,
            "reason": reasons,
            "analysis_category": analysis,
            "decision": chosen,
            # object columns: a missing value stays None (not NaN) for the callers
            "classification_override": pd.Series(
                [overrides.get(f) for f in ids], index=frame.index, dtype=object
            ),
            "section": pd.Series(
                [section_for(c, d, sections) for c, d in zip(categories, chosen, strict=True)],
                index=frame.index,
                dtype=object,
            ),
        },
        index=frame.index,
    )


def _text_column(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return frame[name].astype(object).where(frame[name].notna(), "").astype(str).tolist()


def decided_counts(reviewed: pd.DataFrame, category: str) -> tuple[int, int]:
    """(decided, total) findings of the effective ``category`` (the window's case line)."""
    # boolean arrays, no row selection: the window takes this as each file's findings arrive
    wanted = (reviewed["category"] == category).to_numpy(dtype=bool, na_value=False)
    decided = (reviewed["decision"] != "undecided").to_numpy(dtype=bool, na_value=True)
    return int((wanted & decided).sum()), int(wanted.sum())


def sex_conflict(patient_sex: str, analysis_sex: str | None, analysis_source: str) -> str:
    """A sentence when the findings were classified for another sex than the patient's."""
    if patient_sex in SEX_WORDS and analysis_sex in SEX_WORDS and patient_sex != analysis_sex:
        return (
            f"The findings were classified for a {SEX_WORDS[analysis_sex].lower()} patient "
            f"({analysis_source}) but the patient details say "
            f"{SEX_WORDS[patient_sex].lower()}; X-linked findings may be classified wrongly. "
            "Run the analysis again with the patient's sex."
        )
    return ""


@dataclass
class FinalReportGaps:
    """What a final (or amended) report still needs, as facts; empty when it can be issued."""

    undecided: dict[str, list[str]] = field(default_factory=dict)  # section -> finding ids
    sex_conflict: str = ""
    missing_signoff: list[str] = field(default_factory=list)  # "reviewer name", ...
    amendment_open: bool = False
    not_approved: bool = False
    amended_without_amendment: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.undecided
            or self.sex_conflict
            or self.missing_signoff
            or self.amendment_open
            or self.not_approved
            or self.amended_without_amendment
        )


def final_report_gaps(
    reviewed: pd.DataFrame, signoff: SignOff, conflict: str = ""
) -> FinalReportGaps:
    """The gaps between the review and a final report.

    ``reviewed`` from :func:`reviewed_findings`: every printed finding needs a decision.
    ``conflict`` from :func:`sex_conflict`.
    """
    gaps = FinalReportGaps(sex_conflict=conflict)
    pending = reviewed[reviewed["section"].notna() & (reviewed["decision"] == "undecided")]
    for section in SECTIONS:
        ids = pending.loc[pending["section"] == section, "finding_id"].astype(str).tolist()
        if ids:
            gaps.undecided[section] = ids
    gaps.missing_signoff = [
        label
        for label, value in (
            ("reviewer name", signoff.reviewer),
            ("approver name", signoff.approver),
            ("approval date", signoff.approved_at),
        )
        if not str(value or "").strip()
    ]
    gaps.amendment_open = signoff.status == "draft" and bool(signoff.amendments)
    gaps.not_approved = signoff.status not in ("final", "amended")
    gaps.amended_without_amendment = signoff.status == "amended" and not signoff.amendments
    return gaps
