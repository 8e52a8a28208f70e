"""The clinical report as plain data: what is printed, decided before anything is drawn.

:func:`build_report_model` turns annotated findings, the counselor's review decisions, patient
and laboratory details and the knowledge metadata into a :class:`ReportModel`. Rendering
(:mod:`pmviewer.export.pdf`) only lays this model out, so every wording and every inclusion
rule is testable here without a PDF.

Inclusion rules (a real laboratory's sign-out logic):

Which finding prints in which section, and what a final report needs, is decided once for the
window and the report in :mod:`pmviewer.core.review.reviewed`:

- ``reportable`` findings are always reported unless the reviewer excluded them.
- ``carrier`` and ``uncertain`` findings are reported only when the review chose to include
  that optional section (:class:`ReportOptions`), or when the reviewer explicitly included a
  single finding.
- ``other`` findings appear only when explicitly included ("additional findings").
- A finding whose decision is ``exclude`` is never printed; a draft states how many were left
  out so that nothing disappears silently before sign-off.
- An ``undecided`` finding is printed in a draft with a "Not yet reviewed" mark; a final or
  amended report refuses to be built until every printed finding has a decision.
- A classification override replaces the printed classification; the knowledge-base
  classification and the reviewer's reason are printed next to it. The gene's reporting rule
  is applied again with the override, with the analysis's sex (:func:`reviewed_findings`), so
  an upgraded VUS can become reportable and a downgraded finding leaves the reportable
  section and the positive summary.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

import pandas as pd

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import (
    CATEGORY_LABELS,
    Decision,
    Findings,
    LabDetails,
    PatientDetails,
    SignOff,
)
from pmviewer.core.resources import resource_path
from pmviewer.core.review import (
    SECTIONS,
    FinalReportGaps,
    ReportSections,
    final_report_gaps,
    reviewed_findings,
    sex_conflict,
)
from pmviewer.export.report_assessment import (
    ReportAssessment,
    report_assessment,
    summary_sentence,
)
from pmviewer.export.report_checks import (
    check_names,
    check_people,
    check_reasons,
    reviewer_reasons,
)
from pmviewer.export.report_findings import (
    ReportFinding,
    as_int,
    as_text,
    civic_line,
    finding_from_row,
)
from pmviewer.export.report_pgx import (
    DrugRow,
    PgxRecommendation,
    ReportPgx,
    pgx_summary,
    report_drugs,
    report_pgx,
)

__all__ = [
    "PgxRecommendation",
    "ReportModel",
    "ReportOptions",
    "ReportPgx",
    "build_report_model",
    "is_synthetic_input",
]

REPORT_TITLE = "Germline Genomic Report: Secondary Findings and Pharmacogenomics"
SYNTHETIC_HEADER_LINE = "##pmviewer_synthetic=true"

SEX_WORDS = {"F": "Female", "M": "Male"}

# Limits of a VCF-based secondary-findings analysis. These describe the test design only
# (what the input can and cannot contain), never a clinical fact about a gene.
LIMITATIONS = (
    "Only variants present in the submitted VCF file were assessed. Regions that were not "
    "sequenced, not called, or filtered out before the file was made cannot be assessed, and "
    "the report cannot tell them apart from regions without variants unless the file records "
    "reference calls.",
    "Copy-number variants, large deletions and duplications, structural rearrangements, "
    "repeat expansions, mosaic and low-level variants, and variants in regions of high "
    "homology (pseudogenes) are not reliably detected from a VCF and are not excluded by a "
    "negative result.",
    "Variants are reported only when the bundled knowledge classifies them; novel variants and "
    "variants without a matching classification are not interpreted.",
    "Classifications reflect the knowledge release listed in the methods and may change as evidence "
    "accumulates. Reinterpretation may be requested.",
    "This analysis is limited to the listed genes. A negative result does not rule out a "
    "genetic cause for the indication or a condition in the family.",
    "Pharmacogenomic calls use only the positions present in the file. Gene copy number "
    "(for example CYP2D6 deletions and duplications), hybrid alleles and unphased data can "
    "change a diplotype; genes that could not be called are listed as such.",
    "Results depend on correct sample identity and on the accuracy of the sequencing and "
    "variant-calling steps that produced the file.",
)


@dataclass
class ReportOptions:
    """Optional sections chosen in the review."""

    include_carrier: bool = False
    include_uncertain: bool = False
    page_size: str = "A4"  # "A4" | "letter"


@dataclass
class SourceLine:
    """One source release; several files of the same release are grouped on one line."""

    name: str
    release: str
    licence: str
    sha256: str  # of the file, when the release is a single file
    files: int = 1


@dataclass
class Methods:
    """The methods and limitations section: input, knowledge, software and thresholds."""

    input_name: str
    input_sha256: str
    sample: str
    build: str
    sex_used: str
    knowledge_version: str
    knowledge_sha256: str
    knowledge_built: str
    sources: list[SourceLine]
    software_version: str
    acmg_sf_version: str
    genes: list[str]
    gene_count: int | None
    quality_thresholds: list[str]
    variant_accounting: list[tuple[str, str]]
    limitations: list[str]
    coverage_notes: list[str]
    attribution: list[str]
    warnings: list[str]


@dataclass
class ReportModel:
    """Everything the PDF shows. Pure data: building it twice gives equal objects."""

    title: str
    status: str  # "draft" | "final" | "amended"
    generated_at: datetime
    synthetic: bool
    lab: LabDetails
    patient: PatientDetails
    patient_sex: str  # in words, with its source
    summary: str
    summary_positive: bool
    pgx_summary: str
    findings: list[ReportFinding]
    include_carrier: bool
    include_uncertain: bool
    pgx: list[ReportPgx]
    methods: Methods
    signoff: SignOff
    unreviewed_count: int
    excluded_count: int
    page_size: str = "A4"
    draft_notes: list[str] = field(default_factory=list)
    assessment: ReportAssessment | None = None  # which genes were assessed (page 1, methods)
    summary_detail: str = ""  # genes not assessed and why, under the summary
    reviewer_reasons: list[str] = field(default_factory=list)  # exclusions / flagged inclusions
    policy: list[str] = field(default_factory=list)  # the evidence policy, in words
    # CIViC evidence on the pharmacogenomic variants: (gene, item in words)
    pgx_evidence: list[tuple[str, str]] = field(default_factory=list)
    pgx_drugs: list[DrugRow] = field(default_factory=list)  # drug view (core.pgx.drug_view)

    def section(self, name: str) -> list[ReportFinding]:
        """The printed findings of one section, in order."""
        return [f for f in self.findings if f.section == name]


def is_synthetic_input(path: str | Path | None) -> bool:
    """True for the bundled demo, or a VCF whose header says ``##pmviewer_synthetic=true``."""
    if not path:
        return False
    path = Path(path)
    try:
        if path.resolve().is_relative_to(resource_path("demo").resolve()):
            return True
        opener = gzip.open if path.suffix in (".gz", ".bgz") else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.startswith("##"):
                    return False
                if line.strip().lower() == SYNTHETIC_HEADER_LINE:
                    return True
    except (OSError, EOFError):
        return False
    return False


