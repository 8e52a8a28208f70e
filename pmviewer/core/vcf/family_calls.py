"""Genotypes of the other samples of a family VCF at a few sites (the patient's findings).

The variant table holds one sample and only the records it carries; a parent's 0/0 at a
finding's site is exactly what de novo and phase-from-parents need, so the relatives' calls
are read here, record by record, with their depth: through htslib (cyvcf2) when it is
installed, else from the text (:mod:`.family_text`), with the same values.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmviewer.core import progress as prog
from pmviewer.core.errors import InputFileError
from pmviewer.core.progress import CancelToken
from pmviewer.core.vcf.family_text import norm_chrom, parse_alleles, sample_columns, text_records
from pmviewer.core.vcf.header import read_header_lines, sniff_compression
from pmviewer.core.vcf.reader import cyvcf2_available

Site = tuple[str, int, str, str]  # (chrom without "chr", pos, ref, alt)


@dataclass(frozen=True)
class SampleCall:
    """One relative's call at one site for one alternate allele."""

    genotype: str  # as in the file, e.g. "0/1", "./."
    carries: bool | None  # carries this alternate allele; None when not called
    depth: int | None  # DP, else the sum of AD; None when neither is given
    gq: int | None = None  # genotype quality
    ad: tuple[int | None, ...] | None = None  # allelic depths (None: no AD in the record)


_VECTOR_END = -2147483647  # htslib's filler after a shorter list


def _gt_text(alleles: list[int], phased: bool) -> str:
    return ("|" if phased else "/").join("." if a < 0 else str(a) for a in alleles) or "."


def _call(alleles: list[int], phased: bool, allele_index: int, dp: int | None,
          ad: list[int | None] | None, gq: int | None) -> SampleCall:  # fmt: skip
    called = bool(alleles) and all(a >= 0 for a in alleles)
    counts = [x for x in ad or [] if x is not None]
    return SampleCall(
        _gt_text(alleles, phased),
        (allele_index in alleles) if called else None,
        dp if dp is not None else (sum(counts) if counts else None),
        gq,
        tuple(ad) if ad is not None else None,
    )


def _format(variant: Any, key: str) -> Any:
    try:
        return variant.format(key)
    except Exception:  # undeclared or wrongly typed
        return None


def _values(values: Any, i: int) -> list[int | None] | None:
    """Sample ``i``'s values of one FORMAT field (missing as None), None without the field."""
    if values is None:
        return None
    out: list[int | None] = []
    for x in values[i]:
        if x != x:  # NaN: a missing Float
            out.append(None)
        elif int(x) != _VECTOR_END:
            out.append(int(x) if int(x) >= 0 else None)
    return out


def _first(values: list[int | None] | None) -> int | None:
    return values[0] if values else None


def _from_text(path: Path, samples: list[str], wanted: set[Site],
               cancel: CancelToken | None) -> dict[Site, dict[str, SampleCall]]:  # fmt: skip
    n_columns, columns = sample_columns(path, samples)
    positions = {(c, p) for c, p, _r, _a in wanted}
    out: dict[Site, dict[str, SampleCall]] = {}
    records = text_records(path, columns, n_columns, {p for _c, p in positions}, cancel)
    for chrom, pos, ref, alts, calls in records:
        for allele_index, alt in enumerate(alts, start=1):
            site = (chrom, pos, ref, alt)
            if site not in wanted:
                continue
            out[site] = {}
            for sample in samples:
                gt, dp, ad, gq = calls[sample]
                alleles, phased = parse_alleles(gt) if gt is not None else ([], False)
                out[site][sample] = _call(alleles, phased, allele_index, dp, ad, gq)
    return out


def family_calls(
    path: str | os.PathLike[str],
    samples: list[str],
    sites: list[Site],
    cancel: CancelToken | None = None,
) -> dict[Site, dict[str, SampleCall]]:
    """``site -> {sample: call}`` for the given samples at the given sites.

    Sites absent from the file are absent from the result (not genotyped there). With an
    index, each site is looked up; otherwise the file is read once.

    Raises
    ------
    InputFileError
        A sample is not in the file, or the file cannot be read.
    """
    wanted = {(norm_chrom(c), p, r, a) for c, p, r, a in sites}
    if not cyvcf2_available():
        return _from_text(Path(path), samples, wanted, cancel)
    import cyvcf2

    positions = {(c, p) for c, p, _r, _a in wanted}
    try:
        with warnings.catch_warnings():  # a missing sample is reported below, in words
            warnings.simplefilter("ignore")
            vcf = cyvcf2.VCF(str(path), gts012=False, strict_gt=True, samples=list(samples))
    except OSError as error:
        raise InputFileError(
            f"{Path(path).name} could not be read for the relatives' genotypes."
        ) from error
    missing = [s for s in samples if s not in vcf.samples]
    if missing:
        vcf.close()
        raise InputFileError(
            f"{Path(path).name} has no sample named {', '.join(missing)}; choose the family "
            "members among the file's samples."
        )
    order = [vcf.samples.index(s) for s in samples]
    indexed = any(Path(f"{path}{ext}").exists() for ext in (".tbi", ".csi"))
    out: dict[Site, dict[str, SampleCall]] = {}

    def take(variant: Any) -> None:
        key_pos = (norm_chrom(variant.CHROM), variant.POS)
        if key_pos not in positions:
            return
        genotypes = variant.genotypes
        dps, ads, gqs = (_format(variant, key) for key in ("DP", "AD", "GQ"))
        for allele_index, alt in enumerate(variant.ALT, start=1):
            site = (key_pos[0], key_pos[1], variant.REF, alt)
            if site not in wanted:
                continue
            calls = {}
            for sample, i in zip(samples, order, strict=True):
                call = genotypes[i]
                dp, gq = _first(_values(dps, i)), _first(_values(gqs, i))
                calls[sample] = _call(call[:-1], call[-1] is True, allele_index, dp,
                                      _values(ads, i), gq)  # fmt: skip
            out[site] = calls

    try:
        if indexed:
            chroms = {c: c for c in vcf.seqnames}
            for chrom, pos in sorted(positions):
                prog.check(cancel)
                name = chroms.get(chrom) or chroms.get(f"chr{chrom}")
                if name is None:
                    continue
                for variant in vcf(f"{name}:{pos}-{pos}"):
                    take(variant)
        else:
            for n, variant in enumerate(vcf):
                if n % 10_000 == 0:
                    prog.check(cancel)
                take(variant)
    finally:
        vcf.close()
    return out


def header_lines(path: str | os.PathLike[str]) -> list[str]:
    """The ``##`` meta lines of a VCF/BCF header (e.g. for its ``##PEDIGREE`` lines)."""
    compression = sniff_compression(Path(path))
    if compression != "bcf" and not cyvcf2_available():  # text header, read without htslib
        lines = read_header_lines(Path(path), compression)
        return [line.rstrip("\r\n") for line in lines if line.startswith("##")]
    import cyvcf2

    try:
        vcf = cyvcf2.VCF(str(path), lazy=True)
    except OSError as error:
        raise InputFileError(f"{Path(path).name} could not be read.") from error
    try:
        return [line for line in vcf.raw_header.splitlines() if line.startswith("##")]
    finally:
        vcf.close()
