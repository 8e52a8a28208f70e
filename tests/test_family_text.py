"""The relatives' calls read from the text (no htslib) equal cyvcf2's, on the corpus's real
multi-sample files: every record, every ALT, every sample (GT, DP/AD depth, AD, GQ)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pmviewer.core import vcf
from pmviewer.core.errors import InputFileError
from pmviewer.core.vcf.reader import NO_CYVCF2_ENV

pytest.importorskip("cyvcf2")

_FILES = [
    "bcftools__mendelian.vcf",
    "bcftools__trio-dnm.1.vcf",
    "bcftools__trio.vcf",
    "glnexus__trio_denovo.vcf",
    "peddy__test.mendel.vcf.gz",
    "pharmcat__docs_multisample.vcf",
    "scout__643594.clinical.vcf.gz",
    "vcfpy__1kg.vcf.gz",
]


def _sites(path: Path) -> list[tuple[str, int, str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rt") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            cells = line.split("\t", 6)
            for alt in cells[4].split(",") if cells[4] != "." else []:
                out.append((cells[0], int(cells[1]), cells[3], alt))
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("name", _FILES)
def test_relatives_calls_without_htslib_equal_cyvcf2s(corpus_dir, monkeypatch, name):
    path = corpus_dir / "b_multisample" / name
    everyone = vcf.inspect(path).samples
    samples = everyone if len(everyone) <= 6 else [*everyone[:4], everyone[-1]]
    sites = _sites(path)
    monkeypatch.delenv(NO_CYVCF2_ENV, raising=False)
    ref = vcf.family_calls(path, samples, sites)
    monkeypatch.setenv(NO_CYVCF2_ENV, "1")
    got = vcf.family_calls(path, samples, sites)
    assert len(ref) > 0
    assert got == ref
    assert any(c.carries for calls in ref.values() for c in calls.values())


def test_a_record_without_gt_reads_as_not_called_and_names_are_checked(tmp_path, monkeypatch):
    path = tmp_path / "trio.vcf"
    path.write_text(
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000>\n"
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n'
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">\n'
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">\n'
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP\tM\tF\n"
        "chr1\t10\t.\tA\tG\t.\t.\t.\tDP:AD\t5:2,3\t7:7,0\t.:4,0\n"
        "chr1\t11\t.\tA\tG,T\t.\t.\t.\tGT:AD\t0/2:1,0,3\t0|2:.\t2\n"
    )
    monkeypatch.setenv(NO_CYVCF2_ENV, "1")
    calls = vcf.family_calls(path, ["M", "F"], [("1", 10, "A", "G"), ("chr1", 11, "A", "T")])
    assert calls[("1", 10, "A", "G")]["F"] == vcf.SampleCall(".", None, 4, None, (4, 0))
    assert calls[("1", 11, "A", "T")]["M"] == vcf.SampleCall("0|2", True, None, None, (None,))
    assert calls[("1", 11, "A", "T")]["F"].genotype == "2"
    with pytest.raises(InputFileError, match="no sample named grandma"):
        vcf.family_calls(path, ["M", "grandma"], [("1", 10, "A", "G")])