SECTION_ORDER = {name: i for i, name in enumerate(SECTIONS)}


def _genes(knowledge: dict) -> tuple[list[str], int | None, str]:
    genes = knowledge.get("genes") or knowledge.get("acmg_sf_genes") or []
    gene_list = sorted(str(g) for g in genes) if isinstance(genes, (list, tuple, set)) else []
    count = len(gene_list) or as_int(knowledge.get("gene_count") or knowledge.get("n_genes"))
    if isinstance(genes, int):
        count = genes
    version = as_text(knowledge.get("acmg_sf_version"))
    if not version:
        for src in knowledge.get("sources") or []:
            name = as_text(src.get("name"))
            if "acmg" in name.lower():
                version = as_text(src.get("version") or src.get("release")) or name
    return gene_list, count, version


def _thresholds(findings: Findings, given: object) -> list[str]:
    raw = (
        given
        or findings.knowledge.get("quality_thresholds")
        or findings.fate.get("quality_thresholds")
    )
    if isinstance(raw, dict):
        return [f"{k.replace('_', ' ')}: {v}" for k, v in raw.items()]
    if isinstance(raw, (list, tuple)):
        return [str(x) for x in raw]
    if raw:
        return [str(raw)]
    return []


# Words for the keys of core.fate.variant_fate; other keys are printed humanised.
FATE_LABELS = {
    "scope": "Part of the file read",
    "records_read": "Records read",
    "variant_rows": "Variant rows kept",
    "dropped_reference_only": "Reference-only calls (0/0)",
    "dropped_no_call": "No-call genotypes",
    "alleles_not_carried": "Alleles not carried",
    "gvcf_reference_blocks": "gVCF reference blocks",
    "star_alleles_dropped": "Spanning-deletion (*) alleles",
    "symbolic_rows": "Structural/symbolic rows",
    "records_skipped": "Unreadable records skipped",
    "skipped_reasons": "Skip reasons listed",
    "outside_analysed_genes": "Variants outside analysed genes",
    "in_analysed_genes": "Variants in analysed genes",
    "matched_knowledge": "Matched a knowledge record",
    "indels_not_fully_normalised": "Indels not fully normalised",
    "normalisation": "Normalisation",
    **{c: CATEGORY_LABELS[c] for c in ("reportable", "carrier", "uncertain")},
    "pgx": "Pharmacogenomic positions",
    "other": "Other (not reportable)",
}


