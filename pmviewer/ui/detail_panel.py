"""The detail panel: everything known about the selected row, with its sources.

Built as HTML from plain dicts (a frame row, a pharmacogenomics result, the gene's knowledge
row), so the text can be tested directly. Links are printed as selectable text and never
opened: pmviewer does not use the network.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextBrowser, QWidget

from pmviewer.core.evidence import finding_row, gene_finding_rows
from pmviewer.core.wording import call_status_words, inheritance_words, readable_date, rule_words
from pmviewer.ui import theme
from pmviewer.ui.html_table import label_value_table
from pmviewer.ui.pgx_detail import pgx_source_rows

_NOT_IN_FILE = "not in file"


def _v(value: Any, missing: str = "—") -> str:
    if value is None or value == "" or value == []:
        return missing
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.1f}"
    if isinstance(value, (list, tuple)):
        return escape("; ".join(str(v) for v in value))
    return escape(str(value))


def _section(title: str, body: str) -> str:
    return f"<h3 style='margin:10px 0 3px 0'>{escape(title)}</h3>{body}"


def _link(label: str, url: str) -> str:
    """A reference shown as copyable text: label, then the address (never a live link)."""
    return f"{escape(label)}<br><span style='color:#555'>{escape(url)}</span>"


def clinvar_url(variation_id: int) -> str:
    return f"https://www.ncbi.nlm.nih.gov/clinvar/variation/{int(variation_id)}/"


def _badge(category: str | None) -> str:
    if not category:
        return ""
    background, text = theme.category_hex(category)
    return (
        f"<span style='background:{background};color:{text};font-weight:bold'>"
        f"&nbsp;{escape(theme.category_label(category))}&nbsp;</span>"
    )


def genotype_section(row: dict[str, Any]) -> str:
    ad_ref, ad_alt = row.get("ad_ref"), row.get("ad_alt")
    ad = (
        _NOT_IN_FILE
        if ad_ref is None and ad_alt is None
        else f"{_v(ad_ref, '.')},{_v(ad_alt, '.')} (REF,ALT)"
    )
    vaf = row.get("vaf")
    flags = row.get("quality_flags") or []
    rows = [
        (
            "Genotype",
            f"{_v(row.get('genotype'))} ({_v(row.get('zygosity'))})"
            + (", phased" if row.get("phased") else ""),
        ),
        ("Read depth (DP)", _v(row.get("dp"), _NOT_IN_FILE)),
        ("Genotype quality (GQ)", _v(row.get("gq"), _NOT_IN_FILE)),
        ("Allele depths (AD)", ad),
        ("Allele fraction (VAF)", _NOT_IN_FILE if vaf is None else f"{vaf:.2f}"),
        ("QUAL", _v(row.get("qual"), _NOT_IN_FILE)),
        ("FILTER", _v(row.get("filter"), _NOT_IN_FILE)),
    ]
    if flags:
        rows.append(("Quality warnings", "<b>" + _v(flags) + "</b>"))
    rows += family_rows(row)
    if row.get("is_sv"):
        rows.append(
            (
                "Structural variant",
                f"{_v(row.get('sv_type'))} to {_v(row.get('sv_end'))}, length {_v(row.get('sv_len'))}",
            )
        )
    return _section("Genotype and quality", label_value_table(rows))


_ORIGIN_WORDS = {
    "mother": "from the mother",
    "father": "from the father",
    "both": "both parents carry it",
    "neither": "neither parent carries it",
}


def family_rows(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The parents' genotypes at this site, where the allele came from, de novo."""
    if row.get("mother_genotype") is None and row.get("father_genotype") is None:
        return []
    rows = [
        ("Mother's genotype", _v(row.get("mother_genotype"), "not in the family")),
        ("Father's genotype", _v(row.get("father_genotype"), "not in the family")),
        ("Inherited", _v(_ORIGIN_WORDS.get(str(row.get("inherited_from"))), "not known")),
    ]
    if row.get("de_novo"):
        rows.append(("De novo", "<b>" + _v(row.get("de_novo")) + "</b>"))
    return rows


