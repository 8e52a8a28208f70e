"""pmviewer.core.vcf.loader.load on tiny VCFs written for each edge case."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import warnings
from pathlib import Path

import pandas as pd
import pytest
from test_corpus_vcf import clipped_intervals

from pmviewer.core import vcf
from pmviewer.core.errors import Cancelled, InputFileError, SampleError
from pmviewer.core.model import VARIANT_COLUMNS
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.reader import cyvcf2_available

HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr17,length=83257441>
##contig=<ID=chr13,length=114364328>
##INFO=<ID=END,Number=1,Type=Integer,Description="End">
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">
##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="SV length">
##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Quality">
"""
COLS = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT"

# index queries, cache-built indexes and index checks are htslib's (PMVIEWER_NO_CYVCF2=1 runs)
needs_index_queries = pytest.mark.skipif(
    not cyvcf2_available(), reason="index queries need htslib (cyvcf2)"
)
needs_htslib = pytest.mark.skipif(
    shutil.which("bgzip") is None or shutil.which("tabix") is None, reason="bgzip/tabix needed"
)


def write_vcf(folder: Path, lines: list[str], samples=("P1",), name="t.vcf", header=HEADER) -> Path:
    cols = COLS + "".join("\t" + s for s in samples) if samples else COLS.rsplit("\t", 1)[0]
    text = header + cols + "\n" + "".join(line.replace(" ", "\t") + "\n" for line in lines)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def bgzip(path: Path, index: bool = True) -> Path:
    subprocess.run(["bgzip", "-f", str(path)], check=True)
    out = Path(str(path) + ".gz")
    if index:
        subprocess.run(["tabix", "-f", "-p", "vcf", str(out)], check=True)
    return out


def rows(table) -> list[tuple]:
    f = table.frame
    gts = [None if pd.isna(g) else g for g in f["genotype"]]
    return list(zip(f["pos"], f["alt"], gts, f["zygosity"].astype(str), strict=True))


def test_columns_and_dtypes_follow_the_contract(tmp_path):
    t = vcf.load(write_vcf(tmp_path, ["chr17 100 rs1 A G 50 PASS . GT:AD:DP:GQ 0/1:6,4:10:99"]))
    assert list(t.frame.columns) == list(VARIANT_COLUMNS)
    for col, (dtype, _) in VARIANT_COLUMNS.items():
        want = pd.api.types.pandas_dtype(dtype)
        assert t.frame[col].dtype == want or (
            dtype == "category" and t.frame[col].dtype.name == "category"
        ), col
    r = t.frame.iloc[0]
    assert (r["var_id"], r["ad_ref"], r["ad_alt"], r["dp"], r["gq"]) == ("rs1", 6, 4, 10, 99)
    assert r["vaf"] == pytest.approx(0.4)
    assert r["qual"] == 50 and r["filter"] == "PASS"
    assert t.sample == "P1" and len(t.info.sha256) == 64


def test_multiallelic_records_split_per_carried_allele(tmp_path):
    path = write_vcf(tmp_path, [
        "chr17 100 . A G,T 50 PASS . GT:AD 1/2:0,5,6",
        "chr17 200 . C G,T 50 PASS . GT:AD 0/2:7,0,5",
        "chr17 300 . C G,T 50 PASS . GT 2|2",
    ])  # fmt: skip
    t = vcf.load(path)
    assert rows(t) == [
        (100, "G", "1/2", "het"),
        (100, "T", "1/2", "het"),
        (200, "T", "0/2", "het"),
        (300, "T", "2|2", "hom"),
    ]
    f = t.frame
    assert list(f["allele_index"]) == [1, 2, 2, 2] and list(f["n_alts"]) == [2, 2, 2, 2]
    assert list(f["ad_alt"].iloc[:3]) == [5, 6, 5] and pd.isna(f["ad_alt"].iloc[3])
    assert t.stats.not_carried == 2  # G at 200, G at 300
    assert list(f["record_index"]) == [0, 0, 1, 2]
    assert f["phased"].tolist() == [False, False, False, True]


