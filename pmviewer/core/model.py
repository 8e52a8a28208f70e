"""The plain data objects that travel between layers (see ARCHITECTURE.md).

read (core.vcf) -> VariantTable -> annotate (core.annotate) -> Findings -> review -> report.
Each object is a documented dataclass; bulk data lives in one pandas frame with the
columns declared below, so every layer (and every test) agrees on names and types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the window's start page shows before pandas loads
    import pandas as pd

BUILDS = ("GRCh37", "GRCh38")

# --------------------------------------------------------------------------------------
# VariantTable: one row per (record, ALT allele) carried or at least called for the sample.
# Name -> (pandas dtype, meaning). Strings are Arrow-backed; missing numbers are <NA>.
# --------------------------------------------------------------------------------------
VARIANT_COLUMNS: dict[str, tuple[str, str]] = {
    "chrom": ("category", "contig as named in the file (chr1 or 1)"),
    "pos": ("int64", "1-based position as in the VCF"),
    "ref": ("string[pyarrow]", "REF allele"),
    "alt": ("string[pyarrow]", "this row's ALT allele (multi-allelic records are split)"),
    "var_id": ("string[pyarrow]", "ID column (rsID), missing when '.'"),
    "qual": ("float32", "QUAL, NaN when '.'"),
    "filter": ("category", "PASS, or the FILTER codes joined by ';' ('.' when not given)"),
    "allele_index": ("int8", "1-based index of this ALT in the original record"),
    "n_alts": ("int8", "number of ALT alleles in the original record"),
    "genotype": ("string[pyarrow]", "sample GT as written, e.g. 0/1, 1|2, 1"),
    "allele_count": ("int8", "copies of this ALT in the sample genotype (0, 1, 2)"),
    "zygosity": ("category", "het | hom | hemi | not_carried | unknown (no GT)"),
    "ploidy": ("int8", "number of alleles in GT (1 haploid, 2 diploid), 0 when no GT"),
    "phased": ("bool", "GT written with '|'"),
    "phase_set": ("Int64", "FORMAT PS when present"),
    "dp": ("Int32", "read depth (FORMAT DP, else INFO DP)"),
    "gq": ("Int32", "genotype quality"),
    "ad_ref": ("Int32", "reads supporting REF"),
    "ad_alt": ("Int32", "reads supporting this ALT"),
    "vaf": ("float32", "variant allele fraction for this ALT (AD, else FORMAT VAF/AF)"),
    "is_sv": ("bool", "symbolic or breakend ALT"),
    "sv_type": ("string[pyarrow]", "SVTYPE (DEL, DUP, INV, BND, CNV, INS ...)"),
    "sv_end": ("Int64", "INFO END for symbolic alleles"),
    "sv_len": ("Int64", "SVLEN"),
    "gene": ("string[pyarrow]", "gene symbol from the file's CSQ/ANN/EFF, if any"),
    "consequence": ("string[pyarrow]", "SO consequence term(s) joined by '&'"),
    "impact": ("string[pyarrow]", "HIGH | MODERATE | LOW | MODIFIER"),
    "transcript": ("string[pyarrow]", "chosen transcript (MANE/canonical, else most severe)"),
    "hgvs_c": ("string[pyarrow]", "HGVS c. from the file's annotation"),
    "hgvs_p": ("string[pyarrow]", "HGVS p. from the file's annotation"),
    "record_index": ("int64", "0-based index of the VCF data line the row came from"),
}


@dataclass
class VcfInfo:
    """What :func:`pmviewer.core.vcf.loader.inspect` learns from the header without reading records."""

    path: str
    samples: list[str]
    contigs: dict[str, int | None]
    build: str | None  # "GRCh37", "GRCh38" or None when unknown
    build_evidence: str  # in words: "##contig lengths match GRCh38"
    chr_prefix: bool
    annotation_fields: list[str]  # subset of ["CSQ", "ANN", "EFF"]
    format_fields: list[str]
    info_fields: list[str]
    indexed: bool
    index_path: str | None
    compression: str  # "none" | "bgzip" | "gzip" | "bcf"
    file_format: str | None  # "VCFv4.2" ...
    estimated_records: int | None
    is_gvcf: bool
    sha256: str | None = None  # filled when computed (load() always does)


@dataclass
class LoadStats:
    """Counts that explain what happened to every record ("why is my variant not listed?")."""

    records_read: int = 0
    rows_kept: int = 0
    reference_only: int = 0  # sample genotype 0/0 (kept as covered positions)
    no_call: int = 0  # ./. or GT missing
    not_carried: int = 0  # split multi-allelic row whose ALT the sample does not carry
    gvcf_blocks: int = 0  # <NON_REF>/<*>/ALT '.' reference blocks
    star_alleles: int = 0  # '*' (spanning deletion) alleles dropped
    symbolic: int = 0  # SV/CNV rows kept
    skipped: int = 0  # records that could not be read (see problems)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line/record no., reason)
    notes: list[str] = field(default_factory=list)  # file-level remarks (index, sites-only)
    # 0/0 calls and reference blocks (already counted in reference_only / gvcf_blocks) left
    # out of VariantTable.covered because they hold no data: GQ 0 or depth 0 (DP, else MIN_DP)
    uncovered_blocks: int = 0


@dataclass
class VariantTable:
    """Output of :func:`pmviewer.core.vcf.loader.load`.

    ``frame`` has exactly :data:`VARIANT_COLUMNS`. ``covered`` lists the intervals the file
    proves were assessed as reference for the sample (called 0/0 records and gVCF reference
    blocks): columns chrom (as in file), start, end (1-based inclusive). ``no_calls`` holds
    positions with a missing genotype (chrom, pos) so callers can tell "not assessed" apart.
    """

    frame: pd.DataFrame
    info: VcfInfo
    sample: str | None
    stats: LoadStats
    covered: pd.DataFrame
    no_calls: pd.DataFrame
    regions: list[str] | None = None  # regions loaded, or None for the whole file
    # intervals proven at the coverage depth asked of load() (chrom, start, end), else None
    covered_at_depth: pd.DataFrame | None = None


# --------------------------------------------------------------------------------------
# Findings: the annotated subset a counselor reviews. Frame columns (in addition to the
# VariantTable columns of the matched row, which are carried through unchanged).
# --------------------------------------------------------------------------------------
CATEGORIES = ("reportable", "carrier", "uncertain", "pgx", "other")
# The one set of words for a category: table cells, view tabs, menus and the report's counts.
CATEGORY_LABELS: dict[str, str] = {
    "reportable": "Reportable",
    "carrier": "Carrier",
    "uncertain": "Uncertain",
    "pgx": "Pharmacogenomic",
    "other": "Other",
}

FINDING_COLUMNS: dict[str, tuple[str, str]] = {
    "finding_id": ("string[pyarrow]", "stable id: build:chrom:pos:ref:alt (normalised key)"),
    "category": ("category", "one of CATEGORIES"),
    "kb_gene": ("string[pyarrow]", "gene from the knowledge base"),
    "classification": ("string[pyarrow]", "ClinVar classification text"),
    "review_status": ("string[pyarrow]", "ClinVar review status"),
    "review_stars": ("Int8", "ClinVar stars 0-4"),
    "clinvar_id": ("Int64", "ClinVar variation ID"),
    "condition": ("string[pyarrow]", "condition(s)"),
    "inheritance": ("string[pyarrow]", "AD | AR | XL"),
    "report_rule": ("string[pyarrow]", "the gene's ACMG SF reporting rule code"),
    "reason": ("string[pyarrow]", "why this category, in words"),
    "clinvar_qualifier": ("object", "ClinVar's qualifier (drug response, low penetrance, ...)"),
    "name_transcript": (
        "object",
        "transcript of the signable c./p. name (core.annotation.nomenclature)",
    ),
    "name_c": ("object", "signable c. name, without transcript"),
    "name_p": ("object", "p. name on that transcript"),
    "name_source": ("object", "file_mane | clinvar | '' (none)"),
    "name_note": ("object", "why another name was not used, in words"),
    "therapies": ("object", "list of CIViC germline predictive items (core.annotation.therapy)"),
    "quality_flags": ("object", "list[str] of quality warnings; never hides a finding"),
    "kb_hgvs_c": ("string[pyarrow]", "HGVS c. from the knowledge base"),
    "kb_hgvs_p": ("string[pyarrow]", "HGVS p. from the knowledge base"),
    "kb_transcript": ("string[pyarrow]", "transcript of kb_hgvs_c"),
    "kb_hgvs_g": (
        "string[pyarrow]",
        "ClinVar genomic HGVS (NC_ accession), when c./p. are unknown",
    ),
    "last_evaluated": ("string[pyarrow]", "ClinVar last evaluated date"),
}


@dataclass
class Findings:
    """Output of :func:`pmviewer.core.annotation.annotate.annotate`."""

    frame: pd.DataFrame  # FINDING_COLUMNS + VariantTable columns
    build: str
    sample: str | None
    sex: str | None  # "F" | "M" | None
    sex_source: str  # "stated" | "inferred" | "unknown"
    fate: dict[str, int | str | list | None]  # per-input variant fate summary (None: unknown)
    warnings: list[str]
    knowledge: dict[str, object]  # knowledge metadata (version, sources)
    pgx: list[dict] = field(default_factory=list)  # see core.pgx
    civic: dict[str, list[dict]] = field(default_factory=dict)  # finding_id -> CIViC items
    input_sha256: str | None = None
    input_path: str | None = None
    # per-gene assessment (core.annotation.coverage.Assessment.to_json), None if not made
    assessment: dict | None = None
    # evidence policy applied (core.annotation.policy.EvidencePolicy.to_json)
    policy: dict | None = None


# --------------------------------------------------------------------------------------
# Review and report inputs: what the counselor decides and types. Persisted by
# core.review, read by export.report_model. Plain values only (JSON-serialisable).
# --------------------------------------------------------------------------------------
DECISIONS = ("undecided", "include", "exclude")
REPORT_STATUSES = ("draft", "final", "amended")


@dataclass
class Decision:
    """The counselor's decision on one finding (keyed by Findings.frame.finding_id)."""

    finding_id: str
    decision: str = "undecided"  # one of DECISIONS
    classification_override: str | None = None
    override_reason: str | None = None  # required when classification_override is set
    comment: str = ""
    # the reviewer's transcript-level name (core.annotation.nomenclature.check_hgvs), if any
    hgvs_transcript: str = ""
    hgvs_c: str = ""
    hgvs_p: str = ""


