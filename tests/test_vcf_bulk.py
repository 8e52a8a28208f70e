"""The bulk reader gives exactly the table htslib (cyvcf2, the reference) gives.

Every corpus file is loaded with both readers and the frames, covered intervals, no-call
positions and load counts must be identical; files the bulk reader leaves to htslib must say
why. Hand-written records cover the genotype conventions one by one.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pmviewer.core import vcf
from pmviewer.core.errors import InputFileError, PmviewerError, SampleError

_SUFFIXES = (".vcf", ".vcf.gz", ".bcf", ".gvcf", ".gvcf.gz", ".bgz")
_LOGGER = "pmviewer.core.vcf.loader"
_DEPTH = 10


def _load(monkeypatch, reader: str, path: Path, **kwargs):
    monkeypatch.setenv("PMVIEWER_READER", reader)
    return vcf.load(path, **kwargs)


def _assert_same(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.covered, b.covered)
    pd.testing.assert_frame_equal(a.no_calls, b.no_calls)
    assert (a.covered_at_depth is None) == (b.covered_at_depth is None)
    if a.covered_at_depth is not None:
        pd.testing.assert_frame_equal(a.covered_at_depth, b.covered_at_depth)
    assert vars(a.stats) == vars(b.stats)


def _outcome(monkeypatch, reader: str, path: Path, sample: str | None):
    try:  # at the annotation's default depth threshold, as the pipeline loads
        return _load(monkeypatch, reader, path, sample=sample, coverage_depth=_DEPTH)
    except PmviewerError as e:
        return e


@pytest.mark.corpus
@pytest.mark.slow
def test_every_corpus_file_loads_identically_with_both_readers(corpus_dir, monkeypatch, caplog):
    files = sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.name.endswith(_SUFFIXES))
    assert len(files) > 100
    compared = bulk_read = 0
    caplog.set_level(logging.INFO, logger=_LOGGER)
    for path in files:
        try:
            sample = vcf.inspect(path).samples[0] if len(vcf.inspect(path).samples) > 1 else None
        except PmviewerError:
            sample = None
        caplog.clear()
        ref = _outcome(monkeypatch, "htslib", path, sample)
        bulk = _outcome(monkeypatch, "bulk", path, sample)
        if isinstance(ref, Exception) or isinstance(bulk, Exception):
            # a file htslib refuses is refused by the bulk path too, with a message
            assert type(ref) is type(bulk), (path.name, ref, bulk)
            continue
        try:
            _assert_same(ref, bulk)
        except AssertionError as e:
            raise AssertionError(f"{path.name}: {e}") from e
        compared += 1
        fell_back = [
            r.getMessage() for r in caplog.records if "is read with htslib" in r.getMessage()
        ]
        if path.suffix != ".bcf" and not fell_back:
            bulk_read += 1
        for message in fell_back:  # each fallback names its reason
            assert ": " in message and path.name in message
    assert compared > 100
    assert bulk_read >= compared - 15  # BCF files and the few text files htslib must read


_HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr1,length=1000000>
##contig=<ID=chrX,length=1000000>
##INFO=<ID=END,Number=1,Type=Integer,Description="end">
##INFO=<ID=DP,Number=1,Type=Integer,Description="depth">
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="type">
##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="length">
##ALT=<ID=NON_REF,Description="gvcf">
##FORMAT=<ID=GT,Number=1,Type=String,Description="g">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="q">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">
##FORMAT=<ID=PS,Number=1,Type=Integer,Description="p">
##FORMAT=<ID=VAF,Number=A,Type=Float,Description="v">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2
"""
# each line one convention: phase from the second allele's separator, haploid calls, a
# FORMAT without GT, AD of the wrong length, VAF without AD, missing values, symbolic
# alleles, 0/0 with no data, gVCF blocks, '*' alleles, a GT naming an absent allele
_RECORDS = [
    "chr1\t10\trs1\tA\tG\t50.5\tPASS\tEND=20\tGT:DP:GQ:AD\t0/1:12:40:5,7\t1/1:3:9:0,3",
    "chr1\t11\t.\tA\tG\t.\t.\tDP=9\tDP\t5\t1",
    "chr1\t12\t.\tA\tG,T\t30\tq10;s50\t.\tGT:AD\t1/2:1,2,3\t0/1:1,2,3",
    "chr1\t13\t.\tA\tG\t.\tPASS\t.\tGT:PS\t1|1:13\t0/1:.",
    "chr1\t14\t.\tA\tG\t.\tPASS\t.\tGT\t.|1\t0/1",
    "chr1\t15\t.\tA\tG\t.\tPASS\t.\tGT\t0|1/1\t0/1",
    "chr1\t16\t.\tA\tG\t.\tPASS\t.\tGT\t.\t0/1",
    "chr1\t17\t.\tA\tG\t.\tPASS\t.\tGT:AD\t0/1:.\t0/1:3,4",
    "chr1\t18\t.\tA\t<DEL>\t.\tPASS\tEND=30;SVTYPE=DEL;SVLEN=-12\tGT\t1/.\t0/1",
    "chr1\t19\t.\tA\tG,C\t.\tPASS\t.\tGT:VAF\t0/2:0.1,0.45\t0/1:.",
    "chr1\t20\t.\tA\tG\t.\tPASS\t.\tGT:DP:GQ\t0/0:0:50\t0/1",
    "chr1\t21\t.\tA\t<NON_REF>\t.\tPASS\tEND=40\tGT:DP:GQ\t0/0:8:30\t0/0",
    "chr1\t41\t.\tA\t<NON_REF>\t.\tPASS\tEND=60\tGT:DP:GQ\t0/0:8:0\t0/0",
    "chr1\t45\t.\tA\tT,*\t.\tPASS\t.\tGT:AD\t1/2:2,3,4\t0/1",
    "chr1\t46\t.\tAT\tA\t.\tPASS\t.\tGT:AD\t0/3:2,3\t0/1",
    "chr1\t47\t.\tA\tG\t.\tPASS\t.\tGT:DP\t./.:9\t0/1",
    "chr1\t48\t.\tA\t.\t.\tPASS\t.\tGT\t0/1\t1/1",
    "chrX\t50\t.\tC\tT\t99\tPASS\t.\tGT:GQ\t1:60\t0/1",
    "chrX\t51\t.\tC\tT,G\t99\tLowQual\t.\tGT\t1|0\t0/1",
    "chrX\t52\t.\tC\tG\t.\tPASS\t.\tGT\t0/0\t0/1",
    "chrX\t53\t.\tC\t.\t.\tPASS\t.\tGT\t0/0\t0/1",
]


