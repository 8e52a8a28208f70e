"""The VCF layer: header facts, indexes, a reader behind an interface, rows into a columnar table.

The public face is :func:`inspect`, :func:`load` and :func:`sha256_file` (:mod:`.loader`).
"""

from __future__ import annotations

from pmviewer.core.vcf.csq import AlleleAnnotation, AnnotationParser, pick_annotation_field
from pmviewer.core.vcf.family_calls import SampleCall, Site, family_calls, header_lines
from pmviewer.core.vcf.header import GRCH38_LENGTHS, HeaderText
from pmviewer.core.vcf.loader import inspect, load, sha256_file
from pmviewer.core.vcf.text_records import data_lines, read_header

__all__ = [
    "AlleleAnnotation", "AnnotationParser", "pick_annotation_field",
    "GRCH38_LENGTHS", "HeaderText", "SampleCall", "Site", "data_lines", "family_calls",
    "header_lines", "inspect", "load", "read_header", "sha256_file",
]
