"""Read the sample's genotype at allele-defining positions out of a :class:`VariantTable`.

The reference allele is assumed only where the file proves the position was assessed: a
called 0/0 record or a gVCF reference block (``table.covered``). A position with no row and no
coverage, or with a missing genotype (``table.no_calls``), is *missing*, as in PharmCAT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from pmviewer.core.genome import trim_alleles
from pmviewer.core.model import VariantTable
from pmviewer.core.pgx.match import Locus, SampleCall

_GT_SPLIT = re.compile(r"[/|]")


def _bare(chrom: object) -> str:
    text = str(chrom)
    return text[3:] if text.lower().startswith("chr") else text


def _on_contig(column: pd.Series, bare: str) -> pd.Series:
    """Rows on contig ``bare`` whether the file writes ``chr10`` or ``10`` (vectorised)."""
    return column.isin([bare, f"chr{bare}", f"Chr{bare}", f"CHR{bare}"])


class _Coverage:
    """Point lookups in (possibly overlapping) covered intervals of one contig."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray) -> None:
        order = np.argsort(starts, kind="stable")
        self._starts = starts[order]
        self._max_end = np.maximum.accumulate(ends[order]) if len(ends) else ends

    def covers(self, pos: int) -> bool:
        """Whether ``pos`` lies in a covered interval."""
        i = int(np.searchsorted(self._starts, pos, side="right")) - 1
        return i >= 0 and int(self._max_end[i]) >= pos


class TableCalls:
    """The rows, no-call positions and covered intervals of a table at the positions asked
    for, grouped by contig and position once, so that every gene reads plain values instead
    of filtering the frame again."""

    def __init__(self, table: VariantTable, positions: Iterable[int]) -> None:
        frame = table.frame
        rows = frame.loc[frame["pos"].isin(list(set(positions)))]
        self._rows: dict[tuple[str, int], list[dict]] = {}
        for rec in rows.to_dict("records"):
            self._rows.setdefault((_contig(rec["chrom"]), int(rec["pos"])), []).append(rec)
        self._no_calls: dict[str, set[int]] = {}
        nc = table.no_calls
        if nc is not None and len(nc):
            for chrom, pos in zip(nc["chrom"], nc["pos"], strict=True):
                self._no_calls.setdefault(_contig(chrom), set()).add(int(pos))
        self._covered = table.covered
        self._coverage: dict[str, _Coverage | None] = {}

    def rows(self, chrom: str, pos: int) -> list[dict] | None:
        """The records at ``pos`` on contig ``chrom`` (bare name), in the frame's order."""
        return self._rows.get((chrom, pos))

    def no_call(self, chrom: str, pos: int) -> bool:
        return pos in self._no_calls.get(chrom, ())

    def coverage(self, chrom: str) -> _Coverage | None:
        if chrom not in self._coverage:
            cv, cov = self._covered, None
            if cv is not None and len(cv):
                sel = cv.loc[_on_contig(cv["chrom"], chrom)]
                if len(sel):
                    cov = _Coverage(
                        sel["start"].to_numpy(dtype=np.int64), sel["end"].to_numpy(dtype=np.int64)
                    )
            self._coverage[chrom] = cov
        return self._coverage[chrom]


def _contig(chrom: object) -> str:
    """The bare name of a contig written ``10``, ``chr10``, ``Chr10`` or ``CHR10`` (the
    spellings :func:`_on_contig` accepts)."""
    text = str(chrom)
    return text[3:] if text[:3] in ("chr", "Chr", "CHR") else text


def sample_calls(
    table: VariantTable,
    loci: Iterable[Locus],
    own_ref: bool = False,
    calls: TableCalls | None = None,
) -> dict[int, SampleCall]:
    """The sample's alleles at ``loci`` (definition coordinates), keyed by position.

    Alleles are written in the definition's representation: a record whose REF/ALT spell the
    same change differently (extra padding bases) is translated.

    ``own_ref`` (GRCh37 files, positions converted from GRCh38): a ``0`` in a single-base
    record is the record's own REF base, which may differ from the GRCh38 base the
    definition calls reference where the two assemblies differ.
    ``calls``: the table read once for several genes (:class:`TableCalls`).
    """
    loci = list(loci)
    if not loci:
        return {}
    chrom = _bare(loci[0].chrom)
    wanted = {locus.pos: locus for locus in loci}
    if calls is None:
        calls = TableCalls(table, wanted)
    cov = calls.coverage(chrom)
    out: dict[int, SampleCall] = {}
    for pos, locus in sorted(wanted.items()):
        rows = calls.rows(chrom, pos)
        call = _call_from_rows(locus, rows, own_ref) if rows else None
        if call is None and calls.no_call(chrom, pos):
            continue
        if call is None and cov is not None and cov.covers(pos):
            call = SampleCall((locus.ref, locus.ref))
        if call is not None:
            out[pos] = call
    return out


def _call_from_rows(locus: Locus, rows: list[dict], own_ref: bool = False) -> SampleCall | None:
    """Genotype of one record at ``locus`` (the record carrying an ALT wins)."""
    records: dict[Any, list[dict]] = {}
    for row in rows:
        if not _missing(row["record_index"]):
            records.setdefault(row["record_index"], []).append(row)
    best: SampleCall | None = None
    for key in sorted(records):
        rec = records[key]
        first = rec[0]
        gt = first["genotype"]
        if _missing(gt):
            continue
        tokens = _GT_SPLIT.split(str(gt))
        if any(t in (".", "") for t in tokens):
            continue  # partial or missing genotype: not assessed
        alt_by_index = {int(r["allele_index"]): str(r["alt"]) for r in rec}
        rec_ref = str(first["ref"])
        alleles = []
        for tok in tokens:
            k = int(tok)
            if k == 0:
                single = len(rec_ref) == 1 and len(locus.ref) == 1
                alleles.append(rec_ref.upper() if own_ref and single else locus.ref)
            else:
                alt = alt_by_index.get(k)
                alleles.append(_to_definition(locus, rec_ref, alt) if alt else "?")
        ps = first["phase_set"]
        call = SampleCall(
            tuple(alleles),
            phased=bool(first["phased"]),
            phase_set=None if _missing(ps) else int(ps),
        )
        if best is None or any(a != locus.ref for a in call.alleles):
            best = call
    return best


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _to_definition(locus: Locus, rec_ref: str, alt: str) -> str:
    """``alt`` written as the definition writes the same change (padding may differ)."""
    if rec_ref == locus.ref:
        return alt
    change = trim_alleles(locus.pos, rec_ref, alt)
    for def_alt in locus.alts:
        if trim_alleles(locus.pos, locus.ref, def_alt) == change:
            return def_alt
    return alt
