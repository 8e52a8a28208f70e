"""The tumour's allele fraction and depth from each caller's own fields.

Order of trust, per record: PCGR-style INFO TVAF/TDP or FORMAT ADT/DPT; FORMAT AF (Mutect2,
VarDict, SAGE, ClairS; Number=R in RADIA, so the ALT's share is picked); FA (MuTect 1);
FREQ percent strings (VarScan2, "48.7%"); Strelka tier-1 counts (TIR/TAR for indels, AU/CU/GU/TU
for SNVs); AD (Number=R, or VarScan's ALT-only AD with RD). Depth: the caller's DP, else the
read counts used. The normal's fraction comes from its own column or, in ClairS, NAF/NDP/NAD.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fraction:
    vaf: float | None
    depth: int | None
    alt_reads: int | None
    source: str  # the field the fraction came from, e.g. "FORMAT/AF"


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip()
    if not text or text == ".":
        return None
    try:
        return float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
    except ValueError:
        return None


def _nums(text: str | None) -> list[float | None]:
    if text is None or text in ("", "."):
        return []
    return [_num(t) for t in text.split(",")]


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def tumour_fraction(
    fmt: dict[str, str], info: dict[str, str], ref: str, alt: str, alt_index: int, n_alts: int
) -> Fraction:
    """Allele fraction, depth and ALT read count of one ALT in one tumour column."""
    depth = _int(_num(fmt.get("DP")))
    if "TVAF" in info or "ADT" in fmt:
        counts = _nums(fmt.get("ADT"))
        alt_reads = _int(counts[alt_index + 1]) if len(counts) > alt_index + 1 else None
        tdp = _int(_nums(info.get("TDP"))[alt_index] if _nums(info.get("TDP")) else None)
        dpt = _int(_num(fmt.get("DPT")))
        tvaf = _nums(info.get("TVAF"))
        vaf = tvaf[alt_index] if len(tvaf) > alt_index else None
        depth = dpt or tdp or depth
        if vaf is None and alt_reads is not None and depth:
            vaf = alt_reads / depth
        return Fraction(vaf, depth, alt_reads, "INFO/TVAF" if "TVAF" in info else "FORMAT/ADT")
    alt_reads, ad_depth = _ad(fmt, alt_index)
    values = _nums(fmt.get("AF"))
    if values:
        vaf = values[alt_index + 1] if len(values) == n_alts + 1 else (
            values[alt_index] if len(values) > alt_index else None)  # fmt: skip
        if vaf is not None:
            return Fraction(vaf, depth or ad_depth, alt_reads, "FORMAT/AF")
    if "FA" in fmt and _num(fmt["FA"]) is not None:
        return Fraction(_num(fmt["FA"]), depth or ad_depth, alt_reads, "FORMAT/FA")
    if "FREQ" in fmt and _num(fmt["FREQ"]) is not None:
        return Fraction(_num(fmt["FREQ"]), depth or ad_depth, alt_reads, "FORMAT/FREQ")
    if "TIR" in fmt and "TAR" in fmt:
        tir, tar = _nums(fmt["TIR"]), _nums(fmt["TAR"])
        if tir and tar and tir[0] is not None and tar[0] is not None:
            total = tir[0] + tar[0]
            vaf = tir[0] / total if total else None
            return Fraction(vaf, _int(total), _int(tir[0]), "FORMAT/TIR,TAR (tier 1)")
    if len(ref) == 1 and len(alt) == 1 and f"{alt}U" in fmt:
        bases = {b: _nums(fmt.get(f"{b}U")) for b in "ACGT"}
        tier1 = {b: (c[0] or 0.0) if c else 0.0 for b, c in bases.items()}
        total = sum(tier1.values())
        if total:
            return Fraction(
                tier1[alt] / total, _int(total), _int(tier1[alt]), "FORMAT/AU,CU,GU,TU (tier 1)"
            )
    if alt_reads is not None and ad_depth:
        return Fraction(alt_reads / ad_depth, depth or ad_depth, alt_reads, "FORMAT/AD")
    if alt_reads is not None and depth:
        return Fraction(alt_reads / depth, depth, alt_reads, "FORMAT/AD and DP")
    return Fraction(None, depth, alt_reads, "none")


def _ad(fmt: dict[str, str], alt_index: int) -> tuple[int | None, int | None]:
    """(ALT reads, REF+ALT reads) from AD; VarScan's AD holds ALT reads only, beside RD."""
    counts = _nums(fmt.get("AD"))
    if not counts:
        return None, None
    if len(counts) == 1 and "RD" in fmt:
        ref_reads = _num(fmt["RD"])
        alt_reads = counts[0]
        if alt_reads is None:
            return None, None
        return _int(alt_reads), _int(alt_reads + (ref_reads or 0.0))
    if len(counts) <= alt_index + 1:
        return None, None
    alt_reads = counts[alt_index + 1]
    if alt_reads is None:
        return None, None
    if any(c is None for c in counts):
        return _int(alt_reads), None
    return _int(alt_reads), _int(sum(c for c in counts if c is not None))


def normal_in_tumour_column(fmt: dict[str, str], alt_index: int) -> Fraction | None:
    """ClairS writes the normal's NAF/NDP/NAD inside the tumour column."""
    if "NAF" not in fmt:
        return None
    counts = _nums(fmt.get("NAD"))
    alt_reads = _int(counts[alt_index + 1]) if len(counts) > alt_index + 1 else None
    return Fraction(_num(fmt["NAF"]), _int(_num(fmt.get("NDP"))), alt_reads, "FORMAT/NAF")
