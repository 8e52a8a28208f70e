"""Genome coordinates and alleles: contig names, allele trimming, chain liftover, a local FASTA.

The bottom layer: the VCF reader, the knowledge build and annotation all use it."""

from __future__ import annotations

from pmviewer.core.genome.alleles import KnownBases, bare_alleles, left_shift, slide_left
from pmviewer.core.genome.liftover import ChainMap
from pmviewer.core.genome.normalize import (
    VariantKey,
    canonical_chrom,
    file_chrom,
    is_indel,
    normalise_key,
    trim_alleles,
)
from pmviewer.core.genome.reference import ReferenceFasta, left_align

__all__ = [
    "ChainMap",
    "KnownBases",
    "ReferenceFasta",
    "VariantKey",
    "bare_alleles",
    "canonical_chrom",
    "file_chrom",
    "is_indel",
    "left_align",
    "left_shift",
    "normalise_key",
    "slide_left",
    "trim_alleles",
]