def test_reference_no_call_and_partial_genotypes(tmp_path):
    path = write_vcf(tmp_path, [
        "chr17 100 . A G 50 PASS . GT 0/0",
        "chr17 101 . A G 50 PASS . GT 0/0",
        "chr17 200 . A G 50 PASS . GT ./.",
        "chr17 300 . A G 50 PASS . GT ./1",
        "chr17 400 . A G 50 PASS . GT 0/.",
        "chr17 500 . A G 50 PASS . DP 7",
    ])  # fmt: skip
    t = vcf.load(path)
    assert rows(t) == [(300, "G", "./1", "het")]
    assert t.stats.reference_only == 2 and t.stats.no_call == 3
    assert t.covered.to_dict("list") == {"chrom": ["chr17"], "start": [100], "end": [101]}
    assert t.no_calls["pos"].tolist() == [200, 400, 500]


def test_haploid_calls_are_hemizygous(tmp_path):
    t = vcf.load(
        write_vcf(tmp_path, ["chr17 100 . A G 50 PASS . GT 1", "chr17 200 . A G 50 PASS . GT 0"])
    )
    assert rows(t) == [(100, "G", "1", "hemi")]
    assert t.frame["ploidy"].tolist() == [1] and t.stats.reference_only == 1


def test_gvcf_blocks_and_star_alleles(tmp_path):
    path = write_vcf(tmp_path, [
        "chr17 100 . A <NON_REF> . . END=180 GT:DP 0/0:20",
        "chr17 181 . C G,<NON_REF> 50 PASS . GT:AD 0/1:5,4,0",
        "chr17 182 . T . . . END=250 GT 0/0",
        "chr17 300 . A *,G 50 PASS . GT 1/2",
    ])  # fmt: skip
    t = vcf.load(path)
    assert rows(t) == [(181, "G", "0/1", "het"), (300, "G", "1/2", "het")]
    assert t.stats.gvcf_blocks == 2 and t.stats.star_alleles == 1
    # the variant at 181 splits the reference evidence into two intervals
    assert t.covered.to_dict("list") == {
        "chrom": ["chr17", "chr17"],
        "start": [100, 182],
        "end": [180, 250],
    }


def test_symbolic_structural_variants_are_kept(tmp_path):
    path = write_vcf(
        tmp_path, ["chr17 1000 sv1 N <DEL> 50 PASS SVTYPE=DEL;END=5000;SVLEN=-4000 GT 0/1"]
    )
    f = vcf.load(path).frame
    assert f["is_sv"].tolist() == [True]
    assert (f["sv_type"][0], f["sv_end"][0], f["sv_len"][0]) == ("DEL", 5000, -4000)


def test_sites_only_file_keeps_rows_with_unknown_zygosity(tmp_path):
    t = vcf.load(write_vcf(tmp_path, ["chr17 100 . A G,T 50 PASS DP=9"], samples=()))
    assert rows(t) == [(100, "G", None, "unknown"), (100, "T", None, "unknown")]
    assert t.frame["dp"].tolist() == [9, 9]
    assert t.sample is None and any("zygosity 'unknown'" in n for n in t.stats.notes)


def test_multi_sample_files_need_a_sample(tmp_path):
    path = write_vcf(
        tmp_path, ["chr17 100 . A G 50 PASS . GT 0/1 1/1 0/0"], samples=("MOM", "KID", "DAD")
    )
    with pytest.raises(SampleError) as e:
        vcf.load(path)
    assert e.value.samples == ["MOM", "KID", "DAD"] and "KID" in str(e.value)
    with pytest.raises(SampleError, match="no sample called 'BOB'"):
        vcf.load(path, sample="BOB")
    assert rows(vcf.load(path, sample="KID")) == [(100, "G", "1/1", "hom")]
    assert vcf.load(path, sample="DAD").stats.reference_only == 1


