"""PGx calling rules on tiny VCFs written here (loaded with the real loader)."""

from __future__ import annotations

import json
import types

import pytest
from pgx_testdata import table_from_vcf, write_vcf

from pmviewer.core.errors import Cancelled
from pmviewer.core.pgx.caller import call_pgx, pgx_regions
from pmviewer.core.progress import CancelToken

CONTRACT_KEYS = {
    "gene",
    "diplotype",
    "phenotype",
    "activity_score",
    "callable",
    "missing_positions",
    "recommendations",
}

# CYP2C19 *2 (chr10): rs12769205 A>G, rs4244285 G>A, and rs3758581 A>G (the *1 background).
STAR2 = ["chr10 94775367 A G 0/1", "chr10 94781859 G A 0/1", "chr10 94842866 A G 1/1"]


def _call(pgx_conn, tmp_path, records, gene, build="GRCh38", name="t.vcf"):
    table = table_from_vcf(write_vcf(tmp_path / name, records))
    results = call_pgx(table, pgx_conn, build)
    return next(r for r in results if r.gene == gene), results


def _blocks(chrom: str, start: int, end: int, variant_positions: list[int], gt="0/0") -> list[str]:
    """gVCF reference blocks covering start..end except the variant positions."""
    out, cur = [], start
    for pos in sorted(variant_positions) + [end + 1]:
        if pos > cur:
            out.append(f"{chrom} {cur} N <NON_REF> {gt} END={pos - 1}")
        cur = pos + 1
    return out


def _sorted_records(records: list[str]) -> list[str]:
    return sorted(records, key=lambda r: (r.split()[0], int(r.split()[1])))


def _phenotype_row(pgx_conn, gene, a1, a2):
    names = sorted(n for n in (a1, a2) if n)
    if len(names) == 1:
        return pgx_conn.execute(
            "SELECT phenotype, activity_score, lookup_key FROM pgx_diplotype "
            "WHERE gene=? AND allele1=? AND allele2 IS NULL",
            (gene, names[0]),
        ).fetchone()
    return pgx_conn.execute(
        "SELECT phenotype, activity_score, lookup_key FROM pgx_diplotype "
        "WHERE gene=? AND allele1=? AND allele2=?",
        (gene, *names),
    ).fetchone()


def test_reference_blocks_prove_reference_and_give_a_full_call(pgx_conn, tmp_path):
    variants = [int(r.split()[1]) for r in STAR2]
    records = _sorted_records(STAR2 + _blocks("chr10", 94760000, 94853000, variants))
    res, _ = _call(pgx_conn, tmp_path, records, "CYP2C19")
    assert res.call_status == "called" and res.callable
    assert res.diplotype == "*1/*2" and res.missing_positions == []
    phenotype, _score, key = _phenotype_row(pgx_conn, "CYP2C19", "*1", "*2")
    assert res.phenotype == phenotype and res.lookup_key == key
    assert res.allele_functions["*2"]["function"]
    drugs = {r["drug"] for r in res.recommendations}
    assert "clopidogrel" in drugs
    for rec in res.recommendations:
        assert rec["lookup_key"]["CYP2C19"] == key
        assert rec["strength"] and rec["text"] and rec["guideline"].startswith("CPIC")


def test_variant_only_file_is_partial_and_lists_missing_positions(pgx_conn, tmp_path):
    res, _ = _call(pgx_conn, tmp_path, STAR2, "CYP2C19")
    n_defined = pgx_conn.execute(
        "SELECT COUNT(*) FROM pgx_position WHERE gene='CYP2C19' AND ignored=0"
    ).fetchone()[0]
    assert res.call_status == "partial" and res.callable
    assert res.diplotype == "*1/*2"
    assert len(res.missing_positions) == n_defined - 3
    assert "chr10:94761900 (rs12248560)" in res.missing_positions  # *17 not testable
    assert res.positions_used == 3


def test_no_call_genotype_is_missing_not_reference(pgx_conn, tmp_path):
    records = _sorted_records(
        ["chr10 94781859 G A ./.", "chr10 94775367 A G 0/1", "chr10 94842866 A G 1/1"]
        + _blocks("chr10", 94760000, 94853000, [94775367, 94781859, 94842866])
    )
    res, _ = _call(pgx_conn, tmp_path, records, "CYP2C19")
    assert "chr10:94781859 (rs4244285)" in res.missing_positions
    assert res.call_status == "partial"


