"""The VCF layer: header facts, indexes, a reader behind an interface, rows into a columnar table.

The public face is :func:`inspect`, :func:`load` and :func:`sha256_file` (:mod:`.loader`).
"""

from __future__ import annotations

from pmviewer.core.vcf.family_calls import SampleCall, Site, family_calls, header_lines
from pmviewer.core.vcf.header import GRCH38_LENGTHS
from pmviewer.core.vcf.loader import inspect, load, sha256_file

__all__ = [
    "GRCH38_LENGTHS",
    "SampleCall",
    "Site",
    "family_calls",
    "header_lines",
    "inspect",
    "load",
    "sha256_file",
]
