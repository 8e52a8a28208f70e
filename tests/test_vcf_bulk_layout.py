"""Blocks of one FORMAT layout take the bulk reader's byte-level path (fields cut at the
colons, whole numbers read from their digits); the tables must still be htslib's, and
anything unusual must go through the general split with the same outcome."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pmviewer.core import vcf
from pmviewer.core.errors import PmviewerError
from pmviewer.core.vcf.bulk_bytes import contains, dot_as_null, whole_numbers
from pmviewer.core.vcf.bulk_format import layout_spans

_HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr1,length=1000000>
##INFO=<ID=END,Number=1,Type=Integer,Description="end">
##FORMAT=<ID=GT,Number=1,Type=String,Description="g">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="q">
##FORMAT=<ID=PL,Number=G,Type=Integer,Description="l">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1
"""
_LAYOUT = "GT:AD:DP:GQ:PL"
# one layout, every field present: missing values, multi-allelic AD, haploid and phased
# calls, no-calls, leading zeros, an END in INFO
_ONE_LAYOUT = [
    "0/1:5,7:12:40:100,0,200",
    "1/1:0,30:30:99:900,90,0",
    "1/2:1,12,13:26:60:900,400,300,450,0,500",
    "./.:0,0:0:.:.",
    "0/0:.,.:.:.:.",
    "0|1:3,4:007:05:1,2,3",
    "1:0,9:9:20:90,0",
    "0/1::8:9:.",
    "0/0:15,0:15:45:0,45,450",
    "1/1:.,20:20:.:.",
]


def _file(tmp_path: Path, samples: list[str], layout: str = _LAYOUT, info: str = ".") -> Path:
    lines = []
    for i, value in enumerate(samples):
        alt = "G,T" if value.startswith("1/2") else "G"
        lines.append(f"chr1\t{100 + i * 3}\t.\tA\t{alt}\t50\tPASS\t{info}\t{layout}\t{value}\n")
    path = tmp_path / "one_layout.vcf"
    path.write_text(_HEADER + "".join(lines))
    return path


def _both(monkeypatch, path: Path):
    out = []
    for reader in ("htslib", "bulk"):
        monkeypatch.setenv("PMVIEWER_READER", reader)
        try:
            out.append(vcf.load(path, coverage_depth=10))
        except PmviewerError as e:
            out.append(e)
    return out


def _assert_same(ref, bulk) -> None:
    if isinstance(ref, Exception) or isinstance(bulk, Exception):
        assert type(ref) is type(bulk), (ref, bulk)
        return
    import pandas as pd

    pd.testing.assert_frame_equal(ref.frame, bulk.frame)
    pd.testing.assert_frame_equal(ref.covered, bulk.covered)
    pd.testing.assert_frame_equal(ref.no_calls, bulk.no_calls)
    pd.testing.assert_frame_equal(ref.covered_at_depth, bulk.covered_at_depth)
    assert vars(ref.stats) == vars(bulk.stats)


def test_a_block_of_one_layout_gives_htslibs_table(tmp_path, monkeypatch):
    path = _file(tmp_path, _ONE_LAYOUT, info="END=5")
    ref, bulk = _both(monkeypatch, path)
    _assert_same(ref, bulk)
    assert len(bulk.frame) >= 8


@pytest.mark.parametrize(
    "odd",
    [
        "./.",  # trailing fields dropped
        "0/1:5,7:12:40",  # PL dropped
        "0/1:5,-7:12:40:1,2,3",  # a sign
        "0/1:5,7:+12:40:1,2,3",
        "0/01:5,7:12:40:1,2,3",  # genotype text htslib must read
        "0/1:5,7:3000000000:40:1,2,3",  # beyond int32: htslib reads missing
        "0/1:5,2147483648:12:2147483647:1,2,3",
        "0/1:5,7:-2147483648:40:1,2,3",
    ],
)
def test_an_unusual_value_in_a_one_layout_block_reads_as_htslib_reads_it(
    tmp_path, monkeypatch, odd
):
    path = _file(tmp_path, [*_ONE_LAYOUT, odd])
    _assert_same(*_both(monkeypatch, path))


def test_a_layout_without_genotypes_lists_no_calls_as_htslib(tmp_path, monkeypatch):
    path = _file(tmp_path, ["12", ".", "30"], layout="DP")
    _assert_same(*_both(monkeypatch, path))


def test_layout_spans_need_one_complete_layout():
    fmt = pa.array(["GT:DP", "GT:DP"])
    assert layout_spans(fmt, pa.array(["0/1:5", "1/1:7"]), ["GT", "DP"]) is not None
    assert layout_spans(fmt, pa.array(["0/1:5", "1/1"]), ["GT", "DP"]) is None
    assert layout_spans(pa.array(["GT:DP", "GT"]), pa.array(["0/1:5", "1/1"]), ["GT"]) is None
    assert layout_spans(pa.array(["GT:GT"] * 2), pa.array(["0:1", "1:0"]), ["GT"]) is None


def test_whole_numbers_equal_pyarrows_conversion():
    rng = random.Random(16)
    values = [str(rng.randrange(10 ** rng.randrange(1, 15))) for _ in range(5000)]
    values += [".", "", "0", "000", "999999999999999"]
    data = np.frombuffer("".join(values).encode(), np.uint8)
    lengths = np.array([len(v) for v in values])
    end = np.cumsum(lengths)
    got = whole_numbers(data, end - lengths, end)
    ref = pc.cast(pa.array([v if v not in (".", "") else None for v in values]), pa.float64())
    assert np.array_equal(got, ref.to_numpy(zero_copy_only=False), equal_nan=True)
    for odd in ("1.5", "-3", "+3", " 3", "1e5", "0x1"):
        raw = np.frombuffer(odd.encode(), np.uint8)
        assert whole_numbers(raw, np.array([0]), np.array([len(odd)])) is None


def test_dots_as_nulls_and_key_search_on_the_bytes():
    ids = pa.array(["rs1", ".", "", "..", "rs2"])
    assert dot_as_null(ids).to_pylist() == ["rs1", None, None, "..", "rs2"]
    assert dot_as_null(pa.array(["a", None])) is None  # has nulls: pyarrow's kernels
    info = pa.array(["DP=3;AF=0.5", "SVTYPE=DEL;END=9", "."])
    assert contains(info, b"END=") and contains(info, b"DP=")
    assert not contains(info, b"SVLEN=") and not contains(pa.array([], pa.string()), b"END=")
