"""Honest negatives: which genes a file assessed, measured on real files.

The exon coverage of a real gVCF is checked against an independent computation: bcftools
reads the reference blocks and calls, the exons are read from the source BED, and the
covered bases are counted here with plain Python sets.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from pmviewer.core.annotation import QualityThresholds, read_targets
from pmviewer.core.annotation.coverage import empty_view_reason
from pmviewer.core.errors import InputFileError
from pmviewer.core.pipeline import analyse
from pmviewer.export.report_model import build_report_model

CHR21 = "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"
GVCF = "c_gvcf/glnexus__NA12878.g.vcf.gz"


def _by_gene(findings) -> dict[str, dict]:
    return {g["gene"]: g for g in findings.assessment["genes"]}


def _exon_bed(knowledge_sources: Path, gene: str) -> list[tuple[str, int, int]]:
    """The gene's MANE Select exons straight from the source BED (1-based inclusive)."""
    out = []
    with gzip.open(knowledge_sources / "genes" / "hg38_exons.bed.gz", "rt") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > 4 and fields[4] == gene:
                out.append((fields[0], int(fields[1]) + 1, int(fields[2])))
    return sorted(set(out))


def _targets(tmp_path: Path, kb, genes: list[str], build: str = "GRCh38", keep=None) -> Path:
    exons = kb.gene_exons(build)
    rows = exons[exons["gene"].isin(genes)]
    if keep is not None:
        rows = rows[rows["exon_number"].map(keep)]
    path = tmp_path / "targets.bed"
    path.write_text(
        "track name=lab\n"
        + "".join(f"chr{r.chrom}\t{int(r.start) - 1}\t{int(r.end)}\n" for r in rows.itertuples())
    )
    return path


def test_knowledge_exons_are_the_source_mane_exons(kb, knowledge_sources):
    exons = kb.gene_exons("GRCh38")
    brca1 = exons[exons["gene"] == "BRCA1"]
    assert sorted(
        zip("chr" + brca1["chrom"], brca1["start"], brca1["end"], strict=True)
    ) == _exon_bed(knowledge_sources, "BRCA1")
    genes = kb.genes()
    mane = dict(zip(genes["gene"], genes["mane_select_ensembl"], strict=True))
    assert (brca1["transcript"] == mane["BRCA1"]).all() and brca1["mane_match"].eq(1).all()
    acmg = set(genes.loc[genes["report_rule"].notna() & (genes["report_rule"] != ""), "gene"])
    assert set(exons["gene"]) == acmg  # every ACMG SF gene has exons to assess
    grch37 = kb.gene_exons("GRCh37")
    keys = zip(exons["gene"], exons["exon_number"], strict=True)
    lengths38 = dict(zip(keys, exons["end"] - exons["start"], strict=True))
    for row in grch37.itertuples():  # a lifted exon keeps its length
        assert row.end - row.start == lengths38[(row.gene, row.exon_number)]


def test_file_without_data_in_the_genes_is_not_assessed_and_never_negative(corpus_dir, kb):
    findings = analyse(corpus_dir / CHR21, knowledge=kb).findings
    assessment = findings.assessment
    assert assessment["file_kind"] == "variant_only"
    assert {g["status"] for g in assessment["genes"]} == {"not_assessed"}
    assert len(assessment["genes"]) == 84
    model = build_report_model(findings)
    assert model.summary.startswith("NOT ASSESSED: the file has no data in the 84 genes")
    assert "NEGATIVE" not in model.summary + model.summary_detail
    assert "the absence of a call cannot be confirmed" in model.summary_detail


def test_targets_bed_that_misses_genes(corpus_dir, kb, tmp_path):
    genes = ["BRCA1", "BRCA2", "MLH1", "MSH2", "PMS2", "TP53"]
    findings = analyse(
        corpus_dir / CHR21, knowledge=kb, targets=_targets(tmp_path, kb, genes)
    ).findings
    by_gene = _by_gene(findings)
    assert {g for g, a in by_gene.items() if a["status"] == "assessed"} == set(genes)
    assert by_gene["BRCA1"]["basis"] == "targets"
    assert by_gene["APC"]["status"] == "not_assessed"
    assert by_gene["APC"]["reason"] == "outside the laboratory's target regions"
    model = build_report_model(findings)
    assert model.summary.startswith(
        "No reportable variant found in the 6 genes assessed; 78 genes not assessed: "
    )
    assert "outside the laboratory's target regions" in model.summary
    assert "absence relies on the laboratory's target regions (targets.bed)" in model.summary_detail