# -- errors ------------------------------------------------------------------------------
def test_missing_empty_and_non_vcf_files(tmp_path):
    with pytest.raises(InputFileError, match="could not be found"):
        vcf.load(tmp_path / "nope.vcf")
    (tmp_path / "empty.vcf").write_bytes(b"")
    with pytest.raises(InputFileError, match="does not look like a VCF"):
        vcf.load(tmp_path / "empty.vcf")
    (tmp_path / "report.vcf").write_text("Patient report\nnothing here\n")
    with pytest.raises(InputFileError, match="does not look like a VCF"):
        vcf.inspect(tmp_path / "report.vcf")
    with pytest.raises(InputFileError, match="folder"):
        vcf.inspect(tmp_path)


def test_column_count_mismatch_is_explained(tmp_path):
    lines = ["chr17 100 . A G 50 PASS . GT 0/1 1/1", "chr17 200 . A G 50 PASS . GT 0/1"]
    path = write_vcf(tmp_path, lines, samples=("MOM", "KID"))
    with pytest.raises(InputFileError, match=r"Line 14 .* has 10 columns.*2 sample\(s\).*needs 11"):
        vcf.load(path, sample="KID")


def test_non_utf8_sample_name(tmp_path):
    path = write_vcf(tmp_path, ["chr17 100 . A G 50 PASS . GT 0/1"], samples=("RenXX",))
    path.write_bytes(path.read_bytes().replace(b"RenXX", b"Ren\xe9"))  # Latin-1, not UTF-8
    with pytest.raises(InputFileError, match="not UTF-8"):
        vcf.inspect(path)


@needs_htslib
def test_truncated_bgzip_is_never_a_short_table(tmp_path):
    lines = [f"chr17 {100 + i * 10} . A G 50 PASS . GT:AD 0/1:{i},{i}" for i in range(20000)]
    full = bgzip(write_vcf(tmp_path, lines), index=False)
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(InputFileError, match="ends early"):
        vcf.load(cut)
    # a plain-gzip copy cut short is caught while reading
    plain = tmp_path / "plain.vcf.gz"
    plain.write_bytes(gzip.compress(gzip.decompress(full.read_bytes()))[: full.stat().st_size // 2])
    with pytest.raises(InputFileError, match="ends early|damaged"):
        vcf.load(plain)


# -- regions -----------------------------------------------------------------------------
GENOME = [f"chr17 {pos} . A G 50 PASS . GT 0/1" for pos in range(1000, 60000, 1000)] + [
    f"chr13 {pos} . C T 50 PASS . GT 1/1" for pos in range(1000, 30000, 1000)
]
# chr13 sorts after chr17 in the header's contig order; write in that order
GENOME = GENOME[59:] + GENOME[:59]
HEADER_ORDERED = HEADER.replace(
    "##contig=<ID=chr17,length=83257441>\n##contig=<ID=chr13,length=114364328>",
    "##contig=<ID=chr13,length=114364328>\n##contig=<ID=chr17,length=83257441>",
)
REGIONS = [("17", 4500, 7000), ("chr13", 2000, 2000), ("13", 1500, 3500), ("22", 1, 100)]
EXPECTED = [("chr13", 2000), ("chr13", 3000), ("chr17", 5000), ("chr17", 6000), ("chr17", 7000)]


def _positions(table) -> list[tuple[str, int]]:
    return sorted(zip(table.frame["chrom"].astype(str), table.frame["pos"], strict=True))


@needs_index_queries
@needs_htslib
def test_regions_with_the_files_index_and_either_naming(tmp_path):
    path = bgzip(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED))
    t = vcf.load(path, regions=REGIONS)
    assert _positions(t) == EXPECTED
    assert t.regions == ["chr13:1500-3500", "chr17:4500-7000", "chr22:1-100"]
    assert t.info.indexed and (t.frame["record_index"] == -1).all()


@needs_index_queries
@needs_htslib
def test_regions_without_an_index_build_one_in_the_cache(tmp_path, _isolated_user_dirs):
    path = bgzip(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED), index=False)
    tmp_path.chmod(0o555)  # the user's folder may be read-only
    try:
        t = vcf.load(path, regions=REGIONS)
    finally:
        tmp_path.chmod(0o755)
    assert _positions(t) == EXPECTED
    assert list(tmp_path.glob("*.tbi")) == [] and list(tmp_path.glob("*.csi")) == []
    assert list((_isolated_user_dirs / "cache" / "indexes").glob("*.csi"))
    assert any("index was built" in n for n in t.stats.notes)


