"""Evidence is joined in core: the window, ``pmviewer annotate`` JSON and the PDF carry the same."""

from __future__ import annotations

import csv
import json

import pytest

from pmviewer.cli import main as cli_main
from pmviewer.core.resources import demo_vcf_path
from pmviewer.ui.main_window import MainWindow

WAIT = 120_000


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("annotate") / "demo.json"
    assert cli_main(["annotate", str(demo_vcf_path()), "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def _civic_statements(knowledge_sources) -> dict[int, dict[str, str]]:
    (path,) = (knowledge_sources / "civic").glob("*ClinicalEvidenceSummaries.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {int(r["evidence_id"]): r for r in csv.DictReader(handle, delimiter="\t")}


def test_annotate_json_carries_civic_items_as_civic_itself_states_them(
    demo_json, knowledge_sources
):
    with_civic = [f for f in demo_json["findings"] if f["civic"]]
    assert with_civic, "the demo patient has findings with CIViC evidence"
    civic = _civic_statements(knowledge_sources)
    for finding in with_civic:
        for item in finding["civic"]:
            stated = civic[int(item["civic_evidence_id"])]  # CIViC's own evidence summary
            assert item["significance"] == stated["significance"]
            assert item["level"] == stated["evidence_level"]
            assert item["molecular_profile"] == stated["molecular_profile"]
            assert finding["gene"] in stated["molecular_profile"]
    assert all(f["civic"] == [] for f in demo_json["findings"] if f not in with_civic)


def test_window_detail_panel_shows_the_civic_items_of_the_json(qtbot, demo_json):
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.findings_shown, window.all_variants_shown], timeout=WAIT):
        window.open_file(str(demo_vcf_path()))
    assert window.result.civic == {
        f["finding_id"]: window.result.civic[f["finding_id"]]
        for f in demo_json["findings"]
        if f["civic"]
    }
    window.filter_bar.set_view("all")
    model = window.model
    for finding in (f for f in demo_json["findings"] if f["civic"]):
        key = (finding["pos"], finding["ref"], finding["alt"])
        (row,) = [
            r
            for r in range(model.rowCount())
            if (model.row_dict(r)["pos"], model.row_dict(r)["ref"], model.row_dict(r)["alt"]) == key
        ]
        window.select_row(row)
        text = window.detail.text()
        assert "CIViC evidence" in text
        for item in finding["civic"]:
            assert f"CIViC EID{item['civic_evidence_id']}" in text
            assert str(item["significance"]) in text
    window.close()


def test_the_demo_pdf_prints_the_civic_items_of_the_json(demo_json):
    import io

    from pypdf import PdfReader

    from pmviewer.core.pipeline import analyse
    from pmviewer.export.pdf import build_report
    from pmviewer.export.report_model import build_report_model

    findings = analyse(demo_vcf_path()).findings
    model = build_report_model(findings)
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(build_report(model))).pages
    )
    text = " ".join(text.split())
    for finding in (f for f in demo_json["findings"] if f["civic"]):
        for item in finding["civic"]:
            assert f"CIViC EID{item['civic_evidence_id']} (level {item['level']})" in text
            assert f"PMID {item['pmid']}" in text
