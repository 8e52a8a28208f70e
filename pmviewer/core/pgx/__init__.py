"""Pharmacogenomics: star-allele diplotypes called from a VCF and their CPIC recommendations.

:func:`call_pgx` calls every gene (:mod:`.sample` reads the positions, :mod:`.match` matches
allele definitions, :mod:`.phenotype` and :mod:`.recommend` read the CPIC tables)."""

from __future__ import annotations

from pmviewer.core.pgx.caller import call_pgx, pgx_regions

__all__ = [
    "call_pgx",
    "pgx_regions",
]
