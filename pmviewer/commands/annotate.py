"""``pmviewer annotate VCF``: findings as JSON or TSV, headless."""

from __future__ import annotations

import argparse
import sys

from pmviewer.commands.common import add_analysis_arguments
from pmviewer.core.progress import CancelToken


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_analysis_arguments(parser)
    parser.add_argument("--format", choices=["json", "tsv"], default="json")
    parser.add_argument(
        "--all", action="store_true", help="also list variants with no actionable evidence"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )


def run(args: argparse.Namespace) -> int:
    """Annotate ``args.vcf`` and write the findings; returns the exit status."""
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse
    from pmviewer.export.tables import dumps_json, findings_to_tsv

    knowledge = open_knowledge(args.knowledge)
    analysis = analyse(
        args.vcf,
        sample=args.sample,
        build=args.build,
        sex=args.sex,
        reference=args.reference,
        knowledge=knowledge,
        pgx_calls=args.pgx_calls,
        cancel=CancelToken(),
    )
    if args.format == "json":
        text = dumps_json(analysis.findings, include_other=args.all)
    else:
        text = findings_to_tsv(analysis.findings, include_other=args.all)
    write_text_output(text, args.output)
    return 0


def write_text_output(text: str, output: str | None) -> None:
    """Write to ``output`` atomically (never a half-written file), or to standard output."""
    if not output:
        sys.stdout.write(text)
        return
    from pmviewer.core.safe_write import write_atomic

    write_atomic(output, text.encode("utf-8"))  # a failure is a StorageError in plain words
