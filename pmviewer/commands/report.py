"""``pmviewer report VCF -o report.pdf``: annotate a VCF and write the clinical PDF, headless.

Inputs typed by people are JSON files checked field by field:

- ``--patient patient.json``: an object whose keys are the fields of
  :class:`pmviewer.core.model.PatientDetails` (all optional, text; dates YYYY-MM-DD).
- ``--lab lab.json``: an object with the fields of :class:`~pmviewer.core.model.LabDetails`.
- ``--review review.json``: the review exported by the viewer (File -> Export review), read
  by :func:`pmviewer.core.review.export.load_review`; its format is documented there. A
  hand-written file needs only ``decisions``, ``signoff``, ``patient``, ``options`` and,
  ideally, ``input_sha256``. A review made for another file or sample is refused.

Unknown keys are rejected so that a misspelt field never silently drops out of a report.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pmviewer.commands.common import add_analysis_arguments
from pmviewer.core.errors import InputFileError, PmviewerError
from pmviewer.core.json_input import read_json
from pmviewer.core.model import LabDetails, PatientDetails, SignOff
from pmviewer.core.patient import DATE_FIELDS, normalise_sex, parse_date
from pmviewer.core.progress import CancelToken

if TYPE_CHECKING:
    import pandas as pd

    from pmviewer.core.review import ReviewDocument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_analysis_arguments(parser)
    parser.add_argument("-o", "--output", required=True, metavar="PDF", help="report to write")
    parser.add_argument("--patient", metavar="JSON", help="patient and specimen details")
    parser.add_argument("--lab", metavar="JSON", help="laboratory name, address and licences")
    parser.add_argument("--review", metavar="JSON", help="review decisions and sign-off")
    parser.add_argument(
        "--status",
        choices=["draft", "final"],
        help="report status (default: the review's, else draft); "
        "a final report needs every finding reviewed and a sign-off",
    )
    parser.add_argument("--include-carrier", action="store_true", help="add carrier findings")
    parser.add_argument(
        "--include-uncertain", action="store_true", help="add variants of uncertain significance"
    )
    parser.add_argument("--page-size", choices=["A4", "letter"], default="A4")
    parser.add_argument(
        "--timestamp",
        metavar="ISO",
        help="report date-time (e.g. 2026-11-30T10:15:00+00:00) to re-print an identical PDF",
    )


# ------------------------------------------------------------------------------- inputs
def _object(value: object, where: str, cls: type, *, extra: tuple[str, ...] = ()) -> dict:
    """``value`` must be an object with only the fields of dataclass ``cls`` (or ``extra``)."""
    if not isinstance(value, dict):
        raise InputFileError(f"{where} must be a JSON object {{...}}.")
    allowed = [f.name for f in fields(cls)] + list(extra)
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise InputFileError(
            f"{where} has unknown field(s): {', '.join(unknown)}. "
            f"Allowed fields: {', '.join(allowed)}."
        )
    return value


def _text_field(value: object, where: str, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputFileError(f"In {where}, '{key}' must be text in quotes, not {value!r}.")
    return value.strip()


def _check_date(value: str, where: str, key: str) -> None:
    if value and parse_date(value) is None:
        raise InputFileError(
            f"In {where}, '{key}' must be a date written YYYY-MM-DD (for example 1980-04-12), "
            f"not '{value}'."
        )


def parse_patient(value: object, where: str = "patient.json") -> PatientDetails:
    """Check a patient object (from ``patient.json`` or a review) field by field."""
    data = _object(value, where, PatientDetails)
    clean = {k: _text_field(v, where, k) for k, v in data.items()}
    for key in set(DATE_FIELDS) & set(clean):
        _check_date(clean[key], where, key)
    sex = clean.get("sex")
    if sex:
        sex = normalise_sex(sex)
        if sex not in ("F", "M"):
            raise InputFileError(
                f'In {where}, \'sex\' must be "F", "M" or "" (unknown), not \'{clean["sex"]}\'.'
            )
        clean["sex"] = sex
    return PatientDetails(**clean)


def parse_lab(value: object, where: str = "lab.json") -> LabDetails:
    """Check a laboratory object (``lab.json``) field by field."""
    data = _object(value, where, LabDetails)
    return LabDetails(**{k: _text_field(v, where, k) for k, v in data.items()})


def _check_review_matches(review: ReviewDocument, sha256: str | None, sample: str | None) -> None:
    """Refuse to print one file's findings with the review of another file or sample."""
    from pmviewer.core.review import mismatch_warning

    problem = mismatch_warning(review, sha256, sample)
    if problem:
        raise PmviewerError(
            f"{problem} Export the review of this file and sample from the viewer "
            "(or choose the matching sample with --sample) and try again."
        )


