"""The laboratory's evidence policy: which ClinVar records may make a finding reportable.

Two settings, printed in the report's methods (issue "evidence policy, stated"):

- ``min_stars``: a P/LP record below this ClinVar review status (stars) cannot make a
  finding reportable or carrier by itself; the finding is listed as uncertain for review.
  ClinVar's stars: 0 = no assertion criteria, 1 = criteria provided (single submitter or
  conflicting), 2 = multiple submitters agree, 3 = expert panel, 4 = practice guideline.
- what to do with a *qualified* classification: ClinVar writes a secondary term after the
  classification ("Pathogenic|drug response", "Pathogenic, low penetrance",
  "Likely pathogenic/Likely risk allele", "...|risk factor", "...|association"). Each
  qualifier is ``report`` (as the rule says), ``review`` (uncertain) or ``exclude`` (other).

A ``drug response`` record whose conditions name the gene's own ACMG SF condition stays as
the rule says: ACMG SF lists RYR1 and CACNA1S *for* malignant hyperthermia susceptibility,
which ClinVar records as a drug response to volatile anaesthetics (e.g. "Pathogenic|drug
response" with "Malignant hyperthermia, susceptibility to, 1"). The match is on the gene's
condition from the knowledge file, not on gene names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from pmviewer.core.annotation.rules import VerdictBoard, per_value

QUALIFIERS = ("low penetrance", "risk allele", "risk factor", "association", "drug response")
ACTIONS = ("report", "review", "exclude")
_ACTION_WORDS = {
    "report": "reported as the gene's rule says",
    "review": "listed as uncertain for review",
    "exclude": "not reported",
}
# words that say nothing about which disease a condition is
_FILLER = {"susceptibility", "to", "of", "the", "and", "type", "syndrome", "disease"}


def _default_qualifiers() -> dict[str, str]:
    return {q: "review" for q in QUALIFIERS}


@dataclass(frozen=True)
class EvidencePolicy:
    """Minimum ClinVar stars and the handling of each ClinVar qualifier."""

    min_stars: int = 1
    qualifiers: dict[str, str] = field(default_factory=_default_qualifiers)

    def action(self, qualifier: str) -> str:
        """What the policy does with one qualifier (not listed: "review", the default)."""
        return self.qualifiers.get(qualifier, "review")

    def describe(self) -> list[str]:
        """The policy in words, as printed in the methods."""
        lines = [
            f"Minimum ClinVar review status for a reportable or carrier finding: "
            f"{self.min_stars} star(s); a pathogenic or likely pathogenic record below it is "
            "listed as uncertain for review."
        ]
        for q in QUALIFIERS:
            lines.append(
                f"ClinVar classifications qualified '{q}': {_ACTION_WORDS[self.action(q)]}."
            )
        lines.append(
            "A 'drug response' record whose conditions name the gene's own ACMG SF condition "
            "(malignant hyperthermia for RYR1 and CACNA1S) is reported as the gene's rule says."
        )
        return lines

    def to_json(self) -> dict[str, object]:
        """Plain data for JSON export and the report."""
        return {**asdict(self), "description": self.describe()}

    @classmethod
    def from_settings(cls, min_stars: object, qualifiers: object) -> EvidencePolicy:
        """A policy from stored settings; unknown qualifiers or actions are ignored."""
        stars = (
            int(min_stars)
            if isinstance(min_stars, (int, float, str)) and str(min_stars).strip().isdigit()
            else 1
        )
        table = _default_qualifiers()
        if isinstance(qualifiers, dict):
            for q, a in qualifiers.items():
                if q in table and a in ACTIONS:
                    table[str(q)] = str(a)
        return cls(max(0, min(4, stars)), table)


def qualifiers_of(classification: object) -> list[str]:
    """The ClinVar qualifiers written in one classification text, in QUALIFIERS order."""
    if not isinstance(classification, str):
        return []
    text = classification.lower()
    return [q for q in QUALIFIERS if q in text]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _FILLER}


def names_gene_condition(record_conditions: object, gene_conditions: object) -> bool:
    """Whether a ClinVar record's conditions name one of the gene's ACMG SF conditions.

    Every distinctive word of the gene's condition must appear in one of the record's
    conditions ("Malignant hyperthermia" in "Malignant hyperthermia, susceptibility to, 1").
    """
    if not isinstance(record_conditions, str) or not isinstance(gene_conditions, str):
        return False
    wanted = [_words(c) for c in re.split(r"[;|]", gene_conditions) if _words(c)]
    have = [_words(c) for c in re.split(r"[;|]", record_conditions)]
    return any(w <= h for w in wanted for h in have)


def apply_policy(
    rows: pd.DataFrame,
    board: VerdictBoard,
    policy: EvidencePolicy,
    gene_conditions: dict[str, str],
    variant_named_genes: frozenset[str] = frozenset(),
) -> pd.Series:
    """Adjust the verdicts on ``board`` in place; returns the qualifier text of every row
    (None where ClinVar wrote none).

    ``rows`` needs classification, review_stars, condition and kb_gene_or_span;
    ``gene_conditions`` maps a gene to its ACMG SF condition(s). In ``variant_named_genes``
    the ACMG SF rule itself names the variant to report (HFE: "p.C282Y homozygotes only",
    which ClinVar qualifies "low penetrance; risk factor"): the list has weighed the
    qualifier already, so only the stars minimum applies there.

    Whole columns at a time: each qualifier, in QUALIFIERS order, acts on the rows still
    reportable or carrier, as a row-by-row reading of the qualifiers would.
    """
    classification = rows["classification"]
    shown = pd.Series(
        per_value(classification, lambda c: "; ".join(qualifiers_of(c)) or None, object),
        index=rows.index,
    )
    gene = rows["kb_gene_or_span"].astype(object).where(rows["kb_gene_or_span"].notna(), "")
    gene = gene.astype(str)
    category, reason = board.category, board.reason

    def reported() -> np.ndarray:
        return category.isin(["reportable", "carrier"]).to_numpy(dtype=bool)

    active = reported() & ~gene.isin(variant_named_genes).to_numpy(dtype=bool)
    for qualifier in QUALIFIERS:
        hit = active & per_value(classification, _has_qualifier(qualifier))
        if not hit.any():
            continue
        if qualifier == "drug response":
            own = hit.copy()
            own[hit] = _names_own_condition(rows[hit], gene[hit], gene_conditions)
            reason[own] = (
                reason[own] + "; ClinVar qualifies it 'drug response' for " + gene[own]
                + "'s own ACMG SF condition (" + gene[own].map(gene_conditions).astype(str)
                + "), so it is reported as the rule says"
            )  # fmt: skip
            hit &= ~own
        action = policy.action(qualifier)
        if action == "review":
            category[hit] = "uncertain"
            reason[hit] = (
                f"ClinVar qualifies this classification '{qualifier}': by the evidence policy "
                "it is listed for review, not reported (" + reason[hit] + ")"
            )
        elif action == "exclude":
            category[hit] = "other"
            reason[hit] = (
                f"ClinVar qualifies this classification '{qualifier}': not reported under the "
                "evidence policy (" + reason[hit] + ")"
            )
        active &= reported()
    stars = pd.to_numeric(rows["review_stars"].astype(object), errors="coerce")
    below = reported() & stars.notna().to_numpy(dtype=bool)
    below[below] = stars[below].astype(int).to_numpy() < policy.min_stars
    if below.any():
        category[below] = "uncertain"
        reason[below] = (
            "ClinVar review status " + stars[below].astype(int).astype(str)
            + f" star(s), below the evidence policy's minimum of {policy.min_stars}: review "
            "before reporting (" + reason[below] + ")"
        )  # fmt: skip
    return shown


def _names_own_condition(
    rows: pd.DataFrame, gene: pd.Series, gene_conditions: dict[str, str]
) -> np.ndarray:
    """Whether each row's ClinVar conditions name its gene's ACMG SF condition (asked once
    per distinct pair of condition text and gene)."""
    condition = rows["condition"].astype(object)
    pairs = pd.Series(list(zip(condition.where(condition.notna(), None), gene, strict=True)),
                      index=rows.index, dtype=object)  # fmt: skip

    def names(pair: tuple[object, str] | None) -> bool:
        return pair is not None and names_gene_condition(pair[0], gene_conditions.get(pair[1]))

    return per_value(pairs, names)


def _has_qualifier(qualifier: str) -> Callable[[object], bool]:
    """Whether one classification text carries ``qualifier``."""
    return lambda classification: qualifier in qualifiers_of(classification)
