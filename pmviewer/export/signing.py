"""Signing the final report: a PAdES baseline B signature (``pyHanko``) over the whole PDF.

The key and certificate come from a PKCS#12 file (``.p12``/``.pfx``) and its password from
the caller (``PMVIEWER_SIGN_PASSWORD`` on the command line, the sign-off dialog in the
window): a password never appears on a command line. The signature is an incremental
update, so the signed archive keeps its PDF/A content; its reason names the report ID and,
for an amendment, the report it replaces.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pmviewer.core.errors import InputFileError, PmviewerError

PASSWORD_VARIABLE = "PMVIEWER_SIGN_PASSWORD"
FIELD_NAME = "pmviewer-signature"


@dataclass(frozen=True)
class SignatureRequest:
    """Who signs and why; the reason is printed by every PDF reader's signature panel."""

    certificate: Path
    password: bytes | None
    report_id: str
    status: str
    replaces: str = ""
    location: str = ""

    def reason(self) -> str:
        text = f"Approval of the {self.status} genomic report {self.report_id}"
        if self.replaces:
            text += f"; this amended report replaces report {self.replaces}"
        return text


def _load_signer(request: SignatureRequest) -> object:
    from pyhanko.sign import signers

    try:
        data = request.certificate.read_bytes()
    except OSError as error:
        raise InputFileError(
            f"The signing certificate {request.certificate.name} could not be read "
            f"({error.strerror or error}). Check the path and try again."
        ) from error
    try:
        return signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=request.password
        )
    except ValueError as error:
        hint = (
            f"Set {PASSWORD_VARIABLE} to the certificate's password."
            if not request.password
            else "Check the password and that the file is a PKCS#12 (.p12/.pfx) certificate."
        )
        raise InputFileError(
            f"The signing certificate {request.certificate.name} could not be opened. {hint}"
        ) from error


def sign_report(pdf_bytes: bytes, request: SignatureRequest) -> bytes:
    """``pdf_bytes`` with a PAdES-B signature added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _load_signer(request)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=request.reason(),
        location=request.location or None,
        signer_key_usage={"digital_signature"},
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    out = io.BytesIO()
    try:
        signers.sign_pdf(writer, meta, signer=signer, output=out)  # type: ignore[arg-type]
    except Exception as error:  # pyHanko raises several types for unusable keys
        raise PmviewerError(
            f"The report could not be signed with {request.certificate.name} ({error}). "
            "Check that the certificate may be used for signing documents."
        ) from error
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """The validation of one embedded signature, in words for an audit."""

    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signer: str
    reason: str
    subfilter: str
    signing_time: str

    def describe(self) -> str:
        return (
            f"signer: {self.signer}\nreason: {self.reason}\nsigned at: {self.signing_time}\n"
            f"format: {self.subfilter}\nintegrity: {'intact' if self.intact else 'BROKEN'}\n"
            f"cryptographically valid: {self.valid}\ntrusted: {self.trusted}\n"
            f"covers the whole file: {self.covers_whole_file}"
        )


def check_signatures(
    pdf_bytes: bytes, trust_roots: list[bytes] | None = None
) -> list[SignatureCheck]:
    """Validate every signature of ``pdf_bytes`` (offline: no revocation fetching).

    ``trust_roots`` are DER or PEM certificates trusted as roots (e.g. the lab's CA)."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for blob in trust_roots or []:
        der = pem.unarmor(blob)[2] if pem.detect(blob) else blob
        roots.append(x509.Certificate.load(der))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    results = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context)
        sig = embedded.sig_object
        results.append(
            SignatureCheck(
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
                signer=status.signing_cert.subject.human_friendly,
                reason=str(sig.get("/Reason", "")),
                subfilter=str(sig.get("/SubFilter", "")),
                signing_time=status.signer_reported_dt.isoformat()
                if status.signer_reported_dt
                else "",
            )
        )
    return results
