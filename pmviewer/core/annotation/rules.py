"""The ACMG SF reporting-rule engine: one small function per ``report_rule`` code.

Rules are data: each gene's ``report_rule`` comes from the knowledge file (ACMG SF v3.3 table,
column ``report_rule``; see resources/knowledge/SOURCES.md). The only variant named in code is
HFE p.Cys282Tyr, because the published rule names it ("p.C282Y homozygotes only",
ACMG SF v3.3 list, HFE row).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
# rules that name the reportable variant themselves (the evidence policy's qualifiers do not
# apply: the ACMG SF list weighed them)
VARIANT_NAMED_RULES = frozenset({"HFE_C282Y_HOMOZYGOUS_ONLY"})


def _has_text(value: object) -> bool:
    """A non-empty text: None, NaN and pd.NA (missing cells of any dtype) are not."""
    return isinstance(value, str) and bool(value.strip())


def per_value(values: pd.Series, answer: Callable[[Any], object], dtype: type = bool) -> np.ndarray:
    """``answer`` for every cell, computed once per distinct value (a genome's consequence
    or classification columns hold few distinct texts); a missing cell is asked as None."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    answers = [answer(u) for u in uniques]
    if (codes < 0).any():
        answers.append(answer(None))  # the sentinel -1 picks the answer for a missing cell
    return np.array(answers, dtype=dtype)[codes] if answers else np.array([], dtype=dtype)


def column(rows: pd.DataFrame, name: str) -> pd.Series:
    """``rows[name]`` as objects, or all None when the frame lacks the column."""
    if name in rows:
        return rows[name].astype(object)
    return pd.Series([None] * len(rows), index=rows.index, dtype=object)


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


class VerdictBoard:
    """Category and reason per row of one frame, filled rule by rule, a whole set of rows
    at a time (a later verdict for a row replaces an earlier one)."""

    def __init__(self, index: pd.Index, evidence: pd.Series | None = None) -> None:
        self.category = pd.Series(None, index=index, dtype=object)
        self.reason = pd.Series(None, index=index, dtype=object)
        self.evidence = evidence  # evidence_texts of the rows, when the rules need it

    def evidence_of(self, rows: pd.DataFrame) -> pd.Series:
        """The evidence texts of ``rows`` (some of this board's rows)."""
        assert self.evidence is not None
        return self.evidence.loc[rows.index]

    def put(self, rows: pd.DataFrame, category: str, reason: str | pd.Series) -> None:
        if len(rows):
            self.category.loc[rows.index] = category
            self.reason.loc[rows.index] = reason

    def take(self, other: VerdictBoard) -> None:
        """The verdicts ``other`` holds (for some of these rows) replace these."""
        done = other.filled()
        self.category.loc[other.category.index[done]] = other.category[done]
        self.reason.loc[other.reason.index[done]] = other.reason[done]

    def filled(self) -> pd.Series:
        return self.category.notna()

    def to_dict(self) -> dict:
        """{row index: Verdict} for the rows with a verdict."""
        done = self.filled()
        return {
            idx: Verdict(c, r)
            for idx, c, r in zip(
                self.category.index[done], self.category[done], self.reason[done], strict=True
            )
        }


def evidence_texts(rows: pd.DataFrame) -> pd.Series:
    """The evidence named in every reason: "ClinVar Pathogenic, 2\u2605" or "laboratory
    classification Likely pathogenic"."""
    classification = column(rows, "classification").astype(str)
    stars = pd.to_numeric(column(rows, "review_stars"), errors="coerce")
    star_text = pd.Series("", index=rows.index, dtype=object)
    known = stars.notna()
    star_text[known] = ", " + stars[known].astype(int).astype(str) + "\u2605"
    laboratory = column(rows, "classification_source").eq("laboratory").to_numpy(dtype=bool)
    clinvar = "ClinVar " + classification + star_text
    return clinvar.where(~laboratory, "laboratory classification " + classification)


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
    genotypes = rows["genotype"].astype(str)
    if not genotypes.str.contains("|", regex=False).all():
        return "unknown"
    # the haplotype (0 or 1) of each row's allele: it must appear exactly once in the GT
    alleles = genotypes.str.split("|", expand=True)
    hits = alleles.eq(rows["allele_index"].astype(int).astype(str), axis=0).to_numpy()
    if (hits.sum(axis=1) != 1).any():
        return "unknown"
    return "trans" if len(set(hits.argmax(axis=1))) > 1 else "cis"


