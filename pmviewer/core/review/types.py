"""Plain values of the review store: case summaries, change events, labels, input checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pmviewer.core.model import DECISIONS, Decision
from pmviewer.core.review.errors import ReviewValueError


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

    ``what`` is ``"decision"``, ``"override"``, ``"comment"``, ``"patient"``, ``"options"``
    or ``"signoff"``; ``finding_ids`` is empty for case-level changes.
    """

    what: str
    finding_ids: tuple[str, ...]


# Optional report sections chosen in the review (names of export.report_model.ReportOptions).
REPORT_OPTIONS: dict[str, str] = {
    "include_carrier": "carrier findings section",
    "include_uncertain": "uncertain findings section",
}


def decisions_frame(frame: pd.DataFrame, decisions: Mapping[str, Decision]) -> pd.DataFrame:
    """The review columns aligned to ``frame`` rows (by ``finding_id``), for a table model.

    Returns a frame with ``frame``'s index and the columns decision, classification_override,
    override_reason and comment; untouched findings are ``"undecided"`` with no override and
    an empty comment.
    """
    ids = (
        frame["finding_id"].astype(str)
        if "finding_id" in frame.columns
        else pd.Series([], dtype=str)
    )
    rows = [decisions.get(fid) for fid in ids]
    out = pd.DataFrame(
        {
            "decision": [d.decision if d else "undecided" for d in rows],
            "classification_override": [d.classification_override if d else None for d in rows],
            "override_reason": [d.override_reason if d else None for d in rows],
            "comment": [d.comment if d else "" for d in rows],
        },
        index=frame.index if len(ids) else None,
    )
    return out.astype(
        {
            "decision": pd.CategoricalDtype(DECISIONS),
            "classification_override": "string[pyarrow]",
            "override_reason": "string[pyarrow]",
            "comment": "string[pyarrow]",
        }
    )


def labels_from_findings(frame: pd.DataFrame) -> dict[str, str]:
    """Readable names for amendment notes: ``"BRCA2 c.5946del"`` per ``finding_id``.

    Uses the knowledge-base gene and HGVS c. when present, else the file's, else the id.
    Column-wise, so a genome's tens of thousands of findings take milliseconds.
    """
    if frame is None or "finding_id" not in frame.columns:
        return {}
    gene = _first_text(frame, ("kb_gene", "gene"))
    # "NM_000059.4:c.5946del" -> "c.5946del"
    hgvs = _first_text(frame, ("kb_hgvs_c", "hgvs_c")).str.split(":", n=1).str[-1]
    label = (gene + " " + hgvs).str.strip()
    ids = frame["finding_id"].astype(str)
    label = label.where(label != "", ids)
    return dict(zip(ids.tolist(), label.tolist(), strict=True))


def _first_text(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    """Per row, the first non-empty text among the columns ``names`` ("" when none)."""
    out = pd.Series("", index=frame.index, dtype=object)
    for name in reversed(names):
        if name in frame.columns:
            text = frame[name].astype("string").str.strip().fillna("").astype(object)
            out = text.where(text != "", out)
    return out


def finding_id_list(finding_ids: Iterable[str]) -> list[str]:
    """The ids trimmed and de-duplicated (order kept); one id may be given as a string.

    Raises :class:`ReviewValueError` for an empty id.
    """
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
