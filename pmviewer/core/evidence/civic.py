"""CIViC evidence items joined to findings on the normalised variant key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from pmviewer.core.knowledge import by_variant_key, civic_item, civic_rows, variant_key
from pmviewer.core.model import Findings

if TYPE_CHECKING:
    from pmviewer.core.knowledge import Knowledge


def civic_items(
    knowledge: Knowledge | None,
    findings: Findings | None,
    evidence: pd.DataFrame | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """CIViC evidence items (:func:`~pmviewer.core.knowledge.civic_item`) per ``finding_id``,
    in the knowledge file's order.

    Empty when there are no findings or the knowledge file carries no CIViC evidence. The
    join is :func:`~pmviewer.core.knowledge.variant_key` of the findings' build.
    ``evidence``: every CIViC row of that build (``knowledge.civic_for(build)``) when the
    caller read it already; only findings at its positions are then keyed.
    """
    lookup = getattr(knowledge, "civic_for", None)
    if lookup is None or findings is None or len(findings.frame) == 0:
        return {}
    frame = findings.frame
    if evidence is not None:
        placed = set(pd.to_numeric(evidence["pos"]).dropna().astype("int64").tolist())
        frame = frame[frame["pos"].isin(placed).to_numpy(dtype=bool)]
    keys = {
        variant_key(c, p, r, a): str(fid)
        for c, p, r, a, fid in zip(
            frame["chrom"].tolist(), frame["pos"].tolist(), frame["ref"].astype(str).tolist(),
            frame["alt"].astype(str).tolist(), frame["finding_id"].astype(str).tolist(),
            strict=True,
        )
    }  # fmt: skip
    evidence = (
        lookup(findings.build, keys=list(keys)) if evidence is None else civic_rows(evidence, keys)
    )
    if len(evidence) == 0:
        return {}
    keyed, _unplaced = by_variant_key(evidence.astype(object).to_dict("records"))
    items: dict[str, list[dict[str, Any]]] = {}
    for key, rows in keyed.items():
        if key in keys:
            items.setdefault(keys[key], []).extend(civic_item(r, "this variant") for r in rows)
    return items
