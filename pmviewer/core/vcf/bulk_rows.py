"""Vectorised row decisions for one block of records: the rules of :class:`RowBuilder.add`.

Same outcome as the per-record builder, decided with array operations: ALTs are split into
one candidate row per allele; a called ALT becomes a row (het / hom / hemi by its copies in
the genotype), an uncalled real ALT of a called record counts as not carried, ``*`` and
gVCF ``<NON_REF>`` alleles are dropped and counted, 0/0 calls become covered intervals
(unless they carry no data), missing calls become no-call positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pmviewer.core.model import LoadStats
from pmviewer.core.vcf.bulk_records import PAD, RecordBlock, alt_kinds, info_value, to_float
from pmviewer.core.vcf.csq import AnnotationParser
from pmviewer.core.vcf.rows import genotype_text

_NA32 = -(2**31)
_NA64 = -(2**63)
_HET, _HOM, _HEMI, _UNKNOWN = 0, 1, 2, 4
_MISSING_INT = -2147483647  # htslib's missing / vector-end values are at or below this
_INT32_MAX = 2**31 - 1  # htslib stores a VCF Integer as int32 and reads a larger one as missing
ANN_COLS = ("gene", "consequence", "impact", "transcript", "hgvs_c", "hgvs_p")


@dataclass
class BlockRows:
    """The rows of one block (columns in :data:`VARIANT_COLUMNS` storage types)."""

    ints: dict[str, np.ndarray]
    floats: dict[str, np.ndarray]
    chrom: np.ndarray  # record-level chrom codes of the rows, int16
    filter_text: pa.Array | None
    zygosity: np.ndarray
    strings: dict[str, pa.Array]
    sparse_ints: dict[str, np.ndarray | None]  # int64 with _NA64 for missing; None: none
    sparse_strings: dict[str, pa.Array | None]  # None: no value in the block
    covered: tuple[np.ndarray, np.ndarray, np.ndarray]  # chrom code, start, end candidates
    no_calls: tuple[np.ndarray, np.ndarray]
    problems: list[tuple[int, str]] = field(default_factory=list)
    # (chrom code, start, end) of the records proven at the coverage depth, in file order
    at_depth: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    filter_codes: np.ndarray | None = None  # filter_text as the load's category codes


def _as_int(values: np.ndarray, sentinel: int) -> np.ndarray:
    """float64 (NaN missing) -> int64 as cyvcf2 gives it: truncated, htslib sentinels and
    values beyond int32 missing."""
    missing = np.isnan(values)
    out = np.trunc(np.where(missing, 0, values))
    missing |= (out <= _MISSING_INT) | (out > _INT32_MAX)
    return np.where(missing, sentinel, out).astype(np.int64)


def _per_record(parent: np.ndarray, flags: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(parent, weights=flags, minlength=n)


def classify(
    b: RecordBlock,
    chrom_codes: np.ndarray,
    has_genotypes: bool,
    first_index: int,
    parser: AnnotationParser | None,
    fields_ann: str | None,
    i_svtype: bool,
    stats: LoadStats,
    coverage_depth: int | None = None,
) -> BlockRows:
    """Rows, side tables and counts of one block; ``first_index`` numbers its first record.

    With ``coverage_depth``, the records proven at that depth are kept as interval
    candidates (:func:`at_depth_candidates`)."""
    n = b.n
    offsets = b.alts.offsets.to_numpy().astype(np.int64)
    n_alt = np.diff(offsets)
    parent = np.repeat(np.arange(n), n_alt)
    k = np.arange(len(parent)) - offsets[:-1][parent] + 1
    star, non_ref, symbolic = alt_kinds(b.alts)
    real = ~star & ~non_ref
    any_real = _per_record(parent, real, n) > 0
    any_star = _per_record(parent, star, n) > 0
    rec_symbolic = _per_record(parent, symbolic & ~non_ref, n) > 0
    stats.records_read += n
    depth = np.where(np.isnan(b.dp), b.min_dp, b.dp)
    dp_i = _as_int(b.dp, _NA32)
    problems: list[tuple[int, str]] = []
    # records without a GT value: not assessed when the file declares GT, else listed whole
    nogt = ~b.gt_present
    emit_all = nogt & (not has_genotypes)
    no_call = nogt & has_genotypes
    # column by column: a genotype matrix is two columns wide, and numpy's loops over a row
    # of two values cost more than the comparisons
    columns = [b.gt[:, j] for j in range(b.gt.shape[1])]
    called = np.zeros(n, np.bool_)
    missing = np.zeros(n, np.bool_)
    for g in columns:
        called |= g > 0
        missing |= (g < 0) & (g != PAD)
    called &= b.gt_present
    no_call |= b.gt_present & ~called & missing
    ref_call = b.gt_present & ~called & ~missing
    stats.no_call += int(no_call.sum())
    stats.reference_only += int((ref_call & any_real).sum())
    stats.gvcf_blocks += int((ref_call & ~any_real).sum())
    no_data = (_as_int(b.gq, _NA32) == 0) | (_as_int(depth, _NA32) == 0)
    stats.uncovered_blocks += int((ref_call & no_data).sum())
    cov_sel = ref_call & ~no_data
    cand = called[parent]
    counts = np.zeros(len(parent), np.int64)
    for g in columns:
        counts += g[parent] == k
    stats.star_alleles += int((cand & star).sum())
    stats.not_carried += int((cand & real & (counts == 0)).sum())
    lost = called & ~any_real
    nr_or_star = _per_record(parent, ~real, n) == n_alt
    stats.gvcf_blocks += int((lost & nr_or_star & (n_alt > 0) & ~any_star).sum())
    bad = np.flatnonzero(lost & ~(nr_or_star & (n_alt > 0)))
    stats.skipped += len(bad)
    for i in bad:
        gt = [int(a) for a in b.gt[i] if a != PAD]
        problems.append((first_index + int(i), (
            f"{b.chrom[i].as_py()}:{int(b.pos[i])} genotype "
            f"{genotype_text(gt, bool(b.phased[i]))} names an allele that is not in the "
            "ALT column"
        )))  # fmt: skip
    whole = emit_all[parent]
    stats.star_alleles += int((whole & star).sum())
    stats.gvcf_blocks += int((emit_all & ~any_real & ~any_star).sum())
    counts = np.where(whole, 0, counts)
    ploidy_r = np.where(emit_all, 0, b.ploidy.astype(np.int64))
    zyg_r = np.where(ploidy_r[parent] == 1, _HEMI,
                     np.where(counts == ploidy_r[parent], _HOM, _HET))  # fmt: skip
    zyg_r = np.where(whole, _UNKNOWN, zyg_r)
    row_sel = real & ((cand & (counts > 0)) | whole)
    rows = np.flatnonzero(row_sel)
    rp = parent[rows]
    rk = k[rows]
    r_nalt = n_alt[rp]
    ints = {
        "pos": b.pos[rp],
        "allele_index": np.minimum(rk, 127).astype(np.int8),
        "n_alts": np.minimum(r_nalt, 127).astype(np.int8),
        "allele_count": counts[rows].astype(np.int8),
        "ploidy": ploidy_r[rp].astype(np.int8),
        "phased": b.phased[rp] & ~emit_all[rp],
        "is_sv": symbolic[rows],
        "dp": dp_i[rp].astype(np.int32),
        "gq": _as_int(b.gq, _NA32)[rp].astype(np.int32),
        "record_index": (first_index + rp).astype(np.int64),
    }
    stats.symbolic += int(ints["is_sv"].sum())
    ad_ref, ad_alt, vaf = _depths(b, rp, rk, r_nalt)
    ints["ad_ref"], ints["ad_alt"] = ad_ref, ad_alt
    take = pa.array(rp)
    alt_values = b.alts.values.take(pa.array(rows)) if len(rows) else pa.array([], pa.string())
    strings = {  # in the table's type here, on the block's thread, not while joining
        "ref": b.ref.take(take).cast(pa.large_string()),
        "alt": alt_values.cast(pa.large_string()),
        "var_id": b.var_id.take(take).cast(pa.large_string()),
        "genotype": b.genotype.take(take).cast(pa.large_string()),
    }
    sparse_ints, sparse_strings = _sparse(b, rp, rk, rec_symbolic, parser, fields_ann, i_svtype)
    cov = np.flatnonzero(cov_sel)
    nc = np.flatnonzero(no_call)
    at_depth = None
    if coverage_depth is not None:
        at_depth = at_depth_candidates(b, chrom_codes, cov_sel, called, dp_i, coverage_depth)
    return BlockRows(
        ints=ints,
        floats={"qual": b.qual[rp].astype(np.float32), "vaf": vaf.astype(np.float32)},
        chrom=chrom_codes[rp],
        filter_text=b.filters.take(take),
        zygosity=zyg_r[rows].astype(np.int16),
        strings=strings,
        sparse_ints=sparse_ints,
        sparse_strings=sparse_strings,
        covered=(chrom_codes[cov], b.pos[cov], np.maximum(b.end[cov], b.pos[cov])),
        no_calls=(chrom_codes[nc], b.pos[nc]),
        problems=problems,
        at_depth=at_depth,
    )


def at_depth_candidates(
    b: RecordBlock,
    chrom_codes: np.ndarray,
    ref_blocks: np.ndarray,
    called: np.ndarray,
    dp_i: np.ndarray,
    depth: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Records proven at ``depth`` (RowBuilder's rule): a 0/0 call or reference block with
    data by its MIN_DP (else DP), a call of an ALT by its DP; spanning REF and END."""
    min_dp = _as_int(b.min_dp, _NA32)
    block = np.where(min_dp != _NA32, min_dp, dp_i)
    proven = (ref_blocks & (block != _NA32) & (block >= depth)) | (
        called & (dp_i != _NA32) & (dp_i >= depth)
    )
    idx = np.flatnonzero(proven)
    pos = b.pos[idx]
    end = np.maximum(np.maximum(pos, b.end[idx]), b.ref_end[idx])
    return chrom_codes[idx], pos, end


