"""The detail panel: everything known about the selected row, with its sources.

Built as HTML from plain dicts (a frame row, a pharmacogenomics result, the gene's knowledge
row), so the text can be tested directly. Links are printed as selectable text and never
opened: pmviewer does not use the network.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextBrowser, QWidget

from pmviewer.core.evidence import finding_row, gene_finding_rows
from pmviewer.ui import theme
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


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color:#555;padding-right:10px;vertical-align:top'>{escape(k)}</td>"
        f"<td>{v}</td></tr>"
        for k, v in rows
    )
    return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"


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
    if row.get("is_sv"):
        rows.append(
            (
                "Structural variant",
                f"{_v(row.get('sv_type'))} to {_v(row.get('sv_end'))}, length {_v(row.get('sv_len'))}",
            )
        )
    return _section("Genotype and quality", _table(rows))


def clinvar_section(row: dict[str, Any]) -> str:
    stars = row.get("review_stars")
    star_text = (
        "" if stars is None else f" ({'★' * int(stars)}{'☆' * (4 - int(stars))}, {int(stars)} of 4)"
    )
    rows = [
        ("Classification", "<b>" + _v(row.get("classification"), "not in ClinVar") + "</b>"),
        ("Review status", _v(row.get("review_status")) + star_text),
        ("Condition(s)", _v(row.get("condition"))),
        ("Last evaluated", _v(row.get("last_evaluated"))),
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
    return _section("ClinVar", _table(rows))


def rule_section(row: dict[str, Any], gene_info: dict[str, Any] | None) -> str:
    gene = row.get("kb_gene") or row.get("gene")
    rows = [("Gene", _v(gene))]
    info = gene_info or {}
    rule = row.get("report_rule") or info.get("report_rule")
    rows.append(("ACMG SF reporting rule", _v(rule, "gene not on the ACMG SF list")))
    inheritance = row.get("inheritance") or info.get("inheritance")
    rows.append(("Inheritance", _v(inheritance)))
    conditions = info.get("conditions") or info.get("condition") or info.get("phenotype")
    if conditions:
        rows.append(("Gene's condition(s)", _v(conditions)))
    for key, label in (("sf_version", "ACMG SF version"), ("mechanism", "Mechanism")):
        if info.get(key):
            rows.append((label, _v(info.get(key))))
    rows.append(("Why this category", _badge(row.get("category")) + " " + _v(row.get("reason"))))
    return _section("Reporting rule", _table(rows))


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
        level = f" (level {_v(item.get('evidence_level'))})" if item.get("evidence_level") else ""
        pmid = item.get("pmid")
        refs = []
        if pmid:
            cite = f"{item['citation']}, " if item.get("citation") else ""
            refs.append(
                _link(f"{cite}PubMed PMID {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
            )
        ident = item.get("evidence_id") or item.get("id")
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
    return _section("The file's own annotation (CSQ/ANN)", _table(rows))


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
            _v(status)
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
    body = _table(rows)
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
    parts = [variant_title(row), genotype_section(row)]
    is_finding = "category" in row
    if is_finding:
        parts.append(clinvar_section(row))
        parts.append(rule_section(row, gene_info))
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


CivicLookup = Callable[[dict[str, Any]], list[dict[str, Any]]]


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
