"""Parse a block of VCF data lines into per-record columns, vectorised with pyarrow.

A block is read by pyarrow's CSV parser (tab-separated, no quoting, only the columns the
table needs: the chosen sample's column alone in a multi-sample file). Sample fields are
taken per distinct FORMAT layout: each layout's position of GT, DP, GQ, AD, PS, MIN_DP and
VAF is looked up once and the values are gathered from the split sample column. The
conventions are cyvcf2's (with ``gts012``, one sample): a missing value is None, the first
value of a list is taken for single-value fields, the phase of a genotype is the separator
before its second allele, a haploid call is unphased, INFO END sets the record's end.
Anything this reader cannot reproduce exactly raises :class:`BulkUnsupported`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from pmviewer.core.vcf.bulk_bytes import contains, dot_as_null, has_any_byte, string_buffers
from pmviewer.core.vcf.bulk_format import layout_spans
from pmviewer.core.vcf.reader import NON_REF_ALLELES

_FIXED = ["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]
_GT_OK = r"^(?:\.|0|[1-9][0-9]{0,5})(?:[/|](?:\.|0|[1-9][0-9]{0,5}))*$"
_MAX_PLOIDY = 8
PAD = -99  # genotype matrix filler beyond a call's ploidy
_ONE_CHUNK = 2 * 1024 * 1024


class BulkUnsupported(Exception):
    """This file needs the htslib reader; the message says why (it is logged).

    ``record_no`` (0-based, whole file) names the offending data line when known.
    """

    def __init__(self, reason: str, record_no: int | None = None) -> None:
        super().__init__(reason)
        self.record_no = record_no


@dataclass(frozen=True)
class Fields:
    """Which fields a load reads, decided once from the header (as :class:`CyvcfReader`)."""

    columns: list[str]  # column names of the #CHROM line
    sample_column: str | None  # the chosen sample's column, None for sites-only reads
    has_gt: bool  # GT declared for a chosen sample
    f_dp: bool
    f_gq: bool
    f_ad: bool
    f_ps: bool
    f_min_dp: bool
    f_vaf: str | None  # FORMAT VAF, else AF, when declared as Float
    i_dp: bool
    i_svtype: bool
    ann_key: str | None
    info_end: bool = True  # INFO END declared in the header


def header_types(lines: list[str], kind: str) -> dict[str, str]:
    """ID -> Type of the ``##INFO``/``##FORMAT`` lines."""
    out: dict[str, str] = {}
    prefix = f"##{kind}=<"
    for line in lines:
        if line.startswith(prefix):
            m_id = re.search(r"[<,]ID=([^,>]+)", line)
            m_type = re.search(r"[<,]Type=([^,>]+)", line)
            if m_id:
                out[m_id.group(1)] = m_type.group(1) if m_type else ""
    return out


@dataclass
class RecordBlock:
    """Per-record columns of one block (numpy arrays and Arrow string arrays)."""

    n: int
    chrom: pa.Array
    pos: np.ndarray
    end: np.ndarray
    var_id: pa.Array
    ref: pa.Array
    alts: pa.ListArray  # empty list for '.'
    qual: np.ndarray  # float64, NaN when '.'
    filters: pa.Array
    gt_present: np.ndarray  # bool: the record has a GT value for the sample
    gt: np.ndarray  # int32 (n, P) allele indices, -1 '.', PAD beyond the ploidy
    ploidy: np.ndarray  # int8, 0 without GT
    phased: np.ndarray  # bool
    genotype: pa.Array  # GT written with the call's own separator, null without GT
    dp: np.ndarray  # float64, NaN when missing (trunc toward 0 gives the integer)
    gq: np.ndarray
    ps: np.ndarray
    min_dp: np.ndarray
    ad: pa.ListArray | None  # per record: None (no AD in FORMAT) or list of float64|null
    vaf: pa.ListArray | None
    info: pa.Array
    end_value: np.ndarray  # INFO END, NaN when absent
    ref_end: np.ndarray  # POS + len(REF) - 1


def _nan(n: int) -> np.ndarray:
    return np.full(n, np.nan)


