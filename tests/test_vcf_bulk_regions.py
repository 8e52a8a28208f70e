"""Region loads through the file's index with the bulk reader give exactly the table of
htslib's index queries (cyvcf2, the reference).

Every indexed corpus file is read for the 123 annotation regions, the chrX/chrY sex windows
and windows around its own records, once through htslib and once through the bulk reader's
index queries; frames, intervals, counts and header facts must be identical.
"""

from __future__ import annotations

import logging
import shutil
import struct
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pmviewer.core import vcf
from pmviewer.core.annotation import sampling_regions
from pmviewer.core.errors import PmviewerError
from pmviewer.core.knowledge import open_knowledge
from pmviewer.core.pipeline import analysis_regions
from pmviewer.core.vcf.bulk_regions import _inflate_all, _parse, read_index

_LOGGER = "pmviewer.core.vcf.loader"
_DEPTH = 10


def _load(monkeypatch, reader: str, path: Path, **kwargs):
    monkeypatch.setenv("PMVIEWER_READER", reader)
    try:
        return vcf.load(path, coverage_depth=_DEPTH, **kwargs)
    except PmviewerError as e:
        return e


def _assert_same(a, b, what: str = "") -> None:
    for side in ("frame", "covered", "no_calls", "covered_at_depth"):
        pd.testing.assert_frame_equal(getattr(a, side), getattr(b, side), obj=f"{what} {side}")
    assert vars(a.stats) == vars(b.stats), what
    assert a.info == b.info, what
    assert a.regions == b.regions, what