def test_gene_without_any_assessed_position_is_no_data(pgx_conn, tmp_path):
    res, results = _call(pgx_conn, tmp_path, STAR2, "TPMT")
    assert (res.call_status, res.callable, res.diplotype, res.phenotype) == (
        "no_data",
        False,
        None,
        None,
    )
    assert res.recommendations == []


def test_ambiguous_call_lists_every_candidate(pgx_conn, tmp_path):
    # *17 variant with rs3758581 absent: *1/*17 and *38/*17 tie (never a silent pick)
    records = ["chr10 94761900 C T 0/1"]
    res, _ = _call(pgx_conn, tmp_path, records, "CYP2C19")
    assert len(res.candidates) > 1
    assert res.diplotype == " or ".join(res.candidates)
    phenos = {_phenotype_row(pgx_conn, "CYP2C19", *c.split("/"))[0] for c in res.candidates}
    if len(phenos) > 1:
        assert res.phenotype is None and res.recommendations == []
    else:
        assert res.phenotype == phenos.pop()


UGT_REF = ["chr2 233760498 G A 0/0", "chr2 233760973 C A 0/0"]


@pytest.mark.parametrize(
    ("gt80", "gt28", "expected"),
    [
        ("0|1", "1|0", ["*28/*80"]),  # trans: one variant per strand
        ("0|1", "0|1", ["*1/*80+*28"]),  # cis
        ("0/1", "0/1", ["*1/*80+*28"]),  # unphased: the higher-scoring pair
        ("0|1:1", "1|0:2", ["*1/*80+*28"]),  # different phase sets: phase unknown
        ("0|1:7", "1|0:7", ["*28/*80"]),  # same phase set
    ],
)
def test_phase_is_used_when_present(pgx_conn, tmp_path, gt80, gt28, expected):
    records = [f"chr2 233759924 C T {gt80}", f"chr2 233760233 CAT CATAT {gt28}", *UGT_REF]
    res, _ = _call(pgx_conn, tmp_path, records, "UGT1A1")
    assert res.candidates == expected
    assert res.call_status == "called"
    assert res.phased == ("|" in gt80)


def test_dpyd_unphased_uses_the_two_lowest_function_alleles(pgx_conn, tmp_path):
    records = [
        "chr1 97082391 T A 0/1",  # c.2846A>T
        "chr1 97450058 C T 0/1",  # c.1905+1G>A (*2A)
        "chr1 97515839 T C 0/1",  # c.1627A>G (*5)
    ]
    res, _ = _call(pgx_conn, tmp_path, records, "DPYD")
    assert len(res.alleles_found) == 3
    values = {name: res.allele_functions[name]["activity_value"] for name in res.alleles_found}
    lowest = sorted(values, key=lambda n: values[n])[:2]
    assert sorted(res.diplotype.split("/")) == sorted(lowest)
    _phen, score, _key = _phenotype_row(pgx_conn, "DPYD", *lowest)
    assert res.activity_score == float(score)
    assert "two lowest-function" in res.note


def test_dpyd_hapb3_marker_pair_is_one_allele(pgx_conn, tmp_path):
    records = ["chr1 97573863 C T 0/1", "chr1 97579893 G C 0/1"]
    res, _ = _call(pgx_conn, tmp_path, records, "DPYD")
    assert res.alleles_found == ["Reference", "c.1129-5923C>G, c.1236G>A (HapB3)"]


def test_dpyd_phased_data_gives_the_exact_diplotype(pgx_conn, tmp_path):
    records = ["chr1 97082391 T A 0|1", "chr1 97450058 C T 0|1"]  # both on one strand
    res, _ = _call(pgx_conn, tmp_path, records, "DPYD")
    # no DPYD allele carries both variants: phased exact matching finds no pair,
    # so the alleles are listed and scored as CPIC does for unknown phase
    assert set(res.alleles_found) == {"c.1905+1G>A (*2A)", "c.2846A>T"}
    records = ["chr1 97082391 T A 0|1", "chr1 97450058 C T 1|0"]
    trans, _ = _call(pgx_conn, tmp_path, records, "DPYD", name="trans.vcf")
    assert trans.call_status == "partial"
    assert sorted(trans.diplotype.split("/")) == ["c.1905+1G>A (*2A)", "c.2846A>T"]


