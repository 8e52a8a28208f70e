"""The ACMG SF reporting-rule engine: one small function per ``report_rule`` code.

Rules are data: each gene's ``report_rule`` comes from the knowledge file (ACMG SF v3.3 table,
column ``report_rule``; see resources/knowledge/SOURCES.md). The only variant named in code is
HFE p.Cys282Tyr, because the published rule names it ("p.C282Y homozygotes only",
ACMG SF v3.3 list, HFE row).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmviewer.core.knowledge import (
    BENIGN,
    CONFLICTING,
    PLP,
    VUS,
    clinvar_class,
    is_truncating,
)

HFE_C282Y = re.compile(r"p\.(?:Cys282Tyr|C282Y)\b")


def _has_text(value: object) -> bool:
    """A non-empty text: None, NaN and pd.NA (missing cells of any dtype) are not."""
    return isinstance(value, str) and bool(value.strip())


@dataclass(frozen=True)
class GeneRule:
    """How one ACMG SF gene is reported, as the knowledge file states it."""

    gene: str
    report_rule: str
    inheritance: str
    lof_mechanism: bool = False


@dataclass(frozen=True)
class Verdict:
    """The category of one finding and the reason for it, in words."""

    category: str
    reason: str


def _stars(row: pd.Series) -> str:
    stars = row.get("review_stars")
    return "" if stars is None or pd.isna(stars) else f", {int(stars)}\u2605"


def _evidence(row: pd.Series) -> str:
    if row.get("classification_source") == "laboratory":
        return f"laboratory classification {row.get('classification')}"
    return f"ClinVar {row.get('classification')}{_stars(row)}"


def _haplotype(genotype: str, allele_index: int) -> int | None:
    """Which haplotype (0 or 1) of a phased diploid GT carries ``allele_index``."""
    if "|" not in genotype:
        return None
    alleles = genotype.split("|")
    hits = [i for i, a in enumerate(alleles) if a == str(allele_index)]
    return hits[0] if len(hits) == 1 else None


def _one_record_without_reference(rows: pd.DataFrame) -> bool:
    """Rows split from one VCF record whose genotype carries no reference allele (e.g. 1/2):
    its alternate alleles are on different chromosomes whether or not the GT is phased."""
    if "record_index" not in rows or rows["record_index"].nunique() != 1:
        return False
    alleles = re.split(r"[/|]", str(rows["genotype"].iloc[0]))
    return len(alleles) == 2 and "0" not in alleles and "." not in alleles


def _phase_relation(rows: pd.DataFrame) -> str:
    """'trans', 'cis' or 'unknown' for two or more heterozygous rows."""
    if _one_record_without_reference(rows):
        return "trans"
    if not rows["phased"].all():
        return "unknown"
    sets = rows["phase_set"]
    if sets.isna().any() != sets.isna().all() or sets.dropna().nunique() > 1:
        return "unknown"  # different phase blocks: phase between them is not known
    haps = {
        _haplotype(str(g), int(a))
        for g, a in zip(rows["genotype"], rows["allele_index"], strict=True)
    }
    if None in haps:
        return "unknown"
    return "trans" if len(haps) > 1 else "cis"


def _biallelic(plp: pd.DataFrame, label: str, verdicts: dict) -> None:
    """Homozygous, or two different P/LP alleles, is reportable; one allele is carrier."""
    hom = plp[plp["zygosity"].isin(["hom", "hemi"])]
    het = plp[plp["zygosity"] == "het"]
    unknown = plp[plp["zygosity"] == "unknown"]
    for idx, row in hom.iterrows():
        verdicts[idx] = Verdict(
            "reportable", f"{label}, homozygous P/LP variant ({_evidence(row)})"
        )
    # one allele listed twice (duplicate records) is still one allele
    n_het = het["finding_id"].nunique() if "finding_id" in het else len(het)
    if n_het >= 2:
        relation = _phase_relation(het)
        if relation == "cis":
            text = f"{label}, {n_het} P/LP variants on the same haplotype (cis, phased): carrier"
            category = "carrier"
        elif relation == "trans":
            text = f"{label}, {n_het} P/LP variants on different haplotypes (trans)"
            category = "reportable"
        else:
            text = (
                f"{label}, {n_het} P/LP variants, phase unknown: confirm they are in trans "
                "(e.g. parental testing)"
            )
            category = "reportable"
        _each(het, verdicts, category, text.replace("{", "{{").replace("}", "}}") + " ({evidence})")
    elif n_het == 1 and hom.empty:
        _each(het, verdicts, "carrier", f"{label}, one P/LP variant: carrier ({{evidence}})")
    elif n_het == 1:
        _each(het, verdicts, "reportable",
              f"{label}, P/LP variant with a homozygous P/LP variant in the same gene "
              "({evidence})")  # fmt: skip
    for idx, row in unknown.iterrows():
        verdicts[idx] = Verdict(
            "uncertain",
            f"{label}, P/LP variant but the file has no genotype: zygosity unknown ({_evidence(row)})",
        )


def _each(rows: pd.DataFrame, verdicts: dict, category: str, reason: str) -> None:
    """The same verdict for every row; ``{evidence}`` in ``reason`` becomes the row's."""
    for idx, row in rows.iterrows():
        verdicts[idx] = Verdict(category, reason.format(evidence=_evidence(row)))


