"""Genome coordinates and alleles: contig names, allele trimming, chain liftover, a local FASTA.

The bottom layer: the VCF reader, the knowledge build and annotation all use it."""

from __future__ import annotations

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
    "ReferenceFasta",
    "VariantKey",
    "canonical_chrom",
    "file_chrom",
    "is_indel",
    "left_align",
    "normalise_key",
    "trim_alleles",
]
