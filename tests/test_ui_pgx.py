"""The drug view (model and dialog) and File > Import pharmacogenomic calls."""

from __future__ import annotations

import pytest
from pgx_testdata import build_pgx_db

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
