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
from pmviewer.core.oncology.evidence_items import finding_evidence
from pmviewer.core.oncology.germline_alleles import germline_alleles
from pmviewer.core.oncology.match import CallMatch, match_call
from pmviewer.core.oncology.reach import predictive_reach
from pmviewer.core.oncology.structural import (
    AMPLIFICATION_MIN_COPIES,
    StructuralMatch,
    match_structural,
)
from pmviewer.core.oncology.tables import OncologyTables, load_tables
from pmviewer.core.oncology.tiers import CITATION, TIER_III, best_tier, tier_reason
from pmviewer.core.progress import CancelToken, ProgressCallback, check
from pmviewer.core.tumour import StructuralCall, TumourFile, assessed_classes, read_calls, recognise

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge

_NO_COPY_NUMBER = (
    "Copy number changes (amplifications, deletions) are not assessed: the VCF holds no "
    "copy-number records."
)
_NO_FUSIONS = (
    "Gene fusions and rearrangements (for example ALK, ROS1, RET, NTRK) are not assessed: the "
    "VCF holds no breakend or inversion records."
)
LIMITATIONS = (
    _NO_COPY_NUMBER,
    _NO_FUSIONS,
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
    event: str = "small variant"  # or 'amplification', 'copy loss', 'fusion'
    description: str | None = None  # a copy-number or fusion event in words

    @property
    def change_words(self) -> str:
        """The change in words: HGVS p./c. for a small variant, the event for CNV/SV."""
        if self.event != "small variant":
            return self.description or self.event
        return " ".join(x for x in (self.hgvs_p, self.hgvs_c) if x) or "no protein change known"

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
            "flags": self.flags, "event": self.event, "description": self.description,
            "evidence": self.evidence,
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
    events = match_structural(calls.structural, the_build, tables)
    present = {h.variant_id for m in matches for h in m.hits}
    present |= {h.variant_id for e in events for h in e.hits}
    findings, fate = _findings(matches, tables, dos, stated, the_build, present)
    findings = _ordered(findings + _event_findings(events, tables, dos, stated, the_build, present))
    assessed = assessed_classes(calls.structural)
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
        not_assessed=_not_assessed(tables, dos, stated, assessed), fate=dict(fate),
        limitations=_limitations(calls.structural, assessed),
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
        items, kinds = finding_evidence(m.hits, tables, present, dos, stated)
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
    return findings, fate


def _ordered(findings: list[TumourFinding]) -> list[TumourFinding]:
    order = {"Tier I": 0, "Tier II": 1, "Tier III": 2}
    return sorted(findings, key=lambda f: (order[f.tier], f.gene or "", f.chrom, f.pos))


def _event_findings(
    events: list[StructuralMatch],
    tables: OncologyTables,
    dos: DiseaseOntology,
    stated: TumourType,
    build: str,
    present: set[int],
) -> list[TumourFinding]:
    """Amplifications, copy losses and fusions with CIViC evidence (no Tier III for events)."""
    out = []
    for m in events:
        items, kinds = finding_evidence(m.hits, tables, present, dos, stated)
        tier = best_tier([i["sets_tier"] for i in items])  # type: ignore[misc]
        if tier is None:
            continue
        call = m.call
        flags = [] if call.passed else [
            f"the caller filtered this call ({call.filter}): confirm before reporting"]  # fmt: skip
        if m.event == "fusion":
            flags.append("fusion read from DNA breakends: confirm the transcript (RNA or FISH)")
        out.append(TumourFinding(
            finding_id=f"T:{build}:{call.chrom}:{call.pos}:{call.ref}:{call.alt}", gene=m.gene,
            chrom=call.chrom, pos=call.pos, ref=call.ref, alt=call.alt, vaf=None, depth=None,
            alt_reads=None, vaf_source=call.copy_number_source or "", normal_vaf=None,
            hgvs_p=None, hgvs_c=None, transcript=None, exon=None, filter=call.filter,
            status=call.status, tier=tier, tier_reason=tier_reason(tier, items, stated.name),
            match_kinds=kinds, evidence=items, flags=flags, event=m.event,
            description=m.description,
        ))  # fmt: skip
    return out


def _limitations(structural: list[StructuralCall], assessed: set[str]) -> tuple[str, ...]:
    read = len(structural)
    out = list(LIMITATIONS)
    if "copy number" in assessed:
        out[0] = (
            f"Copy number was read from the file's {read} copy-number/structural records: an "
            f"amplification here is at least {AMPLIFICATION_MIN_COPIES:g} copies over every "
            "exon of the gene (a pmviewer setting; the lab's own call takes precedence), a loss "
            "any deletion or fewer than two copies over an exon. Regions the caller did not "
            "assess are not known."
        )
    if "fusion" in assessed:
        out[1] = (
            "Fusions were read from the file's breakend and inversion records: the two genes "
            "joined, not the transcript; a fusion seen only in RNA cannot be shown by a VCF."
        )
    return tuple(out)


_MISSING = {"copy_number": ("copy number", "the file has no copy-number records"),
            "fusion": ("fusion", "the file has no breakend or inversion records")}  # fmt: skip


def _not_assessed(
    tables: OncologyTables, dos: DiseaseOntology, stated: TumourType, assessed: set[str]
) -> list[dict[str, object]]:
    """Level A/B biomarkers for this tumour type that this VCF cannot show, with the reason."""
    out: dict[tuple[str, str], dict[str, object]] = {}
    for pid, items in tables.evidence.items():
        profile = tables.profiles.get(pid)
        if profile is None:
            continue
        kinds = [tables.variants[v] for v in profile.variant_ids if v in tables.variants]
        blocked = [v for v in kinds if v.kind == "not_assessed"
                   or v.kind in _MISSING and _MISSING[v.kind][0] not in assessed]  # fmt: skip
        if not blocked:
            continue
        strong = [i for i in items if str(i["evidence_level"]) in ("A", "B")
                  and dos.applies(str(i["doid"]) if i.get("doid") else None, stated.doid)
                  and i.get("evidence_direction") == "Supports"]  # fmt: skip
        if not strong:
            continue
        first = blocked[0]
        reason = (f"{_MISSING[first.kind][0]}: {_MISSING[first.kind][1]}" if first.kind in _MISSING
                  else f"{first.detail}: not visible in a VCF")  # fmt: skip
        entry = out.setdefault((profile.name, reason), {"molecular_profile": profile.name,
                                                        "reason": reason, "evidence_items": 0,
                                                        "levels": set()})  # fmt: skip
        entry["evidence_items"] = int(str(entry["evidence_items"])) + len(strong)
        entry["levels"].update(str(i["evidence_level"]) for i in strong)  # type: ignore[attr-defined]
    result = []
    for entry in sorted(out.values(), key=lambda e: str(e["molecular_profile"])):
        entry["levels"] = sorted(entry["levels"])  # type: ignore[call-overload]
        result.append(entry)
    return result
