"""Time the VCF loader against bcftools and zcat on one file, in one run.

Usage::

    python benchmarks/bench_load.py                          # benchmarks/data/synthetic_4500000.vcf.gz
    python benchmarks/bench_load.py path/to/file.vcf.gz [--skip-full] [--with-htslib]

Prints: region load time for the actionable/PGx gene regions (GRCh38 spans from
knowledge-sources/genes/panel_gene_coordinates.tsv) with the file's index, and again
without it (cache-built index); full load time and peak RSS, each measured in a fresh
subprocess; and the ratio of the full load to ``bcftools view -H | wc -l`` and
``zcat | wc -l`` timed in the same run, with the peers of the bulk reader: a bare cyvcf2
loop over the records and a pyarrow.csv parse of the text (``--with-htslib`` also times the
full load through the htslib reader; ``--stages`` prints the CPU seconds of each stage of a
bulk load instead, blocks parsed one after the other). Every figure has its CPU seconds beside the wall
clock, and the load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENES = HERE.parents[1] / "shared" / "knowledge-sources" / "genes" / "panel_gene_coordinates.tsv"
DEFAULT = HERE / "data" / "synthetic_4500000.vcf.gz"

_CHILD = r"""
import json, resource, sys, time
from pmviewer.core import vcf
from pmviewer.core.progress import CancelToken
path, regions_json = sys.argv[1], sys.argv[2]
regions = json.loads(regions_json) if regions_json != "null" else None
calls = []
t0 = time.perf_counter()
table = vcf.load(path, regions=[tuple(r) for r in regions] if regions else None,
                 progress=lambda d, t: calls.append(time.perf_counter()))
elapsed = time.perf_counter() - t0
gaps = [b - a for a, b in zip([t0] + calls, calls)]
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from pmviewer.core.vcf.bulk_text import worker_threads
print(json.dumps({"seconds": elapsed, "parse_threads": worker_threads(), "rows": len(table.frame), "records": table.stats.records_read,
                  "peak_rss_mb": rss_kb / 1024, "max_progress_gap": max(gaps) if gaps else None,
                  "frame_mb": table.frame.memory_usage(deep=True).sum() / 2**20,
                  "notes": table.stats.notes}))
"""


_STAGES = r"""
import hashlib, sys, tempfile, time
from pathlib import Path
from pmviewer.core.model import LoadStats
from pmviewer.core.vcf import bulk, bulk_blocks as bb, bulk_records as br, bulk_rows, isolated
from pmviewer.core.vcf.bulk_text import data_views
from pmviewer.core.vcf.header import parse_header_lines, read_header_lines
path = Path(sys.argv[1])
spent = {}
def timed(name, f, *args):
    t = time.process_time()
    out = f(*args)
    spent[name] = spent.get(name, 0.0) + time.process_time() - t
    return out
ht = parse_header_lines(read_header_lines(path, "bgzip"))
fields = bulk._fields(path, "bgzip", ht, ht.samples[0] if ht.samples else None, None)
timed("SHA-256 of the file", lambda: hashlib.sha256(path.read_bytes()).hexdigest())
blocks = timed("inflate and cut into blocks (2 threads)",
               lambda: list(data_views(path, "bgzip", block_text=bulk._PARSE_TEXT)))
opts = bb.BlockOptions(fields, fields.has_gt, None, None, None, 10)
stats = LoadStats()
joiner = bb.BlockJoiner(stats)
for text in blocks:
    table = timed("CSV parse (pyarrow.csv)", br.read_block, text, fields)
    rec = timed("record columns, sample fields, genotypes", br.parse_records, table, fields)
    def rules():
        codes, names = bb.local_codes(rec.chrom)
        block_stats = LoadStats()
        rows = bulk_rows.classify(rec, codes, fields.has_gt, 0, None, None, fields.i_svtype,
                                  block_stats, 10)
        rows.filter_codes, filters = bb.local_codes(rows.filter_text)
        rows.filter_text = None
        return bb.ParsedBlock(rows, rec.n, 0, names, filters, block_stats)
    parsed = timed("row rules: split, zygosity, AD/DP/GQ, intervals", rules)
    timed("join in file order", joiner.add, parsed)
frame = timed("assemble the table (concatenation)", lambda: bulk._assemble(
    joiner.parts, joiner.chroms, joiner.filters, stats)[0])
folder = Path(tempfile.mkdtemp())
cats = timed("child -> parent: Arrow IPC write", isolated._write_frame, frame, folder / "t.arrow")
timed("child -> parent: map and to_pandas", isolated._read_frame, folder / "t.arrow", cats)
for name, seconds in spent.items():
    print(f"| {name} | {seconds:.2f} |")
print(f"| total ({len(blocks)} blocks, {len(frame)} rows) | {sum(spent.values()):.2f} |")
"""

_CYVCF2_LOOP = r"""
import sys, cyvcf2
n = 0
for v in cyvcf2.VCF(sys.argv[1], gts012=True):
    v.genotypes; v.format("DP"); n += 1
print(n)
"""

_PYARROW_CSV = r"""
import gzip, sys, pyarrow.csv as pcsv
with gzip.open(sys.argv[1], "rb") as fh:
    skip = 0
    for line in fh:
        if not line.startswith(b"#"):
            break
        skip += 1
t = pcsv.read_csv(sys.argv[1], read_options=pcsv.ReadOptions(skip_rows=skip, autogenerate_column_names=True),
                  parse_options=pcsv.ParseOptions(delimiter="\t", quote_char=False))
