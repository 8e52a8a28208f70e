"""Write a realistic synthetic single-sample GRCh38 genome VCF (bgzipped + tabix index).

Usage::

    python benchmarks/make_synthetic_genome.py                     # 4.5M records (default)
    python benchmarks/make_synthetic_genome.py --records 200000    # quick run

Writes ``benchmarks/data/synthetic_<N>.vcf.gz`` (+ ``.tbi``); ``benchmarks/data`` is
git-ignored. The mix mirrors a short-read germline genome: ~85% SNVs, ~12% indels,
~3% multi-allelic sites, GT:AD:DP:GQ:PL, mostly PASS, rsIDs on about half the records,
~62% heterozygous / 37% homozygous ALT and a few no-calls and hemizygous chrX/chrY calls.
Positions are random and sorted; the reference bases are random (no FASTA needed).
Needs ``bgzip`` and ``tabix`` (htslib) on PATH.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

from pmviewer.core.vcf import GRCH38_LENGTHS

DATA = Path(__file__).resolve().parent / "data"
CONTIGS = [f"chr{c}" for c in [*range(1, 23), "X", "Y"]]
BASES = np.array(list("ACGT"))


def _header() -> str:
    lines = [
        "##fileformat=VCFv4.2",
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=LowQual,Description="Low quality">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
        '##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Phred-scaled likelihoods">',
        '##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count">',
        '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">',
        '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total alleles">',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">',
        '##INFO=<ID=QD,Number=1,Type=Float,Description="Quality by depth">',
        '##INFO=<ID=MQ,Number=1,Type=Float,Description="Mapping quality">',
    ]
    lines += [f"##contig=<ID={c},length={GRCH38_LENGTHS[c]}>" for c in CONTIGS]
    lines.append("##reference=GRCh38")
    lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSYNTH001")
    return "\n".join(lines) + "\n"


def _alleles(rng: np.random.Generator, n: int, kind: np.ndarray) -> tuple[list, list]:
    """REF and ALT strings for n records of kind 0=SNV, 1=insertion, 2=deletion, 3=multi."""
    ref0 = BASES[rng.integers(0, 4, n)]
    shift = rng.integers(1, 4, n)
    alt0 = BASES[(np.searchsorted(BASES, ref0) + shift) % 4]
    lens = rng.integers(1, 8, n)
    refs: list[str] = []
    alts: list[str] = []
    for i in range(n):
        r, a, k = str(ref0[i]), str(alt0[i]), kind[i]
        if k == 1:
            a = r + "".join(BASES[rng.integers(0, 4, lens[i])])
        elif k == 2:
            r = r + "".join(BASES[rng.integers(0, 4, lens[i])])
            a = r[0]
        elif k == 3:
            a = a + "," + str(BASES[(np.searchsorted(BASES, r) + shift[i] % 3 + 1) % 4])
        refs.append(r)
        alts.append(a)
    return refs, alts


def _chunk_lines(rng: np.random.Generator, chrom: str, pos: np.ndarray, first_id: int) -> str:
    n = len(pos)
    kind = rng.choice(4, n, p=[0.85, 0.06, 0.06, 0.03])
    refs, alts = _alleles(rng, n, kind)
    dp = rng.poisson(32, n) + 3
    gq = rng.integers(20, 99, n)
    qual = np.round(rng.gamma(4.0, 180.0, n), 2)
    het = rng.random(n) < 0.62
    nocall = rng.random(n) < 0.004
    lowq = rng.random(n) < 0.06
    has_id = rng.random(n) < 0.5
    haploid = chrom in ("chrY",)
    out = []
    for i in range(n):
        multi = kind[i] == 3
        d = int(dp[i])
        if nocall[i]:
            gt, ad = ("." if haploid else "./."), ("0,0,0" if multi else "0,0")
            fmt = f"{gt}:{ad}:0:.:."
        elif multi:
            a1 = d // 2
            fmt = f"1/2:0,{a1},{d - a1}:{d}:{gq[i]}:900,400,300,450,0,500"
        elif haploid:
            fmt = f"1:0,{d}:{d}:{gq[i]}:900,0"
        elif het[i]:
            a1 = d // 2
            fmt = f"0/1:{d - a1},{a1}:{d}:{gq[i]}:600,0,700"
        else:
            fmt = f"1/1:0,{d}:{d}:{gq[i]}:1200,90,0"
        ac = "1,1" if multi else ("1" if het[i] else "2")
        af = "0.5,0.5" if multi else ("0.5" if het[i] else "1.00")
        info = f"AC={ac};AF={af};AN=2;DP={d};QD={qual[i] / d:.2f};MQ=60.00"
        vid = f"rs{first_id + i}" if has_id[i] else "."
        flt = "LowQual" if lowq[i] else "PASS"
        out.append(
            f"{chrom}\t{pos[i]}\t{vid}\t{refs[i]}\t{alts[i]}\t{qual[i]}\t{flt}\t{info}\t"
            f"GT:AD:DP:GQ:PL\t{fmt}\n"
        )
    return "".join(out)


def generate(records: int, out: Path, seed: int = 7) -> Path:
    """Write ``out`` (bgzipped) and its ``.tbi``; return ``out``."""
    rng = np.random.default_rng(seed)
    lengths = np.array([GRCH38_LENGTHS[c] for c in CONTIGS], dtype=np.float64)
    weights = lengths.copy()
    weights[CONTIGS.index("chrY")] *= 0.05  # few chrY calls, as in a real genome
    per_chrom = np.floor(records * weights / weights.sum()).astype(int)
    per_chrom[0] += records - per_chrom.sum()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        proc = subprocess.Popen(["bgzip", "-@", "2", "-c"], stdin=subprocess.PIPE, stdout=fh)
        assert proc.stdin is not None
        proc.stdin.write(_header().encode())
        next_id = 1000
        for chrom, count in zip(CONTIGS, per_chrom, strict=True):
            pos = np.sort(rng.choice(int(GRCH38_LENGTHS[chrom]) - 100, count, replace=False) + 50)
            for start in range(0, count, 200_000):
                part = pos[start : start + 200_000]
                proc.stdin.write(_chunk_lines(rng, chrom, part, next_id).encode())
                next_id += len(part)
            print(f"  {chrom}: {count} records", file=sys.stderr)
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit("bgzip failed")
    subprocess.run(["tabix", "-f", "-p", "vcf", str(out)], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=4_500_000)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or DATA / f"synthetic_{args.records}.vcf.gz"
    generate(args.records, out)
    print(out)


if __name__ == "__main__":
    main()
