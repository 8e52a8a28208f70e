"""Text-only checks of VCF data lines: what exactly is wrong with a line, in words.

Used to explain a record htslib refused (:mod:`.diagnose`) and, after the reader process was
killed by a crash (:mod:`.isolated`), to find the line at fault without parsing it natively.
"""

from __future__ import annotations

import gzip
import math
import re
import zlib
from pathlib import Path

_GT = re.compile(r"^(?:\.|\d+)(?:[/|](?:\.|\d+))*$")
_MAX_POS = 2**31 - 2  # htslib's VCF text positions are 32-bit
_SCAN_LIMIT = 2_000_000  # lines looked at after a crash (the crash is usually early)


def _shown(value: str) -> str:
    return value[:20].encode("unicode_escape").decode()


def line_problem(cols: list[str], n_samples: int) -> str | None:
    """Why the data line split into ``cols`` breaks the VCF standard; None when it looks fine."""
    expected = 8 if n_samples == 0 else 9 + n_samples
    if len(cols) != expected and not (n_samples == 0 and len(cols) > 8):
        people = f"{n_samples} sample(s)" if n_samples else "no samples"
        return (
            f"has {len(cols)} columns, but the header line lists {people} and so needs {expected}"
        )
    pos = cols[1]
    if not pos.isdigit():
        what = "a negative number" if pos.startswith("-") else "not a number"
        return f"has the position '{_shown(pos)}', which is {what}"
    if not 0 < int(pos) <= _MAX_POS:
        return f"has the position {_shown(pos)}, which is outside any chromosome"
    if not cols[3] or cols[3] == "." or any(c.isspace() for c in cols[3]):
        return f"has the reference allele '{_shown(cols[3])}', which is not a DNA sequence"
    qual = cols[5]
    if qual != ".":
        try:
            if math.isnan(float(qual)) and qual.lower() != "nan":
                raise ValueError
        except ValueError:
            return f"has the quality '{_shown(qual)}', which is not a number"
    if n_samples and len(cols) > 9:
        keys = cols[8].split(":")
        if "GT" in keys:
            at = keys.index("GT")
            for sample_value in cols[9:]:
                values = sample_value.split(":")
                gt = values[at] if at < len(values) else "."
                if not _GT.match(gt):
                    return f"has the genotype '{_shown(gt)}', which is not written as allele numbers (such as 0/1)"
    return None


def find_bad_line(path: Path) -> str | None:
    """ "Line N has ..." for the first data line of a text VCF that breaks the standard."""
    opener = gzip.open if _is_gzip(path) else open
    n_samples = 0
    try:
        with opener(path, "rb") as fh:
            for line_no, raw in enumerate(fh, start=1):
                if line_no > _SCAN_LIMIT or (line_no == 1 and raw.startswith(b"BCF")):
                    return None  # far enough, or binary BCF (no text lines to check)
                if raw.startswith(b"#CHROM"):
                    n_samples = max(0, len(raw.rstrip(b"\r\n").split(b"\t")) - 9)
                    continue
                if raw.startswith(b"#") or not raw.strip():
                    continue
                text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                problem = line_problem(text.split("\t"), n_samples)
                if problem:
                    return f"Line {line_no} {problem}."
    except (OSError, EOFError, zlib.error):
        return None
    return None


def _is_gzip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"\x1f\x8b"
    except OSError:
        return False
