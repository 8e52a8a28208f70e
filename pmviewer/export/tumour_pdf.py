"""Render a :class:`TumourReportModel` to PDF bytes (pure; same model, same bytes).

Order: result summary; patient, tumour type, tumour and normal samples; the tiered variant
table; per finding, its therapies and other evidence with level, disease, direction and
PMID; biomarkers this file cannot show; the incidental germline section of the matched
normal (with the referral to genetic counselling); tiering method, limitations, methods and
sign-off (shared with the germline report).
"""

from __future__ import annotations

import io
from typing import Any

from pmviewer.export import pdf_sections as sections
from pmviewer.export.pdf import FRAME_PADDING
from pmviewer.export.pdf_page import BOTTOM_MARGIN, SIDE_MARGIN, TOP_MARGIN, canvas_maker
from pmviewer.export.pdf_styles import Styles, esc, make_styles
from pmviewer.export.pdf_tables import bullets, data_table, kv_table, para
from pmviewer.export.tumour_report_model import GERMLINE_REFERRAL, TumourReportModel, TumourRow

MM = 72 / 25.4
_TIER_NOTE = {
    "Tier I": "strong clinical significance",
    "Tier II": "potential clinical significance",
    "Tier III": "uncertain significance",
}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _samples(model: TumourReportModel, s: Styles) -> Any:
    a = model.analysis
    t = a.tumour
    pairs = [
        ("Tumour type", f"{a.tumour_type.name} ({a.tumour_type.doid})"),
        ("Tumour sample", t.tumour_sample or "—"),
        ("Matched normal", t.normal_sample or "none in the file"),
        ("Caller", t.caller or "not named in the file"),
        ("Recognised by", "; ".join(t.evidence) or "—"),
        ("Genome build", a.build),
    ]
    return kv_table(pairs, [30 * MM, 148 * MM], s)


def _variant_table(rows: list[TumourRow], s: Styles) -> Any:
    body = []
    for r in rows:
        f = r.finding
        variant = f"{f.chrom}:{f.pos} {f.ref}>{f.alt}"
        names = f.change_words
        where = f"exon {f.exon}" if f.exon else ("" if f.event == "small variant" else f.event)
        reads = (f"{_pct(f.vaf)}\n{f.alt_reads if f.alt_reads is not None else '—'} of "
                 f"{f.depth if f.depth is not None else '—'} reads") if f.event == "small variant" else (
                 "not a read fraction")  # fmt: skip
        body.append([
            para(f"<b>{esc(f.tier)}</b><br/>{esc(_TIER_NOTE[f.tier])}", s.cell, raw=True),
            para(f"<b>{esc(f.gene or '—')}</b><br/>{esc(where)}", s.cell, raw=True),
            para(f"{esc(names)}<br/>{esc(variant)}", s.cell, raw=True),
            reads,
            f.tier_reason + ("" if not f.flags else "\n" + "; ".join(f.flags)),
            {"include": "included", "exclude": "excluded", "undecided": "not reviewed"}[r.decision],
        ])  # fmt: skip
    return data_table(
        ["Tier", "Gene", "Variant (HGVS p./c., position)", "VAF / depth", "Basis", "Review"],
        body, [19 * MM, 20 * MM, 46 * MM, 24 * MM, 52 * MM, 17 * MM], s,
    )  # fmt: skip


_KINDS = (
    ("Predictive", "Therapies (predictive evidence)"),
    ("Prognostic", "Prognosis"),
    ("Diagnostic", "Diagnosis"),
)


def _evidence_table(row: TumourRow, s: Styles) -> list[Any]:
    """Per finding: therapies first, then prognostic and diagnostic evidence, each its own table."""
    f = row.finding
    items = [
        e for e in f.evidence if e["evidence_type"] in ("Predictive", "Prognostic", "Diagnostic")
    ]
    if not items:
        return []
    out: list[Any] = [para(f"<b>{esc(f.gene)} {esc(f.hgvs_p or '')}</b> · {esc(f.tier)} · "
                           f"{len(items)} CIViC evidence item(s)", s.body, raw=True)]  # fmt: skip
    for kind, title in _KINDS:
        chosen = [e for e in items if e["evidence_type"] == kind]
        if not chosen:
            continue
        out.append(para(f"{title}: {len(chosen)}", s.h3))
        body = []
        for e in chosen[:30]:
            disease = f"{e.get('disease') or '—'}" + (
                " (applies)" if e["applies_to_tumour_type"] else ""
            )
            body.append([
                str(e.get("therapies") or "—"), str(e["level"]),
                f"{e.get('significance') or '—'}\n{e.get('direction') or ''}", disease,
                str(e.get("molecular_profile") or ""),
                f"EID{e['civic_evidence_id']}" + (f"\nPMID {e['pmid']}" if e.get("pmid") else ""),
            ])  # fmt: skip
        out.append(data_table(
            ["Therapy", "Level", "Significance", "Disease stated", "Molecular profile", "Source"],
            body, [40 * MM, 11 * MM, 26 * MM, 38 * MM, 39 * MM, 24 * MM], s,
        ))  # fmt: skip
        if len(chosen) > 30:
            out.append(para(f"{len(chosen) - 30} further {kind.lower()} item(s) are in the JSON "
                            "export.", s.note))  # fmt: skip
    if row.comment:
        out.append(para(f"Reviewer's comment: {row.comment}", s.small))
    return out


