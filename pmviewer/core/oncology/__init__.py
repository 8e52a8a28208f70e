"""Precision oncology: CIViC molecular profiles matched to a tumour's calls, AMP/ASCO/CAP tiers.

The public face: :func:`analyse_tumour` (a tumour VCF and a tumour type to tiered findings),
:class:`DiseaseOntology` (tumour types and their hierarchy), :func:`tumour_types` (the
chooser's list) and the result types.
"""

from __future__ import annotations

from pmviewer.core.oncology.analyse import (
    LIMITATIONS,
    TumourAnalysis,
    TumourFinding,
    analyse_tumour,
)
from pmviewer.core.oncology.diseases import DiseaseOntology, TumourType, TumourTypeError
from pmviewer.core.oncology.match import KINDS
from pmviewer.core.oncology.tiers import CITATION, TIER_I, TIER_II, TIER_III

__all__ = [
    "CITATION",
    "KINDS",
    "LIMITATIONS",
    "TIER_I",
    "TIER_II",
    "TIER_III",
    "DiseaseOntology",
    "TumourAnalysis",
    "TumourFinding",
    "TumourType",
    "TumourTypeError",
    "analyse_tumour",
    "tumour_types",
]


def tumour_types(knowledge: object) -> list[TumourType]:
    """Tumour types for the chooser: the CIViC diseases first, then every DOID cancer term."""
    conn = knowledge.connection  # type: ignore[attr-defined]
    dos = DiseaseOntology(conn)
    civic = {
        r[0] for r in conn.execute("SELECT DISTINCT doid FROM onc_evidence WHERE doid IS NOT NULL")
    }
    cancers = {d for d in dos.names if d not in dos.obsolete and "DOID:162" in dos.ancestors(d)}
    chosen = [TumourType(d, dos.names[d]) for d in civic if d in dos.names]
    chosen.sort(key=lambda t: t.name)
    rest = sorted((TumourType(d, dos.names[d]) for d in cancers - civic), key=lambda t: t.name)
    return chosen + rest