@needs_index_queries
@needs_htslib
def test_an_index_from_another_file_is_not_trusted(tmp_path):
    shifted = [line.replace("000 ", "007 ") for line in GENOME[:40]]
    header = HEADER_ORDERED + "##source=another_caller_with_a_longer_header\n" * 30
    other = bgzip(write_vcf(tmp_path, shifted, header=header, name="other.vcf"))
    path = bgzip(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED), index=False)
    shutil.copy(str(other) + ".tbi", str(path) + ".tbi")
    assert not vcf.inspect(path).indexed
    t = vcf.load(path, regions=REGIONS)
    assert _positions(t) == EXPECTED
    assert any("ignored" in n for n in t.stats.notes)


def test_regions_in_a_plain_vcf_are_found_by_scanning(tmp_path):
    t = vcf.load(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED), regions=REGIONS)
    assert _positions(t) == EXPECTED
    assert t.stats.records_read == len(GENOME)
    assert any("scanned" in n for n in t.stats.notes)


@needs_htslib
def test_region_records_spanning_two_regions_are_listed_once(tmp_path):
    lines = [
        "chr17 100 . AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A 50 PASS . GT 0/1",
        "chr17 125 . A G 50 PASS . GT 0/1",
    ]
    path = bgzip(write_vcf(tmp_path, lines))
    t = vcf.load(path, regions=[("17", 101, 110), ("17", 120, 126)])
    assert t.frame["pos"].tolist() == [100, 125]


@needs_htslib
def test_a_record_starting_between_two_regions_is_kept(tmp_path):
    """The deletion at 100-129 overlaps only the second region; it starts after the first."""
    lines = [
        "chr17 15 . A G 50 PASS . GT 0/1",
        "chr17 100 . AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A 50 PASS . GT 0/1",
    ]
    path = bgzip(write_vcf(tmp_path, lines))
    t = vcf.load(path, regions=[("17", 10, 20), ("17", 120, 126)])
    assert t.frame["pos"].tolist() == [15, 100]


# -- progress and cancel ----------------------------------------------------------------
def test_progress_is_reported_and_cancel_stops_the_load(tmp_path):
    lines = [f"chr17 {100 + i} . A G 50 PASS . GT 0/1" for i in range(30000)]
    path = write_vcf(tmp_path, lines)
    calls: list[tuple[int, int]] = []
    vcf.load(path, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (1, 1)
    token = CancelToken()

    def cancel_on_first(done: int, total: int) -> None:
        token.cancel()

    with pytest.raises(Cancelled):
        vcf.load(path, progress=cancel_on_first, cancel=token)


@needs_index_queries
@needs_htslib
def test_unsorted_file_falls_back_to_a_scan_for_regions(tmp_path):
    unsorted = list(reversed(GENOME))
    path = bgzip(write_vcf(tmp_path, unsorted, header=HEADER_ORDERED), index=False)
    t = vcf.load(path, regions=REGIONS)
    assert _positions(t) == EXPECTED
    assert any("not sorted" in n for n in t.stats.notes)


def test_sha256_matches_hashlib(tmp_path):
    import hashlib

    path = write_vcf(tmp_path, GENOME)
    seen: list[tuple[int, int]] = []
    digest = vcf.sha256_file(path, progress=lambda d, t: seen.append((d, t)))
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_non_utf8_bytes_in_a_record_are_shown_as_replacement_characters(tmp_path):
    path = write_vcf(
        tmp_path, ["chr17 100 rsXX A G 50 PASS . GT 0/1", "chr17 200 . A G 50 PASS . GT 0/1"]
    )
    path.write_bytes(path.read_bytes().replace(b"rsXX", b"rs\xe9"))
    t = vcf.load(path)
    assert t.frame["var_id"].tolist()[0] == "rs\ufffd" and len(t.frame) == 2


def test_vcf_without_fileformat_line(tmp_path):
    path = write_vcf(
        tmp_path, ["chr17 100 . A G 50 PASS . GT 0/1"], header=HEADER.split("\n", 1)[1]
    )
    with pytest.raises(InputFileError, match="no '##fileformat=VCF…' first line"):
        vcf.load(path)


@needs_index_queries
@needs_htslib
def test_index_contig_names_and_cancel_during_a_region_load(tmp_path):
    from pmviewer.core.vcf.index import index_contigs

    path = bgzip(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED))
    assert index_contigs(Path(str(path) + ".tbi")) == {"chr13", "chr17"}
    token = CancelToken()
    with pytest.raises(Cancelled):
        vcf.load(path, regions=REGIONS, progress=lambda d, t: token.cancel(), cancel=token)
    built = vcf.load(
        bgzip(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED, name="u.vcf"), index=False),
        regions=REGIONS,
    )
    assert index_contigs(Path(built.info.index_path)) == {"chr13", "chr17"}


