"""Plain values of the review store: case summaries, change events, labels, input checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from pmviewer.core.review_errors import ReviewValueError


@dataclass(frozen=True)
class CaseInfo:
    """What identifies a case and where it stands (no patient details)."""

    case_id: int
    sha256: str
    sample: str | None
    input_name: str
    build: str
    knowledge_version: str
    created_at: str
    created_by: str
    updated_at: str
    status: str
    n_decided: int  # findings with a decision other than "undecided"


@dataclass(frozen=True)
class ChangeEvent:
    """Passed to :meth:`ReviewCase.subscribe` callbacks after a change was committed.

    ``what`` is ``"decision"``, ``"override"``, ``"comment"``, ``"patient"`` or
    ``"signoff"``; ``finding_ids`` is empty for case-level changes.
    """

    what: str
    finding_ids: tuple[str, ...]


def labels_from_findings(frame: pd.DataFrame) -> dict[str, str]:
    """Readable names for amendment notes: ``"BRCA2 c.5946del"`` per ``finding_id``.

    Uses the knowledge-base gene and HGVS c. when present, else the file's, else the id.
    """
    labels: dict[str, str] = {}
    if frame is None or "finding_id" not in frame.columns:
        return labels
    for row in frame.itertuples(index=False):
        fid = str(row.finding_id)
        gene = _first_text(row, ("kb_gene", "gene"))
        hgvs = _first_text(row, ("kb_hgvs_c", "hgvs_c"))
        if hgvs and ":" in hgvs:  # "NM_000059.4:c.5946del" -> "c.5946del"
            hgvs = hgvs.split(":", 1)[1]
        parts = [p for p in (gene, hgvs) if p]
        labels[fid] = " ".join(parts) if parts else fid
    return labels


def _first_text(row: object, names: tuple[str, ...]) -> str:
    for name in names:
        value = getattr(row, name, None)
        if value is not None and not (isinstance(value, float) and value != value):
            try:
                if pd.isna(value):
                    continue
            except (TypeError, ValueError):
                pass
            text = str(value).strip()
            if text:
                return text
    return ""


def finding_id_list(finding_ids: Iterable[str]) -> list[str]:
    if isinstance(finding_ids, str):
        finding_ids = [finding_ids]
    ids = []
    for fid in finding_ids:
        text = str(fid).strip() if fid is not None else ""
        if not text:
            raise ReviewValueError("A finding without an identifier cannot be reviewed.")
        ids.append(text)
    return list(dict.fromkeys(ids))  # keep order, drop repeats


def clean_text(value: object, what: str) -> str:
    """Text as typed; refuse only what cannot be stored (lone surrogates)."""
    text = "" if value is None else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ReviewValueError(
            f"The {what} contains a character that cannot be saved; please retype it."
        ) from exc
    return text
