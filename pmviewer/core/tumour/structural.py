"""Copy-number and structural-variant records of a tumour VCF, seen from the tumour.

Symbolic ALTs (``<DEL>``, ``<DUP>``, ``<DUP:TANDEM>``, ``<CNV>``, ``<INV>``) with INFO
``SVTYPE``/``END``, and breakend ALTs (``G]chr5:52747359]``, ``[chr2:29223000[T``) joining two
places of the genome. The copy number is the caller's own: FORMAT ``CN`` of the tumour
(CNVkit, Canvas, GATK gCNV), Delly's read-depth ``RDCN``, then INFO ``CN``; a ``<DEL>``
without one is a loss of unknown depth, a ``<DUP>`` without one a gain of unknown size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmviewer.core.genome import canonical_chrom

DELETION, DUPLICATION, COPY_NUMBER, INVERSION, BREAKEND = "DEL", "DUP", "CNV", "INV", "BND"
_KINDS = {"DEL": DELETION, "DUP": DUPLICATION, "CNV": COPY_NUMBER, "INV": INVERSION,
          "BND": BREAKEND, "TRA": BREAKEND}  # fmt: skip
_BREAKEND = re.compile(r"^(?:[A-Za-z.]*)[\[\]]([^\[\]:]+):(\d+)[\[\]](?:[A-Za-z.]*)$")
_CN_FIELDS = (("format", "CN"), ("format", "RDCN"), ("info", "CN"))


@dataclass(frozen=True)
class StructuralCall:
    """One copy-number or structural record (one ALT) of the tumour."""

    chrom: str  # canonical
    pos: int
    end: int  # the last base (END); a breakend: its own position
    kind: str  # DEL | DUP | CNV | INV | BND
    ref: str
    alt: str
    copy_number: float | None
    copy_number_source: str | None  # e.g. "FORMAT CN"
    mate_chrom: str | None  # breakend: where the other side joins
    mate_pos: int | None
    filter: str
    status: str
    record_id: str
    line: int

    @property
    def passed(self) -> bool:
        return self.filter in ("PASS", ".")


def is_structural(alt: str) -> bool:
    """Whether an ALT is a symbolic or breakend allele (not a sequence)."""
    return alt.startswith("<") or "[" in alt or "]" in alt


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None and value not in ("", ".") else None
    except ValueError:
        return None


def structural_call(
    cols: list[str], info: dict[str, str], tumour_fmt: dict[str, str], alt: str,
    status: str, line: int,
) -> StructuralCall | None:  # fmt: skip
    """The record's ALT as a :class:`StructuralCall`; None for a symbol it cannot place
    (``<INS>``, ``<STR…>``, ``<NON_REF>``)."""
    chrom, pos = canonical_chrom(cols[0]), int(cols[1])
    mate = _BREAKEND.match(alt)
    if mate:
        kind = BREAKEND
    else:
        symbol = alt.strip("<>").split(":")[0].upper()
        kind = _KINDS.get(info.get("SVTYPE", symbol).upper()) or _KINDS.get(symbol, "")
        if kind in ("", BREAKEND):
            return None
    copies, source = None, None
    for place, key in _CN_FIELDS:
        copies = _number((tumour_fmt if place == "format" else info).get(key))
        if copies is not None:
            source = f"{place.upper()} {key}"
            break
    end = int(_number(info.get("END")) or pos)
    filters = cols[6] if cols[6] not in ("", ".") else "PASS"
    return StructuralCall(
        chrom, pos, max(end, pos), kind, cols[3].upper(), alt, copies, source,
        canonical_chrom(mate.group(1)) if mate else None, int(mate.group(2)) if mate else None,
        filters, status, cols[2], line,
    )  # fmt: skip


def assessed_classes(calls: list[StructuralCall]) -> set[str]:
    """Which whole-gene classes the file's records can show: 'copy number', 'fusion'."""
    kinds = {c.kind for c in calls}
    out = set()
    if kinds & {DELETION, DUPLICATION, COPY_NUMBER} or any(
        c.copy_number is not None for c in calls
    ):
        out.add("copy number")
    if kinds & {BREAKEND, INVERSION}:
        out.add("fusion")
    return out
