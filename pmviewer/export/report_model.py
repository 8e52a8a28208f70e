"""The clinical report as plain data: what is printed, decided before anything is drawn.

:func:`build_report_model` turns annotated findings, the counselor's review decisions, patient
and laboratory details and the knowledge metadata into a :class:`ReportModel`. Rendering
(:mod:`pmviewer.export.pdf`) only lays this model out, so every wording and every inclusion
rule is testable here without a PDF.

Inclusion rules (a real laboratory's sign-out logic):

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
  classification and the reviewer's reason are printed next to it.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from pmviewer.core.errors import PmviewerError
from pmviewer.core.model import (
    Decision,
    Findings,
    LabDetails,
    PatientDetails,
    SignOff,
)
from pmviewer.core.resources import resource_path

REPORT_TITLE = "Germline Genomic Report: Secondary Findings and Pharmacogenomics"
SYNTHETIC_HEADER_LINE = "##pmviewer_synthetic=true"

ZYGOSITY_WORDS = {
    "het": "Heterozygous",
    "hom": "Homozygous",
    "hemi": "Hemizygous",
    "not_carried": "Not carried",
    "unknown": "Not determined",
}
INHERITANCE_WORDS = {"AD": "autosomal dominant", "AR": "autosomal recessive", "XL": "X-linked"}
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
    "Classifications reflect the knowledge release listed below and may change as evidence "
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
class ReportFinding:
    """One printed variant, with every value already in words."""

    finding_id: str
    section: str  # "reportable" | "carrier" | "uncertain" | "additional"
    gene: str
    transcript: str
    hgvs_c: str
    hgvs_p: str
    position: str  # "chr13:32340300 C>CA"
    build: str
    zygosity: str
    classification: str  # as printed (override if any)
    kb_classification: str
    override_reason: str
    condition: str
    inheritance: str  # words
    inheritance_code: str  # AD | AR | XL as in the knowledge
    review_status: str
    stars: int | None
    clinvar_id: int | None
    last_evaluated: str
    comment: str
    reviewed: bool
    quality_flags: list[str]
    interpretation: str
    recommendations: list[str]


@dataclass
class PgxRecommendation:
    drug: str
    text: str
    strength: str
    source: str  # "CPIC: <guideline>"


@dataclass
class ReportPgx:
    gene: str
    diplotype: str
    phenotype: str
    activity_score: str
    callable: bool
    status_note: str  # why not callable, or caveats of the call
    recommendations: list[PgxRecommendation]


@dataclass
class SourceLine:
    name: str
    release: str
    licence: str
    sha256: str


@dataclass
class Methods:
    input_name: str
    input_sha256: str
    sample: str
    build: str
    sex_used: str
    knowledge_version: str
    sources: list[SourceLine]
    software_version: str
    acmg_sf_version: str
    genes: list[str]
    gene_count: int | None
    quality_thresholds: list[str]
    variant_accounting: list[tuple[str, str]]
    limitations: list[str]
    coverage_notes: list[str]
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

    def section(self, name: str) -> list[ReportFinding]:
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


def _text(value: object) -> str:
    """Frame cell -> printable text ('' for NA/NaN/None)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


def _int(value: object) -> int | None:
    text = _text(value)
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _short_allele(allele: str, limit: int = 12) -> str:
    return allele if len(allele) <= limit else f"{allele[:limit]}…({len(allele)} bp)"


def _position(row: dict) -> str:
    chrom = _text(row.get("chrom"))
    if chrom and not chrom.lower().startswith("chr"):
        chrom = f"chr{chrom}"
    pos = _int(row.get("pos"))
    ref, alt = _text(row.get("ref")), _text(row.get("alt"))
    place = f"{chrom}:{pos}" if pos is not None else chrom
    return f"{place} {_short_allele(ref)}>{_short_allele(alt)}".strip()


