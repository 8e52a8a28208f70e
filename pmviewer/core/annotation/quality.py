"""Quality flags on findings. A flag warns the counselor; it never hides a finding.

Default thresholds follow common practice for germline short-variant confirmation policies
(depth >= 15, GQ >= 20, heterozygous allele balance 0.25-0.75, homozygous VAF >= 0.85);
every lab can change them in Settings, and the report prints the values used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class QualityThresholds:
    """Quality thresholds for flags (from Settings); printed in the report's methods."""

    min_dp: int = 15
    min_gq: int = 20
    het_vaf_low: float = 0.25
    het_vaf_high: float = 0.75
    hom_vaf_min: float = 0.85

    def describe(self) -> str:
        """The thresholds in words, as printed in the methods."""
        return (
            f"FILTER must be PASS; depth >= {self.min_dp}; genotype quality >= {self.min_gq}; "
            f"heterozygous allele fraction {self.het_vaf_low:.2f}-{self.het_vaf_high:.2f}; "
            f"homozygous allele fraction >= {self.hom_vaf_min:.2f}"
        )

    def to_dict(self) -> dict[str, float]:
        """The thresholds as a plain dict."""
        return asdict(self)


def quality_flags(frame: pd.DataFrame, thresholds: QualityThresholds) -> list[list[str]]:
    """One list of flag texts per row of a VariantTable-shaped frame."""
    n = len(frame)
    flags: list[list[str]] = [[] for _ in range(n)]
    if n == 0:
        return flags

    def add(mask: np.ndarray, text_of: Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask):
            flags[i].append(text_of(int(i)))

    filt = frame["filter"].astype("string").fillna(".").to_numpy(dtype=object)
    add(np.array([f not in ("PASS", ".") for f in filt]), lambda i: f"FILTER {filt[i]}")
    dp = frame["dp"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    add(dp < thresholds.min_dp, lambda i: f"low depth (DP {int(dp[i])} < {thresholds.min_dp})")
    gq = frame["gq"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    add(
        gq < thresholds.min_gq,
        lambda i: f"low genotype quality (GQ {int(gq[i])} < {thresholds.min_gq})",
    )
    vaf = frame["vaf"].astype("float64").to_numpy(dtype=float, na_value=np.nan)
    zyg = frame["zygosity"].astype("string").fillna("").to_numpy(dtype=object)
    het = zyg == "het"
    hom = zyg == "hom"
    with np.errstate(invalid="ignore"):
        bad_het = het & ((vaf < thresholds.het_vaf_low) | (vaf > thresholds.het_vaf_high))
        bad_hom = hom & (vaf < thresholds.hom_vaf_min)
    add(bad_het, lambda i: f"allele balance {vaf[i]:.2f} unusual for a heterozygous call")
    add(bad_hom, lambda i: f"allele fraction {vaf[i]:.2f} low for a homozygous call")
    return flags