def test_plain_vcf_cut_inside_a_line_is_reported(tmp_path):
    path = write_vcf(
        tmp_path, ["chr17 100 . A G 50 PASS . GT 0/1", "chr17 200 . A G 50 PASS . GT 0/1"]
    )
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"PASS") + 2])
    with pytest.raises(InputFileError, match="ends early"):
        vcf.load(path)
    path.write_bytes(data.rstrip(b"\n"))  # only the final newline missing: still complete
    assert len(vcf.load(path).frame) == 2


@needs_index_queries
@needs_htslib
def test_a_damaged_index_is_ignored(tmp_path):
    path = bgzip(write_vcf(tmp_path, GENOME, header=HEADER_ORDERED))
    Path(str(path) + ".tbi").write_bytes(b"\x1f\x8b garbage, not an index")
    assert not vcf.inspect(path).indexed
    t = vcf.load(path, regions=REGIONS)
    assert _positions(t) == EXPECTED
    assert any("ignored" in n for n in t.stats.notes)


# -- coverage evidence -------------------------------------------------------------------
GVCF_HEADER = HEADER + (
    '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="Minimum DP in the block">\n'
    '##ALT=<ID=NON_REF,Description="Any other allele">\n'
)


def _intervals(table) -> list[tuple[str, int, int]]:
    c = table.covered
    return list(zip(c["chrom"].astype(str), c["start"].tolist(), c["end"].tolist(), strict=True))


def test_zero_depth_reference_blocks_and_calls_are_not_covered(tmp_path):
    path = write_vcf(tmp_path, [
        "chr17 100 . A <NON_REF> . . END=199 GT:DP:GQ:MIN_DP 0/0:0:0:0",  # no reads
        "chr17 200 . A <NON_REF> . . END=299 GT:DP:GQ:MIN_DP 0/0:25:60:20",
        "chr17 300 . A <NON_REF> . . END=300 GT:DP:GQ:MIN_DP 0/0:1:0:1",  # a read, GQ 0
        "chr17 301 . A <NON_REF> . . END=399 GT:DP:GQ:MIN_DP 0/0:30:90:28",
        "chr17 400 . A <NON_REF> . . END=449 GT:GQ:MIN_DP 0/0:20:0",  # DeepVariant style
        "chr17 450 . A <NON_REF> . . END=499 GT:GQ:MIN_DP 0/0:20:12",
        "chr17 500 . A G 50 PASS . GT:DP:GQ 0/0:0:30",  # 0/0 call without reads
        "chr17 501 . A G 50 PASS . GT:DP:GQ 0/0:18:45",
        "chr17 502 . A G 50 PASS . GT 0/0",  # no depth or GQ given: trusted
        "chr17 600 . A <NON_REF> . . END=699 GT:DP:GQ 0/0:.:.",  # missing values: trusted
    ], header=GVCF_HEADER)  # fmt: skip
    t = vcf.load(path)
    assert _intervals(t) == [
        ("chr17", 200, 299), ("chr17", 301, 399), ("chr17", 450, 499), ("chr17", 501, 502),
        ("chr17", 600, 699),
    ]  # fmt: skip
    st = t.stats
    assert st.uncovered_blocks == 4 and st.gvcf_blocks == 7 and st.reference_only == 3
    assert len(t.frame) == 0