def _timestamp(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise PmviewerError(
            f"--timestamp must be a date-time like 2026-11-30T10:15:00+00:00, not '{text}'."
        ) from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _check_sex(stated: str | None, patient: PatientDetails) -> None:
    """Refuse a --sex that contradicts the patient details: the X-linked rules would use one
    sex while the report prints the other."""
    if stated and patient.sex and stated != patient.sex:
        word = {"F": "female", "M": "male"}[patient.sex]
        raise PmviewerError(
            f"--sex {stated} contradicts the patient details, which say {word} ({patient.sex}). "
            "Correct one of them (or leave --sex out) and try again."
        )


@dataclass
class _Inputs:
    """Everything typed by people, checked before the (slower) analysis starts."""

    generated_at: datetime
    review: ReviewDocument | None
    patient: PatientDetails
    lab: LabDetails
    signoff: SignOff


def _read_inputs(args: argparse.Namespace) -> _Inputs:
    """Read and check --timestamp, --review, --patient, --lab and --status."""
    generated_at = _timestamp(args.timestamp)
    review = None
    if args.review:
        from pmviewer.core.review import load_review

        review = load_review(args.review)
    patient = PatientDetails()
    if review is not None:
        # the store checks keys and types; dates and sex are checked here like patient.json
        patient = parse_patient(
            {k: v for k, v in vars(review.patient).items() if v}, "the review's patient"
        )
    if args.patient:
        given = _object(read_json(args.patient, "patient"), "patient.json", PatientDetails)
        patient = parse_patient({**{k: v for k, v in vars(patient).items() if v}, **given})
    _check_sex(args.sex, patient)
    lab = parse_lab(read_json(args.lab, "laboratory")) if args.lab else LabDetails()
    signoff = review.signoff if review is not None else SignOff()
    if args.status:
        signoff.status = args.status
    return _Inputs(generated_at, review, patient, lab, signoff)


def _warn_stray_decisions(decisions: dict, frame: pd.DataFrame, vcf: str) -> None:
    """Say (on stderr) when review decisions name findings this analysis does not have."""
    known = set(frame["finding_id"].astype(str)) if len(frame) else set()
    stray = [fid for fid in decisions if fid not in known]
    if stray:
        print(
            f"pmviewer: note: {len(stray)} review decision(s) refer to findings not present in "
            f"{Path(vcf).name} and were ignored (first: {stray[0]}).",
            file=sys.stderr,
        )


# ------------------------------------------------------------------------------- run
def run(args: argparse.Namespace) -> int:
    """Annotate ``args.vcf`` and write the PDF report; returns the exit status."""
    from pmviewer import __version__
    from pmviewer.core.annotation import QualityThresholds
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse
    from pmviewer.core.safe_write import write_atomic
    from pmviewer.export.pdf import build_report, unprintable_characters
    from pmviewer.export.report_model import (
        ReportOptions,
        build_report_model,
        is_synthetic_input,
    )

    inputs = _read_inputs(args)
    review = inputs.review
    chosen = review.options if review is not None else {}
    options = ReportOptions(
        include_carrier=args.include_carrier or chosen.get("include_carrier", False),
        include_uncertain=args.include_uncertain or chosen.get("include_uncertain", False),
        page_size=args.page_size,
    )
    thresholds = QualityThresholds()
    analysis = analyse(
        args.vcf,
        sample=args.sample,
        build=args.build,
        sex=args.sex or (inputs.patient.sex or None),
        reference=args.reference,
        knowledge=open_knowledge(args.knowledge),
        thresholds=thresholds,
        pgx_calls=args.pgx_calls,
        cancel=CancelToken(),
    )
    findings = analysis.findings
    decisions = review.decisions if review is not None else {}
    if review is not None:
        _check_review_matches(review, findings.input_sha256, findings.sample)
    _warn_stray_decisions(decisions, findings.frame, args.vcf)
    model = build_report_model(
        findings,
        patient=inputs.patient,
        lab=inputs.lab,
        decisions=decisions,
        signoff=inputs.signoff,
        options=options,
        software_version=__version__,
        generated_at=inputs.generated_at,
        synthetic=is_synthetic_input(args.vcf),
        quality_thresholds=thresholds.describe(),
    )
    write_atomic(args.output, build_report(model))
    missing = unprintable_characters(model)
    if missing:
        print(
            f"pmviewer: warning: {len(missing)} character(s) cannot be printed with the report "
            f"font and appear as boxes (first: {missing[0]!r}); check the report.",
            file=sys.stderr,
        )
    print(
        f"pmviewer: wrote {args.output} ({model.status} report, "
        f"{sum(f.section == 'reportable' for f in model.findings)} reportable finding(s))",
        file=sys.stderr,
    )
    return 0
