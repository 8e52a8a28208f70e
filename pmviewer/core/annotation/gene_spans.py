"""A gene for every variant the file left unannotated, from the knowledge's gene spans.

A plain VCF has no gene column, so a search for "BRCA1" found none of its records although
the detail panel names the gene. Rows whose own annotation gives no gene take the analysed
gene whose span (MANE/GENCODE, as bundled in the knowledge's ``genes`` table) holds them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

Span = tuple[str, int, int, str]  # (chrom, start, end, gene), 1-based inclusive


def _norm(chrom: object) -> str:
    text = str(chrom)
    return text[3:] if text.lower().startswith("chr") else text


def spans_for_build(genes: Iterable[dict], build: str) -> list[Span]:
    """Gene spans of one build from knowledge gene rows (``grch38_chrom``, ``..._start`` ...)."""
    prefix = "grch37" if build == "GRCh37" else "grch38"
    out = []
    for row in genes:
        chrom, start, end = (
            row.get(f"{prefix}_chrom"),
            row.get(f"{prefix}_start"),
            row.get(f"{prefix}_end"),
        )
        if not isinstance(chrom, str) or not chrom or not row.get("gene"):
            continue
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            continue  # the gene has no span in this build
        out.append((_norm(chrom), int(start), int(end), str(row["gene"])))
    return sorted(out)


def fill_genes(frame: pd.DataFrame, spans: list[Span]) -> pd.DataFrame:
    """``frame`` with its ``gene`` column filled from ``spans`` where the file gave none
    (a categorical column: one small code per row). Rows with a gene keep it."""
    if not spans or not len(frame) or "pos" not in frame.columns or "chrom" not in frame.columns:
        return frame
    if "gene" in frame.columns:
        current = frame["gene"]
        if isinstance(current.dtype, pd.CategoricalDtype):
            known = [str(c) for c in current.cat.categories]
            codes = current.cat.codes.to_numpy().astype(np.int32)
        else:
            cat = pd.Categorical(current.astype(object).where(current.notna(), None))
            known = [str(c) for c in cat.categories]
            codes = cat.codes.astype(np.int32)
    else:
        known, codes = [], np.full(len(frame), -1, dtype=np.int32)
    missing = codes < 0
    if not missing.any():
        return frame
    categories = known + sorted({s[3] for s in spans} - set(known))
    code_of = {g: i for i, g in enumerate(categories)}
    chroms = frame["chrom"]
    chrom_codes, chrom_values = pd.factorize(chroms.astype(str))
    chrom_of = {_norm(v): i for i, v in enumerate(chrom_values)}
    pos = frame["pos"].to_numpy()
    for chrom, start, end, gene in spans:
        code = chrom_of.get(chrom)
        if code is None:
            continue
        hit = missing & (chrom_codes == code) & (pos >= start) & (pos <= end)
        codes[hit] = code_of[gene]
        missing &= ~hit
    out = frame.copy(deep=False)
    out["gene"] = pd.Categorical.from_codes(codes, categories=categories)
    return out
