"""Indels placed differently inside repeats match CIViC's coordinates.

CIViC writes an indel at the 3' end of its repeat (the HGVS rule); callers left-align it. The
bases between the two placements are the ones the bundled ClinVar VCF and CIViC state (no
reference genome is bundled), quoted here for each case.
"""

from __future__ import annotations

import pytest
from tumour_cases import MUTECT2_HEADER, civic_ids, civic_rows

from pmviewer.core.genome.alleles import KnownBases, bare_alleles, left_shift, slide_left
from pmviewer.core.oncology import analyse_tumour

# GRCh38 chr7:55,174,772-55,174,794, EGFR exon 19, as CIViC's own alleles state it
# (E746_A750del, L747_P753delinsS and L747_S752delinsQ; GRCh37 coordinates + 67,693 bases).
EGFR_EXON_19 = (55174772, "GGAATTAAGAGAAGCAACATCTC")


@pytest.fixture(scope="module")
def rows(knowledge_sources):
    return civic_rows()


def _vcf(tmp_path, name, records, contig=("chr7", 159345973)):
    header = MUTECT2_HEADER.replace(
        "##contig=<ID=chr7,length=159345973,assembly=GRCh38>",
        f"##contig=<ID={contig[0]},length={contig[1]},assembly=GRCh38>",
    )
    lines = [header.rstrip("\n")] + [
        f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\tTLOD=80.1\tGT:AD:AF:DP\t"
        "0/1:120,60:0.33:180\t0/0:90,0:0.01:90"
        for chrom, pos, ref, alt in records
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_right_shifted_exon_19_deletion_slides_to_its_left_aligned_place():
    known = KnownBases()
    known.add(*EGFR_EXON_19)
    right = bare_alleles(55174776, "TTAAGAGAAGCAACAT", "T")  # 15 bases, c.2240_2254del style
    assert right == (55174777, "TAAGAGAAGCAACAT", "")
    assert left_shift(*right, known) == (55174775, "ATTAAGAGAAGCAAC", "")
    assert [p for p, _r, _a in slide_left(*right, known)] == [55174777, 55174776, 55174775]
    assert left_shift(55174772, "GGAATTAAGAGAAGC", "", known) == (55174772, "GGAATTAAGAGAAGC", "")


def test_a_conflict_between_stated_bases_stops_the_slide():
    known = KnownBases()
    known.add(100, "GGG")
    known.add(100, "TGG")  # two records disagree at position 100
    assert left_shift(102, "G", "", known) == (101, "G", "")


def test_both_writings_of_an_exon_19_deletion_get_the_same_evidence(tmp_path, kb, rows):
    left = _vcf(tmp_path, "left.vcf", [("chr7", 55174774, "AATTAAGAGAAGCAAC", "A")])
    right = _vcf(tmp_path, "right.vcf", [("chr7", 55174776, "TTAAGAGAAGCAACAT", "T")])
    found = []
    for path in (left, right):
        (deletion,) = [f for f in analyse_tumour(path, "DOID:3910", knowledge=kb).findings
                       if f.gene == "EGFR"]  # fmt: skip
        assert deletion.exon == 19 and deletion.tier == "Tier I"
        found.append({int(e["civic_evidence_id"]) for e in deletion.evidence})
    assert found[0] == found[1] and civic_ids("EGFR Exon 19 Deletion", rows) <= found[0]


@pytest.mark.parametrize("gene,profile,record,contig", [
    # CIViC: chr3:37,047,639 AAG deleted (GRCh38); left-aligned by the caller at 37,047,632.
    # ClinVar's REF alleles state chr3:37,047,631-37,047,642 as TGAAGAAGAAGG.
    ("MLH1", "MLH1 K618DEL", ("chr3", 37047631, "TGAA", "T"), ("chr3", 198295559)),
    # CIViC: chr4:54,727,446 GTT deleted; CIViC's KIT alleles state 54,727,442-54,727,448 GGTTGTT.
    ("KIT", "KIT V560DEL", ("chr4", 54727442, "GGTT", "G"), ("chr4", 190214555)),
])  # fmt: skip
def test_a_left_aligned_deletion_matches_civics_3_prime_coordinates(
    tmp_path, kb, rows, gene, profile, record, contig
):
    path = _vcf(tmp_path, f"{gene}.vcf", [record], contig)
    (finding,) = [f for f in analyse_tumour(path, "DOID:162", knowledge=kb).findings
                  if f.gene == gene]  # fmt: skip
    assert "exact coordinates" in finding.match_kinds
    ids = {int(e["civic_evidence_id"]) for e in finding.evidence}
    assert civic_ids(profile, rows) <= ids
