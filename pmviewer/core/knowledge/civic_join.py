"""The one key join and the one item shape of every CIViC join.

Three joins read CIViC: the evidence of each germline finding (``core/evidence/civic``), the
germline therapeutic implications (``core/annotation/therapy``) and the tumour findings
(``core/oncology``). They key a variant the same way (:func:`variant_key`: canonical contig,
position, upper-case alleles, as the knowledge file stores them), group CIViC's rows on that
key with :func:`by_variant_key`, and hand every item on in one shape (:func:`civic_item`),
which the window, ``pmviewer annotate`` JSON and both PDFs read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from pmviewer.core.genome import canonical_chrom
from pmviewer.core.wording import cell_text

VariantKey = tuple[str, int, str, str]
ITEM_FIELDS = (
    "civic_evidence_id", "molecular_profile", "gene", "disease", "doid", "therapies",
    "therapy_interaction", "evidence_type", "level", "significance", "direction", "citation",
    "pmid", "url", "rating", "variant_origin", "match_basis",
)  # fmt: skip


def variant_key(chrom: object, pos: object, ref: object, alt: object) -> VariantKey:
    """The join key of one variant: ``('17', 43045712, 'G', 'A')``."""
    return (
        canonical_chrom(cell_text(chrom)),
        int(str(pos)),
        cell_text(ref).upper(),
        cell_text(alt).upper(),
    )


def by_variant_key(
    rows: Iterable[Mapping[str, Any]],
) -> tuple[dict[VariantKey, list[Mapping[str, Any]]], list[Mapping[str, Any]]]:
    """CIViC rows grouped by :func:`variant_key` of their ``chrom, pos, ref, alt``, and the rows
    without a position (gene-level profiles, variants CIViC gives no coordinates)."""
    keyed: dict[VariantKey, list[Mapping[str, Any]]] = {}
    unplaced: list[Mapping[str, Any]] = []
    for row in rows:
        if cell_text(row.get("chrom")) and cell_text(row.get("pos")):
            key = variant_key(row["chrom"], row["pos"], row.get("ref"), row.get("alt"))
            keyed.setdefault(key, []).append(row)
        else:
            unplaced.append(row)
    return keyed, unplaced


def _text(row: Mapping[str, Any], key: str) -> str | None:
    return cell_text(row.get(key)) or None


def civic_item(row: Mapping[str, Any], match_basis: str) -> dict[str, object]:
    """One CIViC evidence item (:data:`ITEM_FIELDS`) from a knowledge row of ``civic_evidence``
    or ``onc_evidence``; ``match_basis`` says in words how it reached the finding."""
    ident = cell_text(row.get("evidence_id"))
    rating = cell_text(row.get("rating"))
    therapies = _text(row, "therapies")
    return {
        "civic_evidence_id": int(float(ident)) if ident else None,
        "molecular_profile": _text(row, "molecular_profile"), "gene": _text(row, "gene"),
        "disease": _text(row, "disease"), "doid": _text(row, "doid"),
        "therapies": therapies.replace(",", ", ").replace(",  ", ", ") if therapies else None,
        "therapy_interaction": _text(row, "therapy_interaction_type"),
        "evidence_type": _text(row, "evidence_type"), "level": _text(row, "evidence_level"),
        "significance": _text(row, "significance"),
        "direction": _text(row, "evidence_direction"), "citation": _text(row, "citation"),
        "pmid": _text(row, "pmid"), "url": _text(row, "url"),
        "rating": int(float(rating)) if rating else None,
        "variant_origin": _text(row, "variant_origin"), "match_basis": match_basis,
    }  # fmt: skip


def civic_rows(
    frame: pd.DataFrame,
    keys: Iterable[tuple[str, int, str, str]] | None = None,
    genes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of a CIViC evidence frame (``Knowledge.civic_for``) for ``genes`` and then
    those whose variant has one of ``keys`` in the frame's build; None: no such filter."""
    if genes is not None:
        frame = frame[frame["gene"].isin(set(genes))]
    if keys is not None:
        wanted = {(canonical_chrom(str(c)), int(p), str(r), str(a)) for c, p, r, a in keys}
        mask = [
            (c, int(p), r, a) in wanted if c is not None and not pd.isna(p) else False
            for c, p, r, a in zip(
                frame["chrom"], frame["pos"], frame["ref"], frame["alt"], strict=True
            )
        ]
        frame = frame[mask]
    return frame.reset_index(drop=True)
