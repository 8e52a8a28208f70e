"""Turn records into variant-table rows: split ALTs, decide zygosity, count what is dropped.

Rows are appended to compact typed buffers (``array.array`` and short-lived string lists)
that are flushed every :data:`CHUNK_ROWS` rows into numpy/Arrow chunks, so a 4.5-million
record genome never holds per-row Python objects (see benchmarks/README.md for figures).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from array import array
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from pmviewer.core.model import VARIANT_COLUMNS, LoadStats
from pmviewer.core.vcf.csq import AnnotationParser
from pmviewer.core.vcf.reader import NON_REF_ALLELES, Record, is_symbolic

CHUNK_ROWS = 250_000
ZYGOSITIES = ["het", "hom", "hemi", "not_carried", "unknown"]
_HET, _HOM, _HEMI, _UNKNOWN = 0, 1, 2, 4
_NA32 = -(2**31)
_NA64 = -(2**63)
_MAX_PROBLEMS = 200

_INT_COLS = {  # column -> (array typecode, numpy dtype)
    "pos": ("q", np.int64),
    "allele_index": ("b", np.int8),
    "n_alts": ("b", np.int8),
    "allele_count": ("b", np.int8),
    "ploidy": ("b", np.int8),
    "phased": ("b", np.bool_),
    "is_sv": ("b", np.bool_),
    "dp": ("i", np.int32),
    "gq": ("i", np.int32),
    "ad_ref": ("i", np.int32),
    "ad_alt": ("i", np.int32),
    "record_index": ("q", np.int64),
}
_FLOAT_COLS = ("qual", "vaf")
_CODE_COLS = ("chrom", "filter", "zygosity")
_DENSE_STR = ("ref", "alt", "var_id", "genotype")
# Mostly empty columns are stored sparsely: (row number within the chunk, value).
_SPARSE = ("phase_set", "sv_type", "sv_end", "sv_len", "gene", "consequence", "impact",
           "transcript", "hgvs_c", "hgvs_p")  # fmt: skip
_SPARSE_INT = ("phase_set", "sv_end", "sv_len")
_ANN_COLS = ("gene", "consequence", "impact", "transcript", "hgvs_c", "hgvs_p")
_NAN = float("nan")
# The system allocator hands large freed blocks back to the OS; Arrow's default pool keeps
# them, which raised the peak RSS of a genome load by ~100 MB.
_POOL = pa.system_memory_pool()


def _load_trim() -> Callable[[], object]:
    """glibc's malloc_trim: return freed heap pages to the OS (no-op elsewhere).

    Converting chunks into final columns frees many medium blocks that glibc keeps by
    default; trimming after each column keeps the peak close to the final frame size.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: trim(0)


_trim = _load_trim()


def has_no_data(r: Record) -> bool:
    """True when a 0/0 call or reference block carries no evidence that the sample is reference.

    gVCF writers emit reference blocks over every base of the calling intervals, including
    bases no read covered. GATK HaplotypeCaller ``-ERC GVCF`` (GATK article "GVCF - Genomic
    Variant Call Format") bands blocks by GQ and gives bases without reads ``DP=0``,
    ``MIN_DP=0``, ``GQ=0``, ``PL=0,0,0``: every genotype equally likely, i.e. no data. In
    Illumina's gVCF conventions block DP/GQ are the minimum over the block. Such a block proves
    nothing, so it must not count as "assessed as reference". Rule: no data when GQ is 0, or
    the depth is 0 -- the depth being FORMAT DP (INFO DP in files without it), else FORMAT
    MIN_DP (DeepVariant blocks give MIN_DP but no DP). A record giving neither GQ nor a depth
    is trusted as a call, as before.
    """
    if r.gq == 0:
        return True
    depth = r.dp if r.dp is not None else r.min_dp
    return depth == 0


def genotype_text(gt: list[int], phased: bool) -> str:
    sep = "|" if phased else "/"
    return sep.join("." if a < 0 else str(a) for a in gt)