def _accounting(fate: dict) -> list[tuple[str, str]]:
    rows = []
    for key, value in fate.items():
        if key in ("quality_thresholds", "skipped_reasons") or isinstance(value, dict):
            continue
        if isinstance(value, (list, tuple)):
            value = len(value)
        label = FATE_LABELS.get(key, str(key).replace("_", " ").capitalize())
        rows.append((label, str(value)))
    return rows


def _methods(
    findings: Findings, software_version: str, sex_used: str, thresholds: object
) -> Methods:
    kb: dict[str, Any] = dict(findings.knowledge or {})
    sources: dict[tuple[str, str, str], SourceLine] = {}
    for src in cast(list[dict[str, str]], kb.get("sources") or []):
        line = SourceLine(
            name=as_text(src.get("name")),
            release=as_text(src.get("release") or src.get("version")),
            licence=as_text(src.get("licence") or src.get("license")),
            sha256=as_text(src.get("sha256")),
        )
        key = (line.name, line.release, line.licence)
        if key in sources:
            sources[key].files += 1
            sources[key].sha256 = ""  # per-file hashes: see the knowledge file itself
        else:
            sources[key] = line
    attribution = kb.get("attribution") or {}
    if isinstance(attribution, dict):
        attribution = [str(v) for _, v in sorted(attribution.items())]
    genes, count, sf_version = _genes(kb)
    return Methods(
        input_name=Path(findings.input_path).name if findings.input_path else "",
        input_sha256=findings.input_sha256 or "",
        sample=findings.sample or "",
        build=findings.build,
        sex_used=sex_used,
        knowledge_version=as_text(kb.get("version")),
        sources=list(sources.values()),
        knowledge_sha256=as_text(kb.get("file_sha256")),
        knowledge_built=as_text(kb.get("build_date")),
        attribution=[str(a) for a in attribution] if isinstance(attribution, list) else [],
        software_version=software_version,
        acmg_sf_version=sf_version,
        genes=genes,
        gene_count=count,
        quality_thresholds=_thresholds(findings, thresholds),
        variant_accounting=_accounting(findings.fate or {}),
        limitations=list(LIMITATIONS),
        coverage_notes=[str(n) for n in cast(list[object], kb.get("coverage_notes") or [])],
        warnings=list(findings.warnings),
    )


