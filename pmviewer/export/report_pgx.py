"""The pharmacogenomics part of the report model: one printed row per gene, and the summary line.

Built from the ``pgx`` entries of :class:`~pmviewer.core.model.Findings` (the shape of
``pmviewer annotate`` JSON); a gene without a diplotype is printed "not callable from this
file" and never as normal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmviewer.core.pgx import DrugRow, drug_view
from pmviewer.export.report_findings import as_int, as_text


@dataclass
class PgxRecommendation:
    """One printed CPIC recommendation (drugs sharing the same text are grouped)."""

    drug: str
    text: str
    strength: str
    source: str  # "CPIC: <guideline>"
    population: str = ""  # e.g. "CVI ACS PCI": which patients the recommendation is for


@dataclass
class ReportPgx:
    """One pharmacogene as printed: diplotype, phenotype, notes and recommendations."""

    gene: str
    diplotype: str
    phenotype: str
    activity_score: str
    callable: bool
    status_note: str  # why not callable, or caveats of the call
    recommendations: list[PgxRecommendation]
    source: str = "VCF"  # "VCF" or "Outside call: <file>, line N"
    source_sha256: str = ""  # the outside-call file's SHA-256
    conflict: str = ""  # outside call disagreeing with the VCF, or with its own diplotype


PGX_STATUS_WORDS = {
    "partial": "Called from the positions present in the file.",
    "no_match": "No pair of named alleles explains the genotypes.",
    "no_data": "No defining position was assessed in the file.",
}


def report_pgx(entry: dict) -> ReportPgx:
    """One pharmacogene. Only a gene with a diplotype counts as called; others are printed
    as "not callable from this file" and never as normal."""
    called = bool(entry.get("callable", True)) and bool(as_text(entry.get("diplotype")))
    note = as_text(entry.get("note")).removeprefix("Not callable from this file.").strip()
    status = as_text(entry.get("call_status"))
    notes = [note] if note else []
    if not note and status in PGX_STATUS_WORDS:
        notes.append(PGX_STATUS_WORDS[status])
    missing = entry.get("missing_positions") or []
    if missing and "position" not in note:
        count = len(missing) if isinstance(missing, (list, tuple, set)) else as_int(missing)
        if count:
            notes.append(f"{count} defining position(s) were not in the file.")
    candidates = entry.get("candidates") or []
    if isinstance(candidates, (list, tuple)) and len(candidates) > 1:
        notes.append("Possible diplotypes: " + ", ".join(str(c) for c in candidates) + ".")
    recs = []
    for rec in entry.get("recommendations") or []:
        guideline = as_text(rec.get("guideline"))
        source = as_text(rec.get("source")) or "CPIC"
        if guideline and not guideline.upper().startswith(source.upper()):
            source = f"{source}: {guideline}"
        elif guideline:
            source = guideline
        recs.append(
            PgxRecommendation(
                drug=as_text(rec.get("drug")),
                text=as_text(rec.get("text")),
                strength=as_text(rec.get("strength")),
                source=source,
                population=as_text(rec.get("population")),
            )
        )
    score = entry.get("activity_score")
    recs = _group_by_text(recs)
    source = "VCF"
    if entry.get("source") == "outside":
        source = f"Outside call: {as_text(entry.get('source_file')) or 'file'}"
        if entry.get("source_line"):
            source += f", line {as_int(entry.get('source_line'))}"
    return ReportPgx(
        source=source,
        source_sha256=as_text(entry.get("source_sha256")),
        conflict=as_text(entry.get("conflict")),
        gene=as_text(entry.get("gene")),
        diplotype=as_text(entry.get("diplotype")) if called else "",
        phenotype=as_text(entry.get("phenotype")) if called else "",
        activity_score=as_text(score) if called else "",
        callable=called,
        status_note=" ".join(notes),
        recommendations=recs if called else [],
    )


CPIC_LONG = re.compile(
    r"^CPIC: (The )?Clinical Pharmacogenetics Implementation Consortium( \(CPIC\))? "
    r"[Gg]uidelines? for (the )?"
)


def _group_by_text(recs: list[PgxRecommendation]) -> list[PgxRecommendation]:
    """One row per distinct recommendation: drugs sharing the same text are listed together
    (CPIC often gives one text for a whole drug class)."""
    grouped: dict[tuple[str, str, str, str], PgxRecommendation] = {}
    for rec in recs:
        rec.source = CPIC_LONG.sub("CPIC guideline for ", rec.source)
        key = (rec.text, rec.strength, rec.source, rec.population)
        if key in grouped:
            if rec.drug not in grouped[key].drug.split(", "):
                grouped[key].drug += f", {rec.drug}"
        else:
            grouped[key] = rec
    return list(grouped.values())


def pgx_summary(pgx: list[ReportPgx]) -> str:
    """One line: how many genes were called, which phenotypes are not normal, which genes
    could not be called. The full table follows in the report."""
    if not pgx:
        return "Pharmacogenomics: no pharmacogenomic genes were assessed."
    called = [p for p in pgx if p.callable]
    text = f"Pharmacogenomics: {len(called)} of {len(pgx)} genes called"
    notable = [
        f"{p.gene} {p.phenotype}"
        for p in called
        if p.phenotype and not p.phenotype.lower().startswith("normal")
    ]
    # a called diplotype without a phenotype (ambiguous, or not in the CPIC table) is
    # neither normal nor abnormal: name it rather than let "all normal" cover it
    undetermined = [p.gene for p in called if not p.phenotype]
    if notable:
        text += f"; phenotypes other than normal: {'; '.join(notable)}"
    if undetermined:
        text += f"; phenotype not determined: {', '.join(undetermined)}"
    if not notable and not undetermined and called:
        text += "; all called phenotypes are normal"
    text += "."
    outside = [p.gene for p in called if p.source.startswith("Outside call")]
    if outside:
        text += " From outside calls: " + ", ".join(outside) + "."
    conflicts = [p.gene for p in pgx if p.conflict]
    if conflicts:
        text += " Conflicting calls to review: " + ", ".join(conflicts) + "."
    not_called = [p.gene for p in pgx if not p.callable]
    if not_called:
        text += " Not callable from this file: " + ", ".join(not_called) + "."
    return text


def report_drugs(entries: list[dict]) -> list[DrugRow]:
    """The drug view of the report: every drug with a CPIC recommendation, grouped by action."""
    return drug_view(entries)


def outside_call_files(pgx: list[ReportPgx]) -> list[tuple[str, str]]:
    """(file name, SHA-256) of each outside-call file the report's calls came from."""
    seen: dict[str, str] = {}
    for p in pgx:
        if p.source.startswith("Outside call: "):
            name = p.source.removeprefix("Outside call: ").rsplit(", line ", 1)[0]
            seen.setdefault(name, p.source_sha256)
    return sorted(seen.items())