@dataclass
class PatientDetails:
    """Patient and specimen fields of the report; all optional for a draft.

    ``patient.json`` for ``pmviewer report`` uses exactly these keys.
    """

    name: str = ""
    date_of_birth: str = ""  # YYYY-MM-DD
    sex: str = ""  # "F" | "M" | "" (unknown); also used by the X-linked rules
    mrn: str = ""
    second_identifier: str = ""  # e.g. lab accession number
    ordering_clinician: str = ""
    indication: str = ""
    specimen_type: str = ""
    specimen_collected: str = ""  # YYYY-MM-DD
    specimen_received: str = ""  # YYYY-MM-DD
    family_history: str = ""


@dataclass
class LabDetails:
    """The laboratory printed in the report header (kept in settings, not with the case)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    director: str = ""
    accreditation: str = ""  # e.g. CLIA/CAP numbers


@dataclass
class Amendment:
    date: str  # ISO date-time
    reason: str
    changes: list[str] = field(default_factory=list)  # what changed, in words


@dataclass
class SignOff:
    """Who reviewed and approved, and the resulting report status."""

    status: str = "draft"  # one of REPORT_STATUSES
    reviewer: str = ""
    reviewer_credentials: str = ""
    reviewed_at: str = ""
    approver: str = ""
    approver_credentials: str = ""
    approved_at: str = ""
    amendments: list[Amendment] = field(default_factory=list)
