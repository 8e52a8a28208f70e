"""Printed findings -> Variant and Diagnostic Implication observations (IG STU3).

One Variant per printed finding (what the PDF shows, not every row of the file) and one
Diagnostic Implication derived from it with the classification as printed (a reviewer's
override wins, the knowledge classification goes into a note). ``origin`` is the genomic
source class: ``"germline"`` for the germline report; a tumour report passes ``"somatic"``
so its findings map to LOINC LA6684-0 and never read as germline.
"""

from __future__ import annotations

import re

from pmviewer.export.fhir import codes as c
from pmviewer.export.fhir.parts import (
    Json,
    coded_value,
    concept,
    genomics_categories,
    loinc_component,
    tbd_component,
    text_value,
)
from pmviewer.export.report_findings import ReportFinding

# "chr13:32340300 C>CA" as printed; long alleles are shortened with "…" and are then left out
POSITION = re.compile(r"^(?P<chrom>[^:\s]+):(?P<pos>\d+) (?P<ref>[^>\s]+)>(?P<alt>\S+)$")
ACCESSION = re.compile(r"^(?P<acc>N[CGMRT]_\d+(\.\d+)?):")


def _hgvs(value: str) -> Json:
    return {"valueCodeableConcept": {"coding": [{"system": c.HGVS, "code": value}], "text": value}}


def _position_components(f: ReportFinding) -> list[Json]:
    """Exact position, alleles and the genomic reference sequence they are counted on.

    Sent only when the NC_ accession is known (from the genomic HGVS): a position without
    its reference sequence cannot be placed by the receiver."""
    match = POSITION.match(f.position)
    accession = ACCESSION.match(f.hgvs_g)
    if not match or not accession or "…" in f.position:
        return []
    pos = int(match["pos"])
    return [
        loinc_component(
            c.GENOMIC_REF_SEQ,
            {"valueCodeableConcept": {"coding": [{"system": c.REFSEQ, "code": accession["acc"]}]}},
        ),
        loinc_component(c.COORDINATE_SYSTEM, coded_value(c.ONE_BASED)),
        loinc_component(c.EXACT_START_END, {"valueRange": {"low": {"value": pos}}}),
        loinc_component(c.REF_ALLELE, {"valueString": match["ref"]}),
        loinc_component(c.ALT_ALLELE, {"valueString": match["alt"]}),
    ]


def variant_observation(f: ReportFinding, *, origin: str, common: Json) -> Json:
    """The IG's Variant profile for one printed finding."""
    components = [loinc_component(c.GENE_STUDIED, text_value(f.gene))]
    if f.build in c.ASSEMBLIES:
        components.append(loinc_component(c.ASSEMBLY, coded_value(c.ASSEMBLIES[f.build])))
    if f.hgvs_c:
        # the IG asks for a full HGVS expression: "NM_000053.4:c.3207C>A"
        transcript = f.transcript or (f.hgvs_c.split(":", 1)[0] if ":" in f.hgvs_c else "")
        full = f"{transcript}:{f.hgvs_c}" if transcript and ":" not in f.hgvs_c else f.hgvs_c
        components.append(loinc_component(c.CODING_HGVS, _hgvs(full)))
        if transcript:
            components.append(
                loinc_component(
                    c.TRANSCRIPT,
                    {
                        "valueCodeableConcept": {
                            "coding": [{"system": c.REFSEQ, "code": transcript}]
                        }
                    },
                )
            )
    if f.hgvs_p:
        components.append(loinc_component(c.PROTEIN_HGVS, _hgvs(f.hgvs_p)))
    if f.hgvs_g:
        components.append(loinc_component(c.GENOMIC_HGVS, _hgvs(f.hgvs_g)))
    components += _position_components(f)
    components.append(loinc_component(c.SOURCE_CLASS, coded_value(c.SOURCE_CLASSES[origin])))
    state = c.ALLELIC_STATES.get(f.zygosity.lower())
    if state:
        components.append(loinc_component(c.ALLELIC_STATE, coded_value(state)))
    if f.clinvar_id is not None:
        components.append(
            loinc_component(
                c.VARIATION_CODE,
                {
                    "valueCodeableConcept": {
                        "coding": [
                            {"system": c.CLINVAR, "code": str(f.clinvar_id), "display": f.position}
                        ]
                    }
                },
            )
        )
    out: Json = {
        "resourceType": "Observation",
        "meta": {"profile": [c.PROFILE["variant"]]},
        **common,
        "category": genomics_categories(),
        "code": concept(c.VARIANT_CODE),
        "valueCodeableConcept": concept(c.PRESENT),
        "component": components,
    }
    notes = [f"Genomic position ({f.build}): {f.position}"]
    if f.quality_flags:
        notes.append("Quality: " + "; ".join(f.quality_flags))
    out["note"] = [{"text": n} for n in notes]
    return out


def diagnostic_implication(f: ReportFinding, *, variant_url: str, common: Json) -> Json:
    """The IG's Diagnostic Implication: the printed classification, condition and inheritance."""
    significance = c.SIGNIFICANCE.get(f.classification.strip().lower())
    components = [
        loinc_component(
            c.CLINICAL_SIGNIFICANCE,
            coded_value(significance, text=f.classification)
            if significance
            else text_value(f.classification or "Not classified"),
        )
    ]
    if f.condition:
        components.append(loinc_component(c.ASSOCIATED_PHENOTYPE, text_value(f.condition)))
    if f.inheritance:
        components.append(loinc_component(c.MODE_OF_INHERITANCE, text_value(f.inheritance)))
    if f.review_status:
        stars = f" ({f.stars} star{'s' if f.stars != 1 else ''})" if f.stars is not None else ""
        components.append(
            loinc_component(c.EVIDENCE_LEVEL, text_value(f"ClinVar: {f.review_status}{stars}"))
        )
    components.append(
        tbd_component("conclusion-string", "Conclusion string", {"valueString": f.interpretation})
    )
    notes = []
    if f.override_reason:
        notes.append(
            f"Laboratory classification {f.classification} replaces the knowledge classification "
            f"{f.kb_classification}: {f.override_reason}"
        )
    if f.basis:
        notes.append(f"Why it is reported: {f.basis}")
    notes += f.recommendations
    if f.comment:
        notes.append(f"Reviewer comment: {f.comment}")
    if not f.reviewed:
        notes.append("Not yet reviewed.")
    out: Json = {
        "resourceType": "Observation",
        "meta": {"profile": [c.PROFILE["diagnostic"]]},
        **common,
        "category": genomics_categories(),
        "code": concept(("diagnostic-implication", "Diagnostic Implication"), system=c.TBD),
        "derivedFrom": [{"reference": variant_url}],
        "component": components,
    }
    if notes:
        out["note"] = [{"text": n} for n in notes]
    return out
