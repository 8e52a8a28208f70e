"""The report's sections as lists of reportlab flowables, in reading order."""

from __future__ import annotations

from typing import Any

from pmviewer.core.wording import amendment_change_words, readable_date, readable_datetime
from pmviewer.export.pdf_styles import (
    ACCENT,
    DRAFT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SYNTHETIC,
    Styles,
    esc,
)
from pmviewer.export.pdf_tables import bullets, data_table, kv_table, para
from pmviewer.export.report_model import ReportFinding, ReportModel

MM = 72 / 25.4
SECTION_TITLES = {
    "reportable": "Reportable findings",
    "carrier": "Carrier findings",
    "uncertain": "Variants of uncertain significance",
    "additional": "Additional findings included by the reviewer",
}
SECTION_EMPTY = {
    "reportable": "No reportable variants were identified.",
    "carrier": "No carrier findings were identified.",
    "uncertain": "No variants of uncertain significance were identified.",
}
SECTION_INTRO = {
    "carrier": "Heterozygous pathogenic or likely pathogenic variants in genes associated "
    "with recessive conditions. Carriers are usually unaffected.",
    "uncertain": "Variants with insufficient or conflicting evidence. These results are "
    "reported for completeness and should not be used for clinical decision-making.",
}


def heading(text: str, style: Any) -> list[Any]:
    """A heading that moves to the next page rather than sit alone at the bottom.

    (``keepWithNext`` is not used: it would push a long table whole to the next page.)
    """
    from reportlab.platypus import CondPageBreak

    room = 45 if style.fontSize > 10 else 38  # heading plus the first rows after it
    return [CondPageBreak(room * MM), para(text, style)]


def _mm(*values: float) -> list[float]:
    return [v * MM for v in values]


def _spacer(height_mm: float) -> Any:
    from reportlab.platypus import Spacer

    return Spacer(1, height_mm * MM)


def _boxed(paragraphs: list[Any], colour: str, fill: str, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table

    table = Table([[p] for p in paragraphs], colWidths=[width], hAlign="LEFT")
    table.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
            ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(colour)),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ]
    )
    return table


