"""Time to open the knowledge file and load what annotation needs (target < 200 ms).

Prints, for each genome build: open + metadata, the gene table, the gene regions, and a
ClinVar lookup of a realistic key set (every ClinVar key of the build plus as many keys
that match nothing, as a sample with variants in the analysed genes would bring), in a fresh
process so nothing is cached. Also prints the full-table load for reference.

    .venv/bin/python benchmarks/bench_knowledge.py [KNOWLEDGE_FILE]
"""

from __future__ import annotations

import subprocess
import sys
import time

CHILD = r"""
import random, sys, time
t0 = time.perf_counter()
import pandas  # noqa: F401  (imported by the app anyway; timed separately)
t1 = time.perf_counter()
from pmviewer.core.knowledge import open_knowledge
path = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None
build = sys.argv[2]
n_keys = int(sys.argv[3])
t2 = time.perf_counter()
kb = open_knowledge(path)
meta = kb.metadata()
t3 = time.perf_counter()
genes = kb.genes()
t4 = time.perf_counter()
regions = kb.gene_regions(build)
t5 = time.perf_counter()
prefix = "g38" if build == "GRCh38" else "g37"
rng = random.Random(1)
real = kb.connection.execute(
    f"SELECT {prefix}_chrom, {prefix}_pos, {prefix}_ref, {prefix}_alt FROM clinvar "
    f"WHERE {prefix}_pos IS NOT NULL ORDER BY record_id"
).fetchall()
keys = rng.sample(real, min(n_keys // 10, len(real)))
for chrom, start, end, _ in regions:
    keys += [(chrom, rng.randint(start, end), "A", "G") for _ in range(n_keys // (10 * len(regions)) * 9)]
t6 = time.perf_counter()
hits = kb.variants_in(build, keys)
t7 = time.perf_counter()
full = kb.variants(build)
t8 = time.perf_counter()
ms = lambda a, b: f"{(b - a) * 1000:7.1f} ms"
print(f"{build}: import pandas {ms(t0, t1)} | import knowledge {ms(t1, t2)} | open+metadata {ms(t2, t3)} "
      f"| genes {ms(t3, t4)} | regions {ms(t4, t5)} | variants_in({len(keys)} keys -> {len(hits)}) {ms(t6, t7)}")
print(f"{build}: TOTAL open..lookup (excluding pandas import) {ms(t1, t5) .strip()} + {ms(t6, t7).strip()} "
      f"= {(t5 - t1 + t7 - t6) * 1000:.1f} ms   [full variants() table, {len(full)} rows: {ms(t7, t8).strip()}]")
"""


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else ""
    for build in ("GRCh38", "GRCh37"):
        for n_keys in (5000, 50000):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", CHILD, path, build, str(n_keys)], check=True)
            print(
                f"  (process wall time {time.perf_counter() - start:.2f} s, {n_keys} keys requested)"
            )


if __name__ == "__main__":
    main()
