"""``pmviewer kb build|info|verify``: build, describe or check a knowledge file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import cast


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="kb_command", metavar="ACTION")
    build = sub.add_parser(
        "build",
        help="build a knowledge file from a folder of public source releases",
        description="Build a knowledge file from a folder laid out like the published "
        "knowledge sources (clinvar/, acmg_sf/, civic/, clingen/, genes/, liftover/, "
        "curated/, pgx/). The same inputs always give the same file.",
    )
    build.add_argument("--sources", required=True, type=Path, metavar="DIR")
    build.add_argument("--out", required=True, type=Path, metavar="FILE")
    info = sub.add_parser("info", help="print version, sources, record counts and coverage")
    info.add_argument("--json", action="store_true", help="print the metadata as JSON")
    info.add_argument(
        "file", nargs="?", type=Path, help="knowledge file (default: the bundled one)"
    )
    verify = sub.add_parser("verify", help="check a knowledge file's integrity and checksums")
    verify.add_argument("file", type=Path)


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "kb_command", None)
    if command == "build":
        return _build(args)
    if command == "info":
        return _info(args)
    if command == "verify":
        return _verify(args)
    print("usage: pmviewer kb {build,info,verify} ... (see pmviewer kb --help)", file=sys.stderr)
    return 2


def _build(args: argparse.Namespace) -> int:
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.knowledge.build import build

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rbuilding knowledge file: step {done} of {total}", end="", file=sys.stderr)

    out = build(args.sources, args.out, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    with open_knowledge(out) as knowledge:
        meta = knowledge.metadata()
    counts = cast(dict[str, int], meta["counts"])
    print(f"wrote {out} (knowledge version {meta['version']}, "
          f"{counts.get('clinvar', 0)} ClinVar records, {counts.get('genes', 0)} genes)")  # fmt: skip
    return 0


def _info(args: argparse.Namespace) -> int:
    from pmviewer.core.knowledge import open_knowledge

    with open_knowledge(args.file) as knowledge:
        if args.json:
            print(json.dumps(knowledge.metadata(), indent=2, sort_keys=True))
        else:
            print(knowledge.info())
    return 0


def _verify(args: argparse.Namespace) -> int:
    from pmviewer.core.knowledge import verify_file

    summary = verify_file(args.file)
    print(
        f"OK: {summary['path']} is intact (knowledge version {summary['knowledge_version']}, "
        f"{summary['tables']} tables, {summary['records']} records, "
        f"content sha256 {summary['content_sha256']})"
    )
    return 0
