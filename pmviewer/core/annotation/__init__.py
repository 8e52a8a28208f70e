"""Annotation: a patient's variant table matched against the knowledge file and the rules applied.

:func:`annotate` turns a :class:`~pmviewer.core.model.VariantTable` into
:class:`~pmviewer.core.model.Findings`; :mod:`.rules` is the ACMG SF reporting-rule engine,
:mod:`.quality` the call-quality flags, :mod:`.fate` what happened to every record and
:mod:`.sex` the sex inferred from the sex chromosomes.
"""

from __future__ import annotations

from pmviewer.core.annotation.annotate import annotate, resolve_build
from pmviewer.core.annotation.coverage import (
    ASSESSED,
    NOT_ASSESSED,
    PARTIAL,
    assess_genes,
    empty_view_reason,
)
from pmviewer.core.annotation.gene_spans import fill_genes, spans_for_build
from pmviewer.core.annotation.nomenclature import SOURCE_WORDS as NAME_SOURCE_WORDS
from pmviewer.core.annotation.nomenclature import check_hgvs
from pmviewer.core.annotation.policy import QUALIFIERS, EvidencePolicy, qualifiers_of
from pmviewer.core.annotation.quality import QualityThresholds
from pmviewer.core.annotation.rules import gene_verdicts, reclassified_verdicts
from pmviewer.core.annotation.sex import SexCall, infer_sex, sampling_regions
from pmviewer.core.annotation.targets import read_targets

__all__ = [
    "ASSESSED",
    "NAME_SOURCE_WORDS",
    "NOT_ASSESSED",
    "check_hgvs",
    "QUALIFIERS",
    "EvidencePolicy",
    "qualifiers_of",
    "PARTIAL",
    "assess_genes",
    "empty_view_reason",
    "read_targets",
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
