"""The parents' genotypes beside each finding: inheritance, de novo, phase from the parents.

For each finding the mother's and father's calls at the same site give where the allele
came from: ``inherited_from`` is "mother", "father", "both", "neither" (a de novo candidate:
both parents called and neither carries it) or missing (a parent not genotyped there). Two
heterozygous P/LP variants of a recessive gene, one from each parent, are in trans; the rule
engine reads ``inherited_from`` when the file's own phasing cannot tell
(:func:`pmviewer.core.annotation.rules._parental_relation`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmviewer.core.annotation import gene_verdicts
from pmviewer.core.family.pedigree import Pedigree, parse_pedigree_header
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf import SampleCall, Site, family_calls, header_lines

MIN_PARENT_DEPTH = 15  # the default depth threshold of the quality flags (QualityThresholds)


@dataclass(frozen=True)
class Trio:
    proband: str
    mother: str | None
    father: str | None


def _site(row: dict) -> Site:
    chrom = str(row["chrom"])
    chrom = chrom[3:] if chrom.lower().startswith("chr") else chrom
    return (chrom, int(row["pos"]), str(row["ref"]), str(row["alt"]))


def finding_sites(frame: pd.DataFrame) -> list[Site]:
    """The (chrom, pos, ref, alt) of every finding row, for :func:`family_calls`."""
    cols = ["chrom", "pos", "ref", "alt"]
    if not len(frame) or not set(cols) <= set(frame.columns):
        return []
    return sorted({_site(r) for r in frame[cols].to_dict("records")})


def origin(mother: SampleCall | None, father: SampleCall | None) -> str | None:
    """Where the proband's allele came from, from the parents' calls (None: not known)."""
    if mother is None or father is None or mother.carries is None or father.carries is None:
        return None
    if mother.carries and father.carries:
        return "both"
    if mother.carries:
        return "mother"
    if father.carries:
        return "father"
    return "neither"


def de_novo_note(mother: SampleCall | None, father: SampleCall | None) -> str | None:
    """'de novo' when both parents are called without the allele; with a caution when a
    parent's depth is too low to trust its reference call."""
    if origin(mother, father) != "neither":
        return None
    depths = [c.depth for c in (mother, father) if c is not None]
    if any(d is None or d < MIN_PARENT_DEPTH for d in depths):
        return "de novo (low parental depth: confirm)"
    return "de novo"


def with_parents(
    frame: pd.DataFrame,
    calls: dict[Site, dict[str, SampleCall]],
    trio: Trio,
    sex: str | None,
) -> pd.DataFrame:
    """The findings frame with ``mother_genotype``, ``father_genotype``, ``inherited_from``
    and ``de_novo`` columns, and the reporting rule applied again to every gene where the
    parents' genotypes settle the phase of two variants (category and reason updated)."""
    out = frame.copy()
    mother_gt, father_gt, inherited, de_novo = [], [], [], []
    for row in out[["chrom", "pos", "ref", "alt"]].to_dict("records"):
        site_calls = calls.get(_site(row), {})
        m = site_calls.get(trio.mother) if trio.mother else None
        f = site_calls.get(trio.father) if trio.father else None
        mother_gt.append(m.genotype if m else ("not in file" if trio.mother else None))
        father_gt.append(f.genotype if f else ("not in file" if trio.father else None))
        inherited.append(origin(m, f))
        de_novo.append(de_novo_note(m, f))
    out["mother_genotype"] = mother_gt
    out["father_genotype"] = father_gt
    out["inherited_from"] = inherited
    out["de_novo"] = de_novo
    if "kb_gene" in out.columns and "report_rule" in out.columns:
        het = out[(out["zygosity"].astype(str) == "het") & out["kb_gene"].notna()]
        genes = set(het["kb_gene"][het.duplicated("kb_gene", keep=False)].astype(str))
        verdicts = gene_verdicts(out, genes, sex)
        if verdicts:
            ids = out["finding_id"].astype(str)
            for column, attr in (("category", "category"), ("reason", "reason")):
                values = out[column].astype(object).tolist()
                for i, fid in enumerate(ids):
                    if fid in verdicts:
                        values[i] = getattr(verdicts[fid], attr)
                if isinstance(out[column].dtype, pd.CategoricalDtype):
                    out[column] = pd.Categorical(values, categories=sorted(
                        set(out[column].cat.categories) | {v for v in values if v}))  # fmt: skip
                else:
                    out[column] = values
    return out


def family_findings(
    path: str,
    frame: pd.DataFrame,
    sample: str,
    samples: list[str],
    sex: str | None,
    pedigree: Pedigree | None = None,
    cancel: CancelToken | None = None,
) -> tuple[pd.DataFrame, Trio | None, Pedigree]:
    """The findings of ``sample`` with its parents' genotypes, when the file holds them.

    ``pedigree``: from a PED file or the sample chooser; by default the file's
    ``##PEDIGREE`` lines. Returns the frame (unchanged when no parent is in the file), the
    trio used and the pedigree restricted to the file's samples.
    """
    if pedigree is None or not pedigree.members:
        pedigree = parse_pedigree_header(header_lines(path))
    pedigree = pedigree.restricted_to(samples)
    mother, father = pedigree.parents(sample)
    if mother is None and father is None:
        return frame, None, pedigree
    trio = Trio(sample, mother, father)
    relatives = [s for s in (mother, father) if s]
    calls = family_calls(path, relatives, finding_sites(frame), cancel)
    return with_parents(frame, calls, trio, sex), trio, pedigree
