"""Time from open to findings on the synthetic genome, indexed and not indexed.

Targets (issue 4): under 1 s with an index; without one, under the full-load time plus 1 s.

    python benchmarks/bench_annotate.py [--records N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import timed  # benchmarks/timing.py

DATA = Path(__file__).resolve().parent / "data"


def ensure_genome(records: int) -> Path:
    path = DATA / f"synthetic_{records}.vcf.gz"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).parent / "make_synthetic_genome.py"),
                "--records",
                str(records),
            ],
            check=True,
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=4_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PMVIEWER_HOME", tempfile.mkdtemp(prefix="pmviewer-bench-"))

    from pmviewer.core import vcf
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse

    genome = ensure_genome(args.records)
    kb_start = time.perf_counter()
    knowledge = open_knowledge()
    kb_time = time.perf_counter() - kb_start

    indexed, analysis = timed(lambda: analyse(genome, knowledge=knowledge), args.repeat)
    print(f"genome: {genome.name} ({genome.stat().st_size / 1e6:.0f} MB)")
    print(f"open knowledge file:                 {kb_time * 1000:7.0f} ms")
    print(f"open -> findings, indexed (median):  {indexed * 1000:7.0f} ms   target < 1000 ms")
    print(
        f"  rows loaded {len(analysis.table.frame)}, findings {len(analysis.findings.frame)}, pgx genes {len(analysis.findings.pgx)}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / genome.name  # same bytes, no index beside it
        os.symlink(genome, bare)
        unindexed, _ = timed(lambda: analyse(bare, knowledge=knowledge), 1)
        full_load, _ = timed(lambda: vcf.load(str(bare)), 1)
    print(f"open -> findings, no index:          {unindexed:7.1f} s")
    print(
        f"full load alone:                     {full_load:7.1f} s   target: no-index <= full load + 1 s"
    )
    print(f"no-index overhead over full load:    {unindexed - full_load:+7.1f} s")


if __name__ == "__main__":
    main()
