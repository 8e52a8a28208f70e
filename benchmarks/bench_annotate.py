"""Open -> findings on the synthetic genome: ``pmviewer annotate --format json`` against the
bcftools pipeline a bioinformatician would run, in one run.

Target (issue 16): the command on an indexed genome <= 1.5x the pipeline
(regions -> norm -> annotate with the ClinVar VCF -> filter). Both run as fresh processes,
interleaved, ``--repeat`` times; the medians of wall and CPU seconds (the processes' own, from
``getrusage``) and their ratios are printed with the load average (the machine is shared).
Then ``pipeline.analyse`` in this process (imports done), and, unless ``--skip-unindexed``,
the same bytes without an index next to a full load (issue 4: <= full load + 1 s).

    python benchmarks/bench_annotate.py [--records N | --genome G] [--repeat 5] [--skip-unindexed]
                                        [--compare OTHER_CHECKOUT]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_load import load_average, time_shell  # benchmarks/bench_load.py
from timing import timed  # benchmarks/timing.py

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
CLINVAR = (
    HERE.parents[1] / "shared" / "knowledge-sources" / "clinvar"
    / "clinvar_20250928_GRCh38_acmg_sf_v3.3_PLP_subset.vcf.gz"
)  # fmt: skip


# one fresh process: CPU seconds of each phase of `pmviewer annotate`, the same calls
_PHASES = r"""
import sys, time
marks = [("interpreter start", time.process_time())]
import pmviewer.commands.annotate
from pmviewer.core import pipeline as P
from pmviewer.core.knowledge import open_knowledge
from pmviewer.export.tables import dumps_json
marks.append(("imports (pandas, pyarrow, numpy, cyvcf2, pmviewer)", time.process_time()))
# the phase that ends when each of these calls starts
steps = {"_sex_from_sex_chromosomes": "inspect + region load (index queries, bulk reader)",
         "annotate": "second region load: chrX/chrY windows for sex",
         "call_pgx": "annotate (rules, policy, names, therapies, assessment)",
         "civic_items": "pharmacogenomics"}
def timed_step(name, fn):
    def run(*a, **k):
        marks.append((steps[name], time.process_time()))
        return fn(*a, **k)
    return run
for name in steps:
    setattr(P, name, timed_step(name, getattr(P, name)))
kb = open_knowledge()
analysis = P.analyse(sys.argv[1], knowledge=kb)
marks.append(("CIViC evidence", time.process_time()))
text = dumps_json(analysis.findings)
marks.append(("JSON text", time.process_time()))
for (_, a), (name, b) in zip(marks, marks[1:]):
    print(f"  {name:55s} {b - a:6.2f} s CPU")
print(f"  {'total':55s} {marks[-1][1]:6.2f} s CPU")
"""


def ensure_genome(records: int) -> Path:
    path = DATA / f"synthetic_{records}.vcf.gz"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "make_synthetic_genome.py"), "--records", str(records)],
            check=True,
        )
    return path


def _uses_chr_prefix(genome: Path) -> bool:
    with gzip.open(genome, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                return line.startswith("chr")
    return False


def write_regions(genome: Path, out: Path) -> int:
    """The regions pmviewer reads (analysed genes and pharmacogene positions), as a
    bcftools regions file in the genome's contig names; returns their number."""
    from pmviewer.core.genome import file_chrom
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analysis_regions

    regions = analysis_regions(open_knowledge(), "GRCh38")
    prefix = _uses_chr_prefix(genome)
    out.write_text("".join(f"{file_chrom(c, prefix)}\t{s}\t{e}\n" for c, s, e in regions))
    return len(regions)


def bcftools_pipeline(genome: Path, regions: Path, work: Path) -> str:
    """regions -> split multi-allelics -> ClinVar annotation -> keep the ClinVar hits
    (``bcftools annotate`` needs an indexed input, so the normalised records go to a BCF)."""
    norm = work / "norm.bcf"
    return (
        f"bcftools view -R {regions} -Ou {genome} | bcftools norm -m-any -Ob -o {norm} - "
        f"2>/dev/null && bcftools index -f {norm} && "
        f"bcftools annotate -a {CLINVAR} -c INFO/CLNSIG,INFO/CLNREVSTAT,INFO/GENEINFO -Ou {norm}"
        f" | bcftools filter -i 'INFO/CLNSIG!=\".\"' -Ov - | grep -vc '^#'"
    )


def pmviewer_command(genome: Path, out: Path, checkout: Path | None = None) -> str:
    """``checkout``: run that checkout's pmviewer instead of this one."""
    # python -m puts the working folder first on the path: run from the checkout
    where = f"cd {checkout} && PYTHONPATH={checkout} " if checkout else ""
    return f"{where}{sys.executable} -m pmviewer.cli annotate {genome} --format json -o {out}"


def _without_checkouts(text: str, checkouts: tuple[Path, Path]) -> list[str]:
    """The lines of ``text`` with both checkouts' folders left out of every path (the input
    may live in either)."""
    for folder in checkouts:
        text = text.replace(str(folder), "")
    return text.splitlines()


def _same_findings(mine: Path, other: Path, checkout: Path) -> str:
    """ "yes" when the two JSON texts are equal but for the knowledge file's path (it names
    the checkout), else the first line that differs."""
    a, b = (_without_checkouts(p.read_text(), (HERE.parent, checkout)) for p in (mine, other))
    differ = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    if not differ and len(a) == len(b):
        return "yes"
    return f"NO: {differ[0] if differ else (len(a), len(b))}"


