"""The CIViC evidence of a tumour finding: the items of every profile its hits satisfy.

Items have the one shape of every CIViC join (the JSON contract's ``evidence`` entries),
sorted with the items for the stated tumour type first, then by level.
"""

from __future__ import annotations

from pmviewer.core.knowledge import civic_item
from pmviewer.core.oncology.diseases import DiseaseOntology, TumourType
from pmviewer.core.oncology.match import CODON, EXACT, PROTEIN, VariantHit, satisfied
from pmviewer.core.oncology.tables import OncologyTables
from pmviewer.core.oncology.tiers import TIER_II, evidence_tier

_LEVEL_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}


def evidence_json(
    item: dict[str, object], dos: DiseaseOntology, tumour: TumourType, basis: str
) -> dict[str, object]:
    """The shared CIViC item (:func:`~pmviewer.core.knowledge.civic_item`) with what the tumour
    mode adds: whether it was stated for the tumour type, and the tier it supports."""
    applies = dos.applies(str(item["doid"]) if item.get("doid") else None, tumour.doid)
    shaped = civic_item(item, basis)
    shaped["applies_to_tumour_type"] = applies
    shaped["sets_tier"] = evidence_tier(item, applies)
    return shaped


def finding_evidence(
    hits: list[VariantHit],
    tables: OncologyTables,
    present: set[int],
    dos: DiseaseOntology,
    stated: TumourType,
) -> tuple[list[dict[str, object]], list[str]]:
    """The evidence items and the matching kinds that reached them (in matching order)."""
    items: list[dict[str, object]] = []
    kinds: list[str] = []
    seen_profiles: set[int] = set()
    for hit in hits:
        for pid in tables.profiles_of_variant.get(hit.variant_id, []):
            profile = tables.profiles[pid]
            if pid in seen_profiles or not satisfied(profile.expression, present):
                continue
            seen_profiles.add(pid)
            for item in tables.evidence.get(pid, []):
                items.append(evidence_json(item, dos, stated, f"{hit.basis}: {hit.detail}"))
            if hit.basis not in kinds:
                kinds.append(hit.basis)
    _cap_gene_level(items, kinds)
    items.sort(key=lambda i: (not i["applies_to_tumour_type"],
                              _LEVEL_ORDER.get(str(i["level"]), 9),
                              str(i["evidence_type"]), int(str(i["civic_evidence_id"]))))  # fmt: skip
    return items, kinds


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
