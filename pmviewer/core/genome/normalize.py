"""Variant key normalisation shared by the knowledge build and the annotator.

Both sides are reduced to the same key so an allele matches whatever way a caller wrote it:
contig names without ``chr`` (``chrM``/``M`` -> ``MT``), and alleles trimmed to their
minimal VCF representation (common suffix, then common prefix, keeping one anchor base),
which makes padded and MNP-style spellings of the same change identical. Full
left-alignment of indels needs reference sequence: see :mod:`pmviewer.core.genome.reference`.
"""

from __future__ import annotations

from typing import NamedTuple


class VariantKey(NamedTuple):
    """A normalised variant key (canonical contig, trimmed alleles)."""

    chrom: str
    pos: int
    ref: str
    alt: str


_MITO = {"M", "MT"}


def canonical_chrom(name: str) -> str:
    """``chr17`` -> ``17``, ``chrM``/``M`` -> ``MT``, ``chrX`` -> ``X``; others unchanged."""
    stripped = name[3:] if name[:3].lower() == "chr" else name
    upper = stripped.upper()
    if upper in _MITO:
        return "MT"
    if upper in ("X", "Y"):
        return upper
    return stripped


def file_chrom(canonical: str, chr_prefix: bool) -> str:
    """The contig name a file with (or without) ``chr`` prefixes uses for ``canonical``."""
    if not chr_prefix:
        return canonical
    return "chrM" if canonical == "MT" else f"chr{canonical}"


def trim_alleles(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Minimal representation of one REF/ALT pair (no reference sequence needed).

    Trims the common suffix, then the common prefix, always leaving at least one base in
    each allele (the VCF anchor base for indels). Symbolic alleles are returned unchanged.
    """
    ref = ref.upper()
    alt = alt.upper()
    if not ref or not alt or alt.startswith("<") or "[" in alt or "]" in alt or alt in (".", "*"):
        return pos, ref, alt
    while len(ref) > 1 and len(alt) > 1 and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while len(ref) > 1 and len(alt) > 1 and ref[0] == alt[0]:
        ref, alt = ref[1:], alt[1:]
        pos += 1
    return pos, ref, alt


def normalise_key(chrom: str, pos: int, ref: str, alt: str) -> VariantKey:
    """Canonical contig plus trimmed alleles: the key used in the knowledge file."""
    p, r, a = trim_alleles(pos, ref, alt)
    return VariantKey(canonical_chrom(chrom), p, r, a)


def is_indel(ref: str, alt: str) -> bool:
    """Whether REF and ALT differ in length (symbolic alleles excluded)."""
    return len(ref) != len(alt) and not alt.startswith("<")
