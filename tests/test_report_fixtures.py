"""Hand-built Findings for the report tests (shared by tests/test_report_*.py).

Values are real ClinVar records (clinvar_20250928 GRCh38 subset and the 2026-09 ATP7B
extract in ../shared/knowledge-sources) and a real CPIC recommendation text, so that the
report is exercised with realistic content.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from pmviewer.core.model import (
    FINDING_COLUMNS,
    VARIANT_COLUMNS,
    Decision,
    Findings,
    LabDetails,
    PatientDetails,
    SignOff,
)

FIXED_TIME = datetime(2026, 11, 30, 10, 15, tzinfo=timezone.utc)

BRCA2 = {
    "chrom": "chr13",
    "pos": 32340300,
    "ref": "GT",
    "alt": "G",
    "var_id": "rs80359550",
    "genotype": "0/1",
    "allele_count": 1,
    "zygosity": "het",
    "ploidy": 2,
    "dp": 41,
    "gq": 99,
    "ad_ref": 22,
    "ad_alt": 19,
    "vaf": 0.46,
    "gene": "BRCA2",
    "transcript": "NM_000059.4",
    "hgvs_c": "c.5946del",
    "hgvs_p": "p.Ser1982fs",
    "finding_id": "GRCh38:13:32340300:GT:G",
    "category": "reportable",
    "kb_gene": "BRCA2",
    "classification": "Pathogenic",
    "review_status": "reviewed by expert panel",
    "review_stars": 3,
    "clinvar_id": 9325,
    "condition": "Hereditary breast ovarian cancer syndrome",
    "inheritance": "AD",
    "report_rule": "PLP_ANY_ZYGOSITY",
    "reason": "Pathogenic variant in an ACMG SF gene",
    "quality_flags": [],
    "kb_hgvs_c": "c.5946del",
    "kb_hgvs_p": "p.Ser1982fs",
    "kb_transcript": "NM_000059.4",
    "last_evaluated": "2024-01-02",
}
ATP7B = {
    "chrom": "chr13",
    "pos": 51934778,
    "ref": "CTG",
    "alt": "C",
    "var_id": "rs2138386032",
    "genotype": "0/1",
    "allele_count": 1,
    "zygosity": "het",
    "ploidy": 2,
    "dp": 35,
    "gq": 80,
    "finding_id": "GRCh38:13:51934778:CTG:C",
    "category": "carrier",
    "kb_gene": "ATP7B",
    "classification": "Pathogenic",
    "review_status": "criteria provided, multiple submitters, no conflicts",
    "review_stars": 2,
    "clinvar_id": 1071568,
    "condition": "Wilson disease",
    "inheritance": "AR",
    "report_rule": "PLP_BIALLELIC",
    "reason": "One pathogenic allele in a gene reported only when biallelic",
    "quality_flags": ["low genotype quality (GQ 80)"],
    "kb_hgvs_c": "c.4374_4375del",
    "kb_hgvs_p": "p.Arg1459fs",
    "kb_transcript": "NM_000053.4",
    "last_evaluated": "2023-09-08",
}
HFE_H63D = {
    "chrom": "chr6",
    "pos": 26090951,
    "ref": "C",
    "alt": "G",
    "var_id": "rs1799945",
    "genotype": "0/1",
    "allele_count": 1,
    "zygosity": "het",
    "ploidy": 2,
    "finding_id": "GRCh38:6:26090951:C:G",
    "category": "uncertain",
    "kb_gene": "HFE",
    "classification": "Conflicting classifications of pathogenicity",
    "review_status": "criteria provided, conflicting classifications",
    "review_stars": 1,
    "clinvar_id": 10,
    "condition": "Hereditary hemochromatosis",
    "inheritance": "AR",
    "report_rule": "HFE_C282Y_HOMOZYGOUS_ONLY",
    "reason": "Not reportable alone",
    "quality_flags": [],
    "kb_hgvs_c": "c.187C>G",
    "kb_hgvs_p": "p.His63Asp",
    "kb_transcript": "NM_000410.4",
    "last_evaluated": "2026-04-27",
}
OTHER = {
    "chrom": "chr1",
    "pos": 12345,
    "ref": "A",
    "alt": "T",
    "genotype": "0/1",
    "zygosity": "het",
    "finding_id": "GRCh38:1:12345:A:T",
    "category": "other",
    "kb_gene": "TTN",
    "classification": "Likely pathogenic",
    "inheritance": "AD",
    "condition": "Dilated cardiomyopathy",
    "quality_flags": [],
}
# A second ATP7B allele, hand-built as a VUS: upgraded by a reviewer, it makes ATP7B biallelic.
ATP7B_VUS = {
    **ATP7B,
    "pos": 51944145,
    "ref": "C",
    "alt": "T",
    "finding_id": "GRCh38:13:51944145:C:T",
    "category": "uncertain",
    "classification": "Uncertain significance",
}


def atp7b_upgraded(vus_action: str) -> dict[str, Decision]:
    """Decisions: ATP7B's carrier allele included, its VUS upgraded to Likely pathogenic."""
    vus_id = ATP7B_VUS["finding_id"]
    return {
        ATP7B["finding_id"]: Decision(ATP7B["finding_id"], "include"),
        vus_id: Decision(vus_id, vus_action, "Likely pathogenic", "Segregation"),
    }


