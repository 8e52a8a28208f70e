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
    #                     | decision | marker (review columns) | qmark | zygosity | call_status
    tooltip: str = ""
    sort_key: str | None = None  # frame column used for sorting (default: key)
    width: int = 90  # initial width in pixels (the user's layout is remembered)

    @property
    def sort_column(self) -> str:
        return self.sort_key or self.key


# shown in both the findings and the All variants views
ZYGOSITY = Column("zygosity", "Zygosity", "text", width=75)
DEPTH = Column("dp", "DP", "int", "Read depth", width=50)
GENOTYPE_QUALITY = Column("gq", "GQ", "int", "Genotype quality", width=50)
VAF = Column("vaf", "VAF", "float2", "Variant allele fraction", width=50)

# Key columns first, sized so that they fit a 1280 px screen beside the detail panel:
# category, decision, gene, c./p., zygosity, classification, condition and a quality mark.
# The rest (position, override, stars, inheritance, DP/GQ/VAF, quality text) follow.
QUALITY_MARK = Column(
    "quality_mark",
    "⚠",
    "qmark",
    "Quality: a warning sign marks a call below the quality thresholds or failing FILTER "
    "(hover to read why)",
    sort_key="dp",
    width=26,
)

FINDING_COLUMNS = [
    Column(
        "category", "Category", "category", "Why the finding is listed: text and colour", width=92
    ),
    Column(
        "review_decision",
        "Decision",
        "decision",
        "Your review decision: include in the report, exclude, or not decided yet",
        width=74,
    ),
    Column("review_comment", "✎", "marker", "A comment was written (hover to read it)", width=24),
    Column(
        "kb_gene", "Gene", "text", "Gene from the knowledge base (else from the file)", width=64
    ),
    Column(
        "hgvs",
        "c. (p.)",
        "text",
        "HGVS c. (p.) from the knowledge base, else from the file, else ClinVar's genomic HGVS",
        width=150,
    ),
    Column("zygosity", "Zyg.", "zygosity", "Zygosity: Het, Hom, Hemi", width=44),
    Column("classification", "Classification", "text", "ClinVar classification", width=122),
    Column("condition", "Condition", "text", width=140),
    QUALITY_MARK,
    Column(
        "parents",
        "Parents",
        "text",
        "Mother's and father's genotypes at this site (family files); de novo is marked",
        sort_key="inherited_from",
        width=90,
    ),
    Column(
        "variant", "Variant", "variant", "chromosome:position REF>ALT", sort_key="pos", width=170
    ),
    Column(
        "review_override",
        "Override",
        "text",
        "Your classification, replacing ClinVar's (with a reason)",
        width=120,
    ),
    Column("review_stars", "Stars", "stars", "ClinVar review status, 0-4 stars", width=60),
    Column("inheritance", "Inh.", "text", "Inheritance: AD, AR or XL", width=45),
    DEPTH,
    GENOTYPE_QUALITY,
    VAF,
    Column(
        "quality", "Quality", "text", "FILTER and quality warnings", sort_key="filter", width=160
    ),
]

ALL_VARIANT_COLUMNS = [
    Column(
        "category",
        "Finding",
        "category",
        "The variant's finding category, if it is a finding",
        width=110,
    ),
    Column("chrom", "Chrom", "text", sort_key="pos", width=60),
    Column("pos", "Position", "pos", width=100),
    Column("ref", "Ref", "text", width=70),
    Column("alt", "Alt", "text", width=70),
    Column("var_id", "ID", "text", "rsID from the file", width=100),
    Column(
        "gene",
        "Gene",
        "text",
        "Gene from the file's own annotation, else the analysed gene whose span holds it",
        width=80,
    ),  # fmt: skip
    Column("consequence", "Consequence", "text", width=170),
    Column("hgvs_c", "HGVS c.", "text", width=150),
    Column("hgvs_p", "HGVS p.", "text", width=150),
    Column("genotype", "GT", "text", width=45),
    ZYGOSITY,
    Column("qual", "QUAL", "float1", width=65),
    Column("filter", "FILTER", "text", width=70),
    DEPTH,
    GENOTYPE_QUALITY,
    Column("ad", "AD", "text", "Reads supporting REF,ALT", sort_key="ad_alt", width=60),
    VAF,
]

PGX_COLUMNS = [
    Column("gene", "Gene", "text", width=80),
    Column("diplotype", "Diplotype", "text", width=190),
    Column("phenotype", "Phenotype", "text", width=210),
    Column("activity_score", "Activity score", "float1", width=95),
    Column(
        "call_status",
        "Call",
        "call_status",
        "Whether a diplotype could be called from this file",
        width=150,
    ),
    Column("positions", "Positions", "text", "Defining positions assessed / total", width=75),
    Column("n_recommendations", "CPIC recs", "int", "CPIC recommendations found", width=80),
]

# the frame columns each view needs to sort on
SORTABLE_ALL = [c.sort_column for c in ALL_VARIANT_COLUMNS] + ["chrom", "impact"]