def _interpretation(f: ReportFinding) -> str:
    variant = " ".join(x for x in (f.hgvs_c, f"({f.hgvs_p})" if f.hgvs_p else "") if x)
    zyg = f.zygosity.lower()
    state = f" in the {zyg} state" if zyg and zyg != "not determined" else ""
    parts = [f"The {f.gene} variant {variant or f.position} was detected{state}."]
    if f.kb_classification:
        evidence = [f"review status: {f.review_status}"] if f.review_status else []
        if f.stars is not None:
            evidence.append(f"{f.stars} of 4 review stars")
        if f.clinvar_id is not None:
            evidence.append(f"Variation ID {f.clinvar_id}")
        if f.last_evaluated:
            evidence.append(f"last evaluated {f.last_evaluated}")
        tail = f" ({'; '.join(evidence)})" if evidence else ""
        parts.append(f"ClinVar classifies this variant as {f.kb_classification}{tail}.")
    if f.override_reason:
        parts.append(
            f"On review the laboratory classifies it as {f.classification}: {f.override_reason}"
            + ("" if f.override_reason.endswith(".") else ".")
        )
    if f.condition:
        mode = f", inherited in an {f.inheritance} manner" if f.inheritance else ""
        parts.append(f"The gene is associated with {f.condition}{mode}.")
    return " ".join(parts)


def _recommendations(f: ReportFinding) -> list[str]:
    """Generic, cautious next steps; no gene-specific clinical advice is invented here."""
    confirm = (
        "Confirmation of this variant in a clinically accredited laboratory, using an "
        "independent method, is recommended before any change in medical management."
    )
    if f.section == "uncertain":
        return [
            "A variant of uncertain significance should not be used on its own for clinical "
            "decision-making. Its classification may change as evidence accumulates; "
            "reinterpretation may be requested in the future."
        ]
    if f.section == "carrier":
        return [
            confirm,
            "This result indicates carrier status. Carrier testing of the reproductive partner "
            "and of at-risk biological relatives may be considered.",
            "Genetic counselling is recommended to discuss reproductive implications.",
        ]
    condition = f" familiar with {f.condition}" if f.condition else ""
    return [
        confirm,
        "Biological relatives may also carry this variant; cascade testing of at-risk "
        "relatives may be considered after genetic counselling.",
        f"Referral to genetic counselling and to a specialist{condition} is recommended to "
        "discuss the meaning of this result and any management.",
    ]


def _finding(
    row: dict, section: str, decision: Decision | None, build: str, sex: str
) -> ReportFinding:
    gene = _text(row.get("kb_gene")) or _text(row.get("gene"))
    kb_class = _text(row.get("classification"))
    override = decision.classification_override if decision else None
    zyg_code = _text(row.get("zygosity")) or "unknown"
    zygosity = ZYGOSITY_WORDS.get(zyg_code, zyg_code)
    chrom = _text(row.get("chrom")).lower().removeprefix("chr")
    if zyg_code == "hom" and chrom == "x" and sex == "M":
        zygosity = "Hemizygous"  # a male's single X: a homozygous-looking call is hemizygous
    flags = row.get("quality_flags")
    finding = ReportFinding(
        finding_id=_text(row.get("finding_id")),
        section=section,
        gene=gene,
        transcript=_text(row.get("kb_transcript")) or _text(row.get("transcript")),
        hgvs_c=_text(row.get("kb_hgvs_c")) or _text(row.get("hgvs_c")),
        hgvs_p=_text(row.get("kb_hgvs_p")) or _text(row.get("hgvs_p")),
        position=_position(row),
        build=build,
        zygosity=zygosity,
        classification=override or kb_class or "Not classified",
        kb_classification=kb_class,
        override_reason=(decision.override_reason or "") if override and decision else "",
        condition=_text(row.get("condition")),
        inheritance=INHERITANCE_WORDS.get(_text(row.get("inheritance")), "")
        or _text(row.get("inheritance")),
        inheritance_code=_text(row.get("inheritance")),
        review_status=_text(row.get("review_status")),
        stars=_int(row.get("review_stars")),
        clinvar_id=_int(row.get("clinvar_id")),
        last_evaluated=_text(row.get("last_evaluated")),
        comment=(decision.comment if decision else "").strip(),
        reviewed=bool(decision and decision.decision != "undecided"),
        quality_flags=[str(x) for x in flags] if isinstance(flags, (list, tuple)) else [],
        interpretation="",
        recommendations=[],
    )
    finding.interpretation = _interpretation(finding)
    finding.recommendations = _recommendations(finding)
    return finding


def _section_for(category: str, decision: str, options: ReportOptions) -> str | None:
    if decision == "exclude":
        return None
    if category == "reportable":
        return "reportable"
    if category == "carrier" and (options.include_carrier or decision == "include"):
        return "carrier"
    if category == "uncertain" and (options.include_uncertain or decision == "include"):
        return "uncertain"
    if category == "other" and decision == "include":
        return "additional"
    return None


