"""Arguments every analysing sub-command shares (annotate, report)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmviewer.core.annotation import EvidencePolicy, QualityThresholds


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
    parser.add_argument(
        "--targets",
        metavar="BED",
        help="the laboratory's target regions (BED, same build as the VCF): genes outside "
        "them are reported as not assessed",
    )
    parser.add_argument(
        "--min-depth",
        type=int,
        metavar="N",
        help="depth a gene's exons need in a gVCF to count as assessed, and below which a "
        "call is flagged (default 15)",
    )
    parser.add_argument(
        "--min-stars",
        type=int,
        choices=range(0, 5),
        metavar="0-4",
        help="minimum ClinVar review stars for a reportable finding (default 1)",
    )
    parser.add_argument(
        "--qualifier",
        action="append",
        default=[],
        metavar="QUALIFIER=ACTION",
        help="how a ClinVar qualifier is handled: ACTION is report, review or exclude; "
        "QUALIFIER one of 'low penetrance', 'risk allele', 'risk factor', 'association', "
        "'drug response' (default: review for all; repeatable)",
    )


def evidence_policy(args: argparse.Namespace) -> EvidencePolicy:
    """The EvidencePolicy the arguments ask for (a usage error names a bad --qualifier)."""
    from pmviewer.core.annotation import QUALIFIERS, EvidencePolicy  # noqa: F811
    from pmviewer.core.errors import PmviewerError

    table: dict[str, str] = {}
    for item in args.qualifier or []:
        name, _, action = str(item).partition("=")
        name, action = name.strip().lower(), action.strip().lower()
        if name not in QUALIFIERS or action not in ("report", "review", "exclude"):
            raise PmviewerError(
                f"--qualifier '{item}' is not understood. Write QUALIFIER=ACTION, with QUALIFIER "
                f"one of {', '.join(QUALIFIERS)} and ACTION report, review or exclude."
            )
        table[name] = action
    stars = args.min_stars if args.min_stars is not None else 1
    return EvidencePolicy.from_settings(stars, table)


def quality_thresholds(args: argparse.Namespace) -> QualityThresholds:
    """QualityThresholds with --min-depth applied."""
    from pmviewer.core.annotation import QualityThresholds  # noqa: F811

    if args.min_depth is None:
        return QualityThresholds()
    if args.min_depth < 1:
        from pmviewer.core.errors import PmviewerError

        raise PmviewerError("--min-depth must be 1 or more.")
    return QualityThresholds(min_dp=args.min_depth)
