"""Test data for the PGx tests: a temporary PGx knowledge SQLite, tiny VCFs, loaded tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pmviewer.core import vcf
from pmviewer.core.knowledge.build.pgx_tables import build_pgx_tables
from pmviewer.core.model import VariantTable

HEADER = (
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=chr1,length=248956422>\n"
    "##contig=<ID=chr2,length=242193529>\n"
    "##contig=<ID=chr6,length=170805979>\n"
    "##contig=<ID=chr10,length=133797422>\n"
    "##contig=<ID=chr13,length=114364328>\n"
    "##contig=<ID=chr22,length=50818468>\n"
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End of reference block">\n'
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
    '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT\n"
)


def build_pgx_db(knowledge_sources: Path, path: Path) -> sqlite3.Connection:
    """A knowledge SQLite holding only the PGx tables, built from the raw sources."""
    conn = sqlite3.connect(path)
    build_pgx_tables(conn, knowledge_sources)
    conn.commit()
    return conn


def table_from_vcf(path: Path, sample: str | None = None) -> VariantTable:
    """Load with the real loader; multi-sample files use their first sample."""
    if sample is None:
        samples = vcf.inspect(path).samples
        sample = samples[0] if len(samples) > 1 else None
    return vcf.load(str(path), sample=sample)


def write_vcf(path: Path, records: list[str]) -> Path:
    """Write a tiny VCF; each record is 'chrom pos ref alt gt [info]' (space separated)."""
    lines = []
    for rec in records:
        parts = rec.split()
        chrom, pos, ref, alt, gt = parts[:5]
        info = parts[5] if len(parts) > 5 else "."
        fmt, value = "GT", gt
        if ":" in gt:
            fmt, value = "GT:PS", gt
        lines.append(f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\t{info}\t{fmt}\t{value}\n")
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path
