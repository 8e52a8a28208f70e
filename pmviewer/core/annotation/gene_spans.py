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
    (a categorical column, categories in alphabetical order: one small code per row). Rows
    with a gene keep it; a row in two spans takes the first (spans sorted)."""
    if not spans or not len(frame) or "pos" not in frame.columns or "chrom" not in frame.columns:
        return frame
    known, codes = _codes(frame["gene"]) if "gene" in frame.columns else ([], None)
    if codes is None:
        codes = np.full(len(frame), -1, dtype=np.int32)
    missing = codes < 0
    if not missing.any():
        return frame
    categories = sorted(set(known) | {s[3] for s in spans})
    code_of = {g: i for i, g in enumerate(categories)}
    if known:  # the file's genes take their place among the sorted categories
        remap = np.array([code_of[g] for g in known], dtype=np.int32)
        codes = np.where(missing, -1, remap[np.maximum(codes, 0)]).astype(np.int32)
    chrom_values, chrom_codes = _codes(frame["chrom"])
    pos = frame["pos"].to_numpy()
    for code, name in enumerate(chrom_values):
        here = [s for s in spans if s[0] == _norm(name)]
        if not here:
            continue
        # one sort of the chromosome's unannotated positions, then a binary search per span
        # (a pass over every row per span took seconds and held the GIL on a genome)
        rows = np.flatnonzero(missing & (chrom_codes == code))
        by_pos = rows[np.argsort(pos[rows], kind="stable")]
        sorted_pos = pos[by_pos]
        for _, start, end, gene in here:
            lo, hi = np.searchsorted(sorted_pos, [start, end + 1])
            hit = by_pos[lo:hi]
            codes[hit[codes[hit] < 0]] = code_of[gene]
    out = frame.copy(deep=False)
    out["gene"] = pd.Categorical.from_codes(codes, categories=categories)
    return out


def _codes(series: pd.Series) -> tuple[list[str], np.ndarray]:
    """Distinct values (as text) and each row's code (-1: missing) of a column."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy().astype(np.int32)
        return [str(c) for c in series.cat.categories], codes
    codes, uniques = pd.factorize(series, use_na_sentinel=True)  # Arrow text: in C++
    return [str(u) for u in uniques], codes.astype(np.int32)
