"""CPIC recommendations for the phenotypes called (lookup-key matching, single- and multi-gene)."""

from __future__ import annotations

import json
import sqlite3

NO_RESULT = "No Result"


def recommendations_for(
    conn: sqlite3.Connection, lookup_keys: dict[str, str], uncalled: set[str] | None = None
) -> dict[str, list[dict]]:
    """Recommendations whose every lookup-key gene has a matching key.

    Parameters
    ----------
    lookup_keys
        ``{gene: lookup key}`` for the genes called unambiguously (phenotype name or activity
        score, as the CPIC diplotype table gives it).
    uncalled
        Genes without a usable call (not callable from the file, no data, ambiguous). CPIC's
        multi-gene recommendations have rows for a gene with "No Result" (e.g. a TCA with
        CYP2C19 known and CYP2D6 unknown); those rows apply to these genes. A recommendation
        is only given when at least one of its genes was called.

    Returns
    -------
    dict
        ``{gene: [recommendation dict, ...]}``; a multi-gene recommendation (e.g. thiopurines
        and TPMT + NUDT15) is listed under each of its genes.
    """
    out: dict[str, list[dict]] = {gene: [] for gene in lookup_keys}
    if not lookup_keys:
        return out
    uncalled_set = set(uncalled or ()) - set(lookup_keys)
    rows = conn.execute(
        "SELECT drug, genes, lookup_key, population, strength, text, implications, guideline, "
        "pmids FROM pgx_recommendation ORDER BY drug, id"
    ).fetchall()
    for drug, genes, key_json, population, strength, text, implications, guideline, pmids in rows:
        key = json.loads(key_json)
        if not any(g in lookup_keys for g in key):
            continue
        if not all(
            lookup_keys.get(g) == v or (v == NO_RESULT and g in uncalled_set)
            for g, v in key.items()
        ):
            continue
        pmid_list = [p for p in (pmids or "").split(";") if p]
        rec = {
            "drug": drug,
            "text": text,
            "strength": strength,
            "guideline": f"CPIC: {guideline}" + (f" (PMID {pmid_list[0]})" if pmid_list else ""),
            "population": population,
            "genes": genes.split(";"),
            "lookup_key": key,
            "implications": json.loads(implications or "[]"),
            "pmids": pmid_list,
        }
        for gene in key:
            if gene in lookup_keys:
                out[gene].append(rec)
    return out
