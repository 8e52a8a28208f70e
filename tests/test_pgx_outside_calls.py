"""Outside pharmacogenomic calls (PharmCAT outside-call TSV), checked against PharmCAT's own
report for its example: ``examples/pharmcat.example.vcf`` run with
``pharmcat.example.outsideCall.tsv`` gives ``pharmcat.example.report.json`` (knowledge-sources
SOURCES.md 4e)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from pgx_testdata import table_from_vcf, write_vcf

from pmviewer.core.pgx import (
    OutsideCallError,
    apply_outside_calls,
    call_pgx,
    drug_view,
    read_outside_calls,
    with_outside_calls,
)

OUTSIDE_GENES = {"CYP2D6", "HLA-A", "HLA-B", "MT-RNR1"}


@pytest.fixture(scope="module")
def example(knowledge_sources):
    return knowledge_sources / "pgx/pharmcat/examples"


def _tsv(tmp_path, text, name="calls.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _example_results(pgx_conn, example):
    results = call_pgx(table_from_vcf(example / "pharmcat.example.vcf"), pgx_conn, "GRCh38")
    calls = read_outside_calls(example / "pharmcat.example.outsideCall.tsv", pgx_conn)
    return apply_outside_calls(pgx_conn, results, calls)


def test_example_outside_calls_match_pharmcats_report(pgx_conn, example):
    report = json.loads((example / "pharmcat.example.report.json").read_text())
    by_gene = {r.gene: r for r in _example_results(pgx_conn, example)}
    for gene in ("CYP2D6", "HLA-B"):
        theirs = report["genes"][gene]
        assert theirs["callSource"] == "OUTSIDE"
        (dip,) = theirs["recommendationDiplotypes"]
        ours = by_gene[gene]
        assert ours.source == "outside" and ours.diplotype == dip["label"]
        assert sorted(ours.lookup_keys or [ours.lookup_key]) == sorted(dip["lookupKey"])
        if gene == "CYP2D6":
            assert ours.phenotype == dip["phenotypes"][0]
            assert f"{ours.activity_score:.1f}" == theirs["sourceDiplotypes"][0]["activityScore"]
        else:
            assert ours.phenotype.split("; ") == dip["phenotypes"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:60]


def test_example_drug_recommendations_match_pharmcats_report(pgx_conn, example):
    """Every CPIC recommendation PharmCAT gives from the outside genes, same text and strength.

    Known, explained differences: PharmCAT 3 reads MT-RNR1 ``1555A>G`` as "n/a" (its allele
    names are written ``m.1555A>G``) and so gives no aminoglycoside recommendation, where the
    same allele is recognised here; metoprolol's CPIC guideline (2024) is newer than the
    bundled recommendations (2024-03)."""
    ours: dict[str, set] = {}
    for r in _example_results(pgx_conn, example):
        if r.gene in OUTSIDE_GENES:
            for rec in r.recommendations:
                ours.setdefault(rec["drug"], set()).add((rec["strength"], _norm(rec["text"])))
    report = json.loads((example / "pharmcat.example.report.json").read_text())
    theirs: dict[str, set] = {}
    for drug, entry in report["drugs"]["CPIC Guideline Annotation"].items():
        for guideline in entry["guidelines"]:
            for ann in guideline["annotations"]:
                genes = {
                    d["gene"] for g in ann.get("genotypes", []) for d in g.get("diplotypes", [])
                }
                if genes & OUTSIDE_GENES and ann.get("drugRecommendation"):
                    theirs.setdefault(drug, set()).add(
                        (ann["classification"], _norm(ann["drugRecommendation"]))
                    )
    aminoglycosides = {
        "amikacin", "gentamicin", "kanamycin", "paromomycin", "plazomicin", "streptomycin",
        "tobramycin",
    }  # fmt: skip
    assert set(theirs) - set(ours) == {"metoprolol"}
    assert set(ours) - set(theirs) == aminoglycosides
    assert len(set(ours) & set(theirs)) >= 20
    for drug in set(ours) & set(theirs):
        assert ours[drug] == theirs[drug], drug


def test_mt_rnr1_1555_gives_the_aminoglycoside_recommendation(pgx_conn, tmp_path):
    calls = read_outside_calls(_tsv(tmp_path, "MT-RNR1\t1555A>G\n"), pgx_conn)
    (res,) = apply_outside_calls(pgx_conn, [], calls)
    assert res.diplotype == "m.1555A>G"
    assert res.phenotype == "increased risk of aminoglycoside-induced hearing loss"
    drugs = {r["drug"] for r in res.recommendations}
    assert {"amikacin", "gentamicin", "tobramycin"} <= drugs
    assert all(r["text"].startswith("Avoid aminoglycoside") for r in res.recommendations)


def test_hla_a_3101_with_hla_b_gives_the_two_gene_carbamazepine_row(pgx_conn, tmp_path):
    text = "HLA-A\t*31:01/*02:01\nHLA-B\t*07:02/*08:01\n"
    results = apply_outside_calls(pgx_conn, [], read_outside_calls(_tsv(tmp_path, text), pgx_conn))
    rows = [r for r in drug_view([r.to_json() for r in results]) if r.drug == "carbamazepine"]
    assert rows and all("HLA-A *31:01 positive" in r.phenotype for r in rows)
    assert any(r.action == "avoid" for r in rows)
    allopurinol = [r for r in drug_view([r.to_json() for r in results]) if r.drug == "allopurinol"]
    assert [r.action for r in allopurinol] == ["use as directed"]  # *58:01 negative


def test_unknown_allele_gene_and_duplicate_are_refused_with_line_numbers(pgx_conn, tmp_path):
    text = (
        "# comment\n"
        "CYP2D6\t*1/*999\n"
        "CYP2D7\t*1/*1\n"
        "HLA-B\t57:01\n"
        "CYP2C19\t*1/*2\tNormal Metabolizer\n"
        "CYP2C19\t*1/*1\n"
        "CYP2C9\t*1/*1\t\tlots\n"
    )
    with pytest.raises(OutsideCallError) as err:
        read_outside_calls(_tsv(tmp_path, text), pgx_conn)
    message = str(err.value)
    assert "line 2: '*999' is not a CYP2D6 allele" in message
    assert "line 3: gene 'CYP2D7'" in message
    assert "line 4: '57:01' is not an HLA allele name" in message
    assert "line 6: CYP2C19 is already given on line 5" in message
    assert "line 7: activity score 'lots' is not a number" in message
    assert "no call from it was applied" in message


def test_not_a_cpic_phenotype_and_empty_file_are_refused(pgx_conn, tmp_path):
    with pytest.raises(OutsideCallError, match="'Fast Metabolizer' is not a CPIC phenotype"):
        read_outside_calls(_tsv(tmp_path, "CYP2D6\t*1/*1\tFast Metabolizer\n"), pgx_conn)
    with pytest.raises(OutsideCallError, match="has no calls"):
        read_outside_calls(_tsv(tmp_path, "# nothing\n\n", "empty.tsv"), pgx_conn)
    with pytest.raises(OutsideCallError, match="cannot be read"):
        read_outside_calls(tmp_path / "missing.tsv", pgx_conn)


def test_phenotype_and_activity_score_are_derived_from_cpic_tables(pgx_conn, tmp_path):
    calls = read_outside_calls(_tsv(tmp_path, "gene\tdiplotype\nCYP2D6\t*1x2/*1\n"), pgx_conn)
    (res,) = apply_outside_calls(pgx_conn, [], calls)
    row = pgx_conn.execute(
        "SELECT phenotype, activity_score FROM pgx_diplotype WHERE gene='CYP2D6' AND "
        "allele1='*1' AND allele2='*1x2'"
    ).fetchone()
    assert (res.phenotype, res.activity_score) == (row[0], float(row[1]))
    assert res.lookup_key == row[1] and res.conflict is None
    assert {r["drug"] for r in res.recommendations} >= {"codeine", "tramadol", "tamoxifen"}
    codeine = [r for r in res.recommendations if r["drug"] == "codeine"]
    assert codeine[0]["text"].startswith("Avoid codeine")  # ultrarapid: CPIC avoid


def test_contradicting_phenotype_is_flagged_not_hidden(pgx_conn, tmp_path):
    text = "CYP2D6\t*4/*4\tNormal Metabolizer\t2.0\n"
    (res,) = apply_outside_calls(pgx_conn, [], read_outside_calls(_tsv(tmp_path, text), pgx_conn))
    assert "contradicts its diplotype *4/*4" in res.conflict
    assert "Poor Metabolizer" in res.conflict  # what CPIC's table says
    assert res.phenotype == "Normal Metabolizer"  # as the outside laboratory reported it
    assert "contradicts" in res.note


def test_outside_call_replaces_vcf_call_and_a_conflict_is_shown(pgx_conn, tmp_path):
    vcf = write_vcf(
        tmp_path / "s2.vcf",
        ["chr10 94775367 A G 0/1", "chr10 94781859 G A 0/1", "chr10 94842866 A G 1/1"],
    )
    results = call_pgx(table_from_vcf(vcf), pgx_conn, "GRCh38")
    vcf_2c19 = next(r for r in results if r.gene == "CYP2C19")
    assert "*2" in vcf_2c19.diplotype
    same = apply_outside_calls(
        pgx_conn,
        results,
        read_outside_calls(_tsv(tmp_path, f"CYP2C19\t{vcf_2c19.diplotype}\n"), pgx_conn),
    )
    agreed = next(r for r in same if r.gene == "CYP2C19")
    assert agreed.conflict is None and "Agrees with the call from the VCF" in agreed.note
    other = apply_outside_calls(
        pgx_conn,
        results,
        read_outside_calls(_tsv(tmp_path, "CYP2C19\t*17/*17\n", "b.tsv"), pgx_conn),
    )
    replaced = next(r for r in other if r.gene == "CYP2C19")
    assert replaced.source == "outside" and replaced.diplotype == "*17/*17"
    assert replaced.vcf_call["diplotype"] == vcf_2c19.diplotype
    assert f"The VCF gives {vcf_2c19.diplotype}" in replaced.conflict
    assert replaced.phenotype == "Ultrarapid Metabolizer"
    # genes not in the file keep their VCF call
    assert next(r for r in other if r.gene == "DPYD").source == "vcf"


def test_with_outside_calls_on_json_entries_and_reimport(pgx_conn, example):
    results = call_pgx(table_from_vcf(example / "pharmcat.example.vcf"), pgx_conn, "GRCh38")
    entries = [r.to_json() for r in results]
    path = example / "pharmcat.example.outsideCall.tsv"
    once = with_outside_calls(pgx_conn, entries, path)
    twice = with_outside_calls(pgx_conn, once, path)
    assert once == twice  # importing the same file again changes nothing
    cyp2d6 = next(e for e in once if e["gene"] == "CYP2D6")
    assert cyp2d6["source"] == "outside" and cyp2d6["source_file"] == path.name
    import hashlib

    assert cyp2d6["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_annotate_cli_json_names_the_source_of_each_call(example, tmp_path):
    out = tmp_path / "out.json"
    subprocess.run(
        [
            sys.executable, "-m", "pmviewer", "annotate", str(example / "pharmcat.example.vcf"),
            "--build", "GRCh38", "--pgx-calls", str(example / "pharmcat.example.outsideCall.tsv"),
            "-o", str(out),
        ],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    pgx = {p["gene"]: p for p in json.loads(out.read_text())["pgx"]}
    assert {g for g, p in pgx.items() if p["source"] == "outside"} == {"CYP2D6", "HLA-B", "MT-RNR1"}
    assert pgx["CYP2C19"]["source"] == "vcf" and pgx["CYP2C19"]["source_file"] is None
    assert len(pgx["HLA-B"]["source_sha256"]) == 64


def test_annotate_cli_refuses_a_bad_calls_file_in_plain_words(example, tmp_path):
    bad = _tsv(tmp_path, "CYP2D6\t*1/*999\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pmviewer", "annotate", str(example / "pharmcat.example.vcf"),
         "--pgx-calls", str(bad)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "line 1: '*999' is not a CYP2D6 allele" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_phenotype_only_line_reaches_the_phenotype_recommendations(pgx_conn, tmp_path):
    calls = read_outside_calls(_tsv(tmp_path, "CYP2C19\t\tpoor metabolizer\n"), pgx_conn)
    (res,) = apply_outside_calls(pgx_conn, [], calls)
    assert res.phenotype == "Poor Metabolizer" and res.lookup_key == "Poor Metabolizer"
    clopidogrel = [r for r in res.recommendations if r["drug"] == "clopidogrel"]
    assert clopidogrel and clopidogrel[0]["action"] == "avoid"


_GENES = ["CYP2D6", "HLA-B", "MT-RNR1", "CYP2C19", "cyp2c9", "XYZ", ""]
_CELLS = ["*1/*4", "*4", "*57:01", "1555A>G", "*999", "Poor Metabolizer", "1.5", "x", "", "/"]


def test_any_calls_file_is_read_or_refused_in_words(pgx_conn, tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    folder = tmp_path_factory.mktemp("fuzz")
    line = st.lists(st.sampled_from(_CELLS) | st.text(max_size=6), min_size=0, max_size=5).map(
        "\t".join
    )
    gene_line = st.tuples(st.sampled_from(_GENES), line).map(lambda t: f"{t[0]}\t{t[1]}")
    body = st.lists(gene_line | st.just("# note") | st.text(max_size=20), max_size=6).map("\n".join)

    @settings(
        max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(body)
    def check(text):
        path = folder / "fuzz.tsv"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        try:
            parsed = read_outside_calls(path, pgx_conn)
        except OutsideCallError as error:
            assert str(error) and "Traceback" not in str(error)
            return
        results = apply_outside_calls(pgx_conn, [], parsed)
        assert {r.gene for r in results} == {c.gene for c in parsed.calls}
        assert all(r.source == "outside" for r in results)

    check()


def test_hla_carriage_that_contradicts_the_alleles_is_flagged(pgx_conn, tmp_path):
    text = "HLA-B\t*07:02/*08:01\t*57:01 positive\n"
    (res,) = apply_outside_calls(pgx_conn, [], read_outside_calls(_tsv(tmp_path, text), pgx_conn))
    assert "contradicts the diplotype *07:02/*08:01" in res.conflict
    assert "*57:01 positive" in res.lookup_keys and "*58:01 negative" in res.lookup_keys
    abacavir = [r for r in res.recommendations if r["drug"] == "abacavir"]
    assert abacavir and abacavir[0]["action"] == "avoid"
