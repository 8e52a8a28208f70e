"""The drug view (model and dialog) and File > Import pharmacogenomic calls."""

from __future__ import annotations

import pytest
from bundled import require_bundled
from pgx_testdata import build_pgx_db
from window_steps import open_and_wait

from pmviewer.core.pgx import ACTION_TITLES, ACTIONS, apply_outside_calls, read_outside_calls
from pmviewer.ui.pgx_drug_view import DrugTableModel, DrugViewDialog


@pytest.fixture(scope="module")
def outside_entries(knowledge_sources, tmp_path_factory):
    folder = tmp_path_factory.mktemp("uipgx")
    conn = build_pgx_db(knowledge_sources, folder / "kb.sqlite")
    tsv = folder / "calls.tsv"
    tsv.write_text("CYP2D6\t*4/*4\nHLA-B\t*57:01/*08:01\n", encoding="utf-8")
    results = apply_outside_calls(conn, [], read_outside_calls(tsv, conn))
    conn.close()
    return [r.to_json() for r in results]


def test_drug_model_passes_qt_model_checks(qtmodeltester, outside_entries):
    from pmviewer.core.pgx import drug_view

    model = DrugTableModel(drug_view(outside_entries))
    qtmodeltester.check(model)
    assert model.rowCount() > 5


def test_drug_view_groups_sorts_and_searches(qtbot, outside_entries):
    dialog = DrugViewDialog(outside_entries)
    qtbot.addWidget(dialog)
    drugs = dialog.visible_drugs()
    assert drugs[0] in {"abacavir", "codeine", "tramadol"}  # avoid first
    actions = [
        dialog.proxy.data(dialog.proxy.index(i, DrugTableModel.COL_ACTION))
        for i in range(dialog.proxy.rowCount())
    ]
    assert actions == sorted(actions, key=[ACTION_TITLES[a] for a in ACTIONS].index)
    dialog.search.setText("ABACAVIR")
    assert dialog.visible_drugs() == ["abacavir"]
    dialog.search.setText("Poor Metabolizer")
    assert "codeine" in dialog.visible_drugs() and "abacavir" not in dialog.visible_drugs()
    assert "not assessed" in dialog.summary.text()


def test_import_calls_in_the_window_updates_view_and_report_input(qtbot, window, tmp_path):
    from pmviewer.core.resources import demo_vcf_path
    from pmviewer.ui.pgx_import import apply_calls_file

    demo = demo_vcf_path()
    require_bundled(demo, "the bundled demo patient")
    open_and_wait(qtbot, window, demo)
    bad = tmp_path / "bad.tsv"
    bad.write_text("CYP2D6\t*1/*999\n", encoding="utf-8")
    before = list(window.pgx_results)
    problem = apply_calls_file(window, str(bad))
    assert "line 1: '*999' is not a CYP2D6 allele" in problem
    assert window.pgx_results == before  # a refused file changes nothing
    good = tmp_path / "calls.tsv"
    good.write_text("CYP2D6\t*1/*4\nHLA-B\t*57:01/*44:02\n", encoding="utf-8")
    assert apply_calls_file(window, str(good)) is None
    cyp2d6 = next(e for e in window.pgx_results if e["gene"] == "CYP2D6")
    assert cyp2d6["source"] == "outside" and cyp2d6["phenotype"] == "Intermediate Metabolizer"
    assert window.result.analysis.findings.pgx is window.pgx_results  # what the report prints
    frame, _index = window.frames["pgx"]
    assert "Intermediate Metabolizer" in set(frame["phenotype"].astype(str))
    window.cancel_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=120_000)


def test_detail_panel_names_the_source_and_escapes_file_text(outside_entries):
    from pmviewer.ui.detail_panel import pgx_section

    entry = dict(next(e for e in outside_entries if e["gene"] == "CYP2D6"))
    entry["source_file"] = "<b>calls</b>.tsv"
    entry["conflict"] = "The VCF gives *1/*1 <script>"
    html = pgx_section(entry)
    assert "Outside call: &lt;b&gt;calls&lt;/b&gt;.tsv, line 1" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert entry["source_sha256"] in html
    vcf_entry = {"gene": "CYP2C19", "diplotype": "*1/*2", "callable": True, "source": "vcf"}
    assert "<td>VCF</td>" in pgx_section(vcf_entry)