def _sex_words(patient: PatientDetails, findings: Findings) -> tuple[str, str]:
    """(code, words) for the sex printed and used by the X-linked wording."""
    if patient.sex in SEX_WORDS:
        return patient.sex, SEX_WORDS[patient.sex]
    if findings.sex in SEX_WORDS:
        return findings.sex, _analysis_sex(findings)
    return "", "Not stated"


def _analysis_sex(findings: Findings) -> str:
    """The sex the X-linked rules used, with where it came from (printed in the methods)."""
    if findings.sex not in SEX_WORDS:
        return "Not determined; X-linked findings that depend on it are listed as uncertain"
    source = {"inferred": "inferred from the data", "stated": "as stated"}.get(
        findings.sex_source, findings.sex_source
    )
    return f"{SEX_WORDS[findings.sex]} ({source})"


def _check_final(status: str, findings: list[ReportFinding], gaps: FinalReportGaps) -> None:
    """Refuse a final or amended report with what it still needs (the checklist's gaps)."""
    if gaps.sex_conflict:
        conflict = gaps.sex_conflict
        raise PmviewerError(
            f"A {status} report cannot be made: {conflict[0].lower()}{conflict[1:]}"
        )
    if gaps.undecided:
        pending = {fid for ids in gaps.undecided.values() for fid in ids}
        names = ", ".join(sorted({f.gene for f in findings if f.finding_id in pending}))
        raise PmviewerError(
            f"A {status} report needs a review decision on every reported finding; "
            f"{len(pending)} finding(s) are not yet reviewed ({names}). Review them, "
            "or produce a draft report instead."
        )
    if gaps.missing_signoff:
        raise PmviewerError(
            f"A {status} report needs the {', '.join(gaps.missing_signoff)} of the sign-off. "
            "Add them to the review, or produce a draft report instead."
        )
    if gaps.amended_without_amendment:
        raise PmviewerError(
            "An amended report must say what changed and why; the review has no amendment."
        )


def _shown_findings(
    findings: Findings, reviewed: pd.DataFrame, decisions: dict[str, Decision], sex_code: str
) -> tuple[list[ReportFinding], int]:
    """The printed findings in section order, and how many the reviewer excluded."""
    rows = findings.frame.to_dict("records") if len(findings.frame) else []
    shown: list[ReportFinding] = []
    for row, state in zip(rows, reviewed.to_dict("records"), strict=True):
        section = state["section"]
        if section is None:
            continue
        # the category and reason after the review (the rule applied again with an override)
        row = {**row, "category": state["category"], "reason": state["reason"]}
        decision = decisions.get(state["finding_id"])
        civic = findings.civic.get(state["finding_id"])
        shown.append(finding_from_row(row, section, decision, findings.build, sex_code, civic))
    shown.sort(key=lambda f: (SECTION_ORDER[f.section], f.gene, f.position))
    excluded = int((reviewed["decision"] == "exclude").sum()) if len(reviewed) else 0
    return shown, excluded


def _pgx_evidence(findings: Findings, reviewed: pd.DataFrame) -> list[tuple[str, str]]:
    """CIViC items of the pharmacogenomic variants (the window shows them on those rows)."""
    if not findings.civic or not len(reviewed):
        return []
    pgx = reviewed["category"] == "pgx"
    ids = reviewed.loc[pgx, "finding_id"].astype(str).tolist()
    genes = findings.frame.loc[pgx.to_numpy(), "kb_gene"].tolist()
    out = {
        (as_text(gene) or as_text(item.get("gene")), civic_line(item))
        for fid, gene in zip(ids, genes, strict=True)
        for item in findings.civic.get(fid, [])
    }
    return sorted(out)


