"""FHIR R4 export following the HL7 Genomics Reporting IG (STU3): see :mod:`.bundle`."""

from pmviewer.export.fhir.bundle import ResultBuilder, build_bundle, bundle_bytes, validate_bundle

__all__ = ["ResultBuilder", "build_bundle", "bundle_bytes", "validate_bundle"]
