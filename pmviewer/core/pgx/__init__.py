"""Pharmacogenomics: star-allele diplotypes called from a VCF, outside calls, CPIC recommendations.

:func:`call_pgx` calls every gene (:mod:`.sample` reads the positions, :mod:`.match` matches
allele definitions, :mod:`.phenotype` and :mod:`.recommend` read the CPIC tables);
:func:`read_outside_calls` and :func:`apply_outside_calls` bring in a dedicated test's calls;
:func:`drug_view` lists every drug with a recommendation, grouped by action.
"""

from __future__ import annotations

from pmviewer.core.pgx.caller import PgxResult, attach_recommendations, call_pgx, pgx_regions
from pmviewer.core.pgx.drugs import (
    ACTION_TITLES,
    DrugRow,
    drug_view,
    guideline_reference,
    unassessed_drugs,
)
from pmviewer.core.pgx.outside_calls import (
    OutsideCallError,
    OutsideCallFile,
    apply_outside_calls,
    read_outside_calls,
    with_outside_calls,
)
from pmviewer.core.pgx.recommend import ACTIONS, UNCLASSIFIED

__all__ = [
    "ACTIONS",
    "ACTION_TITLES",
    "DrugRow",
    "OutsideCallError",
    "OutsideCallFile",
    "PgxResult",
    "UNCLASSIFIED",
    "apply_outside_calls",
    "attach_recommendations",
    "call_pgx",
    "drug_view",
    "guideline_reference",
    "pgx_regions",
    "read_outside_calls",
    "unassessed_drugs",
    "with_outside_calls",
]
