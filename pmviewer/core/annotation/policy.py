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
from dataclasses import asdict, dataclass, field

import pandas as pd

from pmviewer.core.annotation.rules import Verdict

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
    verdicts: dict,
    policy: EvidencePolicy,
    gene_conditions: dict[str, str],
    variant_named_genes: frozenset[str] = frozenset(),
) -> dict[object, str]:
    """Adjust ``verdicts`` (row index -> Verdict) in place; returns row index -> qualifier text.

    ``rows`` needs classification, review_stars, condition and kb_gene_or_span;
    ``gene_conditions`` maps a gene to its ACMG SF condition(s). In ``variant_named_genes``
    the ACMG SF rule itself names the variant to report (HFE: "p.C282Y homozygotes only",
    which ClinVar qualifies "low penetrance; risk factor"): the list has weighed the
    qualifier already, so only the stars minimum applies there.
    """
    shown: dict[object, str] = {}
    for idx, row in rows.iterrows():
        found = qualifiers_of(row.get("classification"))
        if found:
            shown[idx] = "; ".join(found)
        verdict = verdicts.get(idx)
        if verdict is None or verdict.category not in ("reportable", "carrier"):
            continue
        gene = str(row.get("kb_gene_or_span") or "")
        for qualifier in found if gene not in variant_named_genes else []:
            action = policy.action(qualifier)
            if qualifier == "drug response" and names_gene_condition(
                row.get("condition"), gene_conditions.get(gene)
            ):
                verdict = Verdict(
                    verdict.category,
                    f"{verdict.reason}; ClinVar qualifies it 'drug response' for "
                    f"{gene}'s own ACMG SF condition ({gene_conditions.get(gene)}), so it is "
                    "reported as the rule says",
                )
                continue
            if action == "review":
                verdict = Verdict(
                    "uncertain",
                    f"ClinVar qualifies this classification '{qualifier}': by the evidence "
                    f"policy it is listed for review, not reported ({verdict.reason})",
                )
            elif action == "exclude":
                verdict = Verdict(
                    "other",
                    f"ClinVar qualifies this classification '{qualifier}': not reported under "
                    f"the evidence policy ({verdict.reason})",
                )
            if verdict.category not in ("reportable", "carrier"):
                break
        stars = row.get("review_stars")
        if (
            verdict.category in ("reportable", "carrier")
            and stars is not None
            and not pd.isna(stars)
            and int(stars) < policy.min_stars
        ):
            verdict = Verdict(
                "uncertain",
                f"ClinVar review status {int(stars)} star(s), below the evidence policy's "
                f"minimum of {policy.min_stars}: review before reporting ({verdict.reason})",
            )
        verdicts[idx] = verdict
    return shown
