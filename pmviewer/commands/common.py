"""Arguments every analysing sub-command shares (annotate, report)."""

from __future__ import annotations

import argparse


def add_analysis_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("vcf", help="VCF, VCF.gz or BCF file")
    parser.add_argument("--sample", help="sample to analyse when the file has several")
    parser.add_argument("--build", choices=["GRCh37", "GRCh38"], help="state the genome build")
    parser.add_argument("--sex", choices=["F", "M"], help="the patient's sex (for X-linked genes)")
    parser.add_argument(
        "--reference", metavar="FASTA", help="reference genome FASTA for full indel normalisation"
    )
    parser.add_argument(
        "--knowledge", metavar="FILE", help="use another knowledge file than the bundled one"
    )
    parser.add_argument(
        "--pgx-calls",
        metavar="TSV",
        help="outside pharmacogenomic calls (PharmCAT outside-call TSV: gene, diplotype, "
        "phenotype, activity score), e.g. CYP2D6 or HLA-B from a dedicated test",
    )
