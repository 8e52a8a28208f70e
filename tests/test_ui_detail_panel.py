"""Detail panel evidence: CIViC items with PMIDs, ClinVar links as text, PGx evidence."""

from __future__ import annotations

import pytest

from pmviewer.core.knowledge.reader import open_knowledge
from pmviewer.ui.detail_panel import DetailPanel, civic_section, pgx_section
from pmviewer.ui.main_window import MainWindow

WAIT = 120_000


@pytest.fixture(scope="module")
def civic_vcf(tmp_path_factory):
    """A tiny GRCh38 VCF carrying (het) every positioned CIViC variant of the knowledge file."""
    evidence = open_knowledge().civic_for("GRCh38")
    evidence = evidence[evidence["pos"].notna() & evidence["ref"].notna() & evidence["alt"].notna()]
    evidence = evidence.drop_duplicates(["chrom", "pos", "ref", "alt"]).sort_values(
        ["chrom", "pos"]
    )
    assert len(evidence) > 0
    lines = ["##fileformat=VCFv4.2", '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">']
    lines += [f"##contig=<ID=chr{c}>" for c in sorted(set(evidence["chrom"]))]
    lines.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPATIENT")
    for r in evidence.itertuples():
        lines.append(f"chr{r.chrom}\t{int(r.pos)}\t.\t{r.ref}\t{r.alt}\t50\tPASS\t.\tGT\t0/1")
    path = tmp_path_factory.mktemp("civic") / "civic.vcf"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_reportable_finding_shows_civic_items_with_pmids(qtbot, civic_vcf):
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
        window.open_file(str(civic_vcf), build="GRCh38")
    civic = window.result.civic
    model = window.model
    rows = [r for r in range(model.rowCount()) if model.row_dict(r)["finding_id"] in civic]
    assert rows, "no reportable finding carries CIViC evidence"
    window.select_row(rows[0])
    items = civic[model.row_dict(rows[0])["finding_id"]]
    text = window.detail.text()
    assert "CIViC evidence" in text and f"CIViC EID{items[0]['civic_evidence_id']}" in text
    with_pmid = [i for i in items if i.get("pmid")]
    if with_pmid:
        assert f"PMID {with_pmid[0]['pmid']}" in text
        assert f"https://pubmed.ncbi.nlm.nih.gov/{with_pmid[0]['pmid']}/" in text


def test_links_are_text_and_never_followed(qtbot):
    panel = DetailPanel()
    qtbot.addWidget(panel)
    html = civic_section(
        [
            {
                "civic_evidence_id": 1,
                "pmid": "123",
                "url": "https://civicdb.org/links/evidence_items/1",
            }
        ]
    )
    panel.show_html(html)
    assert not panel.openLinks() and not panel.openExternalLinks()
    assert "<a " not in html and "https://civicdb.org/links/evidence_items/1" in panel.text()


def test_pgx_section_lists_missing_positions_and_recommendations():
    html = pgx_section(
        {
            "gene": "CYP2C19",
            "diplotype": "*1/*2",
            "phenotype": "Intermediate Metabolizer",
            "call_status": "partial",
            "positions_used": 30,
            "positions_total": 35,
            "missing_positions": ["chr10:94781859 (rs4244285)"],
            "candidates": ["*1/*2", "*2/*38"],
            "recommendations": [
                {
                    "drug": "clopidogrel",
                    "text": "Use an alternative.",
                    "strength": "Strong",
                    "guideline": "CPIC",
                }
            ],
        }
    )
    assert "30 of 35" in html and "rs4244285" in html and "*2/*38" in html
    assert "clopidogrel" in html and "Strong" in html
    assert html.count("*1/*2") == 1  # the called diplotype is not repeated as an alternative
