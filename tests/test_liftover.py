"""Chain-file liftover: synthetic chains for the edge cases, the Ensembl chains for real facts."""

from __future__ import annotations

import csv
import gzip

import pytest

from pmviewer.core.genome.liftover import ChainMap, reverse_complement
from pmviewer.core.genome.normalize import normalise_key

# Source chr "1" (size 1000). Chain A: + strand, two blocks 100-200 -> 500-600 and
# 250-300 -> 650-700 (a 50 bp gap on both sides). Chain B: maps 400-410 to the - strand of
# target "2" (size 1000). Chains C/D overlap at 800-810 to test multi-hit rules.
SYNTHETIC = """\
chain 1 1 1000 + 100 300 1 1000 + 500 700 1
100 50 50
50

chain 1 1 1000 + 400 410 2 1000 - 100 110 2
10

chain 1 1 1000 + 790 830 1 1000 + 10 50 3
40

chain 1 1 1000 + 800 810 1 1000 + 300 310 4
10

chain 1 1 1000 + 900 910 3 1000 + 0 10 5
10

chain 1 1 1000 + 900 920 4 1000 + 0 20 6
20

chain 1 chr1 1000 + 0 1000 chr1 1000 + 0 1000 7
1000
"""


@pytest.fixture
def chain() -> ChainMap:
    return ChainMap.from_lines(SYNTHETIC.splitlines())


def test_plus_strand_block_offsets(chain):
    assert chain.lift_position("1", 101) == ("1", 501, "+")  # first base of block 1
    assert chain.lift_position("chr1", 200) == ("1", 600, "+")  # chr prefix tolerated
    assert chain.lift_position("1", 251) == ("1", 651, "+")  # second block after the gap
    assert chain.lift_position("1", 220) is None  # inside the gap
    assert chain.hits("1", 50) == []


def test_minus_strand_reverse_complements_snv(chain):
    # source 0-based 400 -> q 100 on the - strand -> forward 0-based 1000-1-100 = 899
    assert chain.lift_position("1", 401) == ("2", 900, "-")
    result = chain.lift_variant("1", 401, "A", "G")
    assert result.key == normalise_key("2", 900, "T", "C")
    assert result.reason == "ok"


def test_minus_strand_indel_is_dropped(chain):
    result = chain.lift_variant("1", 401, "AC", "A")
    assert result.key is None and result.reason == "minus_strand_indel"


def test_indel_across_a_gap_is_dropped(chain):
    assert chain.lift_variant("1", 199, "ACG", "A").reason == "indel_spans_gap"
    assert chain.lift_variant("1", 198, "ACG", "A").key == normalise_key("1", 598, "ACG", "A")


def test_multi_hit_prefers_same_chromosome_plus_strand_longest_block(chain):
    # 801 is in chain 3 (40 bp block, -> 21) and chain 4 (10 bp block, -> 301)
    assert len(chain.hits("1", 801)) == 2
    assert chain.lift_position("1", 801) == ("1", 21, "+")


def test_multi_hit_on_other_chromosomes_is_ambiguous(chain):
    hit, reason = chain.best_hit("1", 901)
    assert hit is None and reason == "ambiguous"
    assert chain.lift_variant("1", 901, "A", "C").reason == "ambiguous"


def test_chr_named_duplicate_chains_are_ignored(chain):
    # the chr1 -> chr1 chain would map 50 -> 50 if it were read
    assert chain.lift_position("1", 51) is None


def test_reverse_complement():
    assert reverse_complement("ACGTN") == "NACGT"


@pytest.fixture(scope="module")
def ensembl(knowledge_sources):
    return (
        ChainMap.from_file(knowledge_sources / "liftover" / "GRCh38_to_GRCh37.chain.gz"),
        ChainMap.from_file(knowledge_sources / "liftover" / "GRCh37_to_GRCh38.chain.gz"),
    )


def _rows(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t")


def _keys(row):
    g38 = normalise_key(
        row["grch38_chrom"], int(row["grch38_pos"]), row["grch38_ref"], row["grch38_alt"]
    )
    g37 = normalise_key(
        row["grch37_chrom"], int(row["grch37_pos"]), row["grch37_ref"], row["grch37_alt"]
    )
    return g38, g37


def test_every_two_build_clinvar_record_lifts_to_its_stated_grch37_key(knowledge_sources, ensembl):
    to37, _ = ensembl
    files = sorted((knowledge_sources / "clinvar").glob("*GRCh38_GRCh37*.tsv"))
    assert files
    rows = [r for f in files for r in _rows(f)]
    assert len(rows) > 800
    wrong = []
    for row in rows:
        g38, g37 = _keys(row)
        lifted = to37.lift_variant(*g38)
        if lifted.key != g37:
            wrong.append((row["variation_id"], g38, g37, lifted))
    assert wrong == []


def test_founder_records_lift_both_ways(knowledge_sources, ensembl):
    to37, to38 = ensembl
    rows = list(_rows(knowledge_sources / "curated" / "recessive_founders.tsv"))
    assert len(rows) >= 13
    for row in rows:
        g38, g37 = _keys(row)
        assert to37.lift_variant(*g38).key == g37, row["variant_label"]
        assert to38.lift_variant(*g37).key == g38, row["variant_label"]


def test_only_primary_chromosomes_are_indexed(ensembl):
    to37, _ = ensembl
    assert set(to37.chromosomes) <= {str(i) for i in range(1, 23)} | {"X", "Y", "MT"}
    assert {"1", "17", "X"} <= set(to37.chromosomes)
