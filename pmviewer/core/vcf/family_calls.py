"""Genotypes of the other samples of a family VCF at a few sites (the patient's findings).

The variant table holds one sample and only the records it carries; a parent's 0/0 at a
finding's site is exactly what de novo and phase-from-parents need, so the relatives' calls
are read here, record by record, with their depth.
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
from pmviewer.core.vcf.header import read_header_lines, sniff_compression
from pmviewer.core.vcf.reader import cyvcf2_available

Site = tuple[str, int, str, str]  # (chrom without "chr", pos, ref, alt)


@dataclass(frozen=True)
class SampleCall:
    """One relative's call at one site for one alternate allele."""

    genotype: str  # as in the file, e.g. "0/1", "./."
    carries: bool | None  # carries this alternate allele; None when not called
    depth: int | None  # DP, else the sum of AD; None when neither is given


def _norm(chrom: str) -> str:
    return chrom[3:] if chrom.lower().startswith("chr") else chrom


def _gt_text(call: list) -> str:
    alleles = ["." if a < 0 else str(a) for a in call[:-1]]
    return ("|" if call[-1] is True else "/").join(alleles) or "."


def _depth(variant: Any, i: int) -> int | None:
    for key in ("DP",):
        try:
            values = variant.format(key)
        except Exception:  # undeclared or wrongly typed
            values = None
        if values is not None and int(values[i][0]) >= 0:
            return int(values[i][0])
    try:
        ad = variant.format("AD")
    except Exception:
        ad = None
    if ad is None:
        return None
    counts = [int(x) for x in ad[i] if int(x) >= 0]
    return sum(counts) if counts else None


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
    if not cyvcf2_available():
        raise InputFileError(
            f"The relatives' genotypes in {Path(path).name} cannot be read on this computer: "
            "its htslib component (cyvcf2) is not installed. The patient's own findings are "
            "not affected."
        )
    import cyvcf2

    wanted = {(_norm(c), p, r, a) for c, p, r, a in sites}
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
        key_pos = (_norm(variant.CHROM), variant.POS)
        if key_pos not in positions:
            return
        genotypes = variant.genotypes
        for allele_index, alt in enumerate(variant.ALT, start=1):
            site = (key_pos[0], key_pos[1], variant.REF, alt)
            if site not in wanted:
                continue
            calls = {}
            for sample, i in zip(samples, order, strict=True):
                call = genotypes[i]
                alleles = call[:-1]
                called = bool(alleles) and all(a >= 0 for a in alleles)
                calls[sample] = SampleCall(
                    _gt_text(call),
                    (allele_index in alleles) if called else None,
                    _depth(variant, i),
                )
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