def _write(tmp_path: Path, lines: list[str], name: str = "edge.vcf", crlf: bool = False) -> Path:
    text = _HEADER + "".join(f"{line}\n" for line in lines)
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / name
    if name.endswith(".gz"):
        with gzip.open(path, "wb") as fh:
            fh.write(text.encode())
    else:
        path.write_bytes(text.encode())
    return path


@pytest.mark.parametrize("sample", ["S1", "S2"])
@pytest.mark.parametrize("name", ["edge.vcf", "edge.vcf.gz"])
def test_genotype_conventions_match_htslib(tmp_path, monkeypatch, caplog, sample, name):
    path = _write(tmp_path, _RECORDS, name)
    caplog.set_level(logging.INFO, logger=_LOGGER)
    ref = _load(monkeypatch, "htslib", path, sample=sample)
    bulk = _load(monkeypatch, "bulk", path, sample=sample)
    assert not [r for r in caplog.records if "is read with htslib" in r.getMessage()]
    _assert_same(ref, bulk)
    assert len(bulk.frame) > 10 and bulk.stats.skipped >= 1 and len(bulk.covered) >= 1
    # the checksum comes from the bulk reader's own pass over the file
    assert bulk.info.sha256 == ref.info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_bgzip_blocks_inflated_in_parallel_give_the_same_table(tmp_path, monkeypatch):
    if shutil.which("bgzip") is None:
        pytest.skip("bgzip not installed")
    many = [f"chr1\t{100 + i}\t.\tA\tG\t.\tPASS\t.\tGT:AD\t0/1:{i % 7},{i % 5}\t1/1"
            for i in range(60_000)]  # fmt: skip
    plain = _write(tmp_path, many)
    subprocess.run(["bgzip", "-f", str(plain)], check=True)  # several BGZF blocks
    path = tmp_path / "edge.vcf.gz"
    assert vcf.inspect(path).compression == "bgzip"
    _assert_same(
        _load(monkeypatch, "htslib", path, sample="S1"),
        _load(monkeypatch, "bulk", path, sample="S1"),
    )


def test_a_file_the_bulk_reader_cannot_reproduce_falls_back_saying_why(
    tmp_path, monkeypatch, caplog
):
    path = _write(tmp_path, _RECORDS[:3], crlf=True)
    caplog.set_level(logging.INFO, logger=_LOGGER)
    table = _load(monkeypatch, "auto", path, sample="S1")
    reasons = [r.getMessage() for r in caplog.records if "is read with htslib" in r.getMessage()]
    assert reasons == ["edge.vcf is read with htslib: the file has Windows line ends"]
    assert len(table.frame) == 3


