"""Small FHIR data-type builders shared by the resource modules (plain JSON dicts)."""

from __future__ import annotations

from typing import Any

from pmviewer.export.fhir.codes import LOINC, OBS_CATEGORY, TBD, V2_0074

Json = dict[str, Any]


def coding(system: str, code: str, display: str = "") -> Json:
    out: Json = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(code: tuple[str, str] | None = None, *, system: str = LOINC, text: str = "") -> Json:
    """A CodeableConcept: a verified code when there is one, else text only."""
    out: Json = {}
    if code is not None:
        out["coding"] = [coding(system, code[0], code[1])]
    if text:
        out["text"] = text
    return out


def loinc_component(code: tuple[str, str], value: Json) -> Json:
    """An Observation.component with a LOINC code and the given value[x] entry."""
    return {"code": concept(code), **value}


def tbd_component(code: str, display: str, value: Json) -> Json:
    return {"code": concept((code, display), system=TBD), **value}


def text_value(text: str) -> Json:
    return {"valueCodeableConcept": {"text": text}}


def coded_value(code: tuple[str, str], system: str = LOINC, text: str = "") -> Json:
    return {"valueCodeableConcept": concept(code, system=system, text=text)}


def genomics_categories() -> list[Json]:
    """Observation.category of every genomic observation: laboratory and Genetics (GE)."""
    return [
        concept(("laboratory", "Laboratory"), system=OBS_CATEGORY),
        concept(("GE", "Genetics"), system=V2_0074),
    ]


def reference(full_url: str, display: str = "") -> Json:
    out: Json = {"reference": full_url}
    if display:
        out["display"] = display
    return out
