from hypothesis import given
from hypothesis import strategies as st

from pmviewer.core.genome.normalize import canonical_chrom, file_chrom, normalise_key, trim_alleles


def test_contig_names_are_canonical():
    assert canonical_chrom("chr17") == "17"
    assert canonical_chrom("17") == "17"
    assert canonical_chrom("chrM") == "MT"
    assert canonical_chrom("M") == "MT"
    assert canonical_chrom("chrx") == "X"
    assert file_chrom("MT", True) == "chrM"
    assert file_chrom("X", False) == "X"


def test_padded_and_mnp_spellings_reduce_to_the_same_key():
    # a SNV written inside an MNP-style block, and a deletion with trailing context
    assert trim_alleles(100, "ACGT", "AGGT") == (101, "C", "G")
    assert trim_alleles(100, "CTTTA", "CTTA") == (100, "CT", "C")
    assert normalise_key("chr1", 100, "CTTTA", "CTTA") == normalise_key("1", 100, "CT", "C")


def test_symbolic_alleles_are_left_alone():
    assert trim_alleles(5, "A", "<DEL>") == (5, "A", "<DEL>")


bases = st.text(alphabet="ACGT", min_size=1, max_size=6)


@given(bases, bases, bases, bases)
def test_trimming_is_idempotent_and_keeps_an_anchor(prefix, ref_core, alt_core, suffix):
    ref, alt = prefix + ref_core + suffix, prefix + alt_core + suffix
    pos, r, a = trim_alleles(1000, ref, alt)
    assert r and a
    assert trim_alleles(pos, r, a) == (pos, r, a)
    if ref != alt:
        assert not (len(r) > 1 and len(a) > 1 and r[-1] == a[-1])
