"""The table model over real frames: rowCount/data directly, no view, plus qtmodeltester."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from pmviewer.core import vcf
from pmviewer.core.table_query import TableFilter
from pmviewer.ui.columns import ALL_VARIANT_COLUMNS, FINDING_COLUMNS
from pmviewer.ui.theme import CATEGORY_LABELS, category_background
from pmviewer.ui.variant_table_model import VariantTableModel

GERMLINE = "a_germline/happy__PG_NA12878_hg38-chr21.vcf.gz"


@pytest.fixture(scope="module")
def table(corpus_dir):
    return vcf.load(str(corpus_dir / GERMLINE))


@pytest.fixture(scope="module")
def findings(corpus_dir):
    from pmviewer.core.pipeline import analyse

    # the demo patient: the CPSR example is a tumour file, never analysed as germline
    from pmviewer.core.resources import demo_vcf_path

    return analyse(str(demo_vcf_path())).findings


@pytest.fixture
def model(qapp, table):
    model = VariantTableModel()
    model.set_frame(table.frame, ALL_VARIANT_COLUMNS)
    return model


def cell(model, row, key, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, model.column_index(key)), role)


def test_counts_and_plain_python_values(model, table):
    frame = table.frame
    assert model.rowCount() == len(frame) and model.columnCount() == len(ALL_VARIANT_COLUMNS)
    assert model.rowCount(model.index(0, 0)) == 0  # a table has no children
    for row in (0, len(frame) // 2, len(frame) - 1):
        assert cell(model, row, "pos") == f"{int(frame['pos'].iloc[row]):,}"
        assert cell(model, row, "ref") == frame["ref"].iloc[row]
        for column in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, model.SortRole):
                value = model.data(model.index(row, column), role)
                assert value is None or type(value) in (str, int, float)
    assert model.headerData(model.column_index("pos"), Qt.Orientation.Horizontal) == "Position"
    assert model.data(QModelIndex()) is None


def test_sort_descending_by_qual_and_persistent_index_follows(model, table):
    frame = table.frame
    anchor = QPersistentModelIndex(model.index(5, 0))
    anchor_pos = int(frame["pos"].iloc[5])
    model.sort(model.column_index("qual"), Qt.SortOrder.DescendingOrder)
    quals = [
        model.data(model.index(r, model.column_index("qual")), model.SortRole) for r in range(200)
    ]
    assert quals == sorted(quals, reverse=True)
    assert quals[0] == pytest.approx(float(frame["qual"].max()))
    assert anchor.isValid() and model.value(model.frame_row(anchor.row()), "pos") == anchor_pos


def test_filter_by_position_range_and_quality(model, table):
    frame = table.frame
    pos = frame["pos"].to_numpy()
    lo, hi = int(pos[100]), int(pos[150])
    chrom = str(frame["chrom"].iloc[100])
    model.set_filter(TableFilter(text=f"{chrom}:{lo:,}-{hi:,}"))
    assert model.rowCount() == int(((pos >= lo) & (pos <= hi)).sum())
    model.set_filter(TableFilter(quality="fail"))
    failed = ~frame["filter"].astype(str).isin(["PASS", "."])
    assert model.rowCount() == int(failed.sum())
    model.set_filter(TableFilter())
    assert model.rowCount() == len(frame)


def test_rows_as_tsv(model):
    text = model.rows_as_tsv([2, 0])
    lines = text.splitlines()
    assert lines[0].split("\t") == [c.title for c in ALL_VARIANT_COLUMNS]
    assert lines[1].split("\t")[model.column_index("pos")] == cell(model, 0, "pos")
    assert len(lines) == 3 and all(
        len(line.split("\t")) == len(ALL_VARIANT_COLUMNS) for line in lines
    )


def test_category_shown_by_text_and_colour(qapp, findings):
    model = VariantTableModel()
    model.set_frame(findings.frame, FINDING_COLUMNS)
    assert model.rowCount() == len(findings.frame) > 0
    column = model.column_index("category")
    for row in range(model.rowCount()):
        category = str(findings.frame["category"].iloc[model.frame_row(row)])
        index = model.index(row, column)
        # the label, then any ClinVar qualifier beside it ("Carrier · low penetrance")
        assert str(model.data(index)).split(" · ")[0] == CATEGORY_LABELS[category]
        assert model.data(index, Qt.ItemDataRole.BackgroundRole) == category_background(category)
    model.set_filter(TableFilter(categories=("reportable",)))
    assert model.rowCount() == int((findings.frame["category"] == "reportable").sum())
    stars = model.data(model.index(0, model.column_index("review_stars")))
    assert stars is None or set(stars) <= {"★", "☆"}


def test_qtmodeltester_all_variants(qtmodeltester, qapp, table):
    model = VariantTableModel()
    model.set_frame(table.frame.iloc[:3000], ALL_VARIANT_COLUMNS)
    model.sort(model.column_index("gene"), Qt.SortOrder.AscendingOrder)
    model.set_filter(TableFilter(zygosity="het"))
    qtmodeltester.check(model, force_py=True)


def test_qtmodeltester_findings(qtmodeltester, qapp, findings):
    model = VariantTableModel()
    model.set_frame(findings.frame, FINDING_COLUMNS)
    qtmodeltester.check(model, force_py=True)


def test_empty_model(qtmodeltester, qapp, table):
    model = VariantTableModel()
    assert model.rowCount() == 0 and model.columnCount() == 0
    model.set_frame(table.frame.iloc[0:0], ALL_VARIANT_COLUMNS)
    model.sort(0)
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


def test_sorting_a_frame_keeps_ties_in_file_order(model, table):
    model.sort(model.column_index("zygosity"), Qt.SortOrder.AscendingOrder)
    rows = np.array([model.frame_row(r) for r in range(model.rowCount())])
    zyg = table.frame["zygosity"].astype(str).to_numpy()[rows]
    for value in set(zyg):
        assert np.all(np.diff(rows[zyg == value]) > 0)


def test_column_changed_repaints_one_column(qtbot, qapp, findings):
    frame = findings.frame.copy()
    model = VariantTableModel()
    model.set_frame(frame, FINDING_COLUMNS)
    column = model.column_index("classification")
    with qtbot.waitSignal(model.dataChanged) as blocker:
        frame.loc[frame.index[0], "classification"] = "Likely benign"
        model.column_changed("classification")
    top_left, bottom_right = blocker.args[:2]
    assert top_left.column() == bottom_right.column() == column
    assert (top_left.row(), bottom_right.row()) == (0, model.rowCount() - 1)
    row = model.view_row_of(0)
    assert model.data(model.index(row, column)) == "Likely benign"