def compare(genome: Path, repeat: int, checkout: Path | None = None) -> None:
    """The command and the pipeline (and ``checkout``'s command), interleaved; medians and
    ratios."""
    with tempfile.TemporaryDirectory(prefix="bench-annotate-") as tmp:
        work = Path(tmp)
        regions = work / "regions.tsv"
        n_regions = write_regions(genome, regions)
        pipeline, command = (
            bcftools_pipeline(genome, regions, work),
            pmviewer_command(genome, work / "findings.json"),
        )
        other = pmviewer_command(genome, work / "other.json", checkout) if checkout else ""
        first_wall, _, first_cpu = time_shell(command)  # compiles pmviewer's modules
        print(f"first run (pmviewer's modules compiled into the bytecode cache): "
              f"wall {first_wall:.2f} s, CPU {first_cpu:.2f} s")  # fmt: skip
        runs: dict[str, list[tuple[float, float]]] = {"pmviewer": [], "bcftools": [], "other": []}
        if other:
            time_shell(other)
        print(f"start: {load_average()}")
        hits = ""
        for _ in range(repeat):
            wall, _, cpu = time_shell(command)
            runs["pmviewer"].append((wall, cpu))
            wall, hits, cpu = time_shell(pipeline)
            runs["bcftools"].append((wall, cpu))
            if other:
                wall, _, cpu = time_shell(other)
                runs["other"].append((wall, cpu))
        print(f"end:   {load_average()}")
        size = (work / "findings.json").stat().st_size
        if checkout:
            same = _same_findings(work / "findings.json", work / "other.json", checkout)
            print(f"{checkout}: the same JSON: {same}")
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in runs.items() if v}  # fmt: skip
    print(f"regions: {n_regions}; bcftools pipeline ClinVar hits: {hits}; JSON {size / 1e6:.1f} MB")
    for name, label in (("pmviewer", "pmviewer annotate --format json"),
                        ("bcftools", "bcftools view -R | norm | annotate | filter"),
                        ("other", f"{checkout}: the same command")):  # fmt: skip
        if name not in med:
            continue
        wall, cpu = med[name]
        print(f"{label:45s} median wall {wall:6.2f} s   CPU {cpu:6.2f} s   (n={repeat})")
    floor_wall, _, floor_cpu = time_shell(f"{sys.executable} -c 'import pandas, pyarrow.compute'")
    print(
        f"{'floor: python -c import pandas, pyarrow.compute':45s} wall {floor_wall:6.2f} s   CPU {floor_cpu:6.2f} s"
    )
    wall_ratio = med["pmviewer"][0] / med["bcftools"][0]
    cpu_ratio = med["pmviewer"][1] / med["bcftools"][1]
    print(f"pmviewer / bcftools: wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x   target <= 1.5x")


def in_process(genome: Path, repeat: int, unindexed: bool) -> None:
    """``pipeline.analyse`` with the imports done (what the window pays after start-up)."""
    from pmviewer.core import vcf
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse

    knowledge = open_knowledge()
    cpu = time.process_time()
    indexed, analysis = timed(lambda: analyse(genome, knowledge=knowledge), repeat)
    cpu = (time.process_time() - cpu) / repeat
    print(f"analyse in process, indexed (median): {indexed:6.2f} s   CPU {cpu:.2f} s (mean)")
    print(
        f"  rows loaded {len(analysis.table.frame)}, findings {len(analysis.findings.frame)}, "
        f"pgx genes {len(analysis.findings.pgx)}"
    )
    if not unindexed:
        return
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / genome.name  # same bytes, no index beside it
        os.symlink(genome, bare)
        no_index, _ = timed(lambda: analyse(bare, knowledge=knowledge), 1)
        full_load, _ = timed(lambda: vcf.load(str(bare)), 1)
    print(f"open -> findings, no index:          {no_index:7.1f} s")
    print(f"full load alone:                     {full_load:7.1f} s   target: no-index <= full load + 1 s")  # fmt: skip
    print(f"no-index overhead over full load:    {no_index - full_load:+7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=4_500_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--genome", type=Path, help="an indexed genome instead of --records")
    parser.add_argument("--compare", type=Path, metavar="OTHER_CHECKOUT",
                        help="run another checkout's command too, interleaved")  # fmt: skip
    parser.add_argument("--skip-unindexed", action="store_true",
                        help="skip the no-index analysis and the full load (minutes)")  # fmt: skip
    args = parser.parse_args()
    os.environ.setdefault("PMVIEWER_HOME", tempfile.mkdtemp(prefix="pmviewer-bench-"))
    # this checkout's pmviewer, here and in the timed processes
    sys.path.insert(0, str(HERE.parent))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")])
    )
    # as an installed application runs: from compiled modules (pip writes them at install;
    # with PYTHONDONTWRITEBYTECODE every run compiles pmviewer's source, ~0.2 s of CPU)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", tempfile.mkdtemp(prefix="pmviewer-pyc-"))
    genome = args.genome.resolve() if args.genome else ensure_genome(args.records)
    print(f"genome: {genome.name} ({genome.stat().st_size / 1e6:.0f} MB), {os.cpu_count()} cores")
    compare(genome, args.repeat, args.compare.resolve() if args.compare else None)
    print("pmviewer annotate, phase by phase (one fresh process):")
    print(subprocess.run([sys.executable, "-c", _PHASES, str(genome)], capture_output=True,
                         text=True, check=True).stdout, end="")  # fmt: skip
    in_process(genome, args.repeat, not args.skip_unindexed)
    print(f"done:  {load_average()}")


if __name__ == "__main__":
    main()
