"""Sample sex for the X-linked reporting rules: stated by the user, else inferred.

Inference uses the genotypes themselves: haploid calls on chrX outside the pseudo-autosomal
regions, the heterozygous fraction of chrX calls there, and calls on chrY. It is shown as
"inferred" everywhere and can always be overridden in the patient details.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmviewer.core.genome import canonical_chrom

# Pseudo-autosomal regions of chrX (GRC assembly definitions, 1-based inclusive).
PAR_X = {
    "GRCh37": ((60001, 2699520), (154931044, 155260560)),
    "GRCh38": ((10001, 2781479), (155701383, 156030895)),
}
PAR_Y = {
    "GRCh37": ((10001, 2649520), (59034050, 59363566)),
    "GRCh38": ((10001, 2781479), (56887903, 57217415)),
}
MIN_X_CALLS = 20  # fewer chrX calls than this say too little to infer anything


@dataclass(frozen=True)
class SexCall:
    """The sex used for the X-linked rules and where it came from."""

    sex: str | None  # "F" | "M" | None
    source: str  # "stated" | "inferred" | "unknown"
    evidence: str


def sampling_regions(
    build: str, windows: int = 12, width: int = 200_000
) -> list[tuple[str, int, int]]:
    """A few windows spread over chrX and chrY outside the PARs: enough calls to infer sex
    without reading whole sex chromosomes (about 2% of chrX)."""
    (x_par1_end, x_par2_start) = (PAR_X[build][0][1], PAR_X[build][1][0])
    (y_par1_end, y_par2_start) = (PAR_Y[build][0][1], PAR_Y[build][1][0])
    regions = []
    for chrom, start, end in (
        ("X", x_par1_end + 1, x_par2_start - 1),
        ("Y", y_par1_end + 1, y_par2_start - 1),
    ):
        step = (end - start) // windows
        regions += [(chrom, start + i * step, start + i * step + width) for i in range(windows)]
    return regions


def _outside(pos: np.ndarray, regions: tuple[tuple[int, int], ...]) -> np.ndarray:
    inside = np.zeros(len(pos), dtype=bool)
    for start, end in regions:
        inside |= (pos >= start) & (pos <= end)
    return ~inside


def infer_sex(frame: pd.DataFrame, build: str, stated: str | None = None) -> SexCall:
    """Stated sex wins; otherwise infer from chrX/chrY genotypes of a VariantTable frame."""
    if stated in ("F", "M"):
        return SexCall(stated, "stated", "stated in the patient details")
    chrom_cat = frame["chrom"].astype("category")
    canon = np.array(
        [canonical_chrom(str(c)) for c in chrom_cat.cat.categories] + [""], dtype=object
    )
    chroms = canon[chrom_cat.cat.codes.to_numpy()]  # code -1 (missing) maps to ""
    pos = frame["pos"].to_numpy()
    zyg = frame["zygosity"].astype("string").fillna("").to_numpy(dtype=object)
    x = (chroms == "X") & _outside(pos, PAR_X.get(build, ()))
    y = (chroms == "Y") & _outside(pos, PAR_Y.get(build, ()))
    x_called = x & np.isin(zyg, ["het", "hom", "hemi"])
    n_x = int(x_called.sum())
    n_hemi = int((x & (zyg == "hemi")).sum())
    n_het = int((x & (zyg == "het")).sum())
    n_y = int((y & np.isin(zyg, ["het", "hom", "hemi"])).sum())
    if n_x and n_hemi / n_x > 0.5:
        return SexCall("M", "inferred", f"{n_hemi} of {n_x} chrX calls are haploid")
    if n_x >= MIN_X_CALLS:
        het_fraction = n_het / n_x
        if het_fraction < 0.1 and n_y > 0:
            return SexCall(
                "M",
                "inferred",
                f"chrX heterozygous fraction {het_fraction:.2f} ({n_het}/{n_x}) and {n_y} chrY calls",
            )
        if het_fraction > 0.2 and n_y == 0:
            return SexCall(
                "F",
                "inferred",
                f"chrX heterozygous fraction {het_fraction:.2f} ({n_het}/{n_x}), no chrY calls",
            )
    return SexCall(
        None, "unknown", f"not enough chrX/chrY calls to infer sex ({n_x} chrX, {n_y} chrY)"
    )
