"""Annotation: a patient's variant table matched against the knowledge file and the rules applied.

:func:`annotate` turns a :class:`~pmviewer.core.model.VariantTable` into
:class:`~pmviewer.core.model.Findings`; :mod:`.rules` is the ACMG SF reporting-rule engine,
:mod:`.quality` the call-quality flags, :mod:`.fate` what happened to every record and
:mod:`.sex` the sex inferred from the sex chromosomes.
"""

from __future__ import annotations

from pmviewer.core.annotation.annotate import annotate, resolve_build
from pmviewer.core.annotation.gene_spans import fill_genes, spans_for_build
from pmviewer.core.annotation.quality import QualityThresholds
from pmviewer.core.annotation.rules import gene_verdicts, reclassified_verdicts
from pmviewer.core.annotation.sex import SexCall, infer_sex, sampling_regions

__all__ = [
    "QualityThresholds",
    "SexCall",
    "annotate",
    "fill_genes",
    "gene_verdicts",
    "infer_sex",
    "reclassified_verdicts",
    "resolve_build",
    "sampling_regions",
    "spans_for_build",
]
