"""Build the bundled knowledge file from the public source releases.

``build(sources_dir, out_path)`` reads a folder laid out like the published knowledge
sources (``clinvar/``, ``acmg_sf/``, ``civic/``, ``clingen/``, ``genes/``, ``liftover/``,
``curated/``, ``pgx/``), finds each input by file-name pattern (the newest release by the
date in its name), and writes one SQLite file. One module per source (``acmg``, ``genes``,
``clingen``, ``clinvar``, ``civic``; ``pgx_tables`` for pharmacogenomics), ``schema`` for the
SQL, ``verify`` for integrity checks. Kept import-light: the reader imports ``schema`` only.
"""

from __future__ import annotations

from pathlib import Path

from pmviewer.core.knowledge.build.schema import SCHEMA_VERSION
from pmviewer.core.progress import ProgressCallback

__all__ = ["build", "SCHEMA_VERSION"]


def build(
    sources_dir: Path | str, out_path: Path | str, progress: ProgressCallback | None = None
) -> Path:
    """Build the knowledge file at ``out_path`` from ``sources_dir``; returns ``out_path``.

    Same inputs give the same bytes. Raises
    :class:`~pmviewer.core.errors.KnowledgeError` when a required source is missing or
    malformed.
    """
    from pmviewer.core.knowledge.build.builder import build as _build

    return _build(sources_dir, out_path, progress)
