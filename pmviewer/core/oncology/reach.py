"""What share of CIViC's predictive evidence each matching kind can reach from a VCF.

Each predictive item is counted once, under the first kind (in matching order) that can
satisfy its molecular profile: exact coordinates when every variant of the profile has them,
else protein change, codon, exon, gene level, copy number, fusion (the last two only from a
file with CNV/SV records); "not assessed" when the profile needs expression, methylation or
another class a VCF cannot show.
"""

from __future__ import annotations

from collections import Counter

from pmviewer.core.oncology.match import CODON, COPY_NUMBER, EXACT, EXON, FUSION, GENE, PROTEIN
from pmviewer.core.oncology.tables import OncologyTables

NOT_ASSESSED = "not assessed"
_ORDER = (EXACT, PROTEIN, CODON, EXON, GENE, COPY_NUMBER, FUSION)
_BY_KIND = {"protein": PROTEIN, "codon": CODON, "exon": EXON, "gene": GENE,
            "copy_number": COPY_NUMBER, "fusion": FUSION}  # fmt: skip


def _variant_kind(kind: str, has_coordinates: bool) -> str:
    if has_coordinates:
        return EXACT
    return _BY_KIND.get(kind, NOT_ASSESSED)


def predictive_reach(tables: OncologyTables) -> dict[str, object]:
    """``{"predictive_items": N, "by_kind": {kind: {"items": n, "share": f}}}``."""
    counts: Counter[str] = Counter()
    total = 0
    for pid, items in tables.evidence.items():
        predictive = [i for i in items if i["evidence_type"] == "Predictive"]
        if not predictive:
            continue
        total += len(predictive)
        profile = tables.profiles.get(pid)
        kinds = []
        for vid in profile.variant_ids if profile else ():
            v = tables.variants.get(vid)
            if v is not None:
                kinds.append(_variant_kind(v.kind, bool(v.coords)))
        if not profile or not profile.expression or not kinds:
            kind = NOT_ASSESSED
        elif " OR " not in profile.expression and NOT_ASSESSED in kinds:
            kind = NOT_ASSESSED
        else:
            usable = [k for k in kinds if k != NOT_ASSESSED]
            if not usable:
                kind = NOT_ASSESSED
            elif " OR " in profile.expression:
                kind = min(usable, key=_ORDER.index)  # the easiest alternative
            else:
                kind = max(usable, key=_ORDER.index)  # an AND needs its hardest part
        counts[kind] += len(predictive)
    return {
        "predictive_items": total,
        "by_kind": {k: {"items": counts[k], "share": round(counts[k] / total, 4) if total else 0.0}
                    for k in (*_ORDER, NOT_ASSESSED)},
    }  # fmt: skip