def clinvar_section(row: dict[str, Any]) -> str:
    stars = row.get("review_stars")
    star_text = (
        "" if stars is None else f" ({'★' * int(stars)}{'☆' * (4 - int(stars))}, {int(stars)} of 4)"
    )
    rows = [
        ("Classification", "<b>" + _v(row.get("classification"), "not in ClinVar") + "</b>"),
        *(
            [("ClinVar qualifier", _v(row.get("clinvar_qualifier")))]
            if isinstance(row.get("clinvar_qualifier"), str) and row.get("clinvar_qualifier")
            else []
        ),
        ("Review status", _v(row.get("review_status")) + star_text),
        ("Condition(s)", _v(row.get("condition"))),
        ("Last evaluated", _v(readable_date(row.get("last_evaluated")))),
    ]
    hgvs = " ".join(x for x in (row.get("kb_hgvs_c"), row.get("kb_hgvs_p")) if x)
    if hgvs:
        transcript = row.get("kb_transcript")
        rows.append(("HGVS (ClinVar)", escape(f"{transcript}:{hgvs}" if transcript else hgvs)))
    variation = row.get("clinvar_id")
    if variation is not None:
        rows.append(
            ("Variation ID", _link(f"ClinVar VCV{int(variation):09d}", clinvar_url(variation)))
        )
    return _section("ClinVar", label_value_table(rows))


def rule_section(row: dict[str, Any], gene_info: dict[str, Any] | None) -> str:
    gene = row.get("kb_gene") or row.get("gene")
    rows = [("Gene", _v(gene))]
    info = gene_info or {}
    rule = row.get("report_rule") or info.get("report_rule")
    rows.append(("ACMG SF reporting rule", _v(rule_words(rule), "gene not on the ACMG SF list")))
    inheritance = row.get("inheritance") or info.get("inheritance")
    rows.append(("Inheritance", _v(inheritance_words(inheritance))))
    conditions = info.get("conditions") or info.get("condition") or info.get("phenotype")
    if conditions:
        rows.append(("Gene's condition(s)", _v(conditions)))
    for key, label in (("sf_version", "ACMG SF version"), ("mechanism", "Mechanism")):
        if info.get(key):
            rows.append((label, _v(info.get(key))))
    return _section("Reporting rule", label_value_table(rows))


def why_section(row: dict[str, Any]) -> str:
    """Why the finding is in its category, right under the title (read first)."""
    reason = row.get("reason")
    if not reason:
        return ""
    background, _text = theme.category_hex(row.get("category"))
    return (
        f"<p style='margin:6px 0 2px 0;padding:4px;background:{background}'>"
        f"<b>Why {escape(theme.category_label(row.get('category')).lower())}:</b> "
        f"{_v(reason)}</p>"
    )


