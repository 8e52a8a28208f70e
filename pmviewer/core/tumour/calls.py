"""Read every call of a tumour VCF: alleles, the tumour's fraction and depth, somatic status.

Somatic status is the caller's own: FILTER (PASS or '.' passes; MuSE's Tier1–Tier5 and every
other label are kept as the caller's filter), INFO SS (VarScan2: 1 germline, 2 somatic,
3 LOH, 5 unknown), INFO STATUS (VarDict: StrongSomatic, LikelySomatic, Germline, LOH ...),
FILTER Germline (ClairS). Germline and LOH calls are counted, never reported as somatic.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from pmviewer.core import vcf
from pmviewer.core.errors import InputFileError
from pmviewer.core.genome import canonical_chrom
from pmviewer.core.progress import CancelToken, ProgressCallback, check
from pmviewer.core.tumour.fraction import Fraction, normal_in_tumour_column, tumour_fraction
from pmviewer.core.tumour.recognise import TumourFile
from pmviewer.core.tumour.structural import StructuralCall, is_structural, structural_call

_VARSCAN_SS = {"0": "reference", "1": "germline", "2": "somatic", "3": "LOH", "5": "unknown"}
_CHECK_EVERY = 2048


@dataclass
class SomaticCall:
    """One ALT allele of one record, seen from the tumour."""

    chrom: str  # canonical (no 'chr')
    pos: int
    ref: str
    alt: str
    filter: str  # 'PASS' or the caller's filter labels
    status: str  # 'somatic', 'germline', 'LOH', 'unknown', 'reference'
    vaf: float | None
    depth: int | None
    alt_reads: int | None
    fraction_source: str
    normal_vaf: float | None = None
    normal_depth: int | None = None
    gene: str | None = None  # from the file's own annotation when it has one
    consequence: str | None = None
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    transcript: str | None = None
    line: int = 0

    @property
    def passed(self) -> bool:
        return self.filter in ("PASS", ".")


@dataclass
class CallSet:
    calls: list[SomaticCall] = field(default_factory=list)
    structural: list[StructuralCall] = field(default_factory=list)  # CNV/SV records
    fate: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _info(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if text in ("", "."):
        return out
    for item in text.split(";"):
        key, _, value = item.partition("=")
        out[key] = value if _ else "true"
    return out


def _status(info: dict[str, str], filters: str) -> str:
    if "SS" in info and info["SS"] in _VARSCAN_SS:
        return _VARSCAN_SS[info["SS"]]
    status = info.get("STATUS", "").lower()
    if status:
        if "somatic" in status:
            return "somatic"
        if "loh" in status:
            return "LOH"
        if "germline" in status:
            return "germline"
        return "unknown"
    if "germline" in filters.lower().split(";"):
        return "germline"
    return "somatic"


def _annotation(
    info: dict[str, str], parser: vcf.AnnotationParser | None, ref: str, alts: list[str]
) -> list[tuple[str | None, str | None, str | None, str | None, str | None]]:
    """(gene, consequence, c., p., transcript) per ALT from CSQ/ANN, or Hartwig PAVE's IMPACT."""
    empty: list[tuple[str | None, str | None, str | None, str | None, str | None]] = [
        (None, None, None, None, None) for _ in alts
    ]
    if parser is not None:
        chosen = parser.choose(info.get(parser.key), ref, alts)
        return [
            (a.gene, a.consequence, a.hgvs_c, a.hgvs_p, a.transcript) if a else empty[0]
            for a in chosen
        ]
    if "IMPACT" in info and len(alts) == 1:
        parts = info["IMPACT"].split(",")
        if len(parts) >= 7 and parts[0]:
            return [
                (parts[0], parts[2] or None, parts[5] or None, parts[6] or None, parts[1] or None)
            ]
    return empty


def _called_without(gt: str, allele: int) -> bool:
    """Whether a called genotype lacks ``allele`` (a '.' or absent GT says nothing)."""
    alleles = gt.replace("|", "/").split("/") if gt else []
    return bool(alleles) and "." not in alleles and str(allele) not in alleles