def _record_windows(frame: pd.DataFrame, count: int = 40) -> list[tuple[str, int, int]]:
    """Windows of 61 bp around ``count`` records spread over the file."""
    if frame.empty:
        return []
    rows = frame.iloc[:: max(1, len(frame) // count)]
    pairs = zip(rows["chrom"], rows["pos"], strict=True)
    return [(str(c), max(1, int(p) - 30), int(p) + 30) for c, p in pairs]


def _bulk_index_reads(caplog) -> bool:
    return not any("read with htslib" in r.getMessage() for r in caplog.records)


@pytest.mark.corpus
@pytest.mark.slow
def test_every_indexed_corpus_file_reads_regions_identically(corpus_dir, monkeypatch, caplog):
    indexes = sorted(p for p in corpus_dir.rglob("*") if p.suffix in (".tbi", ".csi"))
    files = sorted({p.with_suffix("") for p in indexes if p.with_suffix("").suffix != ".bcf"})
    assert len(files) > 20
    kb = open_knowledge()
    caplog.set_level(logging.INFO, logger=_LOGGER)
    compared = through_index = rows = 0
    for path in files:
        info = vcf.inspect(path)
        build = info.build if info.build in ("GRCh37", "GRCh38") else "GRCh38"
        sample = info.samples[0] if len(info.samples) > 1 else None
        full = _load(monkeypatch, "htslib", path, sample=sample)
        windows = _record_windows(full.frame) if not isinstance(full, Exception) else []
        for regions in (analysis_regions(kb, build), sampling_regions(build), windows):
            if not regions:
                continue
            ref = _load(monkeypatch, "htslib", path, sample=sample, regions=regions)
            caplog.clear()
            bulk = _load(monkeypatch, "auto", path, sample=sample, regions=regions)
            if isinstance(ref, Exception) or isinstance(bulk, Exception):
                assert type(ref) is type(bulk), (path.name, ref, bulk)  # the same refusal
                continue
            _assert_same(ref, bulk, f"{path.name} {regions[:3]}")
            compared += 1
            rows += len(bulk.frame)
            through_index += _bulk_index_reads(caplog) and bulk.info.indexed
    assert len(analysis_regions(kb, "GRCh38")) >= 100
    assert compared > 60 and rows > 1000
    assert through_index >= compared - 6  # the Windows-line-end file goes to htslib


_HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr1,length=5000000>
##contig=<ID=chr2,length=5000000>
##INFO=<ID=END,Number=1,Type=Integer,Description="end">
##ALT=<ID=NON_REF,Description="gvcf">
##FORMAT=<ID=GT,Number=1,Type=String,Description="g">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1
"""


def _genome(tmp_path: Path, csi: bool) -> Path:
    """Two contigs over many BGZF blocks: SNVs every 37 bp, a deletion and reference
    blocks every 5 kb that reach across region edges and index windows."""
    lines = []
    for chrom in ("chr1", "chr2"):
        for pos in range(100, 3_000_000, 37):
            if pos % 5000 < 37:
                lines.append(f"{chrom}\t{pos}\t.\tA\t<NON_REF>\t.\tPASS\tEND={pos + 20000}"
                             "\tGT:DP\t0/0:12")  # fmt: skip
            elif pos % 7919 < 37:
                lines.append(f"{chrom}\t{pos}\t.\t{'A' * 40}\tA\t50\tPASS\t.\tGT:AD\t0/1:4,6")
            else:
                lines.append(f"{chrom}\t{pos}\t.\tC\tT\t50\tPASS\t.\tGT:AD:DP\t0/1:5,7:12")
    plain = tmp_path / "genome.vcf"
    plain.write_text(_HEADER + "\n".join(lines) + "\n")
    subprocess.run(["bgzip", "-f", str(plain)], check=True)
    path = tmp_path / "genome.vcf.gz"
    subprocess.run(["tabix", "-C" if csi else "-f", "-p", "vcf", str(path)], check=True)
    return path


_REGIONS = [
    ("chr1", 1, 90), ("chr1", 16_380, 16_390), ("chr1", 40_010, 40_020),
    ("chr1", 1_000_000, 1_250_000), ("chr1", 1_250_030, 1_250_031), ("1", 2_999_990, 9_000_000),
    ("chr2", 5_010, 5_012), ("chr2", 5_030, 5_040), ("chr3", 1, 1000),
]  # fmt: skip


@pytest.mark.parametrize("csi", [False, True], ids=["tbi", "csi"])
def test_index_queries_across_blocks_windows_and_long_records(tmp_path, monkeypatch, caplog, csi):
    if shutil.which("bgzip") is None or shutil.which("tabix") is None:
        pytest.skip("bgzip/tabix not installed")
    path = _genome(tmp_path, csi)
    index = read_index(Path(f"{path}.{'csi' if csi else 'tbi'}"))
    assert index.is_csi == csi and set(index.contigs) == {"chr1", "chr2"}
    caplog.set_level(logging.INFO, logger=_LOGGER)
    ref = _load(monkeypatch, "htslib", path, regions=_REGIONS)
    caplog.clear()
    bulk = _load(monkeypatch, "auto", path, regions=_REGIONS)
    assert _bulk_index_reads(caplog) and bulk.info.indexed
    _assert_same(ref, bulk)
    # reference blocks starting before a region and reaching into it are read
    assert ((bulk.frame["pos"] < 40_010) & (bulk.frame["chrom"] == "chr1")).any()
    assert index.n_records == vcf.inspect(path).estimated_records


def test_an_index_of_another_file_is_not_trusted(tmp_path, monkeypatch, caplog):
    if shutil.which("bgzip") is None or shutil.which("tabix") is None:
        pytest.skip("bgzip/tabix not installed")
    path = _genome(tmp_path, csi=False)
    other = tmp_path / "other.vcf"
    other.write_text(_HEADER + "chr2\t50\t.\tC\tT\t50\tPASS\t.\tGT\t0/1\n")
    subprocess.run(["bgzip", "-f", str(other)], check=True)
    subprocess.run(["tabix", "-f", "-p", "vcf", f"{other}.gz"], check=True)
    shutil.copy(f"{other}.gz.tbi", f"{path}.tbi")
    caplog.set_level(logging.INFO, logger=_LOGGER)
    ref = _load(monkeypatch, "htslib", path, regions=_REGIONS[:4])
    caplog.clear()
    bulk = _load(monkeypatch, "auto", path, regions=_REGIONS[:4])
    assert any("does not match the file" in r.getMessage() for r in caplog.records)
    _assert_same(ref, bulk)
    assert len(bulk.frame) > 1000


def _bins_one_by_one(data: bytes, is_csi: bool) -> list[dict[int, int]]:
    """Every contig's bin offsets by the plain walk of the SAM specification's layout."""
    if is_csi:
        off = 16 + struct.unpack_from("<i", data, 12)[0]
        off += 4
    else:
        off = 36 + struct.unpack_from("<i", data, 32)[0]
    n_ref = struct.unpack_from("<i", data, off - 4 if is_csi else 4)[0]
    out = []
    for _ in range(n_ref):
        bins = {}
        n_bin = struct.unpack_from("<i", data, off)[0]
        off += 4
        for _ in range(n_bin):
            b = struct.unpack_from("<I", data, off)[0]
            bins[b] = off
            n_chunk = struct.unpack_from("<i", data, off + (12 if is_csi else 4))[0]
            off += (16 if is_csi else 8) + 16 * n_chunk
        if not is_csi:
            off += 4 + 8 * struct.unpack_from("<i", data, off)[0]
        out.append(bins)
    return out


@pytest.mark.corpus
def test_bins_read_in_runs_match_the_plain_walk(corpus_dir, tmp_path):
    indexes = [p for p in corpus_dir.rglob("*") if p.suffix in (".tbi", ".csi")]
    if shutil.which("bgzip") and shutil.which("tabix"):
        indexes += [Path(f"{_genome(tmp_path, csi=True)}.csi")]
    parsed = 0
    for path in indexes:
        data = _inflate_all(path.read_bytes())
        try:
            index = _parse(data)
        except ValueError:  # a BCF's CSI: names in the BCF header
            assert not path.name.endswith(".vcf.gz.csi")
            continue
        expected = _bins_one_by_one(data, index.is_csi)
        pseudo = 37450 if not index.is_csi else ((1 << ((index.depth + 1) * 3)) - 1) // 7 + 1
        for contig, bins in zip(index.contigs.values(), expected, strict=True):
            bins.pop(pseudo, None)
            assert contig.bins == bins, path.name
        parsed += 1
    assert parsed > 20