def civic_section(items: list[dict[str, Any]]) -> str:
    """CIViC evidence items: what they say, with the publication and the item's address."""
    if not items:
        return ""
    lines = []
    for item in items[:12]:
        what = " · ".join(
            _v(item.get(k))
            for k in ("molecular_profile", "evidence_type", "significance", "disease", "therapies")
            if item.get(k)
        )
        level = f" (level {_v(item.get('level'))})" if item.get("level") else ""
        pmid = item.get("pmid")
        refs = []
        if pmid:
            cite = f"{item['citation']}, " if item.get("citation") else ""
            refs.append(
                _link(f"{cite}PubMed PMID {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
            )
        ident = item.get("civic_evidence_id")
        if item.get("url"):
            refs.append(f"<span style='color:#555'>{escape(str(item['url']))}</span>")
        label = f"CIViC EID{ident}" if ident else "CIViC"
        lines.append(f"<li><b>{escape(label)}</b>{level}: {what}<br>{'<br>'.join(refs)}</li>")
    more = f"<p>… and {len(items) - 12} more.</p>" if len(items) > 12 else ""
    return _section("CIViC evidence", f"<ul style='margin:0'>{''.join(lines)}</ul>{more}")


def file_annotation_section(row: dict[str, Any]) -> str:
    keys = ("gene", "consequence", "impact", "transcript", "hgvs_c", "hgvs_p")
    if not any(row.get(k) for k in keys):
        return _section(
            "The file's own annotation (CSQ/ANN)",
            "<p>The file carries no gene annotation for this variant.</p>",
        )
    rows = [
        ("Gene", _v(row.get("gene"))),
        ("Consequence", _v(row.get("consequence"))),
        ("Impact", _v(row.get("impact"))),
        ("Transcript", _v(row.get("transcript"))),
        ("HGVS c.", _v(row.get("hgvs_c"))),
        ("HGVS p.", _v(row.get("hgvs_p"))),
    ]
    return _section("The file's own annotation (CSQ/ANN)", label_value_table(rows))


_STATUS_NOTES = {
    "not_callable": " (this gene cannot be called from a VCF here)",
    "no_data": " (none of the gene's defining positions is in the file)",
    "partial": " (called from the positions present; see below)",
    "no_match": " (no pair of named alleles explains the genotypes)",
}


def pgx_section(result: dict[str, Any]) -> str:
    status = result.get("call_status")
    rows = [
        ("Diplotype", "<b>" + _v(result.get("diplotype"), "not called") + "</b>"),
        ("Phenotype", _v(result.get("phenotype"))),
        ("Activity score", _v(result.get("activity_score"))),
        (
            "Call status",
            _v(call_status_words(status))
            + ("" if result.get("callable", True) else " (gene not callable from a VCF here)"),
        ),
    ]
    rows += pgx_source_rows(result)
    used, total = result.get("positions_used"), result.get("positions_total")
    if total:
        rows.append(("Defining positions assessed", f"{_v(used)} of {_v(total)}"))
    missing = result.get("missing_positions") or []
    if missing:
        shown = ", ".join(str(m) for m in missing[:15]) + (" …" if len(missing) > 15 else "")
        rows.append(("Not assessed in this file", escape(shown)))
    candidates = [c for c in result.get("candidates") or [] if c != result.get("diplotype")]
    if candidates:
        rows.append(("Other possible diplotypes", _v(candidates)))
    functions = result.get("allele_functions") or {}
    for allele, function in list(functions.items())[:6]:
        text = function.get("function") if isinstance(function, dict) else function
        rows.append((f"Allele {allele}", _v(text)))
    body = label_value_table(rows)
    recs = result.get("recommendations") or []
    if recs:
        items = "".join(
            f"<li><b>{_v(r.get('drug'))}</b>: {_v(r.get('text'))} "
            f"<span style='color:#555'>(strength: {_v(r.get('strength'))}; {_v(r.get('guideline'))})</span></li>"
            for r in recs
        )
        body += f"<p style='margin:6px 0 0 0'><b>CPIC recommendations</b></p><ul style='margin:0'>{items}</ul>"
    else:
        body += "<p>No CPIC recommendation applies to this result.</p>"
    return _section(f"Pharmacogenomics: {result.get('gene', '')}", body)


def name_section(row: dict[str, Any]) -> str:
    """The transcript-level name the report will print, with its source."""
    from pmviewer.core.annotation import NAME_SOURCE_WORDS

    source = row.get("name_source")
    if not isinstance(source, str):
        return ""
    rows = []
    if source:
        name = f"{row.get('name_transcript') or ''}:{row.get('name_c') or ''}"
        if row.get("name_p"):
            name += f" ({row.get('name_p')})"
        rows.append(("Name", "<b>" + _v(name) + "</b>"))
        rows.append(("Source", _v(NAME_SOURCE_WORDS.get(source, source))))
    else:
        rows.append(("Name", "<b>none a laboratory can sign yet</b>: enter it in the review panel"))
    if row.get("name_note"):
        rows.append(("Note", _v(row.get("name_note"))))
    return _section("Variant name for the report", label_value_table(rows))


def therapy_section(row: dict[str, Any]) -> str:
    """CIViC germline predictive evidence for this finding (level, therapy, disease, citation)."""
    items = row.get("therapies")
    if not isinstance(items, (list, tuple)) or not items:
        return ""
    lines = []
    for t in items:
        cite = str(t.get("citation") or "")
        if t.get("pmid"):
            cite += f", PMID {t['pmid']}"
        lines.append(
            f"<li><b>Level {_v(t.get('level'))}</b> · {_v(t.get('therapies'))} · "
            f"{_v(t.get('disease'))} · {_v(t.get('significance'))} "
            f"<span style='color:#555'>({_v(cite)}; {_v(t.get('match_basis'))})</span></li>"
        )
    return _section(
        "Therapeutic implications (CIViC germline predictive evidence)",
        f"<ul style='margin:0'>{''.join(lines)}</ul>",
    )


def variant_title(row: dict[str, Any]) -> str:
    gene = row.get("kb_gene") or row.get("gene") or ""
    pos = row.get("pos")
    where = (
        f"{row.get('chrom')}:{pos:,} {row.get('ref')}>{row.get('alt')}" if pos is not None else ""
    )
    hgvs = row.get("kb_hgvs_c") or row.get("hgvs_c") or ""
    protein = row.get("kb_hgvs_p") or row.get("hgvs_p") or ""
    text = " ".join(x for x in (gene, hgvs, f"({protein})" if protein else "") if x)
    return f"<h2 style='margin:0'>{escape(text or where)} {_badge(row.get('category'))}</h2><p style='margin:2px 0;color:#444'>{escape(where)}{' · ' + escape(str(row['var_id'])) if row.get('var_id') else ''}</p>"


def variant_html(
    row: dict[str, Any],
    *,
    gene_info: dict[str, Any] | None = None,
    civic: list[dict[str, Any]] | None = None,
    pgx: dict[str, Any] | None = None,
    knowledge: dict[str, Any] | None = None,
) -> str:
    """The whole panel for one variant row (finding or plain variant)."""
    is_finding = "category" in row
    parts = [variant_title(row)]
    if is_finding:
        parts.append(why_section(row))
    parts.append(genotype_section(row))
    if is_finding:
        parts.append(name_section(row))
        parts.append(clinvar_section(row))
        parts.append(rule_section(row, gene_info))
        parts.append(therapy_section(row))
        parts.append(civic_section(civic or []))
    if pgx:
        parts.append(pgx_section(pgx))
    parts.append(file_annotation_section(row))
    if is_finding and knowledge:
        version = knowledge.get("version") or knowledge.get("kb_version") or ""
        built = knowledge.get("built") or knowledge.get("created") or ""
        parts.append(
            f"<p style='color:#555;margin-top:10px'>Source: pmviewer knowledge file version "
            f"{escape(str(version))}" + (f", built {escape(str(built))}" if built else "") + "</p>"
        )
    return "".join(p for p in parts if p)


def pgx_html(result: dict[str, Any], variants: list[dict[str, Any]] | None = None) -> str:
    """The panel for a pharmacogenomics gene row: diplotype evidence and the variants used."""
    parts = [
        f"<h2 style='margin:0'>{escape(str(result.get('gene', '')))} {_badge('pgx')}</h2>",
        pgx_section(result),
    ]
    if variants:
        items = "".join(
            f"<li>{escape(str(v.get('chrom')))}:{v.get('pos'):,} {escape(str(v.get('ref')))}&gt;"
            f"{escape(str(v.get('alt')))} {escape(str(v.get('var_id') or ''))} "
            f"GT {escape(str(v.get('genotype')))}, DP {_v(v.get('dp'), '.')}</li>"
            for v in variants
        )
        parts.append(
            _section("Variants of this gene in the file", f"<ul style='margin:0'>{items}</ul>")
        )
    return "".join(parts)


def empty_view_html(view: str, total: int, findings: Any) -> str:
    """Why the current view shows no row: the filters, or what happened to the file's records
    (per-record fate counts) and which genes were not assessed."""
    from pmviewer.core.annotation import empty_view_reason

    if total:
        text = (
            f"All {total:,} rows of this view are hidden by the filters. Clear the quick filter "
            "or the drop-downs to see them."
        )
        return f"<p style='color:#444'>{escape(text)}</p>"
    if findings is None:
        return EMPTY_HTML
    parts = [empty_view_reason(findings.fate or {}, view)]
    assessment = findings.assessment
    if assessment:
        genes = assessment.get("genes") or []
        missing = [g for g in genes if g.get("status") != "assessed"]
        if missing:
            parts.append(
                f"{len(missing)} of the {len(genes)} analysed genes were not assessed (no data, "
                "partial coverage or outside the assay's targets), so an empty view is not a "
                "negative result for them."
            )
        parts += [str(n) for n in assessment.get("notes") or []]
    elif view in ("reportable", "carrier", "uncertain"):
        parts.append("Gene coverage was not measured, so an empty view is not a negative result.")
    body = "".join(f"<p style='color:#444;margin:4px 0'>{escape(p)}</p>" for p in parts)
    return f"<h3 style='margin:6px 0'>Why this view is empty</h3>{body}"


EMPTY_HTML = (
    "<p style='color:#666'>Select a row to see its genotype, quality, knowledge evidence "
    "and sources.</p>"
)


class DetailPanel(QTextBrowser):
    """Read-only, selectable text; links are never followed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setObjectName("detailPanel")
        self.show_empty()

    def show_empty(self) -> None:
        self.setHtml(EMPTY_HTML)

    def show_html(self, html: str) -> None:
        self.setHtml(html)

    def text(self) -> str:
        return self.toPlainText()


def row_detail_html(
    row: dict[str, Any],
    view: str,
    result: Any,
    pgx_results: list[dict[str, Any]],
    findings: pd.DataFrame | None,
) -> str:
    """The detail panel HTML for ``row`` of ``view``: a gene's PGx result in the
    Pharmacogenomics view, else the variant with its finding evidence (an All variants row
    that is a finding shows the findings row of the same variant)."""
    if view == "pgx":
        gene = row.get("gene")
        pgx_result = next((r for r in pgx_results if r.get("gene") == gene), row)
        variants = gene_finding_rows(findings, gene) if findings is not None and gene else []
        return pgx_html(pgx_result, variants)
    if view == "all":
        if row.get("category") is None:
            row = {k: v for k, v in row.items() if k != "category"}
        elif findings is not None:
            row = finding_row(findings, row) or row
    gene = row.get("kb_gene") or row.get("gene")
    pgx = None
    if row.get("category") == "pgx":
        pgx = next((r for r in pgx_results if r.get("gene") == gene), None)
    return variant_html(
        row,
        gene_info=result.genes.get(str(gene)) if result and gene else None,
        civic=result.civic.get(str(row.get("finding_id"))) if result else None,
        pgx=pgx,
        knowledge=result.analysis.findings.knowledge if result else None,
    )
