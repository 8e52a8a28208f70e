"""What ``pmviewer report`` writes besides the PDF's pages: the archival form (PDF/A-3b, the
default), the FHIR bundle, attachments and the signature.

- ``--fhir bundle.json``: the report as a FHIR R4 Bundle (HL7 Genomics Reporting IG STU3).
- ``--embed``: attach the FHIR bundle and the review JSON inside the PDF (PDF/A-3).
- ``--sign CERT.p12``: sign a final or amended report (PAdES baseline B); the password is
  read from ``PMVIEWER_SIGN_PASSWORD``, never from the command line.
- ``--replaces OLD.pdf``: the earlier report an amendment replaces; its report ID is read
  from its metadata and named in the new report's metadata, bundle and signature.
- ``--plain-pdf``: write the reportlab PDF as it is, without the archival conversion.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pmviewer.core.errors import PmviewerError
from pmviewer.export.report_model import ReportModel


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fhir", metavar="JSON", help="also write the report as a FHIR R4 Bundle")
    parser.add_argument(
        "--embed",
        action="store_true",
        help="attach the FHIR bundle and the review JSON inside the PDF (PDF/A-3)",
    )
    parser.add_argument(
        "--sign",
        metavar="P12",
        help="sign the final report with this PKCS#12 certificate "
        "(password in the PMVIEWER_SIGN_PASSWORD environment variable)",
    )
    parser.add_argument(
        "--replaces", metavar="PDF", help="the earlier report that this amended report replaces"
    )
    parser.add_argument(
        "--plain-pdf", action="store_true", help="do not convert the report to PDF/A-3b"
    )


@dataclass
class WrittenReport:
    """The final PDF bytes and what was added to them."""

    pdf: bytes
    report_id: str
    fhir: bytes | None
    archival: bool
    signed: bool


def _check_sign_request(args: argparse.Namespace, model: ReportModel) -> bytes | None:
    if not args.sign:
        return None
    if args.plain_pdf:
        raise PmviewerError("--sign signs the archival report; leave out --plain-pdf.")
    if model.status == "draft":
        raise PmviewerError(
            "Only a final or amended report can be signed; this report is a draft. "
            "Complete the review and sign-off, then use --status final."
        )
    if model.status == "amended" and not args.replaces:
        raise PmviewerError(
            "A signed amended report must name the report it replaces: "
            "add --replaces with the earlier signed PDF."
        )
    from pmviewer.export.signing import PASSWORD_VARIABLE

    password = os.environ.get(PASSWORD_VARIABLE)
    return password.encode("utf-8") if password else None


def finish_report(
    args: argparse.Namespace, model: ReportModel, pdf_bytes: bytes, review_json: bytes | None
) -> WrittenReport:
    """Archive, attach, sign and export FHIR as asked by ``args``; nothing is written here."""
    from pmviewer.export.archive import (
        Attachment,
        facts_for,
        make_archival,
        read_report_id,
        signed_archive,
    )
    from pmviewer.export.report_id import report_id

    password = _check_sign_request(args, model)
    replaces = read_report_id(args.replaces) if args.replaces else ""
    rid = report_id(model)
    fhir = None
    if args.fhir or args.embed:
        from pmviewer.export.fhir import build_bundle, bundle_bytes

        fhir = bundle_bytes(build_bundle(model, replaces=replaces))
    if args.plain_pdf:
        if args.embed:
            raise PmviewerError("--embed needs the archival report; leave out --plain-pdf.")
        return WrittenReport(pdf_bytes, rid, fhir, archival=False, signed=False)
    attachments = []
    if args.embed and fhir is not None:
        attachments.append(
            Attachment(f"{rid}.fhir.json", fhir, "application/fhir+json", "FHIR R4 Bundle")
        )
        if review_json is not None:
            attachments.append(
                Attachment(f"{rid}.review.json", review_json, "application/json", "Review")
            )
    if args.sign:
        pdf = signed_archive(
            model,
            pdf_bytes,
            certificate=Path(args.sign),
            password=password,
            replaces=replaces,
            attachments=attachments,
        )
        return WrittenReport(pdf, rid, fhir, archival=True, signed=True)
    pdf = make_archival(pdf_bytes, facts_for(model, replaces), attachments)
    return WrittenReport(pdf, rid, fhir, archival=True, signed=False)


def describe(written: WrittenReport) -> str:
    parts = [f"report ID {written.report_id}"]
    if written.archival:
        parts.append("PDF/A-3b")
    if written.signed:
        parts.append("signed")
    return ", ".join(parts)


def read_review_bytes(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        return Path(path).read_bytes()
    except OSError:
        print(f"pmviewer: note: the review {path} could not be re-read to embed.", file=sys.stderr)
        return None
