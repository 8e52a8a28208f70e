"""One batch job, run on a Dask worker or in-process: annotate one (file, sample) and write
its findings JSON and its draft PDF report, then return its summary row.

The function and its arguments are plain picklable data, so any dask.distributed worker
(local or remote) can run it. Errors a user can fix become error rows; nothing a job does
stops the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pmviewer.core.batch import BatchJob, SummaryRow, error_row, row_for
from pmviewer.core.errors import PmviewerError


@dataclass(frozen=True)
class BatchSettings:
    """What every job of a batch shares."""

    out_dir: str
    knowledge: str | None = None  # None: the bundled knowledge file
    archival: bool = True  # PDF/A-3b report with the FHIR bundle attached
    generated_at: str = ""  # ISO date-time printed on every report of the batch


def run_job(job: BatchJob, settings: BatchSettings) -> SummaryRow:
    """Annotate and report one job; never raises for a problem with the input."""
    if job.error:
        return error_row(job.path, job.sample, job.error)
    try:
        return _run(job, settings)
    except PmviewerError as error:
        return error_row(job.path, job.sample, str(error))
    except Exception as error:  # an unexpected fault in one file must not stop thousands
        return error_row(
            job.path, job.sample, f"unexpected problem ({type(error).__name__}: {error})"
        )


def _run(job: BatchJob, settings: BatchSettings) -> SummaryRow:
    from pmviewer import __version__
    from pmviewer.core.knowledge import open_knowledge
    from pmviewer.core.pipeline import analyse
    from pmviewer.core.safe_write import write_atomic
    from pmviewer.export.pdf import build_report
    from pmviewer.export.report_model import build_report_model, is_synthetic_input
    from pmviewer.export.tables import dumps_json

    out = Path(settings.out_dir)
    analysis = analyse(job.path, sample=job.sample, knowledge=open_knowledge(settings.knowledge))
    findings = analysis.findings
    stem = job.output_stem()
    json_name, pdf_name = f"{stem}.json", f"{stem}.pdf"
    write_atomic(out / json_name, dumps_json(findings).encode("utf-8"))
    stamp = (
        datetime.fromisoformat(settings.generated_at)
        if settings.generated_at
        else datetime.now(timezone.utc).replace(microsecond=0)
    )
    model = build_report_model(
        findings,
        software_version=__version__,
        generated_at=stamp,
        synthetic=is_synthetic_input(job.path),
    )
    pdf = build_report(model)
    if settings.archival:
        from pmviewer.export.archive import Attachment, facts_for, make_archival
        from pmviewer.export.fhir import build_bundle, bundle_bytes
        from pmviewer.export.report_id import report_id

        rid = report_id(model)
        bundle = Attachment(
            f"{rid}.fhir.json", bundle_bytes(build_bundle(model)), "application/fhir+json", "FHIR"
        )
        pdf = make_archival(pdf, facts_for(model), [bundle])
    write_atomic(out / pdf_name, pdf)
    row = row_for(findings, job.path, job.sample)
    row.json, row.pdf = json_name, pdf_name
    return row
