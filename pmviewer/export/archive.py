"""The report as an archival PDF/A-3b: XMP with the report ID, sRGB output intent, embedded
fonts, and optionally the FHIR bundle and the review JSON attached as associated files.

reportlab draws the report (:mod:`pmviewer.export.pdf`); this module only turns those bytes
into PDF/A with ``pikepdf`` and checks what it wrote with ``pikepdf.pdfa`` (an allowlist
validator built on the veraPDF rule catalogue for PDF/A-1b/2b/3b: a construct it does not
know is a finding, so an approval is never a false pass). An archive that does not pass is
never returned.

Metadata names the report by its ID, never by the patient: the title is the report title
and its ID; dates are the report's own date-time, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pmviewer.core.errors import InputFileError, PmviewerError
from pmviewer.export.report_id import report_id
from pmviewer.export.report_model import ReportModel

FLAVOUR = "3b"


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the archive (PDF/A-3 associated file of relationship ``Data``)."""

    name: str
    data: bytes
    mime_type: str
    description: str


@dataclass(frozen=True)
class ArchiveFacts:
    """What the archive says about itself in its metadata."""

    report_id: str
    title: str
    status: str
    created: datetime
    author: str
    software: str
    replaces: str = ""


def facts_for(model: ReportModel, replaces: str = "") -> ArchiveFacts:
    rid = report_id(model)
    return ArchiveFacts(
        report_id=rid,
        title=f"{model.title} · {rid}",
        status=model.status,
        created=model.generated_at,
        author=model.lab.name or "pmviewer",
        software=f"pmviewer {model.methods.software_version}".strip(),
        replaces=replaces,
    )


def _pdf_date(stamp: datetime) -> str:
    text = stamp.strftime("D:%Y%m%d%H%M%S")
    offset = stamp.strftime("%z") or "+0000"
    return f"{text}{offset[0]}{offset[1:3]}'{offset[3:5]}'"


