"""Checks on the patient form and on a review before a final report.

Both return lists of counselor-facing sentences (empty when all is well); they never raise
and never change anything, so the form can call them on every keystroke and the export
dialog can show them as a checklist. What a final report needs of the review itself comes from
:func:`pmviewer.core.review.final_report_gaps`, which the report builder
(:func:`pmviewer.export.report_model.build_report_model`) enforces; :func:`report_check` words
the same gaps earlier and adds the patient details.

Required fields before a final report are the keys ``pmviewer report`` documents for
``patient.json`` (issue 6 of the project's plan): name, date of birth, sex, MRN, ordering
clinician, indication and specimen type. Name plus MRN give the report the two patient
identifiers printed in its header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from datetime import date
from typing import NamedTuple

import pandas as pd

from pmviewer.core.model import Decision, PatientDetails, SignOff
from pmviewer.core.review import (
    ReportSections,
    final_report_gaps,
    labels_from_findings,
    reviewed_findings,
    sex_conflict,
)

FIELD_LABELS: dict[str, str] = {
    "name": "Patient name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "mrn": "MRN",
    "second_identifier": "Second identifier",
    "ordering_clinician": "Ordering clinician",
    "indication": "Indication for testing",
    "specimen_type": "Specimen type",
    "specimen_collected": "Specimen collection date",
    "specimen_received": "Specimen received date",
    "family_history": "Family history",
}
assert set(FIELD_LABELS) == {f.name for f in fields(PatientDetails)}

REQUIRED_FOR_FINAL = (
    "name",
    "date_of_birth",
    "sex",
    "mrn",
    "ordering_clinician",
    "indication",
    "specimen_type",
)
SEX_VALUES = ("F", "M", "")
DATE_FIELDS = ("date_of_birth", "specimen_collected", "specimen_received")
MAX_AGE_YEARS = 120

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEX_SYNONYMS = {"f": "F", "female": "F", "m": "M", "male": "M"}


class PatientProblem(NamedTuple):
    """One problem with the form, tied to the field the form should highlight."""

    field: str
    message: str


def normalise_sex(text: str) -> str:
    """``female``/``f``/``male``/``m`` (any case) -> ``F``/``M``; other text is returned trimmed."""
    text = text.strip()
    return _SEX_SYNONYMS.get(text.lower(), text)


def parse_date(text: str) -> date | None:
    """A calendar date written YYYY-MM-DD, or None (wrong form, or a day like 2023-02-30)."""
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def normalise_patient(patient: PatientDetails) -> PatientDetails:
    """Trim spaces and map ``female``/``f``/``male``/``m`` to ``F``/``M``; nothing else."""
    values = {f.name: str(getattr(patient, f.name) or "").strip() for f in fields(patient)}
    values["sex"] = normalise_sex(values["sex"])
    return replace(patient, **values)


def check_patient(
    patient: PatientDetails, *, final: bool = False, today: date | None = None
) -> list[PatientProblem]:
    """Problems with ``patient``, by field. ``final`` adds the fields a final report needs."""
    problems = _date_problems(patient, today or date.today())
    sex = str(patient.sex or "").strip()
    if sex not in SEX_VALUES:
        problems.append(
            PatientProblem(
                "sex", f"Sex '{sex}' is not recognised: choose F (female), M (male) or leave it "
                "empty when not stated."
            )
        )  # fmt: skip

    if final:
        for name in REQUIRED_FOR_FINAL:
            if not str(getattr(patient, name) or "").strip():
                why = " (it is printed and used for X-linked findings)" if name == "sex" else ""
                problems.append(
                    PatientProblem(
                        name, f"{FIELD_LABELS[name]} is missing; a final report needs it{why}."
                    )
                )
    return problems


def _date_problems(patient: PatientDetails, today: date) -> list[PatientProblem]:
    """Dates that are not dates, in the future, or in an impossible order."""
    problems: list[PatientProblem] = []
    dates: dict[str, date] = {}
    for name in DATE_FIELDS:
        text = str(getattr(patient, name) or "").strip()
        if not text:
            continue
        parsed = parse_date(text)
        label = FIELD_LABELS[name]
        if parsed is None:
            problems.append(
                PatientProblem(
                    name,
                    f"{label} '{text}' is not a date written as YYYY-MM-DD "
                    "(for example 1980-12-31).",
                )
            )
            continue
        if parsed > today:
            problems.append(PatientProblem(name, f"{label} {text} is in the future."))
            continue
        dates[name] = parsed

    birth = dates.get("date_of_birth")
    if birth is not None and _years_between(birth, today) > MAX_AGE_YEARS:
        problems.append(
            PatientProblem(
                "date_of_birth",
                f"Date of birth {birth.isoformat()} is more than {MAX_AGE_YEARS} years ago; "
                "please check it.",
            )
        )
    collected = dates.get("specimen_collected")
    received = dates.get("specimen_received")
    for name, when in (("specimen_collected", collected), ("specimen_received", received)):
        if birth is not None and when is not None and when < birth:
            problems.append(
                PatientProblem(
                    name, f"{FIELD_LABELS[name]} {when.isoformat()} is before the date of birth."
                )
            )
    if collected is not None and received is not None and received < collected:
        problems.append(
            PatientProblem(
                "specimen_received",
                f"The specimen was received ({received.isoformat()}) before it was collected "
                f"({collected.isoformat()}); please check both dates.",
            )
        )

    return problems


def validate_patient(
    patient: PatientDetails, *, final: bool = False, today: date | None = None
) -> list[str]:
    """The messages of :func:`check_patient`, in form order."""
    return [p.message for p in check_patient(patient, final=final, today=today)]


def report_check(
    findings_frame: pd.DataFrame | None,
    decisions: Mapping[str, Decision],
    patient: PatientDetails,
    signoff: SignOff,
    *,
    analysis_sex: str | None = None,
    analysis_sex_source: str = "",
    optional_sections: Iterable[str] = (),
    today: date | None = None,
) -> list[str]:
    """What is missing before a final export, as sentences for a checklist dialog.

    Parameters
    ----------
    findings_frame
        ``Findings.frame`` (needs ``finding_id`` and ``category``).
    decisions
        ``ReviewCase.decisions()``: ids not present count as undecided.
    patient, signoff
        From the case.
    analysis_sex, analysis_sex_source
        ``Findings.sex`` and ``Findings.sex_source``: the sex the findings were classified
        with, which overrides are re-classified with too (see :mod:`pmviewer.core.review.reviewed`).
    optional_sections
        Categories the review chose to print as sections (``"carrier"``, ``"uncertain"``);
        their findings need a decision too. ``reportable`` findings always do.
    """
    problems = validate_patient(patient, final=True, today=today)

    frame = findings_frame if findings_frame is not None else pd.DataFrame()
    chosen = set(optional_sections)
    sections = ReportSections("carrier" in chosen, "uncertain" in chosen)
    reviewed = reviewed_findings(frame, decisions, analysis_sex, sections)
    conflict = sex_conflict(patient.sex, analysis_sex, analysis_sex_source)
    gaps = final_report_gaps(reviewed, signoff, conflict)
    labels = labels_from_findings(frame)
    for section, ids in gaps.undecided.items():
        names = [labels.get(fid, fid) for fid in ids]
        problems.append(
            f"{_count(len(names), section + ' finding')} "
            f"{'has' if len(names) == 1 else 'have'} no decision yet: {_names(names)}."
        )
    if gaps.sex_conflict:
        problems.append(gaps.sex_conflict)
    if "finding_id" in frame.columns:
        unknown = sorted(set(decisions) - set(frame["finding_id"].astype(str)))
        decided_unknown = [
            f for f in unknown if decisions[f].decision != "undecided" or decisions[f].comment
        ]
        if decided_unknown:
            problems.append(
                f"{_count(len(decided_unknown), 'decision')} concern findings that are not in "
                "this analysis (was the file or the knowledge version changed?); they will not "
                f"be printed: {_names(decided_unknown)}."
            )

    if "reviewer name" in gaps.missing_signoff:
        problems.append("No reviewer has signed the review.")
    if gaps.amendment_open:
        problems.append(
            "An amendment is in progress; it must be approved before the amended report is issued."
        )
    elif gaps.not_approved or "approver name" in gaps.missing_signoff:
        problems.append("The report has not been approved yet; it would print as a draft.")
    return problems


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"
