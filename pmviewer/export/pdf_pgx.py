"""The pharmacogenomics pages of the report: genes, one drug page, and an appendix.

* Genes: diplotype, phenotype, activity score, the source of each call (VCF or the outside
  file), conflicts in bold.
* Drug summary: every drug with a CPIC recommendation for this patient, one line per drug
  and action, grouped avoid / adjust dose / use as directed / no recommendation, with gene,
  phenotype, CPIC strength and guideline: meant to be read by a prescriber in a minute.
* Recommendations requiring attention: CPIC's full text for the non-standard actions only.
* Appendix (after the sign-off): CPIC's text for the standard ones.
"""

from __future__ import annotations

from typing import Any

from pmviewer.core.pgx import ACTION_TITLES, ACTIONS, DrugRow, guideline_reference
from pmviewer.export.pdf_sections import MM, heading
from pmviewer.export.pdf_styles import ACCENT, MUTED, POSITIVE, Styles, esc
from pmviewer.export.pdf_tables import bullets, data_table, para
from pmviewer.export.report_model import ReportModel
from pmviewer.export.report_pgx import outside_call_files

CAVEAT = (
    "Recommendations are quoted from the cited CPIC guideline for the phenotype shown. They do "
    "not replace clinical judgement; consider the patient's other medicines, organ function and "
    "clinical context. A drug whose gene was not called is not listed: it was not assessed."
)


def _mm(*values: float) -> list[float]:
    return [v * MM for v in values]


def _spacer(height_mm: float) -> Any:
    from reportlab.platypus import Spacer

    return Spacer(1, height_mm * MM)


def _gene_rows(model: ReportModel, s: Styles) -> list[list[Any]]:
    rows = []
    for p in model.pgx:
        note = esc(
            p.status_note or ("Called" if p.callable else "Required positions are not in the file.")
        )
        if p.conflict:
            note = f'<font color="{POSITIVE}"><b>Conflict:</b> {esc(p.conflict)}</font><br/>' + note
        source = esc(p.source)
        if p.callable:
            rows.append(
                [
                    para(p.gene, s.cell_bold),
                    p.diplotype or "—",
                    p.phenotype or "—",
                    p.activity_score or "—",
                    para(source, s.cell),
                    para(note, s.cell, raw=True),
                ]
            )
        else:
            rows.append(
                [
                    para(p.gene, s.cell_bold),
                    "—",
                    para("<b>Not callable from this file</b>", s.cell, raw=True),
                    "—",
                    para(source, s.cell),
                    para(note, s.cell, raw=True),
                ]
            )
    return rows


