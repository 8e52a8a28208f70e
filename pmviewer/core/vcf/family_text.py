"""The relatives' calls at a few sites, read from the VCF text without htslib.

The file is read in blocks (:func:`.bulk_text.data_blocks`); pyarrow parses only CHROM and
POS of each block, so the Python work is spent on the few lines at a finding's position.
Each sample's GT, DP, AD and GQ are then read the way cyvcf2 gives them to
:mod:`.family_calls` (``gts012=False``): the phase of a call is the separator before its
second allele, a missing value is skipped, a value list gives its first number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from pmviewer.core import progress as prog
from pmviewer.core.errors import InputFileError
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.bulk_text import BulkTextError, data_blocks
from pmviewer.core.vcf.header import read_header_lines, sniff_compression, truncated_message

_SEPARATOR = re.compile(r"[/|]")

# (chrom without "chr", pos, ref, alts, {sample: (GT text or None, DP, AD list, GQ)})
TextCall = tuple[str | None, int | None, list[int | None] | None, int | None]
TextRecord = tuple[str, int, str, list[str], dict[str, TextCall]]


def norm_chrom(chrom: str) -> str:
    return chrom[3:] if chrom.lower().startswith("chr") else chrom


def parse_alleles(gt: str) -> tuple[list[int], bool]:
    """('0|1') -> ([0, 1], True): allele numbers (-1 for '.'), phased by the second allele's
    separator; a text that is not allele numbers reads as missing."""
    try:
        alleles = [-1 if a == "." else int(a) for a in _SEPARATOR.split(gt)]
    except ValueError:
        return [-1], False
    first = _SEPARATOR.search(gt)
    return alleles, first is not None and first.group() == "|"


def _number(text: str) -> int | None:
    first = text.split(",", 1)[0]
    if first in ("", "."):
        return None
    try:
        value = int(float(first))
    except ValueError:
        return None
    return value if value >= 0 else None


def _numbers(text: str) -> list[int | None]:
    return [_number(x) for x in text.split(",")]


def sample_columns(path: Path, samples: list[str]) -> tuple[int, dict[str, int]]:
    """(number of columns, sample -> column) from the #CHROM line; a name not in the file
    is reported in words."""
    compression = sniff_compression(path)
    if compression == "bcf":
        raise InputFileError(
            f"The relatives' genotypes in {path.name} (a BCF file) cannot be read on this "
            "computer: its htslib component (cyvcf2) is not installed. The patient's own "
            "findings are not affected."
        )
    lines = read_header_lines(path, compression)
    names = lines[-1].rstrip("\r\n").split("\t") if lines else []
    missing = [s for s in samples if s not in names[9:]]
    if missing:
        raise InputFileError(
            f"{path.name} has no sample named {', '.join(missing)}; choose the family "
            "members among the file's samples."
        )
    return len(names), {s: 9 + names[9:].index(s) for s in samples}


def _line_of(cells: list[str], columns: dict[str, int]) -> TextRecord:
    fmt = cells[8].split(":") if len(cells) > 8 else []
    where: dict[str, int] = {k: fmt.index(k) for k in ("GT", "DP", "AD", "GQ") if k in fmt}
    calls: dict[str, TextCall] = {}
    for sample, col in columns.items():
        values = cells[col].split(":") if col < len(cells) else []

        def field(key: str, values: list[str] = values) -> str | None:
            i = where.get(key)
            if i is None:
                return None
            return values[i] if i < len(values) else "."

        gt, dp, ad, gq = field("GT"), field("DP"), field("AD"), field("GQ")
        calls[sample] = (
            gt,
            _number(dp) if dp is not None else None,
            _numbers(ad) if ad is not None else None,
            _number(gq) if gq is not None else None,
        )
    alts = [] if cells[4] == "." else cells[4].split(",")
    return norm_chrom(cells[0]), int(cells[1]), cells[3], alts, calls


def _candidates(text: bytes, n_columns: int, positions: np.ndarray) -> list[int] | None:
    """Line numbers (empty lines skipped) of ``text`` at one of ``positions``; None when
    pyarrow cannot split the block (its lines are then looked at one by one)."""
    names = [f"c{i}" for i in range(n_columns)]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(text),
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pcsv.ParseOptions(
                delimiter="\t", quote_char=False, escape_char=False, ignore_empty_lines=True
            ),
            convert_options=pcsv.ConvertOptions(
                include_columns=["c1"], column_types={"c1": pa.string()}, null_values=[]
            ),
        )
        pos = pc.cast(table.column("c1"), pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return np.flatnonzero(np.isin(pos, positions)).tolist()


def text_records(
    path: Path,
    columns: dict[str, int],
    n_columns: int,
    positions: set[int],
    cancel: CancelToken | None = None,
) -> Iterator[TextRecord]:
    """The records at one of ``positions`` (any chromosome), with the samples' fields."""
    wanted = np.array(sorted(positions), np.int64)
    check: Callable[[int], None] = lambda n: prog.check(cancel)  # noqa: E731
    try:
        for text in data_blocks(path, sniff_compression(path), check):
            lines = None
            hits = _candidates(text, n_columns, wanted)
            if hits is not None and not hits:
                continue
            lines = [ln for ln in text.split(b"\n") if ln]
            for i in hits if hits is not None else range(len(lines)):
                cells = lines[i].decode("utf-8", errors="replace").rstrip("\r").split("\t")
                if len(cells) < 5 or not cells[1].isdigit() or int(cells[1]) not in positions:
                    continue
                yield _line_of(cells, columns)
    except BulkTextError as error:
        raise InputFileError(truncated_message(path.name)) from error
