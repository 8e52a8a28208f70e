"""ClinVar classification classes and the truncating-consequence vocabulary.

Shared by the knowledge build (its ``truncating`` flag) and the rule engine, so both read one
definition.
"""

from __future__ import annotations

import re

# How a ClinVar classification text counts for the rules.
PLP, CONFLICTING, VUS, BENIGN, NONE = "plp", "conflicting", "vus", "benign", "none"

# Sequence Ontology terms (VEP/snpEff) and ClinVar's "nonsense" for a truncating change at a
# canonical site; the same set as the knowledge build's ``truncating`` flag
# (knowledge.build.clinvar_read.TRUNCATING). Matched term by term: "splice_donor_region_variant"
# and "splice_donor_5th_base_variant" are not canonical splice-site changes.
TRUNCATING_TERMS = (
    "stop_gained",
    "nonsense",
    "frameshift_variant",
    "splice_donor_variant",
    "splice_acceptor_variant",
)
_TERM_SPLIT = re.compile(r"[&,|;\s]+")


def clinvar_class(text: str | None) -> str:
    """Reduce a ClinVar classification string to one of the rule classes."""
    if not text or not isinstance(text, str):
        return NONE
    lowered = text.lower()
    if "conflicting" in lowered:
        return CONFLICTING
    if "uncertain" in lowered:
        return VUS
    if "pathogenic" in lowered:
        return PLP
    if "benign" in lowered:
        return BENIGN
    return NONE


def is_truncating(*consequences: str | None) -> bool:
    """Whether any of the consequence texts names a truncating (loss-of-function) effect.

    A text may join several terms with ``&`` (VEP), ``,`` (ClinVar) or ``|``.
    """
    return any(
        term in TRUNCATING_TERMS
        for c in consequences
        if isinstance(c, str)
        for term in _TERM_SPLIT.split(c.strip().lower())
    )
