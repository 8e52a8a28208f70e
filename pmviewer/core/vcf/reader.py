"""Record sources behind one small interface: the cyvcf2 reader and a fake one for tests.

A reader turns the file's records into :class:`Record` tuples for the chosen sample; all
decisions about rows (splitting, zygosity, what is dropped) live in :mod:`vcf_rows`, so a
second, vectorised reader can replace :class:`CyvcfReader` without touching them.
This is the only module that imports cyvcf2 (always inside functions, to keep start-up fast).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, Protocol

from pmviewer.core.vcf.header import HeaderText

KeepFilter = Callable[[str, int, int], bool]
NON_REF_ALLELES = frozenset({"<NON_REF>", "<*>", "<X>"})


class Record(NamedTuple):
    """One VCF data line, reduced to what the variant table needs (sample fields for one sample)."""

    chrom: str
    pos: int
    end: int  # 1-based inclusive; INFO END for reference blocks and symbolic alleles
    var_id: str | None
    ref: str
    alts: list[str]  # empty when ALT is '.'
    qual: float | None
    filters: str  # "PASS", "." or codes joined by ';'
    gt: list[int] | None  # allele indices, -1 for '.'; None when the record has no GT
    phased: bool
    dp: int | None = None
    gq: int | None = None
    ad: list[int | None] | None = None
    ps: int | None = None
    vaf: list[float | None] | None = None  # FORMAT VAF/AF (Number=A) when there is no AD
    sv_type: str | None = None
    sv_len: int | None = None
    sv_end: int | None = None
    annotation: str | None = None  # raw CSQ/ANN/EFF value
    min_dp: int | None = None  # FORMAT MIN_DP (gVCF blocks), read only when DP is missing


class ReadFailure(Exception):
    """The backend could not read record number ``record_no`` (0-based); ``cause`` is its error."""

    def __init__(self, record_no: int, cause: BaseException) -> None:
        super().__init__(f"record {record_no}: {cause!r}")
        self.record_no = record_no
        self.cause = cause


class VariantReader(Protocol):
    """What :func:`pmviewer.core.vcf.loader.load` needs from a backend."""

    has_genotypes: bool  # the chosen sample has a GT field in this file

    def records(
        self, region: str | None = None, keep: KeepFilter | None = None
    ) -> Iterator[Record]:
        """All records, or those overlapping ``region`` ("chr1:100-200", file naming)."""
        ...

    def close(self) -> None: ...


def is_symbolic(alt: str) -> bool:
    """Symbolic (``<DEL>``) or breakend (``G]17:198982]``, ``.A``) ALT."""
    if alt[:1] == "<":
        return True
    if len(alt) < 2:
        return False
    return "[" in alt or "]" in alt or alt[0] == "." or alt[-1] == "."


def _scalar_int(value: object) -> int | None:
    """First value of a cyvcf2 INFO/FORMAT value as int; None when missing."""
    if value is None:
        return None
    if isinstance(value, (tuple, list)):
        value = value[0] if value else None
        if value is None:
            return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(f) or f <= -2147483647:  # htslib missing / vector-end sentinels
        return None
    return int(f)


def _first(a: object) -> int | None:
    """First element of a cyvcf2 FORMAT array as int (fast path for int arrays)."""
    x = a.item(0) if a.size else None  # type: ignore[attr-defined]
    if x.__class__ is int:
        return x if x > -2147483647 else None
    return _scalar_int(x)


def _int_list(a: object) -> list[int | None]:
    values = a[0].tolist()  # type: ignore[index]
    if values and values[0].__class__ is int:
        return [x if x > -2147483647 else None for x in values]
    return [_scalar_int(x) for x in values]


def _quiet_query(vcf: Callable[[str], Iterable[Any]], region: str) -> Iterator[Any]:
    """``vcf(region)`` without cyvcf2's "no intervals found for <file> at <region>" warning.

    cyvcf2 warns (UserWarning) whenever a query's contig is absent from the index, which
    is the normal answer "no records here" for a gene panel on a small file; a panel load
    printed hundreds of them. cyvcf2's query is a generator that warns on its first step,
    so only the call and that step run under the filter, which is local to this block
    (``catch_warnings`` restores the caller's filters on exit); every other warning passes.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="no intervals found for", category=UserWarning)
        it = iter(vcf(region))
        try:
            first = next(it)
        except StopIteration:
            return
    yield first
    yield from it


class CyvcfReader:
    """cyvcf2-backed reader for one sample (or for no sample, in sites-only files)."""

    def __init__(
        self,
        path: str,
        header: HeaderText,
        sample: str | None,
        index_path: str | None = None,
        annotation_key: str | None = None,
    ) -> None:
        import cyvcf2

        kwargs: dict[str, object] = {"gts012": True, "strict_gt": True}
        if sample is not None and len(header.samples) > 1:
            kwargs["samples"] = [sample]  # htslib drops the other samples while parsing
        is_bcf = path.endswith(".bcf")
        if index_path is not None and not is_bcf:
            # cyvcf2's set_index() does not reach its tabix queries; htslib's "##idx##"
            # file-name suffix names the index explicitly instead.
            path = f"{path}##idx##{index_path}"
        self._vcf = cyvcf2.VCF(path, **kwargs)
        if index_path is not None and is_bcf:
            self._vcf.set_index(index_path)
        self._closed = False
        self.skipped_by_filter = 0
        self._has_sample = sample is not None and len(header.samples) > 0
        self.has_genotypes = self._has_sample and "GT" in header.formats
        fmt = header.formats if self._has_sample else {}
        self._f_dp = "DP" in fmt
        self._f_gq = "GQ" in fmt
        self._f_ad = "AD" in fmt
        self._f_ps = "PS" in fmt
        self._f_min_dp = "MIN_DP" in fmt
        self._f_vaf = "VAF" if "VAF" in fmt else ("AF" if "AF" in fmt else None)
        self._i_dp = "DP" in header.info and not self._f_dp
        self._i_svtype = "SVTYPE" in header.info
        self._ann = annotation_key

    # -- per-record conversion -------------------------------------------------------------
    def _fmt_int(self, v: object, key: str) -> int | None:
        try:
            a = v.format(key)  # type: ignore[attr-defined]
        except Exception:  # undeclared or wrongly typed field
            return None
        return None if a is None else _first(a)

    def _convert(self, v: object) -> Record:
        alts = v.ALT  # type: ignore[attr-defined]
        gt: list[int] | None = None
        phased = False
        dp = gq = ps = None
        ad: list[int | None] | None = None
        vaf: list[float | None] | None = None
        if self._has_sample:
            try:
                g = v.genotypes[0]  # type: ignore[attr-defined]
            except Exception:  # cyvcf2 raises when this record's FORMAT has no GT
                g = None
            if g:
                phased = g[-1] is True
                gt = g[:-1]
            if self._f_dp:
                dp = self._fmt_int(v, "DP")
            if self._f_gq:
                gq = self._fmt_int(v, "GQ")
            if self._f_ps:
                ps = self._fmt_int(v, "PS")
            if self._f_ad:
                try:
                    a = v.format("AD")  # type: ignore[attr-defined]
                except Exception:
                    a = None
                if a is not None:
                    ad = _int_list(a)
            if ad is None and self._f_vaf is not None:
                try:
                    a = v.format(self._f_vaf)  # type: ignore[attr-defined]
                except Exception:
                    a = None
                if a is not None and a.dtype.kind == "f":
                    vaf = [None if math.isnan(x) else float(x) for x in a[0]]
        sv_type = sv_len = sv_end = None
        symbolic = False
        for a in alts:
            if a[:1] == "<" and a in NON_REF_ALLELES:
                continue
            if is_symbolic(a):
                symbolic = True
        info = v.INFO if (self._i_dp or symbolic or self._i_svtype or self._ann) else None  # type: ignore[attr-defined]
        if self._i_dp:
            dp = _scalar_int(info.get("DP"))  # type: ignore[union-attr]
        if symbolic or (self._i_svtype and info.get("SVTYPE") is not None):  # type: ignore[union-attr]
            raw_type = info.get("SVTYPE")  # type: ignore[union-attr]
            sv_type = str(raw_type) if raw_type is not None else None
            sv_len = _scalar_int(info.get("SVLEN"))  # type: ignore[union-attr]
            sv_end = _scalar_int(info.get("END")) if symbolic else None  # type: ignore[union-attr]
        min_dp = self._fmt_int(v, "MIN_DP") if dp is None and self._f_min_dp else None
        annotation = None
        if self._ann is not None:
            raw = info.get(self._ann)  # type: ignore[union-attr]
            annotation = raw if isinstance(raw, str) else None
        codes = v.FILTERS  # type: ignore[attr-defined]
        filters = ";".join(codes) if codes else "."
        qual = v.QUAL  # type: ignore[attr-defined]
        return Record(
            v.CHROM, v.POS, v.end, v.ID, v.REF, alts,  # type: ignore[attr-defined]
            qual, filters, gt, phased, dp, gq, ad, ps, vaf, sv_type, sv_len, sv_end, annotation,
            min_dp,
        )  # fmt: skip

    def _iterate(self, source: Iterable[object], keep: KeepFilter | None) -> Iterator[Record]:
        n = 0
        it = iter(source)
        while True:
            try:
                v = next(it)
            except StopIteration:
                return
            except Exception as e:  # cyvcf2 raises bare Exception/OSError/AssertionError
                raise ReadFailure(n, e) from e
            n += 1
            try:
                if keep is not None and not keep(v.CHROM, v.POS, v.end):  # type: ignore[attr-defined]
                    self.skipped_by_filter += 1
                    continue
                rec = self._convert(v)
            except Exception as e:
                raise ReadFailure(n - 1, e) from e
            yield rec

    def records(
        self, region: str | None = None, keep: KeepFilter | None = None
    ) -> Iterator[Record]:
        if self._closed:  # a query after close() crashes inside htslib
            raise ValueError("reader is closed")
        if region is None:
            return self._iterate(self._vcf, keep)
        if not region:  # cyvcf2 returns the whole file for ""
            raise ValueError("empty region")
        return self._iterate(_quiet_query(self._vcf, region), keep)

    def first_record(self) -> tuple[str, int, str] | None:
        """(chrom, pos, ref) of the first data line, read sequentially (index checks)."""
        for v in self._vcf:
            return v.CHROM, v.POS, v.REF
        return None

    def region_has(self, region: str, chrom: str, pos: int, ref: str) -> bool:
        """True when an index query for ``region`` returns the record (chrom, pos, ref)."""
        try:
            return any(
                v.CHROM == chrom and v.POS == pos and v.REF == ref
                for v in _quiet_query(self._vcf, region)
            )
        except Exception:
            return False

    def raw_header(self) -> str:
        return str(self._vcf.raw_header)

    def seqnames(self) -> list[str]:
        try:
            return list(self._vcf.seqnames)
        except Exception:
            return []

    def num_records(self) -> int | None:
        try:
            n = int(self._vcf.num_records)
        except Exception:
            return None
        return n if n > 0 else None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._vcf.close()


class FakeReader:
    """A reader over prepared :class:`Record` objects (tests of the row logic)."""

    def __init__(self, records: list[Record], has_genotypes: bool = True) -> None:
        self._records = records
        self.has_genotypes = has_genotypes

    def records(
        self, region: str | None = None, keep: KeepFilter | None = None
    ) -> Iterator[Record]:
        if region is None:
            return iter(r for r in self._records if keep is None or keep(r.chrom, r.pos, r.end))
        chrom, _, span = region.partition(":")
        start, _, end = span.partition("-")
        lo, hi = int(start or 1), int(end or 2**31)
        return iter(r for r in self._records if r.chrom == chrom and r.pos <= hi and r.end >= lo)

    def close(self) -> None:
        pass
