"""ClinGen gene-disease validity (``clingen/*Gene-Disease-Summary*.csv``).

The download has preamble lines and ``+++`` separator rows around the header; the header
row is the one starting with ``GENE SYMBOL``.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    date_in_text,
    describe,
    newest_file,
)

# strongest first (ClinGen gene-disease validity SOP classification terms)
RANK = ("Definitive", "Strong", "Moderate", "Limited", "Disputed", "Refuted",
        "No Known Disease Relationship")  # fmt: skip

COLUMNS = ("gene", "hgnc_id", "disease", "mondo", "moi", "sop", "classification", "report_url",
           "classification_date", "gcep")  # fmt: skip


def load(sources: Path, genes: set[str]) -> tuple[list[dict[str, str]], SourceFile]:
    """Curations of ``genes``, sorted by gene then report URL."""
    path = newest_file(sources, "clingen", "*Gene-Disease*.csv")
    rows: list[dict[str, str]] = []
    with open(path, encoding="utf-8", newline="") as handle:
        header_seen = False
        for raw in csv.reader(handle):
            if not raw or raw[0].startswith("+"):
                continue
            if raw[0].strip().upper() == "GENE SYMBOL":
                header_seen = True
                continue
            if not header_seen or len(raw) < len(COLUMNS):
                continue
            row = dict(zip(COLUMNS, (v.strip() for v in raw), strict=False))
            if row["gene"] in genes:
                rows.append(row)
    rows.sort(key=lambda r: (r["gene"], r["report_url"]))
    source = describe(sources, path, "ClinGen gene-disease validity",
                      "gene-disease validity classification per gene", date_in_text(path.name),
                      "CC0 1.0", ATTRIBUTION["ClinGen"])  # fmt: skip
    return rows, source


def best(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Per gene the strongest classification (ties: the most recent curation)."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        rank = RANK.index(row["classification"]) if row["classification"] in RANK else len(RANK)
        current = out.get(row["gene"])
        if current is None:
            out[row["gene"]] = row
            continue
        cur_rank = (
            RANK.index(current["classification"])
            if current["classification"] in RANK
            else len(RANK)
        )
        if (rank, _neg(row["classification_date"])) < (
            cur_rank,
            _neg(current["classification_date"]),
        ):
            out[row["gene"]] = row
    return out


def _neg(date: str) -> str:
    # invert a date string so that newer sorts first in an ascending comparison
    return "".join(chr(255 - ord(c)) for c in date)


def insert(conn: sqlite3.Connection, rows: list[dict[str, str]]) -> int:
    conn.executemany(
        f"INSERT OR IGNORE INTO clingen_validity ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(COLUMNS))})",
        [tuple(r[c] or None for c in COLUMNS) for r in rows],
    )
    return len(rows)