def _null_dot(arr: pa.Array) -> pa.Array:
    """'.' and '' as null (a missing value in VCF text)."""
    fast = dot_as_null(arr)
    if fast is not None:
        return fast
    missing = pc.or_kleene(pc.equal(arr, "."), pc.equal(arr, ""))
    return pc.if_else(missing, pa.scalar(None, arr.type), arr)


def to_float(arr: pa.Array, what: str) -> np.ndarray:
    """Numbers as float64 with NaN for missing; the first of a comma list."""
    if pa.types.is_floating(arr.type):  # converted by the CSV reader already
        return np.asarray(arr.to_numpy(zero_copy_only=False), np.float64)
    try:  # single values (nearly always): no split needed
        return np.asarray(
            pc.cast(_null_dot(arr), pa.float64()).to_numpy(zero_copy_only=False), np.float64
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    first = pc.split_pattern(arr, ",", max_splits=1)
    first = pc.list_element(first, 0) if len(arr) else arr
    try:
        values = pc.cast(_null_dot(first), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise BulkUnsupported(f"a {what} value is not a number") from e
    out = values.to_numpy(zero_copy_only=False)
    return np.asarray(out, dtype=np.float64)


def _number_lists(arr: pa.Array, what: str) -> pa.ListArray:
    """'10,5' -> [10.0, 5.0]; '.' entries null; a null value -> [null] (as htslib)."""
    filled = pc.fill_null(arr, ".")
    parts = pc.split_pattern(filled, ",")
    try:
        flat = pc.cast(_null_dot(parts.values), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise BulkUnsupported(f"a {what} value is not a number") from e
    return pa.ListArray.from_arrays(parts.offsets, flat)


def _gather(parts: pa.ListArray, idx: np.ndarray) -> pa.Array:
    """Element ``idx[i]`` of list ``i`` (null where idx < 0 or past the list's end)."""
    offsets = parts.offsets.to_numpy()
    lens = np.diff(offsets)
    ok = (idx >= 0) & (idx < lens)
    take = np.where(ok, offsets[:-1] + idx, 0)
    return parts.values.take(pa.array(take, mask=~ok))


def info_value(info: pa.Array, key: str) -> pa.Array:
    """The text of INFO ``key`` per record (null when absent or a flag)."""
    if not len(info) or not contains(info, f"{key}=".encode()):
        return pa.nulls(len(info), pa.string())
    found = pc.extract_regex(info, f"(?:^|;){re.escape(key)}=(?P<v>[^;]*)")
    return pc.struct_field(found, [0])


def _layout_index(fmt: pa.Array, keys: list[str]) -> dict[str, np.ndarray]:
    """Per record, the position of each FORMAT key in the record's layout (-1 when absent)."""
    enc = pc.dictionary_encode(fmt)
    codes = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False))
    layouts = [str(x).split(":") if x is not None else [] for x in enc.dictionary.to_pylist()]
    out = {}
    for key in keys:
        table = np.array([lay.index(key) if key in lay else -1 for lay in layouts] + [-1])
        out[key] = table[codes]  # code -1 picks the trailing -1
    return out


def read_block(text: bytes | memoryview, fields: Fields) -> pa.Table:
    """The needed columns of one block of data lines: POS and QUAL as numbers when they all
    parse ('.' QUAL as null), everything else (or everything, when a value does not) as text.

    Bytes that are not UTF-8 become U+FFFD, as the htslib reader shows them.
    """
    try:
        return _read_csv(text, fields, typed=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError, BulkUnsupported):
        pass
    try:
        return _read_csv(text, fields)
    except UnicodeDecodeError:
        return _read_csv(bytes(text).decode("utf-8", errors="replace").encode("utf-8"), fields)


def _read_csv(text: bytes | memoryview, fields: Fields, typed: bool = False) -> pa.Table:
    include = _FIXED + (["FORMAT", fields.sample_column] if fields.sample_column else [])
    types = {c: pa.string() for c in include}
    if typed:  # the CSV reader converts while it splits: no string copy, no cast
        types.update(POS=pa.int64(), QUAL=pa.float64())
    # a block of up to 2 MB is parsed as one chunk on the calling thread (the bulk reader
    # parses several blocks at once): its columns need no concatenation afterwards
    whole = len(text) <= _ONE_CHUNK
    try:
        return pcsv.read_csv(
            pa.py_buffer(text),
            read_options=pcsv.ReadOptions(
                column_names=fields.columns,
                block_size=len(text) + 1 if whole else 1 << 20,
                use_threads=not whole,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter="\t", quote_char=False, escape_char=False, ignore_empty_lines=True
            ),
            convert_options=pcsv.ConvertOptions(
                include_columns=include,
                column_types=types,
                null_values=["."] if typed else [],
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        if typed:
            raise
        if "UTF8" in str(e) or "UTF-8" in str(e):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid UTF-8 in a data line") from e
        expected = len(fields.columns)
        lines = [ln for ln in bytes(text).split(b"\n") if ln]
        bad = next((i for i, ln in enumerate(lines) if ln.count(b"\t") + 1 != expected), None)
        raise BulkUnsupported("a data line does not have the header's columns", bad) from e


def _one_array(column: pa.ChunkedArray) -> pa.Array:
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def parse_records(table: pa.Table, fields: Fields, may_have_end: bool = True) -> RecordBlock:
    """Per-record columns of a block read by :func:`read_block`; ``may_have_end=False``
    (no 'END=' in the block's text) skips the search of INFO for END."""
    n = table.num_rows
    col = {name: _one_array(table.column(name)) for name in table.column_names}
    try:
        if col["POS"].null_count:
            raise pa.ArrowInvalid("a '.' POS")
        pos = pc.cast(col["POS"], pa.int64()).to_numpy()
    except pa.ArrowInvalid as e:
        raise BulkUnsupported("a POS value is not a number") from e
    if n and int(pos.min()) < 1:  # the record reader explains the line (and never loads it)
        raise BulkUnsupported("a POS value is not a valid position")
    ref = col["REF"]
    alt_text = col["ALT"]
    is_dot = pc.equal(alt_text, ".")
    split = pc.split_pattern(pc.if_else(is_dot, pa.scalar(None, pa.string()), alt_text), ",")
    alts = pa.ListArray.from_arrays(split.offsets, split.values)  # '.' -> [] (no values)
    info = col["INFO"]
    end_text = info_value(info, "END") if may_have_end else pa.nulls(n, pa.string())
    ref_end = pos + pc.binary_length(ref).to_numpy(zero_copy_only=False).astype(np.int64) - 1
    end = ref_end
    if end_text.null_count < n:
        end_v = to_float(end_text, "INFO END")
        if fields.info_end:  # htslib takes the record's end from END only when declared
            has_end = ~np.isnan(end_v)
            end = np.where(has_end, np.trunc(np.nan_to_num(end_v)).astype(np.int64), end)
    else:
        end_v = _nan(n)
    qual_col = col["QUAL"]
    if pa.types.is_floating(qual_col.type):
        qual = np.asarray(qual_col.to_numpy(zero_copy_only=False), np.float64)
    else:
        qual = to_float(qual_col, "QUAL")
    var_id = _null_dot(col["ID"])
    block = RecordBlock(
        n=n, chrom=col["CHROM"], pos=pos, end=end, var_id=var_id, ref=ref, alts=alts,
        qual=qual, filters=col["FILTER"], gt_present=np.zeros(n, np.bool_),
        gt=np.full((n, 1), PAD, np.int32), ploidy=np.zeros(n, np.int8),
        phased=np.zeros(n, np.bool_), genotype=pa.nulls(n, pa.string()), dp=_nan(n),
        gq=_nan(n), ps=_nan(n), min_dp=_nan(n), ad=None, vaf=None, info=info, end_value=end_v,
        ref_end=ref_end,
    )  # fmt: skip
    if fields.sample_column is not None:
        _sample_fields(block, col["FORMAT"], col[fields.sample_column], fields)
    if fields.i_dp:
        block.dp = to_float(info_value(info, "DP"), "INFO DP")
    return block


def _sample_fields(block: RecordBlock, fmt: pa.Array, sample: pa.Array, fields: Fields) -> None:
    keys = ["GT"]  # read even when undeclared, as htslib does
    keys += [k for k, on in (("DP", fields.f_dp), ("GQ", fields.f_gq), ("AD", fields.f_ad),
                             ("PS", fields.f_ps), ("MIN_DP", fields.f_min_dp)) if on]  # fmt: skip
    if fields.f_vaf:
        keys.append(fields.f_vaf)
    one = layout_spans(fmt, sample, keys)
    if one is None:
        _split_sample_fields(block, fmt, sample, fields, keys)
        return
    n = block.n

    def text(key: str) -> pa.Array:
        return one.text(key) if key in one.spans else pa.nulls(n, pa.string())

    for key, attr in (("DP", "dp"), ("GQ", "gq"), ("PS", "ps"), ("MIN_DP", "min_dp")):
        if key in keys:  # digits only, else the general conversion (and its errors)
            got = one.numbers(key) if key in one.spans else _nan(n)
            setattr(block, attr, got if got is not None else to_float(text(key), f"FORMAT {key}"))
    if "AD" in keys:
        ad = one.number_lists("AD") if "AD" in one.spans else None
        if ad is None:
            ad = _number_lists(text("AD"), "FORMAT AD")
        block.ad = _mask_lists(ad, np.full(n, "AD" in one.spans))
    if fields.f_vaf:  # fractions: the general conversion
        vaf = _number_lists(text(fields.f_vaf), f"FORMAT {fields.f_vaf}")
        block.vaf = _mask_lists(vaf, np.full(n, fields.f_vaf in one.spans))
    _genotypes(block, text("GT"), np.full(n, "GT" in one.spans))


def _split_sample_fields(
    block: RecordBlock, fmt: pa.Array, sample: pa.Array, fields: Fields, keys: list[str]
) -> None:
    """Sample fields of any block: each value split into a list, each key gathered from it
    at its layout's position."""
    where = _layout_index(fmt, keys)
    parts = pc.split_pattern(sample, ":")
    for key, attr in (("DP", "dp"), ("GQ", "gq"), ("PS", "ps"), ("MIN_DP", "min_dp")):
        if key in where:
            setattr(block, attr, to_float(_gather(parts, where[key]), f"FORMAT {key}"))
    if "AD" in where:
        ad = _number_lists(_gather(parts, where["AD"]), "FORMAT AD")
        block.ad = _mask_lists(ad, where["AD"] >= 0)
    if fields.f_vaf:
        vaf = _number_lists(_gather(parts, where[fields.f_vaf]), f"FORMAT {fields.f_vaf}")
        block.vaf = _mask_lists(vaf, where[fields.f_vaf] >= 0)
    _genotypes(block, _gather(parts, where["GT"]), where["GT"] >= 0)


def _mask_lists(lists: pa.ListArray, present: np.ndarray) -> pa.ListArray:
    return pa.ListArray.from_arrays(lists.offsets, lists.values, mask=pa.array(~present))


_DOT, _SLASH, _BAR, _ZERO = ord("."), ord("/"), ord("|"), ord("0")


def _allele_codes(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(allele number or -1 for '.', is a single digit or '.') of one character per call."""
    digit = (c >= _ZERO) & (c <= _ZERO + 9)
    return np.where(c == _DOT, -1, c.astype(np.int32) - _ZERO), digit | (c == _DOT)


def _genotypes(block: RecordBlock, gt_text: pa.Array, in_layout: np.ndarray) -> None:
    """Allele matrix, ploidy, phase and display text of the GT values.

    Calls of one or two single-digit alleles (nearly all of a genome) are decoded from the
    text bytes directly; the others go through a regular-expression split.
    """
    n = block.n
    present = np.asarray(gt_text.is_valid().to_numpy(zero_copy_only=False))
    if (in_layout & ~present).any():
        raise BulkUnsupported("a sample column lacks the GT value its FORMAT announces")
    if not present.any():
        return
    offsets, data = string_buffers(pc.fill_null(gt_text, "."))
    start = offsets[:-1].astype(np.int64)
    length = np.diff(offsets)
    data = np.concatenate([data, np.zeros(3, np.uint8)])  # reads past the end are harmless
    c0, c1, c2 = data[start], data[start + 1], data[start + 2]
    a0, ok0 = _allele_codes(c0)
    a2, ok2 = _allele_codes(c2)
    haploid = present & (length == 1) & ok0
    diploid = present & (length == 3) & ok0 & ok2 & ((c1 == _SLASH) | (c1 == _BAR))
    other = present & ~haploid & ~diploid
    width = 2
    mat = np.full((n, width), PAD, np.int32)
    mat[haploid, 0] = a0[haploid]
    mat[diploid, 0] = a0[diploid]
    mat[diploid, 1] = a2[diploid]
    ploidy = np.where(haploid, 1, np.where(diploid, 2, 0)).astype(np.int64)
    phased = diploid & (c1 == _BAR)
    genotype = gt_text
    if other.any():
        idx = np.flatnonzero(other)
        sub = gt_text.take(pa.array(idx))
        ok = pc.match_substring_regex(sub, _GT_OK)
        if not pc.all(ok).as_py():
            bad = sub.filter(pc.invert(ok))[0].as_py()
            raise BulkUnsupported(f"a genotype ('{bad}') is not written as allele numbers")
        parts = pc.split_pattern_regex(sub, "[/|]")
        lens = np.diff(parts.offsets.to_numpy())
        if lens.max(initial=0) > _MAX_PLOIDY:
            raise BulkUnsupported(f"a genotype has more than {_MAX_PLOIDY} alleles")
        flat_text = parts.values
        flat = pc.cast(pc.if_else(pc.equal(flat_text, "."), "-1", flat_text), pa.int32())
        flat_np = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.int32)
        width = max(2, int(lens.max(initial=0)))
        if width > 2:
            mat = np.concatenate([mat, np.full((n, width - 2), PAD, np.int32)], axis=1)
        sub_off = parts.offsets.to_numpy()
        rows = np.repeat(idx, lens)
        cols = np.arange(len(flat_np)) - np.repeat(sub_off[:-1], lens)
        mat[rows, cols] = flat_np
        ploidy[idx] = lens
        sep = pc.struct_field(pc.extract_regex(sub, r"^[^/|]*(?P<s>[/|])"), [0])
        phased[idx] = np.asarray(pc.fill_null(pc.equal(sep, "|"), False).to_numpy(
            zero_copy_only=False))  # fmt: skip
        if (lens > 2).any():  # only calls of 3+ alleles can mix separators
            genotype = pc.if_else(pa.array(phased), pc.replace_substring(gt_text, "/", "|"),
                                  pc.replace_substring(gt_text, "|", "/"))  # fmt: skip
    block.gt_present = present
    block.gt = mat
    block.ploidy = ploidy.astype(np.int8)
    block.phased = phased & present
    block.genotype = genotype


def alt_kinds(alts: pa.ListArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(is_star, is_non_ref, is_symbolic) per ALT of the flattened list."""
    values = alts.values
    if not len(values) or not has_any_byte(values, b"*<[]."):  # plain bases (nearly all)
        empty = np.zeros(len(values), np.bool_)
        return empty, empty, empty
    star = pc.equal(values, "*").to_numpy(zero_copy_only=False)
    non_ref = pc.is_in(values, pa.array(sorted(NON_REF_ALLELES))).to_numpy(zero_copy_only=False)
    long = pc.greater_equal(pc.binary_length(values), 2)
    odd = pc.or_(
        pc.or_(pc.match_substring(values, "["), pc.match_substring(values, "]")),
        pc.or_(pc.starts_with(values, "."), pc.ends_with(values, ".")),
    )
    symbolic = pc.or_(pc.starts_with(values, "<"), pc.and_(long, odd))
    return (
        np.asarray(star, np.bool_),
        np.asarray(non_ref, np.bool_),
        np.asarray(symbolic.to_numpy(zero_copy_only=False), np.bool_),
    )
