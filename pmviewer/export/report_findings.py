"""Findings rows -> printed findings: values in words, interpretation and next steps.

Wording here is generic and cautious by design: it restates the evidence carried by the
finding (classification, review status, stars, condition, inheritance) and proposes the
standard next steps of a germline report (confirmation, cascade testing, referral). It never
adds gene-specific clinical advice, which would have to come from the knowledge sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pmviewer.core.knowledge import BENIGN, CONFLICTING, PLP, VUS, clinvar_class
from pmviewer.core.model import Decision
from pmviewer.core.wording import ZYGOSITY_WORDS
from pmviewer.core.wording import cell_text as as_text

INHERITANCE_WORDS = {"AD": "autosomal dominant", "AR": "autosomal recessive", "XL": "X-linked"}


@dataclass
class ReportFinding:
    """One printed variant, with every value already in words."""

    finding_id: str
    section: str  # "reportable" | "carrier" | "uncertain" | "additional"
    gene: str
    transcript: str
    hgvs_c: str
    hgvs_p: str
    hgvs_g: str  # ClinVar genomic HGVS, shown when no c./p. name is known
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
    basis: str  # why the analysis put it in this category (rule engine's reason)
    interpretation: str
    recommendations: list[str]
    name_source: str = ""  # where the c./p. name comes from, in words ("" = no signable name)
    name_note: str = ""  # e.g. only a non-MANE transcript was annotated
    qualifier: str = ""  # ClinVar qualifier (drug response, low penetrance, ...)
    therapies: list[dict] = field(default_factory=list)  # CIViC germline predictive evidence
    family: str = ""  # the parents' genotypes and where the allele came from, in words
    civic: list[str] = field(default_factory=list)  # CIViC evidence items, one line each


def as_int(value: object) -> int | None:
    """Frame cell -> int, or None for NA and non-numbers."""
    text = as_text(value)
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _short_allele(allele: str, limit: int = 12) -> str:
    return allele if len(allele) <= limit else f"{allele[:limit]}…({len(allele)} bp)"


_NO_CONDITION = {"not provided", "not specified", "see cases", ""}


def best_supported_condition(text: str) -> str:
    """The condition ClinVar names most often for the variant (each submission repeats its
    condition, so the count is the support); ties go to the first named. Placeholders such
    as "not provided" never win."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for part in re.split(r"[|;]", text):
        name = part.strip().replace("_", " ")
        key = name.lower()
        if key in _NO_CONDITION:
            continue
        counts[key] = counts.get(key, 0) + 1
        names.setdefault(key, name)
    if not counts:
        return ""
    best = max(counts, key=lambda k: counts[k])  # max keeps the first of equal counts
    return names[best]


def chosen_condition(row: dict) -> str:
    """The one condition printed for a finding: the ACMG SF condition for a secondary-findings
    gene (the list names the condition the gene is reported for), else the best-supported
    ClinVar condition."""
    sf = as_text(row.get("sf_condition"))
    if sf:
        return sf
    return best_supported_condition(as_text(row.get("condition")))


def _position(row: dict) -> str:
    chrom = as_text(row.get("chrom"))
    if chrom and not chrom.lower().startswith("chr"):
        chrom = f"chr{chrom}"
    pos = as_int(row.get("pos"))
    ref, alt = as_text(row.get("ref")), as_text(row.get("alt"))
    place = f"{chrom}:{pos}" if pos is not None else chrom
    return f"{place} {_short_allele(ref)}>{_short_allele(alt)}".strip()


_ORIGIN = {
    "mother": "inherited from the mother",
    "father": "inherited from the father",
    "both": "both parents carry it",
    "neither": "carried by neither parent",
}


def family_words(row: dict) -> str:
    """'Mother 0/1, father 0/0: inherited from the mother.' ('' without parents' data)."""
    mother, father = as_text(row.get("mother_genotype")), as_text(row.get("father_genotype"))
    if not mother and not father:
        return ""
    parts = [f"mother {mother or 'not tested'}", f"father {father or 'not tested'}"]
    text = "Parental genotypes: " + ", ".join(parts)
    origin = _ORIGIN.get(as_text(row.get("inherited_from")))
    de_novo = as_text(row.get("de_novo"))
    if de_novo:
        text += f"; {de_novo}, to be confirmed with parental samples"
    elif origin:
        text += f"; {origin}"
    return text + "."


