"""Diplotype -> allele functions, CPIC phenotype, activity score and recommendation lookup key."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Phenotype:
    """CPIC phenotype, activity score and recommendation lookup key of one diplotype."""

    phenotype: str | None
    activity_score: float | None
    lookup_key: str | None
    diplotype_in_table: bool


def allele_functions(conn: sqlite3.Connection, gene: str, names: list[str]) -> dict[str, dict]:
    """Function (and activity value) of each allele; unknown names say so instead of 'normal'."""
    out: dict[str, dict] = {}
    for name in dict.fromkeys(names):
        row = conn.execute(
            "SELECT function, activity_value FROM pgx_allele_function WHERE gene = ? AND allele = ?",
            (gene, name),
        ).fetchone()
        if row is None:
            out[name] = {"function": "function unknown in bundled table", "activity_value": None}
        else:
            out[name] = {"function": row[0], "activity_value": _number(row[1])}
    return out


def _number(value: object) -> float | None:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def lookup_diplotype(
    conn: sqlite3.Connection, gene: str, allele1: str, allele2: str | None
) -> Phenotype:
    """CPIC phenotype for a diplotype (``allele2`` None for a single hemizygous allele)."""
    names = sorted(n for n in (allele1, allele2) if n is not None)
    if len(names) == 1:
        row = conn.execute(
            "SELECT phenotype, activity_score, lookup_key FROM pgx_diplotype "
            "WHERE gene = ? AND allele1 = ? AND allele2 IS NULL",
            (gene, names[0]),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT phenotype, activity_score, lookup_key FROM pgx_diplotype "
            "WHERE gene = ? AND allele1 = ? AND allele2 = ?",
            (gene, names[0], names[1]),
        ).fetchone()
    if row is None:
        return Phenotype(None, None, None, False)
    return Phenotype(row[0], _number(row[1]), row[2], True)


def lowest_function_pair(functions: dict[str, dict], haplotypes: list[str]) -> list[str]:
    """The two alleles with the lowest activity value (CPIC DPYD rule for unphased data).

    Amstutz et al. 2018 (PMID 29152729): with unknown phase, the DPYD activity score is
    calculated from the two variants of lowest function; PharmCAT's DpydAlleleMatcher sorts
    the found alleles by activity the same way. Unknown activity sorts last.
    """

    def key(name: str) -> tuple[float, str]:
        value = functions.get(name, {}).get("activity_value")
        return (value if value is not None else 99.0, name)

    return sorted(haplotypes, key=key)[:2]
