"""Tumour files are recognised from their own headers, and never analysed as germline."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from pmviewer.core import vcf
from pmviewer.core.tumour import (
    MERGED_COLUMN,
    TUMOUR_NORMAL,
    TUMOUR_ONLY,
    TumourFileError,
    germline_choice,
    low_fraction_warning,
    read_calls,
    recognise,
)

SOMATIC = "i_somatic"
# file -> (caller, layout, tumour column, normal column), as SOURCES-somatic.md documents them
EXPECTED = {
    "gatk__mutect_filtering_NA12878.vcf": ("GATK Mutect2", TUMOUR_NORMAL, "SM-612V3", "SM-612V6"),
    "gatk__mutect_createpon_sample1.vcf": ("GATK Mutect2", TUMOUR_ONLY, "sample1", None),
    "vcf2maf__test_strelka.vcf": ("Strelka", TUMOUR_NORMAL, "TUMOR", "NORMAL"),
    "vstol__colo829-dna-illumina-realigned_strelka2_indels.chr1.vcf.gz": ("Strelka", TUMOUR_NORMAL, "TUMOR", "NORMAL"),
    "vcf2maf__test_varscan.vcf": ("VarScan2", TUMOUR_NORMAL, "TUMOR", "NORMAL"),
    "vardictjava__vardict.paired.vcf": ("VarDict", TUMOUR_NORMAL, "abc", "abc-match"),
    "vcf2maf__test_muse.vcf": ("MuSE", TUMOUR_NORMAL, "TUMOR", "NORMAL"),
    "hmftools__TUMOR_SAMPLE.purple.somatic.vcf.gz": ("Hartwig SAGE/PURPLE", TUMOUR_NORMAL, "COLO829v003T", "COLO829v003R"),
    "vstol__colo829_clairs_output.vcf.gz": ("ClairS", MERGED_COLUMN, "SAMPLE", None),
    "pcgr__T001-COAD.grch38.vcf.gz": ("PCGR-style tumour calls", MERGED_COLUMN,
                                      "TCGA-A6-2686-01A-01D-1408-10_TCGA-A6-2686-10A-01D-2188-10", None),
    "vcf2maf__test_radia.vcf": ("RADIA", TUMOUR_NORMAL, "DNA_TUMOR", "DNA_NORMAL"),
    "vcf2maf__test_merged.vcf": ("TCGA merged somatic calls", TUMOUR_NORMAL, "TUMOR", "NORMAL"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_caller_is_recognised_with_its_sample_roles(corpus_dir, name):
    found = recognise(vcf.read_header(corpus_dir / SOMATIC / name))
    caller, layout, tumour, normal = EXPECTED[name]
    assert found.is_tumour
    assert (found.caller, found.layout, found.tumour_sample, found.normal_sample) == (
        caller, layout, tumour, normal,
    )  # fmt: skip
    assert found.evidence  # the counselor is told why


def test_every_somatic_corpus_file_is_recognised(corpus_dir):
    files = sorted(
        p for p in (corpus_dir / SOMATIC).iterdir() if p.name.endswith((".vcf", ".vcf.gz"))
    )
    assert len(files) == 15
    assert all(recognise(vcf.read_header(p)).is_tumour for p in files)


@pytest.mark.parametrize("name", [
    "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz", "c_gvcf/glnexus__NA12878.g.vcf.gz",
    "b_multisample/scout__643594.clinical.vcf.gz", "f_pgx/pharmcat__PharmCAT.example.vcf",
])  # fmt: skip
def test_germline_files_are_not_tumour_files(corpus_dir, name):
    path = corpus_dir / name
    if not path.exists():
        pytest.skip(f"{name} not in this corpus")
    assert not recognise(vcf.read_header(path)).is_tumour
    choice = germline_choice(path, None, None)
    assert choice.note is None and choice.sample is None


def test_tumour_normal_file_germline_analysis_reads_the_normal_only(corpus_dir):
    path = corpus_dir / SOMATIC / "gatk__mutect_filtering_NA12878.vcf"
    choice = germline_choice(path, None, "germline")
    assert choice.sample == "SM-612V6"
    assert "normal sample SM-612V6 only" in choice.note and "SM-612V3" in choice.note


def test_without_a_mode_a_tumour_file_is_a_question(corpus_dir):
    path = corpus_dir / SOMATIC / "gatk__mutect_filtering_NA12878.vcf"
    with pytest.raises(TumourFileError) as caught:
        germline_choice(path, None, None)
    message = str(caught.value)
    assert "tumour file" in message and "Mutect2" in message and "--mode tumour" in message
    assert caught.value.can_analyse_normal


def test_the_tumour_sample_is_refused_for_germline_analysis(corpus_dir):
    path = corpus_dir / SOMATIC / "gatk__mutect_filtering_NA12878.vcf"
    with pytest.raises(TumourFileError, match="SM-612V3 is the tumour"):
        germline_choice(path, "SM-612V3", "germline")


@pytest.mark.parametrize("name,why", [
    ("gatk__mutect_createpon_sample1.vcf", "tumour sample only"),
    ("pcgr__T001-COAD.grch37.vcf.gz", "mixes the tumour with the normal"),
    ("vstol__colo829_clairs_output.vcf.gz", "mixes the tumour with the normal"),
])  # fmt: skip
def test_files_without_a_separate_normal_are_refused(corpus_dir, name, why):
    with pytest.raises(TumourFileError, match=why) as caught:
        germline_choice(corpus_dir / SOMATIC / name, None, "germline")
    assert "tumour report" in str(caught.value) and not caught.value.can_analyse_normal


def test_the_tcga_file_no_longer_gives_a_li_fraumeni_finding(corpus_dir):
    """Issue 12's example: the TCGA tumour/normal file gave a TP53 'secondary finding'."""
    from pmviewer.core.pipeline import analyse

    with pytest.raises(TumourFileError):
        analyse(corpus_dir / "h_actionable" / "cpsr__example.vcf.gz", build="GRCh37")
    with pytest.raises(TumourFileError, match="mixes the tumour"):
        analyse(
            corpus_dir / "h_actionable" / "cpsr__example.vcf.gz", build="GRCh37", mode="germline"
        )


