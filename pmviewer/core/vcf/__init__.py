"""The VCF layer: header facts, indexes, a reader behind an interface, rows into a columnar table.

The public face is :func:`inspect`, :func:`load` and :func:`sha256_file` (:mod:`.loader`),
with htslib's own stderr messages captured and translated (:mod:`.htslib_log`): warnings
become notes of the table, errors are explained by the loader. :mod:`.isolated` runs the same
two functions in a child process.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from pmviewer.core.model import VariantTable, VcfInfo
from pmviewer.core.vcf import loader as _loader
from pmviewer.core.vcf.csq import AlleleAnnotation, AnnotationParser, pick_annotation_field
from pmviewer.core.vcf.family_calls import SampleCall, Site, family_calls, header_lines
from pmviewer.core.vcf.header import GRCH38_LENGTHS, HeaderText
from pmviewer.core.vcf.htslib_log import capture_htslib_log, translate
from pmviewer.core.vcf.loader import sha256_file
from pmviewer.core.vcf.text_records import data_lines, read_header

__all__ = [
    "AlleleAnnotation", "AnnotationParser", "pick_annotation_field",
    "GRCH38_LENGTHS", "HeaderText", "ISOLATED", "SampleCall", "Site", "data_lines",
    "family_calls", "header_lines", "inspect", "load", "read_header", "sha256_file",
]  # fmt: skip


@functools.wraps(_loader.load)
def load(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> VariantTable:
    with capture_htslib_log() as log:
        table = _loader.load(path, *args, **kwargs)
    for note in translate(log.lines):
        if note not in table.stats.notes:
            table.stats.notes.append(note)
    return table


@functools.wraps(_loader.inspect)
def inspect(path: str | os.PathLike[str]) -> VcfInfo:
    with capture_htslib_log():
        return _loader.inspect(path)


from pmviewer.core.vcf.isolated import ISOLATED  # noqa: E402 - uses load/inspect above