def pgx_pages(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """Genes, the drug summary and the full text of the non-standard recommendations."""
    out: list[Any] = [*heading("Pharmacogenomics", s.h1)]
    if not model.pgx:
        out.append(para("No pharmacogenomic genes were assessed.", s.body))
        return out
    out.append(
        data_table(
            ["Gene", "Diplotype", "Phenotype", "Activity score", "Source", "Call notes"],
            _gene_rows(model, s),
            _mm(17, 25, 43, 15, 22, 56),
            s,
        )
    )
    files = outside_call_files(model.pgx)
    if files:
        out.append(_spacer(1))
        out.append(
            para(
                "Outside calls: "
                + "; ".join(
                    f"{esc(name)} (SHA-256 <font name='Courier' size='6.4'>{esc(sha)}</font>)"
                    for name, sha in files
                )
                + ". They replace the VCF's call of their genes; a disagreement is shown as a conflict.",
                s.note,
                raw=True,
            )
        )
    out.extend(drug_summary(model.pgx_drugs, s))
    out.extend(attention_texts(model.pgx_drugs, s))
    if model.pgx_evidence:  # what the window's detail panel shows on these variants
        out.extend(heading("Published evidence on these variants (CIViC)", s.h2))
        out.append(bullets([f"{gene}: {line}" for gene, line in model.pgx_evidence], s.small))
    return out


def _summary_lines(rows: list[DrugRow]) -> list[DrugRow]:
    """One line per drug and action (populations and duplicate texts folded together)."""
    seen: dict[tuple[str, str], DrugRow] = {}
    for row in rows:
        seen.setdefault((row.action, row.drug), row)
    return list(seen.values())


COMPACT_ACTIONS = ("use as directed", "no recommendation")


def _compact(group: list[DrugRow]) -> str:
    """``<b>CYP2D6 Normal Metabolizer</b>: codeine, tramadol; ...`` for one action group."""
    by_phenotype: dict[str, list[str]] = {}
    for r in group:
        by_phenotype.setdefault(r.phenotype, []).append(r.drug)
    return "; ".join(
        f"<b>{esc(phenotype)}</b>: {esc(', '.join(dict.fromkeys(drugs)))}"
        for phenotype, drugs in by_phenotype.items()
    )


def drug_summary(rows: list[DrugRow], s: Styles) -> list[Any]:
    """The one-page drug table, grouped by action."""
    from reportlab.lib import colors
    from reportlab.platypus import PageBreak

    out: list[Any] = [PageBreak(), *heading("Drug summary", s.h2)]
    if not rows:
        out.append(para("No CPIC recommendation applies to the genes called.", s.body))
        return out
    lines = _summary_lines(rows)
    counts = {a: sum(1 for r in lines if r.action == a) for a in ACTIONS}
    out.append(
        para(
            f"{len({r.drug for r in lines})} drugs with a CPIC recommendation for this patient: "
            + ", ".join(
                f"{ACTION_TITLES[a].lower()} {counts[a]}"
                for a in ACTIONS
                if counts[a] or a != "see recommendation text"
            )
            + ". Full text of the non-standard recommendations follows; the others are in the "
            "appendix.",
            s.note,
        )
    )
    table_rows: list[list[Any]] = []
    group_rows: list[int] = []
    span_rows: list[int] = []
    for action in ACTIONS:
        group = [r for r in lines if r.action == action]
        if not group:
            continue
        title = f"<b>{ACTION_TITLES[action]}</b> ({len(group)})"
        if action in COMPACT_ACTIONS:
            # standard use: drug names by phenotype in one paragraph (the text is in the appendix)
            span_rows.append(len(table_rows) + 1)
            table_rows.append(
                [
                    para(
                        f'<font color="{ACCENT}">{title}</font>: {_compact(group)}',
                        s.tiny,
                        raw=True,
                    ),
                    "",
                    "",
                    "",
                ]
            )
            continue
        group_rows.append(len(table_rows) + 1)
        table_rows.append([para(title, s.cell, raw=True), "", "", ""])
        for r in group:
            table_rows.append(
                [
                    para(r.drug, s.cell_bold),
                    para(r.phenotype, s.tiny),
                    para(r.strength or "—", s.tiny),
                    para(guideline_reference(r.guideline), s.tiny),
                ]
            )
    extra: list[tuple] = [("SPAN", (0, i), (-1, i)) for i in span_rows]
    for index in group_rows:
        extra.append(("SPAN", (0, index), (-1, index)))
        extra.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#E6ECF2")))
        extra.append(("TEXTCOLOR", (0, index), (-1, index), colors.HexColor(ACCENT)))
    for style in ("TOPPADDING", "BOTTOMPADDING"):
        extra.append((style, (0, 1), (-1, -1), 0.8))
    out.append(
        data_table(
            ["Drug", "Gene and phenotype (CPIC)", "Strength", "Guideline"],
            table_rows,
            _mm(28, 102, 16, 32),
            s,
            zebra=False,
            extra_style=extra,
        )
    )
    return out


def _text_cell(row: DrugRow, s: Styles) -> Any:
    markup = esc(row.text or "—").replace("\n", "<br/>")
    if row.population and row.population != "general":
        markup += f'<br/><font color="{MUTED}" size="6.6">Population: {esc(row.population)}</font>'
    return para(markup, s.cell, raw=True)


def _grouped(rows: list[DrugRow]) -> list[tuple[str, DrugRow]]:
    """Drugs sharing one text (a drug class) printed once: ``(drugs, row)``."""
    groups: dict[tuple[str, ...], tuple[list[str], DrugRow]] = {}
    for r in rows:
        key = (r.action, r.text, r.strength, r.population, r.phenotype, r.guideline)
        if key in groups:
            groups[key][0].append(r.drug)
        else:
            groups[key] = ([r.drug], r)
    return [(", ".join(dict.fromkeys(drugs)), row) for drugs, row in groups.values()]


def _text_table(rows: list[DrugRow], s: Styles) -> Any:
    return data_table(
        ["Drug(s)", "Gene and phenotype", "Recommendation (CPIC)", "Strength", "Guideline"],
        [
            [
                para(drugs, s.cell_bold),
                para(row.phenotype, s.tiny),
                _text_cell(row, s),
                para(row.strength or "—", s.tiny),
                para(row.guideline, s.tiny),
            ]
            for drugs, row in _grouped(rows)
        ],
        _mm(25, 30, 78, 16, 29),
        s,
    )


def attention_texts(rows: list[DrugRow], s: Styles) -> list[Any]:
    """CPIC's full text for avoid / adjust dose and other prescribing guidance."""
    wanted = [r for r in rows if r.non_standard]
    out: list[Any] = [*heading("Recommendations requiring attention", s.h2)]
    if not wanted:
        out.append(para("None: every recommendation for this patient is standard use.", s.body))
    else:
        out.append(_text_table(wanted, s))
    out.append(_spacer(1.5))
    out.append(para(CAVEAT, s.note))
    return out


def pgx_appendix(model: ReportModel, s: Styles, width: float) -> list[Any]:
    """Appendix: CPIC's text for the standard recommendations (use as directed, none)."""
    rest = [r for r in model.pgx_drugs if not r.non_standard]
    if not rest:
        return []
    from reportlab.platypus import PageBreak

    return [
        PageBreak(),
        para("Appendix: CPIC recommendations for standard use", s.h1),
        para(
            "The drugs below need no change for this patient's phenotype, or CPIC makes no "
            "recommendation; the guideline text is given for reference.",
            s.note,
        ),
        _text_table(rest, s),
    ]
