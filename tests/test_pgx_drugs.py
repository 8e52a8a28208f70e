"""The drug view's groups come from CPIC's own flags, read independently from the raw files."""

from __future__ import annotations

import json

import pytest

from pmviewer.core.pgx import UNCLASSIFIED, apply_outside_calls, drug_view, read_outside_calls


def _raw_flags(knowledge_sources, name: str, gene: str, key: str) -> dict:
    path = knowledge_sources / f"pgx/pharmcat/cpic_guidelines_2024-03/{name}.json"
    for rec in json.loads(path.read_text())["recommendations"]:
        if rec["lookupKey"] == {gene: key}:
            return rec
    raise AssertionError(f"no {gene} {key} in {name}")


@pytest.mark.parametrize(
    ("diplotype", "score_key", "expected"),
    [("*1x2/*1", "3.0", "avoid"), ("*1/*4", "1.0", "use as directed"), ("*4/*4", "0.0", "avoid")],
)
def test_codeine_group_follows_cpic_flags(
    pgx_conn, knowledge_sources, tmp_path, diplotype, score_key, expected
):
    raw = _raw_flags(knowledge_sources, "CPIC_codeine_and_CYP2D6", "CYP2D6", score_key)
    flag_group = (
        "avoid"
        if raw["alternateDrugAvailable"]
        else "adjust dose"
        if raw["dosingInformation"]
        else "use as directed"
    )
    assert flag_group == expected  # the expectation is CPIC's, not ours
    tsv = tmp_path / "c.tsv"
    tsv.write_text(f"CYP2D6\t{diplotype}\n", encoding="utf-8")
    results = apply_outside_calls(pgx_conn, [], read_outside_calls(tsv, pgx_conn))
    (codeine,) = [r for r in drug_view([r.to_json() for r in results]) if r.drug == "codeine"]
    assert codeine.action == expected
    assert codeine.strength == raw["classification"]["term"]
    assert codeine.non_standard == (expected != "use as directed")
    assert f"(activity score {score_key})" in codeine.phenotype


def test_every_bundled_recommendation_has_cpic_flags(pgx_conn):
    missing = pgx_conn.execute(
        "SELECT COUNT(*) FROM pgx_recommendation WHERE alternate_drug IS NULL OR dosing_information IS NULL"
    ).fetchone()[0]
    assert missing == 0


def test_entry_without_flags_is_never_standard_use():
    entry = {
        "gene": "CYP2C19",
        "phenotype": "Poor Metabolizer",
        "callable": True,
        "recommendations": [
            {
                "drug": "clopidogrel",
                "text": "Avoid clopidogrel if possible.",
                "strength": "Strong",
                "genes": ["CYP2C19"],
            },
            {
                "drug": "pantoprazole",
                "text": "No recommendation",
                "strength": "No recommendation",
                "genes": ["CYP2C19"],
            },
        ],
    }
    rows = {r.drug: r for r in drug_view([entry])}
    assert rows["clopidogrel"].action == UNCLASSIFIED and rows["clopidogrel"].non_standard
    assert rows["pantoprazole"].action == "no recommendation"


def test_uncalled_gene_gives_no_drug_row():
    entry = {"gene": "CYP2D6", "callable": False, "recommendations": []}
    assert drug_view([entry]) == []
