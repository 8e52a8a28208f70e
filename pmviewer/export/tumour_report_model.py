"""What the tumour report says: pure data built from a :class:`TumourAnalysis` and the review.

The page furniture, patient block, sign-off and the incidental germline section reuse the
germline report's model (:func:`build_report_model` of the matched normal); a file without a
normal gets a model of its own with no germline findings, and the report says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pmviewer.core.model import Decision, LabDetails, PatientDetails, SignOff
from pmviewer.core.oncology import CITATION, LIMITATIONS, TumourAnalysis, TumourFinding
from pmviewer.core.tumour_pipeline import germline_not_analysed_reason
from pmviewer.export.report_model import (
    Methods,
    ReportModel,
    SourceLine,
    build_report_model,
    is_synthetic_input,
)

TUMOUR_TITLE = "Tumour molecular profiling report (somatic variants, CIViC evidence)"
GERMLINE_REFERRAL = (
    "These inherited (germline) findings come from the matched normal sample, not from the "
    "tumour. They may matter for the patient's relatives: refer the patient to genetic "
    "counselling before results are shared with the family."
)


@dataclass
class TumourRow:
    """One tumour finding as printed, with the reviewer's decision."""

    finding: TumourFinding
    decision: str  # undecided | include | exclude
    comment: str


@dataclass
class TumourReportModel:
    page: ReportModel  # header, patient, sign-off; its findings are the germline section's
    analysis: TumourAnalysis
    rows: list[TumourRow]
    summary: str
    germline_reason: str | None  # why there is no germline section
    excluded: int
    limitations: list[str] = field(default_factory=list)
    tiering: str = CITATION


def _summary(rows: list[TumourRow], analysis: TumourAnalysis) -> str:
    tiers = {t: [r for r in rows if r.finding.tier == t] for t in ("Tier I", "Tier II", "Tier III")}
    named = [f"{r.finding.gene} {r.finding.hgvs_p or ''}".strip() for r in tiers["Tier I"]]
    text = (
        f"{len(tiers['Tier I'])} variant(s) of strong clinical significance (Tier I)"
        + (f": {', '.join(named)}" if named else "")
        + f"; {len(tiers['Tier II'])} of potential significance (Tier II); "
        f"{len(tiers['Tier III'])} of uncertain significance (Tier III) in "
        f"{analysis.tumour_type.name} ({analysis.tumour_type.doid})."
    )
    if not tiers["Tier I"] and not tiers["Tier II"]:
        text += (" No variant with CIViC evidence was found among the small variants assessed; "
                 "copy number, fusions, TMB and MSI were not assessed.")  # fmt: skip
    return text


def _methods(analysis: TumourAnalysis, software_version: str) -> Methods:
    kb = analysis.knowledge
    sources: dict[tuple[str, str, str], SourceLine] = {}
    for src in kb.get("sources") or []:  # type: ignore[attr-defined]
        key = (str(src.get("name")), str(src.get("release")), str(src.get("licence")))
        if key in sources:
            sources[key].files += 1
            sources[key].sha256 = ""
        else:
            sources[key] = SourceLine(*key, sha256=str(src.get("sha256") or ""))
    attribution = kb.get("attribution") or {}
    return Methods(
        input_name=Path(analysis.path).name, input_sha256=analysis.input_sha256 or "",
        sample=str(analysis.tumour.tumour_sample or ""), build=analysis.build,
        sex_used="not used (tumour report)", knowledge_version=str(kb.get("version") or ""),
        knowledge_sha256=str(kb.get("content_sha256") or ""),
        knowledge_built=str(kb.get("build_date") or ""), sources=list(sources.values()),
        software_version=software_version, acmg_sf_version="", genes=[], gene_count=None,
        quality_thresholds=[], variant_accounting=[], limitations=list(LIMITATIONS),
        coverage_notes=[], warnings=list(analysis.warnings),
        attribution=[str(v) for _, v in sorted(attribution.items())] if isinstance(attribution, dict) else [],
    )  # fmt: skip


def build_tumour_report_model(
    analysis: TumourAnalysis,
    *,
    patient: PatientDetails | None = None,
    lab: LabDetails | None = None,
    decisions: dict[str, Decision] | None = None,
    signoff: SignOff | None = None,
    software_version: str = "",
    generated_at: datetime | None = None,
) -> TumourReportModel:
    """The tumour report's content; excluded findings are left out and counted."""
    decisions = decisions or {}
    when = generated_at or datetime.now(timezone.utc)
    germline = analysis.germline
    if germline is not None:
        page = build_report_model(
            germline.findings, patient=patient, lab=lab, decisions=decisions, signoff=signoff,  # type: ignore[attr-defined]
            software_version=software_version, generated_at=when,
        )  # fmt: skip
    else:
        status = signoff.status if signoff is not None else "draft"
        page = ReportModel(
            title=TUMOUR_TITLE, status=status, generated_at=when,
            synthetic=is_synthetic_input(analysis.path), lab=lab or LabDetails(),
            patient=patient or PatientDetails(), patient_sex="not used (tumour report)",
            summary="", summary_positive=False, pgx_summary="", findings=[],
            include_carrier=False, include_uncertain=False, pgx=[],
            methods=_methods(analysis, software_version), signoff=signoff or SignOff(),
            unreviewed_count=0, excluded_count=0,
        )  # fmt: skip
    page.title = TUMOUR_TITLE
    rows: list[TumourRow] = []
    excluded = 0
    for finding in analysis.findings:
        d = decisions.get(finding.finding_id)
        decision = d.decision if d else "undecided"
        if decision == "exclude":
            excluded += 1
            continue
        rows.append(TumourRow(finding, decision, d.comment if d else ""))
    if page.status == "draft":
        unreviewed = sum(r.decision == "undecided" for r in rows)
        if unreviewed:
            page.draft_notes.append(f"{unreviewed} tumour finding(s) are not yet reviewed.")
    return TumourReportModel(
        page=page, analysis=analysis, rows=rows, summary=_summary(rows, analysis),
        germline_reason=germline_not_analysed_reason(analysis), excluded=excluded,
        limitations=list(analysis.limitations),
    )  # fmt: skip
