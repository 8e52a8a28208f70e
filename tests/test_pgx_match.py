"""The named-allele matcher on genotypes synthesised from the CPIC definitions themselves."""

from __future__ import annotations

import random

import pytest

from pmviewer.core.pgx.match import (
    IUPAC,
    SampleCall,
    apply_priorities,
    load_definition,
    match_gene,
)

GENES = ["CYP2B6", "CYP2C19", "CYP2C9", "CYP3A5", "NUDT15", "SLCO1B1", "TPMT", "UGT1A1", "NAT2"]


def _sequence(defn, allele) -> tuple[str, ...]:
    """The allele's base at every position (blank = reference, wobble = its first base)."""
    ref = next(a for a in defn.alleles if a.is_reference)
    out = []
    for locus, cell, ref_cell in zip(defn.loci, allele.cells, ref.cells, strict=True):
        value = cell if cell is not None else ref_cell
        if value is None:
            value = locus.ref
        elif value in IUPAC:
            value = sorted(IUPAC[value])[0]
        out.append(value)
    return tuple(out)


def _sample(defn, seq_a, seq_b, phased: bool) -> dict[int, SampleCall]:
    return {
        locus.pos: SampleCall((a, b), phased=phased)
        for locus, a, b in zip(defn.loci, seq_a, seq_b, strict=True)
    }


def _score(defn, name) -> int:
    allele = next(a for a in defn.alleles if a.name == name)
    return sum(1 for c in allele.cells if c is not None)


@pytest.mark.parametrize("gene", GENES)
def test_synthetic_diplotypes(pgx_conn, gene):
    defn = load_definition(pgx_conn, gene)
    rng = random.Random(gene)
    named = [a for a in defn.alleles if not a.is_reference]
    ref = next(a for a in defn.alleles if a.is_reference)
    for _ in range(25):
        a, b = ref if rng.random() < 0.3 else rng.choice(named), rng.choice(named)
        seq_a, seq_b = _sequence(defn, a), _sequence(defn, b)
        phased = match_gene(defn, _sample(defn, seq_a, seq_b, phased=True))
        assert phased.diplotypes, (a.name, b.name)
        assert phased.score >= _score(defn, a.name) + _score(defn, b.name)
        for x, y in phased.diplotypes:
            assert _explains(defn, x, y, seq_a, seq_b), (a.name, b.name, x, y)
        unphased = match_gene(defn, _sample(defn, seq_a, seq_b, phased=False))
        assert unphased.diplotypes, (a.name, b.name)
        # never worse than the truth, and every reported pair explains the genotypes
        assert unphased.score >= _score(defn, a.name) + _score(defn, b.name)
        for x, y in unphased.diplotypes:
            assert _explains_unphased(defn, x, y, seq_a, seq_b), (a.name, b.name, x, y)


def _cell_ok(cell, base):
    return cell == base or (cell in IUPAC and base in IUPAC[cell])


def _filled(defn, name):
    ref = next(a for a in defn.alleles if a.is_reference)
    allele = next(a for a in defn.alleles if a.name == name)
    return [
        c if c is not None else (r if r not in IUPAC else loc.ref)
        for c, r, loc in zip(allele.cells, ref.cells, defn.loci, strict=True)
    ]


def _explains(defn, x, y, seq_a, seq_b) -> bool:
    fx, fy = _filled(defn, x), _filled(defn, y)
    straight = all(
        _cell_ok(p, s) and _cell_ok(q, t) for p, q, s, t in zip(fx, fy, seq_a, seq_b, strict=True)
    )
    flipped = all(
        _cell_ok(p, t) and _cell_ok(q, s) for p, q, s, t in zip(fx, fy, seq_a, seq_b, strict=True)
    )
    return straight or flipped


def _explains_unphased(defn, x, y, seq_a, seq_b) -> bool:
    fx, fy = _filled(defn, x), _filled(defn, y)
    return all(
        (_cell_ok(p, s) and _cell_ok(q, t)) or (_cell_ok(p, t) and _cell_ok(q, s))
        for p, q, s, t in zip(fx, fy, seq_a, seq_b, strict=True)
    )


def test_nat2_unphased_priorities(pgx_conn):
    """exemptions.json: a NAT2 tie listed there resolves to its pick; other ties stay ties."""
    defn = load_definition(pgx_conn, "NAT2")
    for rule in defn.priorities:
        tie = [tuple(d.split("/")) for d in reversed(rule["list"])]
        assert apply_priorities(defn, tie) == [tuple(rule["pick"].split("/"))]
    other = [("*1", "*6"), ("*1", "*15")]
    assert apply_priorities(defn, other) == other
    assert apply_priorities(load_definition(pgx_conn, "CYP2C19"), other) == other