def _raw_records(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as handle:
        header = [ln for ln in handle if ln.startswith("#CHROM")]
    with opener(path, "rt") as handle:
        rows = [ln.rstrip("\n").split("\t") for ln in handle if not ln.startswith("#")]
    return header[0].rstrip("\n").split("\t"), rows


def test_strelka_fraction_is_computed_from_tier1_base_counts(corpus_dir):
    path = corpus_dir / SOMATIC / "vcf2maf__test_strelka.vcf"
    header, rows = _raw_records(path)
    t = header.index("TUMOR")
    calls = {(c.chrom, c.pos): c for c in read_calls(path, recognise(vcf.read_header(path))).calls}
    checked = 0
    for row in rows[:70]:
        fmt = dict(zip(row[8].split(":"), row[t].split(":"), strict=True))
        if "TIR" in fmt:  # the file also holds a few Strelka indel records
            tir, tar = int(fmt["TIR"].split(",")[0]), int(fmt["TAR"].split(",")[0])
            call = calls[(row[0], int(row[1]))]
            assert (call.alt_reads, call.depth) == (tir, tir + tar)
            continue
        counts = {b: int(fmt[f"{b}U"].split(",")[0]) for b in "ACGT"}
        total = sum(counts.values())
        call = calls[(row[0], int(row[1]))]
        assert call.depth == total and call.alt_reads == counts[row[4]]
        assert call.vaf == pytest.approx(counts[row[4]] / total)
        checked += 1
    assert checked >= 60
    braf = calls[("7", 140453136)]
    assert braf.alt_reads == 191 and braf.vaf == pytest.approx(191 / braf.depth)


def test_varscan_percent_strings_and_somatic_status(corpus_dir):
    path = corpus_dir / SOMATIC / "vcf2maf__test_varscan.vcf"
    header, rows = _raw_records(path)
    t = header.index("TUMOR")
    found = read_calls(path, recognise(vcf.read_header(path)))
    calls = {(c.chrom, c.pos, c.alt): c for c in found.calls}
    for row in rows[:50]:
        fmt = dict(zip(row[8].split(":"), row[t].split(":"), strict=True))
        key = (row[0], int(row[1]), row[4])
        if key in calls:
            assert calls[key].vaf == pytest.approx(float(fmt["FREQ"].rstrip("%")) / 100)
    statuses = {c.status for c in found.calls}
    assert found.fate["status_germline"] > 0 and found.fate["status_LOH"] > 0
    assert {"somatic", "germline", "LOH"} <= statuses


def test_clairs_normal_fraction_comes_from_the_tumour_column(corpus_dir):
    path = corpus_dir / SOMATIC / "vstol__colo829_clairs_output.vcf.gz"
    calls = read_calls(path, recognise(vcf.read_header(path))).calls
    braf = next(c for c in calls if (c.chrom, c.pos) == ("7", 140753336))
    assert braf.vaf == pytest.approx(0.77, abs=0.01) and braf.normal_vaf is not None


def test_low_allele_fraction_warning_for_germline_files():
    het = pd.DataFrame(
        {
            "zygosity": ["het"] * 40,
            "vaf": [0.5] * 28 + [0.12] * 12,
            "dp": [40] * 40,
            "is_sv": [False] * 40,
        }
    )
    warning = low_fraction_warning(het)
    assert warning and "12 of 40" in warning and "mosaic" in warning
    normal = pd.DataFrame(
        {"zygosity": ["het"] * 40, "vaf": [0.48] * 38 + [0.2] * 2, "dp": [40] * 40}
    )
    assert low_fraction_warning(normal) is None
    shallow = het.assign(dp=5)  # fractions from five reads say nothing
    assert low_fraction_warning(shallow) is None
    assert low_fraction_warning(het.assign(is_sv=True)) is None  # SV fractions are not counted
    assert low_fraction_warning(het.iloc[-15:]) is None  # too few calls (12 of them low)


def test_a_real_tumour_column_read_as_germline_gets_the_warning(corpus_dir):
    """Positive control: the Mutect2 tumour column, loaded as if it were a germline sample."""
    table = vcf.load(
        str(corpus_dir / SOMATIC / "gatk__mutect_filtering_NA12878.vcf"), sample="SM-612V3"
    )
    assert low_fraction_warning(table.frame) is not None


def test_a_real_germline_genome_gets_no_low_fraction_warning(corpus_dir):
    table = vcf.load(str(corpus_dir / "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"))
    assert low_fraction_warning(table.frame) is None
