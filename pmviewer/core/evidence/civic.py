"""CIViC evidence items joined to findings on the normalised variant key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pmviewer.core.genome import canonical_chrom
from pmviewer.core.model import Findings

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge

VariantKey = tuple[str, int, str, str]


def civic_items(
    knowledge: Knowledge | None, findings: Findings | None
) -> dict[str, list[dict[str, Any]]]:
    """CIViC evidence items per ``finding_id``, in the knowledge file's order.

    Empty when there are no findings or the knowledge file carries no CIViC evidence. The
    join is on (chrom, pos, ref, alt) of the findings' build, with ``chr`` prefixes ignored.
    """
    lookup = getattr(knowledge, "civic_for", None)
    if lookup is None or findings is None or len(findings.frame) == 0:
        return {}
    frame = findings.frame
    keys: dict[VariantKey, str] = {
        (canonical_chrom(str(c)), int(p), str(r), str(a)): str(fid)
        for c, p, r, a, fid in zip(
            frame["chrom"].tolist(),
            frame["pos"].tolist(),
            frame["ref"].astype(str).tolist(),
            frame["alt"].astype(str).tolist(),
            frame["finding_id"].astype(str).tolist(),
            strict=True,
        )
    }
    evidence = lookup(findings.build, keys=list(keys))
    items: dict[str, list[dict[str, Any]]] = {}
    if len(evidence) == 0:
        return items
    records = evidence.astype(object).where(evidence.notna(), None).to_dict("records")
    for item in records:
        key = (
            canonical_chrom(str(item["chrom"])),
            int(item["pos"]),
            str(item["ref"]),
            str(item["alt"]),
        )
        if key in keys:
            items.setdefault(keys[key], []).append({str(k): v for k, v in item.items()})
    return items
