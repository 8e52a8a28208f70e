"""Detail-panel rows for a pharmacogene: where the call came from, conflicts and notes."""

from __future__ import annotations

from html import escape
from typing import Any


def pgx_source_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, HTML) rows: source of the call (VCF or outside file), conflict, call notes.

    Values are escaped here: they come from files the user chose.
    """
    rows: list[tuple[str, str]] = []
    if result.get("source") == "outside":
        where = f"Outside call: {result.get('source_file') or 'file'}"
        if result.get("source_line"):
            where += f", line {result['source_line']}"
        rows.append(("Source", escape(where)))
        if result.get("source_sha256"):
            rows.append(("File SHA-256", f"<tt>{escape(str(result['source_sha256']))}</tt>"))
        vcf = result.get("vcf_call") or {}
        if vcf.get("diplotype"):
            rows.append(("VCF call", escape(f"{vcf['diplotype']} ({vcf.get('phenotype') or '—'})")))
    else:
        rows.append(("Source", "VCF"))
    if result.get("conflict"):
        rows.append(("Conflict", f"<b style='color:#9B1C1C'>{escape(str(result['conflict']))}</b>"))
    if result.get("note"):
        rows.append(("Notes", escape(str(result["note"]))))
    return rows