def read_calls(
    path: str | os.PathLike[str],
    tumour: TumourFile,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> CallSet:
    """Every ALT allele the tumour column carries, with the caller's somatic status."""
    ht = vcf.read_header(path)
    samples = list(ht.samples)
    if tumour.tumour_sample is None or tumour.tumour_sample not in samples:
        raise InputFileError(
            f"The tumour sample of {os.path.basename(path)} could not be identified (samples: "
            f"{', '.join(samples) or 'none'}). Name the tumour sample with --sample."
        )
    t_index = samples.index(tumour.tumour_sample)
    n_index = samples.index(tumour.normal_sample) if tumour.normal_sample in samples else None
    annotation = vcf.pick_annotation_field(ht.info)
    parser = vcf.AnnotationParser(*annotation) if annotation else None
    out = CallSet()
    for number, line in vcf.data_lines(path):
        if number % _CHECK_EVERY == 0:
            check(cancel)
            if progress:
                progress(number, 0)
        cols = line.split("\t")
        if len(cols) < 8 + (1 + len(samples) if samples else 0):
            out.fate["unreadable"] += 1
            if len(out.problems) < 200:
                out.problems.append((number, "fewer columns than the header declares"))
            continue
        out.fate["records"] += 1
        chrom, pos_text, _id, ref, alt_text, _qual, filters, info_text = cols[:8]
        try:
            pos = int(pos_text)
        except ValueError:
            out.fate["unreadable"] += 1
            continue
        alts = alt_text.split(",")
        info = _info(info_text)
        keys = cols[8].split(":") if len(cols) > 8 else []
        tumour_fmt = dict(zip(keys, cols[9 + t_index].split(":"), strict=False)) if keys else {}
        normal_fmt = (
            dict(zip(keys, cols[9 + n_index].split(":"), strict=False))
            if keys and n_index is not None
            else None
        )
        status = _status(info, filters)
        annotations = _annotation(info, parser, ref, alts)
        for i, alt in enumerate(alts):
            if is_structural(alt):
                if _called_without(tumour_fmt.get("GT", ""), i + 1):
                    out.fate["not_in_tumour"] += 1
                    continue
                sv = structural_call(cols, info, tumour_fmt, alt, status, number)
                if sv is not None:
                    out.structural.append(sv)
                out.fate["structural" if sv else "symbolic_or_missing_alt"] += 1
                continue
            if alt in (".", "*"):
                out.fate["symbolic_or_missing_alt"] += 1
                continue
            fraction = tumour_fraction(tumour_fmt, info, ref, alt, i, len(alts))
            normal: Fraction | None = None
            if normal_fmt is not None:
                normal = tumour_fraction(normal_fmt, {}, ref, alt, i, len(alts))
            else:
                normal = normal_in_tumour_column(tumour_fmt, i)
            if fraction.alt_reads == 0 or (fraction.vaf is not None and fraction.vaf <= 0):
                out.fate["not_in_tumour"] += 1
                continue
            gene, consequence, hgvs_c, hgvs_p, transcript = annotations[i]
            out.calls.append(SomaticCall(
                chrom=canonical_chrom(chrom), pos=pos, ref=ref.upper(), alt=alt.upper(),
                filter=filters if filters not in ("", ".") else "PASS", status=status,
                vaf=fraction.vaf, depth=fraction.depth, alt_reads=fraction.alt_reads,
                fraction_source=fraction.source,
                normal_vaf=normal.vaf if normal else None,
                normal_depth=normal.depth if normal else None,
                gene=gene, consequence=consequence, hgvs_c=hgvs_c, hgvs_p=hgvs_p,
                transcript=transcript, line=number,
            ))  # fmt: skip
            out.fate[f"status_{status}"] += 1
            out.fate["passed" if filters in ("PASS", ".", "") else "filtered"] += 1
    return out
