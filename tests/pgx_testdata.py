"""Test data for the PGx tests: a temporary PGx knowledge SQLite and VariantTables from VCFs.

``table_from_vcf`` uses :func:`pmviewer.core.vcf.load` when it exists; until then it parses
the small plain-text VCFs itself into the same contract (rows split per ALT with the sample's
genotype; 0/0 calls and reference blocks in ``covered``; missing genotypes in ``no_calls``).
"""

from __future__ import annotations

import gzip
import importlib.util
import sqlite3
from pathlib import Path

import pandas as pd

from pmviewer.core.kb_build.pgx_tables import build_pgx_tables
from pmviewer.core.model import LoadStats, VariantTable, VcfInfo

NON_REF = {"<NON_REF>", "<*>", "<X>", "."}


def build_pgx_db(knowledge_sources: Path, path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    build_pgx_tables(conn, knowledge_sources)
    conn.commit()
    return conn


def real_loader_available() -> bool:
    return importlib.util.find_spec("pmviewer.core.vcf") is not None


def table_from_vcf(path: Path, sample: str | None = None) -> VariantTable:
    if real_loader_available():
        from pmviewer.core import vcf

        return vcf.load(str(path), sample=sample)
    return _parse_text_vcf(path, sample)


def _open(path: Path):
    if str(path).endswith((".gz", ".bgz")):
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _parse_text_vcf(path: Path, sample: str | None) -> VariantTable:
    rows: list[dict] = []
    covered: list[tuple[str, int, int]] = []
    no_calls: list[tuple[str, int]] = []
    samples: list[str] = []
    col = 9
    record_index = -1
    with _open(path) as fh:
        for line in fh:
            if line.startswith("##"):
                continue
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#CHROM"):
                samples = fields[9:]
                col = 9 + (samples.index(sample) if sample else 0)
                continue
            record_index += 1
            chrom, pos, vid, ref, alt_text = (
                fields[0],
                int(fields[1]),
                fields[2],
                fields[3],
                fields[4],
            )
            fmt = fields[8].split(":")
            values = dict(zip(fmt, fields[col].split(":"), strict=False))
            gt = values.get("GT", ".")
            ps = values.get("PS")
            phased = "|" in gt
            tokens = gt.replace("|", "/").split("/")
            alts = [a for a in alt_text.split(",")]
            info = dict(kv.split("=", 1) for kv in fields[7].split(";") if "=" in kv)
            end = int(info.get("END", pos + len(ref) - 1))
            if any(t == "." for t in tokens):
                no_calls.append((chrom, pos))
                continue
            idx = [int(t) for t in tokens]
            if all(i == 0 for i in idx) or all(a in NON_REF for a in alts):
                covered.append((chrom, pos, end))
                continue
            for k, alt in enumerate(alts, start=1):
                if alt in NON_REF or k not in idx:
                    continue
                n = idx.count(k)
                rows.append(
                    {
                        "chrom": chrom,
                        "pos": pos,
                        "ref": ref,
                        "alt": alt,
                        "var_id": None if vid == "." else vid,
                        "allele_index": k,
                        "n_alts": len(alts),
                        "genotype": gt,
                        "allele_count": n,
                        "zygosity": "hemi" if len(idx) == 1 else ("hom" if n == 2 else "het"),
                        "ploidy": len(idx),
                        "phased": phased,
                        "phase_set": int(ps) if ps not in (None, ".") else pd.NA,
                        "record_index": record_index,
                    }
                )
    frame = pd.DataFrame(
        rows,
        columns=[
            "chrom",
            "pos",
            "ref",
            "alt",
            "var_id",
            "allele_index",
            "n_alts",
            "genotype",
            "allele_count",
            "zygosity",
            "ploidy",
            "phased",
            "phase_set",
            "record_index",
        ],
    )
    frame["pos"] = frame["pos"].astype("int64")
    frame["phase_set"] = frame["phase_set"].astype("Int64")
    info = VcfInfo(
        path=str(path),
        samples=samples,
        contigs={},
        build="GRCh38",
        build_evidence="test",
        chr_prefix=True,
        annotation_fields=[],
        format_fields=[],
        info_fields=[],
        indexed=False,
        index_path=None,
        compression="none",
        file_format=None,
        estimated_records=None,
        is_gvcf=False,
    )
    return VariantTable(
        frame=frame,
        info=info,
        sample=samples[col - 9] if samples else None,
        stats=LoadStats(),
        covered=pd.DataFrame(covered, columns=["chrom", "start", "end"]),
        no_calls=pd.DataFrame(no_calls, columns=["chrom", "pos"]),
    )
