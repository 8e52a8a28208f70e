"""AMP/ASCO/CAP 2017 tiers from CIViC evidence, as PCGR applies them.

Source: Li MM et al., "Standards and Guidelines for the Interpretation and Reporting of
Sequence Variants in Cancer", J Mol Diagn 2017;19:4-23 (PMID 27993330), in the form PCGR's
``pcgr_acmg`` tier model applies it to CIViC (sigven/pcgr, docs/tier_systems.rst):

* Tier I, strong clinical significance: predictive, prognostic or diagnostic evidence of
  level A or B stated for the patient's tumour type (or a parent term in the Disease Ontology);
* Tier II, potential clinical significance: level A or B in another tumour type, or level
  C, D or E in the patient's tumour type;
* Tier III, uncertain significance: other exonic variants in genes CIViC curates somatic
  evidence for (no applicable evidence);
* Tier IV (other variants) is not listed.

Only evidence whose direction is "Supports" sets a tier; "Does Not Support" items are shown
beside it. Level C/D/E evidence from another tumour type is shown but sets no tier (PCGR
counts weak evidence in the same tumour type only). Gene-level "Mutation" evidence sets at
most Tier II, and none beside a variant's own evidence (``analyse._cap_gene_level``).
"""

from __future__ import annotations

TIER_I, TIER_II, TIER_III = "Tier I", "Tier II", "Tier III"
TIERING_TYPES = ("Predictive", "Prognostic", "Diagnostic")
STRONG = ("A", "B")
CITATION = (
    "AMP/ASCO/CAP 2017 (Li et al., J Mol Diagn 2017;19:4-23, PMID 27993330) as applied to "
    "CIViC by PCGR's pcgr_acmg tier model"
)


def evidence_tier(item: dict[str, object], applies: bool) -> str | None:
    """The tier one evidence item supports, or None."""
    if item.get("evidence_type") not in TIERING_TYPES:
        return None
    if str(item.get("evidence_direction") or "") != "Supports":
        return None
    level = str(item.get("evidence_level") or "")
    if applies:
        return TIER_I if level in STRONG else TIER_II
    return TIER_II if level in STRONG else None


def best_tier(tiers: list[str | None]) -> str | None:
    for tier in (TIER_I, TIER_II):
        if tier in tiers:
            return tier
    return None


def tier_reason(tier: str, items: list[dict[str, object]], tumour_name: str) -> str:
    """Why, in words: the evidence behind the tier, by where it was stated."""
    if tier == TIER_III:
        return "exonic variant in a gene with CIViC somatic evidence; no evidence for this variant"
    parts = []
    for here, words in ((True, f"in {tumour_name}"), (False, "in other tumour types")):
        levels = sorted({str(i["level"]) for i in items
                         if i.get("sets_tier") == tier and bool(i.get("applies_to_tumour_type")) == here})  # fmt: skip
        if levels:
            parts.append(f"level {'/'.join(levels)} {words}")
    return "CIViC " + "; ".join(parts)