def test_undocumented_allele(pgx_conn, tmp_path):
    # CYP2C19: an ALT the definitions do not list -> no call
    res, _ = _call(pgx_conn, tmp_path, ["chr10 94781859 G C 0/1"], "CYP2C19")
    assert res.call_status == "no_match" and res.diplotype is None
    assert "chr10:94781859" in res.note
    # TPMT: read as reference (PharmCAT's rule for toxicity genes)
    pos, ref = pgx_conn.execute(
        "SELECT pos, ref FROM pgx_position WHERE gene='TPMT' AND length(ref)=1 ORDER BY idx"
    ).fetchone()
    other = next(
        b
        for b in "ACGT"
        if b != ref
        and b
        not in json.loads(
            pgx_conn.execute(
                "SELECT alts FROM pgx_position WHERE gene='TPMT' AND pos=?", (pos,)
            ).fetchone()[0]
        )
    )
    tpmt, _ = _call(pgx_conn, tmp_path, [f"chr6 {pos} {ref} {other} 0/1"], "TPMT", name="tpmt.vcf")
    assert tpmt.diplotype is not None and "read as reference" in tpmt.note


def test_g6pd_hemizygous_male(pgx_conn, tmp_path):
    header_x = "chrX 154532634 T G 1"  # Abeno, hemizygous
    records = [header_x] + _blocks("chrX", 154532000, 154546200, [154532634], gt="0")
    path = tmp_path / "x.vcf"
    write_vcf(path, records)
    text = path.read_text().replace(
        "##contig=<ID=chr1,", "##contig=<ID=chrX,length=156040895>\n##contig=<ID=chr1,"
    )
    path.write_text(text)
    res = next(r for r in call_pgx(table_from_vcf(path), pgx_conn, "GRCh38") if r.gene == "G6PD")
    assert res.diplotype == "Abeno"
    assert res.phenotype == _phenotype_row(pgx_conn, "G6PD", "Abeno", None)[0]


def test_cyp2d6_and_hla_are_never_called(pgx_conn, tmp_path):
    res, results = _call(pgx_conn, tmp_path, ["chr22 42130692 G A 1/1", *STAR2], "CYP2D6")
    by_gene = {r.gene: r for r in results}
    for gene in ("CYP2D6", "HLA-A", "HLA-B"):
        r = by_gene[gene]
        assert (r.callable, r.call_status, r.diplotype, r.phenotype, r.recommendations) == (
            False,
            "not_callable",
            None,
            None,
            [],
        )
        assert r.note.startswith("Not callable from this file")


def test_grch37_reads_the_converted_positions_not_the_grch38_ones(pgx_conn, tmp_path):
    # *2's GRCh38 coordinates in a file said to be GRCh37 are other bases: nothing is assessed
    res, _ = _call(pgx_conn, tmp_path, STAR2, "CYP2C19", build="GRCh37")
    assert (res.call_status, res.diplotype) == ("no_data", None)
    # the same genotypes at the GRCh37 coordinates (chain-converted in the knowledge file)
    lifted = dict(
        pgx_conn.execute(
            "SELECT p.pos, l.pos FROM pgx_position p JOIN pgx_position_grch37 l "
            "USING (gene, idx) WHERE p.gene = 'CYP2C19'"
        ).fetchall()
    )
    records37 = []
    for rec in STAR2:
        chrom, pos, *rest = rec.split()
        records37.append(" ".join([chrom, str(lifted[int(pos)]), *rest]))
    res37, _ = _call(pgx_conn, tmp_path, records37, "CYP2C19", build="GRCh37", name="t37.vcf")
    res38, _ = _call(pgx_conn, tmp_path, STAR2, "CYP2C19", build="GRCh38", name="t38.vcf")
    assert res37.candidates == res38.candidates and "*2" in res37.diplotype
    assert res37.phenotype == res38.phenotype
    regions = pgx_regions(pgx_conn, "GRCh37")
    assert any(g == "CYP2C19" and s <= lifted[94781859] <= e for _c, s, e, g in regions)


def test_unknown_build_is_not_callable(pgx_conn, tmp_path):
    _res, results = _call(pgx_conn, tmp_path, STAR2, "CYP2C19", build="NCBI36")
    never = {g for (g,) in pgx_conn.execute("SELECT gene FROM pgx_gene WHERE callable = 0")}
    assert results and all(r.call_status == "not_callable" for r in results)
    build_refused = [r for r in results if r.gene not in never]
    assert build_refused and all("Not callable on NCBI36" in r.note for r in build_refused)
    assert pgx_regions(pgx_conn, "NCBI36") == []


