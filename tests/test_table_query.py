"""Sorting and filtering of variant frames (core, no Qt)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmviewer.core.model import VARIANT_COLUMNS
from pmviewer.core.table_query import (
    FrameIndex,
    QueryTerm,
    TableFilter,
    consequence_terms,
    filter_mask,
    parse_quick_filter,
    quick_filter_mask,
    sort_order,
    visible_rows,
)


def make_frame(rows: list[dict]) -> pd.DataFrame:
    """A frame with exactly the VariantTable columns and dtypes."""
    defaults = {
        "chrom": "chr1",
        "pos": 1,
        "ref": "A",
        "alt": "G",
        "var_id": None,
        "qual": 50.0,
        "filter": "PASS",
        "allele_index": 1,
        "n_alts": 1,
        "genotype": "0/1",
        "allele_count": 1,
        "zygosity": "het",
        "ploidy": 2,
        "phased": False,
        "phase_set": None,
        "dp": 30,
        "gq": 99,
        "ad_ref": 15,
        "ad_alt": 15,
        "vaf": 0.5,
        "is_sv": False,
        "sv_type": None,
        "sv_end": None,
        "sv_len": None,
        "gene": None,
        "consequence": None,
        "impact": None,
        "transcript": None,
        "hgvs_c": None,
        "hgvs_p": None,
        "record_index": 0,
    }
    data = [{**defaults, "record_index": i, **row} for i, row in enumerate(rows)]
    frame = pd.DataFrame(data, columns=list(VARIANT_COLUMNS))
    return frame.astype({k: dtype for k, (dtype, _) in VARIANT_COLUMNS.items()})


@pytest.fixture
def frame() -> pd.DataFrame:
    return make_frame(
        [
            {
                "chrom": "chr17",
                "pos": 43_044_295,
                "gene": "BRCA1",
                "var_id": "rs80357906",
                "hgvs_c": "c.5266dupC",
                "hgvs_p": "p.Gln1756ProfsTer74",
                "consequence": "frameshift_variant",
                "impact": "HIGH",
                "qual": 900.0,
            },
            {
                "chrom": "chr13",
                "pos": 32_340_300,
                "gene": "BRCA2",
                "var_id": "rs1;rs80359550",
                "consequence": "missense_variant&splice_region_variant",
                "impact": "MODERATE",
                "zygosity": "hom",
                "genotype": "1/1",
                "qual": 20.0,
                "filter": "LowQual",
            },
            {
                "chrom": "chr2",
                "pos": 100,
                "gene": "TTN",
                "consequence": "synonymous_variant",
                "impact": "LOW",
                "qual": None,
                "filter": ".",
            },
            {
                "chrom": "chrX",
                "pos": 5_000,
                "gene": "DMD",
                "zygosity": "hemi",
                "genotype": "1",
                "consequence": "stop_gained",
                "impact": "HIGH",
                "qual": 20.0,
            },
            {
                "chrom": "chr17",
                "pos": 43_100_001,
                "gene": None,
                "sv_type": "DEL",
                "is_sv": True,
                "alt": "<DEL>",
                "sv_end": 43_200_000,
                "qual": 20.0,
            },
            {"chrom": "chr1", "pos": 10, "gene": "MUTYH", "qual": 35.5, "dp": None},
        ]
    )


def genes_of(frame: pd.DataFrame, rows) -> list:
    return [None if pd.isna(g) else g for g in frame["gene"].iloc[rows]]


# ---------------------------------------------------------------------------- parsing
@pytest.mark.parametrize(
    "text, expected",
    [
        ("chr17:43,044,295", QueryTerm("position", "chr17:43,044,295", "17", 43044295, 43044295)),
        ("17:43044295", QueryTerm("position", "17:43044295", "17", 43044295, 43044295)),
        (
            "chr17:43,000,000-43,100,000",
            QueryTerm("range", "chr17:43,000,000-43,100,000", "17", 43_000_000, 43_100_000),
        ),
        ("chrX:200-100", QueryTerm("range", "chrX:200-100", "X", 100, 200)),
        ("chrM", QueryTerm("chrom", "chrM", "MT")),
        ("RS80357906", QueryTerm("rsid", "rs80357906")),
        ("c.5266dupC", QueryTerm("hgvs", "c.5266dupC")),
        ("NM_007294.4:c.5266dupC", QueryTerm("hgvs", "NM_007294.4:c.5266dupC")),
        ("p.Gln1756fs", QueryTerm("hgvs", "p.Gln1756fs")),
        ("brca1", QueryTerm("gene", "BRCA1")),
        ("HLA-B", QueryTerm("gene", "HLA-B")),
        ("cardio*", QueryTerm("text", "cardio*")),
    ],
)
def test_parse_quick_filter_kinds(text, expected):
    assert parse_quick_filter(text) == [expected]


def test_parse_splits_terms_and_keeps_spaced_ranges():
    terms = parse_quick_filter("BRCA1  chr17:43,000,000 - 43,100,000; rs1")
    assert [t.kind for t in terms] == ["gene", "range", "rsid"]
    assert (terms[1].start, terms[1].end) == (43_000_000, 43_100_000)
    assert parse_quick_filter("   ") == []


# ---------------------------------------------------------------------------- filters
def test_quick_filter_gene_prefix_and_case(frame):
    assert genes_of(frame, np.flatnonzero(quick_filter_mask(frame, "brca"))) == ["BRCA1", "BRCA2"]
    assert genes_of(frame, np.flatnonzero(quick_filter_mask(frame, "BRCA2"))) == ["BRCA2"]


def test_quick_filter_position_range_and_sv_overlap(frame):
    assert np.flatnonzero(quick_filter_mask(frame, "chr17:43,044,295")).tolist() == [0]
    assert np.flatnonzero(quick_filter_mask(frame, "17:43044296")).tolist() == []
    # the deletion starts after the range end... and overlaps 43,150,000
    assert np.flatnonzero(quick_filter_mask(frame, "chr17:43,000,000-43,100,000")).tolist() == [0]
    assert np.flatnonzero(quick_filter_mask(frame, "chr17:43,150,000")).tolist() == [4]
    assert np.flatnonzero(quick_filter_mask(frame, "chrX")).tolist() == [3]


def test_quick_filter_rsid_hgvs_and_or(frame):
    assert np.flatnonzero(quick_filter_mask(frame, "rs80359550")).tolist() == [1]
    assert np.flatnonzero(quick_filter_mask(frame, "rs8035955")).tolist() == []  # whole IDs only
    assert np.flatnonzero(quick_filter_mask(frame, "c.5266dup")).tolist() == [0]
    assert np.flatnonzero(quick_filter_mask(frame, "p.gln1756")).tolist() == [0]
    assert np.flatnonzero(quick_filter_mask(frame, "TTN DMD")).tolist() == [2, 3]


def test_filter_quality_zygosity_consequence(frame):
    index = FrameIndex(frame)
    passed = filter_mask(frame, TableFilter(quality="pass"), index)
    assert passed.tolist() == [True, False, True, True, True, True]  # '.' counts as not filtered
    assert filter_mask(frame, TableFilter(quality="fail"), index).tolist() == (~passed).tolist()
    assert np.flatnonzero(filter_mask(frame, TableFilter(zygosity="hemi"), index)).tolist() == [3]
    high = filter_mask(frame, TableFilter(consequence="impact:HIGH"), index)
    assert np.flatnonzero(high).tolist() == [0, 3]
    splice = filter_mask(frame, TableFilter(consequence="splice_region_variant"), index)
    assert np.flatnonzero(splice).tolist() == [1]
    both = filter_mask(frame, TableFilter(text="brca", quality="pass"), index)
    assert np.flatnonzero(both).tolist() == [0]


def test_filter_categories_only_when_frame_has_them(frame):
    assert filter_mask(frame, TableFilter(categories=("reportable",))).all()
    findings = frame.assign(
        category=pd.Categorical(["reportable", "carrier", "other", "reportable", "other", "pgx"])
    )
    mask = filter_mask(findings, TableFilter(categories=("reportable",)))
    assert np.flatnonzero(mask).tolist() == [0, 3]


def test_consequence_terms_split_compound_terms(frame):
    terms = dict(consequence_terms(frame))
    assert terms["splice_region_variant"] == 1 and terms["missense_variant"] == 1
    assert "missense_variant&splice_region_variant" not in terms


def test_a_filter_keeping_everything_shares_one_read_only_mask(frame):
    index = FrameIndex(frame)
    mask = filter_mask(frame, TableFilter(), index)
    assert mask.tolist() == [True] * len(frame) and not mask.flags.writeable
    assert filter_mask(frame, TableFilter(), index) is mask
    order = index.file_order()
    assert order.tolist() == list(range(len(frame))) and not order.flags.writeable
    narrowed = filter_mask(frame, TableFilter(zygosity="het"), index)
    assert narrowed.flags.writeable and narrowed.sum() < len(frame)


def test_consequence_terms_are_kept_in_the_index_for_the_next_view_switch(frame):
    index = FrameIndex(frame)
    first = consequence_terms(frame, index)
    first.append(("edited_by_caller", 99))  # the cached list is not the one handed out
    assert consequence_terms(frame, index) == consequence_terms(frame)


# ---------------------------------------------------------------------------- sorting
def test_sort_by_position_is_karyotypic(frame):
    order = sort_order(frame, "pos")
    assert [frame["chrom"].iloc[i] for i in order] == [
        "chr1",
        "chr2",
        "chr13",
        "chr17",
        "chr17",
        "chrX",
    ]
    assert sort_order(frame, "pos", ascending=False).tolist() == order[::-1].tolist()


def test_sort_missing_last_both_ways_and_stable(frame):
    asc = sort_order(frame, "qual")
    desc = sort_order(frame, "qual", ascending=False)
    assert asc.tolist() == [1, 3, 4, 5, 0, 2]  # the three 20.0 stay in row order; NaN last
    assert desc.tolist() == [0, 5, 1, 3, 4, 2]
    assert genes_of(frame, sort_order(frame, "gene"))[-1] is None
    assert genes_of(frame, sort_order(frame, "gene", ascending=False)) == [
        "TTN",
        "MUTYH",
        "DMD",
        "BRCA2",
        "BRCA1",
        None,
    ]


def test_forget_makes_sort_and_text_filter_read_values_changed_in_place(frame):
    index = FrameIndex(frame)
    assert genes_of(frame, sort_order(frame, "gene", True, index))[0] == "BRCA1"
    assert index.contains("gene", "TTN").sum() == 1
    frame.loc[frame["gene"] == "TTN", "gene"] = "AAA1"  # e.g. a review column edited
    index.forget("gene")
    assert genes_of(frame, sort_order(frame, "gene", True, index))[0] == "AAA1"
    assert genes_of(frame, sort_order(frame, "gene", False, index))[-2] == "AAA1"
    assert index.contains("gene", "TTN").sum() == 0
    assert index.contains("gene", "AAA1").sum() == 1


def test_visible_rows_keeps_sort_order(frame):
    order = sort_order(frame, "qual", ascending=False)
    mask = filter_mask(frame, TableFilter(quality="pass"))
    assert visible_rows(order, mask).tolist() == [0, 5, 3, 4, 2]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False, width=32)),
        min_size=1,
        max_size=200,
    ),
    st.booleans(),
)
def test_sort_matches_pandas_stable_sort(values, ascending):
    frame = pd.DataFrame(
        {
            "qual": pd.array(values, dtype="float32"),
            "dp": pd.array([None if v is None else int(v) % 70_000 for v in values], dtype="Int32"),
        }
    )
    for column in ("qual", "dp"):
        expected = (
            frame[column].sort_values(ascending=ascending, kind="stable", na_position="last").index
        )
        assert sort_order(frame, column, ascending).tolist() == expected.tolist()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "C", None, "aa"]), min_size=1, max_size=100), st.booleans()
)
def test_sort_strings_matches_pandas(values, ascending):
    frame = pd.DataFrame({"gene": pd.array(values, dtype="string[pyarrow]")})
    index = FrameIndex(frame)
    expected = (
        frame["gene"].sort_values(ascending=ascending, kind="stable", na_position="last").index
    )
    assert sort_order(frame, "gene", ascending, index).tolist() == expected.tolist()
    # cached second call gives the same answer
    assert sort_order(frame, "gene", ascending, index).tolist() == expected.tolist()


def test_sort_and_filter_real_vcf(corpus_dir):
    from pmviewer.core import vcf

    table = vcf.load(str(corpus_dir / "a_germline" / "happy__PG_NA12878_hg38-chr21.vcf.gz"))
    frame = table.frame
    index = FrameIndex(frame)
    order = sort_order(frame, "dp", False, index)
    dp = frame["dp"].to_numpy(dtype="float64", na_value=np.nan)[order]
    present = dp[~np.isnan(dp)]
    assert (np.diff(present) <= 0).all() and np.isnan(dp[len(present) :]).all()
    some = frame.iloc[len(frame) // 2]
    text = f"{some['chrom']}:{int(some['pos']):,}"
    hits = np.flatnonzero(quick_filter_mask(frame, text, index))
    assert len(hits) >= 1 and all(frame["pos"].iloc[hits] == some["pos"])


def test_categorical_columns_sort_in_category_order(frame):
    from pmviewer.core.model import CATEGORIES

    findings = frame.assign(
        category=pd.Categorical(
            ["other", "carrier", "reportable", "pgx", "uncertain", None],
            categories=list(CATEGORIES),
        )
    )
    order = sort_order(findings, "category")
    assert [findings["category"].iloc[i] for i in order][:5] == [
        "reportable",
        "carrier",
        "uncertain",
        "pgx",
        "other",
    ]
    assert pd.isna(findings["category"].iloc[order[-1]])


def test_only_the_last_sorted_columns_keep_their_orders(corpus_dir):
    from pmviewer.core import table_sort, vcf

    frame = vcf.load(str(corpus_dir / "a_germline" / "happy__PG_NA12878_hg38-chr21.vcf.gz")).frame
    index = FrameIndex(frame)
    columns = ["filter", "ref", "qual", "alt", "dp", "gq", "var_id", "genotype", "vaf"]
    first = {c: sort_order(frame, c, False, index).copy() for c in columns}
    kept = columns[-table_sort.KEPT_SORTED_COLUMNS :]
    assert [c for c in columns if index.cached_order(c, True) is not None] == kept
    assert "ref" not in index._factor and "filter" in index._factor  # filters keep their codes
    # an evicted column is ranked again, to the same order
    assert sort_order(frame, "ref", False, index).tolist() == first["ref"].tolist()
    assert index.cached_order("ref", False) is not None
