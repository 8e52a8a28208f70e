"""Descriptions (release, licence, checksum) of the pharmacogenomics input files.

The tables themselves are built by :mod:`pmviewer.core.knowledge.build.pgx_tables`; this module
only records provenance of the files it reads, for the ``sources`` table.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from pmviewer.core.knowledge.build.common import ATTRIBUTION, SourceFile, date_in_text, describe

# (folder glob under pgx/pharmcat, role)
_GROUPS = (
    ("allele_definitions/*_translation.json", "CPIC allele definitions"),
    ("phenotypes/*.json", "CPIC allele functions and diplotype phenotypes"),
    ("phenotypes_older/*.json.gz", "CPIC allele functions and diplotype phenotypes (older)"),
    ("cpic_guidelines*/CPIC_*.json", "CPIC recommendation text"),
)
_VERSION = re.compile(rb'"version"\s*:\s*"([^"]+)"')


def _version(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    match = _VERSION.search(data[-4096:]) or _VERSION.search(data)
    if match:
        return match.group(1).decode()
    try:
        return str(json.loads(data).get("version", ""))
    except ValueError:
        return ""


def pgx_source_files(sources: Path) -> list[SourceFile]:
    root = sources / "pgx" / "pharmcat"
    out = []
    for pattern, role in _GROUPS:
        for path in sorted(root.glob(pattern)):
            release = _version(path) or date_in_text(path.parent.name)
            out.append(
                describe(
                    sources,
                    path,
                    "CPIC (via PharmCAT)",
                    role,
                    release,
                    "CC0 1.0 (CPIC content); PharmCAT packaging MPL-2.0",
                    ATTRIBUTION["CPIC"],
                )  # fmt: skip
            )
    return out
