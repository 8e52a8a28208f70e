"""Time the viewer's sort and filter on a synthetic 4.5-million-row variant frame.

Usage::

    python benchmarks/bench_table.py              # 4.5M rows (a whole genome)
    python benchmarks/bench_table.py --rows 200000

The frame is built in memory with the VariantTable columns (pmviewer.core.model) and a
realistic mix: sorted positions over 24 chromosomes, ~20,000 genes, QUAL with two
decimals, mostly PASS, ~62% het. Prints one line per operation: first call (cold caches)
and a repeat, in seconds, after the per-column caches were prepared once (the viewer does
that on the loading worker, off the main thread). The target is under 0.3 s per operation.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from pmviewer.core.model import VARIANT_COLUMNS
from pmviewer.core.table_query import FrameIndex, TableFilter, filter_mask, sort_order, visible_rows

CHROMS = [f"chr{c}" for c in [*range(1, 23), "X", "Y"]]
CONSEQUENCES = [
    "intron_variant",
    "intergenic_variant",
    "missense_variant",
    "synonymous_variant",
    "upstream_gene_variant",
    "downstream_gene_variant",
    "3_prime_UTR_variant",
    "splice_region_variant&intron_variant",
    "stop_gained",
    "frameshift_variant",
]
IMPACT = {
    "missense_variant": "MODERATE",
    "stop_gained": "HIGH",
    "frameshift_variant": "HIGH",
    "synonymous_variant": "LOW",
    "splice_region_variant&intron_variant": "LOW",
}


def synthetic_frame(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    chrom_idx = np.sort(rng.integers(0, len(CHROMS), n))
    pos = rng.integers(1, 248_000_000, n)
    order = np.lexsort((pos, chrom_idx))
    chrom_idx, pos = chrom_idx[order], pos[order]
    bases = np.array(list("ACGT"), dtype=object)
    ref = bases[rng.integers(0, 4, n)]
    alt = bases[rng.integers(0, 4, n)]
    genes = np.array([f"G{i:05d}" for i in range(20_000)], dtype=object)
    gene = genes[rng.integers(0, len(genes), n)]
    gene[rng.random(n) < 0.4] = None
    cons = np.array(CONSEQUENCES, dtype=object)[rng.integers(0, len(CONSEQUENCES), n)]
    het = rng.random(n) < 0.62
    dp = rng.integers(5, 80, n)
    ad_alt = np.where(het, dp // 2, dp)
    rsid = np.array([f"rs{i}" for i in rng.integers(1, 10**9, n)], dtype=object)
    rsid[rng.random(n) < 0.5] = None
    values = {
        "chrom": pd.Categorical.from_codes(chrom_idx, categories=CHROMS),
        "pos": pos.astype("int64"),
        "ref": ref,
        "alt": alt,
        "var_id": rsid,
        "qual": np.round(rng.gamma(2.0, 300.0, n), 2).astype("float32"),
        "filter": pd.Categorical(np.where(rng.random(n) < 0.93, "PASS", "LowQual")),
        "allele_index": np.ones(n, dtype="int8"),
        "n_alts": np.ones(n, dtype="int8"),
        "genotype": np.where(het, "0/1", "1/1"),
        "allele_count": np.where(het, 1, 2).astype("int8"),
        "zygosity": pd.Categorical(np.where(het, "het", "hom")),
        "ploidy": np.full(n, 2, dtype="int8"),
        "phased": np.zeros(n, dtype=bool),
        "phase_set": pd.array([pd.NA] * n, dtype="Int64"),
        "dp": dp,
        "gq": rng.integers(0, 100, n),
        "ad_ref": dp - ad_alt,
        "ad_alt": ad_alt,
        "vaf": (ad_alt / dp).astype("float32"),
        "is_sv": np.zeros(n, dtype=bool),
        "sv_type": [None] * n,
        "sv_end": pd.array([pd.NA] * n, dtype="Int64"),
        "sv_len": pd.array([pd.NA] * n, dtype="Int64"),
        "gene": gene,
        "consequence": cons,
        "impact": [IMPACT.get(c, "MODIFIER") for c in cons],
        "transcript": [None] * n,
        "hgvs_c": [None] * n,
        "hgvs_p": [None] * n,
        "record_index": np.arange(n, dtype="int64"),
    }
    frame = pd.DataFrame({k: values[k] for k in VARIANT_COLUMNS})
    return frame.astype({k: dtype for k, (dtype, _) in VARIANT_COLUMNS.items()})


def _time(label: str, fn) -> None:
    first = time.perf_counter()
    fn()
    cold = time.perf_counter() - first
    second = time.perf_counter()
    result = fn()
    warm = time.perf_counter() - second
    size = len(result) if hasattr(result, "__len__") else ""
    print(f"{label:<44} cold {cold:6.3f} s   warm {warm:6.3f} s   {size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_500_000)
    args = parser.parse_args()
    started = time.perf_counter()
    frame = synthetic_frame(args.rows)
    print(f"built {len(frame):,} rows in {time.perf_counter() - started:.1f} s")
    index = FrameIndex(frame)
    columns = [
        "pos",
        "chrom",
        "gene",
        "qual",
        "dp",
        "gq",
        "vaf",
        "zygosity",
        "consequence",
        "impact",
        "var_id",
        "filter",
        "ref",
        "alt",
        "genotype",
        "ad_alt",
    ]
    started = time.perf_counter()
    index.prepare(columns)
    print(
        f"{'prepare caches (worker thread, once per file)':<44} {time.perf_counter() - started:6.3f} s"
    )
    for column in ("pos", "gene", "qual", "dp", "vaf", "zygosity", "consequence", "var_id"):
        for ascending in (True, False):
            direction = "asc" if ascending else "desc"
            _time(
                f"sort {column} {direction}",
                lambda c=column, a=ascending: sort_order(frame, c, a, index),
            )
    order = sort_order(frame, "pos", True, index)
    filters = {
        "quick filter gene 'G01234'": TableFilter(text="G01234"),
        "quick filter position chr17:43,044,295": TableFilter(text="chr17:43,044,295"),
        "quick filter range chr17:43,000,000-43,100,000": TableFilter(
            text="chr17:43,000,000-43,100,000"
        ),
        "quick filter rsID rs123456": TableFilter(text="rs123456"),
        "FILTER pass + het": TableFilter(quality="pass", zygosity="het"),
        "impact HIGH+MODERATE": TableFilter(consequence="impact:HIGH+MODERATE"),
        "consequence missense_variant": TableFilter(consequence="missense_variant"),
        "everything combined": TableFilter(
            text="chr1", quality="pass", zygosity="hom", consequence="impact:HIGH"
        ),
    }
    for label, flt in filters.items():
        _time(label, lambda f=flt: visible_rows(order, filter_mask(frame, f, index)))


if __name__ == "__main__":
    main()