SECTION_ORDER = {"reportable": 0, "carrier": 1, "uncertain": 2, "additional": 3}


def _pgx(entry: dict) -> ReportPgx:
    callable_ = bool(entry.get("callable", True))
    notes = []
    status = _text(entry.get("call_status")).replace("_", " ")
    if status and status.lower() not in ("called", "ok", "callable", "not callable"):
        notes.append(status)
    if _text(entry.get("note")):
        notes.append(_text(entry.get("note")))
    missing = entry.get("missing_positions") or []
    if missing:
        count = len(missing) if isinstance(missing, (list, tuple, set)) else _int(missing)
        if count:
            notes.append(f"{count} defining position(s) absent from the file")
    candidates = entry.get("candidates") or []
    if isinstance(candidates, (list, tuple)) and len(candidates) > 1:
        notes.append("possible diplotypes: " + ", ".join(str(c) for c in candidates))
    recs = []
    for rec in entry.get("recommendations") or []:
        guideline = _text(rec.get("guideline"))
        source = _text(rec.get("source")) or "CPIC"
        if guideline and not guideline.upper().startswith(source.upper()):
            source = f"{source}: {guideline}"
        elif guideline:
            source = guideline
        recs.append(
            PgxRecommendation(
                drug=_text(rec.get("drug")),
                text=_text(rec.get("text")),
                strength=_text(rec.get("strength")),
                source=source,
            )
        )
    score = entry.get("activity_score")
    return ReportPgx(
        gene=_text(entry.get("gene")),
        diplotype=_text(entry.get("diplotype")) if callable_ else "",
        phenotype=_text(entry.get("phenotype")) if callable_ else "",
        activity_score=_text(score),
        callable=callable_,
        status_note="; ".join(notes),
        recommendations=recs if callable_ else [],
    )


def _pgx_summary(pgx: list[ReportPgx]) -> str:
    if not pgx:
        return "Pharmacogenomics: no pharmacogenomic genes were assessed."
    called = [p for p in pgx if p.callable]
    parts = [f"{p.gene} {p.phenotype or p.diplotype}".strip() for p in called]
    text = f"Pharmacogenomics: {len(called)} of {len(pgx)} genes called"
    text += f" ({'; '.join(parts)})." if parts else "."
    not_called = [p.gene for p in pgx if not p.callable]
    if not_called:
        text += " Not callable from this file: " + ", ".join(not_called) + "."
    return text


def _genes(knowledge: dict) -> tuple[list[str], int | None, str]:
    genes = knowledge.get("genes") or knowledge.get("acmg_sf_genes") or []
    gene_list = sorted(str(g) for g in genes) if isinstance(genes, (list, tuple, set)) else []
    count = len(gene_list) or _int(knowledge.get("gene_count") or knowledge.get("n_genes"))
    if isinstance(genes, int):
        count = genes
    version = _text(knowledge.get("acmg_sf_version"))
    if not version:
        for src in knowledge.get("sources") or []:
            name = _text(src.get("name"))
            if "acmg" in name.lower():
                version = _text(src.get("version") or src.get("release")) or name
    return gene_list, count, version


def _thresholds(findings: Findings) -> list[str]:
    raw = findings.knowledge.get("quality_thresholds") or findings.fate.get("quality_thresholds")
    if isinstance(raw, dict):
        return [f"{k.replace('_', ' ')}: {v}" for k, v in raw.items()]
    if isinstance(raw, (list, tuple)):
        return [str(x) for x in raw]
    if raw:
        return [str(raw)]
    return []


def _accounting(fate: dict) -> list[tuple[str, str]]:
    rows = []
    for key, value in fate.items():
        if key == "quality_thresholds" or isinstance(value, dict):
            continue
        if isinstance(value, (list, tuple)):
            value = len(value)
        rows.append((str(key).replace("_", " ").capitalize(), str(value)))
    return rows