def _parental_relation(rows: pd.DataFrame) -> str:
    """'trans', 'cis' or 'unknown' from the parents' genotypes (column ``inherited_from``,
    set by :mod:`pmviewer.core.family`: "mother", "father", "both", "neither" or missing).
    Two variants, one from each parent, are in trans; all from one parent (the other parent
    carrying none of them) are in cis; anything else (a de novo variant, a parent not
    genotyped, a parent carrying both) leaves the phase unknown."""
    if "inherited_from" not in rows:
        return "unknown"
    origins = rows["inherited_from"].astype(object)
    if not len(origins) or not origins.isin(["mother", "father"]).all():
        return "unknown"
    return "trans" if origins.nunique() == 2 else "cis"


def _biallelic(plp: pd.DataFrame, label: str, board: VerdictBoard) -> None:
    """Homozygous, or two different P/LP alleles, is reportable; one allele is carrier."""
    zygosity = plp["zygosity"].astype(object)
    hom = plp[zygosity.isin(["hom", "hemi"]).to_numpy(dtype=bool)]
    het = plp[zygosity.eq("het").to_numpy(dtype=bool)]
    unknown = plp[zygosity.eq("unknown").to_numpy(dtype=bool)]
    board.put(
        hom, "reportable", f"{label}, homozygous P/LP variant (" + board.evidence_of(hom) + ")"
    )
    # one allele listed twice (duplicate records) is still one allele
    n_het = het["finding_id"].nunique() if "finding_id" in het else len(het)
    if n_het >= 2:
        relation = _phase_relation(het)
        parental = _parental_relation(het) if relation == "unknown" else "unknown"
        if parental == "trans":
            text = (
                f"{label}, {n_het} P/LP variants in trans: one inherited from each parent "
                "(parental genotypes in the file)"
            )
            category = "reportable"
        elif parental == "cis":
            text = (
                f"{label}, {n_het} P/LP variants inherited together from one parent (cis, from "
                "the parental genotypes): carrier"
            )
            category = "carrier"
        elif relation == "cis":
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
        board.put(het, category, f"{text} (" + board.evidence_of(het) + ")")
    elif n_het == 1 and hom.empty:
        board.put(
            het, "carrier", f"{label}, one P/LP variant: carrier (" + board.evidence_of(het) + ")"
        )
    elif n_het == 1:
        board.put(het, "reportable",
                  f"{label}, P/LP variant with a homozygous P/LP variant in the same gene ("
                  + board.evidence_of(het) + ")")  # fmt: skip
    board.put(unknown, "uncertain",
              f"{label}, P/LP variant but the file has no genotype: zygosity unknown ("
              + board.evidence_of(unknown) + ")")  # fmt: skip


