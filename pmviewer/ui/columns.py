"""Which columns each view shows, with titles and how a cell is written.

A column is a key of the frame (or a derived key such as ``variant``), a title, and a kind
that decides formatting, alignment and the sort key. Kept apart from the model so the
model stays a plain index mapper.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # frame column, or a derived key: "variant", "ad", "quality"
    title: str
    kind: str = "text"  # text | int | float1 | float2 | stars | category | list | variant
    tooltip: str = ""
    sort_key: str | None = None  # frame column used for sorting (default: key)

    @property
    def sort_column(self) -> str:
        return self.sort_key or self.key


FINDING_COLUMNS = [
    Column("category", "Category", "category", "Why the finding is listed: text and colour"),
    Column("kb_gene", "Gene", "text", "Gene from the knowledge base (else from the file)"),
    Column("variant", "Variant", "variant", "chromosome:position REF>ALT", sort_key="pos"),
    Column("hgvs", "HGVS", "text", "HGVS c. (p.) from the knowledge base, else from the file"),
    Column("classification", "ClinVar classification", "text"),
    Column("review_stars", "Stars", "stars", "ClinVar review status, 0-4 stars"),
    Column("zygosity", "Zygosity", "text"),
    Column("condition", "Condition", "text"),
    Column("inheritance", "Inh.", "text", "Inheritance: AD, AR or XL"),
    Column("dp", "DP", "int", "Read depth"),
    Column("gq", "GQ", "int", "Genotype quality"),
    Column("vaf", "VAF", "float2", "Variant allele fraction"),
    Column("quality", "Quality", "text", "FILTER and quality warnings", sort_key="filter"),
]

ALL_VARIANT_COLUMNS = [
    Column("chrom", "Chrom", "text", sort_key="pos"),
    Column("pos", "Position", "int"),
    Column("ref", "Ref", "text"),
    Column("alt", "Alt", "text"),
    Column("var_id", "ID", "text", "rsID from the file"),
    Column("gene", "Gene", "text", "Gene from the file's own annotation"),
    Column("consequence", "Consequence", "text"),
    Column("hgvs_c", "HGVS c.", "text"),
    Column("hgvs_p", "HGVS p.", "text"),
    Column("genotype", "GT", "text"),
    Column("zygosity", "Zygosity", "text"),
    Column("qual", "QUAL", "float1"),
    Column("filter", "FILTER", "text"),
    Column("dp", "DP", "int", "Read depth"),
    Column("gq", "GQ", "int", "Genotype quality"),
    Column("ad", "AD", "text", "Reads supporting REF,ALT", sort_key="ad_alt"),
    Column("vaf", "VAF", "float2", "Variant allele fraction"),
]

PGX_COLUMNS = [
    Column("category", "Category", "category"),
    Column("gene", "Gene", "text"),
    Column("diplotype", "Diplotype", "text"),
    Column("phenotype", "Phenotype", "text"),
    Column("activity_score", "Activity score", "float1"),
    Column("call_status", "Call", "text", "called, partial, no_match, no_data or not_callable"),
    Column("positions", "Positions", "text", "Defining positions assessed / total"),
    Column("n_recommendations", "Recommendations", "int", "CPIC recommendations found"),
]

# the frame columns each view needs to sort on
SORTABLE_ALL = [c.sort_column for c in ALL_VARIANT_COLUMNS]