def _clip_reference(table, regions) -> list[tuple[str, int, int]]:
    """Full-load covered intervals intersected with the regions, touching pieces merged."""
    return clipped_intervals(_intervals(table), regions)


BLOCKS = [
    "chr17 100 . A <NON_REF> . . END=5000 GT:DP:GQ 0/0:30:90",
    "chr17 5001 . A G,<NON_REF> 50 PASS . GT:DP:GQ 0/1:30:90",
    "chr17 5002 . A <NON_REF> . . END=9000 GT:DP:GQ 0/0:30:90",
    "chr17 9001 . A <NON_REF> . . END=9500 GT:DP:GQ 0/0:0:0",
    "chr17 9501 . A <NON_REF> . . END=20000 GT:DP:GQ 0/0:25:70",
]
BLOCK_REGIONS = [("17", 1000, 1200), ("17", 4900, 5100), ("17", 8000, 9800), ("17", 19990, 30000)]


@needs_index_queries
@pytest.mark.parametrize("indexed", [True, False])
def test_region_loads_clip_covered_blocks_that_start_before_a_region(tmp_path, indexed):
    plain = write_vcf(tmp_path, BLOCKS, header=GVCF_HEADER)
    path = bgzip(plain) if indexed and shutil.which("bgzip") else plain
    full = vcf.load(path)
    part = vcf.load(path, regions=BLOCK_REGIONS)
    want = [
        ("chr17", 1000, 1200), ("chr17", 4900, 5000), ("chr17", 5002, 5100),
        ("chr17", 8000, 9000), ("chr17", 9501, 9800), ("chr17", 19990, 20000),
    ]  # fmt: skip
    assert _intervals(part) == want
    assert _clip_reference(full, [("chr17", s, e) for _, s, e in BLOCK_REGIONS]) == want
    assert part.info.indexed == (path is not plain)


@needs_htslib
def test_a_block_spanning_two_regions_is_covered_in_both(tmp_path):
    path = bgzip(write_vcf(tmp_path, BLOCKS[:1], header=GVCF_HEADER))
    part = vcf.load(path, regions=[("17", 200, 300), ("17", 400, 450)])
    assert _intervals(part) == [("chr17", 200, 300), ("chr17", 400, 450)]


@needs_index_queries
# -- warnings ----------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools needed to write BCF")
@needs_htslib
def test_region_queries_with_no_records_raise_no_warning(tmp_path):
    """cyvcf2 warns "no intervals found" for a contig the index lacks; none may escape."""
    gz = bgzip(write_vcf(tmp_path, ["chr17 100 . A G 50 PASS . GT 0/1"]))
    bcf = tmp_path / "t.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(bcf), str(gz)], check=True)
    subprocess.run(["bcftools", "index", str(bcf)], check=True)
    # chr13 is declared but has no records; chr5 and chrY are not declared at all
    regions = [("5", 1, 100), ("13", 1, 5000), ("17", 1000, 2000), ("Y", 1, 57_300_000)]
    filters_before = list(warnings.filters)
    for path in (gz, bcf):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = vcf.load(path, regions=regions)
            # a warning from elsewhere still gets through while a query runs
            warnings.warn("caller's own warning", UserWarning, stacklevel=1)
        assert t.info.indexed and len(t.frame) == 0, path.name
        assert [str(w.message) for w in caught] == ["caller's own warning"], path.name
    assert warnings.filters == filters_before