def rule_board(
    rule: GeneRule, rows: pd.DataFrame, sex: str | None, evidence: pd.Series | None = None
) -> VerdictBoard:
    """The verdicts of :func:`apply_gene_rule` as whole columns (a :class:`VerdictBoard`);
    ``evidence`` is :func:`evidence_texts` of rows including these, when already known."""
    rows = rule_inputs(rows)
    evidence = evidence_texts(rows) if evidence is None else evidence.loc[rows.index]
    board = VerdictBoard(rows.index, evidence)
    classes = pd.Series(per_value(rows["classification"], clinvar_class, object), index=rows.index)
    plp = rows[(classes == PLP).to_numpy()]
    code = rule.report_rule
    inh = rule.inheritance
    doubtful = rows[classes.isin([CONFLICTING, VUS]).to_numpy()]
    board.put(doubtful, "uncertain", f"{inh} gene; " + board.evidence_of(doubtful) + ": review")
    benign = rows[(classes == BENIGN).to_numpy()]
    board.put(benign, "other", board.evidence_of(benign))

    if code == "HFE_C282Y_HOMOZYGOUS_ONLY":
        _hfe(rows, classes, board)
    elif code == "PLP_ANY_ZYGOSITY":
        board.put(plp, "reportable",
                  f"{inh} gene, P/LP variant reportable in any zygosity (" + board.evidence_of(plp) + ")")  # fmt: skip
    elif code == "PLP_TRUNCATING_ONLY":
        _truncating_only(rule, plp, board)
    elif code == "PLP_BIALLELIC":
        _biallelic(plp, f"{inh} gene", board)
    elif code == "PLP_ANY_ZYGOSITY_XL":
        board.put(plp, "reportable",
                  "X-linked gene, P/LP variant reportable in either sex and any zygosity ("
                  + board.evidence_of(plp) + ")")  # fmt: skip
    elif code == "PLP_HEMI_OR_HOM_OR_BIALLELIC_XL":
        _x_linked_biallelic(plp, sex, board)
    else:
        board.put(plp, "uncertain",
                  f"unknown reporting rule '{code}' for {rule.gene}: review ("
                  + board.evidence_of(plp) + ")")  # fmt: skip
    return board


def rule_inputs(rows: pd.DataFrame) -> pd.DataFrame:
    """Only the columns the rules read: every subset a rule takes then copies a few columns,
    not a finding's eighty."""
    return rows[[c for c in RULE_INPUTS if c in rows.columns]]


def apply_gene_rule(rule: GeneRule, rows: pd.DataFrame, sex: str | None) -> dict:
    """Verdicts for the rows of one ACMG SF gene that matched the knowledge base.

    ``rows`` has columns zygosity, genotype, phased, phase_set, allele_index, classification,
    review_stars, kb_hgvs_p, kb_consequence, consequence. Returns {row index: Verdict}.
    """
    return rule_board(rule, rows, sex).to_dict()


def _truncating_only(rule: GeneRule, plp: pd.DataFrame, board: VerdictBoard) -> None:
    """TTN: only truncating P/LP variants are reportable; an unknown consequence is reviewed."""
    kb_csq, own_csq = column(plp, "kb_consequence"), column(plp, "consequence")
    truncating = per_value(kb_csq, is_truncating) | per_value(own_csq, is_truncating)
    unknown = ~truncating & ~per_value(kb_csq, _has_text) & ~per_value(own_csq, _has_text)
    evidence = board.evidence_of(plp)
    board.put(
        plp[~truncating & ~unknown], "other",
        f"{rule.gene}: only truncating P/LP variants are reportable; this one is not "
        "truncating (" + evidence[~truncating & ~unknown] + ")",
    )  # fmt: skip
    board.put(
        plp[unknown], "uncertain",
        f"{rule.gene}: only truncating P/LP variants are reportable and this variant's "
        "consequence is not known (" + evidence[unknown] + "): review",
    )  # fmt: skip
    board.put(plp[truncating], "reportable",
              f"{rule.inheritance} gene, truncating P/LP variant (" + evidence[truncating] + ")")  # fmt: skip


def _x_linked_biallelic(plp: pd.DataFrame, sex: str | None, board: VerdictBoard) -> None:
    """Males: any P/LP variant (hemizygous). Females: as a recessive gene. Sex unknown: a
    haploid call is reported, the rest waits for the patient's sex."""
    if sex == "M":
        board.put(plp, "reportable",
                  "X-linked gene, hemizygous P/LP variant in a male (" + board.evidence_of(plp) + ")")  # fmt: skip
    elif sex is None:
        hemi = plp["zygosity"].astype(object).eq("hemi").to_numpy(dtype=bool)
        board.put(plp[hemi], "reportable",
                  "X-linked gene, hemizygous P/LP variant (" + board.evidence_of(plp[hemi]) + ")")  # fmt: skip
        board.put(plp[~hemi], "uncertain",
                  "X-linked gene and the patient's sex is unknown: enter it in the patient "
                  "details to apply the rule (" + board.evidence_of(plp[~hemi]) + ")")  # fmt: skip
    else:
        _biallelic(plp, "X-linked gene in a female", board)


