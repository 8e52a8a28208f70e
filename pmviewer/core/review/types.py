"""Plain values of the review store: case summaries, change events, labels, input checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
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


_DECISION_CODES = {name: code for code, name in enumerate(DECISIONS)}


def decisions_frame(frame: pd.DataFrame, decisions: Mapping[str, Decision]) -> pd.DataFrame:
    """The review columns aligned to ``frame`` rows (by ``finding_id``), for a table model.

    Returns a frame with ``frame``'s index and the columns decision, classification_override,
    override_reason and comment; untouched findings are ``"undecided"`` with no override and
    an empty comment. Column-wise: only the decided findings are visited one by one (the
    window builds this for a genome's tens of thousands of findings as they are shown).
    """
    ids = frame["finding_id"].astype(str).tolist() if "finding_id" in frame.columns else []
    n = len(ids)
    decision = np.zeros(n, dtype=np.int8)  # codes of DECISIONS; 0 is "undecided"
    override: list[str | None] = [None] * n
    reason: list[str | None] = [None] * n
    comment = [""] * n
    if decisions:
        for row, fid in enumerate(ids):
            d = decisions.get(fid)
            if d is not None:
                decision[row] = _DECISION_CODES.get(d.decision, -1)
                override[row], reason[row], comment[row] = (
                    d.classification_override, d.override_reason, d.comment
                )  # fmt: skip
    text = "string[pyarrow]"
    return pd.DataFrame(
        {
            "decision": pd.Categorical.from_codes(decision, categories=list(DECISIONS)),
            "classification_override": pd.array(override, dtype=text),
            "override_reason": pd.array(reason, dtype=text),
            "comment": pd.array(comment, dtype=text),
        },
        index=frame.index if n else None,
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
