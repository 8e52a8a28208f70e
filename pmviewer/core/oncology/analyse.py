"""From a tumour VCF and a tumour type to tiered findings with their CIViC evidence."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pmviewer.core import vcf
from pmviewer.core.errors import BuildError, InputFileError
from pmviewer.core.oncology.build_guess import infer_build
from pmviewer.core.oncology.diseases import DiseaseOntology, TumourType
from pmviewer.core.oncology.germline_alleles import germline_alleles
from pmviewer.core.oncology.match import CODON, EXACT, PROTEIN, CallMatch, match_call, satisfied
from pmviewer.core.oncology.reach import predictive_reach
from pmviewer.core.oncology.tables import OncologyTables, load_tables
from pmviewer.core.oncology.tiers import (
    CITATION,
    TIER_II,
    TIER_III,
    best_tier,
    evidence_tier,
    tier_reason,
)
from pmviewer.core.progress import CancelToken, ProgressCallback, check
from pmviewer.core.tumour import TumourFile, read_calls, recognise

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge

LIMITATIONS = (
    "Copy number changes (amplifications, deletions) are not assessed: the VCF holds small "
    "variants only.",
    "Gene fusions and rearrangements (for example ALK, ROS1, RET, NTRK) are not assessed: a "
    "small-variant VCF cannot show them.",
    "Tumour mutational burden (TMB) and microsatellite instability (MSI) are not assessed.",
    "Expression, methylation and protein-level biomarkers (for example PD-L1) are not assessed.",
    "Variants absent from the file were not called by the lab's pipeline or were outside its "
    "target; absence of a call does not show absence of the variant.",
    "Evidence is CIViC's (community-curated, CC0) as of the knowledge file's release; it is not "
    "a treatment recommendation and does not replace the tumour board's judgement.",
)


@dataclass
class TumourFinding:
    finding_id: str
    gene: str | None
    chrom: str
    pos: int
    ref: str
    alt: str
    vaf: float | None
    depth: int | None
    alt_reads: int | None
    vaf_source: str
    normal_vaf: float | None
    hgvs_p: str | None
    hgvs_c: str | None
    transcript: str | None
    exon: int | None
    filter: str
    status: str
    tier: str
    tier_reason: str
    match_kinds: list[str]
    evidence: list[dict[str, object]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "finding_id": self.finding_id, "gene": self.gene, "chrom": self.chrom,
            "pos": self.pos, "ref": self.ref, "alt": self.alt,
            "vaf": None if self.vaf is None else round(self.vaf, 4), "depth": self.depth,
            "alt_reads": self.alt_reads, "vaf_source": self.vaf_source,
            "normal_vaf": None if self.normal_vaf is None else round(self.normal_vaf, 4),
            "hgvs_p": self.hgvs_p, "hgvs_c": self.hgvs_c, "transcript": self.transcript,
            "exon": self.exon, "filter": self.filter, "somatic_status": self.status,
            "tier": self.tier, "tier_reason": self.tier_reason, "match_kinds": self.match_kinds,
            "flags": self.flags, "evidence": self.evidence,
        }  # fmt: skip


@dataclass
class TumourAnalysis:
    path: str
    input_sha256: str | None
    build: str
    tumour: TumourFile
    tumour_type: TumourType
    findings: list[TumourFinding]
    not_assessed: list[dict[str, object]]
    fate: dict[str, int]
    knowledge: dict[str, object]
    reach: dict[str, object]
    warnings: list[str] = field(default_factory=list)
    germline_alleles: list[dict[str, object]] = field(default_factory=list)
    limitations: tuple[str, ...] = LIMITATIONS
    germline: object | None = None  # the normal sample's germline analysis, when one was run

    def to_json(self) -> dict[str, object]:
        return {
            "sample": self.tumour.tumour_sample, "normal_sample": self.tumour.normal_sample,
            "tumour_type": self.tumour_type.to_json(), "build": self.build,
            "caller": self.tumour.caller, "layout": self.tumour.layout,
            "recognised_by": list(self.tumour.evidence),
            "input_sha256": self.input_sha256, "tiering": CITATION,
            "findings": [f.to_json() for f in self.findings],
            "not_assessed": self.not_assessed, "fate": dict(self.fate),
            "germline_alleles": self.germline_alleles,
            "warnings": list(self.warnings), "limitations": list(self.limitations),
            "matching_reach": self.reach,
        }  # fmt: skip


def _resolve_build(info_build: str | None, stated: str | None, name: str) -> str:
    if stated and info_build and stated != info_build:
        raise BuildError(
            f"{name} says it is {info_build}, but {stated} was stated. Check which genome build "
            "the lab used and state that one."
        )
    build = stated or info_build
    if build not in ("GRCh37", "GRCh38"):
        raise BuildError(
            f"The genome build of {name} cannot be told from its header. State it (--build "
            "GRCh37 or --build GRCh38); the lab's report or pipeline names it."
        )
    return build


def _evidence_json(
    item: dict[str, object], dos: DiseaseOntology, tumour: TumourType, basis: str
) -> dict[str, object]:
    applies = dos.applies(str(item["doid"]) if item.get("doid") else None, tumour.doid)
    pmid = item.get("pmid")
    citation = item.get("citation") or ""
    return {
        "civic_evidence_id": int(str(item["evidence_id"])),
        "molecular_profile": item["molecular_profile"], "disease": item.get("disease"),
        "doid": item.get("doid"), "therapies": item.get("therapies"),
        "therapy_interaction": item.get("therapy_interaction_type"),
        "evidence_type": item["evidence_type"], "level": item["evidence_level"],
        "significance": item.get("significance"), "direction": item.get("evidence_direction"),
        "citation": f"{citation} PMID:{pmid}".strip() if pmid else (citation or None),
        "pmid": pmid, "url": item.get("url"), "rating": item.get("rating"),
        "applies_to_tumour_type": applies, "match_basis": basis,
        "sets_tier": evidence_tier(item, applies),
    }  # fmt: skip


_LEVEL_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}


def _sort_evidence(items: list[dict[str, object]]) -> None:
    items.sort(key=lambda i: (not i["applies_to_tumour_type"],
                              _LEVEL_ORDER.get(str(i["level"]), 9),
                              str(i["evidence_type"]), int(str(i["civic_evidence_id"]))))  # fmt: skip


def analyse_tumour(
    path: str | os.PathLike[str],
    tumour_type: str,
    *,
    sample: str | None = None,
    build: str | None = None,
    knowledge: Knowledge | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> TumourAnalysis:
    """Tiered tumour findings of ``path`` for the stated tumour type (DOID or disease name).

    ``sample`` names the tumour column when the header does not tell the roles apart.
    """
    from pmviewer.core.knowledge import open_knowledge

    kb = knowledge if knowledge is not None else open_knowledge()
    tables = load_tables(kb.connection)
    dos = DiseaseOntology(kb.connection)
    stated = dos.resolve(tumour_type)
    name = os.path.basename(os.fspath(path))
    info = vcf.inspect(path)
    tumour = recognise(vcf.read_header(path))
    if not tumour.is_tumour:
        tumour = TumourFile(False, None, None, None, None, [], ["not recognised as a tumour file"])
    tumour = _with_sample(tumour, sample, info.samples, name)
    calls = read_calls(path, tumour, progress=progress, cancel=cancel)
    check(cancel)
    warnings = []
    if info.build is None and build is None:
        build, evidence = infer_build(calls.calls, tables)
        if build:
            warnings.append(f"Genome build {build} inferred: {evidence}. State the build if the "
                            "lab's report says otherwise.")  # fmt: skip
    the_build = _resolve_build(info.build, build, name)
    matches = [match_call(c, the_build, tables) for c in calls.calls if c.status == "somatic"]
    present = {h.variant_id for m in matches for h in m.hits}
    findings, fate = _findings(matches, tables, dos, stated, the_build, present)
    fate.update({f"calls_{k}": v for k, v in calls.fate.items()})
    if not tumour.is_tumour:
        warnings.append(
            f"{name} was not recognised as a tumour file (no somatic caller or tumour sample "
            "named in its header); it was analysed as one because the tumour report was asked for."
        )
    if tumour.normal_sample is None:
        warnings.append(
            "No matched normal sample: germline variants cannot be told apart from somatic ones. "
            "A finding at an allele fraction near 50% or 100% may be inherited; refer the "
            "patient for germline testing where that matters."
        )
    return TumourAnalysis(
        path=str(path), input_sha256=vcf.sha256_file(path), build=the_build, tumour=tumour,
        tumour_type=stated, findings=findings,
        not_assessed=_not_assessed(tables, dos, stated), fate=dict(fate),
        knowledge=kb.metadata(), reach=predictive_reach(tables), warnings=warnings,
        germline_alleles=germline_alleles(kb.connection, calls.calls, the_build),
    )  # fmt: skip


def _with_sample(
    tumour: TumourFile, sample: str | None, samples: list[str], name: str
) -> TumourFile:
    if sample is None:
        if tumour.tumour_sample is None and len(samples) == 1:
            tumour.tumour_sample = samples[0]
        if tumour.tumour_sample is None:
            raise InputFileError(
                f"Which column of {name} is the tumour cannot be told from its header (samples: "
                f"{', '.join(samples)}). Name the tumour sample (--sample)."
            )
        return tumour
    if sample not in samples:
        raise InputFileError(
            f"{name} has no sample called '{sample}'. Samples in the file: {', '.join(samples)}."
        )
    if tumour.normal_sample == sample:
        raise InputFileError(
            f"{sample} is the normal sample of {name}; the tumour report reads the tumour "
            f"({tumour.tumour_sample}). Leave out --sample or name the tumour sample."
        )
    tumour.tumour_sample = sample
    if tumour.normal_sample is None and len(samples) == 2:
        tumour.normal_sample = next(s for s in samples if s != sample)
    return tumour


def _findings(
    matches: list[CallMatch],
    tables: OncologyTables,
    dos: DiseaseOntology,
    stated: TumourType,
    build: str,
    present: set[int],
) -> tuple[list[TumourFinding], Counter[str]]:
    fate: Counter[str] = Counter()
    findings: list[TumourFinding] = []
    for m in matches:
        items: list[dict[str, object]] = []
        kinds: list[str] = []
        seen_profiles: set[int] = set()
        for hit in m.hits:
            for pid in tables.profiles_of_variant.get(hit.variant_id, []):
                profile = tables.profiles[pid]
                if pid in seen_profiles or not satisfied(profile.expression, present):
                    continue
                seen_profiles.add(pid)
                for item in tables.evidence.get(pid, []):
                    items.append(_evidence_json(item, dos, stated, f"{hit.basis}: {hit.detail}"))
                if hit.basis not in kinds:
                    kinds.append(hit.basis)
        _cap_gene_level(items, kinds)
        _sort_evidence(items)
        tier = best_tier([i["sets_tier"] for i in items])  # type: ignore[misc]
        call = m.call
        if tier is None:
            in_cancer_gene = m.gene in tables.cancer_genes and m.exon is not None
            if not (in_cancer_gene and call.passed and m.consequence_class != "other"):
                fate["not_listed"] += 1
                continue
            tier = TIER_III
        flags = []
        if not call.passed:
            flags.append(f"the caller filtered this call ({call.filter}): confirm before reporting")
        if call.depth is not None and call.depth < 20:
            flags.append(f"low depth ({call.depth} reads)")
        if call.normal_vaf is not None and call.normal_vaf >= 0.2:
            flags.append(
                f"also seen in the normal (allele fraction {call.normal_vaf:.0%}): may be inherited"
            )
        fate[tier] += 1
        findings.append(TumourFinding(
            finding_id=f"T:{build}:{call.chrom}:{call.pos}:{call.ref}:{call.alt}", gene=m.gene,
            chrom=call.chrom, pos=call.pos, ref=call.ref, alt=call.alt, vaf=call.vaf,
            depth=call.depth, alt_reads=call.alt_reads, vaf_source=call.fraction_source,
            normal_vaf=call.normal_vaf,
            hgvs_p=call.hgvs_p or (f"p.{m.protein}" if m.protein else None),
            hgvs_c=call.hgvs_c, transcript=call.transcript or m.transcript, exon=m.exon,
            filter=call.filter, status=call.status, tier=tier,
            tier_reason=tier_reason(tier, items, stated.name), match_kinds=kinds,
            evidence=items, flags=flags,
        ))  # fmt: skip
    order = {"Tier I": 0, "Tier II": 1, "Tier III": 2}
    findings.sort(key=lambda f: (order[f.tier], f.gene or "", f.chrom, f.pos))
    return findings, fate


def _cap_gene_level(items: list[dict[str, object]], kinds: list[str]) -> None:
    """Gene-level "Mutation" evidence is about some mutations of the gene, not this one.

    It never makes a Tier I: it sets at most Tier II, and no tier at all when the variant has
    evidence of its own (coordinates, protein change or codon), as EGFR T790M, a resistance
    mutation, must not inherit "EGFR Mutation" sensitivity to gefitinib. Loss-of-function
    evidence matched by a truncating change keeps its tier.
    """
    specific = any(k in kinds for k in (EXACT, PROTEIN, CODON))
    for item in items:
        if not str(item["match_basis"]).endswith("(any mutation)") or not item["sets_tier"]:
            continue
        item["sets_tier"] = None if specific else TIER_II
        item["tier_note"] = ("gene-level evidence: sets no tier beside this variant's own evidence"
                             if specific else "gene-level evidence: at most Tier II")  # fmt: skip


def _not_assessed(
    tables: OncologyTables, dos: DiseaseOntology, stated: TumourType
) -> list[dict[str, object]]:
    """Level A/B biomarkers for this tumour type that a small-variant VCF cannot show."""
    out: dict[tuple[str, str], dict[str, object]] = {}
    for pid, items in tables.evidence.items():
        profile = tables.profiles.get(pid)
        if profile is None:
            continue
        kinds = [tables.variants[v] for v in profile.variant_ids if v in tables.variants]
        blocked = [v for v in kinds if v.kind == "not_assessed"]
        if not blocked:
            continue
        strong = [i for i in items if str(i["evidence_level"]) in ("A", "B")
                  and dos.applies(str(i["doid"]) if i.get("doid") else None, stated.doid)
                  and i.get("evidence_direction") == "Supports"]  # fmt: skip
        if not strong:
            continue
        key = (profile.name, str(blocked[0].detail))
        entry = out.setdefault(key, {"molecular_profile": profile.name,
                                     "reason": f"{blocked[0].detail}: not visible in a small-variant VCF",
                                     "evidence_items": 0, "levels": set()})  # fmt: skip
        entry["evidence_items"] = int(str(entry["evidence_items"])) + len(strong)
        entry["levels"].update(str(i["evidence_level"]) for i in strong)  # type: ignore[attr-defined]
    result = []
    for entry in sorted(out.values(), key=lambda e: str(e["molecular_profile"])):
        entry["levels"] = sorted(entry["levels"])  # type: ignore[call-overload]
        result.append(entry)
    return result
