"""The report's "Therapeutic implications" part: CIViC germline predictive evidence for the
printed findings (issue "germline therapeutic implications")."""

from __future__ import annotations

from typing import Any

from pmviewer.export.pdf_styles import Styles
from pmviewer.export.pdf_tables import data_table, para
from pmviewer.export.report_model import ReportModel

MM = 72 / 25.4
LEVEL_WORDS = (
    "A validated association, B clinical evidence, C case study, D preclinical, E inferential"
)


def therapy_section(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """One table row per CIViC evidence item of each printed reportable or carrier finding."""
    from reportlab.platypus import CondPageBreak

    rows = []
    for f in model.findings:
        if f.section not in ("reportable", "carrier", "additional"):
            continue
        for t in f.therapies:
            name = f.hgvs_p or f.hgvs_c or f.position
            cite = str(t.get("citation") or "")
            if t.get("pmid"):
                cite += f" (PMID {t['pmid']})"
            if t.get("civic_evidence_id"):
                cite += f"; CIViC EID{t['civic_evidence_id']}"
            rows.append(
                [
                    f"{f.gene} {name}",
                    str(t.get("level") or ""),
                    str(t.get("therapies") or ""),
                    str(t.get("disease") or ""),
                    f"{t.get('significance') or ''} ({t.get('direction') or ''})",
                    cite,
                ]
            )
    if not rows:
        return []
    return [
        CondPageBreak(45 * MM),
        para("Therapeutic implications (germline)", s.h1),
        para(
            "CIViC germline predictive evidence for the findings in this report, as stated by "
            f"CIViC (evidence levels: {LEVEL_WORDS}). This is evidence, not a treatment "
            "recommendation: eligibility is decided by the treating clinician with the tumour's "
            "own findings.",
            s.small,
        ),
        data_table(
            ["Finding", "Level", "Therapy", "Disease", "Significance", "Citation"],
            rows,
            [v * MM for v in (30, 11, 30, 38, 30, 39)],
            s,
        ),
    ]
