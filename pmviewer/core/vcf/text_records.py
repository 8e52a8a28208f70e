"""The header and data lines of a VCF as text, for readers that need every FORMAT field.

The tumour mode reads caller-specific fields (TIR/TAR, AU..TU base counts, FREQ percent
strings, NAF inside one column) of every sample, including files without GT, which the
genotype reader refuses. BCF is converted line by line through cyvcf2.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from pmviewer.core.errors import InputFileError
from pmviewer.core.vcf.diagnose import open_reader
from pmviewer.core.vcf.header import HeaderText, sniff_compression, truncated_message
from pmviewer.core.vcf.loader import _check_complete, _read_header


def read_header(path: str | os.PathLike[str]) -> HeaderText:
    """Header facts (samples, INFO/FORMAT/FILTER, other meta lines) of a VCF or BCF."""
    p = Path(path)
    compression = sniff_compression(p)
    _check_complete(p, compression)
    return _read_header(p, compression)


def data_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every data record; raises InputFileError on damage."""
    p = Path(path)
    compression = sniff_compression(p)
    if compression == "bcf":
        reader = open_reader(p, None, None)
        try:
            vcf = reader._vcf  # the wrapped cyvcf2.VCF
            for number, record in enumerate(vcf, start=1):
                yield number, str(record).rstrip("\n")
        finally:
            reader.close()
        return
    opener = gzip.open if compression in ("bgzip", "gzip") else open
    try:
        with opener(p, "rt", encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if line.startswith("#") or not line.strip():
                    continue
                yield number, line.rstrip("\r\n")
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise InputFileError(truncated_message(p.name)) from error
