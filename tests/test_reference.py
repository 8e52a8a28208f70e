"""Full left-alignment with a small reference FASTA written by the test."""

import random

import pytest

from pmviewer.core.errors import InputFileError
from pmviewer.core.genome.reference import ReferenceFasta, left_align


@pytest.fixture()
def fasta(tmp_path):
    rng = random.Random(7)
    left = "".join(rng.choice("ACGT") for _ in range(97))
    # a homopolymer run and a dinucleotide repeat where indels can be written many ways
    seq = (
        left
        + "G"
        + "AAAAAA"
        + "C"
        + "CACACACA"
        + "T"
        + "".join(rng.choice("ACGT") for _ in range(300))
    )
    path = tmp_path / "mini.fa"
    lines = [seq[i : i + 60] for i in range(0, len(seq), 60)]
    path.write_text(">chr7 test contig\n" + "\n".join(lines) + "\n>chr8\nACGT\n")
    return path, seq


def test_fetch_reads_across_line_breaks(fasta):
    path, seq = fasta
    ref = ReferenceFasta(path)
    assert ref.fetch("7", 55, 70) == seq[54:70]
    assert ref.fetch("chr7", 1, 3) == seq[:3]
    assert ref.fetch("8", 1, 4) == "ACGT"
    assert ref.contigs == ["chr7", "chr8"]


def test_right_shifted_deletion_in_homopolymer_moves_left(fasta):
    path, seq = fasta
    ref = ReferenceFasta(path)
    run_start = 99  # 1-based position of the first A (the G anchor is at 98)
    assert seq[run_start - 1 : run_start + 5] == "AAAAAA"
    # deletion of one A written at the right end of the run
    right = (run_start + 4, "AA", "A")
    assert left_align(ref, "chr7", *right) == (98, "GA", "G")


def test_right_shifted_insertion_in_dinucleotide_repeat_moves_left(fasta):
    path, seq = fasta
    ref = ReferenceFasta(path)
    repeat_start = seq.index("CCACACACA") + 1  # the C before the repeat is the anchor
    last_a = repeat_start + 8
    assert seq[last_a - 1] == "A"
    assert left_align(ref, "7", last_a, "A", "ACA") == (repeat_start, "C", "CCA")


def test_mismatching_ref_is_left_unchanged(fasta):
    path, seq = fasta
    ref = ReferenceFasta(path)
    wrong = "".join("A" if b != "A" else "C" for b in seq[9:13])
    assert left_align(ref, "7", 10, wrong, wrong[0]) == (10, wrong, wrong[0])


def test_missing_and_compressed_references_are_refused(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        ReferenceFasta(tmp_path / "nope.fa")
    gz = tmp_path / "genome.fa.gz"
    gz.write_bytes(b"\x1f\x8b")
    with pytest.raises(InputFileError, match="uncompressed"):
        ReferenceFasta(gz)


def test_a_file_that_is_not_a_fasta_or_has_a_damaged_index_is_refused_in_words(tmp_path, fasta):
    vcf = tmp_path / "patient.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n")
    with pytest.raises(InputFileError, match="not a FASTA file"):
        ReferenceFasta(vcf)
    path, _ = fasta
    (tmp_path / "mini.fa.fai").write_text("chr7\tlots\n")
    with pytest.raises(InputFileError, match=r"index mini\.fa\.fai .* damaged") as caught:
        ReferenceFasta(path)
    assert "ValueError" not in str(caught.value) and "invalid literal" not in str(caught.value)