def _interpretation(f: ReportFinding) -> str:
    variant = " ".join(x for x in (f.hgvs_c, f"({f.hgvs_p})" if f.hgvs_p else "") if x)
    zyg = f.zygosity.lower()
    state = f" in the {zyg} state" if zyg and zyg != "not determined" else ""
    parts = [f"The {f.gene} variant {variant or f.hgvs_g or f.position} was detected{state}."]
    if f.kb_classification:
        # the structured evidence (stars, variation ID, dates) is printed beside this text
        panel = " by an expert panel" if "expert panel" in f.review_status.lower() else ""
        parts.append(f"ClinVar classifies this variant as {f.kb_classification}{panel}.")
    if f.override_reason:
        # the reason is printed on its own line under the interpretation
        parts.append(f"On review the laboratory classifies it as {f.classification}.")
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
    # an override decides the next steps: an upgraded VUS is not "uncertain" any more, and
    # a downgraded finding must not ask for cascade testing
    printed = clinvar_class(f.classification) if f.override_reason else None
    if printed in (VUS, CONFLICTING) or (f.section == "uncertain" and printed != PLP):
        return [
            "A variant of uncertain significance should not be used on its own for clinical "
            "decision-making. Its classification may change as evidence accumulates; "
            "reinterpretation may be requested in the future."
        ]
    if printed == BENIGN:
        return [
            "The laboratory classifies this variant as benign or likely benign; no change in "
            "medical management is recommended on the basis of this variant."
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


def civic_line(item: Mapping[str, Any]) -> str:
    """One CIViC evidence item in words, with its identifier and publication (as the window's
    detail panel shows it)."""
    what = " · ".join(
        as_text(item.get(k))
        for k in ("molecular_profile", "evidence_type", "significance", "disease", "therapies")
        if as_text(item.get(k))
    )
    ident = as_text(item.get("civic_evidence_id"))
    label = f"CIViC EID{ident}" if ident else "CIViC"
    level = as_text(item.get("level"))
    line = f"{label}{f' (level {level})' if level else ''}: {what}"
    cite = as_text(item.get("citation"))
    pmid = as_text(item.get("pmid"))
    source = ", ".join(x for x in (cite, f"PMID {pmid}" if pmid else "") if x)
    return f"{line}. {source}." if source else f"{line}."


def finding_from_row(
    row: dict,
    section: str,
    decision: Decision | None,
    build: str,
    sex: str,
    civic: list[dict[str, Any]] | None = None,
) -> ReportFinding:
    """One printed finding from a findings row, the reviewer's decision and the section.

    ``civic``: the finding's CIViC evidence items (``Findings.civic``)."""
    gene = as_text(row.get("kb_gene")) or as_text(row.get("gene"))
    kb_class = as_text(row.get("classification"))
    override = decision.classification_override if decision else None
    zyg_code = as_text(row.get("zygosity")) or "unknown"
    zygosity = ZYGOSITY_WORDS.get(zyg_code, zyg_code)
    chrom = as_text(row.get("chrom")).lower().removeprefix("chr")
    if zyg_code == "hom" and chrom == "x" and sex == "M":
        zygosity = "Hemizygous"  # a male's single X: a homozygous-looking call is hemizygous
    flags = row.get("quality_flags")
    finding = ReportFinding(
        finding_id=as_text(row.get("finding_id")),
        section=section,
        gene=gene,
        transcript=as_text(row.get("kb_transcript")) or as_text(row.get("transcript")),
        hgvs_c=as_text(row.get("kb_hgvs_c")) or as_text(row.get("hgvs_c")),
        hgvs_p=as_text(row.get("kb_hgvs_p")) or as_text(row.get("hgvs_p")),
        hgvs_g=as_text(row.get("kb_hgvs_g")),
        position=_position(row),
        build=build,
        zygosity=zygosity,
        classification=override or kb_class or "Not classified",
        kb_classification=kb_class,
        override_reason=(decision.override_reason or "") if override and decision else "",
        condition=chosen_condition(row),
        inheritance=INHERITANCE_WORDS.get(as_text(row.get("inheritance")), "")
        or as_text(row.get("inheritance")),
        inheritance_code=as_text(row.get("inheritance")),
        review_status=as_text(row.get("review_status")),
        stars=as_int(row.get("review_stars")),
        clinvar_id=as_int(row.get("clinvar_id")),
        last_evaluated=as_text(row.get("last_evaluated")),
        comment=(decision.comment if decision else "").strip(),
        reviewed=bool(decision and decision.decision != "undecided"),
        quality_flags=[str(x) for x in flags] if isinstance(flags, (list, tuple)) else [],
        basis=as_text(row.get("reason")),
        interpretation="",
        recommendations=[],
        civic=[civic_line(item) for item in civic or []],
    )
    _apply_name(finding, row, decision)
    finding.qualifier = _plain_text(row.get("clinvar_qualifier"))
    therapies = row.get("therapies")
    finding.therapies = [dict(t) for t in therapies] if isinstance(therapies, (list, tuple)) else []
    finding.family = family_words(row)
    finding.interpretation = _interpretation(finding)
    finding.recommendations = _recommendations(finding)
    return finding


def _plain_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _apply_name(finding: ReportFinding, row: dict, decision: Decision | None) -> None:
    """The signable name in the stated order: reviewer's entry, file on MANE, ClinVar."""
    from pmviewer.core.annotation import NAME_SOURCE_WORDS

    if decision is not None and decision.hgvs_c.strip() and decision.hgvs_transcript.strip():
        finding.transcript = decision.hgvs_transcript.strip()
        finding.hgvs_c = decision.hgvs_c.strip()
        finding.hgvs_p = decision.hgvs_p.strip()
        finding.name_source = NAME_SOURCE_WORDS["reviewer"]
        return
    if not isinstance(row.get("name_source"), str):
        return  # findings made before names had sources: keep what the row says
    source = as_text(row.get("name_source"))
    finding.name_note = _plain_text(row.get("name_note"))
    if source:
        finding.transcript = as_text(row.get("name_transcript"))
        finding.hgvs_c = as_text(row.get("name_c"))
        finding.hgvs_p = as_text(row.get("name_p"))
        finding.name_source = NAME_SOURCE_WORDS.get(source, source)
    else:  # no signable name: the file's non-MANE annotation is not printed as one
        finding.transcript, finding.hgvs_c, finding.hgvs_p = "", "", ""
