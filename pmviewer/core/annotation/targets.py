"""A laboratory's target regions (BED): which parts of the genome its assay was designed to test."""

from __future__ import annotations

import gzip
from pathlib import Path

from pmviewer.core.errors import InputFileError
from pmviewer.core.genome import canonical_chrom

Interval = tuple[str, int, int]  # canonical chrom, 1-based start, end (inclusive)

_MAX_BAD_LINES = 5


def read_targets(path: str | Path) -> list[Interval]:
    """The target intervals of a BED file (0-based half-open), as 1-based inclusive intervals.

    ``track``/``browser``/``#`` lines are skipped. The BED must use the same genome build as
    the VCF; pmviewer cannot tell from a BED which build it is.

    Raises
    ------
    InputFileError
        The file cannot be read, or has lines that are not ``chrom<TAB>start<TAB>end``.
    """
    p = Path(path)
    opener = gzip.open if p.suffix == ".gz" else open
    intervals: list[Interval] = []
    bad: list[str] = []
    try:
        with opener(p, "rt", encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                text = line.strip()
                if not text or text.startswith(("#", "track", "browser")):
                    continue
                fields = text.split("\t") if "\t" in text else text.split()
                try:
                    start, end = int(fields[1]), int(fields[2])
                    if start < 0 or end <= start:
                        raise ValueError
                except (IndexError, ValueError):
                    if len(bad) < _MAX_BAD_LINES:
                        bad.append(f"line {number}")
                    continue
                intervals.append((canonical_chrom(fields[0]), start + 1, end))
    except (OSError, EOFError) as error:
        raise InputFileError(
            f"The target regions file {p.name} could not be read "
            f"({getattr(error, 'strerror', None) or error}). Check the path in Preferences "
            "or on the command line (--targets)."
        ) from error
    if bad:
        raise InputFileError(
            f"The target regions file {p.name} is not a BED file pmviewer can read: "
            f"{', '.join(bad)} lack a chromosome, start and end (start < end, tab-separated). "
            "Ask the laboratory for its assay's target BED."
        )
    if not intervals:
        raise InputFileError(
            f"The target regions file {p.name} lists no regions. Ask the laboratory for its "
            "assay's target BED."
        )
    return sorted(intervals)
