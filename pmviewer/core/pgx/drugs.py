"""The drug view: every drug with a CPIC recommendation for this patient, grouped by action.

Built from the ``pgx`` entries of the findings (the annotate JSON shape), so the window, the
report and the JSON export read the same rows. The action comes from CPIC's own flags on each
recommendation (:func:`pmviewer.core.pgx.recommend.action_of`); gene, phenotype, strength and
guideline are CPIC's words, unchanged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from pmviewer.core.pgx.recommend import ACTIONS, ADJUST, AVOID, UNCLASSIFIED, action_of

ACTION_TITLES: dict[str, str] = {
    "avoid": "Avoid",
    "adjust dose": "Adjust dose",
    "see recommendation text": "Action not classified: see the text",
    "use as directed": "Use as directed",
    "no recommendation": "No recommendation",
}


@dataclass(frozen=True)
class DrugRow:
    """One drug and one of its CPIC recommendations for this patient."""

    drug: str
    action: str  # one of ACTIONS
    genes: str  # "CYP2C19, CYP2D6"
    phenotype: str  # "CYP2D6 Intermediate Metabolizer (activity score 1.0)"
    strength: str  # CPIC classification: Strong, Moderate, Optional, No recommendation
    guideline: str
    text: str
    population: str
    sources: str  # "VCF", "outside call (calls.tsv)", or both
    non_standard: bool  # avoid / adjust dose: full text first
    other_guidance: bool = False  # CPIC otherPrescribingGuidance (e.g. monitoring advice)

    @property
    def action_title(self) -> str:
        """The action as printed (``Adjust dose``)."""
        return ACTION_TITLES.get(self.action, self.action)

    def to_json(self) -> dict[str, Any]:
        """The row as a plain dict."""
        return asdict(self)


def _phenotype_words(entry: dict[str, Any], key_value: object) -> str:
    """The gene's result as the recommendation matched it, in CPIC's words.

    HLA carriage is shown as the one allele the recommendation is about (``*57:01
    positive``); other genes as the phenotype, with the activity score where CPIC keys the
    recommendation on it.
    """
    gene = str(entry.get("gene", ""))
    phenotype = str(entry.get("phenotype") or "").strip()
    if gene.upper().startswith("HLA-") and key_value:
        return f"{gene} {key_value}"
    words = f"{gene} {phenotype}".strip()
    score = entry.get("activity_score")
    if score is not None and str(score) != "":
        spelled = str(key_value) if key_value and str(key_value)[0] in "0123456789≥" else score
        words += f" (activity score {spelled})"
    return words


def _source_words(entry: dict[str, Any]) -> str:
    if entry.get("source") == "outside":
        name = entry.get("source_file") or "outside call"
        return f"outside call ({name})"
    return "VCF"


def drug_view(pgx: list[dict[str, Any]]) -> list[DrugRow]:
    """Every (drug, recommendation) reached by the calls, sorted by action then drug.

    A multi-gene recommendation (e.g. amitriptyline with CYP2C19 and CYP2D6) is one row naming
    both genes and phenotypes. Genes without a call give no row: they are not assessed, which
    is never the same as "use as directed".
    """
    by_gene = {str(e.get("gene")): e for e in pgx}
    seen: dict[tuple[str, str, str, str], DrugRow] = {}  # drug, text, population, strength
    for entry in pgx:
        for rec in entry.get("recommendations") or []:
            genes = [str(g) for g in rec.get("genes") or [entry.get("gene")]]
            called = [by_gene[g] for g in genes if g in by_gene and by_gene[g].get("callable")]
            key = rec.get("lookup_key") or {}
            identity = (
                str(rec.get("drug")),
                str(rec.get("text")),
                str(rec.get("population") or ""),
                str(rec.get("strength") or ""),
            )
            if identity in seen:
                continue
            action = str(rec.get("action") or "")
            if action not in ACTIONS:  # JSON from before the flags were kept
                action = action_of(rec.get("strength"), rec.get("text"), None, None)
            seen[identity] = DrugRow(
                drug=str(rec.get("drug") or ""),
                action=action,
                genes=", ".join(genes),
                phenotype="; ".join(_phenotype_words(e, key.get(e.get("gene"))) for e in called),
                strength=str(rec.get("strength") or ""),
                guideline=_short_guideline(str(rec.get("guideline") or "")),
                text=str(rec.get("text") or ""),
                population=str(rec.get("population") or ""),
                sources=", ".join(dict.fromkeys(_source_words(e) for e in called)),
                non_standard=action in (AVOID, ADJUST, UNCLASSIFIED),
                other_guidance=bool(rec.get("other_guidance")),
            )
    order = {a: i for i, a in enumerate(ACTIONS)}
    return sorted(seen.values(), key=lambda r: (order[r.action], r.drug.lower(), r.population))


def guideline_reference(text: str) -> str:
    """The short citation of a guideline for narrow columns: ``CPIC, PMID 32189324``."""
    import re

    match = re.search(r"PMID (\d+)", text)
    return f"CPIC, PMID {match.group(1)}" if match else (text or "CPIC")


def _short_guideline(text: str) -> str:
    """CPIC's guideline title without the repeated consortium name."""
    import re

    text = re.sub(r"^CPIC: ", "", text)
    text = re.sub(
        r"^(The )?Clinical Pharmacogenetics Implementation Consortium( \(CPIC\))? "
        r"[Gg]uidelines? for (the )?",
        "CPIC guideline for ",
        text,
    )
    return text


def drugs_reached(pgx: list[dict[str, Any]]) -> set[str]:
    """Drugs with at least one CPIC recommendation for this patient."""
    return {row.drug for row in drug_view(pgx)}


def unassessed_drugs(conn: sqlite3.Connection, pgx: list[dict[str, Any]]) -> list[str]:
    """Drugs of the bundled CPIC guidelines that no call reached (their genes were not called)."""
    every = {d for (d,) in conn.execute("SELECT DISTINCT drug FROM pgx_recommendation")}
    return sorted(every - drugs_reached(pgx), key=str.lower)
