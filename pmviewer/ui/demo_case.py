"""The bundled demo patient's review case: opened with its synthetic patient details."""

from __future__ import annotations

from pathlib import Path


def prefill_demo_patient(case, input_path: str | None) -> None:
    """The bundled synthetic demo opens with its (synthetic) patient details filled in,
    so the demo shows a complete case; a counselor's own edits are never overwritten."""
    from dataclasses import fields

    from pmviewer.core.model import PatientDetails
    from pmviewer.core.resources import demo_vcf_path, resource_path

    if not input_path or Path(input_path).resolve() != demo_vcf_path().resolve():
        return
    if any(getattr(case.patient(), f.name) for f in fields(PatientDetails)) or case.locked:
        return
    import json

    details = json.loads(resource_path("demo", "demo-patient.json").read_text(encoding="utf-8"))
    case.set_patient(PatientDetails(**details))
