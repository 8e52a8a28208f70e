"""Frames and rows the views show: categories of every variant, pharmacogene rows, lookups."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from pmviewer.core.model import CATEGORIES


def gene_rows(knowledge: Any) -> dict[str, dict[str, Any]]:
    """The knowledge file's row of every analysed gene, by symbol (empty when it has none)."""
    try:
        genes = knowledge.genes()
    except (AttributeError, NotImplementedError):
        return {}
    if not isinstance(genes, pd.DataFrame) or "gene" not in genes.columns:
        return {}
    rows = genes.astype(object).where(genes.notna(), None).to_dict("records")
    return {str(r["gene"]): r for r in rows}


def rows_at_positions(pos: np.ndarray, wanted: np.ndarray, step: int = 1 << 19) -> np.ndarray:
    """Rows whose ``pos`` is one of ``wanted``, in row order.

    A binary search per block of rows with a GIL release between blocks: ``np.isin`` on a
    4.6-million-row genome held the GIL for ~0.1 s in one call (the window stalled)."""
    targets = np.unique(np.asarray(wanted, dtype=np.int64))
    if len(targets) == 0 or len(pos) == 0:
        return np.zeros(0, dtype=np.int64)
    found = []
    for start in range(0, len(pos), step):
        block = np.asarray(pos[start : start + step], dtype=np.int64)
        at = np.minimum(np.searchsorted(targets, block), len(targets) - 1)
        found.append(np.flatnonzero(targets[at] == block) + start)
        time.sleep(0)  # let the main thread take the GIL between blocks
    return np.concatenate(found)


def with_finding_categories(frame: pd.DataFrame, findings: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` plus a ``category`` column naming the finding category of rows that are
    findings (matched on chrom, pos, ref, alt); other rows are missing. The variant columns
    are shared, not copied (pandas copy-on-write)."""
    category = np.full(len(frame), -1, dtype=np.int8)
    if findings is not None and len(findings) and len(frame):
        # lists, not the Arrow-backed columns' element iterators (several times slower)
        wanted = {
            (str(c), int(p), str(r), str(a)): CATEGORIES.index(str(k))
            for c, p, r, a, k in zip(
                findings["chrom"].astype(str).tolist(),
                findings["pos"].tolist(),
                findings["ref"].astype(str).tolist(),
                findings["alt"].astype(str).tolist(),
                findings["category"].astype(str).tolist(),
                strict=True,
            )
            if str(k) in CATEGORIES
        }
        candidates = rows_at_positions(frame["pos"].to_numpy(), findings["pos"].to_numpy())
        sub = frame[["chrom", "pos", "ref", "alt"]].iloc[candidates]
        keys = zip(
            sub["chrom"].astype(str).tolist(),
            sub["pos"].tolist(),
            sub["ref"].astype(str).tolist(),
            sub["alt"].astype(str).tolist(),
            strict=True,
        )
        for row, key in zip(candidates, keys, strict=True):
            category[row] = wanted.get(key, -1)
    return frame.assign(category=pd.Categorical.from_codes(category, categories=list(CATEGORIES)))


def finding_row(frame: pd.DataFrame, row: dict[str, Any]) -> dict[str, Any] | None:
    """The row of findings ``frame`` for the same variant (chrom, pos, ref, alt), if any."""
    pos = row.get("pos")
    if pos is None or len(frame) == 0:
        return None
    # position first, then text on the few rows there, one cell at a time: runs on the main
    # thread per click (a one-row astype/where/to_dict took 0.16-0.43 s on a busy machine)
    wanted = [str(row.get(key)) for key in ("chrom", "ref", "alt")]
    for i in np.flatnonzero(frame["pos"].to_numpy(dtype="int64") == int(pos)):
        if [str(frame[key].iat[i]) for key in ("chrom", "ref", "alt")] == wanted:
            return {column: _plain(frame[column].iat[i]) for column in frame.columns}
    return None


def _plain(value: Any) -> Any:
    """A cell as a Python value, None for missing (as ``astype(object).where(notna)``)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def gene_finding_rows(frame: pd.DataFrame, gene: str) -> list[dict[str, Any]]:
    """The findings of ``gene`` (knowledge gene symbol) as dicts."""
    rows = frame[frame["kb_gene"].astype(str).eq(gene)]
    return rows.astype(object).where(rows.notna(), None).to_dict("records")


def pgx_frame(results: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per pharmacogene result, for the Pharmacogenomics view."""
    rows = []
    for r in results:
        used, total = r.get("positions_used"), r.get("positions_total")
        rows.append(
            {
                "category": "pgx",
                "gene": r.get("gene"),
                "diplotype": r.get("diplotype"),
                "phenotype": r.get("phenotype"),
                "activity_score": r.get("activity_score"),
                "call_status": r.get("call_status") or ("called" if r.get("callable") else None),
                "positions": f"{used}/{total}" if total else None,
                "n_recommendations": len(r.get("recommendations") or []),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "category",
            "gene",
            "diplotype",
            "phenotype",
            "activity_score",
            "call_status",
            "positions",
            "n_recommendations",
        ],
    )
    return frame.astype(
        {
            "gene": "string",
            "diplotype": "string",
            "phenotype": "string",
            "activity_score": "Float64",
            "call_status": "string",
            "positions": "string",
            "n_recommendations": "int64",
        }
    )
