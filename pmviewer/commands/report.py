"""``pmviewer report``."""

from __future__ import annotations

import argparse

from pmviewer.core.errors import PmviewerError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs="*")


def run(args: argparse.Namespace) -> int:
    raise PmviewerError("'pmviewer report' is not available in this version.")
