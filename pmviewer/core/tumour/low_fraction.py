"""A germline file whose heterozygous calls sit at low allele fractions may not be germline.

Inherited heterozygous variants sit near 50 % of reads. When a large share of a file's
heterozygous calls with adequate depth fall below 30 %, the sample may be mosaic,
contaminated, or a tumour: the counselor is told, on screen and in the report. Small variants
only (structural-variant fractions are too noisy), and at least 20 calls of 15 reads or more.
"""

from __future__ import annotations

import pandas as pd

LOW_VAF = 0.30  # below this a heterozygous germline call is unexpected
MIN_DEPTH = 15  # fractions from fewer reads are too noisy to count
MIN_CALLS = 20  # fewer heterozygous calls say nothing about the sample
SHARE = 0.25  # warn when at least this share of the calls is low


def low_fraction_warning(frame: pd.DataFrame) -> str | None:
    """The warning text for a variant frame (columns ``zygosity``, ``vaf``, ``dp``), or None."""
    if not {"zygosity", "vaf"} <= set(frame.columns) or frame.empty:
        return None
    het = frame[frame["zygosity"].astype(str).eq("het")]
    if "is_sv" in het.columns:  # structural-variant fractions come from split reads: too noisy
        het = het[~het["is_sv"].astype(bool)]
    vaf = pd.to_numeric(het["vaf"], errors="coerce")
    if "dp" in het.columns:
        depth = pd.to_numeric(het["dp"], errors="coerce")
        vaf = vaf[(depth >= MIN_DEPTH) | depth.isna()]
    vaf = vaf.dropna()
    if len(vaf) < MIN_CALLS:
        return None
    low = int((vaf < LOW_VAF).sum())
    share = low / len(vaf)
    if share < SHARE:
        return None
    return (
        f"{low} of {len(vaf)} heterozygous calls ({share:.0%}) have an allele fraction below "
        f"{LOW_VAF:.0%} (median {vaf.median():.0%}); inherited variants sit near 50%. The sample "
        "may be mosaic, contaminated, or from a tumour. Check each finding's allele fraction and "
        "confirm low-fraction findings by another method before reporting them as inherited."
    )