def _story(model: TumourReportModel, width: float) -> list[Any]:
    from reportlab.platypus import Spacer

    s = make_styles()
    page = model.page
    a = model.analysis
    story: list[Any] = list(sections.banners(page, s, width))
    story += sections.heading("Result summary", s.h1)
    story.append(para(model.summary, s.summary))
    for warning in a.warnings:
        story.append(para(warning, s.small))
    story += sections.patient(page, s, width)
    story += sections.heading("Tumour and samples", s.h1)
    story.append(_samples(model, s))
    story += sections.heading("Tiered somatic variants", s.h1)
    if model.rows:
        story.append(_variant_table(model.rows, s))
    else:
        story.append(para("No somatic variant with CIViC evidence or in a curated cancer gene "
                          "was found among the calls assessed.", s.body))  # fmt: skip
    if model.excluded:
        story.append(para(f"{model.excluded} finding(s) were excluded by the reviewer.", s.note))
    story += sections.heading("Therapies and evidence", s.h1)
    story.append(para("Sensitivity and resistance are both shown; prognostic and diagnostic "
                      "evidence is listed apart. 'applies' marks evidence stated for "
                      f"{a.tumour_type.name} or a broader Disease Ontology term.", s.small))  # fmt: skip
    for row in model.rows:
        part = _evidence_table(row, s)
        if part:
            story += part
            story.append(Spacer(1, 2 * MM))
    if a.not_assessed:
        story += sections.heading(f"Biomarkers not assessed for {a.tumour_type.name}", s.h1)
        story.append(para("CIViC has level A/B evidence in this tumour type for these markers, "
                          "which a small-variant VCF cannot show; test them by other methods.", s.small))  # fmt: skip
        story.append(data_table(
            ["Molecular profile", "Why not assessed", "Items", "Levels"],
            [[str(n["molecular_profile"]), str(n["reason"]), str(n["evidence_items"]),
              "/".join(n["levels"])] for n in a.not_assessed[:60]],  # type: ignore[arg-type]
            [70 * MM, 70 * MM, 16 * MM, 22 * MM], s,
        ))  # fmt: skip
    if a.germline_alleles:
        story += sections.heading("Probably inherited variants among the tumour calls", s.h1)
        story.append(bullets([f"{g['gene']} {g['civic_variant']} at {g['chrom']}:{g['pos']} "
                              f"{g['ref']}>{g['alt']} (VAF {g['vaf']}): {g['note']}"
                              for g in a.germline_alleles], s.small))  # fmt: skip
    story += sections.heading("Incidental germline findings (matched normal)", s.h1)
    if model.germline_reason:
        story.append(para(model.germline_reason, s.body))
    else:
        story.append(para(GERMLINE_REFERRAL, s.body))
        story += sections.findings_section(page, "reportable", s, width)
    story += sections.heading("Tiering and limitations", s.h1)
    story.append(para(f"Tiers: {model.tiering}. Tier I: level A/B evidence in this tumour type; "
                      "Tier II: level A/B in another tumour type or level C/D/E in this one; "
                      "Tier III: exonic variants in genes with CIViC somatic evidence; Tier IV "
                      "is not listed.", s.small))  # fmt: skip
    story.append(bullets(model.limitations, s.small))
    story += sections.methods_section(page, s, width)
    story += sections.signoff_section(page, s, width)
    return story


def build_tumour_report(model: TumourReportModel) -> bytes:
    """The tumour report PDF of ``model``, as bytes."""
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.platypus import SimpleDocTemplate

    page = model.page
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=letter if page.page_size.lower() == "letter" else A4,
        leftMargin=SIDE_MARGIN - FRAME_PADDING, rightMargin=SIDE_MARGIN - FRAME_PADDING,
        topMargin=TOP_MARGIN - FRAME_PADDING, bottomMargin=BOTTOM_MARGIN - FRAME_PADDING,
        title=f"{page.title} · {page.patient.name or page.patient.mrn or 'patient'}",
        author=page.lab.name or "pmviewer", subject=f"{page.status} tumour report",
        creator=f"pmviewer {page.methods.software_version}".strip(), producer="pmviewer",
        invariant=1, lang="en",
    )  # fmt: skip
    doc.build(_story(model, doc.width), canvasmaker=canvas_maker(page))  # type: ignore[arg-type]
    return buffer.getvalue()