def banners(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """The SYNTHETIC and report-status banners shown above the summary."""
    out = []
    if model.synthetic:
        out.append(
            _boxed(
                [
                    para(
                        "SYNTHETIC DEMONSTRATION DATA. This report was produced from a "
                        "synthetic test file. It does not describe a real person and must "
                        "not be used for any clinical purpose.",
                        s.h3,
                    )
                ],
                SYNTHETIC,
                "#F3EEFD",
                width,
            )
        )
        out.append(_spacer(2))
    if model.status == "amended" and model.signoff.amendments:
        lines = [para("AMENDED REPORT: this report replaces the previous version.", s.h3)]
        for a in model.signoff.amendments:
            changes = "; ".join(amendment_change_words(c) for c in a.changes)
            lines.append(
                para(
                    f"<b>{esc(readable_datetime(a.date))}</b>: {esc(a.reason)}"
                    + (f". Changed: {esc(changes)}" if changes else ""),
                    s.small,
                    raw=True,
                )
            )
        out.append(_boxed(lines, ACCENT, "#EEF3F8", width))
        out.append(_spacer(2))
    if model.status == "draft":
        text = "DRAFT: not reviewed and signed out; not for clinical use."
        notes = " ".join(model.draft_notes)
        out.append(_boxed([para(f"{text} {notes}".strip(), s.small)], DRAFT, "#FEF6EC", width))
        out.append(_spacer(2))
    return out


def glyph_warning(missing: list[str], s: Styles, width: float) -> list[Any]:
    """Say so when some typed characters cannot be printed, rather than print silent boxes."""
    shown = " ".join(f"U+{ord(c):04X}" for c in missing[:12])
    more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
    text = (
        f"Some characters in this report cannot be printed with the report font and appear as "
        f"empty boxes ({shown}{more}). Check names and identifiers against the source record; "
        "a Latin transliteration can be added to the patient details."
    )
    return [_boxed([para(text, s.small)], DRAFT, "#FEF6EC", width), _spacer(2)]


def summary(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """The one-sentence result and the pharmacogenomics summary line."""
    colour = POSITIVE if model.summary_positive else NEGATIVE
    fill = "#FBF1F1" if model.summary_positive else "#EFF7F2"
    a = model.assessment
    if not model.summary_positive and (a is None or not a.measured or a.no_data or a.not_assessed):
        colour, fill = DRAFT, "#FEF6EC"  # not a clean negative: genes were left unassessed
    return [
        *heading("Result summary", s.h1),
        _boxed(
            [
                para(model.summary, s.summary),
                *([para(model.summary_detail, s.body)] if model.summary_detail else []),
                para(model.pgx_summary, s.body),
            ],
            colour,
            fill,
            width,
        ),
    ]


def patient(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """Patient and specimen details, ordering clinician and indication."""
    p = model.patient
    dash = "—"
    pairs = [
        ("Name", p.name or dash),
        ("Date of birth", readable_date(p.date_of_birth) or dash),
        ("Sex", model.patient_sex),
        ("MRN", p.mrn or dash),
        ("Accession", p.second_identifier or dash),
        ("Sample ID in file", model.methods.sample or dash),
        ("Specimen type", p.specimen_type or dash),
        ("Ordering clinician", p.ordering_clinician or dash),
        ("Collected", readable_date(p.specimen_collected) or dash),
        ("Received", readable_date(p.specimen_received) or dash),
    ]
    wide = [("Indication", p.indication or dash), ("Family history", p.family_history or dash)]
    return [
        *heading("Patient and specimen", s.h1),
        kv_table(pairs, _mm(27, 62), s, columns=2),
        kv_table(wide, _mm(27, 151), s),
    ]


def _variant_cell(f: ReportFinding, s: Styles) -> Any:
    lines = [f"<b>{esc(f.hgvs_c)}</b>" if f.hgvs_c else ""]
    if f.hgvs_p:
        lines.append(esc(f.hgvs_p))
    if f.transcript:
        lines.append(f'<font color="{MUTED}" size="6.6">{esc(f.transcript)}</font>')
    if f.hgvs_c and f.name_source:
        lines.append(f'<font color="{MUTED}" size="6.2">Name: {esc(f.name_source)}</font>')
    markup = "<br/>".join(x for x in lines if x)
    if not markup and f.hgvs_g:
        genomic = esc(f.hgvs_g).replace(":", ":<br/>", 1)  # accession, then the g. name
        markup = f'{genomic}<br/><font color="{MUTED}" size="6.6">no c./p. name known</font>'
    if not markup:
        markup = f'<font color="{MUTED}">No HGVS name in the file or the knowledge</font>'
    if f.name_note:
        markup += f'<br/><font color="{MUTED}" size="6.2">{esc(f.name_note)}</font>'

    return para(markup, s.cell, raw=True)


def _breakable(text: str) -> str:
    """'Pathogenic/Likely pathogenic' -> 'Pathogenic / Likely pathogenic' (wraps cleanly)."""
    return text.replace("/", " / ").replace("  ", " ")


def _classification_cell(f: ReportFinding, s: Styles) -> Any:
    markup = f"<b>{esc(_breakable(f.classification))}</b>"
    if f.qualifier:
        markup += f'<br/><font size="6.6">ClinVar qualifier: {esc(f.qualifier)}</font>'

    if f.override_reason:
        markup += (
            f'<br/><font size="6.4" color="{MUTED}">Reviewer override; ClinVar: '
            f"{esc(f.kb_classification or 'not classified')}</font>"
        )
    if not f.reviewed:
        markup += f'<br/><font size="6.2" color="{DRAFT}"><b>NOT YET REVIEWED</b></font>'
    return para(markup, s.cell, raw=True)


def findings_table(findings: list[ReportFinding], s: Styles) -> Any:
    """The findings of one section as a table (gene, variant, zygosity, classification...)."""
    header = [
        "Gene",
        "Variant (HGVS)",
        "Genomic position",
        "Zygosity",
        "Classification",
        "Condition",
        "Inh.",
    ]
    rows = [
        [
            para(f.gene, s.cell_bold),
            _variant_cell(f, s),
            para(
                f'{esc(f.position)}<br/><font color="{MUTED}" size="6.6">{esc(f.build)}</font>',
                s.cell,
                raw=True,
            ),
            f.zygosity,
            _classification_cell(f, s),
            f.condition or "—",
            f.inheritance_code or "—",
        ]
        for f in findings
    ]
    return data_table(header, rows, _mm(17, 38, 30, 21, 28, 31, 13), s)


def _stars(stars: int | None) -> str:
    if stars is None:
        return "not given"
    stars = max(0, min(4, stars))
    return f"{'★' * stars}{'☆' * (4 - stars)} ({stars} of 4)"


def interpretation(
    number: int, f: ReportFinding, s: Styles, width: float, lead: Any = None
) -> list[Any]:
    """One finding's interpretation, kept on one page (with ``lead``, a heading above it)."""
    from reportlab.platypus import KeepTogether

    title = " ".join(x for x in (f.gene, f.hgvs_c or f.hgvs_g, f.hgvs_p) if x)
    heading = f"{number}. {esc(title)} · {esc(_breakable(f.classification))}"
    if not f.reviewed:
        heading += f' <font color="{DRAFT}" size="7.6">· NOT YET REVIEWED</font>'
    evidence = [
        ("ClinVar review", _stars(f.stars)),
        ("Variation ID", str(f.clinvar_id) if f.clinvar_id is not None else "—"),
        ("Last evaluated", readable_date(f.last_evaluated) or "—"),
        ("Review status", f.review_status or "—"),
    ]
    # one paragraph rather than a table: as clear, and far cheaper for 500-finding reports
    evidence_line = " · ".join(
        f'<font color="{MUTED}"><b>{label}</b></font> {esc(value)}' for label, value in evidence
    )
    block: list[Any] = [lead] if lead is not None else []
    block += [
        para(heading, s.h2, raw=True),
        para(evidence_line, s.small, raw=True),
        _spacer(1.2),
        para(f.interpretation, s.body),
    ]
    if f.basis:
        block.append(para(f"<b>Basis for reporting:</b> {esc(f.basis)}", s.body, raw=True))
    if f.family:
        block.append(para(f"<b>Family:</b> {esc(f.family)}", s.body, raw=True))
    if f.override_reason:
        block.append(
            para(f"<b>Reason for reclassification:</b> {esc(f.override_reason)}", s.body, raw=True)
        )
    if f.comment:
        block.append(para(f"<b>Counselor comment:</b> {esc(f.comment)}", s.body, raw=True))
    if f.quality_flags:
        block.append(
            para(f"<b>Quality notes:</b> {esc('; '.join(f.quality_flags))}", s.body, raw=True)
        )
    if f.civic:
        block.append(para("<b>Published evidence (CIViC)</b>", s.body, raw=True))
        block.append(bullets(f.civic, s.small))
    block.append(para("<b>Recommendations</b>", s.body, raw=True))
    block.append(bullets(f.recommendations, s.body))
    return [KeepTogether(block), _spacer(2)]


def _empty_text(model: ReportModel, section: str) -> str:
    """An empty section says what was looked at: never a plain "none" for unassessed genes."""
    text = SECTION_EMPTY.get(section, "None.")
    a = model.assessment
    if a is None or not a.measured:
        return text
    if not a.assessed:
        return "No gene was assessed (see the result summary); no result is given here."
    if a.not_assessed:
        return f"{text[:-1]} in the {len(a.assessed)} genes assessed."
    return text


def section_title(model: ReportModel, section: str) -> str:
    """The heading of a findings section; the reportable findings are the ACMG secondary
    findings and say which list version decided them."""
    if section == "reportable":
        version = model.methods.acmg_sf_version
        if version[:1].isdigit():
            version = f"v{version}"
        return (
            f"Secondary findings (ACMG SF {version})" if version else "Secondary findings (ACMG SF)"
        )
    return SECTION_TITLES[section]


def findings_section(model: ReportModel, section: str, s: Styles, width: float) -> list[Any]:
    """One findings section: its table, then an interpretation per finding."""
    items = model.section(section)
    out: list[Any] = [*heading(section_title(model, section), s.h1)]
    if section in SECTION_INTRO:
        out.append(para(SECTION_INTRO[section], s.small))
        out.append(_spacer(1.5))
    if not items:
        out.append(para(_empty_text(model, section), s.body))
        return out
    out.append(findings_table(items, s))
    out.append(
        para(
            "Inh.: AD autosomal dominant; AR autosomal recessive; XL X-linked. "
            "Positions are 1-based, as in the VCF.",
            s.note,
        )
    )
    lead = para("Interpretation", s.h2)
    for number, f in enumerate(items, start=1):
        out.extend(interpretation(number, f, s, width, lead if number == 1 else None))
    return out


def _methods_pairs(model: ReportModel, s: Styles) -> list[tuple[str, Any]]:
    """Input, software, knowledge, genes and thresholds as label/value rows."""
    m = model.methods
    dash = "—"
    if m.genes:
        genes = f"{len(m.genes)} genes: " + ", ".join(m.genes)
    elif m.gene_count:
        genes = f"{m.gene_count} genes"
    else:
        genes = "not recorded in the knowledge file"
    sf = f"ACMG SF {m.acmg_sf_version}" if m.acmg_sf_version else "ACMG SF list"
    optional = [
        f"carrier findings {'included' if model.include_carrier else 'not requested'}",
        f"uncertain findings {'included' if model.include_uncertain else 'not requested'}",
    ]
    pairs = [
        ("Input file", m.input_name or dash),
        ("Input SHA-256", para(m.input_sha256 or dash, s.mono)),
        ("Sample", m.sample or dash),
        ("Genome build", m.build or dash),
        ("Sex used for analysis", m.sex_used),
        ("Software", f"pmviewer {m.software_version}".strip()),
        (
            "Knowledge version",
            " · ".join(
                x
                for x in (
                    m.knowledge_version or dash,
                    m.knowledge_built and f"built {m.knowledge_built}",
                )
                if x
            ),
        ),
        ("Knowledge SHA-256", para(m.knowledge_sha256 or dash, s.mono)),
        (f"Genes analysed ({sf})", genes),
        (
            "Pharmacogenes assessed",
            f"{len(model.pgx)} genes: " + ", ".join(p.gene for p in model.pgx)
            if model.pgx
            else "none",
        ),
        ("Gene assessment", _assessment_text(model)),
        ("Optional sections", "; ".join(optional)),
        (
            "Quality thresholds",
            "; ".join(m.quality_thresholds)
            if m.quality_thresholds
            else "None recorded. Quality notes are shown with each finding; no finding is hidden for quality.",
        ),
    ]
    return pairs


def _assessment_text(model: ReportModel) -> str:
    a = model.assessment
    if a is None or not a.measured:
        return "Not measured: the report makes no negative statement about any gene."
    text = (
        f"{len(a.assessed)} assessed, {len(a.not_assessed)} not assessed. A gene counts as "
        f"assessed on: {a.basis}."
    )
    if a.not_assessed:
        text += " The genes not assessed are listed below under Gene assessment."
    return text


def assessment_table(model: ReportModel, s: Styles) -> list[Any]:
    """Every gene not (fully) assessed, with the reason, so page 1's list is traceable."""
    a = model.assessment
    if a is None or not a.not_assessed:
        return []
    rows = [[gene, reason] for gene, reason in a.not_assessed]
    return [
        *heading("Gene assessment: genes not assessed", s.h2),
        data_table(["Gene", "Why not assessed"], rows, _mm(22, 156), s),
    ]


def methods_section(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """Methods, knowledge sources, variant accounting, warnings and limitations."""
    m = model.methods
    pairs = _methods_pairs(model, s)
    out: list[Any] = [
        *heading("Methods and limitations", s.h1),
        kv_table(pairs, _mm(38, 140), s),
        _spacer(1.5),
    ]
    out.append(
        para(
            "The variant call file was annotated offline against the bundled knowledge "
            "release below: variants were matched on normalised genomic coordinates to "
            "curated classifications, and pharmacogenomic diplotypes were assigned from the "
            "guideline allele definitions.",
            s.small,
        )
    )
    if m.sources:
        out.extend(heading("Knowledge sources", s.h2))
        out.append(_sources_table(m.sources, s))
    if m.attribution:
        out.extend(heading("Attribution", s.h2))
        out.append(bullets(m.attribution, s.small))
    if model.policy:
        out.extend(heading("Evidence policy", s.h2))
        out.append(bullets(model.policy, s.small))
    out.extend(assessment_table(model, s))
    if m.variant_accounting:
        out.extend(heading("Variant accounting", s.h2))
        out.append(kv_table(m.variant_accounting, _mm(55, 34), s, columns=2))
    if m.warnings:
        out.extend(heading("Analysis warnings", s.h2))
        out.append(bullets(m.warnings, s.small))
    out.extend(heading("What this test cannot detect", s.h2))
    out.append(bullets(m.limitations, s.small))
    if m.coverage_notes:
        out.extend(heading("What the bundled knowledge does not cover", s.h2))
        out.append(bullets(m.coverage_notes, s.small))
    return out


def _sources_table(sources: list, s: Styles) -> Any:
    """One row per source release: name, release, licence and the file's SHA-256."""
    dash = "—"
    return data_table(
        ["Source", "Release", "Licence", "File SHA-256"],
        [
            [
                src.name,
                src.release or dash,
                src.licence or dash,
                para(src.sha256, s.mono)
                if src.sha256
                else f"{src.files} files; covered by the knowledge SHA-256",
            ]
            for src in sources
        ],
        _mm(46, 30, 44, 58),
        s,
        zebra=False,
    )


def signoff_section(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """Sign-off lines of reviewer and approver, and the amendments of an amended report."""
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether

    so = model.signoff
    header = ["Role", "Name", "Credentials", "Date", "Signature"]
    rows = [
        [
            "Reviewed by",
            so.reviewer or "",
            so.reviewer_credentials or "",
            readable_datetime(so.reviewed_at),
            "",
        ],
        [
            "Approved by",
            so.approver or "",
            so.approver_credentials or "",
            readable_datetime(so.approved_at),
            "",
        ],
    ]
    table = data_table(
        header,
        rows,
        _mm(24, 44, 34, 28, 48),
        s,
        zebra=False,
        extra_style=[
            ("LINEBELOW", (0, 1), (-1, -1), 0, colors.white),
            ("LINEBELOW", (1, 1), (-2, -1), 0.3, colors.HexColor("#B8C2CC")),
            ("LINEBELOW", (-1, 1), (-1, -1), 0.7, colors.black),
            ("TOPPADDING", (0, 1), (-1, -1), 12),
        ],
    )
    block: list[Any] = [para("Sign-off", s.h1), table]  # kept together below
    if model.status == "draft":
        block.append(para("This draft has not been signed out.", s.note))
    if model.reviewer_reasons:
        block.append(para("Reviewer's reasons", s.h2))
        block.append(bullets(model.reviewer_reasons, s.small))
    if so.amendments:
        block.append(para("Amendments", s.h2))
        block.append(
            data_table(
                ["Date", "Reason", "What changed"],
                [
                    [
                        readable_datetime(a.date),
                        a.reason,
                        "; ".join(amendment_change_words(c) for c in a.changes) or "—",
                    ]
                    for a in so.amendments
                ],
                _mm(30, 60, 88),
                s,
            )
        )
    return [KeepTogether(block)]


def end_of_report(s: Styles) -> list[Any]:
    """The closing line, after the last appendix: nothing of the report follows it."""
    return [_spacer(4), para("End of report", s.note)]