print(t.num_rows)
"""


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def gene_regions() -> list[tuple[str, int, int]]:
    with open(GENES, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for r in rows:
        if r.get("grch38_chrom") and r.get("grch38_tx_start_1based"):
            out.append(
                (r["grch38_chrom"], int(r["grch38_tx_start_1based"]), int(r["grch38_tx_end"]))
            )
    return out


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_child(path: Path, regions: list | None, env: dict[str, str]) -> dict:
    cpu = _children_cpu()
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), json.dumps(regions)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"load failed:\n{out.stderr[-2000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["cpu"] = _children_cpu() - cpu
    return result


def time_shell(cmd: str) -> tuple[float, str, float]:
    """(wall seconds, output, CPU seconds of the command's processes)."""
    cpu = _children_cpu()
    t0 = time.perf_counter()
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, out.stdout.strip(), _children_cpu() - cpu


def time_python(code: str, path: Path, env: dict[str, str]) -> tuple[float, str, float]:
    cpu = _children_cpu()
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, env=env, check=True)  # fmt: skip
    return time.perf_counter() - t0, out.stdout.strip(), _children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description="VCF loader benchmark")
    ap.add_argument("vcf", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--skip-full", action="store_true", help="only the region loads")
    ap.add_argument("--skip-regions", action="store_true", help="only the full load and peers")
    ap.add_argument(
        "--stages",
        action="store_true",
        help="only CPU seconds per stage of a bulk load, blocks one after the other (bgzip)",
    )
    ap.add_argument(
        "--with-htslib",
        action="store_true",
        help="also time the full load through the htslib (cyvcf2) reader",
    )
    args = ap.parse_args()
    path: Path = args.vcf.resolve()
    if not path.exists():
        raise SystemExit(f"{path} not found: run benchmarks/make_synthetic_genome.py first")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
    home = tempfile.mkdtemp(prefix="pmviewer-bench-")
    env["PMVIEWER_HOME"] = home  # a fresh cache folder: index builds are measured, not reused
    if args.stages:
        print(f"file: {path}; {load_average()}\n\n| stage | CPU s |\n|---|---|")
        sys.stdout.flush()
        subprocess.run([sys.executable, "-c", _STAGES, str(path)], env=env, check=True)
        print(load_average())
        return
    regions = gene_regions()
    print(f"file: {path} ({path.stat().st_size / 2**20:.0f} MB); {load_average()}")
    print(f"regions: {len(regions)} gene spans (GRCh38) from {GENES.name}")

    if not args.skip_regions:
        region_loads(path, regions, env)
    if args.skip_full:
        shutil.rmtree(home, ignore_errors=True)
        return
    full_load(path, env, args.with_htslib)
    shutil.rmtree(home, ignore_errors=True)


def region_loads(path: Path, regions: list, env: dict[str, str]) -> None:
    r = run_child(path, regions, env)
    print(f"region load, file's own index:     {r['seconds']:.2f} s, {r['rows']} rows, "
          f"peak RSS {r['peak_rss_mb']:.0f} MB")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        os.symlink(path, copy)  # same bytes, no index next to it
        r = run_child(copy, regions, env)
        print(
            f"region load, index built in cache: {r['seconds']:.2f} s (first open), {r['rows']} rows"
        )
        r = run_child(copy, regions, env)
        print(f"region load, cached index reused:  {r['seconds']:.2f} s")


def full_load(path: Path, env: dict[str, str], with_htslib: bool) -> None:
    full = run_child(path, None, env)
    print(f"full load (bulk reader): {full['seconds']:.1f} s (CPU {full['cpu']:.1f} s), "
          f"{full['parse_threads']} parse threads, "
          f"{full['records']} records -> {full['rows']} rows, "
          f"peak RSS {full['peak_rss_mb']:.0f} MB (pandas memory_usage {full['frame_mb']:.0f} MB, "
          "counting shared all-missing buffers once per column), "
          f"longest gap between progress calls {full['max_progress_gap']:.2f} s")  # fmt: skip
    peers = [
        ("zcat | wc -l", *time_shell(f"zcat '{path}' | wc -l")),
        ("bcftools view -H | wc -l", *time_shell(f"bcftools view -H '{path}' | wc -l")),
        ("pyarrow.csv parse", *time_python(_PYARROW_CSV, path, env)),
        ("cyvcf2 loop (GT, DP)", *time_python(_CYVCF2_LOOP, path, env)),
    ]
    if with_htslib:
        hts = run_child(path, None, dict(env, PMVIEWER_READER="htslib"))
        peers.append(("full load, htslib reader", hts["seconds"], str(hts["rows"]), hts["cpu"]))
        print(f"full load (htslib reader): peak RSS {hts['peak_rss_mb']:.0f} MB")
    print("\n| measure | wall s | CPU s | output | bulk load / this: wall, CPU |")
    print("|---|---|---|---|---|")
    print(
        f"| pmviewer full load (bulk) | {full['seconds']:.2f} | {full['cpu']:.2f} | "
        f"{full['rows']} rows | 1.0x |"
    )
    for name, wall, outp, cpu in peers:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {outp} | "
              f"{full['seconds'] / wall:.2f}x, {full['cpu'] / max(cpu, 1e-9):.2f}x |")  # fmt: skip
    print(load_average())


if __name__ == "__main__":
    main()
