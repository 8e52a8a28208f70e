"""The bundled demo patient's review case: opened with its synthetic patient details."""

from __future__ import annotations

from pathlib import Path


def is_demo(path: str | None) -> bool:
    from pmviewer.core.resources import demo_vcf_path

    return bool(path) and Path(str(path)).resolve() == demo_vcf_path().resolve()


def demo_patient():
    """The demo's synthetic patient details (:class:`~pmviewer.core.model.PatientDetails`)."""
    import json

    from pmviewer.core.model import PatientDetails
    from pmviewer.core.resources import resource_path

    details = json.loads(resource_path("demo", "demo-patient.json").read_text(encoding="utf-8"))
    return PatientDetails(**details)


def demo_open_options() -> dict[str, str | None]:
    """How the window opens the demo: with its patient's stated sex (as its case will say,
    so the X-linked rules need no second run)."""
    return {"sex": demo_patient().sex or None}


def prefill_demo_patient(case, input_path: str | None) -> None:
    """The bundled synthetic demo opens with its (synthetic) patient details filled in,
    so the demo shows a complete case; a counselor's own edits are never overwritten."""
    from dataclasses import fields

    from pmviewer.core.model import PatientDetails

    if not is_demo(input_path):
        return
    if any(getattr(case.patient(), f.name) for f in fields(PatientDetails)) or case.locked:
        return
    case.set_patient(demo_patient())