def build_report_model(
    findings: Findings,
    *,
    patient: PatientDetails | None = None,
    lab: LabDetails | None = None,
    decisions: dict[str, Decision] | None = None,
    signoff: SignOff | None = None,
    options: ReportOptions | None = None,
    software_version: str = "",
    generated_at: datetime | None = None,
    synthetic: bool | None = None,
    quality_thresholds: str | list[str] | None = None,
) -> ReportModel:
    """Decide what the report says.

    Parameters
    ----------
    findings
        Annotated findings of one sample.
    patient, lab, signoff
        Typed details; empty defaults print as blank fields in a draft.
    decisions
        ``finding_id -> Decision``; missing ids count as undecided.
    options
        Optional sections (carrier, uncertain) and page size.
    software_version
        pmviewer version printed in the methods.
    generated_at
        Time printed on the report and written into the PDF metadata; fixing it makes the
        rendered bytes reproducible. Defaults to now (UTC).
    synthetic
        Force the SYNTHETIC label; by default detected from ``findings.input_path``.
    quality_thresholds
        The quality thresholds the analysis used, in words (printed in the methods).

    Raises
    ------
    PmviewerError
        A final/amended report is asked for while findings are undecided, the sign-off is
        incomplete, or the findings were classified for another sex than the patient's.
    """
    patient = patient or PatientDetails()
    lab = lab or LabDetails()
    decisions = decisions or {}
    signoff = signoff or SignOff()
    options = options or ReportOptions()
    generated_at = generated_at or datetime.now(timezone.utc)
    status = signoff.status if signoff.status in ("draft", "final", "amended") else "draft"
    if status == "final" and signoff.amendments:
        status = "amended"  # a signed-out report that was changed is an amended report
    sex_code, sex_words = _sex_words(patient, findings)

    sections = ReportSections(options.include_carrier, options.include_uncertain)
    reviewed = reviewed_findings(findings.frame, decisions, findings.sex, sections)
    shown, excluded = _shown_findings(findings, reviewed, decisions, sex_code)

    conflict = sex_conflict(patient.sex, findings.sex, findings.sex_source)
    if status != "draft":
        _check_final(status, shown, final_report_gaps(reviewed, signoff, conflict))
        check_people(status, signoff)
        check_names(status, shown)
    reasons, lacking = reviewer_reasons(findings, decisions, shown)
    if status != "draft":
        check_reasons(status, lacking)
    methods = _methods(findings, software_version, _analysis_sex(findings), quality_thresholds)
    assessment = report_assessment(findings.assessment, methods.gene_count)
    summary, summary_detail, positive = summary_sentence(
        [f for f in shown if f.section == "reportable"], assessment, methods.gene_count
    )
    pgx = sorted((report_pgx(p) for p in findings.pgx), key=lambda p: p.gene)
    unreviewed = sum(not f.reviewed for f in shown)
    notes = [conflict] if conflict else []
    if status == "draft":
        if unreviewed:
            notes.append(f"{unreviewed} finding(s) in this draft are not yet reviewed.")
        if excluded:
            notes.append(f"{excluded} finding(s) were excluded by the reviewer and are not shown.")
    return ReportModel(
        title=REPORT_TITLE,
        status=status,
        generated_at=generated_at,
        synthetic=is_synthetic_input(findings.input_path) if synthetic is None else synthetic,
        lab=lab,
        patient=patient,
        patient_sex=sex_words,
        summary=summary,
        summary_positive=positive,
        pgx_summary=pgx_summary(pgx),
        findings=shown,
        include_carrier=options.include_carrier,
        include_uncertain=options.include_uncertain,
        pgx=pgx,
        methods=methods,
        signoff=signoff,
        unreviewed_count=unreviewed,
        excluded_count=excluded,
        page_size=options.page_size,
        pgx_drugs=report_drugs(findings.pgx),
        draft_notes=notes,
        assessment=assessment,
        summary_detail=summary_detail,
        reviewer_reasons=reasons,
        policy=[str(x) for x in (findings.policy or {}).get("description") or []],
        pgx_evidence=_pgx_evidence(findings, reviewed),
    )
