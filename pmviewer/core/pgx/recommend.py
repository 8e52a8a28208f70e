"""CPIC recommendations for the phenotypes called (lookup-key matching, single- and multi-gene)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

NO_RESULT = "No Result"

# The drug view's groups, in the order a prescriber reads them. UNCLASSIFIED is for a
# recommendation whose CPIC flags are unknown (a knowledge file or JSON from before they were
# kept): its full text is shown, never filed under "use as directed".
AVOID = "avoid"
ADJUST = "adjust dose"
UNCLASSIFIED = "see recommendation text"
AS_DIRECTED = "use as directed"
NO_RECOMMENDATION = "no recommendation"
ACTIONS = (AVOID, ADJUST, UNCLASSIFIED, AS_DIRECTED, NO_RECOMMENDATION)


def action_of(
    strength: str | None, text: str | None, alternate: int | None, dosing: int | None
) -> str:
    """The drug-view group of one CPIC recommendation, from CPIC's own flags.

    CPIC marks each recommendation ``alternateDrugAvailable`` (an alternative drug is
    recommended: "avoid") and ``dosingInformation`` (the dose is to be changed: "adjust
    dose"); a recommendation classified "No recommendation" (or whose text says so) has none;
    everything else is the labelled use of the drug. Without the flags the group is
    :data:`UNCLASSIFIED`.
    """
    body = (text or "").strip().lower()
    if (strength or "").strip().lower() in ("no recommendation", "n/a") or body.startswith(
        ("no recommendation", "xn is not a valid input")
    ):
        return NO_RECOMMENDATION
    if alternate is None and dosing is None:
        return UNCLASSIFIED
    if alternate:
        return AVOID
    if dosing:
        return ADJUST
    return AS_DIRECTED


def recommendations_for(
    conn: sqlite3.Connection,
    lookup_keys: Mapping[str, str | set[str]],
    uncalled: set[str] | None = None,
) -> dict[str, list[dict]]:
    """Recommendations whose every lookup-key gene has a matching key.

    Parameters
    ----------
    lookup_keys
        ``{gene: lookup key}`` for the genes called unambiguously (phenotype name or activity
        score, as the CPIC diplotype table gives it). A gene may have several keys: HLA-B
        carriage is one key per allele CPIC asks about (``*57:01 positive``, ``*58:01
        negative``, ...), each matching that allele's recommendations.
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
    keys_of = {g: {k} if isinstance(k, str) else set(k) for g, k in lookup_keys.items()}
    out: dict[str, list[dict]] = {gene: [] for gene in keys_of}
    if not keys_of:
        return out
    uncalled_set = set(uncalled or ()) - set(keys_of)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(pgx_recommendation)")}
    flags = (
        "alternate_drug, dosing_information, other_guidance"
        if "alternate_drug" in columns
        else "NULL, NULL, NULL"
    )
    rows = conn.execute(
        "SELECT drug, genes, lookup_key, population, strength, text, implications, guideline, "
        f"pmids, {flags} FROM pgx_recommendation ORDER BY drug, id"
    ).fetchall()
    for (
        drug, genes, key_json, population, strength, text, implications, guideline, pmids,
        alternate, dosing, other,
    ) in rows:  # fmt: skip
        key = json.loads(key_json)
        if not any(g in keys_of for g in key):
            continue
        if not all(
            v in keys_of.get(g, ()) or (v == NO_RESULT and g in uncalled_set)
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
            "action": action_of(strength, text, alternate, dosing),
            "other_guidance": bool(other),
        }
        for gene in key:
            if gene in keys_of:
                out[gene].append(rec)
    return out
