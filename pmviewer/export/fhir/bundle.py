"""The report model -> a FHIR R4 Bundle with a Genomics Reporting IG (STU3) genomic-report.

The bundle is of type ``collection``: Patient, Specimen, Organization, the DiagnosticReport
and its result Observations, each with a ``urn:uuid`` derived from the report ID so that the
same report always exports the same bundle. It is validated against the R4B models of
``fhir.resources`` before it is returned; an invalid bundle is never written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from pmviewer.core.errors import PmviewerError
from pmviewer.export.fhir import codes as c
from pmviewer.export.fhir.parts import Json, concept, reference
from pmviewer.export.fhir.people import lab_resource, patient_resource, specimen_resource
from pmviewer.export.fhir.pgx import genotype_observation, recommendation_implication
from pmviewer.export.fhir.variants import diagnostic_implication, variant_observation
from pmviewer.export.report_id import report_id, resource_uuid
from pmviewer.export.report_model import ReportModel

# extra result builders (e.g. tumour findings): (model, common fields, new_url) -> resources
ResultBuilder = Callable[[ReportModel, Json, Callable[[str], str]], Iterable[Json]]


def _provenance_text(model: ReportModel, rid: str) -> str:
    m = model.methods
    return (
        f"Report {rid}. Input {m.input_name} (SHA-256 {m.input_sha256}), sample "
        f"{m.sample or 'single-sample file'}, build {m.build}. Knowledge {m.knowledge_version} "
        f"(SHA-256 {m.knowledge_sha256}). Software pmviewer {m.software_version}."
    )


def build_bundle(
    model: ReportModel,
    *,
    origin: str = "germline",
    replaces: str = "",
    extra_results: Iterable[ResultBuilder] = (),
) -> Json:
    """The report as a FHIR Bundle (a JSON-ready dict), validated.

    ``replaces`` is the report ID of the report an amendment supersedes; ``extra_results``
    lets another report type (the tumour report) add its own observations.
    """
    rid = report_id(model)
    entries: list[Json] = []

    def add(local: str, resource: Json) -> str:
        url = resource_uuid(rid, local)
        entries.append({"fullUrl": url, "resource": resource})
        return url

    patient_url = add("patient", patient_resource(model.patient))
    specimen = specimen_resource(model.patient, patient_url)
    specimen_url = add("specimen", specimen) if specimen else ""
    lab = lab_resource(model.lab)
    lab_url = add("lab", lab) if lab else ""
    issued = model.generated_at.isoformat()
    common: Json = {
        "status": c.OBSERVATION_STATUS[model.status],
        "subject": {"reference": patient_url},
        "effectiveDateTime": model.patient.specimen_collected or issued,
    }
    if specimen_url:
        common["specimen"] = {"reference": specimen_url}
    if lab_url:
        common["performer"] = [{"reference": lab_url}]

    results: list[str] = []
    for f in model.findings:
        variant_url = add(
            f"variant/{f.finding_id}", variant_observation(f, origin=origin, common=common)
        )
        results.append(variant_url)
        results.append(
            add(
                f"implication/{f.finding_id}",
                diagnostic_implication(f, variant_url=variant_url, common=common),
            )
        )
    for gene in model.pgx:
        genotype_url = add(f"genotype/{gene.gene}", genotype_observation(gene, common=common))
        results.append(genotype_url)
        for n, rec in enumerate(gene.recommendations):
            results.append(
                add(
                    f"pgx/{gene.gene}/{n}",
                    recommendation_implication(gene, rec, genotype_url=genotype_url, common=common),
                )
            )
    for builder in extra_results:
        for resource in builder(model, common, lambda local: resource_uuid(rid, local)):
            results.append(add(f"extra/{len(entries)}", resource))

    conclusion = [model.summary, model.pgx_summary]
    if replaces:
        conclusion.append(f"This amended report replaces report {replaces}.")
    if model.synthetic:
        conclusion.insert(0, "SYNTHETIC DEMONSTRATION DATA, NOT A PATIENT.")
    report: Json = {
        "resourceType": "DiagnosticReport",
        "meta": {"profile": [c.PROFILE["report"]]},
        "identifier": [{"type": {"text": "pmviewer report ID"}, "value": rid}],
        "status": c.REPORT_STATUS[model.status],
        "category": [concept(("GE", "Genetics"), system=c.V2_0074)],
        "code": concept(c.REPORT_CODE, text=model.title),
        "subject": {"reference": patient_url},
        "effectiveDateTime": common["effectiveDateTime"],
        "issued": issued,
        "result": [reference(url) for url in results],
        "conclusion": " ".join(conclusion),
    }
    if specimen_url:
        report["specimen"] = [{"reference": specimen_url}]
    if lab_url:
        report["performer"] = [{"reference": lab_url}]
    interpreters = [
        {"display": name} for name in (model.signoff.reviewer, model.signoff.approver) if name
    ]
    if interpreters:
        report["resultsInterpreter"] = interpreters
    report["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/workflow-supportingInfo",
            "valueReference": {"display": _provenance_text(model, rid)},
        }
    ]
    entries.insert(0, {"fullUrl": resource_uuid(rid, "report"), "resource": report})
    bundle: Json = {
        "resourceType": "Bundle",
        "identifier": {"type": {"text": "pmviewer report ID"}, "value": rid},
        "type": "collection",
        "timestamp": issued,
        "entry": entries,
    }
    validate_bundle(bundle)
    return bundle


def validate_bundle(bundle: Json) -> Any:
    """Parse ``bundle`` with the FHIR R4B models; raise a plain-words error if it is invalid."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        return Bundle.model_validate(bundle)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise PmviewerError(
            f"The FHIR bundle could not be made valid ({where}: {first.get('msg')}). "
            "The PDF report is not affected; please report this problem."
        ) from error


def bundle_bytes(bundle: Json) -> bytes:
    """Stable, readable JSON (UTF-8, sorted keys) for writing or embedding."""
    return (json.dumps(bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