def apply_gene_rule(rule: GeneRule, rows: pd.DataFrame, sex: str | None) -> dict:
    """Verdicts for the rows of one ACMG SF gene that matched the knowledge base.

    ``rows`` has columns zygosity, genotype, phased, phase_set, allele_index, classification,
    review_stars, kb_hgvs_p, kb_consequence, consequence. Returns {row index: Verdict}.
    """
    verdicts: dict = {}
    classes = rows["classification"].map(clinvar_class)
    plp = rows[classes == PLP]
    code = rule.report_rule
    inh = rule.inheritance

    _each(
        rows[classes.isin([CONFLICTING, VUS])],
        verdicts,
        "uncertain",
        f"{inh} gene; {{evidence}}: review",
    )
    _each(rows[classes == BENIGN], verdicts, "other", "{evidence}")

    if code == "HFE_C282Y_HOMOZYGOUS_ONLY":
        return _hfe(rows, classes, verdicts)
    if code == "PLP_ANY_ZYGOSITY":
        _each(
            plp,
            verdicts,
            "reportable",
            f"{inh} gene, P/LP variant reportable in any zygosity ({{evidence}})",
        )
    elif code == "PLP_TRUNCATING_ONLY":
        _truncating_only(rule, plp, verdicts)
    elif code == "PLP_BIALLELIC":
        _biallelic(plp, f"{inh} gene", verdicts)
    elif code == "PLP_ANY_ZYGOSITY_XL":
        _each(plp, verdicts, "reportable",
              "X-linked gene, P/LP variant reportable in either sex and any zygosity ({evidence})")  # fmt: skip
    elif code == "PLP_HEMI_OR_HOM_OR_BIALLELIC_XL":
        _x_linked_biallelic(plp, sex, verdicts)
    else:
        _each(plp, verdicts, "uncertain",
              f"unknown reporting rule '{code}' for {rule.gene}: review ({{evidence}})")  # fmt: skip
    return verdicts


def _truncating_only(rule: GeneRule, plp: pd.DataFrame, verdicts: dict) -> None:
    """TTN: only truncating P/LP variants are reportable; an unknown consequence is reviewed."""
    for idx, row in plp.iterrows():
        kb_csq, own_csq = row.get("kb_consequence"), row.get("consequence")
        if is_truncating(kb_csq, own_csq):
            verdicts[idx] = Verdict(
                "reportable", f"{rule.inheritance} gene, truncating P/LP variant ({_evidence(row)})"
            )
        elif not _has_text(kb_csq) and not _has_text(own_csq):
            verdicts[idx] = Verdict(
                "uncertain",
                f"{rule.gene}: only truncating P/LP variants are reportable and this variant's "
                f"consequence is not known ({_evidence(row)}): review",
            )
        else:
            verdicts[idx] = Verdict(
                "other",
                f"{rule.gene}: only truncating P/LP variants are reportable; this one is not "
                f"truncating ({_evidence(row)})",
            )


def _x_linked_biallelic(plp: pd.DataFrame, sex: str | None, verdicts: dict) -> None:
    """Males: any P/LP variant (hemizygous). Females: as a recessive gene. Sex unknown: a
    haploid call is reported, the rest waits for the patient's sex."""
    if sex == "M":
        _each(plp, verdicts, "reportable",
              "X-linked gene, hemizygous P/LP variant in a male ({evidence})")  # fmt: skip
    elif sex is None:
        hemi = plp["zygosity"].astype(object).eq("hemi").to_numpy(dtype=bool)
        _each(plp[hemi], verdicts, "reportable",
              "X-linked gene, hemizygous P/LP variant ({evidence})")  # fmt: skip
        _each(plp[~hemi], verdicts, "uncertain",
              "X-linked gene and the patient's sex is unknown: enter it in the patient "
              "details to apply the rule ({evidence})")  # fmt: skip
    else:
        _biallelic(plp, "X-linked gene in a female", verdicts)