def _depths(
    b: RecordBlock, rp: np.ndarray, rk: np.ndarray, r_nalt: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ad_ref, ad_alt, vaf) per row: from AD when it has one value per allele, else VAF/AF."""
    m = len(rp)
    ad_ref = np.full(m, _NA32, np.int32)
    ad_alt = np.full(m, _NA32, np.int32)
    vaf = np.full(m, np.nan)
    ad_present = np.zeros(b.n, np.bool_)
    if b.ad is not None:
        ad_present = np.asarray(b.ad.is_valid().to_numpy(zero_copy_only=False))
        off = b.ad.offsets.to_numpy().astype(np.int64)
        lens = np.diff(off)
        raw = np.asarray(b.ad.values.to_numpy(zero_copy_only=False), dtype=np.float64)
        vals = _as_int(raw, _NA32).astype(np.float64)
        vals[vals == _NA32] = np.nan
        owner = np.repeat(np.arange(b.n), lens)
        total = np.bincount(owner, weights=np.nan_to_num(vals[: len(owner)]), minlength=b.n)
        ok = ad_present[rp] & (lens[rp] == r_nalt + 1)
        rows = np.flatnonzero(ok)
        ref_n = vals[off[rp[rows]]]
        alt_n = vals[off[rp[rows]] + rk[rows]]
        ad_ref[rows] = np.where(np.isnan(ref_n), _NA32, ref_n).astype(np.int32)
        ad_alt[rows] = np.where(np.isnan(alt_n), _NA32, alt_n).astype(np.int32)
        t = total[rp[rows]]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(~np.isnan(alt_n) & (t > 0), alt_n / t, np.nan)
        vaf[rows] = frac
    if b.vaf is not None:
        use = ~ad_present[rp]
        present = np.asarray(b.vaf.is_valid().to_numpy(zero_copy_only=False))
        off = b.vaf.offsets.to_numpy().astype(np.int64)
        lens = np.diff(off)
        raw = np.asarray(b.vaf.values.to_numpy(zero_copy_only=False), dtype=np.float64)
        ok = use & present[rp] & (lens[rp] >= rk)
        rows = np.flatnonzero(ok)
        if len(rows):
            vaf[rows] = raw[off[rp[rows]] + rk[rows] - 1]
    return ad_ref, ad_alt, vaf


def _sparse(
    b: RecordBlock,
    rp: np.ndarray,
    rk: np.ndarray,
    rec_symbolic: np.ndarray,
    parser: AnnotationParser | None,
    ann_key: str | None,
    i_svtype: bool,
) -> tuple[dict[str, np.ndarray | None], dict[str, pa.Array | None]]:
    m = len(rp)
    ints: dict[str, np.ndarray | None] = {"phase_set": None}
    if not np.isnan(b.ps).all():
        ints["phase_set"] = _as_int(b.ps, _NA64)[rp]
    strs: dict[str, pa.Array | None] = dict.fromkeys(("sv_type", *ANN_COLS))
    sv_type_text = info_value(b.info, "SVTYPE") if (rec_symbolic.any() or i_svtype) else None
    need = rec_symbolic.copy()
    if i_svtype and sv_type_text is not None:
        need |= np.asarray(sv_type_text.is_valid().to_numpy(zero_copy_only=False))
    if need.any() and sv_type_text is not None:
        mask = pa.array(~need)
        strs["sv_type"] = pc.if_else(mask, pa.scalar(None, pa.string()), sv_type_text).take(
            pa.array(rp)
        )
        sv_len = _as_int(to_float(info_value(b.info, "SVLEN"), "INFO SVLEN"), _NA64)
        sv_end = _as_int(b.end_value, _NA64)
        ints["sv_len"] = np.where(need, sv_len, _NA64)[rp]
        ints["sv_end"] = np.where(rec_symbolic, sv_end, _NA64)[rp]
    else:
        ints["sv_len"] = ints["sv_end"] = None
    if parser is not None and ann_key is not None and m:
        _annotations(b, rp, rk, parser, ann_key, strs)
    return ints, strs


def _annotations(
    b: RecordBlock,
    rp: np.ndarray,
    rk: np.ndarray,
    parser: AnnotationParser,
    ann_key: str,
    strs: dict[str, pa.Array | None],
) -> None:
    """The chosen annotation per row (the parser's choice is made per record, as before)."""
    text = info_value(b.info, ann_key)
    if text.null_count == len(text):
        return
    recs = np.unique(rp)
    raw = text.take(pa.array(recs)).to_pylist()
    refs = b.ref.take(pa.array(recs)).to_pylist()
    alts = b.alts.take(pa.array(recs)).to_pylist()
    chosen = {
        int(r): parser.choose(t, ref, a)
        for r, t, ref, a in zip(recs, raw, refs, alts, strict=True)
        if t
    }
    if not chosen:
        return
    cols: list[list[object]] = [[None] * len(rp) for _ in ANN_COLS]
    for i, (r, kk) in enumerate(zip(rp.tolist(), rk.tolist(), strict=True)):
        anns = chosen.get(r)
        ann = anns[kk - 1] if anns else None
        if ann is not None:
            for c, v in enumerate(ann):
                cols[c][i] = v
    for name, values in zip(ANN_COLS, cols, strict=True):
        strs[name] = pa.array(values, pa.string())