def _embed_fallback_font(pdf: object) -> None:
    """reportlab's page preamble selects Helvetica (unembedded) before any text is drawn;
    PDF/A wants every font embedded, so that resource points at the report's own font."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    for page in pdf.pages:
        if "/Trans" in page.obj:  # reportlab's empty page transition: not PDF/A vocabulary
            del page.obj["/Trans"]
        fonts = page.Resources.get("/Font")
        if fonts is None:
            continue
        embedded = [f for f in fonts.values() if "/FontDescriptor" in f]
        for key in list(fonts.keys()):
            if "/FontDescriptor" not in fonts[key] and embedded:
                fonts[key] = embedded[0]


def _write_metadata(pdf: object, facts: ArchiveFacts) -> None:
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    stamp = facts.created.isoformat()
    subject = f"{facts.status} report {facts.report_id}"
    if facts.replaces:
        subject += f", replaces {facts.replaces}"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = facts.title
        meta["dc:identifier"] = facts.report_id
        meta["dc:description"] = subject
        meta["dc:creator"] = [facts.author]
        meta["xmp:CreateDate"] = stamp
        meta["xmp:ModifyDate"] = stamp
        meta["xmp:MetadataDate"] = stamp
        meta["xmp:CreatorTool"] = facts.software
        meta["pdf:Producer"] = facts.software
    info = pdf.docinfo
    for key in list(info.keys()):
        del info[key]
    info["/Title"] = facts.title
    info["/Author"] = facts.author
    info["/Subject"] = subject
    info["/Creator"] = facts.software
    info["/Producer"] = facts.software
    info["/CreationDate"] = _pdf_date(facts.created)
    info["/ModDate"] = _pdf_date(facts.created)


def _attach(pdf: object, files: list[Attachment], created: datetime) -> None:
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    for item in files:
        spec = pikepdf.AttachedFileSpec(
            pdf,
            item.data,
            description=item.description,
            filename=item.name,
            mime_type=item.mime_type,
            creation_date=_pdf_date(created),
            mod_date=_pdf_date(created),
        )
        spec.relationship = pikepdf.Name.Data  # PDF/A-3: the report's data, in machine form
        pdf.attachments[item.name] = spec


def make_archival(
    pdf_bytes: bytes, facts: ArchiveFacts, attachments: list[Attachment] | None = None
) -> bytes:
    """PDF/A-3b bytes of ``pdf_bytes``, checked; raises :class:`PmviewerError` if the check
    does not pass (the report is then not written)."""
    import pikepdf
    import pikepdf.pdfa as pdfa

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _embed_fallback_font(pdf)
        _attach(pdf, list(attachments or []), facts.created)
        # prepare (output intent, PDF/A declaration) first, then our own metadata and dates
        # (prepare stamps the current time), then write and validate what was written
        pdfa.prepare(pdf, FLAVOUR)
        _write_metadata(pdf, facts)
        out = io.BytesIO()
        try:
            pdfa.save(pdf, out, FLAVOUR, repair=False, deterministic_id=True)
        except pdfa.PdfaError as error:
            raise PmviewerError(
                "The archival (PDF/A) version of the report could not be made: "
                f"{_first_problem(error.report)}. Write a plain PDF instead (--plain-pdf), "
                "and report this problem."
            ) from error
    return out.getvalue()


def _first_problem(report: object) -> str:
    findings = getattr(report, "findings", [])
    return findings[0].message if findings else "the check did not pass"


@dataclass(frozen=True)
class ArchiveCheck:
    """The result of :func:`check_archive`, printable for an audit."""

    passed: bool
    flavour: str
    problems: list[str]
    report_id: str
    attachments: list[str]
    signed_update_bytes: int = 0  # size of the signature update after the archived revision

    def describe(self) -> str:
        head = f"PDF/A-{self.flavour}: {'passed' if self.passed else 'FAILED'}"
        if self.signed_update_bytes:
            head += (
                f" (archived revision; a {self.signed_update_bytes}-byte signature update follows)"
            )
        lines = [head, f"report ID (XMP dc:identifier): {self.report_id or 'missing'}"]
        lines += [f"attachment: {name}" for name in self.attachments]
        lines += [f"problem: {p}" for p in self.problems]
        return "\n".join(lines)


def read_report_id(path: str | Path) -> str:
    """The report ID in the metadata of an earlier pmviewer archival report (the report an
    amendment replaces)."""
    import pikepdf

    name = Path(path).name
    try:
        with pikepdf.open(path) as pdf:
            rid = str(pdf.open_metadata().get("dc:identifier", "") or "")
    except (OSError, pikepdf.PdfError) as error:
        raise InputFileError(
            f"The report to replace, {name}, could not be read as a PDF ({error})."
        ) from error
    if not rid.startswith("PMV-"):
        raise InputFileError(
            f"{name} carries no pmviewer report ID; only an archival report made by pmviewer "
            "can be named as the one this amendment replaces."
        )
    return rid


def signed_archive(
    model: ReportModel,
    pdf_bytes: bytes,
    *,
    certificate: Path,
    password: bytes | None,
    replaces: str = "",
    attachments: list[Attachment] | None = None,
) -> bytes:
    """The final report as it is filed: PDF/A-3b (with ``attachments``), then signed."""
    from pmviewer.export.signing import SignatureRequest, sign_report

    if model.status == "draft":
        raise PmviewerError("Only a final or amended report can be signed; this report is a draft.")
    if model.status == "amended" and not replaces:
        raise PmviewerError(
            "A signed amended report must name the report it replaces: choose the earlier "
            "signed report."
        )
    archive = make_archival(pdf_bytes, facts_for(model, replaces), attachments)
    request = SignatureRequest(
        certificate=certificate,
        password=password,
        report_id=report_id(model),
        status=model.status,
        replaces=replaces,
        location=model.lab.name,
    )
    return sign_report(archive, request)


def archived_revision(data: bytes) -> bytes:
    """The bytes of the archive as written, before any signature was appended to it.

    A signature is an incremental update after the first ``%%EOF``; the PDF/A checks apply
    to that first revision, and the signature check proves the update only signs it."""
    end = data.find(b"%%EOF")
    if end < 0:
        return data
    end += len(b"%%EOF")
    while end < len(data) and data[end : end + 1] in (b"\r", b"\n"):
        end += 1
    return data[:end]


def check_archive(data: bytes) -> ArchiveCheck:
    """Validate written bytes with ``pikepdf.pdfa`` and read back the report ID.

    For a signed report the archived revision is checked (the validator does not cover
    signature fields); :func:`pmviewer.export.signing.check_signatures` covers the rest."""
    import pikepdf
    import pikepdf.pdfa as pdfa

    revision = archived_revision(data)
    result = pdfa.validate_written(io.BytesIO(revision), FLAVOUR)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        rid = str(meta.get("dc:identifier", "") or "")
        names = sorted(pdf.attachments.keys())
    return ArchiveCheck(
        passed=bool(result.passed),
        flavour=FLAVOUR,
        problems=[f"{f.rule} at {f.where}: {f.message}" for f in result.findings],
        report_id=rid,
        attachments=names,
        signed_update_bytes=len(data) - len(revision),
    )
