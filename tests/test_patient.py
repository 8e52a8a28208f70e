"""Patient form checks and the report check before a final export."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from test_report_fixtures import SIGNED

from pmviewer.core.model import Amendment, Decision, PatientDetails, SignOff
from pmviewer.core.patient import (
    REQUIRED_FOR_FINAL,
    check_patient,
    normalise_patient,
    report_check,
    validate_patient,
)

TODAY = date(2026, 11, 30)
COMPLETE = PatientDetails(
    name="Jane Roe",
    date_of_birth="1980-02-29",
    sex="F",
    mrn="MRN-001",
    ordering_clinician="Dr. Who",
    indication="Personal history of colorectal cancer",
    specimen_type="Blood (EDTA)",
    specimen_collected="2026-10-01",
    specimen_received="2026-10-03",
)

# Real ClinVar P/LP records (20250928 GRCh38 ACMG SF subset) as findings.
BRCA2 = "GRCh38:13:32379416:ATGGAATC:A"
MLH1 = "GRCh38:3:37017597:C:T"
TTN = "GRCh38:2:178632635:CT:C"
MLH1_B = "GRCh38:3:37008833:AC:A"
TTN_B = "GRCh38:2:178741025:C:A"


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "finding_id": [BRCA2, MLH1, TTN, MLH1_B, TTN_B],
            "category": pd.Categorical(
                ["reportable", "reportable", "reportable", "carrier", "other"],
                categories=["reportable", "carrier", "uncertain", "pgx", "other"],
            ),
            "kb_gene": ["BRCA2", "MLH1", "TTN", "MLH1", "TTN"],
            "kb_hgvs_c": [None, None, None, None, None],
            "hgvs_c": ["c.1del", "c.2C>T", None, None, None],
        }
    ).astype({"finding_id": "string[pyarrow]"})


def test_a_blank_draft_has_no_problems_but_a_final_needs_the_required_fields():
    assert validate_patient(PatientDetails(), today=TODAY) == []
    problems = check_patient(PatientDetails(), final=True, today=TODAY)
    assert [p.field for p in problems] == list(REQUIRED_FOR_FINAL)
    assert problems[0].message == "Patient name is missing; a final report needs it."
    assert "X-linked" in problems[2].message
    assert validate_patient(COMPLETE, final=True, today=TODAY) == []


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"date_of_birth": "31/12/1980"}, "date_of_birth", "written as YYYY-MM-DD"),
        ({"date_of_birth": "1980-2-3"}, "date_of_birth", "written as YYYY-MM-DD"),
        ({"date_of_birth": "2023-02-29"}, "date_of_birth", "written as YYYY-MM-DD"),
        ({"date_of_birth": "2027-01-01"}, "date_of_birth", "is in the future"),
        ({"date_of_birth": "1900-01-01"}, "date_of_birth", "more than 120 years ago"),
        ({"specimen_collected": "1979-01-01"}, "specimen_collected", "before the date of birth"),
        ({"specimen_received": "2026-09-30"}, "specimen_received", "received (2026-09-30) before"),
        ({"specimen_received": "2026-12-01"}, "specimen_received", "in the future"),
        ({"sex": "female"}, "sex", "choose F (female), M (male)"),
        ({"sex": "U"}, "sex", "'U' is not recognised"),
    ],
)
def test_implausible_values_are_named(changes, field, words):
    patient = PatientDetails(**{**COMPLETE.__dict__, **changes})
    problems = check_patient(patient, today=TODAY)
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message


def test_age_120_is_still_plausible_121_is_not():
    assert validate_patient(PatientDetails(date_of_birth="1905-12-01"), today=TODAY) == []
    assert validate_patient(PatientDetails(date_of_birth="1905-11-30"), today=TODAY) == [
        "Date of birth 1905-11-30 is more than 120 years ago; please check it."
    ]


def test_normalise_patient_fixes_only_spacing_and_sex_words():
    raw = PatientDetails(name="  Jane  ", sex=" female ", date_of_birth="1980-02-29 ")
    clean = normalise_patient(raw)
    assert (clean.name, clean.sex, clean.date_of_birth) == ("Jane", "F", "1980-02-29")
    assert normalise_patient(PatientDetails(sex="x")).sex == "x"  # left for the check to flag


def test_report_check_lists_what_is_missing(frame):
    decisions = {BRCA2: Decision(BRCA2, "include"), MLH1: Decision(MLH1, "undecided")}
    patient = PatientDetails(**{**COMPLETE.__dict__, "date_of_birth": ""})
    problems = report_check(frame, decisions, patient, SignOff(), today=TODAY)
    assert problems == [
        "Date of birth is missing; a final report needs it.",
        "2 reportable findings have no decision yet: MLH1 c.2C>T, TTN.",
        "No reviewer has signed the review.",
        "The report has not been approved yet; it would print as a draft.",
    ]


def test_optional_sections_and_stale_decisions(frame):
    decisions = {fid: Decision(fid, "include") for fid in (BRCA2, MLH1, TTN)} | {
        "GRCh38:1:1:A:G": Decision("GRCh38:1:1:A:G", "exclude")
    }
    problems = report_check(
        frame, decisions, COMPLETE, SIGNED, optional_sections=["carrier"], today=TODAY
    )
    assert problems == [
        "1 carrier finding has no decision yet: MLH1.",
        "1 decision concern findings that are not in this analysis (was the file or the "
        "knowledge version changed?); they will not be printed: GRCh38:1:1:A:G.",
    ]


def test_a_complete_signed_review_passes(frame):
    decisions = {fid: Decision(fid, "exclude") for fid in (BRCA2, MLH1, TTN)}
    assert report_check(frame, decisions, COMPLETE, SIGNED, today=TODAY) == []
    assert report_check(None, {}, COMPLETE, SIGNED, today=TODAY) == []


def test_an_open_amendment_is_called_out(frame):
    decisions = {fid: Decision(fid, "include") for fid in (BRCA2, MLH1, TTN)}
    open_amendment = SignOff(
        status="draft",
        reviewer="Ana Reviewer",
        amendments=[Amendment("2026-11-30T09:00:00+00:00", "New evidence")],
    )
    assert report_check(frame, decisions, COMPLETE, open_amendment, today=TODAY) == [
        "An amendment is in progress; it must be approved before the amended report is issued."
    ]


def test_many_pending_findings_are_summarised():
    ids = [f"GRCh38:1:{i}:A:G" for i in range(1, 9)]
    frame = pd.DataFrame({"finding_id": ids, "category": ["reportable"] * 8})
    problems = report_check(frame, {}, COMPLETE, SIGNED, today=TODAY)
    assert problems == [
        "8 reportable findings have no decision yet: " + ", ".join(ids[:5]) + " and 3 more."
    ]


def test_report_check_asks_for_a_decision_on_a_finding_an_override_made_reportable():
    from test_report_fixtures import ATP7B, ATP7B_VUS, atp7b_upgraded
    from test_report_fixtures import frame as findings_frame

    frame = findings_frame([ATP7B, ATP7B_VUS])
    # the second allele is upgraded but left undecided; the first one is decided
    decisions = atp7b_upgraded("undecided")
    problems = report_check(frame, decisions, COMPLETE, SIGNED, today=TODAY)
    assert any(p.startswith("1 reportable finding has no decision yet") for p in problems)
