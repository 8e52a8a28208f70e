"""Tiny GRCh38 VCFs for the clinical-safety tests, built from records of the knowledge file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

LENGTHS = {
    "1": 248956422, "2": 242193529, "7": 159345973, "13": 114364328, "17": 83257441,
    "19": 58617616, "21": 46709983,
}  # fmt: skip
CSQ_FORMAT = "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|HGVSc|HGVSp"


def header(extra: str = "") -> str:
    contigs = "\n".join(f"##contig=<ID=chr{c},length={n}>" for c, n in LENGTHS.items())
    return (
        "##fileformat=VCFv4.2\n##reference=GRCh38\n"
        f"{contigs}\n"
        f'##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
        f'Ensembl VEP. Format: {CSQ_FORMAT}">\n'
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End">\n'
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">\n'
        f"{extra}"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT\n"
    )


def record(row: pd.Series, gt: str = "0/1", info: str = ".", dp: int = 40) -> str:
    """One VCF line carrying a knowledge record's GRCh38 allele."""
    return (
        f"chr{row['chrom']}\t{row['pos']}\t.\t{row['ref']}\t{row['alt']}\t50\tPASS\t{info}\t"
        f"GT:AD:DP:GQ\t{gt}:{dp // 2},{dp // 2}:{dp}:99"
    )


def write_vcf(path: Path, lines: list[str], extra_header: str = "") -> Path:
    path.write_text(header(extra_header) + "".join(line + "\n" for line in lines))
    return path


def pick(variants: pd.DataFrame, query: str) -> pd.Series:
    hits = variants.query(query, engine="python").sort_values("variation_id")
    assert not hits.empty, query
    return hits.iloc[0]
