"""The PGx knowledge tables built from the PharmCAT/CPIC snapshot."""

from __future__ import annotations

import json
import re
import sqlite3

from pmviewer.core.knowledge.build.pgx_tables import (
    PGX_SCHEMA_TABLES,
    build_pgx_tables,
    html_to_text,
)


def _dump(conn: sqlite3.Connection) -> list[tuple]:
    rows = []
    for table in PGX_SCHEMA_TABLES:
        rows.extend((table, *r) for r in conn.execute(f"SELECT * FROM {table}"))
    return rows


def test_every_table_filled_and_build_is_deterministic(pgx_conn, knowledge_sources):
    again = sqlite3.connect(":memory:")
    counts = build_pgx_tables(again, knowledge_sources)
    assert set(counts) == set(PGX_SCHEMA_TABLES)
    assert all(n > 0 for n in counts.values()), counts
    assert _dump(again) == _dump(pgx_conn)
    # building twice into the same file replaces, never duplicates
    assert build_pgx_tables(again, knowledge_sources) == counts


def test_definitions_match_the_source_json(pgx_conn, knowledge_sources):
    src = json.loads(
        (knowledge_sources / "pgx/pharmcat/allele_definitions/CYP2C19_translation.json").read_text()
    )
    n_pos = pgx_conn.execute("SELECT COUNT(*) FROM pgx_position WHERE gene='CYP2C19'").fetchone()
    assert n_pos[0] == len(src["variants"])
    ref = pgx_conn.execute(
        "SELECT name FROM pgx_named_allele WHERE gene='CYP2C19' AND is_reference=1"
    ).fetchall()
    assert ref == [(next(a["name"] for a in src["namedAlleles"] if a["reference"]),)]
    star2 = next(a for a in src["namedAlleles"] if a["name"] == "*2")
    cells, score = pgx_conn.execute(
        "SELECT alleles, score FROM pgx_named_allele WHERE gene='CYP2C19' AND name='*2'"
    ).fetchone()
    assert json.loads(cells) == star2["alleles"]
    assert score == sum(1 for x in star2["alleles"] if x is not None)


def test_not_callable_genes_are_flagged(pgx_conn):
    rows = dict(
        pgx_conn.execute(
            "SELECT gene, callable FROM pgx_gene WHERE gene IN "
            "('CYP2D6','HLA-A','HLA-B','CYP2C19','DPYD')"
        ).fetchall()
    )
    assert rows == {"CYP2D6": 0, "HLA-A": 0, "HLA-B": 0, "CYP2C19": 1, "DPYD": 1}


def test_exemptions_and_special_rules_loaded(pgx_conn):
    rules = {
        (g, r) for g, r in pgx_conn.execute("SELECT gene, rule FROM pgx_special_rule").fetchall()
    }
    assert ("G6PD", "ignoredPositions") in rules
    assert ("NAT2", "unphasedDiplotypePriorities") in rules
    assert ("DPYD", "lowestFunctionPair") in rules
    ignored = pgx_conn.execute(
        "SELECT pos FROM pgx_position WHERE gene='RYR1' AND ignored=1"
    ).fetchall()
    assert ignored == [(38580126,)]


def test_phenotype_tables_current_and_older(pgx_conn):
    src = dict(pgx_conn.execute("SELECT gene, phenotype_source FROM pgx_gene").fetchall())
    assert src["CYP2C19"] == "current"
    assert src["G6PD"] == src["RYR1"] == src["CYP2D6"] == "older"
    row = pgx_conn.execute(
        "SELECT phenotype, activity_score, lookup_key FROM pgx_diplotype "
        "WHERE gene='DPYD' AND diplotype='Reference/Reference'"
    ).fetchone()
    assert row == ("Normal Metabolizer", "2.0", "2.0")
    hemi = pgx_conn.execute(
        "SELECT COUNT(*) FROM pgx_diplotype WHERE gene='G6PD' AND allele2 IS NULL"
    ).fetchone()[0]
    assert hemi > 0  # hemizygous G6PD rows


def test_recommendations_are_plain_cpic_text(pgx_conn):
    rows = pgx_conn.execute(
        "SELECT drug, genes, lookup_key, strength, text, guideline, pmids FROM pgx_recommendation"
    ).fetchall()
    assert len(rows) > 1000
    for _drug, genes, key, _strength, text, guideline, _pmids in rows:
        assert not re.search(r"<[a-zA-Z/][^>]*>", text), text  # no HTML tags left
        assert "&gt;" not in text and "&amp;" not in text, text
        assert not guideline.startswith("Annotation of"), guideline
        assert "pharmgkb" not in (text + guideline).lower()
        assert set(json.loads(key)) == set(genes.split(";"))
        assert guideline
    # every guideline file but one (nitrofurantoin, no citation in the source) cites PMIDs
    assert {d for d, *_r, p in rows if not p} <= {"nitrofurantoin"}
    clopidogrel = {
        (k, s)
        for d, _g, k, s, *_ in rows
        if d == "clopidogrel" and json.loads(k).get("CYP2C19") == "Poor Metabolizer"
    }
    assert clopidogrel and all(s for _, s in clopidogrel)


def test_recommendation_keys_exist_in_phenotype_tables(pgx_conn):
    """The 2024-03 guideline keys must still be 2025-11 phenotype names (SOURCES.md 4c)."""
    known: dict[str, set[str]] = {}
    for gene, key in pgx_conn.execute("SELECT DISTINCT gene, lookup_key FROM pgx_diplotype"):
        known.setdefault(gene, set()).add(key)
    callable_genes = {g for (g,) in pgx_conn.execute("SELECT gene FROM pgx_gene WHERE callable=1")}
    unknown = set()
    for (key,) in pgx_conn.execute("SELECT DISTINCT lookup_key FROM pgx_recommendation"):
        for gene, value in json.loads(key).items():
            if gene in callable_genes and gene in known and value != "No Result":
                if value not in known[gene]:
                    unknown.add((gene, value))
    assert unknown == set()


def test_html_to_text():
    html = "<p>Use &gt;50% <em>lower</em> dose.</p>\n<h4 id='x'>Other</h4><p>A &amp; B</p>"
    assert html_to_text(html) == "Use >50% lower dose.\nOther\nA & B"