# Quoted from CPIC_clopidogrel_and_CYP2C19.json (pgx/pharmcat/cpic_guidelines_2024-03).
CLOPIDOGREL = (
    "Avoid clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no "
    "contraindication."
)

PGX = [
    {
        "gene": "CYP2C19",
        "diplotype": "*2/*2",
        "phenotype": "Poor Metabolizer",
        "activity_score": None,
        "callable": True,
        "missing_positions": [],
        "recommendations": [
            {
                "drug": "clopidogrel",
                "text": CLOPIDOGREL,
                "strength": "Strong",
                "guideline": "CPIC clopidogrel and CYP2C19",
            },
        ],
        "call_status": "called",
    },
    {
        "gene": "CYP2D6",
        "diplotype": None,
        "phenotype": None,
        "activity_score": None,
        "callable": False,
        "missing_positions": ["chr22:42126611", "chr22:42127941"],
        "recommendations": [],
        "call_status": "not_callable",
        "note": "copy number cannot be assessed from a VCF",
    },
]

KNOWLEDGE = {
    "version": "2026.11.1",
    "acmg_sf_version": "v3.3",
    "genes": ["ATP7B", "BRCA1", "BRCA2", "HFE", "MLH1", "MYH7", "TTN"],
    "sources": [
        {
            "name": "ClinVar",
            "release": "2025-09-28",
            "licence": "public domain",
            "sha256": "3f1a" * 16,
        },
        {
            "name": "CPIC guidelines",
            "version": "2024-03",
            "licence": "CC0 1.0",
            "sha256": "9b0c" * 16,
        },
    ],
    "coverage_notes": [
        "ClinVar subset holds only pathogenic and likely pathogenic records.",
    ],
}


def frame(rows: list[dict]) -> pd.DataFrame:
    """Rows -> a frame with every declared column, in the declared dtypes."""
    columns = {**VARIANT_COLUMNS, **FINDING_COLUMNS}
    data = {name: [row.get(name) for row in rows] for name in columns}
    out = pd.DataFrame(data)
    for name, (dtype, _) in columns.items():
        if dtype == "object":
            out[name] = pd.Series([row.get(name) or [] for row in rows], dtype=object)
        elif dtype in ("int64", "int8", "float32", "bool"):
            fill = {"bool": False}.get(dtype, 0)
            out[name] = out[name].fillna(fill).astype(dtype)
        else:
            out[name] = out[name].astype(dtype)
    return out


def make_findings(rows: list[dict] | None = None, **overrides) -> Findings:
    values = {
        "frame": frame(rows if rows is not None else [BRCA2, ATP7B, HFE_H63D, OTHER]),
        "build": "GRCh38",
        "sample": "NA12878",
        "sex": "F",
        "sex_source": "stated",
        "fate": {"records_read": 4120, "reportable": 1, "carrier": 1, "not_in_knowledge": 4100},
        "warnings": ["12 records had no genotype and were skipped."],
        "knowledge": KNOWLEDGE,
        "pgx": PGX,
        "input_sha256": "a" * 64,
        "input_path": "/data/patients/NA12878.hard-filtered.vcf.gz",
    }
    values.update(overrides)
    return Findings(**values)


PATIENT = PatientDetails(
    name="Jane Example",
    date_of_birth="1980-04-12",
    sex="F",
    mrn="MRN-0042",
    second_identifier="ACC-2026-117",
    ordering_clinician="Dr. A. Clinician",
    indication="Secondary findings analysis after exome sequencing",
    specimen_type="Blood (EDTA)",
    specimen_collected="2026-11-02",
    specimen_received="2026-11-04",
    family_history="Mother: breast cancer at 45.",
)


def signed(status: str = "final", **extra) -> SignOff:
    """A sign-off by two different people, with credentials."""
    return SignOff(
        status=status,
        reviewer="Sam Reviewer",
        reviewer_credentials="MS, CGC",
        reviewed_at="2026-11-29",
        approver="Dr. Lee Approver",
        approver_credentials="PhD, FACMG",
        approved_at="2026-11-30",
        **extra,
    )


SIGNED = signed()
LAB = LabDetails(
    name="Riverside Clinical Genomics Laboratory",
    address="12 Harbour Road, Springfield",
    phone="+1 555 0100",
    director="Dr. L. Director, PhD, FACMG",
    accreditation="CLIA 99D0000000 · CAP 0000000",
)