def test_targets_covering_part_of_a_gene_make_it_partial(corpus_dir, kb, tmp_path):
    bed = _targets(tmp_path, kb, ["BRCA1"], keep=lambda n: n <= 10)
    brca1 = _by_gene(analyse(corpus_dir / CHR21, knowledge=kb, targets=bed).findings)["BRCA1"]
    exons = kb.gene_exons("GRCh38").query("gene == 'BRCA1'")
    size = exons["end"] - exons["start"] + 1
    expected = size[exons["exon_number"] <= 10].sum() / size.sum()
    assert brca1["status"] == "partial"
    assert brca1["covered_fraction"] == pytest.approx(expected)
    assert brca1["short_exons"] == list(range(11, 24))


def _bcftools_covered(path: Path, chrom: str, lo: int, hi: int, min_depth: int) -> set[int]:
    """Bases proven at ``min_depth``: reference blocks / 0/0 calls with GQ > 0 and MIN_DP (else
    DP) at the depth, and variant calls with DP at the depth; read by bcftools."""
    query = subprocess.run(
        ["bcftools", "query", "-t", chrom, "-f",
         "%POS\t%INFO/END\t%REF\t[%GT]\t[%DP]\t[%MIN_DP]\t[%GQ]\n", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    covered: set[int] = set()
    for line in query.splitlines():
        pos, end, ref, gt, dp, min_dp, gq = line.split("\t")
        start = int(pos)
        stop = int(end) if end not in (".", "") else start + len(ref) - 1
        if stop < lo or start > hi:
            continue
        alleles = gt.replace("|", "/").split("/")
        if "." in alleles:
            continue
        is_ref = all(a == "0" for a in alleles)
        depth_text = (min_dp if min_dp not in (".", "") else dp) if is_ref else dp
        if depth_text in (".", "") or int(depth_text) < min_depth:
            continue
        if is_ref and (gq == "0" or int(depth_text) == 0):
            continue
        covered.update(range(start, max(stop, start + len(ref) - 1) + 1))
    return covered


@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools not installed")
def test_gvcf_exon_coverage_agrees_with_bcftools(corpus_dir, kb, knowledge_sources):
    path = corpus_dir / GVCF
    findings = analyse(path, knowledge=kb, thresholds=QualityThresholds(min_dp=1)).findings
    assert findings.assessment["file_kind"] == "reference"
    by_gene = _by_gene(findings)
    for gene in ("BRCA2", "MSH2", "RYR1", "BRCA1"):
        exons = _exon_bed(knowledge_sources, gene)
        bases = {p for _, lo, hi in exons for p in range(lo, hi + 1)}
        chrom = exons[0][0]
        covered = _bcftools_covered(path, chrom, min(e[1] for e in exons),
                                    max(e[2] for e in exons), 1) & bases  # fmt: skip
        assert by_gene[gene]["covered_fraction"] == pytest.approx(len(covered) / len(bases)), gene
    # this NA12878 gVCF has depth 1-2 reads: at the default depth nothing counts as assessed
    strict = analyse(path, knowledge=kb).findings
    assert all(g["status"] != "assessed" for g in strict.assessment["genes"])
    assert _by_gene(strict)["BRCA2"]["covered_fraction"] == 0.0
    model = build_report_model(strict)
    assert model.summary.startswith("NOT ASSESSED: none of the 84 genes analysed is fully")
    # BRCA2 has no block at that depth: it is named in the group of genes without data
    reason = _by_gene(strict)["BRCA2"]["reason"]
    assert reason.startswith("no data in the file for this gene")
    detail = model.summary_detail
    assert detail.startswith("84 genes not assessed: ") and f"({reason})" in detail
    assert "BRCA2" in detail[: detail.index(f"({reason})")].split(")")[-1]


def test_unreadable_target_bed_is_a_clear_error(tmp_path):
    bad = tmp_path / "t.bed"
    bad.write_text("chr1\t100\tabc\nchr1\t500\t400\n")
    with pytest.raises(InputFileError, match="line 1, line 2 lack a chromosome"):
        read_targets(bad)
    with pytest.raises(InputFileError, match="could not be read"):
        read_targets(tmp_path / "missing.bed")
    good = tmp_path / "g.bed"
    good.write_text("# lab\nchr17\t43044294\t43045802\n")
    assert read_targets(good) == [("17", 43044295, 43045802)]


def test_empty_views_explain_themselves_from_the_fate_counts(corpus_dir, kb):
    fate = analyse(corpus_dir / CHR21, knowledge=kb).findings.fate
    text = empty_view_reason(fate, "reportable")
    assert text == (
        "The file has no records at all in the analysed genes "
        f"({fate['records_in_file']:,} records in the whole file)."
    )
    fate = dict(fate, records_read=40, dropped_reference_only=12, in_analysed_genes=0)
    assert empty_view_reason(fate, "reportable") == (
        "No variant in the analysed genes: 40 records read; 12 reference-only (0/0) calls."
    )
    fate = dict(fate, in_analysed_genes=3, matched_knowledge=1)
    assert "3 variant(s) in the analysed genes, 1 matched a knowledge record" in empty_view_reason(
        fate, "carrier"
    )
