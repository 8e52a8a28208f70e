"""ACMG SF gene-condition table (``acmg_sf/*gene_condition*.tsv``).

One row per gene-condition pair; the gene summary joins the conditions of a gene. The
``report_rule`` codes are defined in ``knowledge-sources/SOURCES.md`` section 1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import cast

from pmviewer.core.errors import KnowledgeError
from pmviewer.core.knowledge.build.common import (
    ATTRIBUTION,
    SourceFile,
    date_in_text,
    describe,
    newest_file,
    read_tsv,
)

REQUIRED = ("gene", "disease", "inheritance", "report_rule", "in_sf_v3_2", "in_sf_v3_3")


def _flag(value: str) -> int:
    return 1 if value.strip().lower() in ("yes", "y", "true", "1") else 0


def load(sources: Path) -> tuple[list[dict[str, object]], SourceFile]:
    """Gene-condition rows (sorted by gene, then file order) and the source description."""
    path = newest_file(sources, "acmg_sf", "*gene_condition*.tsv")
    rows: list[dict[str, object]] = []
    per_gene: dict[str, int] = {}
    for line_no, raw in enumerate(read_tsv(path), start=2):
        missing = [c for c in REQUIRED if c not in raw]
        if missing:
            raise KnowledgeError(f"{path.name} lacks the column(s) {', '.join(missing)}.")
        if not raw["gene"]:
            continue
        if not raw["report_rule"]:
            raise KnowledgeError(f"{path.name} line {line_no}: {raw['gene']} has no report_rule.")
        index = per_gene.get(raw["gene"], 0)
        per_gene[raw["gene"]] = index + 1
        rows.append(
            {
                "gene": raw["gene"],
                "condition_index": index,
                "hgnc_id": raw.get("hgnc_id"),
                "ncbi_gene_id": raw.get("ncbi_gene_id"),
                "gene_mim": raw.get("gene_mim"),
                "disease": raw["disease"],
                "disorder_mim": raw.get("disorder_mim"),
                "category": raw.get("category"),
                "inheritance": raw["inheritance"],
                "sf_version_added": raw.get("sf_version_added"),
                "in_sf_v3_2": _flag(raw["in_sf_v3_2"]),
                "in_sf_v3_3": _flag(raw["in_sf_v3_3"]),
                "report_rule": raw["report_rule"],
                "variants_to_report": raw.get("variants_to_report_as_stated"),
                "mane_select_refseq": raw.get("mane_select_refseq"),
                "mane_select_ensembl": raw.get("mane_select_ensembl"),
                "notes": raw.get("notes") or None,
            }
        )
    rows.sort(key=lambda r: (str(r["gene"]), int(r["condition_index"])))  # type: ignore[call-overload]
    version = "v3.3" if "3.3" in path.name else date_in_text(path.name) or path.stem
    source = describe(
        sources, path, "ACMG SF",
        "secondary-findings genes, conditions, inheritance and reporting rules", version,
        "facts (gene, inheritance, MIM numbers, reporting rule); table written for pmviewer",
        ATTRIBUTION["ACMG SF"],
    )  # fmt: skip
    return rows, source


def gene_summary(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    """Per gene: the first condition's facts plus every condition and MIM joined with '; '."""
    genes: dict[str, dict[str, object]] = {}
    for row in rows:
        gene = str(row["gene"])
        if gene not in genes:
            genes[gene] = {
                "report_rule": row["report_rule"],
                "inheritance": row["inheritance"],
                "category": row["category"],
                "gene_mim": row["gene_mim"],
                "in_sf_v3_2": row["in_sf_v3_2"],
                "in_sf_v3_3": row["in_sf_v3_3"],
                "conditions": [],
                "disorder_mims": [],
                "rules": set(),
                "inheritances": set(),
            }
        entry = genes[gene]
        entry["conditions"].append(row["disease"])  # type: ignore[attr-defined]
        entry["disorder_mims"].append(row["disorder_mim"] or "")  # type: ignore[attr-defined]
        entry["rules"].add(row["report_rule"])  # type: ignore[attr-defined]
        entry["inheritances"].add(row["inheritance"])  # type: ignore[attr-defined]
        entry["in_sf_v3_2"] = max(int(entry["in_sf_v3_2"]), int(row["in_sf_v3_2"]))  # type: ignore[call-overload]
    for gene, entry in genes.items():
        # a gene with conditions under different rules would need a per-condition decision
        if len(entry["rules"]) > 1:  # type: ignore[arg-type]
            raise KnowledgeError(f"ACMG SF gene {gene} has conflicting report rules.")
        if len(entry["inheritances"]) > 1:  # type: ignore[arg-type]
            entry["inheritance"] = "/".join(sorted(cast(set[str], entry["inheritances"])))
        entry["conditions"] = "; ".join(entry["conditions"])  # type: ignore[arg-type]
        entry["disorder_mims"] = "; ".join(entry["disorder_mims"])  # type: ignore[arg-type]
        del entry["rules"], entry["inheritances"]
    return genes


def insert(conn: sqlite3.Connection, rows: list[dict[str, object]]) -> int:
    columns = list(rows[0])
    conn.executemany(
        f"INSERT INTO gene_conditions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(r[c] for c in columns) for r in rows],
    )
    return len(rows)
