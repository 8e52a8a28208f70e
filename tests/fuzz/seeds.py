"""Seed VCFs for the fuzz run: the bundled demo patient always, real corpus files when present.

Seeds are cut to their header and first records so that one case runs in well under a second.
"""

from __future__ import annotations

import gzip
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "vcf"
CORPUS_SEEDS = [
    "a_germline/vcfpy__gatk.vcf",  # several samples
    "a_germline/vstol__hg002_deepvariant.vcf",
    "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz",
    "c_gvcf/bcftools__convert.gvcf.vcf",  # reference blocks
    "d_annotated/cyvcf2__test.snpeff.vcf",  # ANN annotations
    "d_annotated/bcftools__split-vep.vcf",  # CSQ annotations
]
CORPUS_BCF = "d_annotated/cyvcf2__test.snpeff.bcf"
MAX_RECORDS = 300


def _text(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def _cut(text: bytes) -> bytes:
    out, records = [], 0
    for line in text.split(b"\n"):
        if not line.startswith(b"#"):
            records += 1
            if records > MAX_RECORDS:
                break
        out.append(line)
    return b"\n".join(out).rstrip(b"\n") + b"\n"


def seeds() -> list[tuple[str, bytes, bytes | None]]:
    """(name, VCF text, BCF bytes or None) of every available seed."""
    from pmviewer.core.resources import demo_vcf_path

    found: list[tuple[str, bytes, bytes | None]] = []
    demo = demo_vcf_path()
    bcf = (CORPUS / CORPUS_BCF).read_bytes() if (CORPUS / CORPUS_BCF).exists() else None
    if demo.exists():
        found.append(("demo", _cut(_text(demo)), bcf))
    for name in CORPUS_SEEDS:
        path = CORPUS / name
        if path.exists():
            found.append((path.name, _cut(_text(path)), bcf))
    return found
