"""``pmviewer annotate VCF``: findings as JSON or TSV, headless."""

from __future__ import annotations

import argparse
import sys

from pmviewer.commands.common import add_analysis_arguments, evidence_policy, quality_thresholds
from pmviewer.core.progress import CancelToken


def add_mode_arguments(parser: argparse.ArgumentParser) -> None:
    """``--mode germline|tumour`` and ``--tumour-type`` (annotate and report share them)."""
    parser.add_argument(
        "--mode",
        choices=["germline", "tumour"],
        help="germline: inherited findings (of the matched normal in a tumour-normal file); "
        "tumour: the tumour actionability report. A tumour file without --mode is a question "
        "(exit status 2)",
    )
    parser.add_argument(
        "--tumour-type",
        metavar="DOID|NAME",
        help="the patient's tumour type for --mode tumour: a Disease Ontology ID (DOID:3910) or "
        "a disease name as CIViC writes it ('lung adenocarcinoma')",
    )


def check_mode_arguments(args: argparse.Namespace) -> None:
    from pmviewer.core.errors import InputFileError

    if args.mode == "tumour" and not args.tumour_type:
        raise InputFileError(
            "The tumour report needs the patient's tumour type: add --tumour-type with a Disease "
            "Ontology ID (for example DOID:3910, lung adenocarcinoma) or a disease name."
        )
    if args.tumour_type and args.mode != "tumour":
        raise InputFileError("--tumour-type is for the tumour report: add --mode tumour.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_analysis_arguments(parser)
    add_mode_arguments(parser)
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

    check_mode_arguments(args)
    knowledge = open_knowledge(args.knowledge)
    if args.mode == "tumour":
        return _run_tumour(args, knowledge)
    analysis = analyse(
        args.vcf,
        sample=args.sample,
        build=args.build,
        sex=args.sex,
        reference=args.reference,
        knowledge=knowledge,
        thresholds=quality_thresholds(args),
        targets=args.targets,
        policy=evidence_policy(args),
        pgx_calls=args.pgx_calls,
        cancel=CancelToken(),
        mode=args.mode,
    )
    if args.format == "json":
        text = dumps_json(analysis.findings, include_other=args.all)
    else:
        text = findings_to_tsv(analysis.findings, include_other=args.all)
    write_text_output(text, args.output)
    return 0


def _run_tumour(args: argparse.Namespace, knowledge: object) -> int:
    from pmviewer.core.tumour_pipeline import analyse_tumour_case
    from pmviewer.export.tumour_json import dumps_tumour_json, tumour_to_tsv

    analysis = analyse_tumour_case(
        args.vcf, args.tumour_type, sample=args.sample, build=args.build,
        knowledge=knowledge, cancel=CancelToken(),  # type: ignore[arg-type]
    )  # fmt: skip
    if args.format == "json":
        text = dumps_tumour_json(analysis, include_other=args.all)
    else:
        text = tumour_to_tsv(analysis)
    write_text_output(text, args.output)
    return 0


def write_text_output(text: str, output: str | None) -> None:
    """Write to ``output`` atomically (never a half-written file), or to standard output."""
    if not output:
        from pmviewer.core.text_safety import printable

        sys.stdout.write(printable(text, keep="\t\n"))  # file text never drives the terminal
        return
    from pmviewer.core.safe_write import write_atomic

    write_atomic(output, text.encode("utf-8"))  # a failure is a StorageError in plain words
