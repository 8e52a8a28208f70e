"""Pharmacogenomics -> Genotype and Therapeutic Implication observations (IG STU3).

One Genotype per pharmacogene (code LOINC 84413-4 "Genotype display name", the IG's PGx
examples), and one Therapeutic Implication per printed CPIC recommendation, derived from the
genotype: medication assessed (51963-7), the phenotype as the genotype's effect on drug
metabolism (53040-2, as in the IG's CYP2C19 examples), the CPIC strength as level of
evidence (93044-6) and the recommendation text as the conclusion. A gene that could not be
called from the file is a Genotype with a data-absent reason, never a normal result.
Drug and phenotype names are sent as text: pmviewer carries no verified RxNorm or LOINC
answer code for them.
"""

from __future__ import annotations

from pmviewer.export.fhir import codes as c
from pmviewer.export.fhir.parts import (
    Json,
    concept,
    genomics_categories,
    loinc_component,
    tbd_component,
    text_value,
)
from pmviewer.export.report_pgx import PgxRecommendation, ReportPgx


def genotype_observation(gene: ReportPgx, *, common: Json) -> Json:
    out: Json = {
        "resourceType": "Observation",
        "meta": {"profile": [c.PROFILE["genotype"]]},
        **common,
        "category": genomics_categories(),
        "code": concept(c.GENOTYPE_CODE),
        "component": [loinc_component(c.GENE_STUDIED, text_value(gene.gene))],
    }
    if gene.callable:
        out["valueCodeableConcept"] = {"text": f"{gene.gene} {gene.diplotype}"}
    else:
        out["dataAbsentReason"] = {
            "coding": [{"system": c.DATA_ABSENT, "code": "unknown", "display": "Unknown"}],
            "text": "Not callable from this file",
        }
    notes = [gene.status_note] if gene.status_note else []
    if gene.callable and gene.phenotype:
        notes.insert(0, f"Phenotype: {gene.phenotype}")
    if gene.activity_score:
        notes.append(f"Activity score: {gene.activity_score}")
    if notes:
        out["note"] = [{"text": n} for n in notes]
    return out


def therapeutic_implication(
    *,
    derived_from: list[str],
    drug: str,
    effect: str,
    evidence: str,
    conclusion: str,
    common: Json,
    effect_code: tuple[str, str] = c.EFFECT_ON_METABOLISM,
) -> Json:
    """The IG's Therapeutic Implication. Shared by pharmacogenomics and, through
    ``effect_code``, by tumour evidence (e.g. a CIViC predictive item on a somatic variant)."""
    components = [loinc_component(c.MEDICATION_ASSESSED, text_value(drug))]
    if effect:
        components.append(loinc_component(effect_code, text_value(effect)))
    if evidence:
        components.append(loinc_component(c.EVIDENCE_LEVEL, text_value(evidence)))
    if conclusion:
        components.append(
            tbd_component("conclusion-string", "Conclusion string", {"valueString": conclusion})
        )
    return {
        "resourceType": "Observation",
        "meta": {"profile": [c.PROFILE["therapeutic"]]},
        **common,
        "category": genomics_categories(),
        "code": concept(("therapeutic-implication", "Therapeutic Implication"), system=c.TBD),
        "derivedFrom": [{"reference": url} for url in derived_from],
        "component": components,
    }


def recommendation_implication(
    gene: ReportPgx, rec: PgxRecommendation, *, genotype_url: str, common: Json
) -> Json:
    """One printed CPIC recommendation of a called gene."""
    evidence = f"{rec.source}; strength: {rec.strength}" if rec.strength else rec.source
    text = rec.text
    if rec.population and rec.population.lower() != "general":
        text = f"{text} (for: {rec.population})"
    return therapeutic_implication(
        derived_from=[genotype_url],
        drug=rec.drug,
        effect=f"{gene.gene} {gene.phenotype}".strip() if gene.phenotype else "",
        evidence=evidence,
        conclusion=text,
        common=common,
    )
