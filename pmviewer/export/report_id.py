"""A report's identity: one stable ID per printed report, never derived from the patient's name.

The ID is a digest of what makes the report unique (input file SHA-256, sample, knowledge
SHA-256, report status and date-time), so re-printing the same report gives the same ID and
an amended report gets a new one. It is printed in the archival metadata (XMP), the FHIR
bundle and the signature, where it lets an amended report name the one it replaces.
"""

from __future__ import annotations

import hashlib
import uuid

from pmviewer.export.report_model import ReportModel

# fixed namespace for the deterministic UUIDs of FHIR resources (uuid5 of the report ID)
PMVIEWER_NAMESPACE = uuid.UUID("6f1d4f2e-3b5a-5c47-9d0e-8a2b7c1e4f90")


def report_id(model: ReportModel) -> str:
    """``PMV-`` and 16 upper-case hex digits, e.g. ``PMV-3F2A9C0D11E4B7A5``."""
    m = model.methods
    key = "|".join(
        (
            m.input_sha256,
            m.sample,
            m.knowledge_sha256,
            model.status,
            model.generated_at.isoformat(),
        )
    )
    return "PMV-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16].upper()


def resource_uuid(report: str, local: str) -> str:
    """A ``urn:uuid:`` that is the same every time the same report is exported."""
    return f"urn:uuid:{uuid.uuid5(PMVIEWER_NAMESPACE, f'{report}/{local}')}"
