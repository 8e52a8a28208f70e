"""The knowledge file: the reader (:mod:`.reader`) and its builder (:mod:`.build`).

A knowledge file is a versioned SQLite database built from public releases; :func:`open_knowledge`
opens and verifies one, :func:`verify_file` checks a candidate file without opening it for use.
"""

from __future__ import annotations

from pmviewer.core.knowledge.build.schema import CORE_TABLES
from pmviewer.core.knowledge.build.verify import verify_file
from pmviewer.core.knowledge.civic_join import (
    ITEM_FIELDS,
    VariantKey,
    by_variant_key,
    civic_item,
    civic_rows,
    variant_key,
)
from pmviewer.core.knowledge.reader import (
    Knowledge,
    bundled_knowledge_path,
    exon_rows,
    open_knowledge,
)
from pmviewer.core.knowledge.terms import (
    BENIGN,
    CONFLICTING,
    NONE,
    PLP,
    TRUNCATING_TERMS,
    VUS,
    clinvar_class,
    is_truncating,
)

__all__ = [
    "BENIGN",
    "CONFLICTING",
    "CORE_TABLES",
    "ITEM_FIELDS",
    "NONE",
    "PLP",
    "TRUNCATING_TERMS",
    "VUS",
    "VariantKey",
    "by_variant_key",
    "civic_item",
    "civic_rows",
    "clinvar_class",
    "exon_rows",
    "is_truncating",
    "Knowledge",
    "bundled_knowledge_path",
    "open_knowledge",
    "variant_key",
    "verify_file",
]
