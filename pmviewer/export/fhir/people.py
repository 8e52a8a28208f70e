"""Patient, Specimen and the laboratory (Organization) from the patient and report details."""

from __future__ import annotations

from pmviewer.core.model import LabDetails, PatientDetails
from pmviewer.export.fhir.codes import V2_0203
from pmviewer.export.fhir.parts import Json, concept

GENDER = {"F": "female", "M": "male"}


def patient_resource(patient: PatientDetails) -> Json:
    """The patient as typed in the patient form; missing fields are left out, never invented."""
    out: Json = {"resourceType": "Patient", "gender": GENDER.get(patient.sex, "unknown")}
    identifiers = []
    if patient.mrn:
        identifiers.append(
            {"type": concept(("MR", "Medical record number"), system=V2_0203), "value": patient.mrn}
        )
    if patient.second_identifier:
        identifiers.append(
            {"type": {"text": "Second identifier"}, "value": patient.second_identifier}
        )
    if identifiers:
        out["identifier"] = identifiers
    if patient.name:
        out["name"] = [{"text": patient.name}]
    if patient.date_of_birth:
        out["birthDate"] = patient.date_of_birth
    return out


def specimen_resource(patient: PatientDetails, subject: str) -> Json | None:
    """The specimen, when the form names its type or dates."""
    if not (patient.specimen_type or patient.specimen_collected or patient.specimen_received):
        return None
    out: Json = {"resourceType": "Specimen", "subject": {"reference": subject}}
    if patient.specimen_type:
        out["type"] = {"text": patient.specimen_type}
    if patient.specimen_received:
        out["receivedTime"] = patient.specimen_received
    if patient.specimen_collected:
        out["collection"] = {"collectedDateTime": patient.specimen_collected}
    return out


def lab_resource(lab: LabDetails) -> Json | None:
    """The performing laboratory, when its name is known."""
    if not lab.name:
        return None
    out: Json = {"resourceType": "Organization", "name": lab.name}
    if lab.address:
        out["address"] = [{"text": lab.address}]
    if lab.phone:
        out["telecom"] = [{"system": "phone", "value": lab.phone}]
    if lab.accreditation:
        out["identifier"] = [{"type": {"text": "Accreditation"}, "value": lab.accreditation}]
    return out