def test_unusual_genotype_text_falls_back(tmp_path, monkeypatch, caplog):
    path = _write(tmp_path, ["chr1\t10\t.\tA\tG\t.\tPASS\t.\tGT\t0/01\t0/1"])
    caplog.set_level(logging.INFO, logger=_LOGGER)
    _load(monkeypatch, "auto", path, sample="S1")
    assert any("genotype ('0/01')" in r.getMessage() for r in caplog.records)


def test_region_scan_matches_htslib_scan(tmp_path, monkeypatch):
    path = _write(tmp_path, _RECORDS)  # plain text: no index, both readers scan
    regions = [("chr1", 12, 19), ("X", 50, 51)]
    ref = _load(monkeypatch, "htslib", path, sample="S1", regions=regions)
    bulk = _load(monkeypatch, "bulk", path, sample="S1", regions=regions)
    _assert_same(ref, bulk)
    # pos 10 has END=20, so it overlaps the first region
    assert set(bulk.frame["pos"]) <= {10, 12, 13, 14, 15, 17, 18, 19, 50, 51}
    assert bulk.regions == ref.regions


def test_multi_sample_file_still_asks_for_the_sample(tmp_path, monkeypatch):
    path = _write(tmp_path, _RECORDS[:2])
    with pytest.raises(SampleError):
        _load(monkeypatch, "bulk", path)


def test_damaged_gzip_is_refused_the_same_way(tmp_path, monkeypatch):
    path = _write(tmp_path, _RECORDS, "edge.vcf.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    for reader in ("htslib", "bulk"):
        with pytest.raises(InputFileError):
            _load(monkeypatch, reader, path, sample="S1")


@pytest.mark.parametrize("depth", [1, 5, 9, 13])
@pytest.mark.parametrize("sample", ["S1", "S2"])
def test_a_load_that_measures_coverage_at_depth_keeps_the_reference_blocks(
    tmp_path, monkeypatch, caplog, sample, depth
):
    """Gene assessment reads the blocks proven at the depth threshold: the bulk reader
    measures the same intervals as htslib's reader, never silently without them."""
    path = _write(tmp_path, _RECORDS, "edge.vcf")
    caplog.set_level(logging.INFO, logger=_LOGGER)
    table = _load(monkeypatch, "auto", path, sample=sample, coverage_depth=depth)
    assert not [r for r in caplog.records if "is read with htslib" in r.getMessage()]
    _assert_same(_load(monkeypatch, "htslib", path, sample=sample, coverage_depth=depth), table)
    blocks = table.covered_at_depth
    assert blocks is not None
    if sample == "S1" and depth <= 8:
        # the 0/0 block chr1:21-40 at DP 8 is proven at depth 5 (a row of the intervals)
        assert ((blocks["start"] <= 21) & (blocks["end"] >= 40)).any(), blocks
    regions = [("chr1", 12, 25), ("X", 50, 51)]
    _assert_same(
        _load(monkeypatch, "htslib", path, sample=sample, coverage_depth=depth, regions=regions),
        _load(monkeypatch, "bulk", path, sample=sample, coverage_depth=depth, regions=regions),
    )


@pytest.mark.parametrize("block_text", [40, 200, 1000])
@pytest.mark.parametrize("sample", ["S1", "S2"])
def test_blocks_parsed_in_parallel_join_at_every_seam(tmp_path, monkeypatch, sample, block_text):
    """Tiny blocks put a seam between most records: covered intervals, intervals at depth,
    record numbers of problems, codes and counts must join exactly as one sequential read."""
    from pmviewer.core.vcf import bulk

    monkeypatch.setattr(bulk, "_PARSE_TEXT", block_text)
    monkeypatch.setattr(bulk, "_TRIM_RECORDS", 3)
    path = _write(tmp_path, _RECORDS * 3, "edge.vcf")
    for regions in (None, [("chr1", 12, 25), ("X", 50, 51)]):
        ref = _load(monkeypatch, "htslib", path, sample=sample, coverage_depth=5, regions=regions)
        got = _load(monkeypatch, "bulk", path, sample=sample, coverage_depth=5, regions=regions)
        _assert_same(ref, got)
        if regions is None:
            assert got.stats.problems and len(got.covered) >= 1 and len(got.no_calls) >= 1