def test_regions_cover_every_callable_position(pgx_conn):
    regions = pgx_regions(types.SimpleNamespace(connection=pgx_conn), "GRCh38")
    genes = {g for *_x, g in regions}
    assert "CYP2D6" not in genes and {"CYP2C19", "DPYD", "UGT1A1"} <= genes
    for gene, chrom, pos in pgx_conn.execute(
        "SELECT p.gene, p.chrom, p.pos FROM pgx_position p JOIN pgx_gene g USING (gene) "
        "WHERE g.callable = 1"
    ):
        assert any(c == chrom and s <= pos <= e and g == gene for c, s, e, g in regions)


def test_json_contract_multigene_recommendations_progress_cancel(pgx_conn, knowledge_sources):
    table = table_from_vcf(knowledge_sources / "pgx/pharmcat/examples/pharmcat.example.vcf")
    seen = []
    results = call_pgx(
        table,
        types.SimpleNamespace(connection=pgx_conn),
        "GRCh38",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1][0] == seen[-1][1] == len(results)
    by_gene = {r.gene: r for r in results}
    for r in results:
        data = r.to_json()
        assert CONTRACT_KEYS <= set(data)
        json.dumps(data)
        for rec in data["recommendations"]:
            assert {"drug", "text", "strength", "guideline"} <= set(rec)
    thio = [r for r in by_gene["TPMT"].recommendations if r["drug"] == "azathioprine"]
    assert thio and all(set(r["genes"]) == {"NUDT15", "TPMT"} for r in thio)
    assert any(r["drug"] == "azathioprine" for r in by_gene["NUDT15"].recommendations)
    # CYP2D6 is not callable, so CPIC's "No Result" rows for it apply (e.g. amitriptyline)
    tca = [r for r in by_gene["CYP2C19"].recommendations if r["drug"] == "amitriptyline"]
    assert tca and all(r["lookup_key"].get("CYP2D6") == "No Result" for r in tca)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        call_pgx(table, pgx_conn, "GRCh38", cancel=token)


def test_slco1b1_falls_back_to_rs4149056(pgx_conn, knowledge_sources):
    """PharmCAT Slco1b1AlleleMatcher: no star-allele match -> lookup from rs4149056 alone."""
    path = knowledge_sources / "pgx/pharmcat/haplotype_test_vcfs/SLCO1B1/multi.vcf"
    res = next(r for r in call_pgx(table_from_vcf(path), pgx_conn, "GRCh38") if r.gene == "SLCO1B1")
    assert res.candidates == []  # the matcher itself makes no call
    assert res.diplotype == "rs4149056 T/C" and res.inferred_diplotype == "*1/*5"
    assert res.phenotype == _phenotype_row(pgx_conn, "SLCO1B1", "*1", "*5")[0]
    assert res.call_status == "partial" and res.recommendations


def test_dpyd_variant_outside_every_allele_is_flagged(pgx_conn, tmp_path):
    # c.1236G>A with c.1129-5923C>G assessed as reference: HapB3 needs both, and no other
    # DPYD allele has c.1236G>A
    records = ["chr1 97573863 C T 0/1", "chr1 97579893 G C 0/0"]
    res, _ = _call(pgx_conn, tmp_path, records, "DPYD")
    assert res.diplotype == "Reference/Reference"
    assert "chr1:97573863" in res.note and "review them separately" in res.note


def test_grch37_record_whose_ref_is_the_grch38_alt_reads_its_own_ref(pgx_conn, tmp_path):
    """Where the assemblies differ, a GRCh37 record's REF is the sample's allele for a 0."""
    lifted = dict(
        pgx_conn.execute(
            "SELECT p.pos, l.pos FROM pgx_position p JOIN pgx_position_grch37 l "
            "USING (gene, idx) WHERE p.gene = 'CYP2C19'"
        ).fetchall()
    )
    records37 = [
        f"chr10 {lifted[94775367]} A G 0/1",
        # the *2 site written with REF A (the GRCh38 ALT) and ALT G: 0/1 is still G/A
        f"chr10 {lifted[94781859]} A G 0/1",
        f"chr10 {lifted[94842866]} A G 1/1",
    ]
    res37, _ = _call(pgx_conn, tmp_path, records37, "CYP2C19", build="GRCh37", name="swap37.vcf")
    res38, _ = _call(pgx_conn, tmp_path, STAR2, "CYP2C19", build="GRCh38", name="t38b.vcf")
    assert res37.candidates == res38.candidates and "*2" in res37.diplotype
