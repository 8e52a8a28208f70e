"""Stable row orders of the variant/finding frames, for millions of rows.

:func:`sort_order` gives the ascending or descending order of one column with missing values
last and ties in file order; the first call for a column builds both directions on the
caller's thread (the window's worker) and caches them in the
:class:`~pmviewer.core.table_query.FrameIndex`, as int32 positions below 2**31 rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from pmviewer.core.table_query import FrameIndex


def _norm_chrom(text: str) -> str:
    chrom = text[3:] if text.lower().startswith("chr") else text
    chrom = chrom.upper()
    return "MT" if chrom == "M" else chrom


_CHROM_ORDER = {str(i): i for i in range(1, 23)} | {"X": 23, "Y": 24, "MT": 25}


def chrom_rank(name: str) -> int:
    """Karyotypic rank of a contig name (chr1 < chr2 < ... < chrX < chrY < chrM < others)."""
    return _CHROM_ORDER.get(_norm_chrom(str(name)), 100)


def _radix_order(keys: np.ndarray, n_keys: int) -> np.ndarray:
    """Stable ascending order of non-negative integer ``keys`` below ``n_keys``."""
    if n_keys <= 1 << 8:
        return np.argsort(keys.astype(np.uint8, copy=False), kind="stable")
    if n_keys <= 1 << 16:
        # numpy sorts 8/16-bit integers with a radix sort when asked for a stable sort
        return np.argsort(keys.astype(np.uint16, copy=False), kind="stable")
    return np.argsort(keys.astype(np.int64, copy=False), kind="stable")


def _rank_keys(index: FrameIndex, column: str) -> tuple[np.ndarray, int]:
    """Dense sort ranks of a column: values get 0..n_values-1, missing gets n_values."""
    series = index.frame[column]
    if pd.api.types.is_bool_dtype(series.dtype) and not series.hasnans:
        return series.to_numpy(dtype="int8"), 2
    is_int = pd.api.types.is_integer_dtype(series.dtype) and not isinstance(
        series.dtype, pd.CategoricalDtype
    )
    if is_int and not series.hasnans and len(series):
        raw = series.to_numpy(dtype="int64")
        lo, hi = int(raw.min()), int(raw.max())
        if hi - lo < (1 << 16) - 1:
            return raw - lo, hi - lo + 1
    fac = index.factorized(column)
    if fac.rank is None and isinstance(series.dtype, pd.CategoricalDtype) and column != "chrom":
        fac.rank = np.arange(len(fac.uniques), dtype=np.int64)  # the categories' own order
    if fac.rank is None:
        uniques = fac.uniques
        if column == "chrom":
            names = [str(u) for u in fac.values()]
            sorter: Any = sorted(range(len(names)), key=lambda i: (chrom_rank(names[i]), names[i]))
        elif isinstance(uniques, np.ndarray) and uniques.dtype != object:
            sorter = np.argsort(uniques, kind="stable")
        elif isinstance(uniques, np.ndarray):
            sorter = np.argsort(np.array([str(u) for u in uniques], dtype=object), kind="stable")
        else:
            import pyarrow.compute as pc

            sorter = pc.sort_indices(uniques).to_numpy()  # stable, in C++
        fac.rank = np.empty(len(uniques), dtype=np.int64)
        fac.rank[sorter] = np.arange(len(uniques))
    n_values = len(fac.uniques)
    lookup = np.append(fac.rank, n_values)  # code -1 (missing) -> n_values
    return lookup[fac.codes], n_values


def row_dtype(n_rows: int) -> type[np.signedinteger]:
    """Row positions as int32 below 2**31 rows: half the memory of an int64 order (18 MB
    instead of 37 MB per order array of a 4.6-million-row genome)."""
    return np.int32 if n_rows < 2**31 else np.int64


def sort_order(
    frame: pd.DataFrame,
    column: str,
    ascending: bool = True,
    index: FrameIndex | None = None,
) -> np.ndarray:
    """Stable row order (read-only int32/int64 positions) sorting ``frame`` by ``column``.

    Ties keep their original row order, so equal genes stay in file (position) order.
    Categorical columns sort in the order of their categories (finding categories from
    reportable to other), except ``chrom``.
    Missing values sort last both ways. Sorting by ``pos`` means genomic order (chromosome
    in karyotypic order, then position). Columns with up to 65,535 distinct values are
    ranked and then ordered by numpy's radix sort. The first call for a column builds both
    directions and caches them in ``index`` (:meth:`FrameIndex.cached_order`).
    """
    if index is None:
        from pmviewer.core.table_query import FrameIndex  # the index module imports this one

        index = FrameIndex(frame)
    if len(frame) == 0:
        return np.arange(0, dtype=np.int32)
    cached = index.cached_order(column, ascending)
    if cached is None:
        _build_orders(index, column)
        cached = index.cached_order(column, ascending)
    return cached  # type: ignore[return-value]


def _build_orders(index: FrameIndex, column: str) -> None:
    """Both stable orders of ``column`` into the index's cache (the rank keys are
    temporary: only the two order arrays stay)."""
    frame = index.frame
    dtype = row_dtype(len(frame))
    if column == "pos" and "chrom" in frame.columns:
        chrom_keys, _ = _rank_keys(index, "chrom")
        keys = (chrom_keys.astype(np.int64) << 34) + frame["pos"].to_numpy(dtype="int64")
        # files are usually sorted already, and timsort is linear on sorted runs
        ascending = np.argsort(keys, kind="stable")
        n_missing = 0
    elif pd.api.types.is_float_dtype(frame[column].dtype):
        # QUAL, VAF: millions of distinct values, so no ranking; NaN sorts last in numpy
        keys = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        ascending = np.argsort(keys, kind="stable")
        n_missing = int(np.count_nonzero(np.isnan(keys)))
    else:
        keys, n_values = _rank_keys(index, column)
        ascending = _radix_order(keys, n_values + 1)
        n_missing = int(np.count_nonzero(keys == n_values))
    sorted_keys = keys[ascending]
    del keys
    ascending = ascending.astype(dtype, copy=False)
    descending = _descending_from(ascending, sorted_keys, n_missing)
    for order in (ascending, descending):
        order.flags.writeable = False  # shared with the model: never changed in place
    index._orders[column + "\0asc"] = ascending
    index._orders[column + "\0desc"] = descending
    _forget_oldest_sorts(index, column)


# columns whose two orders stay cached (36 MB a column for 4.6M rows: sorting every column
# of a genome's table held 1 GB more than the table itself)
KEPT_SORTED_COLUMNS = 6
# their codes also serve the filter bar, so they are kept when the orders go
_FILTERED_COLUMNS = {"category", "chrom", "filter", "zygosity", "impact", "consequence", "gene"}


def _forget_oldest_sorts(index: FrameIndex, column: str) -> None:
    """Keep the orders of the :data:`KEPT_SORTED_COLUMNS` columns sorted last; an older
    column is ranked again (on a worker) when its header is clicked again."""
    sorted_columns = index._sorted
    if column in sorted_columns:
        sorted_columns.remove(column)
    sorted_columns.append(column)
    while len(sorted_columns) > KEPT_SORTED_COLUMNS:
        oldest = sorted_columns.pop(0)
        index._orders.pop(oldest + "\0asc", None)
        index._orders.pop(oldest + "\0desc", None)
        if oldest not in _FILTERED_COLUMNS:
            index._factor.pop(oldest, None)


def _descending_from(
    ascending_order: np.ndarray, sorted_keys: np.ndarray, n_missing: int
) -> np.ndarray:
    """Stable descending order from the stable ascending one, in linear time.

    Reversing the ascending order sorts the keys descending but reverses ties; each run of
    equal keys is then flipped back. Missing values (the largest key) stay last.
    """
    n = len(ascending_order)
    present = n - n_missing
    rev = ascending_order[:present][::-1]
    keys = sorted_keys[:present][::-1]
    if present:
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        lengths = np.diff(np.r_[starts, present])
        # position i of a run [s, e] takes the row at s + e - i (the run flipped back)
        target = np.repeat(2 * starts + lengths - 1, lengths)
        target -= np.arange(present, dtype=target.dtype)
        flipped = np.empty(present, dtype=ascending_order.dtype)
        flipped[target] = rev
        rev = flipped
    return np.concatenate([rev, ascending_order[present:]])
