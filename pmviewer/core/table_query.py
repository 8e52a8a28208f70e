"""Sorting and filtering of the variant/finding frames, vectorised for millions of rows.

The viewer's table model only maps row indices; everything that decides *which* rows are
shown and in *what order* lives here, so it is tested without Qt and benchmarked by
``benchmarks/bench_table.py``.

- :func:`parse_quick_filter` turns the text of the quick-filter box into :class:`QueryTerm`
  objects (gene symbol, HGVS, rsID, ``chr17:43,044,295`` position, ``chr17:43,000,000-
  43,100,000`` range, bare chromosome, or free text).
- :func:`filter_mask` combines the quick filter with the FILTER/quality, zygosity,
  consequence and category selections into one boolean mask.
- :func:`sort_order` (:mod:`pmviewer.core.table_sort`) returns a *stable* ascending or
  descending row order for one column, with missing values always last.
- :func:`visible_rows` applies a mask to an order (``order[mask[order]]``).

:class:`FrameIndex` caches per-column factorisations so repeated sorts and text filters on
the same frame reuse them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmviewer.core.table_sort import _norm_chrom, row_dtype, sort_order

# --------------------------------------------------------------------------------------
# Quick filter text
# --------------------------------------------------------------------------------------
_CHROM = r"(?:chr)?(?:[0-9]{1,2}|X|Y|M|MT)"
_NUM = r"[0-9][0-9,_]*"
_POS_RE = re.compile(rf"^(?P<chrom>{_CHROM}):(?P<start>{_NUM})$", re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"^(?P<chrom>{_CHROM}):(?P<start>{_NUM})\s*[-\u2013]\s*(?P<end>{_NUM})$", re.IGNORECASE
)
_CHROM_RE = re.compile(r"^chr(?:[0-9]{1,2}|X|Y|M|MT)$", re.IGNORECASE)
_RSID_RE = re.compile(r"^rs[0-9]+$", re.IGNORECASE)
# c.68_69del, p.Cys282Tyr, NM_007294.4:c.68_69del, g.43044295 ...
_HGVS_RE = re.compile(r"(^|:)[cgmnpr]\.[^\s]+$|^(NM|NP|NC|NR|XM|ENST|ENSP)_?[0-9]", re.IGNORECASE)
_GENE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*(?:\.[0-9]+)?$")


@dataclass(frozen=True)
class QueryTerm:
    """One term of the quick filter.

    ``kind`` is one of :data:`TERM_KINDS`; ``chrom`` is normalised without the ``chr``
    prefix (``"17"``, ``"X"``, ``"MT"``); ``start``/``end`` are 1-based inclusive.
    """

    kind: str
    value: str = ""
    chrom: str | None = None
    start: int | None = None
    end: int | None = None


def _int(text: str) -> int:
    return int(text.replace(",", "").replace("_", ""))


def parse_quick_filter(text: str) -> list[QueryTerm]:
    """Split the quick-filter text into terms (any term may match: they are OR-ed).

    Terms are separated by whitespace or ``;``. A range may be written with spaces around
    the dash (``chr17:43,000,000 - 43,100,000``).

    >>> parse_quick_filter("BRCA1 chr17:43,044,295")[1]
    QueryTerm(kind='position', value='chr17:43,044,295', chrom='17', start=43044295, end=43044295)
    """
    text = re.sub(r"\s*([-\u2013])\s*(?=[0-9])", r"\1", text.strip())
    terms: list[QueryTerm] = []
    for raw in re.split(r"[\s;]+", text):
        token = raw.strip().strip(",")
        if not token:
            continue
        if m := _RANGE_RE.match(token):
            start, end = _int(m["start"]), _int(m["end"])
            if end < start:
                start, end = end, start
            terms.append(QueryTerm("range", token, _norm_chrom(m["chrom"]), start, end))
        elif m := _POS_RE.match(token):
            pos = _int(m["start"])
            terms.append(QueryTerm("position", token, _norm_chrom(m["chrom"]), pos, pos))
        elif _CHROM_RE.match(token):
            terms.append(QueryTerm("chrom", token, _norm_chrom(token)))
        elif _RSID_RE.match(token):
            terms.append(QueryTerm("rsid", token.lower()))
        elif _HGVS_RE.search(token):
            terms.append(QueryTerm("hgvs", token))
        elif _GENE_RE.match(token):
            terms.append(QueryTerm("gene", token.upper()))
        else:
            terms.append(QueryTerm("text", token))
    return terms


# --------------------------------------------------------------------------------------
# Column caches
# --------------------------------------------------------------------------------------
@dataclass
class _Factorized:
    codes: np.ndarray  # int32 codes, -1 for missing
    uniques: Any  # distinct values: numpy array (numbers) or pyarrow array (text)
    rank: np.ndarray | None = None  # rank of each unique in sorted order (lazy)

    def values(self) -> list:
        """The distinct values as Python objects (for small columns)."""
        uniques = self.uniques
        return uniques.to_pylist() if hasattr(uniques, "to_pylist") else uniques.tolist()


def _as_array(uniq: Any) -> Any:
    """Distinct values from pandas as a numpy array (numbers) or a pyarrow array (text)."""
    import pyarrow as pa

    dtype = getattr(uniq, "dtype", None)
    if (
        dtype is not None
        and pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
    ):
        return np.asarray(uniq, dtype="float64")
    try:
        array = pa.array(uniq, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return np.asarray([str(u) for u in uniq], dtype=object)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    return array if pa.types.is_string(array.type) else np.asarray(uniq, dtype=object)


def _values(uniques: Any) -> list:
    return uniques.to_pylist() if hasattr(uniques, "to_pylist") else list(uniques)


@dataclass
class FrameIndex:
    """Per-column caches for one frame (factorised codes, distinct values, sort ranks).

    Build one per frame and pass it to :func:`filter_mask` and :func:`sort_order`; the
    caches fill lazily, so an index is free to create.
    """

    frame: pd.DataFrame
    _factor: dict[str, _Factorized] = field(default_factory=dict)
    _upper: dict[str, np.ndarray] = field(default_factory=dict)
    _orders: dict[str, np.ndarray] = field(default_factory=dict)  # column -> ascending order
    _terms: list[tuple[str, int]] | None = None  # consequence_terms of the frame
    _sorted: list[str] = field(default_factory=list)  # columns with cached orders, oldest first

    def prepare(self, columns: list[str], cancel: Any = None) -> None:
        """Fill the shared row arrays, and the sort caches of ``columns``, now (on a worker
        thread). The window passes no columns for a genome: each column's caches are built
        on the first click of its header, on a worker, so memory holds only what was used."""
        self.file_order()
        self.all_rows()
        for column in columns:
            if cancel is not None:
                cancel.raise_if_cancelled()
            time.sleep(0)  # let a waiting GUI thread take the GIL between columns
            if column in self.frame.columns:
                sort_order(self.frame, column, True, self)

    def cached_order(self, column: str, ascending: bool) -> np.ndarray | None:
        """The sort order of ``column`` if it was built already (else ``None``): the
        window sorts at once when it is, and on a worker when it is not."""
        return self._orders.get(column + ("\0asc" if ascending else "\0desc"))

    def forget(self, column: str) -> None:
        """Drop every cache of ``column`` (its values were changed in place), so the next
        sort or text filter reads the new values."""
        for cache in (self._factor, self._upper, self._orders):
            for key in [k for k in cache if k == column or k.startswith(column + "\0")]:
                del cache[key]
        if column == "consequence":
            self._terms = None

    def file_order(self) -> np.ndarray:
        """``0..n-1`` (read-only, cached): the order of an unsorted view. Built once, ideally
        by :meth:`prepare` on a worker; faulting in 37 MB for 4.6 million rows took up to
        0.1 s on the main thread of a busy machine."""
        cached = self._orders.get("\0file")
        if cached is None:
            cached = np.arange(len(self.frame), dtype=row_dtype(len(self.frame)))
            cached.flags.writeable = False
            self._orders["\0file"] = cached
        return cached

    def all_rows(self) -> np.ndarray:
        """A mask keeping every row (read-only, cached)."""
        cached = self._orders.get("\0all")
        if cached is None:
            cached = np.ones(len(self.frame), dtype=bool)
            cached.flags.writeable = False
            self._orders["\0all"] = cached
        return cached

    def factorized(self, column: str) -> _Factorized:
        cached = self._factor.get(column)
        if cached is None:
            series = self.frame[column]
            if isinstance(series.dtype, pd.CategoricalDtype):
                codes = series.cat.codes.to_numpy().astype(np.int32, copy=False)
                uniq = series.cat.categories
            else:
                codes, uniq = pd.factorize(series, use_na_sentinel=True)
                codes = codes.astype(np.int32, copy=False)
            cached = _Factorized(codes, _as_array(uniq))
            self._factor[column] = cached
        return cached

    def uniques_upper(self, column: str) -> np.ndarray:
        """Distinct values of a text column, upper-cased, as an object array of str."""
        cached = self._upper.get(column)
        if cached is None:
            cached = np.array(
                [str(u).upper() for u in self.factorized(column).values()], dtype=object
            )
            self._upper[column] = cached
        return cached

    def _uniques_arrow(self, column: str) -> Any:
        import pyarrow as pa

        key = column + "\0arrow"
        cached = self._upper.get(key)
        if cached is None:
            uniques = self.factorized(column).uniques
            if isinstance(uniques, pa.Array) and pa.types.is_string(uniques.type):
                cached = uniques
            else:
                cached = pa.array([str(u) for u in _values(uniques)], type=pa.string())
            self._upper[key] = cached
        return cached

    def contains(self, column: str, needle: str, *, whole_token: bool = False) -> np.ndarray:
        """Rows whose text contains ``needle`` (case-insensitive), vectorised with Arrow.

        With ``whole_token`` the value must equal ``needle`` or list it among ``;``/``,``
        separated items (rsIDs such as ``rs1;rs2``).
        """
        import pyarrow.compute as pc

        if column not in self.frame.columns:
            return np.zeros(len(self.frame), dtype=bool)
        fac = self.factorized(column)
        uniques = self._uniques_arrow(column)
        if whole_token:
            pattern = "(^|[;,])" + re.escape(needle) + "($|[;,])"
            hits = pc.match_substring_regex(uniques, pattern, ignore_case=True)
        else:
            hits = pc.match_substring(uniques, needle, ignore_case=True)
        lookup = np.append(hits.to_numpy(zero_copy_only=False).astype(bool), False)
        return lookup[fac.codes]

    def match_uniques(self, column: str, predicate: Callable[[Any], object]) -> np.ndarray:
        """Rows whose value satisfies ``predicate(upper_case_text) -> bool``.

        The predicate runs once per *distinct* value, then codes are looked up, which
        keeps text filters fast on columns with few distinct values (genes, consequences).
        """
        if column not in self.frame.columns:
            return np.zeros(len(self.frame), dtype=bool)
        fac = self.factorized(column)
        hits = np.fromiter(
            (bool(predicate(u)) for u in self.uniques_upper(column)),
            dtype=np.bool_,
            count=len(fac.uniques),
        )
        lookup = np.append(hits, False)  # code -1 (missing) -> last slot -> False
        return lookup[fac.codes]


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------
IMPACT_CHOICES = {"impact:HIGH": ("HIGH",), "impact:HIGH+MODERATE": ("HIGH", "MODERATE")}


@dataclass(frozen=True)
class TableFilter:
    """Everything the filter bar can select. Defaults show every row.

    ``quality``: ``"any"``, ``"pass"`` (FILTER is PASS or not applied, '.') or ``"fail"``;
    ``zygosity``: ``"any"`` or one zygosity value of the frame;
    ``consequence``: ``"any"``, ``"impact:HIGH"``, ``"impact:HIGH+MODERATE"`` or one SO term;
    ``categories``: finding categories to keep (``None`` for all, ignored when the frame has
    no ``category`` column);
    ``genes``: a gene list or panel (``None`` for all): rows whose knowledge or file gene is
    one of them;
    ``equals``: ``(column, value)`` pairs a row must match exactly ("filter by this value").
    """

    text: str = ""
    quality: str = "any"
    zygosity: str = "any"
    consequence: str = "any"
    categories: tuple[str, ...] | None = None
    genes: tuple[str, ...] | None = None
    equals: tuple[tuple[str, str], ...] = ()


def _chrom_mask(index: FrameIndex, chrom: str) -> np.ndarray:
    return index.match_uniques("chrom", lambda u: _norm_chrom(u) == chrom)


def _term_mask(frame: pd.DataFrame, index: FrameIndex, term: QueryTerm) -> np.ndarray:
    n = len(frame)
    if term.kind in ("position", "range"):
        mask = _chrom_mask(index, term.chrom or "")
        if not mask.any():
            return mask
        pos = frame["pos"].to_numpy()
        end = pos
        if "sv_end" in frame.columns:
            # a structural variant matches when its span overlaps the asked position/range
            sv_end = frame["sv_end"].to_numpy(dtype="float64", na_value=np.nan)
            end = np.where(np.isnan(sv_end), pos, sv_end)
        return mask & (pos <= term.end) & (end >= term.start)
    if term.kind == "chrom":
        return _chrom_mask(index, term.chrom or "")
    if term.kind == "rsid":
        return index.contains("var_id", term.value, whole_token=True)
    if term.kind == "hgvs":
        mask = np.zeros(n, dtype=bool)
        for column in ("hgvs_c", "hgvs_p", "kb_hgvs_c", "kb_hgvs_p", "transcript", "kb_transcript"):
            mask |= index.contains(column, term.value)
        return mask
    if term.kind == "gene":
        symbol = term.value
        mask = np.zeros(n, dtype=bool)
        for column in ("gene", "kb_gene"):
            # prefix match so "BRCA" shows BRCA1 and BRCA2; a gene field may list several
            mask |= index.match_uniques(
                column, lambda u: any(g.startswith(symbol) for g in re.split(r"[&,;|]", u))
            )
        if "condition" in frame.columns:
            mask |= index.match_uniques("condition", lambda u: symbol in u)
        return mask
    mask = np.zeros(n, dtype=bool)
    for column in ("gene", "kb_gene", "condition", "consequence", "classification", "var_id"):
        mask |= index.contains(column, term.value)
    return mask


def quick_filter_mask(
    frame: pd.DataFrame, text: str, index: FrameIndex | None = None
) -> np.ndarray:
    """Rows matching any term of the quick-filter ``text`` (all rows for empty text)."""
    index = index or FrameIndex(frame)
    terms = parse_quick_filter(text)
    if not terms:
        return np.ones(len(frame), dtype=bool)
    mask = np.zeros(len(frame), dtype=bool)
    for term in terms:
        mask |= _term_mask(frame, index, term)
    return mask


def is_pass(value: str) -> bool:
    """FILTER counts as passed when it is PASS or was not applied ('.' / empty)."""
    return value.upper() in ("PASS", ".", "", "<NA>", "NAN", "NONE")


def parse_gene_list(text: str) -> tuple[str, ...]:
    """Gene symbols from pasted text or a panel file: one per line, or separated by commas,
    semicolons, tabs or spaces; ``#`` comment lines and a "gene"/"symbol" header are skipped;
    a tab-separated file contributes its first column. Upper-cased, duplicates dropped."""
    genes: dict[str, None] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")[:1] if "\t" in line and "," not in line else [line]
        for cell in cells:
            for token in re.split(r"[\s,;]+", cell):
                symbol = token.strip().strip('"').upper()
                if symbol and symbol not in ("GENE", "SYMBOL", "GENE_SYMBOL", "HGNC_SYMBOL"):
                    genes.setdefault(symbol, None)
    return tuple(genes)


def filter_mask(
    frame: pd.DataFrame, flt: TableFilter, index: FrameIndex | None = None
) -> np.ndarray:
    """Boolean mask of the rows ``flt`` keeps (all conditions AND-ed).

    The mask of a filter that keeps everything is the index's shared read-only
    :meth:`FrameIndex.all_rows`: copy before changing it in place."""
    index = index or FrameIndex(frame)
    if (
        flt == TableFilter(categories=flt.categories)
        and (flt.categories is None or "category" not in frame.columns)
        and index.frame is frame
    ):
        return index.all_rows()
    mask = np.ones(len(frame), dtype=bool)
    if flt.categories is not None and "category" in frame.columns:
        wanted = {c.upper() for c in flt.categories}
        mask &= index.match_uniques("category", lambda u: u in wanted)
    if flt.quality != "any" and "filter" in frame.columns:
        passed = index.match_uniques("filter", is_pass)
        fac = index.factorized("filter")
        passed |= fac.codes < 0  # missing FILTER: not applied
        mask &= passed if flt.quality == "pass" else ~passed
    if flt.zygosity != "any" and "zygosity" in frame.columns:
        wanted_z = flt.zygosity.upper()
        mask &= index.match_uniques("zygosity", lambda u: u == wanted_z)
    if flt.consequence != "any":
        if flt.consequence in IMPACT_CHOICES:
            impacts = set(IMPACT_CHOICES[flt.consequence])
            mask &= index.match_uniques("impact", lambda u: u in impacts)
        else:
            term = flt.consequence.upper()
            mask &= index.match_uniques("consequence", lambda u: term in u.split("&"))
    if flt.text.strip():
        mask &= quick_filter_mask(frame, flt.text, index)
    if flt.genes is not None:
        panel = {g.strip().upper() for g in flt.genes if g.strip()}
        in_panel = np.zeros(len(frame), dtype=bool)
        for column in ("kb_gene", "gene"):
            in_panel |= index.match_uniques(column, lambda u: u in panel)
        mask &= in_panel
    for column, value in flt.equals:
        mask &= index.match_uniques(column, _equals(str(value).upper()))
    return mask


def consequence_terms(
    frame: pd.DataFrame, index: FrameIndex | None = None
) -> list[tuple[str, int]]:
    """SO consequence terms present in the frame with their row counts, most common first."""
    if "consequence" not in frame.columns or len(frame) == 0:
        return []
    if index is not None and index.frame is frame and index._terms is not None:
        return list(index._terms)  # the window asks on every view switch
    index = index or FrameIndex(frame)
    totals: dict[str, int] = {}
    if frame["consequence"].count():  # an unannotated file's column: nothing to factorise
        for value, count in value_counts(index, "consequence").items():
            for term in value.split("&"):
                if term:
                    totals[term] = totals.get(term, 0) + count
    terms = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    if index.frame is frame:
        index._terms = terms
    return list(terms)


def prepared_index(frame: pd.DataFrame, cancel: Any = None) -> FrameIndex:
    """An index of ``frame`` holding what showing it reads first (the unsorted order, the
    keep-all mask, the consequence terms of the filter bar, the category lookups of the
    findings views), built on a worker so the window only shows the frame."""
    index = FrameIndex(frame)
    index.prepare([], cancel=cancel)
    consequence_terms(frame, index)
    if "category" in frame.columns:
        index.uniques_upper("category")
    return index


def value_counts(index: FrameIndex, column: str) -> dict[str, int]:
    """Rows per distinct value of ``column`` (missing values not counted), from the index's
    codes: no text copy of the column."""
    if column not in index.frame.columns:
        return {}
    fac = index.factorized(column)
    counts = np.bincount(fac.codes[fac.codes >= 0], minlength=len(fac.uniques))
    return {str(value): int(n) for value, n in zip(fac.values(), counts, strict=True)}


def _equals(wanted: str) -> Callable[[Any], bool]:
    return lambda upper: upper == wanted


def visible_rows(order: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Rows of ``order`` that ``mask`` keeps, in sorted order."""
    return order[mask[order]]