def _hfe(rows: pd.DataFrame, classes: pd.Series, board: VerdictBoard) -> None:
    # ACMG SF v3.3, HFE: "p.C282Y homozygotes only"; p.His63Asp is never reportable alone.
    # the knowledge's protein change first, else the file's own annotation
    protein = rows["kb_hgvs_p"].astype("string").replace("", pd.NA)
    if "hgvs_p" in rows:
        protein = protein.fillna(rows["hgvs_p"].astype("string"))
    is_c282y = protein.fillna("").str.contains(HFE_C282Y).astype(bool).to_numpy()
    evidence = board.evidence_of(rows)
    zygosity = rows["zygosity"].astype(object)
    hom = zygosity.isin(["hom", "hemi"]).to_numpy(dtype=bool)
    no_genotype = zygosity.eq("unknown").to_numpy(dtype=bool)
    c282y_hom = bool((is_c282y & hom).any())
    extra = (
        " with another HFE variant (compound heterozygosity is not an ACMG SF finding)"
        if (~is_c282y).any()
        else ""
    )
    plp = (classes == PLP).to_numpy()
    carrier = is_c282y & ~hom & ~no_genotype
    board.put(rows[is_c282y & hom], "reportable",
              "HFE p.Cys282Tyr homozygous, the only HFE genotype ACMG SF reports ("
              + evidence[is_c282y & hom] + ")")  # fmt: skip
    board.put(rows[is_c282y & no_genotype], "uncertain",
              "HFE p.Cys282Tyr but the file has no genotype: zygosity unknown ("
              + evidence[is_c282y & no_genotype] + ")")  # fmt: skip
    board.put(rows[carrier], "carrier",
              f"HFE p.Cys282Tyr heterozygous{extra}: carrier; ACMG SF reports only homozygotes ("
              + evidence[carrier] + ")")  # fmt: skip
    other_carrier = ~is_c282y & plp & (not c282y_hom)
    board.put(rows[other_carrier], "carrier",
              "HFE variant other than p.Cys282Tyr: not reportable under ACMG SF ("
              + evidence[other_carrier] + ")")  # fmt: skip
    never = ~is_c282y & ~other_carrier
    board.put(rows[never], "other",
              "HFE variant other than p.Cys282Tyr (e.g. p.His63Asp) is never reportable alone "
              "under ACMG SF (" + evidence[never] + ")")  # fmt: skip


def gene_verdicts(
    findings: pd.DataFrame, genes: set[str] | list[str], sex: str | None
) -> dict[str, Verdict]:
    """Verdicts of every finding of ``genes`` with the rule applied again on the frame as it
    is now (e.g. after the parents' genotypes added ``inherited_from``), by ``finding_id``."""
    out: dict[str, Verdict] = {}
    if not len(findings) or not set(RULE_COLUMNS) <= set(findings.columns):
        return out
    for gene in sorted(set(genes)):
        rows = findings[findings["kb_gene"] == gene].copy()
        codes = rows["report_rule"].dropna().astype(str)
        codes = codes[codes != ""]
        if codes.empty:
            continue
        classes = rows["classification"].astype(object)
        rows["classification"] = classes.where(classes.notna(), None)  # pd.NA -> None
        inheritance = rows["inheritance"].dropna().astype(str)
        rule = GeneRule(gene, codes.iloc[0], inheritance.iloc[0] if len(inheritance) else "")
        ids = rows["finding_id"].astype(str)
        for idx, verdict in apply_gene_rule(rule, rows, sex).items():
            out[ids[idx]] = verdict
    return out


# every column a rule reads (when present)
RULE_INPUTS = (
    "zygosity", "genotype", "phased", "phase_set", "allele_index", "record_index",
    "classification", "classification_source", "review_stars", "kb_hgvs_p", "hgvs_p",
    "kb_consequence", "consequence", "finding_id", "inherited_from",
)  # fmt: skip
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
