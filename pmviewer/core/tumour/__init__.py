"""Tumour (somatic) VCFs: recognise them, name their samples, read the tumour's calls.

The public face: :func:`recognise` (header only), :func:`germline_choice` (the gate every
germline analysis passes), :func:`read_calls` (every ALT of the tumour column with the caller's
allele fraction, depth and somatic status) and :func:`low_fraction_warning` (germline files
whose heterozygous calls cluster at low allele fractions).
"""

from __future__ import annotations

from pmviewer.core.tumour.calls import CallSet, SomaticCall, read_calls
from pmviewer.core.tumour.fraction import Fraction, tumour_fraction
from pmviewer.core.tumour.gate import (
    GERMLINE,
    MODES,
    TUMOUR,
    GermlineChoice,
    TumourFileError,
    germline_choice,
)
from pmviewer.core.tumour.low_fraction import low_fraction_warning
from pmviewer.core.tumour.recognise import (
    MERGED_COLUMN,
    TUMOUR_NORMAL,
    TUMOUR_ONLY,
    TumourFile,
    recognise,
)
from pmviewer.core.tumour.structural import (
    BREAKEND,
    COPY_NUMBER,
    DELETION,
    DUPLICATION,
    INVERSION,
    StructuralCall,
    assessed_classes,
)

__all__ = [
    "BREAKEND",
    "COPY_NUMBER",
    "DELETION",
    "DUPLICATION",
    "INVERSION",
    "StructuralCall",
    "GERMLINE",
    "MERGED_COLUMN",
    "MODES",
    "TUMOUR",
    "TUMOUR_NORMAL",
    "TUMOUR_ONLY",
    "CallSet",
    "Fraction",
    "GermlineChoice",
    "SomaticCall",
    "TumourFile",
    "TumourFileError",
    "assessed_classes",
    "germline_choice",
    "low_fraction_warning",
    "read_calls",
    "recognise",
    "tumour_fraction",
]