class RowBuilder:
    """Accumulates rows for one load; :meth:`finish` returns the frame and side tables."""

    def __init__(
        self,
        has_genotypes: bool,
        annotation: AnnotationParser | None = None,
        on_step: Callable[[], None] | None = None,
    ) -> None:
        """``on_step`` is called between the slower steps of a flush and of :meth:`finish`
        (the loader uses it for progress and cancel checks)."""
        self._on_step = on_step or (lambda: None)
        self.has_genotypes = has_genotypes
        self.annotation = annotation
        self.stats = LoadStats()
        self._codes: dict[str, dict[str, int]] = {c: {} for c in ("chrom", "filter")}
        self._filter_codes = self._codes["filter"]
        self._gt_text: dict[tuple, str] = {}
        self._chunks: dict[str, list] = {c: [] for c in VARIANT_COLUMNS}
        self._cov_chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._nc_chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self.rows = 0
        self._new_buffers()
        self._last_cov: list[int] | None = None  # [chrom code, start, end] being extended

    # -- buffers ---------------------------------------------------------------------------
    def _new_buffers(self) -> None:
        self._ints = {c: array(t) for c, (t, _) in _INT_COLS.items()}
        self._floats = {c: array("f") for c in _FLOAT_COLS}
        self._codes_buf = {c: array("h") for c in _CODE_COLS}
        self._strs: dict[str, list[str | None]] = {c: [] for c in _DENSE_STR}
        self._sparse: dict[str, list[tuple[int, object]]] = {c: [] for c in _SPARSE}
        i, f, c, t = self._ints, self._floats, self._codes_buf, self._strs
        # One bound append per column, unpacked in _row: typed loosely, each takes its own type.
        self._ap: tuple[Callable[[Any], None], ...] = tuple(
            x.append
            for x in (
                i["pos"], i["allele_index"], i["n_alts"], i["allele_count"], i["ploidy"],
                i["phased"], i["dp"], i["gq"], i["record_index"], i["ad_ref"], i["ad_alt"],
                i["is_sv"], f["qual"], f["vaf"], c["chrom"], c["filter"], c["zygosity"],
                t["ref"], t["alt"], t["var_id"], t["genotype"],
            )
        )  # fmt: skip
        self._cov = (array("h"), array("q"), array("q"))
        self._nc = (array("h"), array("q"))
        self._n = 0

    def _code(self, kind: str, value: str) -> int:
        table = self._codes[kind]
        code = table.get(value)
        if code is None:
            code = table[value] = len(table)
        return code

    def _flush(self) -> None:
        n = self._n
        for c, (_, dt) in _INT_COLS.items():
            self._chunks[c].append(np.array(self._ints[c], dtype=dt))
        for c in _FLOAT_COLS:
            self._chunks[c].append(np.array(self._floats[c], dtype=np.float32))
        for c in _CODE_COLS:
            self._chunks[c].append(np.array(self._codes_buf[c], dtype=np.int16))
        for c in _DENSE_STR:
            self._chunks[c].append(
                pa.array(self._strs[c], type=pa.large_string(), memory_pool=_POOL)
            )
            self._on_step()
        for c in _SPARSE:
            items = self._sparse[c]
            if not items:
                self._chunks[c].append(n)  # an all-missing chunk is just its length
            elif c in _SPARSE_INT:
                vals = np.full(n, _NA64, dtype=np.int64)
                for i, v in items:
                    vals[i] = cast(int, v)
                self._chunks[c].append(vals)
            else:
                lst: list[object] = [None] * n
                for i, v in items:
                    lst[i] = v
                self._chunks[c].append(pa.array(lst, type=pa.large_string(), memory_pool=_POOL))
        if len(self._cov[0]):
            self._cov_chunks.append(tuple(np.array(a, dtype=np.int64) for a in self._cov))  # type: ignore[arg-type]
        if len(self._nc[0]):
            self._nc_chunks.append(tuple(np.array(a, dtype=np.int64) for a in self._nc))  # type: ignore[arg-type]
        self._new_buffers()
        _trim()

    # -- side tables -----------------------------------------------------------------------
    def _covered(self, chrom: int, start: int, end: int) -> None:
        last = self._last_cov
        if last is not None and last[0] == chrom and start <= last[2] + 1 and start >= last[1]:
            if end > last[2]:
                last[2] = end
            return
        if last is not None:
            self._cov[0].append(last[0])
            self._cov[1].append(last[1])
            self._cov[2].append(last[2])
        self._last_cov = [chrom, start, end]

    def problem(self, record_no: int, reason: str) -> None:
        if len(self.stats.problems) < _MAX_PROBLEMS:
            self.stats.problems.append((record_no, reason))

    # -- the row logic ---------------------------------------------------------------------
    def add(self, r: Record, record_index: int) -> None:
        """Add the rows of one record (possibly none) and count what was dropped."""
        st = self.stats
        st.records_read += 1
        alts = r.alts
        gt = r.gt
        chrom = self._code("chrom", r.chrom)
        if gt is None:
            if self.has_genotypes:  # GT declared but absent in this record: not assessed
                st.no_call += 1
                self._nc[0].append(chrom)
                self._nc[1].append(r.pos)
                return
            self._emit_all(r, chrom, record_index)
            return
        called_alt = False
        missing = False
        for a in gt:
            if a > 0:
                called_alt = True
            elif a < 0:
                missing = True
        if not called_alt:
            if missing:
                st.no_call += 1
                self._nc[0].append(chrom)
                self._nc[1].append(r.pos)
            else:
                if any(a not in NON_REF_ALLELES and a != "*" for a in alts):
                    st.reference_only += 1
                else:
                    st.gvcf_blocks += 1
                if has_no_data(r):
                    st.uncovered_blocks += 1
                else:
                    self._covered(chrom, r.pos, r.end if r.end >= r.pos else r.pos)
            return
        ploidy = len(gt)
        n_alts = len(alts)
        anns = (
            self.annotation.choose(r.annotation, r.ref, alts)
            if self.annotation and r.annotation
            else None
        )
        emitted = False
        text: str | None = None
        for k in range(1, n_alts + 1):
            alt = alts[k - 1]
            if alt == "*":
                st.star_alleles += 1
                continue
            if alt in NON_REF_ALLELES:
                continue
            count = gt.count(k)
            if count == 0:
                st.not_carried += 1
                emitted = True
                continue
            zyg = _HEMI if ploidy == 1 else (_HOM if count == ploidy else _HET)
            if text is None:
                key = (r.phased, *gt)
                text = self._gt_text.get(key)
                if text is None:
                    text = self._gt_text[key] = genotype_text(gt, r.phased)
            self._row(r, chrom, record_index, k, alt, text, count, zyg,
                      ploidy, anns[k - 1] if anns else None)  # fmt: skip
            emitted = True
        if not emitted:
            if all(a in NON_REF_ALLELES or a == "*" for a in alts) and alts:
                if not any(a == "*" for a in alts):
                    st.gvcf_blocks += 1
            else:
                st.skipped += 1
                self.problem(
                    record_index,
                    f"{r.chrom}:{r.pos} genotype {genotype_text(gt, r.phased)} names an allele "
                    "that is not in the ALT column",
                )

    def _emit_all(self, r: Record, chrom: int, record_index: int) -> None:
        """Rows for a record without a genotype (sites-only file or no GT): zygosity unknown."""
        anns = (
            self.annotation.choose(r.annotation, r.ref, r.alts)
            if self.annotation and r.annotation
            else None
        )
        any_real = False
        for k, alt in enumerate(r.alts, 1):
            if alt == "*":
                self.stats.star_alleles += 1
                continue
            if alt in NON_REF_ALLELES:
                continue
            any_real = True
            self._row(
                r, chrom, record_index, k, alt, None, 0, _UNKNOWN, 0, anns[k - 1] if anns else None
            )
        if not any_real and not any(a == "*" for a in r.alts):
            self.stats.gvcf_blocks += 1

    def _row(self, r: Record, chrom: int, record_index: int, k: int, alt: str,
             genotype: str | None, count: int, zyg: int, ploidy: int, ann: object) -> None:  # fmt: skip
        (ap_pos, ap_ai, ap_na, ap_count, ap_ploidy, ap_phased, ap_dp, ap_gq, ap_ri, ap_adr,
         ap_ada, ap_sv, ap_qual, ap_vaf, ap_chrom, ap_filter, ap_zyg, ap_ref, ap_alt, ap_id,
         ap_gt) = self._ap  # fmt: skip
        n = self._n
        n_alts = len(r.alts)
        ap_pos(r.pos)
        ap_ai(k if k < 127 else 127)
        ap_na(n_alts if n_alts < 127 else 127)
        ap_count(count)
        ap_ploidy(ploidy)
        ap_phased(1 if r.phased else 0)
        dp = r.dp
        ap_dp(_NA32 if dp is None else dp)
        gq = r.gq
        ap_gq(_NA32 if gq is None else gq)
        ap_ri(record_index)
        ad = r.ad
        vaf = _NAN
        if ad is not None and len(ad) == n_alts + 1:
            ref_n, alt_n = ad[0], ad[k]
            ap_adr(_NA32 if ref_n is None else ref_n)
            ap_ada(_NA32 if alt_n is None else alt_n)
            if alt_n is not None:
                total = sum(x for x in ad if x is not None)
                if total > 0:
                    vaf = alt_n / total
        else:
            ap_adr(_NA32)
            ap_ada(_NA32)
            rv = r.vaf
            if rv is not None and len(rv) >= k and rv[k - 1] is not None:
                vaf = rv[k - 1]  # type: ignore[assignment]
        if is_symbolic(alt):
            ap_sv(1)
            self.stats.symbolic += 1
        else:
            ap_sv(0)
        qual = r.qual
        ap_qual(_NAN if qual is None else qual)
        ap_vaf(vaf)
        ap_chrom(chrom)
        fcode = self._filter_codes.get(r.filters)
        ap_filter(self._code("filter", r.filters) if fcode is None else fcode)
        ap_zyg(zyg)
        ap_ref(r.ref)
        ap_alt(alt)
        ap_id(r.var_id)
        ap_gt(genotype)
        if r.ps is not None:
            self._sparse["phase_set"].append((n, r.ps))
        if r.sv_type is not None or r.sv_end is not None or r.sv_len is not None:
            sp = self._sparse
            for c, v in (("sv_type", r.sv_type), ("sv_end", r.sv_end), ("sv_len", r.sv_len)):
                if v is not None:
                    sp[c].append((n, v))
        if ann is not None:
            sp = self._sparse
            for c, v in zip(_ANN_COLS, ann, strict=True):  # type: ignore[call-overload]
                if v is not None:
                    sp[c].append((n, v))
        self._n = n + 1
        self.rows += 1
        if self._n >= CHUNK_ROWS:
            self._flush()

    # -- output ----------------------------------------------------------------------------
    def finish(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(frame, covered, no_calls); buffers are released column by column."""
        if self._last_cov is not None:
            c = self._last_cov
            self._cov[0].append(c[0])
            self._cov[1].append(c[1])
            self._cov[2].append(c[2])
            self._last_cov = None
        self._flush()
        self.stats.rows_kept = self.rows
        chrom_names = list(self._codes["chrom"])
        filter_names = list(self._codes["filter"])
        data: dict[str, object] = {}
        # Columns with no value at all (no annotation, no SVs: most genomes) share one
        # immutable all-null Arrow array instead of 8 bytes of offsets per row each.
        all_null = pa.nulls(self.rows, pa.large_string(), memory_pool=_POOL)
        for col, (dtype, _) in VARIANT_COLUMNS.items():
            chunks = self._chunks.pop(col)
            if col in _SPARSE:
                if all(isinstance(c, int) for c in chunks):
                    data[col] = self._all_missing(dtype, all_null)
                    continue
                chunks = [self._materialise(c, col) if isinstance(c, int) else c for c in chunks]
            data[col] = self._column(col, dtype, chunks, chrom_names, filter_names)
            del chunks
            _trim()
            self._on_step()
        frame = pd.DataFrame(data, copy=False)
        covered = self._side(self._cov_chunks, ("chrom", "start", "end"), chrom_names)
        no_calls = self._side(self._nc_chunks, ("chrom", "pos"), chrom_names)
        self._cov_chunks, self._nc_chunks = [], []
        return frame, covered, no_calls

    def _all_missing(self, dtype: str, all_null: pa.Array) -> object:
        if dtype == "string[pyarrow]":
            return pd.arrays.ArrowStringArray(pa.chunked_array([all_null]))
        # np.zeros pages stay unmapped until written, so an all-missing column costs ~1 byte/row
        values = np.zeros(self.rows, dtype=np.int64 if dtype == "Int64" else np.int32)
        return pd.arrays.IntegerArray(values, np.ones(self.rows, dtype=np.bool_))

    @staticmethod
    def _materialise(n: int, col: str) -> object:
        if col in _SPARSE_INT:
            return np.full(n, _NA64, dtype=np.int64)
        return pa.nulls(n, pa.large_string(), memory_pool=_POOL)

    @staticmethod
    def _column(
        col: str, dtype: str, chunks: list, chroms: list[str], filters: list[str]
    ) -> object:
        if col in _CODE_COLS:
            codes = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
            cats = {"chrom": chroms, "filter": filters, "zygosity": ZYGOSITIES}[col]
            return pd.Categorical.from_codes(codes, categories=pd.Index(cats))
        if dtype == "string[pyarrow]":
            chunked = pa.chunked_array(chunks, type=pa.large_string())
            return pd.arrays.ArrowStringArray(chunked)
        values = np.concatenate(chunks) if chunks else np.zeros(0, np.int64)
        if dtype in ("Int32", "Int64"):
            sentinel = _NA64 if values.dtype == np.int64 else _NA32
            mask = values == sentinel
            target = np.int32 if dtype == "Int32" else np.int64
            values = values.astype(target, copy=False)
            return pd.arrays.IntegerArray(values, mask)
        return values.astype(dtype, copy=False)

    @staticmethod
    def _side(chunks: list[tuple], names: tuple[str, ...], chroms: list[str]) -> pd.DataFrame:
        cols = [np.concatenate([c[i] for c in chunks]) if chunks else np.zeros(0, np.int64)
                for i in range(len(names))]  # fmt: skip
        out: dict[str, object] = {
            names[0]: pd.Categorical.from_codes(
                cols[0].astype(np.int16), categories=pd.Index(chroms, dtype=object)
            )
        }
        for name, values in zip(names[1:], cols[1:], strict=True):
            out[name] = values.astype(np.int64)
        return pd.DataFrame(out)
