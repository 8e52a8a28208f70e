"""``pmviewer [view] [VCF]``: open the desktop viewer."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("vcf", nargs="?", help="VCF/BCF file to open")
    parser.add_argument("--sample", help="sample to show when the file has several")
    parser.add_argument("--build", choices=["GRCh37", "GRCh38"], help="state the genome build")
    parser.add_argument(
        "--demo", action="store_true", help="open the bundled synthetic demo patient"
    )
    parser.add_argument(
        "--screenshot", metavar="PNG", help="save a screenshot of the window once loading finished"
    )


def run(args: argparse.Namespace) -> int:
    from pmviewer.ui.app import run_viewer  # Qt is imported only here

    path = args.vcf
    if args.demo and not path:
        from pmviewer.core.resources import demo_vcf_path

        path = str(demo_vcf_path())
    return run_viewer(path, sample=args.sample, build=args.build, screenshot=args.screenshot)
