"""Helpers shared by the per-source builders: finding files, release dates, checksums."""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pmviewer.core.errors import KnowledgeError

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{2})-([A-Za-z]{3})-(\d{4})(?!\d)")


def date_in_text(text: str) -> str:
    """The first date written in ``text`` as ISO ``YYYY-MM-DD`` (or ``YYYY-MM``), else ''.

    Understands the spellings publishers put in file names: ``20250928`` (ClinVar),
    ``2026-09`` / ``2025-07-01`` (ClinVar monthly, ClinGen) and ``01-Jul-2025`` (CIViC).
    """
    m = _DMY.search(text)
    if m and m.group(2).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{m.group(1)}"
    m = _ISO.search(text)
    if m:
        return "-".join(g for g in m.groups() if g)
    m = _COMPACT.search(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return ""


def newest(paths: list[Path]) -> Path | None:
    """The file whose name carries the newest date (ties: last by name)."""
    if not paths:
        return None
    return max(paths, key=lambda p: (date_in_text(p.name), p.name))


def find(sources: Path, folder: str, pattern: str, required: bool = True) -> list[Path]:
    """Files in ``sources/folder`` matching a glob, sorted by name."""
    found = sorted((sources / folder).glob(pattern))
    if required and not found:
        raise KnowledgeError(
            f"The knowledge sources folder {sources} has no '{folder}/{pattern}' file. "
            "Check that the folder is laid out like the published knowledge sources."
        )
    return found


def newest_file(sources: Path, folder: str, pattern: str) -> Path:
    """The newest file (by the date in its name) in ``sources/folder`` matching ``pattern``.

    Raises KnowledgeError when there is none.
    """
    path = newest(find(sources, folder, pattern))
    assert path is not None  # find() raised when nothing matched
    return path


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_tsv(path: Path, quoting: int = csv.QUOTE_MINIMAL) -> Iterator[dict[str, str]]:
    """Rows of a tab-separated file with a header line, values stripped."""
    csv.field_size_limit(1 << 30)
    with open_text(path) as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=quoting)  # type: ignore[call-overload]
        for row in reader:
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def none_if_empty(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass(frozen=True)
class SourceFile:
    """One input file as recorded in the ``sources`` table."""

    path: str  # relative to the sources folder
    name: str
    role: str
    release: str
    licence: str
    attribution: str
    sha256: str
    size_bytes: int


def describe(
    sources: Path, path: Path, name: str, role: str, release: str, licence: str, attribution: str
) -> SourceFile:
    """The provenance record of one source file (path relative to ``sources``, SHA-256)."""
    relative = path.relative_to(sources).as_posix()
    return SourceFile(relative, name, role, release, licence, attribution, sha256_of(path),
                      path.stat().st_size)  # fmt: skip


ATTRIBUTION = {
    "ClinVar": "ClinVar, National Center for Biotechnology Information (NCBI), U.S. National "
    "Library of Medicine. Landrum MJ et al., Nucleic Acids Res. 2018;46:D1062-D1067. "
    "https://www.ncbi.nlm.nih.gov/clinvar/",
    "CIViC": "CIViC - Clinical Interpretation of Variants in Cancer (civicdb.org), CC0 1.0. "
    "Griffith M et al., Nat Genet. 2017;49:170-174.",
    "ClinGen": "Clinical Genome Resource (ClinGen) gene-disease validity curations, "
    "https://search.clinicalgenome.org, CC0 1.0. Rehm HL et al., N Engl J Med. 2015;372:2235-42.",
    "CPIC": "Clinical Pharmacogenetics Implementation Consortium (CPIC), https://cpicpgx.org, "
    "CC0 1.0. Allele definitions, function and phenotype mappings and recommendation text "
    "as packaged in PharmCAT (PharmGKB/PharmCAT).",
    "ACMG SF": "ACMG SF v3.3 list of genes for secondary findings (Lee K et al., Genet Med "
    "2025); v3.2: Miller DT et al., Genet Med 2023;25:100866.",
    "MANE": "MANE (Matched Annotation from NCBI and EMBL-EBI) v1.5, public domain.",
    "GENCODE": "GENCODE v19 gene spans (GRCh37), no restrictions.",
    "Ensembl": "Ensembl assembly-mapping chain files GRCh38<->GRCh37, no restrictions.",
    "PharmCAT": "PharmCAT (PharmGKB/PharmCAT), MPL-2.0 packaging of CPIC content.",
}