def _hfe(rows: pd.DataFrame, classes: pd.Series, verdicts: dict) -> dict:
    # ACMG SF v3.3, HFE: "p.C282Y homozygotes only"; p.His63Asp is never reportable alone.
    # the knowledge's protein change first, else the file's own annotation
    protein = rows["kb_hgvs_p"].astype("string").replace("", pd.NA)
    if "hgvs_p" in rows:
        protein = protein.fillna(rows["hgvs_p"].astype("string"))
    is_c282y = protein.fillna("").str.contains(HFE_C282Y).astype(bool)
    c282y = rows[is_c282y]
    others = rows[~is_c282y]
    c282y_hom = c282y["zygosity"].isin(["hom", "hemi"]).any()
    for idx, row in c282y.iterrows():
        if row["zygosity"] in ("hom", "hemi"):
            verdicts[idx] = Verdict(
                "reportable",
                f"HFE p.Cys282Tyr homozygous, the only HFE genotype ACMG SF reports ({_evidence(row)})",
            )
        elif row["zygosity"] == "unknown":
            verdicts[idx] = Verdict(
                "uncertain",
                f"HFE p.Cys282Tyr but the file has no genotype: zygosity unknown ({_evidence(row)})",
            )
        else:
            extra = (
                " with another HFE variant (compound heterozygosity is not an ACMG SF finding)"
                if len(others)
                else ""
            )
            verdicts[idx] = Verdict(
                "carrier",
                f"HFE p.Cys282Tyr heterozygous{extra}: carrier; ACMG SF reports only homozygotes ({_evidence(row)})",
            )
    for idx, row in others.iterrows():
        if classes[idx] == PLP and not c282y_hom:
            verdicts[idx] = Verdict(
                "carrier",
                f"HFE variant other than p.Cys282Tyr: not reportable under ACMG SF ({_evidence(row)})",
            )
        else:
            verdicts[idx] = Verdict(
                "other",
                f"HFE variant other than p.Cys282Tyr (e.g. p.His63Asp) is never reportable alone under ACMG SF ({_evidence(row)})",
            )
    return verdicts


# Findings columns the rules index directly (others, e.g. kb_consequence, are read if present).
RULE_COLUMNS = (
    "kb_gene", "report_rule", "inheritance", "zygosity", "genotype", "phased", "phase_set",
    "allele_index", "classification", "kb_hgvs_p",
)  # fmt: skip


def reclassified_verdicts(
    findings: pd.DataFrame, overrides: Mapping[str, str], sex: str | None
) -> dict[str, Verdict]:
    """Verdicts after the reviewer's classification overrides, by ``finding_id``.

    The reporting rule is applied again to every gene with an overridden finding, the
    override standing in for the ClinVar classification: a VUS upgraded to likely pathogenic
    in a dominant gene becomes reportable, a second P/LP allele makes a recessive gene
    reportable, and a downgraded finding leaves the reportable category. Findings of other
    genes, and rows the rule gives no verdict (no classification), are not returned.

    ``findings`` is ``Findings.frame`` (needs ``finding_id, kb_gene, report_rule,
    inheritance`` and the columns :func:`apply_gene_rule` reads).
    """
    out: dict[str, Verdict] = {}
    if not overrides or not len(findings) or not set(RULE_COLUMNS) <= set(findings.columns):
        return out
    ids = findings["finding_id"].astype(str)
    for gene in sorted(set(findings.loc[ids.isin(set(overrides)), "kb_gene"].dropna())):
        rows = findings[findings["kb_gene"] == gene].copy()
        codes = rows["report_rule"].dropna().astype(str)
        codes = codes[codes != ""]
        if codes.empty:
            continue  # not an ACMG SF gene (e.g. a pharmacogene): no rule to apply
        inheritance = rows["inheritance"].dropna().astype(str)
        rule = GeneRule(gene, codes.iloc[0], inheritance.iloc[0] if len(inheritance) else "")
        row_ids = rows["finding_id"].astype(str)
        overridden = row_ids.isin(set(overrides))
        rows["classification"] = [
            overrides[fid] if hit else value
            for fid, hit, value in zip(row_ids, overridden, rows["classification"], strict=True)
        ]
        rows["classification_source"] = np.where(overridden, "laboratory", "clinvar")
        for idx, verdict in apply_gene_rule(rule, rows, sex).items():
            out[row_ids[idx]] = verdict
    return out
