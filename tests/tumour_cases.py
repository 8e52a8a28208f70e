"""Small lung tumour VCFs written by the tests, and CIViC's own statements read from its TSV.

The lung file is a GATK Mutect2 tumour–normal file (GRCh38) with EGFR L858R, an EGFR exon 19
deletion (p.E746_A750del, c.2235_2249del) and KRAS G12C at the coordinates CIViC and ClinVar
give for them; ALK is untouched (its fusions cannot be seen in a small-variant VCF).
"""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import KNOWLEDGE_SOURCES

MUTECT2_HEADER = """##fileformat=VCFv4.2
##source=Mutect2
##GATKCommandLine=<ID=Mutect2,CommandLine="Mutect2 -R Homo_sapiens_assembly38.fasta -I tumour.bam -I normal.bam -normal N01",Version="4.2.0.0">
##tumor_sample=T01
##normal_sample=N01
##reference=file:///ref/Homo_sapiens_assembly38.fasta
##contig=<ID=chr7,length=159345973,assembly=GRCh38>
##contig=<ID=chr12,length=133275309,assembly=GRCh38>
##FILTER=<ID=PASS,Description="All filters passed">
##INFO=<ID=TLOD,Number=A,Type=Float,Description="Log 10 likelihood ratio score of variant existing versus not existing">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles in the order listed">
##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions of alternate alleles in the tumor">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	T01	N01
"""

# (chrom, pos, ref, alt, tumour AD, tumour AF): GRCh38
LUNG_CALLS = [
    ("chr7", 55174771, "AGGAATTAAGAGAAGC", "A", "180,60", "0.25"),  # EGFR E746_A750del
    ("chr7", 55191822, "T", "G", "120,80", "0.4"),  # EGFR L858R
    ("chr12", 25245351, "C", "A", "150,50", "0.25"),  # KRAS G12C
]


def write_lung_vcf(path: Path, calls=LUNG_CALLS) -> Path:
    lines = [MUTECT2_HEADER.rstrip("\n")]
    for chrom, pos, ref, alt, ad, af in calls:
        depth = sum(int(x) for x in ad.split(","))
        lines.append(
            f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\tTLOD=120.5\tGT:AD:AF:DP\t"
            f"0/1:{ad}:{af}:{depth}\t0/0:90,0:0.01:90"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def civic_rows() -> list[dict[str, str]]:
    """CIViC's accepted evidence rows, straight from the release TSV."""
    path = sorted((KNOWLEDGE_SOURCES / "civic").glob("*-ClinicalEvidenceSummaries.tsv"))[-1]
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def civic_ids(profile: str, rows: list[dict[str, str]] | None = None) -> set[int]:
    """Somatic evidence ids CIViC states for one molecular profile name."""
    rows = rows if rows is not None else civic_rows()
    return {
        int(r["evidence_id"]) for r in rows
        if r["molecular_profile"] == profile
        and r["variant_origin"] not in ("Rare Germline", "Common Germline")
        and r["evidence_type"] in ("Predictive", "Prognostic", "Diagnostic", "Oncogenic")
    }  # fmt: skip


CNV_HEADER = """##fileformat=VCFv4.2
##source=CNVkit v0.9.10
##reference=file:///ref/GRCh38.fa
##contig=<ID=chr2,length=242193529,assembly=GRCh38>
##contig=<ID=chr17,length=83257441,assembly=GRCh38>
##ALT=<ID=DEL,Description="Deletion">
##ALT=<ID=DUP,Description="Duplication">
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">
##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the variant">
##INFO=<ID=MATEID,Number=.,Type=String,Description="ID of mate breakends">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number genotype">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	TUMOR
"""

# GRCh38. ERBB2's MANE exons span chr17:39,700,064-39,728,658 (knowledge file, GENCODE v44).
ERBB2_AMPLIFIED = "chr17\t39690000\tcn1\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=39740000\tGT:CN\t0/1:8"
ERBB2_GAIN = "chr17\t39690000\tcn1\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=39740000\tGT:CN\t0/1:3"
# EML4 intron 6 (after exon 6, chr2:42,264,731) joined to ALK intron 19 (before exon 20,
# chr2:29,223,528..29,225,461): the EML4::ALK e6::e20 junction, as a breakend pair.
EML4_ALK_BND = (
    "chr2\t29224500\tbnd_A\tN\tN]chr2:42270000]\t.\tPASS\tSVTYPE=BND;MATEID=bnd_E\tGT\t0/1",
    "chr2\t42270000\tbnd_E\tN\tN]chr2:29224500]\t.\tPASS\tSVTYPE=BND;MATEID=bnd_A\tGT\t0/1",
)


def write_sv_vcf(path: Path, records: tuple[str, ...] | list[str]) -> Path:
    """A tumour copy-number / breakend VCF (CNVkit-style header) holding ``records``."""
    path.write_text(CNV_HEADER + "".join(f"{r}\n" for r in records))
    return path
