"""Unannotated files: the gene column is filled from the knowledge's gene spans, so a gene
search finds the records the detail panel names."""

from __future__ import annotations

import pandas as pd

from pmviewer.core.annotation import fill_genes, spans_for_build
from pmviewer.core.knowledge import open_knowledge
from pmviewer.core.resources import demo_vcf_path
from pmviewer.core.table_query import TableFilter, filter_mask
from pmviewer.core.vcf import load


def test_brca2_records_of_an_unannotated_file_are_found():
    with open_knowledge() as kb:
        genes = kb.genes()
    spans = spans_for_build(genes.to_dict("records"), "GRCh38")
    brca2 = next(s for s in spans if s[3] == "BRCA2")
    table = load(demo_vcf_path(), sample="SYNTHETIC_DEMO")
    frame = table.frame
    filled = fill_genes(frame, spans)
    inside = (frame["chrom"].astype(str).str.removeprefix("chr") == brca2[0]) & frame[
        "pos"
    ].between(brca2[1], brca2[2])
    assert inside.sum() > 0
    assert frame.loc[inside, "gene"].isna().all()  # the file names no gene there
    assert (filled.loc[inside, "gene"].astype(str) == "BRCA2").all()
    found = filter_mask(filled, TableFilter(text="BRCA2"))
    assert found.sum() == inside.sum()
    assert filter_mask(frame, TableFilter(text="BRCA2")).sum() == 0  # what it was before


def test_the_files_own_gene_is_kept():
    frame = pd.DataFrame(
        {"chrom": ["chr17", "chr17"], "pos": [43_044_300, 43_044_400], "gene": ["OWN", None]}
    )
    filled = fill_genes(frame, [("17", 43_044_000, 43_125_000, "BRCA1")])
    assert filled["gene"].astype(str).tolist() == ["OWN", "BRCA1"]


def test_filled_genes_sort_alphabetically_and_the_first_span_wins():
    from pmviewer.core.table_query import sort_order

    frame = pd.DataFrame(
        {
            "chrom": pd.Categorical(["chr2", "chr1", "chr1", "chr1", "chrX"]),
            "pos": [150, 300, 100, 120, 50],
            "gene": pd.array(["ZZZ3", None, None, None, None], dtype="string"),
        }
    )
    spans = [("1", 90, 130, "BBB1"), ("1", 110, 400, "AAA1"), ("2", 1, 10, "CCC2")]
    filled = fill_genes(frame, spans)
    assert filled["gene"].astype(object).fillna("-").tolist() == [
        "ZZZ3",
        "AAA1",
        "BBB1",
        "BBB1",
        "-",
    ]
    assert list(filled["gene"].cat.categories) == ["AAA1", "BBB1", "CCC2", "ZZZ3"]
    # the Gene column sorts in alphabetical order, unannotated rows last
    assert sort_order(filled, "gene").tolist() == [1, 2, 3, 0, 4]