def _methods(findings: Findings, software_version: str, sex_used: str) -> Methods:
    kb = findings.knowledge or {}
    sources = [
        SourceLine(
            name=_text(s.get("name")),
            release=_text(s.get("release") or s.get("version")),
            licence=_text(s.get("licence") or s.get("license")),
            sha256=_text(s.get("sha256")),
        )
        for s in kb.get("sources") or []
    ]
    genes, count, sf_version = _genes(kb)
    return Methods(
        input_name=Path(findings.input_path).name if findings.input_path else "",
        input_sha256=findings.input_sha256 or "",
        sample=findings.sample or "",
        build=findings.build,
        sex_used=sex_used,
        knowledge_version=_text(kb.get("version")),
        sources=sources,
        software_version=software_version,
        acmg_sf_version=sf_version,
        genes=genes,
        gene_count=count,
        quality_thresholds=_thresholds(findings),
        variant_accounting=_accounting(findings.fate or {}),
        limitations=list(LIMITATIONS),
        coverage_notes=[str(n) for n in kb.get("coverage_notes") or []],
        warnings=list(findings.warnings),
    )


def _summary(reportable: list[ReportFinding], gene_count: int | None) -> tuple[str, bool]:
    if reportable:
        genes = sorted({f.gene for f in reportable})
        noun = "finding" if len(reportable) == 1 else "findings"
        gene_noun = "gene" if len(genes) == 1 else "genes"
        return (
            f"POSITIVE: {len(reportable)} reportable {noun} identified in "
            f"{len(genes)} {gene_noun} ({', '.join(genes)}).",
            True,
        )
    scope = f"the {gene_count} genes analysed" if gene_count else "the genes analysed"
    return f"NEGATIVE: no reportable variants were identified in {scope}.", False


def _sex_words(patient: PatientDetails, findings: Findings) -> tuple[str, str]:
    """(code, words) for the sex printed and used by the X-linked wording."""
    if patient.sex in SEX_WORDS:
        return patient.sex, SEX_WORDS[patient.sex]
    if findings.sex in SEX_WORDS:
        source = {"inferred": "inferred from the data", "stated": "as stated"}.get(
            findings.sex_source, findings.sex_source
        )
        return findings.sex, f"{SEX_WORDS[findings.sex]} ({source})"
    return "", "Not stated"


def _check_final(status: str, findings: list[ReportFinding], signoff: SignOff) -> None:
    undecided = [f for f in findings if not f.reviewed]
    if undecided:
        names = ", ".join(sorted({f.gene for f in undecided}))
        raise PmviewerError(
            f"A {status} report needs a review decision on every reported finding; "
            f"{len(undecided)} finding(s) are not yet reviewed ({names}). Review them, "
            "or produce a draft report instead."
        )
    missing = [
        label
        for label, value in (
            ("reviewer name", signoff.reviewer),
            ("approver name", signoff.approver),
            ("approval date", signoff.approved_at),
        )
        if not value.strip()
    ]
    if missing:
        raise PmviewerError(
            f"A {status} report needs the {', '.join(missing)} of the sign-off. "
            "Add them to the review, or produce a draft report instead."
        )
    if status == "amended" and not signoff.amendments:
        raise PmviewerError(
            "An amended report must say what changed and why; the review has no amendment."
        )


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

    Raises
    ------
    PmviewerError
        A final/amended report is asked for while findings are undecided or the sign-off is
        incomplete.
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

    rows = findings.frame.to_dict("records") if len(findings.frame) else []
    shown: list[ReportFinding] = []
    excluded = 0
    for row in rows:
        fid = _text(row.get("finding_id"))
        decision = decisions.get(fid)
        choice = decision.decision if decision else "undecided"
        if choice == "exclude":
            excluded += 1
        section = _section_for(_text(row.get("category")), choice, options)
        if section:
            shown.append(_finding(row, section, decision, findings.build, sex_code))
    shown.sort(key=lambda f: (SECTION_ORDER[f.section], f.gene, f.position))

    if status != "draft":
        _check_final(status, shown, signoff)
    methods = _methods(findings, software_version, sex_words)
    summary, positive = _summary(
        [f for f in shown if f.section == "reportable"], methods.gene_count
    )
    pgx = sorted((_pgx(p) for p in findings.pgx), key=lambda p: p.gene)
    unreviewed = sum(not f.reviewed for f in shown)
    notes = []
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
        pgx_summary=_pgx_summary(pgx),
        findings=shown,
        include_carrier=options.include_carrier,
        include_uncertain=options.include_uncertain,
        pgx=pgx,
        methods=methods,
        signoff=signoff,
        unreviewed_count=unreviewed,
        excluded_count=excluded,
        page_size=options.page_size,
        draft_notes=notes,
    )
